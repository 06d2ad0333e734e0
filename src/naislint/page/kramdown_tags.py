"""How kramdown pairs a page's HTML tags, and what it does with the ones that do not pair.

A browser repairs HTML by the HTML5 rules (optional end tags, implied ends). kramdown,
which renders Jekyll sites, does not, and what it writes is what the browser then reads:

- **Block HTML** (a line that starts with a block-level tag) is raw up to the element's
  matching end tag (:mod:`naislint.page.regions`). Inside it, every element must be
  closed by its own end tag before its parent's, ``</p>``, ``</li>`` and ``</td>``
  included: an end tag that is not the innermost open element's is printed *as text*
  (``&lt;/div&gt;``), the innermost element stays open and takes the parent's end tag
  with it, so the rest of the page stays raw. What is still open when the page ends is
  closed there, before the layout, never in it.
- **Span HTML** (tags inside a paragraph, heading or table cell) pairs the same way,
  but an element left open is closed at the end of its *paragraph*; an end tag that
  does not close the innermost open element is printed as text.

This module follows kramdown 2.4's ``parser/html.rb`` and ``parser/kramdown/html.rb``
for pages whose renderer is kramdown; the tags are the page's (:func:`page_tags`), so
Liquid, code and comments are already left out.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from naislint.page.html import HtmlTag, liquid_regions, page_tags, tokenize
from naislint.page.regions import BLOCK_ELEMENTS, WITHOUT_BODY, Region, regions

if TYPE_CHECKING:
    from naislint.page.document import Document


@dataclass(frozen=True, slots=True)
class TextEndTag:
    """An end tag kramdown prints as text: ``open`` is the innermost element still open
    there (the one that needed its end tag first), ``None`` when nothing was open;
    ``meant_for`` the open element of the end tag's name it was written for, which stays
    open because of it (``None``: no such element was open), and ``inside`` the elements
    opened inside that one and still open, outermost first (the first ``MAX_LISTED``;
    ``more`` counts the others)."""

    tag: HtmlTag
    open: HtmlTag | None
    meant_for: HtmlTag | None
    block: bool
    inside: tuple[HtmlTag, ...] = ()
    more: int = 0


@dataclass(frozen=True, slots=True)
class LeftOpen:
    """An element kramdown closes itself, at ``closed_at``: the end of its paragraph
    (``in_paragraph``, which starts at ``opened_at``) or the end of the page."""

    start: HtmlTag
    closed_at: int
    in_paragraph: bool
    opened_at: int = 0


@dataclass(frozen=True, slots=True)
class Pairing:
    """The page's tags as kramdown pairs them; ``tags``: every start and end tag kramdown
    reads, in page order."""

    tags: tuple[HtmlTag, ...]
    text_end_tags: tuple[TextEndTag, ...]
    left_open: tuple[LeftOpen, ...]
    #: ``(p, block)``: a ``<p>`` with attributes and the block element written inside it,
    #: which a browser moves out of the paragraph (a paragraph holds no block).
    out_of_paragraph: tuple[tuple[HtmlTag, HtmlTag], ...]
    #: In block HTML, for a start tag's offset: the element it opened inside (absent at
    #: the top of a block) and the end tag that closed it (absent when none did).
    parent: dict[int, HtmlTag] = field(default_factory=dict)
    end_of: dict[int, HtmlTag] = field(default_factory=dict)


#: Elements whose start tag ends an open ``<p>`` in a browser (HTML5 "close a p element").
CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary table ul".split()
)
#: Attributes that style a paragraph for its reader (an ``id`` alone does not).
_STYLING = frozenset({"class", "style", "align", "dir", "lang"})


def pairing(doc: "Document") -> Pairing:
    """Pair the page's tags as kramdown does (computed once per page)."""
    return doc.memo("page.kramdown_tags", lambda: _compute(doc))


