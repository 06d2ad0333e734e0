"""NL403 markdown-in-html: markdown syntax inside raw HTML, printed literally.

What is raw HTML depends on the site's renderer (:mod:`naislint.page.regions`):

- GFM (cmark-gfm, ``CommonMarkGhPages``, a folder read on GitHub): an HTML block starts
  with a block-level tag and runs to the next blank line;
- kramdown (Jekyll's default): an element that starts a block is raw up to its matching
  end tag, blank lines included, unless it has ``markdown="1"`` (or ``_config.yml`` sets
  ``parse_block_html``); the line after ``<p>...</p>`` is markdown again.

Ownership, shared with ``visible-markup`` (which reports a raw region once, at its start
tag): a raw region in which visible-markup finds markdown (links, images, emphasis,
escapes, heading markers, attribute lists) is visible-markup's, and this rule says
nothing there. This rule reports, one line at a time, the markdown visible-markup does
not count: list markers whose lines run together in the browser. Two or more list lines
make a list; a single dash in wrapped text, or lines that each follow a ``<br>`` or a
block tag (hand-numbered steps that read as intended), are not reported.

Text inside tags (attribute values), comments and ``<script>``/``<style>``/``<pre>``/
``<code>`` is not looked at. Blocks that start with an inline tag (``<span>``, ``<b>``,
``<img>``) are skipped: both renderers read those lines as a paragraph.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.html import VOID_ELEMENTS, INLINE_ELEMENTS, Fragment, HtmlTag, fragment_tags, page_tags
from naislint.page.regions import RAW, Region, content_model, raw_regions
from naislint.page.renderer import for_document
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

RAW_CONTENT = frozenset({"script", "style", "pre", "code", "textarea", "kbd", "samp"})

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # bounded: a run longer than 300 characters is not taken for bold (keeps this linear)
    ("bold", re.compile(r"(?<![\w*\\])(\*\*|__)(?=[^\s*_])[^\n]{0,300}?(?<=[^\s*_\\])\1(?![\w*])")),
    ("italic", re.compile(r"(?<![\w*\\])\*(?=[^\s*])[^*\n]{0,300}?(?<=[^\s*\\])\*(?![\w*])")),
    # bounded too: a line of 40,000 unclosed '[' took 40 s unbounded
    ("link", re.compile(r"(?<!\\)!?\[[^\]\n]{1,300}\]\([^)\s]{1,2000}(?:[ \t]+\"[^\"\n]{0,300}\")?\)")),
)
LINE_START_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("list marker", re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+(?=\S)")),
    ("heading marker", re.compile(r"[ \t]*#{1,6}[ \t]+(?=\S)")),
)


#: Characters without which a pattern cannot match: most HTML blocks have none of them
#: outside their tags, and skip the pattern.
_TRIGGERS = {"bold": ("**", "__"), "italic": ("*",), "link": ("](",)}
#: The start of a line that can start with a list or heading marker (checked in full by
#: LINE_START_PATTERNS): the first line, and any after a newline (a pattern that starts
#: with a newline is found several times faster than one anchored with ``^``).
_MARKER_FIRST_LINE_RE = re.compile(r"[ \t]*(?:[-+*#]|\d)")
_MARKER_LINE_RE = re.compile(r"\n[ \t]*(?:[-+*#]|\d)")


def _masked(frag: Fragment, tags: list[HtmlTag]) -> str:
    """The fragment's text with tags, comments and raw-content elements blanked."""
    text = frag.text
    base = frag.start
    size = len(text)
    spans: list[tuple[int, int]] = []
    open_raw: dict[str, int] = {}
    for tag in tags:
        spans.append((tag.start - base, tag.end - base))
        if tag.name in RAW_CONTENT:
            if tag.kind == "start":
                open_raw.setdefault(tag.name, tag.end - base)
            elif tag.kind == "end" and tag.name in open_raw:
                spans.append((open_raw.pop(tag.name), tag.start - base))
    spans.extend((start, size) for start in open_raw.values())
    spans.sort()
    pieces: list[str] = []
    cursor = 0
    for a, b in spans:
        a = max(a, cursor, 0)
        b = min(b, size)
        if b <= a:
            continue
        pieces.append(text[cursor:a])
        pieces.append("\n".join(" " * len(part) for part in text[a:b].split("\n")))
        cursor = b
    pieces.append(text[cursor:])
    return "".join(pieces)


