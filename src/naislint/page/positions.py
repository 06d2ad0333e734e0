"""Positions between naislint and an editor.

naislint counts 1-based lines and 1-based columns in code points over newline-normalised
text; LSP counts 0-based lines and columns in the negotiated encoding's code units
(UTF-16 unless client and server agree on UTF-8 or UTF-32). An emoji is one code point
but two UTF-16 units, so a page with emoji or CJK text before a defect would be
underlined in the wrong place if the numbers were passed through.

Everything here works on the editor's own buffer text (any line endings, perhaps a BOM),
through code-point offsets into that buffer, so that ``\\r\\n`` counts as one line break
the way both markdown-it and LSP count it. Pure Python: no pygls import.
"""

from __future__ import annotations

import bisect

from naislint.diagnostics import Span
from naislint.page.text import NEWLINE_RE

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units of ``encoding`` the string ``text`` takes."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def column_from_units(line: str, count: int, encoding: str = UTF16) -> int:
    """The code-point index in ``line`` at ``count`` code units (clamped to the line).

    A count that falls inside a character (half of a surrogate pair) rounds up past it,
    so a range never splits an emoji.
    """
    if count <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(count, len(line))
    seen = 0
    for index, ch in enumerate(line):
        if seen >= count:
            return index
        seen += units(ch, encoding)
    return len(line)


class LineTable:
    """Line starts of an editor buffer, and conversions to and from its positions."""

    __slots__ = ("text", "starts", "ends", "bom", "encoding")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        # A BOM is a character of the buffer for the editor, but not for naislint.
        self.bom = 1 if text.startswith("\ufeff") else 0
        starts = [0]
        ends = []
        for m in NEWLINE_RE.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(text))
        self.starts = starts
        self.ends = ends

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_text(self, index: int) -> str:
        """Line ``index`` (0-based) without its line ending."""
        return self.text[self.starts[index] : self.ends[index]]

    # -- naislint spans -> buffer offsets ----------------------------------------------

    def offset_of(self, line: int, column: int) -> int:
        """Buffer offset of naislint's 1-based (line, code-point column).

        Column ``len + 1`` is the line's end; further out (a span that takes the line
        break with it) is the start of the next line, whatever that break is made of.
        """
        if line < 1:
            return 0
        if line > len(self.starts):
            return len(self.text)
        index = line - 1
        start = self.starts[index] + (self.bom if index == 0 else 0)
        end = self.ends[index]
        wanted = start + max(column, 1) - 1
        if wanted <= end:
            return wanted
        # Past the line's last character: the span takes the line break with it.
        return self._after(index)

    def _after(self, index: int) -> int:
        return self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)

    # -- buffer offsets <-> LSP positions ------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """LSP (line, character) of a buffer offset, in this table's code units."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[index]
        # An offset inside a "\r\n" pair belongs to the end of the line.
        offset = min(offset, self.ends[index])
        return index, units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """Buffer offset of an LSP (line, character); out-of-range values clamp."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        return start + column_from_units(self.line_text(line), character, self.encoding)

    # -- both ways at once ----------------------------------------------------------------

    def span_range(self, span: Span) -> tuple[tuple[int, int], tuple[int, int]]:
        """LSP start and end positions of a naislint span."""
        start = self.offset_of(span.line, span.column)
        end = max(start, self.offset_of(span.end_line, span.end_column))
        return self.position(start), self.position(end)

    def naislint_position(self, line: int, character: int) -> tuple[int, int]:
        """naislint's 1-based (line, code-point column) of an LSP position."""
        offset = self.offset(line, character)
        index = bisect.bisect_right(self.starts, offset) - 1
        column = offset - self.starts[index] + 1 - (self.bom if index == 0 else 0)
        return index + 1, max(column, 1)
