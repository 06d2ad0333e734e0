"""Whether a page's layout prints the page title as the page's ``<h1>``.

A heading rule needs to know what the layout puts above the content. On an Isomer site
the theme comes from a remote gem, so naislint knows its layouts: every content page
(simple page, collection and sub-collection page, resource post) shows its title in an
``<h1>``; the homepage and the contact page do not. On another Jekyll site the layouts
are files in ``_layouts/``: the page's layout (from its front matter, else from the
``defaults:`` of ``_config.yml``) and the layouts it is wrapped in are read for an
``<h1>`` holding ``page.title``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from naislint.jekyll.pagekinds import PagePlace
    from naislint.page.document import Document

#: Isomer page kinds whose layout prints the title as ``<h1>``.
ISOMER_TITLE_KINDS = frozenset({"isomer-page", "isomer-collection-page", "isomer-subcollection-page", "isomer-post"})
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
        if kind in ISOMER_TITLE_KINDS:
            return f"the Isomer {pagekinds.KINDS[kind][1]} layout"
        return None
    if root is None:
        return None
    layout = doc.meta.get("layout")
    if not isinstance(layout, str) or not layout.strip():
        layout = _default_layout(root, place.relpath)
    if not layout:
        return None
    found = _layout_prints_title(root, layout.strip())
    return f"its layout '{layout.strip()}' ({found})" if found else None


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
        if _TITLE_H1_RE.search(body):
            return f"_layouts/{path.name}"
        name = parent
    return None


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
