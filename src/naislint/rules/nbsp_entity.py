"""NL408 nbsp-entity: ``&nbsp;`` used for layout instead of as a non-breaking space.

Which ``&nbsp;`` are defects (everything else is left alone):

* a **run** of two or more (``&nbsp;&nbsp;``, ``&nbsp; &nbsp;``): spacing for layout;
* **indentation**: ``&nbsp;`` that starts a line, before text, or starts the text of a
  block element (``<p>&nbsp;Text``, ``<br>&nbsp;Text``);
* **glued to emphasis or an inline tag**, as a converter writes it: ``word&nbsp;**bold**``,
  ``**bold**&nbsp;word``, ``</b>&nbsp;word``, ``word&nbsp;<a href>``.

Not defects: ``10&nbsp;km`` and other uses between two words or after punctuation
(``Placemaking.&nbsp;With``, ``9.&nbsp;Establish``, ``a&nbsp;\\-&nbsp;b``); an ``&nbsp;``
at the end of a line or of a block element's text, even inside closing tags
(``done.&nbsp;</p>``, ``phone:&nbsp;</strong></p>``); a lone ``&nbsp;`` as the whole content of a line or an element
(``<td>&nbsp;</td>``, a spacer paragraph); ``**a**&nbsp;**b**``, which is
``split-emphasis``. The safe fix makes each one a plain space (a run becomes one space,
indentation is removed); no fix is offered where a space would break the emphasis
(``**&nbsp;bold**``) or where removing indentation would start a list or heading.

A single ``&nbsp;`` glued to emphasis or a tag with a word right on its other side
(``attracting&nbsp;**AI programmes**&nbsp;to``, ``see&nbsp;<a href>``) shows as a
plain space and only keeps two words on one line: the CMS's converter writes it around
every bold phrase and link, and it changes nothing a reader sees. Those are one report
per page, with their count and every fix, at ``info``; runs, indentation and the glued
ones beside another space stay one warning each.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.page.html import HtmlTag, page_tags
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

_ENTITY = r"(?:&nbsp;|&#160;|&#[xX][aA]0;)"
NBSP_RUN_RE = re.compile(rf"{_ENTITY}(?:[ \t]*{_ENTITY})*")
ENTITY_RE = re.compile(_ENTITY)
#: Tags that sit inside a line of text; an ``&nbsp;`` glued to one is a converter's.
INLINE_TAGS = frozenset(
    "a abbr b big cite code del dfn em font i img ins kbd mark q s samp small span strike strong "
    "sub sup time tt u var".split()
)
#: End tags, comments and spaces only: what is left of a line after a trailing ``&nbsp;``
#: (``done:&nbsp;</strong></p>``, ``Join now</a>&nbsp; </center>``).
_TRAILING_RE = re.compile(r"(?:\s|</[A-Za-z][^>]*>|<br\s*/?>|<!--.*?-->)*")
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


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    """The findings of :func:`_each`, with the glued ones between words (marked ``info``
    there) folded into one report at the first, which carries all of their fixes."""
    glued: list[Finding] = []
    for finding in _each(doc):
        if finding.severity is Severity.INFO:
            glued.append(finding)
        else:
            yield finding
    if not glued:
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


def _between_words(text: str, s: int, e: int, tag_before: HtmlTag | None, tag_after: HtmlTag | None) -> bool:
    """Whether the single ``&nbsp;`` at ``s:e`` stands between two visible words, outside
    the element it is glued to (``word&nbsp;<a>``, ``</b>&nbsp;word``): it then shows as
    a plain space. Not so next to another space, at the start of an element's text
    (``<span>&nbsp;Name``: indentation), or at its end."""
    if s == 0 or e >= len(text) or text[s - 1].isspace() or text[e].isspace():
        return False
    if tag_before is not None and tag_before.kind != "end":
        return False
    if tag_after is not None and tag_after.kind == "end":
        return False
    return True


def _each(doc: Document) -> Iterator[Finding]:
    # Entities are found in ``prose`` (never in code or comments), but what stands around
    # them, and so every edit's extent, is read from the real ``text``: in ``prose`` a
    # code span is blank, and an edit that swallowed "whitespace" there deleted the code.
    prose = doc.prose
    text = doc.text
    if "&" not in prose:
        return
    tags: _Tags | None = None  # built at the first match: most pages have none
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
            stripped = text[line_start:line_end]
            first_text[line] = line_start + len(stripped) - len(stripped.lstrip())
        # Only the start of what follows matters; a bounded window keeps long lines linear.
        after = text[e : min(line_end, e + 400)]
        before = "" if first_text[line] >= s else "x"
        entity = ENTITY_RE.match(text, s)
        assert entity is not None  # a run starts with an entity
        span = doc.span(s, s + len(entity.group(0)))
        if e + len(after) == line_end and _TRAILING_RE.fullmatch(after):
            if count >= 2 and before.strip():
                # a run at the end of a line: drop it with the spaces before it
                a = s
                while a > line_start and text[a - 1] in " \t":
                    a -= 1
                yield Finding(span, f"{count} &nbsp; in a row used as spacing at the end of the text",
                              fix=Fix((Edit(doc.span(a, e), ""),), safe=True))
            elif count >= 2:
                yield Finding(span, f"{count} &nbsp; in a row used as a blank line: leave a real blank line or use CSS")
            continue
        if not before.strip():
            rest = after.lstrip(" \t")
            fix = None
            if not _BLOCK_START_RE.match(rest):
                end = e + (len(after) - len(rest))
                fix = Fix((Edit(doc.span(s, end), ""),), safe=True)
            what = f"{count} &nbsp;" if count > 1 else "&nbsp;"
            yield Finding(span, f"{what} used as indentation: indent with markdown or CSS, not spaces", fix=fix)
            continue
        if count >= 2:
            a, b = s, e
            while a > line_start and text[a - 1] in " \t":
                a -= 1
            while b < line_end and text[b] in " \t":
                b += 1
            yield Finding(span, f"{count} &nbsp; in a row used as spacing: use one space (or CSS)",
                          fix=Fix((Edit(doc.span(a, b), " "),), safe=True))
            continue
        # a single &nbsp; inside a line
        tag_before = tags.by_end.get(s)
        tag_after = tags.by_start.get(e)
        delim_before = _delimiter_before(prose, s)
        delim_after = _delimiter_after(prose, e)
        if tag_before and tag_before.name not in INLINE_TAGS:
            # after <p>, <td>, <br>: the nbsp starts a line of the page
            if tag_after and (tag_after.name not in INLINE_TAGS or tag_after.kind == "end"):
                continue  # the whole content of an element or a line: <td>&nbsp;</td>, <br>&nbsp;<br>
            yield Finding(span, f"&nbsp; used as indentation after <{tag_before.name}>: indent with CSS, not spaces",
                          fix=Fix((Edit(doc.span(s, e), ""),), safe=True))
            continue
        if tag_after and tag_after.name not in INLINE_TAGS:
            continue  # trailing, before </p>, </li>, <br>: invisible, harmless
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
        glued_tag = tag_before or tag_after
        glued = "bold or italic text" if (delim_before or delim_after) or glued_tag is None else f"a <{glued_tag.name}> tag"
        quiet = Severity.INFO if safe and _between_words(text, s, e, tag_before, tag_after) else None
        yield Finding(span, f"&nbsp; glued to {glued}, as a converter writes it: use a plain space", fix=fix,
                      severity=quiet)


def check_in_renderer(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    """:func:`check`, saying so when kramdown prints the line literally (a raw ``<div>``).

    The browser still turns the entity into a space there, so the finding and its fix
    stand; only the message adds that the markdown around it shows as typed.
    """
    from dataclasses import replace

    from naislint.page import literal

    for finding in check(doc, ctx, options):
        region = literal.region_at(doc, doc.index.offset(finding.span.line, finding.span.column))
        yield finding if region is None else replace(
            finding, message=f"{finding.message}; {literal.describe(doc, region)}")


RULE = Rule(
    code="NL408",
    name="nbsp-entity",
    summary="&nbsp; used as spacing between words or for indentation",
    check=check_in_renderer,
    default_severity=Severity.WARNING,
    fixable=True,
)
