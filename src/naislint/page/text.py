"""Decoding and line bookkeeping shared by the Document and the fixer.

markdown-it-py splits lines on ``\\r\\n``, ``\\r`` and ``\\n`` only (not on the other
characters ``str.splitlines`` knows), so every line count in naislint uses the same rule;
otherwise positions from the parser and from our own scans would drift apart.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

NEWLINE_RE = re.compile(r"\r\n|\r|\n")

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


class DecodeProblem(Exception):
    """Raised when bytes are not a UTF-8 text file; the message is shown to the user."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded file: the text without BOM, and what is needed to write it back."""

    text: str
    has_bom: bool
    newline: str


def decode(raw: bytes) -> Decoded:
    """Decode file bytes as Jekyll does (UTF-8), refusing what Jekyll would mangle.

    A NUL byte means a binary file; a UTF-16/32 byte order mark means a file an editor
    saved in an encoding Jekyll does not read; invalid UTF-8 is reported at the line and
    column of the first bad byte so the author can find it.
    """
    if raw.startswith(_UTF32_BOMS):
        raise DecodeProblem("file is UTF-32 encoded; Jekyll reads UTF-8: save the file as UTF-8")
    if raw.startswith(_UTF16_BOMS):
        raise DecodeProblem("file is UTF-16 encoded; Jekyll reads UTF-8: save the file as UTF-8")
    nul = raw.find(b"\x00")
    if nul != -1:
        line, column = _byte_position(raw, nul)
        raise DecodeProblem("file is binary (it contains a NUL byte), not markdown text", line, column)
    has_bom = raw.startswith(UTF8_BOM)
    body = raw[3:] if has_bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(body, exc.start)
        bad = body[exc.start : exc.start + 1].hex()
        raise DecodeProblem(
            f"file is not valid UTF-8 (byte 0x{bad} at line {line}); save it as UTF-8",
            line,
            column,
        ) from None
    return Decoded(text=text, has_bom=has_bom, newline=dominant_newline(text))


def _byte_position(raw: bytes, index: int) -> tuple[int, int]:
    """Line and code-point column of byte ``index``, decoding the prefix leniently."""
    prefix = raw[:index].decode("utf-8", errors="replace")
    lines = NEWLINE_RE.split(prefix)
    return len(lines), len(lines[-1]) + 1


def dominant_newline(text: str) -> str:
    """The line ending used most, so that inserted lines match the file's own."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if crlf >= lf and crlf >= cr and crlf:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


class LineIndex:
    """Maps offsets in newline-normalised text to (line, column) and back, in O(log n)."""

    __slots__ = ("starts", "length")

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.starts = starts
        self.length = len(text)

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset; offsets past the end clamp to the end."""
        if offset < 0:
            offset = 0
        elif offset > self.length:
            offset = self.length
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based (line, column); out-of-range values clamp."""
        if line < 1:
            return 0
        if line > len(self.starts):
            return self.length
        return min(self.starts[line - 1] + column - 1, self.length)

    def line_start(self, line: int) -> int:
        """Offset of a 1-based line's first character; out-of-range lines clamp.

        ``offset(line, 1)`` without its column arithmetic: asked for every block token
        of every page (``Document.source_of``), so one call instead of two. A line's
        start is never past the end (it follows a newline of the text)."""
        if line < 1:
            return 0
        starts = self.starts
        return starts[line - 1] if line <= len(starts) else self.length

    def line_end(self, line: int) -> int:
        """Offset just past the last character of a line (before its newline)."""
        if line >= len(self.starts):
            return self.length
        return self.starts[line] - 1
