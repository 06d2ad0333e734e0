"""NL402 unclosed-html: unclosed, mismatched or stray closing tags.

The page's tags are paired across all its HTML blocks (:func:`naislint.page.html.structure`),
so layout ``<div>``s opened in one block and closed blocks later are fine, and HTML5
optional end tags (``<p>``, ``<li>``, ``<td>`` ...) close implicitly as in a browser.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.html import structure
from naislint.page.document import Document
from naislint.page.github_sanitizer import is_placeholder
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    found = structure(doc)
    from naislint.site.github import read_on_github

    github = read_on_github(doc, ctx.preset)
    for item in found.unclosed:
        tag = item.start
        if github and is_placeholder(tag.name):
            continue  # GitHub removes a placeholder tag, open or not (stray-html says so)
        span = doc.span(tag.start, tag.start + 1 + len(tag.name))
        if item.closed_by is None:
            message = f"<{tag.name}> is never closed: it runs to the end of the page"
        else:
            line, _ = doc.position(item.closed_by.start)
            message = (
                f"<{tag.name}> is not closed before </{item.closed_by.name}> on line {line}"
            )
        yield Finding(span, message)
    for tag in found.stray:
        span = doc.span(tag.start, tag.start + 2 + len(tag.name))
        if tag.name == "p":
            # <p><h2>..</h2></p>: the heading already closed the paragraph; browsers turn
            # the stray </p> into an empty paragraph. Untidy, not broken.
            yield Finding(
                span,
                "</p> closes nothing: the paragraph was already closed by a block element inside it; browsers add an empty paragraph here",
                severity=Severity.WARNING,
            )
        else:
            where = "GitHub drops it" if github else "it may close the page layout's own element"
            yield Finding(span, f"</{tag.name}> closes nothing: no <{tag.name}> is open here; {where}")


RULE = Rule(
    code="NL402",
    name="unclosed-html",
    summary="unclosed, mismatched or stray closing HTML tags",
    check=check,
    default_severity=Severity.ERROR,
)