def _compute(doc: "Document") -> Pairing:
    if "<" not in doc.text:
        return Pairing((), (), (), ())
    size = len(doc.text)
    walk = _Walk()
    regs = sorted(regions(doc), key=lambda r: (r.start, -r.end))
    raw_regions = [r for r in regs if r.raw]
    read: list[HtmlTag] = []
    for region in raw_regions:
        region_tags = _raw_tags(doc, region)
        read.extend(region_tags)
        walk.raw(region_tags, region.end)
    #: End offsets of the parsed (markdown="1") regions and holes: their end tags pair
    #: with the start tags of the elements kramdown parsed.
    parsed_ends = {r.end for r in regs if not r.raw and r.unclosed is None}
    parsed_ends.update(end for r in raw_regions for _start, end in r.holes)
    parsed_starts = {r.start: r for r in regs if not r.raw}
    raw_starts = [r.start for r in raw_regions]
    contexts = _paragraphs(doc)
    context_starts = [c[0] for c in contexts]
    span: dict[int, list[HtmlTag]] = {}
    for tag in page_tags(doc):
        if not tag.name or tag.kind not in ("start", "end", "startend"):
            continue
        at = bisect.bisect_right(raw_starts, tag.start) - 1
        if at >= 0 and tag.start < raw_regions[at].end and not _in_hole(raw_regions[at], tag.start):
            continue  # read with its raw region, as kramdown reads it
        parsed = parsed_starts.get(tag.start)
        if parsed is not None:
            # a parsed element's own start tag: kramdown pairs it by lines
            if parsed.unclosed is not None:
                walk.left_open.append(LeftOpen(tag, size, False))
            continue
        if tag.kind == "end" and tag.end in parsed_ends:
            continue
        at = bisect.bisect_right(context_starts, tag.start) - 1
        if at < 0 or tag.start >= contexts[at][1]:
            continue  # outside any text block kramdown reads (cannot happen for a real tag)
        span.setdefault(at, []).append(tag)
        read.append(tag)
    for key in sorted(span):
        walk.span(span[key], *contexts[key])
    return Pairing(
        tuple(sorted(read, key=lambda t: t.start)),
        tuple(sorted(walk.text_end_tags, key=lambda t: t.tag.start)),
        tuple(sorted(walk.left_open, key=lambda t: t.start.start)),
        tuple(walk.out_of_paragraph),
        walk.parent,
        walk.end_of,
    )


def _raw_tags(doc: "Document", region: Region) -> list[HtmlTag]:
    """The tags of a raw region, read from its text as kramdown reads it: every line is
    HTML there, an indented or fenced line included (markdown-it-py may have made it a
    code block). Liquid's tags and the markdown of ``markdown="1"`` holes are left out."""
    found = tokenize(doc.text[region.start:region.end], region.start)
    liquid = liquid_regions(doc) if "{" in doc.text[region.start:region.end] else None
    hole_starts = {start for start, _end in region.holes}
    return [
        t for t in found
        if t.name and t.kind in ("start", "end", "startend")
        and not _in_hole(region, t.start)
        and t.end not in hole_starts  # a markdown="1" element: closed with its hole
        and not (liquid is not None and liquid.starts and liquid.hides(t.start))
    ]


def _in_hole(region: Region, offset: int) -> bool:
    """Whether ``offset`` is in one of the region's holes (sorted, not overlapping)."""
    holes = region.holes
    if not holes:
        return False
    at = bisect.bisect_right(holes, (offset, float("inf"))) - 1
    return at >= 0 and holes[at][0] <= offset < holes[at][1]


def _paragraphs(doc: "Document") -> list[tuple[int, int]]:
    """The text blocks kramdown parses span HTML in: paragraphs, headings, table cells
    (markdown-it's inline tokens) and the HTML blocks CommonMark sees outside kramdown's
    block HTML; sorted, as ``(start, end)``."""
    found: list[tuple[int, int]] = []
    for token in doc.tokens:
        if token.type in ("inline", "html_block") and token.map:
            src = doc.source_of(token)
            found.append((src.start, src.start + len(src.text)))
    found.sort()
    return found


