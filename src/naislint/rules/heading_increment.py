"""NL504 heading-increment: heading levels that skip (``##`` then ``####``).

Markdown headings and HTML ``<h1>``-``<h6>`` tags are taken together in page order. The
first heading of a page may have any level (the layout prints the page title above it);
after that each heading may go at most one level deeper than the one before.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.html import page_tags
from naislint.page import literal
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

HTML_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def headings(doc) -> list[tuple[int, int, int]]:
    """(offset, end offset, level) of every heading the renderer makes, in page order
    (computed once per Document: heading-structure reads the same outline). A markdown
    heading inside a region kramdown prints raw is text, not a heading; an HTML heading
    there is still one."""
    return doc.memo("headings.outline", lambda: _headings(doc))


def _headings(doc) -> list[tuple[int, int, int]]:
    found = []
    text = doc.text
    index = doc.index
    for token in [t for t in doc.tokens if t.type == "heading_open"]:
        if not token.map:
            continue
        # The heading's first line (its text, or a setext heading's text line).
        start = index.line_start(token.map[0] + 1)
        first = text[start : index.line_end(token.map[0] + 1)] if token.map[1] > token.map[0] else ""
        at = start + len(first) - len(first.lstrip())
        if token.markup.startswith("#"):
            hash_at = first.find("#")
            at = start + (hash_at if hash_at != -1 else 0)
        if literal.region_at(doc, at) is not None:
            continue  # a '#' line inside raw HTML: kramdown prints it as text, no heading
        found.append((at, start + len(first), int(token.tag[1])))
    for tag in page_tags(doc):
        if tag.name in HTML_HEADINGS and tag.kind == "start":
            found.append((tag.start, tag.start + 3, HTML_HEADINGS[tag.name]))
    found.sort()
    return found


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    previous = None
    for at, end, level in headings(doc):
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
)
