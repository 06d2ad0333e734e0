"""Link completion: the site's permalinks, asset files and anchors, nearest first.

Completion answers on every keystroke inside a link, so it must not parse the page: the
destination at the cursor is found on the cursor's line with a few patterns (markdown
``](``, a reference definition, HTML ``href``/``src``, a YAML URL key in front matter or a
data file). The candidates (every published page with its title, every published static
file) are gathered once per site index (:class:`Catalog`) and only ranked per request:
by path proximity to the page being edited (the fewest folder steps between the two
URLs), then by URL. A request returns at most :data:`LIMIT` items; when more match what is
typed, the list is marked incomplete and the editor asks again as the author types.

After ``#``, the anchors of the page the path names (its headings, with their text, then
its other ids), or of the page being edited when the path is empty.

Plain Python (no pygls): the server turns :class:`Item` into LSP completion items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from naislint.site import urls

if TYPE_CHECKING:
    from naislint.site.index import SiteIndex

#: Most items one request returns (an editor shows a dozen; the list is asked again as
#: the author types).
LIMIT = 50
#: Files in these top folders are assets an image completion puts first.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".bmp", ".avif")
#: Static files that are the site's machinery, not something a page links to.
MACHINERY_SUFFIXES = (".css", ".scss", ".sass", ".js", ".map", ".json", ".xml", ".txt", ".yml", ".yaml",
                      ".rb", ".lock", ".gemspec", ".woff", ".woff2", ".ttf", ".eot", ".otf", ".html", ".htm")

_MARKDOWN_RE = re.compile(r"(!?)\[[^\]\n]*\]\([ \t]*<?([^\s()<>]*)$")
_DEFINITION_RE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S*)$")
_HTML_RE = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b[^<>]*?\b(href|src)[ \t]*=[ \t]*([\"']?)([^\"'\s<>]*)$", re.IGNORECASE)
_YAML_RE = re.compile(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*)[ \t]*:[ \t]+([\"']?)([^\"'\s#]*)$")


@dataclass(frozen=True, slots=True)
class LinkContext:
    """A link destination being typed: where it starts (a code-point offset into the
    buffer), what is typed of it up to the cursor, and whether it is an image."""

    start: int
    typed: str
    image: bool


def link_context(text: str, offset: int, yaml: bool = False) -> LinkContext | None:
    """The link destination the cursor at ``offset`` is in, or ``None``.

    ``yaml`` says the cursor is in YAML (front matter or a data file), where a URL key's
    value is a destination.
    """
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset]
    if "\r" in before:
        return None
    m = _MARKDOWN_RE.search(before)
    if m is not None:
        return LinkContext(line_start + m.start(2), m.group(2), bool(m.group(1)))
    m = _HTML_RE.search(before)
    if m is not None:
        return LinkContext(line_start + m.start(4), m.group(4), m.group(2).lower() == "src")
    m = _DEFINITION_RE.match(before)
    if m is not None:
        return LinkContext(line_start + m.start(1), m.group(1), False)
    if yaml:
        from naislint.page.links import _is_image_key, _is_link_key

        m = _YAML_RE.match(before)
        if m is not None and (_is_link_key(m.group(1)) or _is_image_key(m.group(1))):
            return LinkContext(line_start + m.start(3), m.group(3), _is_image_key(m.group(1)))
    return None


@dataclass(frozen=True, slots=True)
class Item:
    """One completion: ``text`` replaces the buffer from ``start`` to the cursor."""

    label: str
    detail: str
    kind: str  # "page" | "file" | "anchor"
    text: str
    start: int
    sort: str
    documentation: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    url: str
    folded: str
    title: str
    kind: str
    rel: str
    segments: tuple[str, ...]
    image: bool


class Catalog:
    """Every URL a link can name on one site, with its title: built once per index."""

    def __init__(self, site: "SiteIndex", titles: dict[str, str]) -> None:
        self.site = site
        self.titles = titles
        found: list[Candidate] = []
        for rel, url in site.pages.items():
            if rel in site.redirecting:
                continue
            found.append(_candidate(site.baseurl + url, titles.get(rel, ""), "page", rel))
        for rel, published in site.static_sources.items():
            if published.lower().endswith(MACHINERY_SUFFIXES) or "/." in "/" + published:
                continue
            found.append(_candidate(site.baseurl + "/" + published, "", "file", rel))
        found.sort(key=lambda c: c.url)
        self.candidates = found
        #: Folder of the page being edited -> the candidates nearest first (a few kept).
        self._orders: dict[tuple[str, ...], list[Candidate]] = {}

    def nearest(self, here: tuple[str, ...]) -> list[Candidate]:
        """The candidates by folder steps from ``here``, then by URL (kept per folder:
        an author types many links on one page)."""
        order = self._orders.get(here)
        if order is None:
            if len(self._orders) >= 16:
                self._orders.pop(next(iter(self._orders)))
            order = self._orders[here] = sorted(self.candidates, key=lambda c: (distance(here, c.segments), c.url))
        return order


def _candidate(url: str, title: str, kind: str, rel: str) -> Candidate:
    return Candidate(url, url.casefold(), title, kind, rel, tuple(s for s in url.split("/")[:-1] if s),
                     url.lower().endswith(IMAGE_SUFFIXES))


def distance(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """Folder steps between two URLs' folders (up from one to the common folder, then
    down to the other)."""
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return len(a) + len(b) - 2 * common


def complete_urls(catalog: Catalog, ctx: LinkContext, page_url: str) -> tuple[list[Item], bool]:
    """Pages and files for a destination being typed; ``True`` when the list is cut.

    Those whose URL starts with what is typed come first, then those that hold it; in
    each group, the kind the link wants (an image for ``![]``/``src``) first, then the
    nearest. Nothing is sorted here: the order per folder is the catalog's."""
    folded = ctx.typed.casefold()
    loose = folded.lstrip("./")
    here = tuple(s for s in urls.page_dir_url(page_url).split("/") if s)
    groups: list[list[Candidate]] = [[], [], [], []]
    for c in catalog.nearest(here):
        if not folded or c.folded.startswith(folded):
            bucket = 0
        elif loose and loose in c.folded:
            bucket = 2
        else:
            continue
        wanted = c.image == ctx.image or (not ctx.image and c.kind == "page")
        groups[bucket + (0 if wanted else 1)].append(c)
    ranked = [c for group in groups for c in group]
    items = []
    for n, c in enumerate(ranked[:LIMIT]):
        detail = c.title or ("image" if c.image else "file")
        items.append(Item(c.url, detail, c.kind, c.url, ctx.start, f"{n:04d}", c.rel))
    return items, len(ranked) > LIMIT


