"""The text of each inline block (paragraph, heading, table cell) as the emphasis parser sees it.

markdown-it-py gives an inline token its content with the container markers (list
markers, ``>``, indentation) removed, but no columns. This module finds each content
line in the file again and builds one string per block whose characters sit at known file
offsets, with everything that is not emphasis text (code spans, comments, HTML tags,
escapes, link destinations, autolinks and bare URLs, attribute lists, Liquid) replaced by
:data:`~naislint.page.emphasis.OPAQUE`. Positions found in that string map back to
the file through :meth:`Block.offset`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from naislint.page.emphasis import OPAQUE

if TYPE_CHECKING:
    from naislint.document import Document

_ESCAPE_RE = re.compile(r"\\[!-/:-@\[-`{-~]")
_OPAQUE_RES = (
    re.compile(r"\\[!-/:-@\[-`{-~]"),  # backslash escapes
    re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<![^<>]*>|<[a-zA-Z][\w+.-]*:[^\s<>]*>"),  # tags, autolinks
    re.compile(r"\]\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"),
    re.compile(r"\]\[[^\]\n]*\]"),  # reference link labels
    re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]*]*[^\s<>()\[\]*_.,:;!?'\"]|\bwww\.[^\s<>()\[\]*]*[^\s<>()\[\]*_.,:;!?'\"]"),
    re.compile(r"\{%.*?%\}|\{\{.*?\}\}"),  # Liquid
)


@dataclass(frozen=True, slots=True)
class Block:
    """One inline block: its masked text, where each of its lines starts in the file, and
    the token's first file line (1-based)."""

    text: str
    plain: str  # the block's text with only code spans, comments and escapes opaque
    starts: tuple[int, ...]  # index in ``text`` where each piece starts
    offsets: tuple[int, ...]  # file offset of each piece's first character
    line: int
    kind: str  # the block's opening token type: paragraph_open, heading_open, td_open ...

    def offset(self, index: int) -> int:
        """The file offset of ``text[index]``."""
        k = bisect.bisect_right(self.starts, index) - 1
        return self.offsets[k] + index - self.starts[k]


def blocks(doc: "Document") -> list[Block]:
    """Every inline block of the page, masked (memoised: several checks read them)."""
    return doc.memo("page.inline.blocks", lambda: list(_blocks(doc)))


def _blocks(doc: "Document") -> Iterator[Block]:
    text, prose = doc.text, doc.prose
    index = doc.index
    cursors: dict[int, int] = {}  # per file line: where the previous cell's text ended
    parent = ""
    for token in doc.tokens:
        if token.type != "inline":
            parent = token.type
            continue
        if not token.map or not token.content.strip():
            continue
        pieces: list[str] = []
        starts: list[int] = []
        offsets: list[int] = []
        length = 0
        first = token.map[0] + 1
        for k, content_line in enumerate(token.content.split("\n")):
            number = first + k
            wanted = content_line.strip()
            if not wanted:
                continue
            line_start = index.line_start(number)
            line_end = index.line_end(number)
            source = text[line_start:line_end]
            from_ = cursors.get(number, 0)
            at = source.find(wanted, from_)
            if at < 0:
                continue
            if parent not in ("td_open", "th_open"):
                # A paragraph's line is its content at the end of the source line.
                last = source.rstrip().rfind(wanted)
                at = last if last >= 0 else at
            cursors[number] = at + len(wanted)
            a = line_start + at
            b = a + len(wanted)
            piece = "".join(
                OPAQUE if prose[i] != text[i] else text[i] for i in range(a, b)
            ) if prose[a:b] != text[a:b] else text[a:b]
            if pieces:
                pieces.append("\n")
                length += 1
            starts.append(length)
            offsets.append(a)
            pieces.append(piece)
            length += len(piece)
        if not pieces:
            continue
        joined = "".join(pieces)
        plain = _ESCAPE_RE.sub(lambda m: OPAQUE * 2, joined) if "\\" in joined else joined
        yield Block(mask(joined), plain, tuple(starts), tuple(offsets), first, parent)


def mask(text: str) -> str:
    """``text`` with escapes, tags, link destinations, URLs and Liquid made opaque."""
    if not any(ch in text for ch in "\\<]:{@w"):
        return text
    chars = list(text)
    for pattern in _OPAQUE_RES:
        for m in pattern.finditer(text):
            a, b = m.span()
            if pattern is _OPAQUE_RES[2] or pattern is _OPAQUE_RES[3]:
                a += 1  # keep the ']' that ends the link text
            for i in range(a, b):
                if chars[i] != "\n":
                    chars[i] = OPAQUE
    return "".join(chars)
