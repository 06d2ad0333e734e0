"""Whether a page's layout prints the page title as the page's ``<h1>``.

A heading rule needs to know what the layout puts above the content. On an Isomer site
the theme comes from a remote gem, so naislint knows its layouts: every content page
(simple page, collection and sub-collection page, resource post) shows its title in an
``<h1>``; the homepage and the contact page do not. On another Jekyll site the layouts
are files in ``_layouts/``: the page's layout (from its front matter, else from the
``defaults:`` of ``_config.yml``) and the layouts it is wrapped in are read for an
``<h1>`` holding ``page.title``.

A layout's title is not the page's ``<h1>`` when the page hides it: a ``<style>`` in the
page, or the site's own style sheet (``custom_css_path`` in ``_config.yml``, Isomer's
``/misc/custom.css``), that sets ``display: none`` on the title's section (Isomer's
``bp-section-pagetitle``) or on a class of the layout's ``<h1>`` or of an element around
it (:mod:`naislint.page.stylesheet`). The theme's heading is then gone from the page and
from the accessibility tree, and the page's own hero ``<h1>`` is its only one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from naislint.page.stylesheet import Target, hides

if TYPE_CHECKING:
    from naislint.jekyll.pagekinds import PagePlace
    from naislint.page.html import HtmlTag
    from naislint.page.document import Document

#: Isomer page kinds whose layout prints the title as ``<h1>``.
ISOMER_TITLE_KINDS = frozenset({"isomer-page", "isomer-collection-page", "isomer-subcollection-page", "isomer-post"})
#: The section around the title's ``<h1>`` in Isomer's layouts (``page.html``,
#: ``simple-page.html``: ``bp-`` classes on the next-gen theme, ``sgds-`` on the later one).
ISOMER_TITLE_SECTIONS = (
    Target("section", frozenset({"bp-section", "is-small", "bp-section-pagetitle"})),
    Target("section", frozenset({"sgds-section", "is-small", "sgds-section-pagetitle"})),
)
#: The largest site style sheet read (a theme's compiled CSS can be large; a custom sheet is not).
MAX_CSS_BYTES = 512 * 1024
_TITLE_H1_RE = re.compile(r"<h1\b[^>]*>\s*(?:<[^>]+>\s*)*\{\{-?\s*(?:page|post)\.title\b", re.IGNORECASE)
_LAYOUT_KEY_RE = re.compile(r"^layout:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)
_LAYOUT_NAME_RE = re.compile(r"^[\w.-]+$")


def title_h1(doc: "Document", place: "PagePlace") -> str | None:
    """What prints the page's title as ``<h1>`` (words for a message), or ``None`` when
    nothing does or naislint cannot tell. Computed once per document."""
    return doc.memo("layouts.title_h1", lambda: _title_h1(doc, place))


def _title_h1(doc: "Document", place: "PagePlace") -> str | None:
    from naislint.jekyll import pagekinds

    if doc.front_matter is None:
        return None  # Jekyll renders a file without front matter as is, with no layout
    root = place.site_root
    if place.isomer:
        kind = pagekinds.choose(doc, place).kind
        if kind in ISOMER_TITLE_KINDS and not _hidden(doc, root, ISOMER_TITLE_SECTIONS):
            return f"the Isomer {pagekinds.KINDS[kind][1]} layout"
        return None
    if root is None:
        return None
    layout = doc.meta.get("layout")
    if not isinstance(layout, str) or not layout.strip():
        layout = _default_layout(root, place.relpath)
    if not layout:
        return None
    found = _find_title_h1(root, layout.strip())
    if found is None or _hidden(doc, root, found[1]):
        return None
    return f"its layout '{layout.strip()}' ({found[0]})"


def _hidden(doc: "Document", root: str | None, targets: tuple[Target, ...]) -> bool:
    """Whether the page's own ``<style>`` elements, or the site's custom style sheet,
    hide one of ``targets`` (the title's ``<h1>`` or an element around it)."""
    if not targets:
        return False
    if any(hides(css, targets) for css in _page_styles(doc)):
        return True
    css = _site_css(root) if root is not None else None
    return css is not None and hides(css, targets)


def _page_styles(doc: "Document") -> list[str]:
    """The text of each ``<style>`` element of the page (HTML, not code shown on it)."""
    from naislint.page.html import page_tags

    text = doc.text
    if "<style" not in text and "<STYLE" not in text:
        return []
    found: list[str] = []
    opened: int | None = None
    for tag in page_tags(doc):
        if tag.name != "style":
            continue
        if tag.kind == "start":
            opened = tag.end
        elif tag.kind == "end" and opened is not None:
            found.append(text[opened : tag.start])
            opened = None
    return found


def _site_css(root: str) -> str | None:
    """The site's own style sheet, named by ``custom_css_path`` in ``_config.yml``: the
    file at that path, or the Sass file Jekyll compiles to it (``custom.scss`` for
    ``custom.css``); ``None`` when there is none or it cannot be read as text."""
    from naislint import jekyll
    from naislint.page.safeopen import read_regular

    value = jekyll.load(root).raw.get("custom_css_path")
    if not isinstance(value, str) or not value.strip() or "://" in value or value.strip().startswith("//"):
        return None
    relative = value.strip().split("?", 1)[0].split("#", 1)[0].lstrip("/")
    if not relative.endswith(".css") or ".." in Path(relative).parts:
        return None
    base = Path(root) / relative
    for path in (base, base.with_suffix(".scss"), base.with_suffix(".sass")):
        stamp = _stamp(path)
        if stamp is None:
            continue
        kept = _CSS_TEXTS.get(path)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        try:
            data = read_regular(str(path), within=root, limit=MAX_CSS_BYTES)
        except OSError:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if len(_CSS_TEXTS) >= 64:
            _CSS_TEXTS.clear()
        _CSS_TEXTS[path] = (stamp, text)
        return text
    return None


#: Site style sheet path -> (its stat stamp, its text), as for layouts.
_CSS_TEXTS: dict[Path, tuple[tuple[int, int, int], str]] = {}


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _default_layout(root: str, relpath: str) -> str | None:
    """The layout ``_config.yml``'s ``defaults:`` give a file at ``relpath`` (the most
    specific matching ``scope.path`` wins, as in Jekyll)."""
    from naislint import jekyll

    defaults = jekyll.load(root).raw.get("defaults")
    best: tuple[int, str] | None = None
    for entry in defaults if isinstance(defaults, list) else []:
        if not isinstance(entry, dict):
            continue
        scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
        values = entry.get("values") if isinstance(entry.get("values"), dict) else {}
        layout = values.get("layout")
        if not isinstance(layout, str):
            continue
        path = str(scope.get("path") or "").strip("/")
        if path and relpath != path and not relpath.startswith(path + "/"):
            continue
        if best is None or len(path) >= best[0]:
            best = (len(path), layout)
    return best[1] if best else None


def _layout_prints_title(root: str, layout: str) -> str | None:
    """The layout file (in the chain from ``layout`` up) that prints ``page.title`` in an
    ``<h1>``, as ``_layouts/x.html``; ``None`` when none does or a file is missing."""
    found = _find_title_h1(root, layout)
    return found[0] if found else None


def _find_title_h1(root: str, layout: str) -> tuple[str, tuple[Target, ...]] | None:
    """The layout file that prints the title's ``<h1>`` (as :func:`_layout_prints_title`)
    and the elements a style sheet could hide it by: the ``<h1>`` and the elements of that
    layout around it that do not also hold ``{{ content }}``."""
    folder = Path(root) / "_layouts"
    seen: set[str] = set()
    name: Any = layout
    while isinstance(name, str) and _LAYOUT_NAME_RE.match(name) and name not in seen and len(seen) < 10:
        seen.add(name)
        path = next((p for p in (folder / f"{name}.html", folder / name) if p.is_file()), None)
        if path is None or not _inside(path, folder):
            return None
        text = _layout_text(path)
        if text is None:
            return None
        body = text
        parent = None
        if text.startswith("---"):
            close = text.find("\n---", 3)
            if close != -1:
                m = _LAYOUT_KEY_RE.search(text[3:close])
                parent = m.group(1) if m else None
                body = text[close + 4 :]
        m = _TITLE_H1_RE.search(body)
        if m:
            return f"_layouts/{path.name}", _around(body, m.start())
        name = parent
    return None


_CONTENT_RE = re.compile(r"\{\{-?\s*content\b")
_CLASS_WORD_RE = re.compile(r"^[\w-]+$")


def _around(body: str, at: int) -> tuple[Target, ...]:
    """The element starting at ``at`` (the title's ``<h1>``) and the elements open
    around it, leaving out those that also hold the page's content (hiding one of those
    hides the page, not only its title). Classes written with Liquid are not known."""
    from naislint.page.html import tokenize

    start = next((t for t in tokenize(body) if t.kind == "start" and t.start == at), None)
    if start is None:
        return ()
    content = _CONTENT_RE.search(body)
    holding_content = _open_at(body, content.start()) if content else {}
    around = _open_at(body, at)
    targets = [Target(start.name, _classes(start))]
    targets.extend(Target(tag.name, _classes(tag)) for offset, tag in around.items() if offset not in holding_content)
    return tuple(t for t in targets if t.classes)


def _classes(tag: "HtmlTag") -> frozenset[str]:
    cls = tag.attr("class")
    words = (cls.value or "").split() if cls is not None else []
    return frozenset(w for w in words if _CLASS_WORD_RE.match(w))


def _open_at(body: str, offset: int) -> "dict[int, HtmlTag]":
    """The start tags of the elements open at ``offset`` of a layout, by offset."""
    from naislint.page.html import VOID_ELEMENTS, tokenize

    stack: list[HtmlTag] = []
    for tag in tokenize(body[:offset]):
        if not tag.name or tag.kind not in ("start", "end") or tag.name in VOID_ELEMENTS:
            continue
        if tag.kind == "start":
            stack.append(tag)
            continue
        for i in range(len(stack) - 1, -1, -1):
            if stack[i].name == tag.name:
                del stack[i:]
                break
    return {tag.start: tag for tag in stack}


#: Layout path -> (its stat stamp, its text): a layout is read once, and again when it
#: changes (an editor's session outlives many edits of a layout).
_LAYOUT_TEXTS: dict[Path, tuple[tuple[int, int, int], str]] = {}


def _layout_text(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    kept = _LAYOUT_TEXTS.get(path)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if len(_LAYOUT_TEXTS) >= 256:
        _LAYOUT_TEXTS.clear()
    _LAYOUT_TEXTS[path] = (stamp, text)
    return text


def _inside(path: Path, folder: Path) -> bool:
    """A layout reached through a symlink must stay inside the site's ``_layouts``."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return False
