"""NL408 nbsp-entity: ``&nbsp;`` that makes the page look wrong: a stray space, a double gap.

Judged on the page the browser shows. Reported (each a warning, at its ``&``):

* a **stray space at the start of the text**: a single ``&nbsp;`` that starts a line, or
  the text of an element (``<p>&nbsp;They``, ``<br>&nbsp;Text``,
  ``<p><b><span>&nbsp;Name``), or just inside bold text after a space;
* a **double gap**: a single ``&nbsp;`` glued to bold text or an inline tag with a space on
  its other side (``word &nbsp;<b>``, ``</a>&nbsp; word``);
* a **wide gap inside the text**: a run of two or more between words
  (``Eligibility&nbsp;&nbsp;&nbsp;criteria``).

Left alone by default, as layout the author made on purpose (the ``layout`` option reports
them): runs that indent a line or an element's text (``&nbsp; &nbsp; &nbsp;**General**``),
runs that pad the end of a line or fill it (``<th>&nbsp;&nbsp;&nbsp;<br>Criteria``,
``criteria&nbsp;&nbsp;&nbsp;</th>``), runs that align a table cell's text
(``$&nbsp;&nbsp;&nbsp;&nbsp;20,000``), and ``&nbsp;`` set between two elements
(``</a>&nbsp; <a class="button">``, a row of buttons).

Never reported: ``10&nbsp;km`` and other uses between two words or after punctuation
(``Placemaking.&nbsp;With``, ``9.&nbsp;Establish``, ``a&nbsp;\\-&nbsp;b``); a single
``&nbsp;`` at the end of a line or of an element's text (``done.&nbsp;</p>``); a lone
``&nbsp;`` as the whole content of a line or an element (``<td>&nbsp;</td>``, a spacer
paragraph); ``**a**&nbsp;**b**``, which is ``split-emphasis``.

A single ``&nbsp;`` glued to emphasis or a tag with a word right on its other side
(``attracting&nbsp;**AI programmes**&nbsp;to``, ``see&nbsp;<a href>``) shows as a plain
space: the CMS's converter writes it around every bold phrase and link, and it changes
nothing a reader sees. A page littered with them (``glued-min``, 10 by default) gets one
report, with their count and every fix, at ``info``; ``glued: false`` turns it off.

A single ``&nbsp;`` at the start of a table cell's text (``<td><p><span>&nbsp;Neo Kah
Kiat Arts Award``, from a Word table) indents a short label by one space inside the cell's
padding: laid out, not a defect (the ``layout`` option reports it).

The safe fix makes each one a plain space (a run becomes one space, a stray or indenting
one is removed); no fix is offered where a space would break the emphasis
(``**&nbsp;bold**``) or where removing indentation would start a list or heading.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.page.document import Document
from naislint.page.html import page_tags
from naislint.page.html import HtmlTag
from naislint.registry import Rule, RuleContext

_ENTITY = r"(?:&nbsp;|&#160;|&#[xX][aA]0;)"
NBSP_RUN_RE = re.compile(rf"{_ENTITY}(?:[ \t]*{_ENTITY})*")
ENTITY_RE = re.compile(_ENTITY)
#: Tags that sit inside a line of text (any other tag, ``<br>`` included, starts or ends one).
INLINE_TAGS = frozenset(
    "a abbr b big cite code del dfn em font i img ins kbd mark q s samp small span strike strong "
    "sub sup time tt u var".split()
)
#: End tags, comments and spaces only: what is left of a line after a trailing ``&nbsp;``
#: (``done:&nbsp;</strong></p>``, ``Join now</a>&nbsp; </center>``).
_TRAILING_RE = re.compile(r"(?:\s|</[A-Za-z][^>]*>|<br\s*/?>|<!--.*?-->)*")
#: What comes before a line's text: indentation, blockquote markers and a list item's
#: marker (``> &nbsp;&nbsp;App:`` and ``- &nbsp;&nbsp;Item`` are indented text).
_CONTAINER_RE = re.compile(r"[ \t]*(?:>[ \t]*)*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?")
_BLOCK_START_RE = re.compile(r"(?:#{1,6}(?:\s|$)|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|>|=+\s*$|-+\s*$|\|)")


class _Tags:
    """Tag boundaries of the page, for adjacency and 'inside a tag' questions."""

    def __init__(self, doc: Document) -> None:
        tags = [t for t in page_tags(doc) if t.kind in ("start", "end", "startend")]
        self.starts = sorted(t.start for t in tags)
        self.by_start = {t.start: t for t in tags}
        self.by_end = {t.end: t for t in tags}
        self.ranges = sorted((t.start, t.end) for t in tags)
        self.range_starts = [r[0] for r in self.ranges]

    def inside(self, offset: int) -> bool:
        i = bisect.bisect_right(self.range_starts, offset) - 1
        return i >= 0 and self.ranges[i][0] < offset < self.ranges[i][1]


def _delimiter_before(prose: str, s: int) -> tuple[int, int] | None:
    """The ``*``/``_`` run ending at ``s``: (start, end)."""
    i = s
    while i > 0 and prose[i - 1] in "*_":
        i -= 1
    return (i, s) if i < s else None


def _delimiter_after(prose: str, e: int) -> tuple[int, int] | None:
    j = e
    while j < len(prose) and prose[j] in "*_":
        j += 1
    return (e, j) if j > e else None


def _runs(text: str, prose: str) -> Iterator[re.Match[str]]:
    """Runs of entities in the real text that start in prose and are not escaped.

    Runs are matched in ``text``: in ``prose`` a code span between two entities is blank
    and would join them into one run. A run cannot reach into code or a comment (it holds
    only entities, spaces and tabs), so a run whose start is prose is prose. ``\\&nbsp;``
    is the literal text "&nbsp;": its run starts after it.
    """
    pos = 0
    while True:
        m = NBSP_RUN_RE.search(text, pos)
        if m is None:
            return
        s = m.start()
        if prose[s] != "&":
            pos = m.end()  # inside code, a comment or front matter
            continue
        slashes = 0
        while s - slashes > 0 and text[s - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2:
            pos = s + 1  # an escaped entity is text; what follows it may be a run
            continue
        yield m
        pos = m.end()


#: What a finding of :func:`_each` is: a defect on the page (always reported), spacing laid
#: out on purpose (the ``layout`` option), or a converter's glued ``&nbsp;`` that shows as a
#: plain space (the ``glued`` option).
DEFECT, LAYOUT, GLUED = "defect", "layout", "glued"


@dataclass(frozen=True)
class Options:
    #: Also report ``&nbsp;`` laid out on purpose: runs that indent a line, pad or fill a
    #: line, align a table cell's text, and spacing between two elements.
    layout: bool = False
    #: Report, once per page at info, the single ``&nbsp;`` glued to bold text or a tag
    #: between two words: it shows as a plain space, but it is the CMS converter's
    #: leftover that keeps the words from wrapping, and one safe fix removes them all.
    glued: bool = True
    #: The fewest glued ``&nbsp;`` that make the glued report: a page with a couple
    #: shows nothing and nobody acts on it; one littered with them (the converter's
    #: output, 31 on the mission page) is worth one cleanup.
    glued_min: int = 10


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    """The findings of :func:`_each` the options ask for, with the glued ones between
    words folded into one report at the first, which carries all of their fixes."""
    options = options if options is not None else Options()
    glued: list[Finding] = []
    for kind, finding in _each(doc):
        if kind == GLUED:
            if options.glued:
                glued.append(finding)
        elif kind == DEFECT or options.layout:
            yield finding
    if not glued or len(glued) < max(options.glued_min, 1):
        return
    edits = tuple(edit for finding in glued if finding.fix is not None for edit in finding.fix.edits)
    count = len(glued)
    what = "an &nbsp;" if count == 1 else f"{count} &nbsp; (this is the first)"
    yield Finding(
        glued[0].span,
        f"{what} glued to bold text or a tag between two words, as the CMS's converter writes it: "
        "it shows as a plain space; use plain spaces when editing the page",
        fix=Fix(edits, safe=True) if edits else None,
        severity=Severity.INFO,
    )


class _Line:
    """The line of the page around an ``&nbsp;``, seen through what shows nothing there:
    spaces, tags (an inline tag does not start a new line of text, a block tag or
    ``<br>`` does), comments and emphasis markers."""

    def __init__(self, text: str, prose: str, tags: _Tags, start: int, end: int, first_text: int) -> None:
        self.text = text
        self.prose = prose
        self.tags = tags
        self.start = start
        self.end = end
        self.first_text = first_text

    def starts_text(self, s: int) -> bool:
        """Whether nothing visible comes before ``s`` on its line of the page: back to the
        line's first text, a block tag or a ``<br>``, only spaces, inline start tags and
        opening emphasis markers (``<p><b><span>&nbsp;Name``, ``**&nbsp;Name**``)."""
        i = s
        while i > self.start:
            if self.text[i - 1] in " \t" or self.prose[i - 1] in "*_":
                i -= 1
                continue
            tag = self.tags.by_end.get(i)
            if tag is None:
                break
            if tag.name not in INLINE_TAGS:
                return True
            if tag.kind != "start":
                return False
            i = tag.start
        return i <= self.first_text

    def ends_text(self, e: int) -> bool:
        """Whether nothing visible follows ``e`` on its line of the page: up to the line's
        end, a block tag or a ``<br>``, only spaces, inline end tags and comments
        (``criteria&nbsp;&nbsp;&nbsp;</th>``, ``&nbsp;&nbsp;<br>``)."""
        j = e
        while j < self.end:
            if self.text[j] in " \t":
                j += 1
                continue
            if self.text.startswith("<!--", j):
                close = self.text.find("-->", j, self.end)
                if close == -1:
                    return True
                j = close + 3
                continue
            tag = self.tags.by_start.get(j)
            if tag is None:
                return False
            if tag.name not in INLINE_TAGS:
                return True
            if tag.kind != "end":
                return False
            j = tag.end
        return True

    def tag_before(self, s: int) -> "HtmlTag | None":
        """The tag that ends right before ``s``, or before the spaces there."""
        i = s
        while i > self.start and self.text[i - 1] in " \t":
            i -= 1
        return self.tags.by_end.get(i)

    def tag_after(self, e: int) -> "HtmlTag | None":
        """The tag that starts right after ``e``, or after the spaces there."""
        j = e
        while j < self.end and self.text[j] in " \t":
            j += 1
        return self.tags.by_start.get(j)

    def beside_space(self, s: int, e: int) -> bool:
        """Whether the character shown next to ``s:e`` on either side, looking through
        tags and emphasis markers, is a space: it and the ``&nbsp;`` show as a double gap."""
        i = s
        while i > self.start:
            tag = self.tags.by_end.get(i)
            if tag is not None:
                i = tag.start
            elif self.prose[i - 1] in "*_":
                i -= 1
            else:
                break
        j = e
        while j < self.end:
            tag = self.tags.by_start.get(j)
            if tag is not None:
                j = tag.end
            elif self.prose[j] in "*_":
                j += 1
            else:
                break
        return (i > self.start and self.text[i - 1] in " \t") or (j < self.end and self.text[j] in " \t")


def _table_cells(doc: Document) -> list[tuple[int, int]]:
    """Where the page's table cells are: the content of each HTML ``<td>``/``<th>`` with an
    end tag, and the lines of each markdown table. Sorted, possibly nested."""
    from naislint.page.html import structure

    cells = [(el.start.end, el.end.start) for el in structure(doc).elements
             if el.name in ("td", "th") and el.end is not None]
    index = doc.index
    for token in doc.tokens:
        if token.type == "table_open" and token.map:
            cells.append((index.line_start(token.map[0] + 1), index.line_end(token.map[1])))
    cells.sort()
    return cells


def _in_cell(cells: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` is inside one of ``cells`` (ranges nest: an outer cell that
    starts long before may still hold it, so every range that starts before is asked)."""
    k = bisect.bisect_right(cells, (offset, 1 << 62))
    return any(a <= offset < b for a, b in cells[:k])


