"""NL505 empty-heading: a heading with no text (``## ``, ``<h2></h2>``, ``## &nbsp;``).

An empty heading is announced by screen readers as a heading with nothing in it, shows
as an empty gap, and gets an empty anchor id.

kramdown makes no heading of ``## `` with nothing after the ``#`` signs: it prints the
signs as a paragraph, and ``## ##`` is a heading whose text is ``##``. On a kramdown site
those lines are reported for what the visitor sees, the ``#`` signs as text.

An HTML heading that holds only an icon (``<h5><i class="fas fa-plug"></i></h5>``, a
card's icon row) shows the icon: "remove it" would drop it, so the advice is to give the
heading text or an ``aria-label`` and keep the icon. A heading with an ``aria-label`` is
named and not reported.

A log of dated entries (meeting minutes, see :mod:`naislint.page.dated_log`) is a record
nobody edits: a Google Docs export leaves an empty ``## `` where a meeting's date fell out
of the heading, and nobody goes back to fill it in. Such pages are left alone unless
``dated-logs`` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import TYPE_CHECKING, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page import literal
from naislint.page.dated_log import is_dated_log
from naislint.page.html import structure
from naislint.page.document import Document
from naislint.page.renderer import for_document
from naislint.registry import Rule, RuleContext

if TYPE_CHECKING:
    from markdown_it.token import Token

_TAG_RE = re.compile(r"<[^>]*>")
#: An icon: an ``<i>``, ``<span>`` or ``<em>`` with a class (Font Awesome's ``fas fa-plug``),
#: or an inline ``<svg>``. A heading holding only one shows the icon and names nothing.
_ICON_RE = re.compile(r"<(?:(?:i|span|em)\s[^>]*\bclass\s*=\s*[\"']?[^\"'>]*[\"']?[^>]*|svg\b[^>]*)>", re.IGNORECASE)
HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True)
class Options:
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records nobody edits once the meeting is over.
    dated_logs: bool = False


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


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    if options is not None and not options.dated_logs and is_dated_log(doc):
        return
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
        label = element.start.attr("aria-label")
        if label is not None and (label.value or "").strip():
            continue  # named for screen readers
        icon = _ICON_RE.search(inner)
        if icon is not None:
            yield Finding(
                doc.span(element.start.start, element.start.start + 3),
                f"heading <{element.name}> holds only an icon ({_shown(icon.group(0))}) and no text: screen "
                f"readers announce an empty heading; give it text (beside the icon, or as "
                f"aria-label=\"...\" on the <{element.name}>), or, if the icon only decorates the "
                f"heading after it, make this a <div>; keep the icon either way",
            )
            continue
        yield Finding(
            doc.span(element.start.start, element.start.start + 3),
            f"empty heading <{element.name}>: give it text or remove it",
        )


def _shown(tag: str) -> str:
    """An icon's start tag as the message shows it: its spaces folded, cut short."""
    tag = " ".join(tag.split())
    return tag if len(tag) <= 60 else tag[:57] + "...>"


RULE = Rule(
    code="NL505",
    name="empty-heading",
    summary="a heading with no text",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
