"""The parts of a page its renderer prints as raw HTML, and the parts it reads as markdown.

CommonMark (markdown-it-py, GFM) ends an HTML block at the next blank line. kramdown does
not: a line that starts with a block-level tag (any tag but kramdown's span elements)
opens an HTML element whose content, by default (``parse_block_html: false``), is raw up
to the element's *matching end tag*, nested elements included. Markdown after a blank
line inside ``<div>``, ``<details>`` or ``<p>`` is therefore printed as typed, and an
element that is never closed keeps the rest of the page raw. A ``markdown`` attribute
changes the element's content model: ``"1"`` the element's default (block for ``div``,
span for ``p``, raw for ``table``), ``"block"``, ``"span"`` or ``"0"`` (raw).
``parse_block_html: true`` gives every top-level element its default model.

This module follows kramdown 2's HTML parser (``parser/kramdown/html.rb`` and
``parser/html.rb``): the same tag, comment and end-tag patterns, the same span-element
list and content models. Block boundaries come from the markdown-it-py parse (code blocks
and comments are blanked in ``Document.prose``); the HTML blocks themselves are read from
the text as kramdown reads them. For a GFM renderer the regions are markdown-it-py's
``html_block`` tokens, which follow the same CommonMark rules as cmark-gfm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from naislint.page.delimited import NextOccurrence
from naislint.page.renderer import Renderer, for_document

if TYPE_CHECKING:
    from naislint.page.document import Document

# -- kramdown's constants (kramdown 2.4, parser/html.rb) -------------------------------------

#: REXML's UNAME_STR: an XML name with an optional prefix.
_NAME = r"(?:[^\W\d][-\w.]*:)?[^\W\d][-\w.]*"
TAG_RE = re.compile(
    rf"<({_NAME})\s*((?:\s+{_NAME}(?:\s*=\s*(?:\w+|\"[^\"]*\"|'[^']*'))?)*)\s*(/)?>"
)
CLOSE_TAG_RE = re.compile(rf"</({_NAME})\s*>")
ATTRIBUTE_RE = re.compile(rf"\s*({_NAME})(?:\s*=\s*(?:(\w+)|(\"|')(.*?)\3))?", re.DOTALL)
#: Where a line's content starts after blockquote markers, a list marker and up to three
#: spaces (kramdown's OPT_SPACE): an HTML block can open there.
_CONTAINER_RE = re.compile(r"(?:[ \t]{0,3}>[ \t]?)*(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)?[ \t]*")

SPAN_ELEMENTS = frozenset(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark "
    "option q rb rbc rp rt rtc ruby samp select small span strong sub sup tt u var".split()
)
BLOCK_ELEMENTS = frozenset(
    "address article aside applet body blockquote caption col colgroup dd div dl dt fieldset "
    "figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li "
    "main map nav ol optgroup p pre section summary table tbody td th thead tfoot tr ul".split()
)
WITHOUT_BODY = frozenset(
    "area base br col command embed hr img input keygen link meta param source track wbr".split()
)
_MODEL_BLOCK = frozenset(
    "address applet article aside blockquote body dd details div dl fieldset figure figcaption "
    "footer form header hgroup iframe li main map menu nav noscript object section summary td".split()
)
_MODEL_SPAN = frozenset(
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label "
    "legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt".split()
)
_MODEL_RAW_NAMED = frozenset("script style math option textarea pre code kbd samp var".split())
#: Names kramdown knows as HTML: their tags are matched case-insensitively.
KNOWN_ELEMENTS = SPAN_ELEMENTS | BLOCK_ELEMENTS | WITHOUT_BODY | _MODEL_BLOCK | _MODEL_SPAN | _MODEL_RAW_NAMED
_MARKDOWN_ATTR = {"0": "raw", "1": "default", "span": "span", "block": "block"}
#: Deeper ``markdown="1"`` nesting than this is read as raw: a hostile page cannot make the
#: scanner recurse without end.
MAX_DEPTH = 40

RAW, BLOCK, SPAN = "raw", "block", "span"


def content_model(name: str) -> str:
    """kramdown's default content model of an element (raw for anything it does not list)."""
    if name in _MODEL_BLOCK:
        return BLOCK
    if name in _MODEL_SPAN:
        return SPAN
    return RAW


@dataclass(frozen=True, slots=True)
class Region:
    """One HTML element (kramdown) or HTML block (GFM) at block level.

    ``start`` is the offset of its start tag's ``<``, ``end`` the offset after its end
    tag (or the end of the page when it is never closed). ``raw``: the renderer prints the
    content as is. ``holes``: ranges inside a raw region that a nested ``markdown="1"``
    element has the renderer read as markdown after all. ``unclosed`` names the element
    (and the offset of its start tag) whose missing end tag made the region run to the
    end of the page.
    """

    start: int
    end: int
    tag: str
    raw: bool
    model: str
    holes: tuple[tuple[int, int], ...] = ()
    unclosed: tuple[str, int] | None = None