@dataclass(frozen=True, slots=True)
class Anchor:
    id: str
    text: str
    line: int


def complete_anchors(ctx: LinkContext, anchors: list[Anchor], title: str) -> list[Item]:
    """Anchors of a page for the fragment typed after ``#``."""
    hash_at = ctx.typed.find("#")
    start = ctx.start + hash_at + 1
    items = []
    for n, a in enumerate(anchors):
        label = "#" + a.id
        detail = a.text or "element id"
        if title:
            detail += f" — {title}"
        items.append(Item(label, detail, "anchor", a.id, start, f"{n:04d}"))
    return items


def anchors_of_text(text: str, known: list[str] | None = None) -> list[Anchor]:
    """The anchors of a page's text: its headings (with their text and line), then its
    other ids (``known``, from the site index, or found in the text)."""
    from naislint.page.anchors import page_anchors
    from naislint.site.moves import headings_of

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = [Anchor(h.id, h.text, h.line) for h in headings_of(text)]
    seen = {a.id for a in found}
    for anchor in known if known is not None else page_anchors(text):
        if anchor not in seen:
            seen.add(anchor)
            found.append(Anchor(anchor, "", 0))
    return found


def complete(site: "SiteIndex", catalog: Catalog, ctx: LinkContext, page_rel: str | None, page_url: str,
             current_text: str, read: Callable[[str], str | None]) -> tuple[list[Item], bool]:
    """The completion items at a destination: URLs, or anchors after ``#``."""
    if "#" not in ctx.typed:
        return complete_urls(catalog, ctx, page_url)
    path = ctx.typed.split("#", 1)[0]
    if not path:
        return complete_anchors(ctx, anchors_of_text(current_text), ""), False
    from naislint.site.resolve import resolve_url

    res = resolve_url(site, path, page_rel, page_url)
    if res.status != "ok" or res.target is None or res.target.kind != "page":
        return [], False
    rel = res.target.rel
    if rel == page_rel:
        return complete_anchors(ctx, anchors_of_text(current_text), ""), False
    text = read(rel)
    if text is None:
        return [], False
    return complete_anchors(ctx, anchors_of_text(text, site.anchors_of(rel) or None), catalog.titles.get(rel, "")), False
