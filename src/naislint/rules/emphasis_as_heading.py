"""NL503 emphasis-as-heading: a paragraph that is one bold line, used as a heading.

It looks like a heading but is not one: it is missing from the page outline that screen
readers navigate by, from the table of contents, and it has no anchor to link to. Like
markdownlint's MD036, a line ending in punctuation (``**Note:**``, ``**Done.**``) is
taken for emphasis, not a heading; so is a bold list item, table cell or quote. Italic
lines are left alone: on these sites they are captions and credits (``_(Photo credit: ...)_``).
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

PUNCTUATION = ".,;:!?。，；：！？"
CONTAINERS = {"list_item_open", "blockquote_open", "footnote_open"}
CONTAINER_CLOSES = {"list_item_close", "blockquote_close", "footnote_close"}


def _whole_emphasis(children) -> tuple[str, str] | None:
    """The text and markup when the inline is exactly one emphasis run wrapping everything."""
    items = list(children)
    while items and items[0].type == "text" and not items[0].content:
        items.pop(0)
    while items and (items[-1].type in ("softbreak", "hardbreak") or (items[-1].type == "text" and not items[-1].content.strip())):
        items.pop()
    if len(items) < 3 or items[0].type != "strong_open":
        return None
    close = items[0].type.replace("_open", "_close")
    if items[-1].type != close:
        return None
    depth = 0
    for i, child in enumerate(items):
        if child.type == items[0].type:
            depth += 1
        elif child.type == close:
            depth -= 1
            if depth == 0 and i != len(items) - 1:
                return None
    parts = []
    for child in items[1:-1]:
        if child.type in ("softbreak", "hardbreak", "image", "html_inline"):
            return None
        if child.type in ("link_open",):
            return None
        parts.append(child.content)
    return "".join(parts), items[0].markup


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    tokens = doc.tokens
    depth_in_container = 0
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        kind = token.type
        if kind != "paragraph_open":
            if kind in CONTAINERS:
                depth_in_container += 1
            elif kind in CONTAINER_CLOSES:
                depth_in_container -= 1
            continue
        if depth_in_container or i >= last:
            continue
        inline = tokens[i + 1]
        children = inline.children
        if not children or inline.type != "inline" or not inline.map:
            continue
        if inline.map[1] - inline.map[0] != 1:
            continue
        if children[0].type == "text" and children[0].content:
            continue  # a paragraph that starts with text, as nearly all do
        if not _starts_bold(children):
            continue
        found = _whole_emphasis(children)
        if found is None:
            continue
        text, markup = found
        if not text.strip() or text.strip()[-1] in PUNCTUATION:
            continue
        span = _markup_span(doc, inline.map[0] + 1, markup)
        if span is None:
            continue
        # The whole text: a suggestion cut mid-phrase is not a heading anyone would write.
        yield Finding(span, f"bold line used as a heading: make it a markdown heading (## {' '.join(text.split())})")


def _markup_span(doc, line: int, markup: str) -> Span | None:
    """Where ``markup`` first appears on ``line``: ``doc.find`` for a one-line paragraph,
    without copying the line (this rule reports thousands on some sites)."""
    start = doc.index.line_start(line)
    at = doc.text.find(markup, start, doc.index.line_end(line))
    if at == -1:
        return None
    column = at - start + 1
    return Span(line, column, line, column + len(markup))


def _starts_bold(children) -> bool:
    """Whether the first child that is not empty text opens bold: a cheap test that
    rules out nearly every paragraph before :func:`_whole_emphasis` copies its children."""
    for child in children:
        if child.type != "text" or child.content:
            return child.type == "strong_open"
    return False


RULE = Rule(
    code="NL503",
    name="emphasis-as-heading",
    summary="a bold line standing as a heading",
    check=check,
    default_severity=Severity.INFO,
)