def regions(doc: "Document") -> list[Region]:
    """The page's block-level HTML, as its renderer reads it (memoised per page)."""
    return doc.memo("page.regions", lambda: compute(doc, for_document(doc)))


def raw_regions(doc: "Document") -> list[Region]:
    return [r for r in regions(doc) if r.raw]


def compute(doc: "Document", renderer: Renderer) -> list[Region]:
    if "<" not in doc.text:
        return []
    if renderer.is_kramdown:
        return _KramdownScanner(doc.text, doc.prose, renderer).scan(doc.body_start)
    return _gfm_regions(doc)


# -- GFM --------------------------------------------------------------------------------------


def _gfm_regions(doc: "Document") -> list[Region]:
    """markdown-it-py's HTML blocks: CommonMark's rules, which cmark-gfm follows too."""
    found: list[Region] = []
    for token in doc.tokens:
        if token.type != "html_block" or not token.map:
            continue
        src = doc.source_of(token)
        at = src.text.find("<")
        if at < 0:
            continue
        m = TAG_RE.match(src.text, at) or CLOSE_TAG_RE.match(src.text, at)
        name = m.group(1).lower() if m else ""
        if not name:
            continue  # a comment or a declaration: its own text is not shown
        found.append(Region(src.start + at, src.start + len(src.text), name, True, RAW))
    return found


# -- kramdown ---------------------------------------------------------------------------------


def _name(raw_name: str) -> str:
    lowered = raw_name.lower()
    return lowered if lowered in KNOWN_ELEMENTS else raw_name


def _markdown_attribute(attributes: str, known: bool) -> str | None:
    """The ``markdown`` attribute's meaning (raw/default/span/block), if it has one."""
    if "markdown" not in attributes.lower():
        return None
    value: str | None = None
    for m in ATTRIBUTE_RE.finditer(attributes):
        name = m.group(1).lower() if known else m.group(1)
        if name == "markdown":
            value = m.group(2) if m.group(2) is not None else (m.group(4) if m.group(4) is not None else "")
    return _MARKDOWN_ATTR.get(value) if value is not None else None


