"""NL504 heading-increment: heading levels that skip (``##`` then ``####``).

Markdown headings and HTML ``<h1>``-``<h6>`` tags are taken together in page order. The
first heading of a page may have any level (the layout prints the page title above it);
after that each heading may go at most one level deeper than the one before.

The outline is the one the site's renderer makes. kramdown takes an underline (``===``,
``---``) for a setext heading only under a single line of text that starts a block;
CommonMark takes it under a whole paragraph. Lines of text over a ``---`` (a page whose
front matter lost its opening ``---``) are a paragraph on a kramdown site, not an h2. And
kramdown ends an HTML element at its end tag: a ``#### Heading`` on the lines right after
``<h2>...</h2>`` is a heading there, though CommonMark reads it as part of the HTML block.

A callout's title is not part of that outline: an HTML box standing on its own between
the page's markdown blocks (``<div class="note">``, ``<aside>``), that opens with a
heading, holds text after it and closes before the next heading. The heading titles the
box, not a section: the page's section goes on after the box, and the level is the
box's style, the same on every page that uses it (jekyllrb.com's notes are ``<h5>``
under any section). A heading inside the page's own HTML layout (a card in a grid, a
heading wrapped in a ``<div>`` with no text of its own) is not a callout's.

A log of dated entries (meeting minutes, session notes, see
:mod:`naislint.page.dated_log`) is a record taken live and never edited after: its
outline is left alone unless ``dated-logs`` is set.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.html import Element, HtmlTag, page_tags, structure
from naislint.page import literal
from naislint.page.dated_log import is_dated_log
from naislint.page.document import Document
from naislint.page.renderer import for_document
from naislint.registry import Rule, RuleContext

HTML_HEADINGS = {f"h{n}": n for n in range(1, 7)}
#: Elements that make a box a callout can be (a note, a warning, an aside).
BOXES = frozenset({"div", "aside", "blockquote", "details", "figure"})


@dataclass(frozen=True)
class Options:
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records nobody edits once the meeting is over.
    dated_logs: bool = False


def headings(doc: Document) -> list[tuple[int, int, int]]:
    """(offset, end offset, level) of every heading the renderer makes, in page order
    (computed once per Document: heading-structure reads the same outline). A markdown
    heading inside a region kramdown prints raw is text, not a heading; an HTML heading
    there is still one."""
    return doc.memo("headings.outline", lambda: _headings(doc))


def _headings(doc: Document) -> list[tuple[int, int, int]]:
    found = []
    text = doc.text
    index = doc.index
    kramdown = for_document(doc).is_kramdown
    tokens = doc.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or not token.map:
            continue
        if kramdown and not token.markup.startswith("#") and not _kramdown_setext(doc, tokens, i):
            continue  # kramdown renders the lines and the underline as a paragraph
        # The heading's first line (its text, or a setext heading's text line).
        start = index.line_start(token.map[0] + 1)
        first = text[start : index.line_end(token.map[0] + 1)] if token.map[1] > token.map[0] else ""
        at = start + len(first) - len(first.lstrip())
        if token.markup.startswith("#"):
            hash_at = first.find("#")
            at = start + (hash_at if hash_at != -1 else 0)
            if kramdown and not _kramdown_atx(token, first, hash_at):
                continue  # kramdown prints the line as a paragraph
        if literal.region_at(doc, at) is not None:
            continue  # a '#' line inside raw HTML: kramdown prints it as text, no heading
        found.append((at, start + len(first), int(token.tag[1])))
    if kramdown:
        found.extend(_headings_after_html(doc))
    for tag in page_tags(doc):
        if tag.name in HTML_HEADINGS and tag.kind == "start":
            found.append((tag.start, tag.start + 3, HTML_HEADINGS[tag.name]))
    found.sort()
    return found


def _headings_after_html(doc: Document) -> list[tuple[int, int, int]]:
    """The ``#`` headings in lines CommonMark takes for part of an HTML block but kramdown
    reads as markdown: ``<h2>Grow With Us</h2>``, then ``-----`` and ``#### Join us`` with
    no blank line between, is an h2, a rule and an h4 in kramdown (markdown-it has no
    heading token there). A line counts when it starts with ``#`` as kramdown's ATX header
    does (``#`` signs, a blank, text)."""
    from naislint.page.anchors import ATX_RE, CLOSING_HASHES_RE

    prose = doc.prose
    index = doc.index
    found = []
    for a, b in literal.markdown_in_html_blocks(doc):
        if "#" not in prose[a:b]:
            continue
        first, last = index.position(a)[0], index.position(max(a, b - 1))[0]
        for number in range(first, last + 1):
            start, end = index.line_start(number), index.line_end(number)
            if start < a:
                continue  # the stretch starts after an end tag, mid-line: no header there
            m = ATX_RE.match(prose[start:end])  # (its '^' holds only at a string's start)
            if m and CLOSING_HASHES_RE.sub("", m.group(2).strip()).strip():
                found.append((start, end, len(m.group(1))))
    return found


def _kramdown_atx(token: Any, first: str, hash_at: int) -> bool:
    """Whether kramdown makes a heading of the ``#`` line CommonMark reads as one: not when
    nothing follows the signs (``## `` renders as a paragraph "##"), nor when the line is
    indented outside any list or quote (kramdown's header starts in the first column;
    `` #### Written Reply`` is a paragraph)."""
    if hash_at == -1:
        return True
    if not first[hash_at:].lstrip("#").strip():
        return False
    return not (token.level == 0 and first[:hash_at].strip(" \t") == "" and hash_at > 0)


def _kramdown_setext(doc: Document, tokens: list[Any], i: int) -> bool:
    """Whether kramdown makes a heading of the setext heading ``tokens[i]`` CommonMark
    reads: its text must be one line (``token.map`` spans the text and the underline) and
    start a block (kramdown's ``after_block_boundary?``): the page's first line, the line
    after a blank one, or the first line of a list item or quote."""
    start, end = tokens[i].map
    if end - start != 2:
        return False
    if start + 1 <= doc.body_first_line:
        return True
    if not doc.line(start).strip(" \t>"):
        return True
    before = tokens[i - 1] if i > 0 else None
    return before is not None and before.type in ("list_item_open", "blockquote_open") and bool(before.map) \
        and before.map[0] == start


def section_headings(doc: Document) -> list[tuple[int, int, int]]:
    """:func:`headings` without the callouts' titles: the page's section outline."""
    return doc.memo("headings.sections", lambda: _section_headings(doc))


def _section_headings(doc: Document) -> list[tuple[int, int, int]]:
    outline = headings(doc)
    titles = _callout_titles(doc, outline)
    return [h for h in outline if h[0] not in titles] if titles else outline


def _callout_titles(doc: Document, outline: list[tuple[int, int, int]]) -> set[int]:
    """Offsets of the HTML headings that title a callout box (see the module doc)."""
    html_headings = {at for at, _end, _level in outline if doc.text.startswith("<", at)}
    if not html_headings:
        return set()
    block_starts = set()
    for token in doc.tokens:
        if token.type == "html_block" and token.level == 0 and token.map:
            src = doc.source_of(token)
            block_starts.add(src.start + len(src.text) - len(src.text.lstrip()))
    starts = [at for at, _end, _level in outline]
    titles: set[int] = set()
    open_boxes: list[tuple[Element, HtmlTag]] = []  # elements (and end tags) that enclose the current position
    for element in structure(doc).elements:
        here = element.start.start
        while open_boxes and open_boxes[-1][1].end <= here:
            open_boxes.pop()
        if here in html_headings and element.end is not None and open_boxes:
            box = open_boxes[-1][0]
            if _is_callout(doc, box, element, len(open_boxes) == 1 and box.start.start in block_starts, starts):
                titles.add(here)
        if element.end is not None and not element.implicit:
            open_boxes.append((element, element.end))
    return titles


def _is_callout(doc: Document, box: Element, heading: Element, standalone: bool, starts: list[int]) -> bool:
    """Whether ``heading`` (an element) titles the callout ``box``: the box stands alone
    among the markdown, the heading comes first in it, text follows it, and the box
    holds no other heading."""
    if not standalone or box.name not in BOXES:
        return False
    assert box.end is not None and heading.end is not None  # both have end tags
    text = doc.text
    if _visible(text[box.start.end : heading.start.start]):
        return False
    if not _visible(text[heading.end.end : box.end.start]):
        return False
    k = bisect.bisect_right(starts, heading.start.start)
    return k == len(starts) or starts[k] >= box.end.start


def _visible(html: str) -> bool:
    """Whether a stretch of HTML holds text (tags, comments and Liquid aside)."""
    return bool(_INVISIBLE_RE.sub("", html).strip())


_INVISIBLE_RE = re.compile(r"<!--.*?-->|<[^>]*>|\{%.*?%\}", re.DOTALL)


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    if options is not None and not options.dated_logs and is_dated_log(doc):
        return
    previous = None
    for at, end, level in section_headings(doc):
        if previous is not None and level > previous + 1:
            yield Finding(
                doc.span(at, end),
                f"heading level {level} after level {previous}: it skips level {previous + 1}",
            )
        previous = level


RULE = Rule(
    code="NL504",
    name="heading-increment",
    summary="heading levels that skip",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