def _blocks(doc: Document) -> Iterator[tuple[Fragment, list[tuple[int, int, str, str]], Region | None]]:
    """Each piece of raw HTML with the markdown found in it, one piece per line.

    GFM: CommonMark's HTML blocks (region ``None``). kramdown: the raw regions, without
    the holes a nested ``markdown="1"`` element makes.
    """
    if "<" not in doc.text:
        return
    if for_document(doc).is_kramdown:
        tags = page_tags(doc)
        starts = [t.start for t in tags]
        for region in raw_regions(doc):
            if region.end - region.start < 4:
                continue
            lo, hi = bisect.bisect_left(starts, region.start), bisect.bisect_left(starts, region.end)
            inside = tags[lo:hi]
            first = next((t for t in inside if t.kind != "comment"), None)
            if first is None:
                continue
            frag = Fragment(doc.text[region.start : region.end], region.start, True)
            found = [f for f in _line_findings(frag, inside, first)
                     if not any(a <= f[0] < b for a, b in region.holes)]
            yield frag, found, region
        return
    for frag, frag_tags in fragment_tags(doc):
        if not frag.block or not frag_tags:
            continue
        first = next((t for t in frag_tags if t.kind != "comment"), None)
        if first is None or first.name in INLINE_ELEMENTS or first.name in VOID_ELEMENTS:
            continue
        yield frag, _line_findings(frag, frag_tags, first), None


def pieces(doc: Document) -> list[tuple[int, int, str, str]]:
    """Every piece of markdown the renderer prints literally in raw HTML, one per line:
    ``(start, end, kind, text)``, before the split with visible-markup and the list filter."""
    return [f for _frag, found, _region in _blocks(doc) for f in found]


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    if "<" not in doc.text:
        return
    owned = _Owned(doc, raw_regions(doc))
    for frag, found, region in _blocks(doc):
        if not found or (region is not None and owned.region(region)):
            continue
        for piece in _lists_only(frag.text, frag.start, found):
            if region is None and owned.offset(piece[0]):
                continue
            yield _finding(doc, *piece, region=region)


class _Owned:
    """The raw regions visible-markup reports (it finds markdown in them): theirs, not ours.

    Whether a region is visible-markup's is asked only for the regions around a piece
    this rule would report (most raw regions have none), so the search for markdown in
    a region (as costly as the rest of this rule) runs for those alone, once each.
    """

    def __init__(self, doc: Document, raw: list[Region]) -> None:
        self.doc = doc
        self.regions = sorted(raw, key=lambda r: (r.start, r.end))
        self.starts = [r.start for r in self.regions]
        #: The furthest end of the regions up to each one: an offset past it lies in none
        #: of them, owned or not, so the search for the owner stops there.
        self.reach: list[int] = []
        for r in self.regions:
            self.reach.append(max(r.end, self.reach[-1]) if self.reach else r.end)
        self._has_markdown: dict[int, bool] = {}

    def _owned(self, k: int) -> bool:
        known = self._has_markdown.get(k)
        if known is None:
            from naislint.rules.visible_markup import page_region_markdown

            known = self._has_markdown[k] = bool(page_region_markdown(self.doc, self.regions[k]))
        return known

    def offset(self, at: int) -> bool:
        """Whether the last owned region that starts at or before ``at`` holds it."""
        k = bisect.bisect_right(self.starts, at) - 1
        while k >= 0 and self.reach[k] > at and not self._owned(k):
            k -= 1
        return k >= 0 and at < self.regions[k].end

    def region(self, region: Region) -> bool:
        return self.offset(region.start)


#: A line that ends where the browser starts a new line anyway: a ``<br>`` or a block tag.
_BREAK_END_RE = re.compile(
    r"<(?:br|/?(?:p|div|li|ul|ol|dt|dd|h[1-6]|tr|td|th|table|section|article|blockquote|hr))\b[^<>]*>[ \t]*$",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"[ \t]*(\d{1,9})[.)]")