class _KramdownScanner:
    """Reads a page's block-level HTML the way kramdown's parser does."""

    def __init__(self, text: str, prose: str, renderer: Renderer) -> None:
        self.text = text
        #: Comment and processing-instruction ends, found once for the whole scan.
        self.comment_ends = NextOccurrence(text, "-->")
        self.instruction_ends = NextOccurrence(text, "?>")
        self.prose = prose
        self.renderer = renderer
        self.found: list[Region] = []
        #: Per element name, an offset from which no end tag follows: a page of many
        #: unclosed elements searches the rest of the page once, not once per element.
        self._no_close: dict[str, int] = {}

    # Block level ------------------------------------------------------------------------

    def scan(self, start: int) -> list[Region]:
        self._blocks(start, None, 0)
        return self.found

    def _blocks(self, pos: int, stop: str | None, depth: int) -> tuple[int, bool]:
        """Walk block starts from ``pos``; with ``stop``, until ``</stop>`` opens a line.

        Returns where the walk ended and whether the ``stop`` end tag was found.
        """
        text, prose = self.text, self.prose
        size = len(text)
        while pos < size:
            line_end = text.find("\n", pos)
            if line_end < 0:
                line_end = size
            lead = _CONTAINER_RE.match(prose, pos, line_end)
            at = lead.end() if lead else pos
            if at < line_end and prose[at] == "<":
                nxt = self._block_html(at, stop, depth)
                if nxt is not None:
                    end, stopped = nxt
                    if stopped:
                        return end, True
                    # The rest of the line after an end tag starts a new block.
                    rest = end
                    while rest < size and text[rest] in " \t":
                        rest += 1
                    pos = rest + 1 if rest < size and text[rest] == "\n" else rest
                    continue
            pos = line_end + 1
        return size, False

    def _block_html(self, at: int, stop: str | None, depth: int) -> tuple[int, bool] | None:
        """The HTML at a block start: ``(end, stopped)``, or ``None`` when it is a paragraph."""
        text = self.text
        if text.startswith("<!--", at):
            close = self.comment_ends.at_or_after(at + 4)
            return (close + 3, False) if close >= 0 else None
        m = TAG_RE.match(text, at)
        if m:
            if m.group(1).lower() in SPAN_ELEMENTS:
                return None
            end = self._element(m, parent_raw=False, depth=depth, top=True)
            return end, False
        m = CLOSE_TAG_RE.match(text, at)
        if m and m.group(1).lower() not in SPAN_ELEMENTS and stop is not None and m.group(1).lower() == stop:
            return m.end(), True
        return None

    # Elements ---------------------------------------------------------------------------

    def _element(self, m: "re.Match[str]", parent_raw: bool, depth: int, top: bool) -> int:
        """Read the element whose start tag ``m`` matched; return where it ends.

        At the top (``top``), a raw or parsed element becomes a :class:`Region`; inside a
        raw one, only its extent matters (and a nested ``markdown`` attribute's hole).
        """
        name = _name(m.group(1))
        known = name in KNOWN_ELEMENTS
        closed = m.group(3) is not None or name in WITHOUT_BODY
        if name in ("script", "style"):
            end = self._raw_text_end(m.end(), name)
            if top:
                self.found.append(Region(m.start(), end, name, True, RAW))
            return end
        if parent_raw:
            model = RAW
        else:
            model = content_model(name) if self.renderer.parse_block_html else RAW
        attr = _markdown_attribute(m.group(2), known)
        if attr is not None:
            model = content_model(name) if attr == "default" else attr
        if depth >= MAX_DEPTH:
            model = RAW
        if closed:
            if top:
                self.found.append(Region(m.start(), m.end(), name, model == RAW, model))
            return m.end()
        if model == SPAN:
            end = self._raw_text_end(m.end(), name)
            found = end < len(self.text) or self.text.lower().endswith(f"</{name.lower()}>")
            if top:
                self.found.append(Region(m.start(), end, name, False, SPAN,
                                         unclosed=None if found else (name, m.start())))
            return end
        if model == BLOCK:
            end, stopped = self._blocks(self._after_blanks(m.end()), name, depth + 1)
            if top:
                self.found.append(Region(m.start(), end, name, False, BLOCK,
                                         unclosed=None if stopped else (name, m.start())))
            return end
        end, holes, unclosed = self._raw_body(m.end(), name, m.start(), depth)
        if top:
            self.found.append(Region(m.start(), end, name, True, RAW, tuple(holes), unclosed))
        return end

    def _after_blanks(self, pos: int) -> int:
        """kramdown skips the spaces and newline after a block-model start tag."""
        m = re.compile(r"[ \t]*\n").match(self.text, pos)
        return m.end() if m else pos

    def _raw_text_end(self, pos: int, name: str) -> int:
        """The end of the first ``</name>`` after ``pos`` (the page's end when none)."""
        key = name.lower()
        never = self._no_close.get(key)
        if never is not None and never <= pos:
            return len(self.text)
        close = re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE)
        found = close.search(self.text, pos)
        if found is None:
            self._no_close[key] = pos
            return len(self.text)
        return found.end()

    def _raw_body(self, pos: int, name: str, start: int, depth: int
                  ) -> tuple[int, list[tuple[int, int]], tuple[str, int] | None]:
        """kramdown's ``parse_raw_html``: everything up to the matching end tag is raw.

        A nested element is read to its own end tag first, so a nested ``<p>`` that is
        never closed swallows the outer end tag too; an end tag that closes nothing open
        is text. Returns the end, the holes (nested ``markdown`` elements) and the
        innermost element left open when the page ended.
        """
        text = self.text
        size = len(text)
        open_tags: list[tuple[str, int]] = [(name, start)]
        holes: list[tuple[int, int]] = []
        while open_tags:
            i = text.find("<", pos)
            if i < 0:
                return size, holes, open_tags[-1]
            if text.startswith("<!--", i):
                close = self.comment_ends.at_or_after(i + 4)
                pos = close + 3 if close >= 0 else i + 1
                continue
            if text.startswith("<?", i):
                close = self.instruction_ends.at_or_after(i + 2)
                pos = close + 2 if close >= 0 else i + 1
                continue
            m = TAG_RE.match(text, i)
            if m:
                child = _name(m.group(1))
                closed = m.group(3) is not None or child in WITHOUT_BODY
                if child in ("script", "style"):
                    pos = self._raw_text_end(m.end(), child)
                    continue
                attr = _markdown_attribute(m.group(2), child in KNOWN_ELEMENTS)
                if closed or attr in (None, "raw") or depth >= MAX_DEPTH:
                    pos = m.end()
                    if not closed:
                        open_tags.append((child, i))
                    continue
                model = content_model(child) if attr == "default" else attr
                if model == RAW:
                    pos = m.end()
                    open_tags.append((child, i))
                    continue
                if model == SPAN:
                    pos = self._raw_text_end(m.end(), child)
                    holes.append((m.end(), pos))
                    continue
                pos, _stopped = self._blocks(self._after_blanks(m.end()), child, depth + 1)
                holes.append((m.end(), pos))
                continue
            m = CLOSE_TAG_RE.match(text, i)
            if m:
                current = open_tags[-1][0]
                closing = m.group(1).lower() if current in KNOWN_ELEMENTS else m.group(1)
                if closing == current:
                    open_tags.pop()
                pos = m.end()
                continue
            pos = i + 1
        return pos, holes, None