def _each(doc: Document) -> Iterator[tuple[str, Finding]]:
    """Every ``&nbsp;`` worth a word, with its kind (:data:`DEFECT`, :data:`LAYOUT` or
    :data:`GLUED`): the rule reports the defects, and the others when asked to."""
    # Entities are found in ``prose`` (never in code or comments), but what stands around
    # them, and so every edit's extent, is read from the real ``text``: in ``prose`` a
    # code span is blank, and an edit that swallowed "whitespace" there deleted the code.
    prose = doc.prose
    text = doc.text
    if "&" not in prose:
        return
    tags: _Tags | None = None  # built at the first match: most pages have none
    cells: list[tuple[int, int]] | None = None
    first_text: dict[int, int] = {}
    for m in _runs(text, prose):
        s, e = m.start(), m.end()
        if tags is None:
            tags = _Tags(doc)
        if tags.inside(s):
            continue
        count = len(ENTITY_RE.findall(m.group(0)))
        line = doc.position(s)[0]
        line_start = doc.index.line_start(line)
        line_end = doc.index.line_end(line)
        if line not in first_text:
            container = _CONTAINER_RE.match(text, line_start, line_end)
            first_text[line] = container.end() if container is not None else line_start
        here = _Line(text, prose, tags, line_start, line_end, first_text[line])
        # Only the start of what follows matters; a bounded window keeps long lines linear.
        after = text[e : min(line_end, e + 400)]
        at_line_start = first_text[line] >= s
        entity = ENTITY_RE.match(text, s)
        span = doc.span(s, s + len(entity.group(0)) if entity is not None else e)
        if e + len(after) == line_end and _TRAILING_RE.fullmatch(after):
            if count >= 2 and not at_line_start:
                # a run at the end of a line: drop it with the spaces before it
                a = s
                while a > line_start and text[a - 1] in " \t":
                    a -= 1
                yield LAYOUT, Finding(span, f"{count} &nbsp; in a row pad the end of the line: remove them",
                                      fix=Fix((Edit(doc.span(a, e), ""),), safe=True))
            elif count >= 2:
                yield LAYOUT, Finding(span, f"{count} &nbsp; in a row used as a blank line: leave a real blank line or use CSS")
            continue
        if at_line_start:
            rest = after.lstrip(" \t")
            fix = None
            if not _BLOCK_START_RE.match(rest):
                end = e + (len(after) - len(rest))
                fix = Fix((Edit(doc.span(s, end), ""),), safe=True)
            if count > 1:
                yield LAYOUT, Finding(span, f"{count} &nbsp; used as indentation: indent with markdown or CSS, not spaces",
                                      fix=fix)
            else:
                yield DEFECT, Finding(span, "&nbsp; at the start of the line shows as a stray space before the text: "
                                            "remove it", fix=fix)
            continue
        starts, ends = here.starts_text(s), here.ends_text(e)
        if count >= 2:
            a, b = s, e
            while a > line_start and text[a - 1] in " \t":
                a -= 1
            while b < line_end and text[b] in " \t":
                b += 1
            one_space = Fix((Edit(doc.span(a, b), " "),), safe=True)
            if ends:
                yield LAYOUT, Finding(span, f"{count} &nbsp; in a row pad a line of text (before a line break or "
                                            "the element's end): remove them",
                                      fix=Fix((Edit(doc.span(a, e), ""),), safe=True))
            elif starts:
                yield LAYOUT, Finding(span, f"{count} &nbsp; used as indentation: indent with CSS, not spaces",
                                      fix=one_space)
            else:
                if cells is None:
                    cells = _table_cells(doc)
                if _in_cell(cells, s):
                    yield LAYOUT, Finding(span, f"{count} &nbsp; in a row align the text of a table cell: "
                                                "use CSS (text-align, padding)", fix=one_space)
                elif here.tag_before(s) is not None and here.tag_after(e) is not None:
                    yield LAYOUT, Finding(span, f"{count} &nbsp; in a row set two elements apart: use CSS margins",
                                          fix=one_space)
                else:
                    yield DEFECT, Finding(span, f"{count} &nbsp; in a row make a wide gap in the text: use one space",
                                          fix=one_space)
            continue
        # a single &nbsp; inside a line
        if ends:
            continue  # the end of a line's text (or all of it: <td>&nbsp;</td>): invisible
        if starts:
            if cells is None:
                cells = _table_cells(doc)
            # a one-space indent of a table cell's label is lost in the cell's padding
            kind = LAYOUT if _in_cell(cells, s) else DEFECT
            yield kind, Finding(span, "&nbsp; at the start of the text shows as a stray space before it: remove it",
                                fix=Fix((Edit(doc.span(s, e), ""),), safe=True))
            continue
        tag_before = tags.by_end.get(s)
        tag_after = tags.by_start.get(e)
        delim_before = _delimiter_before(prose, s)
        delim_after = _delimiter_after(prose, e)
        if not (tag_before or tag_after or delim_before or delim_after):
            continue  # between words or after punctuation: a real non-breaking space
        if delim_before and delim_after:
            continue  # **a**&nbsp;**b**: split-emphasis reports it
        safe = True
        if delim_before:
            ds, _ = delim_before
            # an opening run (after a space or at line start) puts the nbsp inside the emphasis
            if ds == line_start or prose[ds - 1].isspace():
                safe = False
        if delim_after:
            _, de = delim_after
            if de >= line_end or prose[de].isspace():
                safe = False
        fix = Fix((Edit(doc.span(s, e), " "),), safe=True) if safe else None
        beside = tag_before or tag_after
        glued = "bold or italic text" if (delim_before or delim_after) or beside is None else f"a <{beside.name}> tag"
        near_before, near_after = here.tag_before(s), here.tag_after(e)
        if (near_before is not None and near_before.kind == "end" and near_after is not None
                and near_after.kind != "end" and (tag_before is None or tag_after is None)):
            # </a>&nbsp; <a class="button">: the author's gap between two elements
            yield LAYOUT, Finding(span, "&nbsp; and a space set two elements apart: use CSS margins", fix=fix)
        elif here.beside_space(s, e):
            yield DEFECT, Finding(span, f"&nbsp; glued to {glued} beside a space: the two show as a double gap; "
                                        "use one plain space", fix=fix)
        elif safe:
            yield GLUED, Finding(span, f"&nbsp; glued to {glued} between two words", fix=fix)
        else:
            yield DEFECT, Finding(span, f"&nbsp; just inside {glued}: it shows as a space inside the emphasis; "
                                        "use a plain space outside it", fix=fix)


def check_in_renderer(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    """:func:`check`, saying so when kramdown prints the markdown around a finding
    literally (a raw ``<div>`` that holds markdown).

    The browser still turns the entity into a space there, so the finding and its fix
    stand. The note is added only where ``visible-markup`` finds markdown in the region:
    a raw region of pure HTML shows nothing literally, and saying so would send the
    editor looking for markup that is not there.
    """
    from naislint.page import literal
    from naislint.rules.visible_markup import page_region_markdown

    holds_markdown: dict[int, bool] = {}
    for finding in check(doc, ctx, options):
        region = literal.region_at(doc, doc.index.offset(finding.span.line, finding.span.column))
        if region is not None and region.start not in holds_markdown:
            holds_markdown[region.start] = bool(page_region_markdown(doc, region))
        if region is None or not holds_markdown[region.start]:
            yield finding
        else:
            yield replace(finding, message=f"{finding.message}; {literal.describe(doc, region)}")


RULE = Rule(
    code="NL408",
    name="nbsp-entity",
    summary="&nbsp; that shows as a stray space or a double gap; layout spacing on request",
    check=check_in_renderer,
    default_severity=Severity.WARNING,
    fixable=True,
    options=Options,
)
