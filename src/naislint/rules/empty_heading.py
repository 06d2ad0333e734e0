"""NL505 empty-heading: a heading with no text (``## ``, ``<h2></h2>``, ``## &nbsp;``).

An empty heading is announced by screen readers as a heading with nothing in it, shows
as an empty gap, and gets an empty anchor id.
"""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING, Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.html import structure
from naislint.page.document import Document
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


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    tokens = doc.tokens
    last = len(tokens) - 1
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
        yield Finding(doc.span(at, end), f"empty heading (h{token.tag[1]}): give it text or remove it")
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