class _Walk:
    """The stack walks: block HTML (one per raw region) and span HTML (one per paragraph)."""

    def __init__(self) -> None:
        self.text_end_tags: list[TextEndTag] = []
        self.left_open: list[LeftOpen] = []
        self.out_of_paragraph: list[tuple[HtmlTag, HtmlTag]] = []
        self.parent: dict[int, HtmlTag] = {}
        self.end_of: dict[int, HtmlTag] = {}

    def raw(self, tags: Iterable[HtmlTag], end: int) -> None:
        """kramdown's ``parse_raw_html``: strict pairing, no optional end tags."""
        stack = _Stack()
        for tag in tags:
            if tag.kind == "end":
                if stack.items and stack.items[-1].name == tag.name:
                    self.end_of[stack.pop().start] = tag
                else:
                    self._text(tag, stack, True)
                continue
            top = stack.items[-1] if stack.items else None
            if top is not None:
                self.parent[tag.start] = top
                if tag.name in CLOSES_P and top.name == "p" and styled(top):
                    self.out_of_paragraph.append((top, tag))
            if tag.kind == "startend" or tag.name in WITHOUT_BODY:
                continue
            stack.push(tag)
        self.left_open.extend(LeftOpen(t, end, False) for t in stack.items)

    def span(self, tags: Iterable[HtmlTag], start: int, end: int) -> None:
        """kramdown's ``parse_span_html``: pairing within one paragraph; a block tag there
        is text (its end tag too), an element left open ends with the paragraph."""
        stack = _Stack()
        literal_blocks: dict[str, int] = {}
        for tag in tags:
            if tag.kind == "end":
                if stack.items and stack.items[-1].name == tag.name:
                    stack.pop()
                elif literal_blocks.get(tag.name):
                    literal_blocks[tag.name] -= 1  # the end of a block tag shown as text
                else:
                    self._text(tag, stack, False)
                continue
            if tag.name in BLOCK_ELEMENTS:
                literal_blocks[tag.name] = literal_blocks.get(tag.name, 0) + 1
                continue
            if tag.kind == "startend" or tag.name in WITHOUT_BODY:
                continue
            stack.push(tag)
        self.left_open.extend(LeftOpen(t, end, True, start) for t in stack.items)


    def _text(self, tag: HtmlTag, stack: "_Stack", block: bool) -> None:
        """Record an end tag printed as text, and the open element it was meant for (the
        innermost of its name not already claimed by an earlier such end tag)."""
        items = stack.items
        at = stack.claim(tag.name)
        meant_for = items[at] if at is not None else None
        inside = tuple(items[at + 1 : at + 1 + MAX_LISTED]) if at is not None else ()
        more = len(items) - (at + 1) - len(inside) if at is not None else 0
        self.text_end_tags.append(TextEndTag(tag, items[-1] if items else None, meant_for, block, inside, more))


#: At most this many elements still open are named for one end tag shown as text (a
#: hostile page can leave thousands open).
MAX_LISTED = 20


class _Stack:
    """The open elements, with, per name, where the unclaimed ones of that name are, so
    that the element an out-of-order end tag was meant for is found without a search."""

    def __init__(self) -> None:
        self.items: list[HtmlTag] = []
        self._unclaimed: dict[str, list[int]] = {}

    def push(self, tag: HtmlTag) -> None:
        self._unclaimed.setdefault(tag.name, []).append(len(self.items))
        self.items.append(tag)

    def pop(self) -> HtmlTag:
        tag = self.items.pop()
        places = self._unclaimed.get(tag.name)
        if places and places[-1] == len(self.items):
            places.pop()
        return tag

    def claim(self, name: str) -> int | None:
        """The place of the innermost unclaimed open ``name``, now claimed (it is below
        the top: an end tag for the top closes it instead)."""
        places = self._unclaimed.get(name)
        return places.pop() if places else None


def styled(tag: HtmlTag) -> bool:
    """Whether an element's attributes change how it looks (an ``id`` alone does not)."""
    return any(a.name in _STYLING and (a.value or "").strip() for a in tag.attrs)
