"""Which renderer turns a site's markdown into HTML, with the options that matter to naislint.

Jekyll renders with kramdown unless ``_config.yml`` names another converter
(``markdown:``). Jekyll's defaults for kramdown are ``input: GFM`` with kramdown's own
defaults for the rest (``parse_block_html: false``, ``parse_span_html: true``,
``auto_ids: true``). ``markdown: CommonMarkGhPages`` or ``CommonMark`` (the
jekyll-commonmark plugins) render with commonmarker, i.e. GFM. A folder without
``_config.yml`` is no Jekyll site: its pages are read on GitHub, which renders GFM.
A ``renderer:`` key in naislint's own configuration overrides the guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from naislint.page.document import Document

KRAMDOWN = "kramdown"
GFM = "gfm"
#: Values of the ``renderer:`` configuration key; ``auto`` reads the site's ``_config.yml``.
CHOICES = ("auto", KRAMDOWN, GFM)
#: ``markdown:`` values of the Jekyll plugins that render with commonmarker (GFM).
COMMONMARK_CONVERTERS = frozenset({"commonmarkghpages", "commonmark"})


@dataclass(frozen=True)
class Renderer:
    """A renderer and the options that change what is printed literally.

    ``origin`` says where the choice came from, for messages and documentation
    ("_config.yml", "no _config.yml", ".naislint.yml").
    """

    name: str
    input: str = "GFM"
    parse_block_html: bool = False
    parse_span_html: bool = True
    auto_ids: bool = True
    auto_id_prefix: str = ""
    origin: str = ""

    @property
    def is_kramdown(self) -> bool:
        return self.name == KRAMDOWN

    @property
    def label(self) -> str:
        """The renderer's name as a message shows it."""
        return "kramdown" if self.is_kramdown else "GFM"

    @property
    def reads_attribute_lists(self) -> bool:
        """kramdown reads ``{:target="_blank"}``; a GFM renderer prints it."""
        return self.is_kramdown


def _flag(value: Any, default: bool) -> bool:
    """A kramdown option given as YAML true/false (or the strings Jekyll users write)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return default


def from_site_config(raw: dict[str, Any] | None, origin: str = "_config.yml") -> Renderer:
    """The renderer a Jekyll ``_config.yml`` (its parsed mapping) selects.

    ``raw is None`` means there is no ``_config.yml``: the folder is read on GitHub (GFM).
    """
    if raw is None:
        return Renderer(GFM, origin="no _config.yml: GitHub renders GFM")
    converter = raw.get("markdown")
    name = str(converter).strip().lower() if isinstance(converter, str) else KRAMDOWN
    if name in COMMONMARK_CONVERTERS:
        return Renderer(GFM, origin=f"{origin}: markdown: {converter}")
    options = raw.get("kramdown")
    options = options if isinstance(options, dict) else {}
    value = options.get("input", "GFM")
    prefix = options.get("auto_id_prefix", "")
    return Renderer(
        KRAMDOWN,
        input=value if isinstance(value, str) and value else "GFM",
        parse_block_html=_flag(options.get("parse_block_html"), False),
        parse_span_html=_flag(options.get("parse_span_html"), True),
        auto_ids=_flag(options.get("auto_ids"), True),
        auto_id_prefix=prefix if isinstance(prefix, str) else "",
        origin=f"{origin}: markdown: {converter}" if isinstance(converter, str) else f"{origin}: kramdown (Jekyll's default)",
    )


def for_document(doc: Document) -> Renderer:
    """The renderer of a page: the one its site gives it (set on the document by whoever
    loads it within a site, see :func:`naislint.jekyll.rendering.for_page`), else what the
    page alone says: kramdown for a Jekyll page, GitHub's for any other."""
    given: Renderer | None = getattr(doc, "renderer", None)
    if given is not None:
        return given
    return doc.memo("page.renderer", lambda: default_for(doc))


def default_for(doc: Any) -> Renderer:
    """The renderer of a page away from any site."""
    if is_jekyll_page(doc):
        return from_site_config({}, origin="a Jekyll page (its front matter sets permalink or layout)")
    return from_site_config(None)


#: Front matter keys only Jekyll reads: a page that sets one is published by Jekyll, whose
#: default renderer is kramdown, even when it is linted away from its site's ``_config.yml``.
JEKYLL_PAGE_KEYS = ("permalink", "layout")


def is_jekyll_page(doc: Any) -> bool:
    """Whether a page outside any site is still a Jekyll page, not one read on GitHub.

    GitHub shows front matter as a table and ignores ``permalink:``/``layout:``; a page
    that sets them was written for Jekyll (a page copied out of its site, as an editor
    may lint a single downloaded page).
    """
    try:
        meta = doc.meta
    except Exception:  # front matter that does not parse says nothing about the renderer
        return False
    return isinstance(meta, dict) and any(key in meta for key in JEKYLL_PAGE_KEYS)
