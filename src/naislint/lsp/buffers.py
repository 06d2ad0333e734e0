"""Open buffers that take an editor's edits in time proportional to the edit.

pygls 2.1.1 applies each incremental change by splitting the whole buffer into lines and
writing every line back, on the event loop: 0.2 s per keystroke on a 5 MB page, more
than half a second on a 20 MB one, during which nothing (not even a hover) is answered.
Here a buffer keeps the offsets where its lines start; an edit rescans only the lines it
touches and shifts the offsets after it.

Lines break at ``\\r\\n``, ``\\r`` and ``\\n``, as LSP counts them (pygls's ``splitlines``
also breaks at form feeds, U+2028 and others, and so would apply an edit after one of
them on the wrong line).
"""

from __future__ import annotations

import bisect
from itertools import accumulate, repeat
from operator import add
from typing import Any

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from naislint.page.positions import UTF16, column_from_units
from naislint.page.text import NEWLINE_RE


class LineStarts:
    """A text and the offsets its lines start at, kept up to date through edits."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" in text:
            self.starts = [0] + [m.end() for m in NEWLINE_RE.finditer(text)]
        else:
            # The same without a Python step per line (a 20 MB page has 250,000 of them).
            parts = text.split("\n")
            parts.pop()
            self.starts = [0, *accumulate(map(add, map(len, parts), repeat(1)))]

    def offset(self, line: int, character: int, encoding: str = UTF16) -> int:
        """The text offset of an LSP position; out-of-range values clamp, as LSP says."""
        if line < 0:
            return 0
        starts = self.starts
        if line >= len(starts):
            return len(self.text)
        start = starts[line]
        end = starts[line + 1] if line + 1 < len(starts) else len(self.text)
        # A line's own text holds no "\r" or "\n": what rstrip takes is its line break.
        return start + column_from_units(self.text[start:end].rstrip("\r\n"), character, encoding)

    def replace(self, start: int, end: int, new: str) -> None:
        """Replace ``text[start:end]`` with ``new``, updating the line starts."""
        old, starts = self.text, self.starts
        text = old[:start] + new + old[end:]
        delta = len(new) - (end - start)
        first = bisect.bisect_right(starts, start) - 1
        if first > 0 and old[starts[first] - 1] == "\r":
            # That "\r" ends the line before; a "\n" put right after it joins its break.
            first -= 1
        last = bisect.bisect_right(starts, end) - 1
        # Rescan from the first touched line to the end of the last: the characters on
        # both sides of that stretch are not edited, so no line break there changes.
        if last + 1 < len(starts):
            stop = starts[last + 1] + delta
            inside = [m.end() for m in NEWLINE_RE.finditer(text, starts[first], stop) if m.end() < stop]
            after = starts[last + 1:] if not delta else list(map(add, starts[last + 1:], repeat(delta)))
        else:
            inside = [m.end() for m in NEWLINE_RE.finditer(text, starts[first])]
            after = []
        self.text = text
        self.starts = starts[: first + 1] + inside + after


class Buffer(TextDocument):
    """A pygls text document whose incremental changes use :class:`LineStarts`."""

    _lines: LineStarts | None = None

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        lines = self._lines
        source = self.source
        if lines is None or lines.text is not source:  # new, or replaced whole meanwhile
            lines = self._lines = LineStarts(source)
        codec = self.position_codec.encoding
        encoding = str(getattr(codec, "value", codec) or UTF16)
        start = lines.offset(change.range.start.line, change.range.start.character, encoding)
        end = lines.offset(change.range.end.line, change.range.end.character, encoding)
        lines.replace(min(start, end), max(start, end), change.text)
        self._source = lines.text


class BufferWorkspace(Workspace):
    """pygls's workspace, holding :class:`Buffer` documents."""

    def _create_text_document(self, doc_uri: str, source: str | None = None, version: int | None = None,
                              language_id: str | None = None) -> Any:
        return Buffer(doc_uri, source=source, version=version, language_id=language_id,
                      sync_kind=self._sync_kind, position_codec=self._position_codec)