def _lists_only(text: str, base: int, found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Keep list markers only where they make a list whose lines run together.

    A list marker printed as text reads as intended when its line starts a new line in
    the browser anyway (the line before ends with ``<br>`` or a block tag) or when it is
    alone (a dash in wrapped text). Two or more marker lines of one kind (one bullet
    character; numbers that go up), with blank lines only between them, make a run; a run
    is reported, every line of it, when at least one of its lines runs into the line
    before. Other kinds pass unchanged.
    """
    markers = [f for f in found if f[2] == "list marker"]
    if not markers:
        return found
    lines = text.split("\n")
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    keep: set[int] = set()
    run: list[tuple[int, tuple[int, int, str, str]]] = []

    def kind(f: tuple[int, int, str, str]) -> str:
        return "number" if f[3][:1].isdigit() else f[3][:1]

    def close() -> None:
        if len(run) >= 2 and any(not _breaks_before(lines, n) for n, _f in run[1:]):
            keep.update(id(f) for _n, f in run)
        run.clear()

    for f in markers:
        n = bisect.bisect_right(line_starts, f[0] - base) - 1
        if run:
            last_n, last = run[-1]
            between = lines[last_n + 1 : n]
            same = kind(f) == kind(last) and all(not b.strip() for b in between)
            if same and kind(f) == "number":
                a, b = _NUMBER_RE.match(last[3]), _NUMBER_RE.match(f[3])
                same = bool(a and b and int(b.group(1)) > int(a.group(1)))
            if not same:
                close()
        run.append((n, f))
    close()
    return [f for f in found if f[2] != "list marker" or id(f) in keep]


def _breaks_before(lines: list[str], n: int) -> bool:
    """Whether the browser starts line ``n`` on a new line: the text before it ends with a
    ``<br>`` or a block tag (blank lines in between change nothing in HTML)."""
    k = n - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    return k < 0 or _BREAK_END_RE.search(lines[k]) is not None


def _line_findings(frag: Fragment, tags: list[HtmlTag], first: HtmlTag) -> list[tuple[int, int, str, str]]:
    """One finding per line of the fragment: the leftmost piece of markdown on it."""
    text = frag.text
    # Blanking tags only removes characters: a trigger the source lacks is not there.
    patterns = [(kind, p) for kind, p in PATTERNS if any(t in text for t in _TRIGGERS[kind])]
    marker_lines = [0] if _MARKER_FIRST_LINE_RE.match(text) else []
    marker_lines.extend(m.start() + 1 for m in _MARKER_LINE_RE.finditer(text))
    if not patterns and not marker_lines:
        return []
    masked = _masked(frag, tags)
    # Text before the block's first tag on its first line is the container's (a
    # list marker, a blockquote's ``>``), not the block's.
    skip = first.start - frag.start
    masked = " " * skip + masked[skip:] if "\n" not in masked[:skip] else masked
    base = frag.start
    line_starts = [0]
    at = text.find("\n")
    while at != -1:
        line_starts.append(at + 1)
        at = text.find("\n", at + 1)
    found: dict[int, list[tuple[int, int, str, str]]] = {}
    m: re.Match[str] | None
    # No pattern matches across a line break, and at a line's ends the text around it
    # looks like a string's ends to the patterns' look-arounds: the first match of each
    # pattern on a line is the first match in the whole text that starts on that line.
    for kind, pattern in patterns:
        if not any(trigger in masked for trigger in _TRIGGERS[kind]):
            continue
        lines_done: set[int] = set()
        for m in pattern.finditer(masked):
            line = bisect.bisect_right(line_starts, m.start()) - 1
            if line not in lines_done:
                lines_done.add(line)
                found.setdefault(line, []).append((base + m.start(), base + m.end(), kind, m.group(0)))
    for line_offset in marker_lines:
        if line_offset < skip:
            continue
        line = bisect.bisect_right(line_starts, line_offset) - 1
        line_end = line_starts[line + 1] - 1 if line + 1 < len(line_starts) else len(text)
        if not masked[line_offset:line_end].strip():
            continue
        original = text[line_offset:line_end]
        for kind, pattern in LINE_START_PATTERNS:
            m = pattern.match(original)
            if m and masked[line_offset : line_offset + m.end()].strip() == original[: m.end()].strip():
                at = len(original[: m.end()]) - len(original[: m.end()].lstrip())
                found.setdefault(line, []).append(
                    (base + line_offset + at, base + line_offset + m.end(), kind, original[at : m.end()].strip())
                )
                break
    return [min(found[line]) for line in sorted(found)]


def _finding(doc: Document, a: int, b: int, kind: str, text: str, region: Region | None = None) -> Finding:
    shown = text if len(text) <= 40 else text[:37] + "..."
    if region is None:
        return Finding(
            doc.span(a, b),
            f"markdown {kind} {shown!r} inside an HTML block is printed literally (GFM ends the block "
            f"at the next blank line): use HTML, or leave a blank line around the markdown",
        )
    line = doc.position(region.start)[0]
    if content_model(region.tag) == RAW:
        fix = (f"write it in HTML (<ul>/<ol>, <li>), or add markdown=\"1\" to the element that holds "
               f"the text (kramdown ignores it on a <{region.tag}>)")
    else:
        fix = f"add markdown=\"1\" to the <{region.tag}> on line {line}, or write it in HTML (<ul>/<ol>, <li>)"
    return Finding(
        doc.span(a, b),
        f"markdown {kind} {shown!r} is printed literally: kramdown keeps the <{region.tag}> on line {line} raw "
        f"up to its end tag, blank lines included; {fix}",
    )


RULE = Rule(
    code="NL403",
    name="markdown-in-html",
    summary="markdown syntax inside an HTML block, where it is output literally",
    check=check,
    default_severity=Severity.WARNING,
)
