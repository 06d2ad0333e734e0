"""NL506 visible-markup: markdown syntax that the visitor sees as literal characters.

naislint parses with CommonMark, but what a visitor sees is what the site's renderer
makes of the page (``naislint.page.renderer``): kramdown for a Jekyll site, GFM for a
``CommonMarkGhPages`` site or a folder read on GitHub. This rule reports, in the
renderer's terms:

- a raw HTML region holding markdown (links, images, emphasis, backslash escapes such
  as ``2\\.``, heading markers, attribute lists): reported once, at its start tag, with
  a count and the fix for that renderer (kramdown keeps a ``<div>`` raw to its end tag
  unless it has ``markdown="1"``; GFM ends an HTML block at a blank line);
- bold markers the renderer leaves as text: unmatched or space-padded ``**`` and ``__``,
  and a ``*``/``_`` pair padded with spaces (``* note *``); a ``**`` joined to a path
  segment (``priority/**``, ``**/OWNERS``) is a glob, printed as meant;
- kramdown attribute lists printed as text: any on a GFM site; on a kramdown site one
  that follows a space or a plain word instead of the element it should decorate, or one
  without its colon (``{target="_blank"}``);
- entities escaped twice (``&amp;nbsp;``, ``&amp;amp;``), which show as ``&nbsp;``.

Code spans, code blocks, comments, Liquid and ``<pre>``/``<code>`` content are never
looked at, so a tutorial page that shows markdown in backticks is quiet. ``****`` runs
are ``split-emphasis``'s.

A log of dated entries (meeting minutes exported from a shared document,
:mod:`naislint.page.dated_log`) is a record nobody edits: it is left alone unless
``dated-logs`` is set.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import blank_ranges
from naislint.page import inline
from naislint.page.delimited import delimited_spans
from naislint.page.emphasis import (
    OPAQUE, HtmlSpan, commonmark_literals, html_spans, kramdown_html_literals, kramdown_literals,
)
from naislint.page.regions import (
    BLOCK, BLOCK_ELEMENTS, CLOSE_TAG_RE, RAW, SPAN, TAG_RE, WITHOUT_BODY, Region, content_model, regions,
)
from naislint.page.renderer import Renderer, for_document
from naislint.page.dated_log import is_dated_log
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: Elements whose content is meant literally (code, preformatted text, scripts).
LITERAL_ELEMENTS = ("script", "style", "pre", "code", "textarea", "kbd", "samp", "var", "math")

#: Markdown that shows as typed inside raw HTML, by kind (searched on masked text).
REGION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("image", re.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,2000}\)")),
    ("link", re.compile(r"(?<!!)\[[^\]\n]{1,300}\]\([^)\n]{0,2000}\)")),
    ("bold text", re.compile(r"(?<![\w*\\])(\*\*|__)(?=[^\s*_])[^\n]{0,300}?(?<=[^\s*_\\])\1(?![\w*])")),
    ("italic text", re.compile(r"(?<![\w*\\])\*(?=[^\s*])[^*\n]{0,300}?(?<=[^\s*\\])\*(?![\w*])")),
    ("bold marker", re.compile(r"(?<![*\\])\*\*(?!\*)")),
    ("backslash escape", re.compile(r"\\[!-/:-@\[-`{-~]")),
    ("heading marker", re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+(?=\S)")),
    ("attribute list", re.compile(r"\{:[^{}\n]{1,300}\}")),
)
#: For each kind, strings one of which every match of its pattern holds: a region whose
#: text (before masking, which only turns characters into blanks) holds none of them
#: cannot hold that markdown, and is neither masked nor searched for it.
_REGION_NEEDLES: dict[str, tuple[str, ...]] = {
    "image": ("](",), "link": ("](",), "bold text": ("**", "__"), "italic text": ("*",),
    "bold marker": ("**",), "backslash escape": ("\\",), "heading marker": ("#",), "attribute list": ("{:",),
}
_PLURAL = {"image": "images", "link": "links", "bold text": "bold texts", "italic text": "italic texts",
           "bold marker": "bold markers", "backslash escape": "backslash escapes", "heading marker": "heading markers",
           "attribute list": "attribute lists"}
#: Liquid tags and outputs, blanked inside a raw region (Jekyll replaces them before kramdown).
LIQUID_DELIMITERS = (("{%", "%}"), ("{{", "}}"))
COMMENT_DELIMITERS = (("<!--", "-->"),)
_ANY_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
#: A double-escaped entity: ``&amp;`` followed by an entity's name and ``;``.
DOUBLE_ENTITY_RE = re.compile(r"&amp;(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: A kramdown attribute list or header id (``{:...}``, ``{#id}``, ``{.class}``, ``{k=v}``);
#: ``{::name}`` extensions are kramdown syntax of their own and left alone.
IAL_RE = re.compile(r"\{(?!::):?[ \t]*(?:[#.:][^{}\n]*|[A-Za-z_][\w-]*=[^{}\n]*)\}")
#: What a span IAL may directly follow in kramdown: the end of a span element.
_SPAN_END = frozenset(")*_`>]}~")


@dataclass(frozen=True)
class Options:
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records kept as they were taken.
    dated_logs: bool = False


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    if not options.dated_logs and is_dated_log(doc):
        return
    findings = _findings(doc, ctx)
    if doc.front_matter is None:
        from naislint.page.frontmatter import broken_opening_fence

        if broken_opening_fence(doc.text) is not None:
            # '---** ' meant as the front matter's opening line: front-matter-missing
            # reports it (the page is not rendered at all), with the same fix.
            findings = (f for f in findings if f.span.line != 1)
    yield from findings


def _findings(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    text = doc.text
    renderer = for_document(doc)
    regs = sorted(regions(doc), key=lambda r: r.start)
    raw = [r for r in regs if r.raw]
    yield from _region_findings(doc, raw, renderer)
    covered = _Covered(raw)
    if any(ch in text for ch in "*_{]"):
        for block in inline.blocks(doc):
            if covered.contains(block.offset(0)):
                continue
            yield from _emphasis_findings(doc, block, renderer, ctx)
            if block.plain.count("](") > block.links or "]~" in block.plain or "]*" in block.plain \
                    or "]_" in block.plain:
                yield from _link_findings(doc, block, renderer)
            if "{" in block.text:
                yield from _ial_findings(doc, block, renderer)
    if "&amp;" in text:
        yield from _entity_findings(doc)
    if "#" in text and _NO_SPACE_MARKER_RE.search(text):
        yield from _heading_marker_findings(doc, renderer)


#: A paragraph line that is a heading but for the space after its ``#``: a link
#: (``#[FrontMatter Defaults](…)``) or two to six ``#`` (``##Contact us``). A single ``#``
#: before a word is left alone: that is a hashtag (``#SGWomenInTech``) as often as a
#: heading.
_NO_SPACE_HEADING_RE = re.compile(r"(#{1,6})(?=\[[^\]\n]+\]\()|(#{2,6})(?=[^\s#])")
#: What every match of :data:`_NO_SPACE_HEADING_RE` holds: its last ``#`` and what
#: follows it. A paragraph's line is a piece of the page's text, so a page without this
#: (most pages: their ``#`` is in ``## Title`` or ``#fff``) has no such paragraph; found
#: by its leading ``#`` at C speed.
_NO_SPACE_MARKER_RE = re.compile(r"#(?:#[^\s#]|\[[^\]\n]+\]\()")


def _heading_marker_findings(doc: Document, renderer: Renderer) -> Iterator[Finding]:
    """A one-line paragraph that starts with ``#`` and no space: kramdown (GFM input) and
    GFM both need a space after an ATX heading's ``#``, so the line prints as text with
    its ``#`` (kramdown's own input would take it, GFM input does not; kramdown 2.4)."""
    tokens = doc.tokens
    for k, token in enumerate(tokens):
        if token.type != "paragraph_open" or not token.map or token.map[1] - token.map[0] != 1:
            continue
        inline_token = tokens[k + 1] if k + 1 < len(tokens) else None
        if inline_token is None or inline_token.type != "inline":
            continue
        content = inline_token.content
        m = _NO_SPACE_HEADING_RE.match(content)
        if m is None:
            continue
        line = token.map[0] + 1
        source = doc.line(line)
        at = source.find(content)
        if at < 0 or doc.prose[doc.index.line_start(line) + at] != "#":
            continue
        start = doc.index.line_start(line) + at
        marks = m.group(1) or m.group(2)
        shown = content if len(content) <= 40 else content[:39] + "…"
        yield Finding(
            doc.span(start, start + len(marks)),
            f"heading marker {marks!r} has no space after it, so {renderer.label} prints {shown!r} as text with "
            f"its {marks!r}, not as a heading; put a space after {marks!r}",
        )


