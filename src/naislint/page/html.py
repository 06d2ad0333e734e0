"""HTML tokenizer with source positions, for the HTML that markdown pages carry.

One tokenizer reads every tag: :mod:`naislint.page.html_scan`, which decides what is a tag
as the standard library's :class:`html.parser.HTMLParser` of Python 3.10-3.13 does (tolerant,
``<script>``/``<style>`` raw text, comments, character references) and gives what that
parser lacks: file offsets for every tag and every attribute. Its answer does not depend
on the Python release the linter runs on (later security releases of the parser read some
malformed markup differently). Pages are tokenized
per HTML fragment (each HTML block, each inline HTML tag), never as one string, so a
broken fragment cannot swallow the rest of the page and every fragment stays small.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
import operator
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple

from naislint.page.html_scan import HtmlAttr as HtmlAttr, HtmlTag as HtmlTag, scan

if TYPE_CHECKING:
    from naislint.page.document import Document

#: Elements that never have content or an end tag (HTML living standard).
VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)


def tokenize(text: str, base: int = 0, *, block: bool = True, fragment: int = 0) -> list[HtmlTag]:
    """Tags of one HTML fragment, with offsets shifted by ``base``.

    Never raises on malformed input: what cannot be read as a tag is left as text, as a
    browser would.
    """
    return scan(text, _complete_prefix(text), base, block, fragment)


def _complete_prefix(text: str) -> int:
    """How much of a fragment can hold complete tags: up to its last ``>``, and not past
    a ``<!--`` that no ``-->`` follows (a browser reads the rest as a comment).

    ``HTMLParser.close()`` before Python 3.11.13/3.12.11/3.13.4 retries an unfinished
    construct at every later ``<`` and rescans to the end each time, so ``<!--`` or
    ``<a b='`` repeated on one line took minutes. What is cut off can form no tag on any
    version, so the tags found are the same, in linear time.
    """
    end = text.rfind(">") + 1
    last_close = text.rfind("-->")
    opener = text.find("<!--", max(0, last_close))
    if opener != -1 and opener < end:
        end = opener
    return end


class Fragment(NamedTuple):
    """A piece of raw HTML in a page: an HTML block or one inline HTML tag. (A named
    tuple, as the tags are: one is built for every inline tag of a page.)"""

    text: str
    start: int
    block: bool


#: Elements whose start tag, left open, makes kramdown read the following lines as raw
#: HTML up to the end tag (indented lines included); inline elements do not.
INLINE_ELEMENTS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd label mark q s samp small "
    "span strike strong sub sup time tt u var".split()
)


def liquid_regions(doc: "Document") -> Any:
    from naislint.page.protected import liquid_regions as regions

    return regions(doc)


class _Spans:
    """Sorted, non-overlapping ranges, searched by bisection."""

    __slots__ = ("starts", "ends")

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.starts = [a for a, _b in ranges]
        self.ends = [b for _a, b in ranges]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def holds(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]


def _markdown_code_spans(doc: "Document") -> _Spans:
    """Code spans kramdown finds in HTML blocks it reads as markdown (none without a
    ``markdown`` attribute or ``parse_block_html``; see :mod:`naislint.page.literal`)."""
    if "`" not in doc.text:
        return _Spans([])
    from naislint.page.literal import markdown_code_spans

    return _Spans(markdown_code_spans(doc))


def fragment_tags(doc: "Document") -> list[tuple[Fragment, list[HtmlTag]]]:
    """Fragments with their tags, in document order (computed once per Document).

    An indented code block that starts with a tag while a block-level element opened by
    earlier HTML is still open is HTML, not code: kramdown (the sites' renderer) reads
    everything up to the end tag as HTML, so tab-indented markup inside a ``<div>`` after
    a blank line stays part of it even though CommonMark makes it a code block.
    """

    def compute() -> list[tuple[Fragment, list[HtmlTag]]]:
        out: list[tuple[Fragment, list[HtmlTag]]] = []
        depth = 0
        counted = 0  # fragments whose tags ``depth`` has seen

        liquid = liquid_regions(doc) if "{" in doc.text else None
        code = _markdown_code_spans(doc)

        def add(frag: Fragment) -> None:
            tags = tokenize(frag.text, frag.start, block=frag.block, fragment=len(out))
            if liquid is not None and liquid.starts:
                # Jekyll runs Liquid first: a tag inside a Liquid tag, output or a
                # raw/comment/highlight block is not the page's HTML.
                tags = [t for t in tags if not liquid.hides(t.start)]
            if code and frag.block:
                # kramdown reads a markdown="1" element's content as markdown: a tag
                # written in a code span there is code.
                tags = [t for t in tags if not code.holds(t.start)]
            out.append((frag, tags))

        def open_elements() -> int:
            """How many block-level elements the HTML so far leaves open (counted only
            when a code block asks: most pages have none)."""
            nonlocal depth, counted
            for _frag, tags in out[counted:]:
                for tag in tags:
                    if tag.name in VOID_ELEMENTS or tag.name in INLINE_ELEMENTS:
                        continue
                    if tag.kind == "start":
                        depth += 1
                    elif tag.kind == "end" and depth:
                        depth -= 1
            counted = len(out)
            return depth

        if "<" not in doc.text:
            return out  # no tag anywhere (most pages of a site): nothing to look for
        prose = doc.prose
        for token in doc.tokens:
            kind = token.type
            if kind == "html_block" and token.map:
                src = doc.source_of(token)
                add(Fragment(src.text, src.start, True))
            elif kind == "code_block" and token.map and open_elements():
                src = doc.source_of(token)
                if src.text.lstrip().startswith("<"):
                    add(Fragment(src.text, src.start, True))
            elif (
                kind == "inline"
                and token.map
                and "<" in token.content
                and token.children
                and any(child.type == "html_inline" for child in token.children)
            ):
                src = doc.source_of(token)
                cursor = src.start
                end_of_block = src.start + len(src.text)
                for child in token.children:
                    if child.type != "html_inline":
                        continue
                    content = child.content
                    at = prose.find(content, cursor, end_of_block)
                    if at == -1:
                        # Content spanning lines of a lazily continued paragraph may differ
                        # in indentation; fall back to the first line of the tag.
                        first = content.split("\n", 1)[0]
                        at = prose.find(first, cursor, end_of_block)
                        if at == -1:
                            continue
                        content = doc.text[at : at + len(content)]
                    add(Fragment(content, at, False))
                    cursor = at + len(content)
        return out

    return doc.memo("html.scan", compute)


def fragments(doc: "Document") -> Iterator[Fragment]:
    """The raw HTML of a page in document order, outside code and front matter.

    HTML blocks come from their lines; an inline tag is located in its paragraph's source
    (with code spans blanked, so a tag written in backticks is not taken for HTML).
    Indented lines inside an element left open by earlier HTML count as HTML (see
    :func:`fragment_tags`).
    """
    for frag, _tags in fragment_tags(doc):
        yield frag


def page_tags(doc: "Document") -> list[HtmlTag]:
    """Every tag of the page (comments included), computed once per Document."""

    def compute() -> list[HtmlTag]:
        tags: list[HtmlTag] = []
        for _frag, frag_tags in fragment_tags(doc):
            tags.extend(frag_tags)
        return tags

    return doc.memo("html.page_tags", compute)


# -- element structure -------------------------------------------------------------------

#: Elements whose end tag HTML5 lets the author leave out.
OPTIONAL_END_TAGS = frozenset(
    "p li dt dd rt rp optgroup option colgroup caption thead tbody tfoot tr td th html head body".split()
)

_CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary table ul".split()
)

#: For a start tag, the open elements (with optional end tags) it closes implicitly when
#: they are the current element, as the HTML5 tree builder does.
_IMPLICITLY_CLOSES: dict[str, frozenset[str]] = {
    "li": frozenset({"li", "p"}),
    "dt": frozenset({"dt", "dd", "p"}),
    "dd": frozenset({"dt", "dd", "p"}),
    "tr": frozenset({"td", "th", "tr", "p", "caption", "colgroup"}),
    "td": frozenset({"td", "th", "p"}),
    "th": frozenset({"td", "th", "p"}),
    "thead": frozenset({"td", "th", "tr", "thead", "tbody", "tfoot", "p", "caption", "colgroup"}),
    "tbody": frozenset({"td", "th", "tr", "thead", "tbody", "tfoot", "p", "caption", "colgroup"}),
    "tfoot": frozenset({"td", "th", "tr", "thead", "tbody", "tfoot", "p", "caption", "colgroup"}),
    "option": frozenset({"option"}),
    "optgroup": frozenset({"option", "optgroup"}),
    "rt": frozenset({"rt", "rp"}),
    "rp": frozenset({"rt", "rp"}),
}


class Element(NamedTuple):
    """An element of the page: its start tag and its end tag (``None`` when it has none).

    ``implicit`` is True when HTML5 closes it without an end tag (an optional end tag:
    ``<p>``, ``<li>``, ``<td>`` ...), which is not a defect. (A named tuple, as the tags
    are: a page has thousands.)
    """

    start: HtmlTag
    end: HtmlTag | None
    implicit: bool = False

    @property
    def name(self) -> str:
        return self.start.name


@dataclass(frozen=True, slots=True)
class Unclosed:
    """An element left open: its start tag, and the tag that forced it shut (``None``
    when the page ended first)."""

    start: HtmlTag
    closed_by: HtmlTag | None


@dataclass(frozen=True, slots=True)
class Structure:
    """How the page's tags pair up, across all its HTML fragments."""

    elements: tuple[Element, ...]
    unclosed: tuple[Unclosed, ...]
    stray: tuple[HtmlTag, ...]


#: For every start tag that closes something implicitly, what it closes.
_CLOSERS: dict[str, frozenset[str]] = {
    **{name: frozenset({"p"}) for name in _CLOSES_P},
    **_IMPLICITLY_CLOSES,
}
_CLOSES_NOTHING: frozenset[str] = frozenset()


_by_start = operator.attrgetter("start.start")


def structure(doc: "Document") -> Structure:
    """Pair the page's start and end tags across every HTML block (computed once).

    One stack for the whole page, so a ``<div>`` opened in one HTML block and closed
    three blocks later is balanced. Void elements and self-closed tags never open;
    elements with optional end tags close implicitly where HTML5 closes them. An end tag
    that skips over open elements closes them (they are reported unclosed, once: a later
    end tag for one of them is not reported again as stray).
    """

    def compute() -> Structure:
        elements: list[Element] = []
        unclosed: list[Unclosed] = []
        stray: list[HtmlTag] = []
        stack: list[HtmlTag] = []
        forced: list[str] = []
        for tag in page_tags(doc):
            kind = tag.kind
            if kind == "comment" or kind == "decl" or not tag.name:
                continue
            if kind == "start" or kind == "startend":
                if tag.name in VOID_ELEMENTS or kind == "startend":
                    elements.append(Element(tag, None, implicit=True))
                    continue
                closes = _CLOSERS.get(tag.name, _CLOSES_NOTHING)
                while stack and stack[-1].name in closes:
                    elements.append(Element(stack.pop(), None, implicit=True))
                stack.append(tag)
                continue
            # an end tag
            if tag.name in VOID_ELEMENTS:
                continue
            at = len(stack) - 1
            while at >= 0 and stack[at].name != tag.name:
                at -= 1
            if at == -1:
                if tag.name in forced:
                    forced.remove(tag.name)
                else:
                    stray.append(tag)
                continue
            while len(stack) > at + 1:
                inner = stack.pop()
                if inner.name in OPTIONAL_END_TAGS:
                    elements.append(Element(inner, None, implicit=True))
                else:
                    elements.append(Element(inner, None))
                    unclosed.append(Unclosed(inner, tag))
                    forced.append(inner.name)
            elements.append(Element(stack.pop(), tag))
        while stack:
            inner = stack.pop()
            if inner.name in OPTIONAL_END_TAGS:
                elements.append(Element(inner, None, implicit=True))
            else:
                elements.append(Element(inner, None))
                unclosed.append(Unclosed(inner, None))
        elements.sort(key=_by_start)
        unclosed.sort(key=_by_start)
        return Structure(tuple(elements), tuple(unclosed), tuple(stray))

    return doc.memo("html.structure", compute)
