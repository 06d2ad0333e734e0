"""Go to definition, find references and rename, on what the site index knows.

Everything here takes a page's text and a position in naislint's coordinates (1-based
line, code-point column) and answers with places in files of the site (:class:`Place`)
or with a :class:`naislint.site.moves.Plan` of edits; the server converts both to LSP.
What is at the cursor decides the answer:

- on a link: its target (definition), the links to that target (references);
- on a heading: the links to its id (references), a rename of its text;
- on the front matter ``permalink`` value: a rename of the page's URL;
- anywhere else in a page: the links to the page (references).

Plain Python (no pygls).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from naislint.site.references import LinkOccurrence, Reference, ReferenceIndex

if TYPE_CHECKING:
    from naislint.site.index import SiteIndex
    from naislint.site.moves import HeadingSpot, Plan


@dataclass(frozen=True, slots=True)
class Place:
    """A span of a file of the site (``rel`` from its root), naislint's positions."""

    rel: str
    line: int
    column: int
    end_line: int
    end_column: int


def is_data_file(rel: str) -> bool:
    from naislint.site.datalinks import DATA_FOLDER, DATA_SUFFIXES

    return rel.startswith(DATA_FOLDER + "/") and rel.lower().endswith(DATA_SUFFIXES)


def occurrences_in(refs: ReferenceIndex, rel: str, text: str) -> list[LinkOccurrence]:
    """The links of an open buffer (a page or a data file)."""
    from naislint.site.datalinks import DataFileLinks
    from naislint.site.references import PageLinks

    source = DataFileLinks() if is_data_file(rel) else PageLinks()
    return refs.occurrences(rel, source, text)


def _covers(occ: LinkOccurrence | Place, line: int, column: int) -> bool:
    return (occ.line, occ.column) <= (line, column) <= (occ.end_line, occ.end_column)


def link_at(refs: ReferenceIndex, rel: str, text: str, line: int, column: int) -> LinkOccurrence | None:
    for occ in occurrences_in(refs, rel, text):
        if _covers(occ, line, column):
            return occ
    return None


def heading_at(text: str, line: int) -> "HeadingSpot | None":
    from naislint.site.moves import headings_of

    for h in headings_of(text.replace("\r\n", "\n").replace("\r", "\n")):
        if h.line == line:
            return h
    return None


def definition(refs: ReferenceIndex, rel: str, text: str, line: int, column: int) -> Place | None:
    """Where the link at the cursor leads: the page (its first line), the heading or
    element of its fragment, or the file."""
    occ = link_at(refs, rel, text, line, column)
    if occ is None:
        return None
    ref = refs.reference(occ)
    if ref is None:
        return None
    target_text = text if ref.target == rel else refs.text_of(ref.target)
    if ref.fragment and target_text is not None and ref.target.lower().endswith((".md", ".markdown", ".html")):
        spot = anchor_place(ref.target, target_text, ref.fragment)
        if spot is not None:
            return spot
    return Place(ref.target, 1, 1, 1, 1)


