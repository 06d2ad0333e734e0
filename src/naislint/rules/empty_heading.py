"""NL505 empty-heading: a heading with no text (``## ``, ``<h2></h2>``, ``## &nbsp;``).

An empty heading is announced by screen readers as a heading with nothing in it, shows
as an empty gap, and gets an empty anchor id.

kramdown makes no heading of ``## `` with nothing after the ``#`` signs: it prints the
signs as a paragraph, and ``## ##`` is a heading whose text is ``##``. On a kramdown site
those lines are reported for what the visitor sees, the ``#`` signs as text.
"""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING, Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page import literal
from naislint.page.html import structure
from naislint.page.document import Document
from naislint.page.renderer import for_document
from naislint.registry import Rule, RuleContext

if TYPE_CHECKING:
    from markdown_it.token import Token

_TAG_RE = re.compile(r"<[^>]*>")
HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _visible(children: list[Token]) -> bool:
    for child in children:
        if child.type in ("image",):
            return True
        if child.type in ("text", "code_inline") and child.content.replace("\xa0", " ").strip():
            return True
    return False


def _kramdown_message(doc: Document, first: str, at: int) -> str | None:
    """What the visitor sees of an ATX heading CommonMark finds empty (``first`` is its
    line, ``at`` the offset of its first ``#``), when kramdown does not make an empty
    heading of it; ``None`` when it does (``## &nbsp;``)."""
    opening = first[max(first.find("#"), 0):]
    marks = opening[: len(opening) - len(opening.lstrip("#"))]
    rest = opening[len(marks):].strip()
    region = literal.region_at(doc, at)
    if region is not None:
        line = doc.position(region.start)[0]
        return (f"'{marks}' with no text inside the <{region.tag}> on line {line}, which kramdown keeps "
                f"raw: the page shows '{opening.strip()}' as text; remove the line")
    if not rest:
        return (f"kramdown makes no heading of '{marks}' without text: the page shows '{marks}' as a "
                "paragraph; remove the line, or write the heading's text after it")
    if set(rest) == {"#"}:
        return (f"kramdown shows '{rest}' as this heading's text: remove the line, or write the "
                "heading's text")
    return None


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    tokens = doc.tokens
    last = len(tokens) - 1
    kramdown = for_document(doc).is_kramdown
    for i in [i for i, token in enumerate(tokens) if token.type == "heading_open"]:
        token = tokens[i]
        if not token.map or i >= last:
            continue
        inline = tokens[i + 1]
        if inline.type == "inline" and _visible(inline.children or []):
            continue
        if inline.type == "inline" and any(c.type == "html_inline" for c in inline.children or []):
            continue  # <h2><img ...></h2>-like content: judged by its HTML
        src = doc.source_of(token)
        first = src.text.split("\n", 1)[0]
        if token.markup.startswith("#"):
            at, end = first.find("#"), len(first.rstrip())
        elif first.strip():
            at, end = len(first) - len(first.lstrip()), len(first.rstrip())
        else:  # a setext heading of only blanks (``\xa0`` over ``===``): the whole line
            at, end = 0, max(len(first), 1)
        at, end = src.start + max(at, 0), src.start + end
        message = None
        if kramdown and token.markup.startswith("#"):
            message = _kramdown_message(doc, first, at)
        yield Finding(doc.span(at, end), message or f"empty heading (h{token.tag[1]}): give it text or remove it")
    text = doc.text
    for element in structure(doc).elements:
        if element.end is None or element.name not in HTML_HEADINGS:
            continue
        inner = text[element.start.end : element.end.start]
        if "<img" in inner.lower():
            continue
        if unescape(_TAG_RE.sub("", inner)).replace("\xa0", " ").strip():
            continue
        yield Finding(
            doc.span(element.start.start, element.start.start + 3),
            f"empty heading <{element.name}>: give it text or remove it",
        )


RULE = Rule(
    code="NL505",
    name="empty-heading",
    summary="a heading with no text",
    check=check,
    default_severity=Severity.WARNING,
)
