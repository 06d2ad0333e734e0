"""The stretches of a page no fix may edit, and the check every fix passes before it applies.

A fix is computed by a rule from what the rule understands of the page, and a rule that
reads ``doc.prose`` (code and comments blanked out) can produce an edit that reaches into
text it never saw. Rather than trusting every rule to get this right, one rule holds for
all of them: an edit may not fall inside

- a code block (fenced or indented, from the parser's tokens) or a code span (also one
  in an HTML element whose content kramdown reads as markdown, ``markdown="1"``);
- a Liquid tag or output (``{% ... %}``, ``{{ ... }}``) or a region Liquid keeps as it is
  or treats as code (``{% raw %}...{% endraw %}``, ``{% comment %}``,
  ``{% highlight %}``): Jekyll evaluates these before markdown, so a changed byte can
  break the build or change what the tag produces;
- an HTML comment (suppression comments live there);
- a backslash escape (``\\[``, ``\\&``): removing or splitting one makes markup of text
  the author escaped on purpose. (An unsafe fix, applied only on request, may replace a
  whole escape: making escaped text markup is what ``pseudo-list``'s fix is for.)

An edit that touches such a stretch (a replacement that overlaps it, or an insertion
strictly inside it) makes its whole fix unusable: the diagnostic stays, without a fix.
Insertions at a stretch's edge are allowed; they change no byte of it.

The stretches are computed once per document (``doc.memo``) from the body; front matter
is not markdown and is not covered here.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from typing import TYPE_CHECKING, Iterable, Iterator

from naislint.diagnostics import Diagnostic, Fix

if TYPE_CHECKING:
    from naislint.page.document import Document
    from naislint.page.text import LineIndex

#: Liquid blocks whose body Liquid does not read as template text (``raw``, ``comment``)
#: or Jekyll shows as code (``highlight``); the body runs to the matching end tag.
LIQUID_BLOCK_RE = re.compile(r"\{%-?\s*(raw|comment|highlight)\b.*?-?%\}", re.DOTALL)
#: Any Liquid tag or output. Liquid's own lexer ends a tag at the first ``%}`` / ``}}``,
#: quotes or not, and so does this.
LIQUID_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
LIQUID_OPEN_RE = re.compile(r"\{[{%]")
HTML_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
#: A backslash before ASCII punctuation: an escape in CommonMark and kramdown.
ESCAPE_RE = re.compile(r"\\[!-/:-@\[-`{-~]")


class _Stretches:
    """Sorted, non-overlapping ``[start, end)`` offsets, searched by bisection."""

    __slots__ = ("starts", "ends")

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(r for r in ranges if r[1] > r[0]):
            if self.ends and start < self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)  # overlapping: one stretch
            else:
                self.starts.append(start)
                self.ends.append(end)

    def crosses(self, start: int, end: int) -> bool:
        """``[start, end)`` overlaps a stretch, or (empty) inserts strictly inside one."""
        i = bisect.bisect_right(self.ends, start)
        return i < len(self.starts) and self.starts[i] < max(start, end)

    def splits(self, start: int, end: int) -> bool:
        """An end of ``[start, end)`` falls strictly inside a stretch."""
        return any(self._inside(at) for at in (start, end))

    def _inside(self, at: int) -> bool:
        i = bisect.bisect_right(self.starts, at) - 1
        return i >= 0 and self.starts[i] < at < self.ends[i]


class Protected:
    """The protected stretches of one document: code, Liquid and comments, and escapes.

    Offsets are in the document's newline-normalised text; :meth:`allows` takes fixes,
    whose spans (lines and columns) mean the same in the file's own text whatever its
    line endings, so the fixer can ask about the text it edits.

    Escapes differ in one way: an *unsafe* fix (applied only on request) may remove or
    replace a whole escape, because turning escaped text into markup is what some unsafe
    fixes are for (``2\\.`` made a list marker by ``pseudo-list``); splitting an escape, or
    any safe fix touching one, is refused.
    """

    __slots__ = ("index", "hard", "escapes")

    def __init__(self, index: "LineIndex", hard: Iterable[tuple[int, int]],
                 escapes: Iterable[tuple[int, int]] = ()) -> None:
        self.index = index
        self.hard = _Stretches(hard)
        self.escapes = _Stretches(escapes)

    def __len__(self) -> int:
        return len(self.hard.starts) + len(self.escapes.starts)

    def crosses_offsets(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` touches any protected text (the rule for safe fixes)."""
        return self.hard.crosses(start, end) or self.escapes.crosses(start, end)

    def allows(self, fix: Fix) -> bool:
        """A fix is usable only when none of its edits touches protected text."""
        index = self.index
        for edit in fix.edits:
            span = edit.span
            start = index.offset(span.line, span.column)
            end = max(start, index.offset(span.end_line, span.end_column))
            if self.hard.crosses(start, end):
                return False
            if self.escapes.crosses(start, end) and (fix.safe or self.escapes.splits(start, end)):
                return False
        return True

    def ranges(self) -> list[tuple[int, int]]:
        """Every protected stretch, in order (for tests and debugging)."""
        return sorted([*zip(self.hard.starts, self.hard.ends), *zip(self.escapes.starts, self.escapes.ends)])


