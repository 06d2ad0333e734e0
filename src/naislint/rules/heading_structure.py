"""NL605 heading-structure: an ``h1`` in the body of a page whose layout prints the title
as ``h1``.

WCAG 2.1 success criteria 1.3.1 (Info and Relationships) and 2.4.6 (Headings and
Labels). Isomer's content layouts (and many Jekyll layouts) print the page title as the
page's one ``<h1>``; an ``h1`` in the content makes a second top-level heading, so the
outline a screen reader presents has the page title and the content's sections side by
side instead of one inside the other.

A page whose only content is a placeholder heading ("# TO WRITE") is an unwritten page,
which placeholder-text reports; demoting its heading would fix nothing, so it is not
reported here.

The outline is heading-increment's (markdown and HTML headings in page order), read once
per page. The unsafe fix demotes every heading of the page by one level.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.page.html import structure
from naislint.jekyll.layouts import title_h1
from naislint.page.reader import visible_text
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.rules.heading_increment import headings
from naislint.rules.placeholder_text import placeholder_page

_ATX_TEXT_RE = re.compile(r"^#{1,6}[ \t]*(.*?)(?:[ \t]+#+)?[ \t]*$")


def _text(doc: Document, at: int, end: int, html_ends: dict[int, int]) -> str:
    """The heading's text, to compare with the page title."""
    text = doc.text
    if text.startswith("#", at):
        m = _ATX_TEXT_RE.match(text[at:end])
        return visible_text(m.group(1)) if m else ""
    if text.startswith("<", at):
        close = html_ends.get(at)
        start_end = text.find(">", at)
        if close is None or start_end == -1:
            return ""
        return visible_text(text[start_end + 1 : close])
    return visible_text(text[at:end])


def _demote_all(doc: Document, outline: list[tuple[int, int, int]], html_ends: dict[int, int]) -> Fix | None:
    """Edits that make every heading one level deeper: ``#`` gains a ``#``, ``<hN>``
    and its end tag become ``<hN+1>``. ``None`` when a heading cannot be demoted (an
    ``h6``, a setext heading, an HTML heading without its end tag)."""
    text = doc.text
    edits: list[Edit] = []
    for at, _end, level in outline:
        if level >= 6:
            return None
        if text.startswith("#", at):
            edits.append(Edit(doc.span(at), "#"))
        elif text.startswith("<", at) and at in html_ends:
            close = html_ends[at]
            edits.append(Edit(doc.span(at + 1, at + 3), f"h{level + 1}"))
            edits.append(Edit(doc.span(close + 2, close + 4), f"h{level + 1}"))
        else:
            return None
    return Fix(tuple(edits), safe=False) if edits else None


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    outline = headings(doc)
    if not any(level == 1 for _at, _end, level in outline):
        return
    printed_by = title_h1(doc, ctx.place)
    if printed_by is None:
        return
    html_ends = {
        element.start.start: element.end.start
        for element in structure(doc).elements
        if element.end is not None and element.name in ("h1", "h2", "h3", "h4", "h5", "h6")
    }
    title = doc.meta.get("title")
    title_key = visible_text(str(title)).casefold() if title else ""
    fix = _demote_all(doc, outline, html_ends)
    stub = placeholder_page(doc)
    for at, end, level in outline:
        if level != 1:
            continue
        if stub is not None and at <= stub[0] < end:
            continue  # "# TO WRITE" as the whole page: placeholder-text's one report
        heading = _text(doc, at, end, html_ends)
        if title_key and heading.casefold() == title_key:
            advice = "it repeats the page title, which the layout already shows: delete it"
        else:
            advice = (
                "make it an h2 (## in markdown, <h2> in HTML) and the headings under it one "
                "level deeper"
            )
        yield Finding(
            doc.span(at, min(end, at + 3) if doc.text.startswith("<", at) else end),
            f"a second h1: {printed_by} already prints the page title as the page's h1, so a screen "
            f"reader's outline has two top-level headings; {advice}",
            fix=fix,
        )
        fix = None  # the demotion covers the whole page: offer it once


RULE = Rule(
    code="NL605",
    name="heading-structure",
    summary="an h1 in a page whose layout prints the title as h1",
    check=check,
    default_severity=Severity.WARNING,
    fixable=True,
)
