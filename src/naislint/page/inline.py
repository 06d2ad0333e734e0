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
from typing import TYPE_CHECKING, Iterator, NamedTuple

from naislint.page.emphasis import OPAQUE

if TYPE_CHECKING:
    from naislint.page.document import Document

_ESCAPE_RE = re.compile(r"\\[!-/:-@\[-`{-~]")
#: What the emphasis parser does not read as text, in one pattern (leftmost match wins).
#: ``keep``: a link destination or reference label, masked after its ``]``.
_OPAQUE_RE = re.compile(
    r"(?P<keep>\]\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
    r"|\]\[[^\]\n]*\])"
    r"|\\[!-/:-@\[-`{-~]"  # backslash escapes
    r"|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<![^<>]*>|<[a-zA-Z][\w+.-]*:[^\s<>]*>"  # tags, autolinks
    r"|\b(?:https?|ftp)://[^\s<>()\[\]*]*[^\s<>()\[\]*_.,:;!?'\"]"  # bare URLs
    r"|\bwww\.[^\s<>()\[\]*]*[^\s<>()\[\]*_.,:;!?'\"]"
    r"|\{%.*?%\}|\{\{.*?\}\}"  # Liquid
)
#: Characters without which an inline block holds nothing for the markup checks.
TRIGGER_RE = re.compile(r"\*\*|__| [*_]|\{|\][(~*_]")


def may_trigger(content: str) -> bool:
    """Whether ``content`` holds one of ``*``, ``_``, ``{``, ``]``, which every match of
    :data:`TRIGGER_RE` holds: a block without any (most of a page) is passed over by four
    C-level ``in`` tests, without the pattern, which stops at every space to try its
    `` [*_]`` branch."""
    return "*" in content or "_" in content or "{" in content or "]" in content


class Block(NamedTuple):
    """One inline block: its masked text, where each of its lines starts in the file, and
    the token's first file line (1-based). (A named tuple: built for most paragraphs of
    a page, in a third of the time of a frozen dataclass.)"""

    text: str
    plain: str  # the block's text with only code spans, comments and escapes opaque
    starts: tuple[int, ...]  # index in ``text`` where each piece starts
    offsets: tuple[int, ...]  # file offset of each piece's first character
    line: int
    kind: str  # the block's opening token type: paragraph_open, heading_open, td_open ...
    links: int = 0  # links and images markdown-it-py found in the block

    def offset(self, index: int) -> int:
        """The file offset of ``text[index]``."""
        k = bisect.bisect_right(self.starts, index) - 1
        return self.offsets[k] + index - self.starts[k]


def blocks(doc: "Document") -> list[Block]:
    """Every inline block of the page that holds a trigger character, masked (memoised)."""
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
        content = token.content
        if not token.map or not may_trigger(content) or TRIGGER_RE.search(content) is None:
            continue
        pieces: list[str] = []
        starts: list[int] = []
        offsets: list[int] = []
        length = 0
        first = token.map[0] + 1
        for k, content_line in enumerate(content.split("\n")):
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
            piece = text[a:b]
            if prose[a:b] != piece:
                piece = _opaque_where_blanked(piece, prose[a:b])
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
        links = sum(1 for child in token.children or ()
                    if child.type == "image" or (child.type == "link_open" and child.markup != "autolink"))
        yield Block(mask(joined), plain, tuple(starts), tuple(offsets), first, parent, links)


def mask(text: str) -> str:
    """``text`` with escapes, tags, link destinations, URLs and Liquid made opaque."""
    if not ("\\" in text or "<" in text or "]" in text or ":" in text or "{" in text or "w" in text):
        return text
    return _OPAQUE_RE.sub(_opaque, text)


def _opaque(m: "re.Match[str]") -> str:
    found = m.group(0)
    blank = _NOT_NEWLINE_RE.sub(OPAQUE, found) if "\n" in found else OPAQUE * len(found)
    return found[0] + blank[1:] if m.group("keep") else blank


_NOT_NEWLINE_RE = re.compile(r"[^\n]")
_SPACES_RE = re.compile(r" +")


def _opaque_where_blanked(text: str, prose: str) -> str:
    """``text`` with what ``Document.prose`` blanked (code spans, comments) made opaque."""
    out: list[str] = []
    cursor = 0
    for m in _SPACES_RE.finditer(prose):
        a, b = m.span()
        if text[a:b] == prose[a:b]:
            continue
        out.append(text[cursor:a])
        out.append("".join(" " if ch == " " else OPAQUE for ch in text[a:b]))
        cursor = b
    out.append(text[cursor:])
    return "".join(out)