def protected_regions(doc: "Document") -> Protected:
    """The protected stretches of ``doc`` (computed once per document)."""

    def compute() -> Protected:
        text = doc.text
        escapes = ESCAPE_RE.finditer(text, doc.body_start) if "\\" in text else ()
        return Protected(doc.index, _ranges(doc), (m.span() for m in escapes))

    return doc.memo("protected", compute)


def _ranges(doc: "Document") -> Iterator[tuple[int, int]]:
    """Code blocks and spans, HTML comments and Liquid of the body."""
    from naislint.page.document import code_span_ranges

    text = doc.text
    body = doc.body_start
    index = doc.index
    scanned: set[tuple[int, int]] = set()
    for token in doc.tokens:
        if token.type in ("fence", "code_block") and token.map:
            yield index.line_start(token.map[0] + 1), index.line_end(token.map[1])
        elif token.type == "inline" and token.map and "`" in token.content:
            key = (token.map[0], token.map[1])
            if key in scanned:
                continue  # table cells share their row's lines
            scanned.add(key)
            src = doc.source_of(token)
            for a, b in code_span_ranges(src.text):
                yield src.start + a, src.start + b
    if "`" in text and "<" in text:
        from naislint.page.literal import markdown_code_spans

        yield from markdown_code_spans(doc)  # code spans of markdown="1" content
    if "<!--" in text:
        yield from (m.span() for m in HTML_COMMENT_RE.finditer(text, body))
    if "{" in text:
        yield from _liquid_ranges(text, body)


def _liquid_ranges(text: str, start: int) -> Iterator[tuple[int, int]]:
    """Liquid tags and outputs, and the whole of raw/comment/highlight blocks.

    An opening ``{{``/``{%`` that is never closed makes the rest of the page Liquid's
    problem (Jekyll stops with a syntax error): all of it is protected.
    """
    pos = start
    while True:
        m = LIQUID_OPEN_RE.search(text, pos)
        if m is None:
            return
        at = m.start()
        block = LIQUID_BLOCK_RE.match(text, at)
        if block is not None:
            name = block.group(1)
            close = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}").search(text, block.end())
            end = close.end() if close is not None else len(text)
            yield at, end
            pos = end
            continue
        tag = LIQUID_RE.match(text, at)
        if tag is None:
            yield at, len(text)
            return
        yield at, tag.end()
        pos = tag.end()


class LiquidRegions:
    """The Liquid of a page body: tags, outputs and whole raw/comment/highlight blocks,
    in order, for the rules that must not read Liquid as markdown or HTML."""

    __slots__ = ("starts", "ends", "blocks")

    def __init__(self, text: str, start: int) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        #: Whether each region is a raw/comment/highlight block (its body is no page text).
        self.blocks: list[bool] = []
        if "{" not in text:
            return
        for a, b in _liquid_ranges(text, start):
            self.starts.append(a)
            self.ends.append(b)
            self.blocks.append(LIQUID_BLOCK_RE.match(text, a) is not None)

    def hides(self, offset: int) -> bool:
        """Whether text at ``offset`` is Liquid's, not the page's: inside a raw, comment
        or highlight block, or inside a tag or output that began before it (a URL or a
        tag written in ``{% include x.html a="<b>" %}``). A destination that *starts* with
        ``{{``/``{%`` is the page's: the link rules read it as a Liquid destination."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0 or offset >= self.ends[i]:
            return False
        return self.blocks[i] or offset > self.starts[i]


def liquid_regions(doc: "Document") -> LiquidRegions:
    """The Liquid regions of ``doc``'s body (computed once per document)."""
    return doc.memo("protected.liquid", lambda: LiquidRegions(doc.text, doc.body_start))


def guard_fixes(doc: "Document", diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``diagnostics`` with every fix that would edit protected text taken away.

    The diagnostics stay (the problem is real, only the automatic edit is not safe);
    without a fix they are reported, and counted, as not fixable.
    """
    if not any(d.fix is not None for d in diagnostics):
        return diagnostics
    protected = protected_regions(doc)
    if not protected:
        return diagnostics
    return [d if d.fix is None or protected.allows(d.fix) else dataclasses.replace(d, fix=None)
            for d in diagnostics]