def anchor_place(rel: str, text: str, anchor: str) -> Place | None:
    """The heading whose id is ``anchor``, or the element with that id, in a page."""
    from naislint.site.moves import headings_of

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for h in headings_of(text):
        if h.id == anchor:
            return Place(rel, h.line, h.column, h.line, h.end_column)
    m = re.search(r"""\b(?:id|name)\s*=\s*["']?""" + re.escape(anchor) + r"""(?=["'\s>/])""", text)
    if m is None:
        m = re.search(r"\{:?[^{}\n]*#" + re.escape(anchor) + r"[\s}]", text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return Place(rel, line, column, line, column + len(m.group(0)))


def references(refs: ReferenceIndex, rel: str, text: str, line: int, column: int,
               include_declaration: bool = False) -> list[Place]:
    """The links to what is at the cursor (see the module doc)."""
    found: list[Reference]
    declaration: Place | None = None
    heading = None if is_data_file(rel) else heading_at(text, line)
    occ = None if heading is not None else link_at(refs, rel, text, line, column)
    if heading is not None:
        found = refs.references(rel, heading.id)
        declaration = Place(rel, heading.line, heading.column, heading.line, heading.end_column)
    elif occ is not None:
        ref = refs.reference(occ)
        if ref is None:
            return []
        found = refs.references(ref.target, ref.fragment)
        if ref.fragment is None:
            found = [r for r in found if r.how != "fragment"]
    elif is_data_file(rel):
        return []
    else:
        found = [r for r in refs.references(rel) if r.how != "fragment"]
        declaration = Place(rel, 1, 1, 1, 1)
    places = [Place(r.occurrence.path, r.occurrence.line, r.occurrence.column, r.occurrence.end_line,
                    r.occurrence.end_column) for r in found]
    if include_declaration and declaration is not None:
        places.insert(0, declaration)
    return places


@dataclass(frozen=True, slots=True)
class Renamable:
    """What a rename at the cursor would change: ``kind`` is ``heading`` or
    ``permalink``; ``place`` the text an editor shows for editing, ``text`` that text."""

    kind: str
    place: Place
    text: str


def renamable(rel: str, text: str, line: int, column: int) -> Renamable | None:
    """What can be renamed at the cursor: a heading's text, or the permalink value."""
    from naislint.page import frontmatter

    norm = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_data_file(rel):
        return None
    fm = frontmatter.parse(norm)
    if fm is not None and fm.block.close_line is not None and line < fm.block.close_line:
        entry = fm.entries.get("permalink")
        if entry is None or fm.error is not None:
            return None
        span = entry.value_span
        if span.line != line or span.end_line != line or type(entry.node).__name__ != "ScalarNode":
            return None
        written = norm.split("\n")[line - 1][span.column - 1 : span.end_column - 1]
        start, end = span.column, span.end_column
        if written[:1] in ("'", '"') and written[-1:] == written[:1] and len(written) >= 2:
            start, end = start + 1, end - 1
        return Renamable("permalink", Place(rel, line, start, line, end), str(entry.node.value))
    heading = heading_at(norm, line)
    if heading is None:
        return None
    return Renamable("heading", Place(rel, heading.line, heading.column, heading.line, heading.end_column), heading.text)


def rename(refs: ReferenceIndex, rel: str, text: str, line: int, column: int, new_name: str) -> "Plan | None":
    """The plan of edits of a rename at the cursor (``None``: nothing to rename there)."""
    from naislint.site.moves import plan_heading_rename, plan_moves

    what = renamable(rel, text, line, column)
    if what is None:
        return None
    if what.kind == "heading":
        return plan_heading_rename(refs, rel, text, what.place.line, new_name)
    return plan_moves(refs, {}, {rel: new_name.strip()})


def moves_for(site: "SiteIndex", pairs: list[tuple[str, str]]) -> dict[str, str]:
    """File moves (rel paths) from renamed paths (absolute; a folder moves every file in
    it). Paths outside the site are left out."""
    moves: dict[str, str] = {}
    for old, new in pairs:
        old_rel = site.rel(old) if os.path.lexists(old) else _rel_of(site.root, old)
        new_rel = _rel_of(site.root, new)
        if old_rel is None or new_rel is None:
            continue
        if old_rel in site.all_files:
            moves[old_rel] = new_rel
            continue
        prefix = old_rel.rstrip("/") + "/"
        for rel in site.all_files:
            if rel.startswith(prefix):
                moves[rel] = new_rel.rstrip("/") + "/" + rel[len(prefix):]
    return moves


def _rel_of(root: str, path: str) -> str | None:
    """``path`` (which need not exist yet) relative to the site root, or ``None``."""
    rel = os.path.relpath(os.path.realpath(path), root)
    if rel == ".." or rel.startswith(".." + os.sep):
        return None
    return rel.replace(os.sep, "/")