class _Covered:
    """Offsets inside raw regions (minus their holes): the region's report covers them."""

    def __init__(self, raw: list[Region]) -> None:
        spans: list[tuple[int, int]] = []
        for r in raw:
            cursor = r.start
            for a, b in sorted(r.holes):
                spans.append((cursor, a))
                cursor = b
            spans.append((cursor, r.end))
        spans.sort()
        self.starts = [a for a, _ in spans]
        self.spans = spans

    def contains(self, offset: int) -> bool:
        k = bisect.bisect_right(self.starts, offset) - 1
        return k >= 0 and self.spans[k][0] <= offset < self.spans[k][1]


# -- raw regions ------------------------------------------------------------------------------


def page_region_markdown(doc: Document, region: Region) -> list[tuple[str, int, str]]:
    """:func:`region_markdown` for a region of ``doc``, kept on the document:
    visible-markup, markdown-in-html, nbsp-entity and list-numbering each ask about the
    same regions of a page in turn."""
    kept: dict[Region, list[tuple[str, int, str]]] = doc.memo("visible_markup.region_markdown", dict)
    found = kept.get(region)
    if found is None:
        found = kept[region] = region_markdown(doc.text, region)
    return list(found)


def region_markdown(text: str, region: Region) -> list[tuple[str, int, str]]:
    """The markdown inside a raw region that shows as typed: ``(kind, offset, text)``."""
    src = text[region.start : region.end]
    wanted = [(kind, pattern) for kind, pattern in REGION_PATTERNS if any(n in src for n in _REGION_NEEDLES[kind])]
    if not wanted:
        return []  # most regions: no markdown character at all, nothing to mask
    body = _masked_region(text, region, src)
    found: list[tuple[str, int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in wanted:
        for m in pattern.finditer(body):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue  # inside a link or bold text already counted
            taken.append((a, b))
            if kind in ("backslash escape", "bold marker", "heading marker"):
                # A bare '\\.' or '**' says little: show the start of its line of text.
                while a > 0 and body[a - 1] not in "\n" and body[a - 1].strip():
                    a -= 1
                stop = body.find("\n", b)
                b = min(stop if stop >= 0 else len(body), b + 30)
            found.append((kind, region.start + a, " ".join(body[a:b].split())))
    found.sort(key=lambda item: item[1])
    return found


def _masked_region(text: str, region: Region, src: str | None = None) -> str:
    """The region's text with tags, comments, literal elements, holes and Liquid blanked
    (``src``: that text, when the caller has cut it already)."""
    base = region.start
    if src is None:
        src = text[region.start : region.end]
    spans: list[tuple[int, int]] = []
    spans.extend(delimited_spans(src, COMMENT_DELIMITERS))
    spans.extend(delimited_spans(src, LIQUID_DELIMITERS))
    spans.extend(_literal_spans(src))
    for pattern in (TAG_RE, CLOSE_TAG_RE, _ANY_TAG_RE):
        spans.extend(m.span() for m in pattern.finditer(src))
    spans.extend((a - base, b - base) for a, b in region.holes)
    return blank_ranges(src, spans)


def _region_findings(doc: Document, raw: list[Region], renderer: Renderer) -> Iterator[Finding]:
    text = doc.text
    for region in raw:
        if region.end - region.start < 4:
            continue
        found = page_region_markdown(doc, region)
        if not found or _decorative(found):
            continue
        tag_end = text.find(">", region.start) + 1 or region.start + 1
        first_line = doc.position(region.start)[0]
        last_line = doc.position(max(region.start, region.end - 1))[0]
        yield Finding(doc.span(region.start, tag_end), _region_message(doc, region, found, renderer, first_line, last_line))


def _region_message(doc: Document, region: Region, found: list[tuple[str, int, str]], renderer: Renderer, first: int, last: int) -> str:
    counts: dict[str, int] = {}
    for kind, _at, _text in found:
        counts[kind] = counts.get(kind, 0) + 1
    what = ", ".join(f"{n} {_PLURAL[kind] if n > 1 else kind}" for kind, n in counts.items())
    sample = found[0][2].replace("\n", " ")
    sample = sample if len(sample) <= 40 else sample[:37] + "..."
    lines = f"line {first}" if first == last else f"lines {first}-{last}"
    tag = region.tag
    if renderer.is_kramdown:
        head = (f"kramdown prints this <{tag}> ({lines}) as raw HTML, so its markdown shows literally "
                f"({what}; first '{sample}')")
        strays = [at for kind, at, _shown in found if kind == "heading marker" and _before_html_block(doc.text, at)]
        rest = [item for item in found if item[1] not in strays]
        delete = _stray_heading_fix(doc, strays) if strays else ""
        if not rest:
            fix = delete
        else:
            fix = _markdown_fix(doc, region, rest[0][1], tag)
            if delete:
                fix = f"{delete}; and for the rest, {fix}"
        if region.unclosed is not None:
            name, at = region.unclosed
            head += f"; the <{name}> on line {doc.position(at)[0]} is never closed"
            if _shown_after(doc, region, at):
                head += ", so everything after it to the end of the page is raw"
        return f"{head}: {fix}"
    return (f"GFM prints this HTML block ({lines}) as is, up to the next blank line, so its markdown "
            f"shows literally ({what}; first '{sample}'): leave a blank line between the HTML and "
            f"the markdown, or write it in HTML")


_TAG_RE = re.compile(r"<[^<>]*>")


def _shown_after(doc: Document, region: Region, unclosed: int) -> bool:
    """Whether a region left open to the end of the page by the element at ``unclosed``
    keeps anything a reader sees raw beyond the region's own last end tag (the
    ``</table>`` its author wrote): when nothing but tags and blank lines follows, the
    page's end only closes what was to end there anyway."""
    prose = doc.prose
    own_end = prose.rfind(f"</{region.tag}", unclosed, region.end)
    after = prose.find(">", own_end) + 1 if own_end != -1 else unclosed
    return bool(_TAG_RE.sub("", prose[max(after, unclosed) : region.end]).strip())


def _markdown_fix(doc: Document, region: Region, offset: int, tag: str) -> str:
    """The advice for markdown at ``offset`` in a raw region: ``markdown="1"`` on the element
    that holds it, unless kramdown would then read indented lines in it as code."""
    holder = _holder(doc.text, region, offset)
    if holder is not None:
        name, at, model = holder
        line = doc.position(at)[0]
        code = _code_line(doc.text, at, name, region.end) if model == BLOCK else None
        if model == BLOCK and (_indented(doc.text, offset) or code is not None):
            where = "its lines are" if code is None else f"line {doc.position(code)[0]} in it is"
            return (f"write it in HTML (<a href>, <strong>, <em>) inside the <{name}> on line {line}: "
                    f"{where} indented by a tab or four spaces, so with markdown=\"1\" kramdown "
                    f"would show {'them' if code is None else 'it'} as code")
        return (f"add markdown=\"1\" to the <{name}> on line {line} that holds it: kramdown reads "
                f"markdown only in an element that says so, and markdown=\"1\" on the <{tag}> "
                f"does not reach the elements inside it")
    if content_model(tag) == SPAN:
        return (f"add markdown=\"1\" to the <{tag}> so kramdown reads the markdown in it "
                f"(bold, links, escapes; not lists or headings)")
    if content_model(tag) == RAW:
        return ("write it in HTML (<strong>, <a href>), or add markdown=\"1\" to the element that "
                "holds the text (a <td>, <li> or <div>): on this one kramdown ignores it")
    code = _code_line(doc.text, region.start, tag, region.end)
    if code is not None:
        return (f"write it in HTML (<a href>, <strong>, <em>): line {doc.position(code)[0]} in the <{tag}> is "
                f"indented by a tab or four spaces, so with markdown=\"1\" kramdown would show it as code")
    return f"add markdown=\"1\" to the <{tag}> so kramdown reads its content as markdown"


#: A heading marker right before an HTML block element: ``# <table>``.
_HASH_BEFORE_TAG_RE = re.compile(r"[ \t]*(#{1,6})[ \t]+<([A-Za-z][\w-]*)")


def _before_html_block(text: str, offset: int) -> bool:
    """Whether the heading marker at ``offset`` (its line's start) stands right before a
    block element's start tag: it marks no heading text of its own, it is a stray ``#``."""
    m = _HASH_BEFORE_TAG_RE.match(text, offset)
    return m is not None and m.group(2).lower() in BLOCK_ELEMENTS


def _stray_heading_fix(doc: Document, strays: list[int]) -> str:
    """Delete a stray ``#`` before an HTML element: ``markdown="1"`` would make kramdown
    print the element's line as a heading's text (its tags escaped, checked with kramdown 2.4)."""
    first = _HASH_BEFORE_TAG_RE.match(doc.text, strays[0])
    assert first is not None
    lines = ", ".join(str(doc.position(at)[0]) for at in strays)
    where = f"line {lines}" if len(strays) == 1 else f"lines {lines}"
    return (f"delete the '{first.group(1)}' before the <{first.group(2).lower()}> on {where}: it marks no "
            f"heading text and shows as a stray '{first.group(1)}'; markdown=\"1\" would not help, kramdown "
            f"would make that line a heading and print the element's tags as its text")


def _decorative(found: list[tuple[str, int, str]]) -> bool:
    """A region whose only markdown is one ``*text*``: in a page written in HTML that is
    far more often an asterisk typed as text (``*New*`` flags, footnote marks) than
    italics that failed, and no editor rewrites it."""
    return len(found) == 1 and found[0][0] == "italic text"


#: Elements an editor can put ``markdown="1"`` on to have kramdown read what they hold.
_HOLDERS = frozenset(
    "address article aside blockquote dd details div dl dt fieldset figure figcaption footer form "
    "header li main nav section summary td th p h1 h2 h3 h4 h5 h6 caption legend".split()
)


def _holder(text: str, region: Region, offset: int) -> tuple[str, int, str] | None:
    """The innermost element inside ``region`` (not the region's own) that is still open at
    ``offset`` and can take ``markdown="1"``: ``(name, start offset, content model)``."""
    stack: list[tuple[str, int]] = []
    cursor = text.find(">", region.start) + 1
    if cursor <= 0 or cursor > offset:
        return None
    for m in _TAG_OR_CLOSE_RE.finditer(text, cursor, offset):
        if m.group(1):  # an end tag: close up to the matching element
            name = m.group(1).lower()
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == name:
                    del stack[k:]
                    break
        else:
            name = m.group(2).lower()
            if m.group(3) or name in WITHOUT_BODY:
                continue
            stack.append((name, m.start()))
    for name, at in reversed(stack):
        if name in _HOLDERS:
            return name, at, content_model(name)
    return None


_TAG_OR_CLOSE_RE = re.compile(r"</([A-Za-z][\w:-]*)\s*>|<([A-Za-z][\w:-]*)(?:\s[^<>]*?)?(/)?>")


def _code_line(text: str, start: int, name: str, limit: int) -> int | None:
    """The first line inside the element starting at ``start`` that kramdown, with
    ``markdown="1"`` on it, would read as an indented code block: a line indented by a tab
    or four spaces that starts a block (first in the element, or after a blank line)."""
    open_end = text.find(">", start, limit)
    if open_end < 0:
        return None
    end = _element_end(text, start, name, limit)
    children = _child_spans(text, open_end + 1, end)
    pos = text.find("\n", open_end, end)
    blank_before = True
    while 0 <= pos < end:
        line_start = pos + 1
        nl = text.find("\n", line_start, end)
        line = text[line_start: nl if nl >= 0 else end]
        if not line.strip():
            blank_before = True
        else:
            if blank_before and (line.startswith("\t") or line.startswith("    ")) \
                    and not line.lstrip().lower().startswith(f"</{name}") \
                    and not any(a <= line_start < b for a, b in children):
                return line_start
            blank_before = False
        pos = nl
    return None


def _child_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The content of the elements nested in ``text[start:end]``: kramdown reads a nested
    HTML element as HTML even under ``markdown="1"``, so its indented lines are no code."""
    spans: list[tuple[int, int]] = []
    depth = 0
    opened = start
    for m in _TAG_OR_CLOSE_RE.finditer(text, start, end):
        if m.group(1):
            if depth > 0:
                depth -= 1
                if depth == 0:
                    spans.append((opened, m.start()))
        elif not m.group(3) and m.group(2).lower() not in WITHOUT_BODY:
            if depth == 0:
                opened = m.end()
            depth += 1
    if depth > 0:
        spans.append((opened, end))
    return spans


def _element_end(text: str, start: int, name: str, limit: int) -> int:
    """Where the element whose start tag is at ``start`` ends (its end tag's end), or ``limit``."""
    depth = 0
    for m in _TAG_OR_CLOSE_RE.finditer(text, start, limit):
        if m.group(1) and m.group(1).lower() == name:
            depth -= 1
            if depth == 0:
                return m.end()
        elif m.group(2) and m.group(2).lower() == name and not m.group(3):
            depth += 1
    return limit


def _indented(text: str, offset: int) -> bool:
    """Whether the line holding ``offset`` starts with a tab or four spaces."""
    start = text.rfind("\n", 0, offset) + 1
    return text.startswith("\t", start) or text.startswith("    ", start)


# -- emphasis ---------------------------------------------------------------------------------


def _emphasis_findings(doc: Document, block: inline.Block, renderer: Renderer, ctx: RuleContext) -> Iterator[Finding]:
    s = block.text
    if "**" not in s and "__" not in s and " *" not in s and " _" not in s:
        return
    spans: list[HtmlSpan] = []
    if not renderer.is_kramdown:
        literals = commonmark_literals(s)
    elif renderer.parse_span_html and "<" in block.plain:
        literals = kramdown_html_literals(s, block.plain)
        spans = html_spans(block.plain)
    else:
        literals = kramdown_literals(s)
    if not literals:
        return
    reported_lines: set[int] = set()
    singles = _next_single([(i, run) for i, run in literals if len(run) == 1])
    # A line where split-emphasis reports a '****' (and fixes it) is its: the other run
    # left as text there is the same defect's other half.
    split_lines = _split_emphasis_lines(doc, ctx) if "****" in s else set()
    for i, run in literals:
        if _fill_in_blank(s, i, run):
            continue
        if len(run) == 1:
            if not _padded_single(s, i, run, singles):
                continue
        elif not _visible_double(s, i, run):
            continue
        at = block.offset(i)
        line = doc.position(at)[0]
        if line in reported_lines or line in split_lines:
            continue
        reported_lines.add(line)
        across = _across_element(spans, literals, i, run) if spans else None
        message = _across_message(run, across) if across is not None else _emphasis_message(s, i, run, renderer)
        yield Finding(doc.span(at, at + len(run)), message)


def _innermost(spans: list[HtmlSpan], i: int) -> HtmlSpan | None:
    """The innermost span element whose content holds offset ``i``."""
    found = None
    level = spans
    while True:
        for span in level:
            if span.content_start <= i < span.content_end:
                found = span
                level = span.children
                break
        else:
            return found


def _across_element(spans: list[HtmlSpan], literals: list[tuple[int, str]], i: int, run: str) -> HtmlSpan | None:
    """The element that keeps the marker at ``i`` from its partner: another literal run of
    the same marker sits on the other side of an element's boundary (kramdown reads a span
    element's content on its own, :func:`naislint.page.emphasis.kramdown_html_literals`)."""
    here = _innermost(spans, i)
    for j, other in literals:
        if j == i or other != run:
            continue
        there = _innermost(spans, j)
        if there is not here:
            return here if here is not None else there
    return None


def _across_message(run: str, element: HtmlSpan) -> str:
    kind = "bold" if len(run) >= 2 else "italic"
    tag = f"<{element.name}>"
    if element.closed:
        how = f"kramdown reads {tag} as an element of its own, and {kind} cannot start on one side of its " \
              f"tags and end on the other; put both {run!r} inside the element, or both outside it"
    else:
        how = f"kramdown reads {tag} as an element of its own that runs to the end of the paragraph (its " \
              f"</{element.name}> is missing), and {kind} cannot start outside it and end inside it; "
        how += (f'close the anchor where it starts (<{element.name} name="…"></{element.name}>), as it needs no text'
                if element.name == "a" else f"close the {tag} where its text ends")
    return f"{kind} marker {run!r} shows as literal characters, and so does its partner: {how}"


def _star_run(s: str, i: int, run: str) -> tuple[int, int]:
    """The whole run of the marker's character around a literal marker."""
    a, b = i, i + len(run)
    while a > 0 and s[a - 1] == run[0]:
        a -= 1
    while b < len(s) and s[b] == run[0]:
        b += 1
    return a, b


#: The shortest run of one marker character read as a blank to fill in (``________``).
BLANK_MIN = 3


def _fill_in_blank(s: str, i: int, run: str) -> bool:
    """A marker inside a run of three or more underscores (or asterisks) that stands alone as
    a word: a blank line to fill in (``This Barbie is ________``). Both renderers show only
    that character there (kramdown bolds part of it, ``<strong>__</strong>__``; cmark-gfm
    prints it whole), so the visitor sees the blank the author typed, no stray marker."""
    a, b = _star_run(s, i, run)
    if b - a < BLANK_MIN:
        return False
    before = s[a - 1] if a > 0 else " "
    after = s[b] if b < len(s) else " "
    return not before.isalnum() and not after.isalnum() and before not in "*_" and after not in "*_"


def _split_emphasis_lines(doc: Document, ctx: RuleContext) -> set[int]:
    """Lines on which split-emphasis reports touching bold runs (memoised per page)."""
    from naislint.rules import split_emphasis

    return doc.memo("visible-markup.split-lines",
                    lambda: {f.span.line for f in split_emphasis.check(doc, ctx, None)})


def _visible_double(s: str, i: int, run: str) -> bool:
    """A ``**``/``__`` left as text that the author meant as markup.

    ``****Text****`` is nested bold to CommonMark, but kramdown prints two of its
    asterisks: it is reported (split-emphasis leaves it alone).
    """
    a, b = _star_run(s, i, run)
    before = s[a - 1] if a > 0 else " "
    after = s[b] if b < len(s) else " "
    if before.isalnum() and after.isalnum():
        return False  # 2**10, snake__case: inside a word, not emphasis
    if OPAQUE == before == after:
        return False  # between two code spans or tags: a literal meant as such
    if run == "**" and b - a == 2 and "/" in (before, after):
        return False  # priority/**, **/OWNERS: a path glob, printed as typed and meant so
    return True


def _next_single(singles: list[tuple[int, str]]) -> dict[int, int]:
    """For each single marker left as text, where the next one of the same kind is."""
    following: dict[int, int] = {}
    last: dict[str, int] = {}
    for i, run in reversed(singles):
        if run in last:
            following[i] = last[run]
        last[run] = i
    return following


def _padded_single(s: str, i: int, run: str, following: dict[int, int]) -> bool:
    """A ``* text *`` pair: an opener whose partner after the text follows a space."""
    size = len(s)
    before = s[i - 1] if i > 0 else " "
    after = s[i + 1] if i + 1 < size else " "
    if not (before.isspace() and after.isspace()):
        return False
    j = following.get(i)
    if j is None or s.find("\n", i, j) >= 0:
        return False
    inner = s[i + 1 : j].strip()
    o_before = s[j - 1]
    o_after = s[j + 1] if j + 1 < size else " "
    return bool(o_before.isspace() and (o_after.isspace() or o_after in ".,;:!?)") and inner
                and inner[0].isalpha() and inner[-1].isalnum())


def _emphasis_message(s: str, i: int, run: str, renderer: Renderer) -> str:
    kind = "bold" if len(run) >= 2 else "italic"
    after = s[i + len(run)] if i + len(run) < len(s) else ""
    before = s[i - 1] if i > 0 else ""
    who = renderer.label
    doubled = _doubled_marker(s, i, run)
    if doubled is not None:
        example = f" ({doubled})" if doubled else ""
        return (f"{kind} marker {run!r} shows as literal characters: {run * 2!r} is the {kind} marker "
                f"written twice, which {who} does not read as one {kind}; cut each {run * 2!r} to "
                f"{run!r}{example}")
    pair = _empty_pair(s, i, run)
    if pair:
        return (f"{kind} marker {run!r} shows as literal characters: {pair} marks nothing; delete it")
    if (after.isspace() or before.isspace()) and _lone(s, i, run):
        return (f"{kind} marker {run!r} shows as literal characters: it is the only {run!r} in the "
                f"paragraph, with no partner, so it marks nothing; delete it")
    if after.isspace() or before.isspace():
        return (f"{kind} marker {run!r} shows as literal characters: {who} does not read a marker "
                f"with a space on its inner side as {kind}; move the space outside the marker "
                f"('{run}Note:{run} text', not '{run}Note: {run}text')")
    line_end = s.find("\n", i)
    rest = s[i + len(run): line_end if line_end >= 0 else len(s)]
    k = rest.find(run)
    if k > 0 and rest[k - 1].isspace():
        return (f"{kind} marker {run!r} shows as literal characters: its closing {run!r} follows a "
                f"space, and {who} does not read that as the end of {kind}; move the space outside "
                f"the marker ('{run}Note:{run} text', not '{run}Note: {run}text')")
    return (f"{kind} marker {run!r} shows as literal characters: {who} finds no closing {run!r} for it; "
            f"close it, or remove it")


def _doubled_marker(s: str, i: int, run: str) -> str | None:
    """For a marker that is half of a doubled bold marker (``****``): the fix written out
    (``'**Text**', not '****Text****'``) when another doubled marker on its line pairs
    with it, ``""`` when none does; ``None`` for any other marker. The fix is one marker
    on each side, not a closing marker."""
    if len(run) != 2:
        return None
    a, b = _star_run(s, i, run)
    if b - a != 4:
        return None
    doubled = run * 2
    start = s.rfind("\n", 0, a) + 1
    end = s.find("\n", b)
    end = len(s) if end == -1 else end
    runs = [m.span() for m in re.finditer(re.escape(run[0]) + "+", s[start:end])]
    runs = [(x + start, y + start) for x, y in runs if y - x == 4]
    k = runs.index((a, b))
    partner = runs[k + 1] if k % 2 == 0 and k + 1 < len(runs) else runs[k - 1] if k % 2 else None
    if partner is None:
        return ""
    first, last = sorted(((a, b), partner))
    inner = s[first[1] : last[0]]
    if not inner.strip():
        return ""
    inner = inner if len(inner) <= 30 else inner[:27] + "..."
    return f"'{run}{inner}{run}', not '{doubled}{inner}{doubled}'"


def _lone(s: str, i: int, run: str) -> bool:
    """Whether the marker is the only run of its character in the block: nothing it could
    have been meant to pair with, so moving a space cannot make it markup."""
    a, b = _star_run(s, i, run)
    return run[0] * 2 not in s[:a] and run[0] * 2 not in s[b:] if len(run) >= 2 else (
        run not in s[:a] and run not in s[b:])


def _empty_pair(s: str, i: int, run: str) -> str:
    """``'** **'`` when the marker is one of a pair with only spaces between, else ``""``."""
    after = s[i + len(run):]
    inner = after[: len(after) - len(after.lstrip(" \t"))]
    if inner and after[len(inner):].startswith(run):
        return f"'{run}{inner}{run}'"
    before = s[:i]
    inner = before[len(before.rstrip(" \t")):]
    if inner and before[: len(before) - len(inner)].endswith(run):
        return f"'{run}{inner}{run}'"
    return ""


# -- links ----------------------------------------------------------------------------------


def _link_findings(doc: Document, block: inline.Block, renderer: Renderer) -> Iterator[Finding]:
    """Link markup that is no link: ``](`` the renderer leaves as text."""
    s = block.plain
    tags = [m.span() for m in _ANY_TAG_RE.finditer(s)] if "<" in s else []
    openers = _bracket_openers(s)
    seen: set[int] = set()
    for count, m in enumerate(_LINK_CLOSE_RE.finditer(s)):
        if count >= MAX_LINKS_PER_BLOCK:
            break  # a block built of brackets: no answer rather than a slow one
        i = m.start()
        if tags and any(a < i < b for a, b in tags):
            continue
        opener = openers.get(i)
        if opener is not None and opener > 0 and s[opener - 1] == "]":
            continue  # '[text][label](': a reference link, then a parenthesis
        paren = m.end() - 1
        if m.group(0) == "](":
            if opener is not None and _destination_end(s, paren + 1, renderer) is not None:
                continue
            if opener is not None and _spaced_destination_at(doc, block.offset(paren) + 1):
                continue  # link-syntax's: a destination with a space, reported with its fix
            why = ("the destination is not closed or not valid" if opener is not None
                   else "no '[' opens the link text")
        elif opener is None:
            continue
        else:
            why = "emphasis markers stand between ']' and '('"
        at = block.offset(i)
        line = doc.position(at)[0]
        if line in seen:
            continue
        seen.add(line)
        start = block.offset(opener) if opener is not None else at
        if doc.position(start)[0] != line:
            start = at
        end = block.offset(paren) + 1
        shown = doc.text[start:end] if end > start else "]("
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        yield Finding(doc.span(start, end),
                      f"link markup {shown!r} shows as literal text: {renderer.label} reads no link here ({why})")


def _spaced_destination_at(doc: Document, at: int) -> bool:
    """Whether a link destination with whitespace inside starts at ``at`` (after the
    spaces that may open it): link-syntax reports that link, with the fix that makes it
    one; a second report of the same brackets would say the same thing twice."""
    from naislint.page.links import page_links

    starts = doc.memo("visible-markup.spaced-starts", lambda: {
        doc.offset(ref.span.line, ref.span.column) for ref in page_links(doc) if ref.spaced
    })
    if not starts:
        return False
    text = doc.text
    while at < len(text) and text[at] in " \t":
        at += 1
    return at in starts


#: More '](' than this in one paragraph is not prose; the rest are not checked.
MAX_LINKS_PER_BLOCK = 500
#: Longest link destination looked for (kramdown's runs to the balancing ')').
MAX_DESTINATION = 2000


def _bracket_openers(s: str) -> dict[int, int]:
    """For each ``]``, the ``[`` it closes (the nearest open one), in one pass."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for m in _BRACKET_RE.finditer(s):
        if m.group(0) == "[":
            stack.append(m.start())
        elif stack:
            pairs[m.start()] = stack.pop()
    return pairs


_BRACKET_RE = re.compile(r"[\[\]]")
_LINK_CLOSE_RE = re.compile(r"\](?:\(|(?:~~|\*\*|\*|__|_)\()")


def _destination_end(s: str, pos: int, renderer: Renderer) -> int | None:
    """Where a link's ``(destination "title")`` ends, or ``None`` when it is no destination.

    CommonMark: ``<...>`` or a run without spaces and with balanced parentheses, then an
    optional title. kramdown also takes spaces: everything up to the balancing ``)``.
    """
    size = min(len(s), pos + MAX_DESTINATION)
    if renderer.is_kramdown:
        depth = 0
        j = pos
        if j < size and s[j] == "<":
            k = s.find(">", j, size)
            return k + 1 if k >= 0 and s.find(")", k, size) >= 0 else None
        while j < size:
            ch = s[j]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    return j + 1
                depth -= 1
            j += 1
        return None
    m = _CM_DESTINATION_RE.match(s, pos, size)
    return m.end() if m else None


_CM_DESTINATION_RE = re.compile(
    r"[ \t]*\n?[ \t]*(?:<[^<>\n]*>|(?:[^\s()\\\x00-\x1f]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
    r"(?:[ \t]*\n?[ \t]*(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*\n?[ \t]*\)"
)


# -- attribute lists --------------------------------------------------------------------------


def _ial_findings(doc: Document, block: inline.Block, renderer: Renderer) -> Iterator[Finding]:
    original = doc.text
    for m in IAL_RE.finditer(block.text.replace(OPAQUE, "\x02")):
        at = block.offset(m.start())
        end = block.offset(m.end() - 1) + 1
        source = original[at:end]
        if not source.startswith("{") or not source.endswith("}"):
            continue
        if renderer.reads_attribute_lists and _kramdown_reads(block, m, source):
            continue
        if renderer.reads_attribute_lists:
            why = ("kramdown reads an attribute list only right after the element it decorates "
                   "(no space before it) and with its colon ('{:'); this one prints as text")
        else:
            why = ("GFM does not read kramdown attribute lists; this one prints as text: use an "
                   "HTML tag with the attribute, or remove it")
        shown = source if len(source) <= 40 else source[:37] + "..."
        yield Finding(doc.span(at, end), f"attribute list {shown!r} shows as literal text: {why}")


def _kramdown_reads(block: inline.Block, m: "re.Match[str]", source: str) -> bool:
    """Whether kramdown applies this attribute list instead of printing it."""
    s = block.text
    a, b = m.span()
    alone = s[:a].strip() == "" and s[b:].strip() == "" if "\n" not in s else (
        s[s.rfind("\n", 0, a) + 1 : a].strip() == "" and s[b : (s.find("\n", b) + 1 or len(s) + 1) - 1].strip() == ""
    )
    if source.startswith("{:"):
        if alone:
            return True  # a block attribute list on its own line
        before = s[a - 1] if a > 0 else ""
        return before in _SPAN_END or before == OPAQUE
    # No colon: only a header id at the end of a heading is kramdown syntax.
    return block.kind == "heading_open" and source.startswith("{#") and s[b:].strip() == ""


# -- entities ---------------------------------------------------------------------------------


def _entity_findings(doc: Document) -> Iterator[Finding]:
    """``&amp;name;`` outside code: the visitor reads ``&name;``, not the character."""
    prose = doc.prose
    literal = _literal_spans(doc.text)
    seen: set[int] = set()
    for m in DOUBLE_ENTITY_RE.finditer(prose, doc.body_start):
        if any(a <= m.start() < b for a, b in literal):
            continue  # <code>&amp;nbsp;</code> shows the entity on purpose
        line = doc.position(m.start())[0]
        if line in seen:
            continue
        seen.add(line)
        entity = "&" + m.group(1) + ";"
        yield Finding(
            doc.span(m.start(), m.end()),
            f"{m.group(0)!r} is escaped twice and shows as the text {entity!r}: write {entity!r}",
        )


def _literal_spans(text: str) -> list[tuple[int, int]]:
    """Where ``<pre>``, ``<code>`` and the other literal elements are on the page."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for name in LITERAL_ELEMENTS:
        if f"<{name}" in lowered:
            spans.extend(m.span() for m in re.finditer(rf"<{name}\b.*?(?:</{name}\s*>|\Z)", text,
                                                       re.IGNORECASE | re.DOTALL))
    return spans


RULE = Rule(
    code="NL506",
    name="visible-markup",
    summary="markdown the visitor sees as literal characters, in the site's renderer",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
