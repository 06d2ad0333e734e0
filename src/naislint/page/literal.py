"""Which offsets of a page kramdown prints literally, and how a message says so.

naislint's list, emphasis and entity rules find their defects in markdown-it's
(CommonMark's) parse. On a kramdown site part of that markdown is never read as markdown:
it sits inside an HTML element kramdown keeps raw to its matching end tag
(:mod:`naislint.page.regions`). Those rules still report what they see there (the source is
still wrong, and it will show once the element gets ``markdown="1"``), but their messages
must not claim an effect on the rendered page: :func:`note` gives the words they append,
and ``visible-markup`` owns the report that the region prints its markdown literally.

On a GFM site the raw regions are CommonMark's own HTML blocks, where markdown-it finds no
markdown either, so nothing here applies.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from naislint.page.regions import Region, raw_regions
from naislint.page.renderer import for_document

if TYPE_CHECKING:
    from naislint.page.document import Document


class RawMap:
    """The stretches of a page that kramdown prints literally, for bisect lookups.

    A raw region counts without its holes (nested ``markdown="1"`` elements, which kramdown
    reads as markdown).
    """

    def __init__(self, raw: list[Region]) -> None:
        spans: list[tuple[int, int, Region]] = []
        for region in raw:
            cursor = region.start
            for a, b in sorted(region.holes):
                spans.append((cursor, a, region))
                cursor = b
            spans.append((cursor, region.end, region))
        spans.sort(key=lambda s: (s[0], s[1]))
        self._starts = [s[0] for s in spans]
        self._spans = spans

    def __bool__(self) -> bool:
        return bool(self._spans)

    def region_at(self, offset: int) -> Region | None:
        """The raw region whose literal text holds ``offset``, if any."""
        k = bisect.bisect_right(self._starts, offset) - 1
        if k >= 0:
            a, b, region = self._spans[k]
            if a <= offset < b:
                return region
        return None

    def outside(self, start: int, end: int) -> list[tuple[int, int]]:
        """The parts of ``[start, end)`` that are not printed literally."""
        pieces: list[tuple[int, int]] = []
        cursor = start
        k = max(bisect.bisect_right(self._starts, start) - 1, 0)
        while k < len(self._spans) and cursor < end:
            a, b, _region = self._spans[k]
            k += 1
            if b <= cursor:
                continue
            if a >= end:
                break
            if a > cursor:
                pieces.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < end:
            pieces.append((cursor, end))
        return pieces

    def covers(self, start: int, end: int) -> bool:
        """Whether all of ``[start, end)`` is printed literally (one region, no hole)."""
        k = bisect.bisect_right(self._starts, start) - 1
        if k < 0:
            return False
        a, b, _region = self._spans[k]
        return a <= start and end <= b


def raw_map(doc: "Document") -> RawMap:
    """The page's literal stretches on a kramdown site (empty on GFM), memoised per page."""

    def compute() -> RawMap:
        if not for_document(doc).is_kramdown:
            return RawMap([])
        return RawMap(raw_regions(doc))

    return doc.memo("page.literal.raw_map", compute)


def region_at(doc: "Document", offset: int) -> Region | None:
    """The kramdown raw region that prints ``offset`` literally, or ``None``."""
    if "<" not in doc.text:
        return None
    return raw_map(doc).region_at(offset)


def describe(doc: "Document", region: Region, see: str = "visible-markup") -> str:
    """``kramdown prints this <div>'s content (lines 85-133) literally, see visible-markup``.

    ``see`` names the rule that reports the region's literal markdown (``markdown-in-html``
    reports the list markers of a region that holds no other markdown)."""
    first = doc.position(region.start)[0]
    last = doc.position(max(region.start, region.end - 1))[0]
    lines = f"line {first}" if first == last else f"lines {first}-{last}"
    return f"kramdown prints this <{region.tag}>'s content ({lines}) literally, see {see}"


def note(doc: "Document", offset: int, see: str = "visible-markup") -> str:
    """The words a rule appends to a message about ``offset`` ("" when it renders)."""
    region = region_at(doc, offset)
    return "" if region is None else "; " + describe(doc, region, see)


def markdown_in_html_blocks(doc: "Document") -> list[tuple[int, int]]:
    """Stretches that CommonMark takes for an HTML block but kramdown reads as markdown.

    CommonMark runs an HTML block to the next blank line; kramdown ends a raw element at
    its end tag and reads what follows (``<p>one</p>`` then ``**two**`` on the next line)
    as markdown, and with ``markdown="1"`` or ``parse_block_html`` reads the element's
    content too. markdown-it gives those stretches no inline tokens, so rules that walk
    its tokens look here as well. Each stretch ends at a blank line (a paragraph), holds
    some text, and is found in ``doc.prose`` terms (comments and code are blank there).
    Empty on a GFM site, where the HTML blocks are the renderer's own. Memoised per page.
    """

    def compute() -> list[tuple[int, int]]:
        if "<" not in doc.text or not for_document(doc).is_kramdown:
            return []
        raw = raw_map(doc)
        prose = doc.prose
        found: list[tuple[int, int]] = []
        for token in doc.tokens:
            if token.type != "html_block" or not token.map:
                continue
            src = doc.source_of(token)
            for a, b in raw.outside(src.start, src.start + len(src.text)):
                for m in _PARAGRAPH_RE.finditer(prose, a, b):
                    if m.group(0).strip():
                        found.append((m.start(), m.end()))
        return found

    return doc.memo("page.literal.markdown_in_html_blocks", compute)


def markdown_code_spans(doc: "Document") -> list[tuple[int, int]]:
    """The code spans of the stretches :func:`markdown_in_html_blocks` finds, in order.

    markdown-it takes a ``<div markdown="1">`` block for HTML to its first blank line, so
    it sees no code span there; kramdown reads the content as markdown, and
    `` `<code>` `` in it is code, not a tag. Memoised per page."""

    def compute() -> list[tuple[int, int]]:
        from naislint.page.document import code_span_ranges

        text = doc.text
        found: list[tuple[int, int]] = []
        for start, end in markdown_in_html_blocks(doc):
            if "`" in text[start:end]:
                found.extend((start + a, start + b) for a, b in code_span_ranges(text[start:end]))
        return found

    return doc.memo("page.literal.markdown_code_spans", compute)


#: A run of lines up to a blank line (a paragraph, in a stretch kramdown reads as markdown).
_PARAGRAPH_RE = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+|[^\n]+")
