"""NL107 permalink-conflict: two pages published at the same URL.

Jekyll writes pages in turn to the same output file, so one silently replaces the other.
Reported on each page of the group, naming the others. Pages that share a URL only
through Jekyll's default (several ``layout: file`` posts with the same slug and no
permalink) are left alone: no one links to them and no one declared the URL.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    site = ctx.site
    if site is None:
        return
    from naislint.site.resolve import page_context

    rel, url = page_context(doc, site)
    if rel is None or not site.is_published(rel, doc.meta):
        return
    others = [r for r in site.pages_at(url) if r != rel]
    if not others:
        return
    fm = doc.front_matter
    entry = fm.entries.get("permalink") if fm is not None else None
    declared = entry is not None and isinstance(doc.meta.get("permalink"), str)
    if not declared and not any(r in site.permalink_lines for r in others):
        return
    # At the permalink's value when the page declares one, else at the top of the page.
    span = entry.value_span if entry is not None else Span.point(1, 1)
    named = ", ".join(
        f"{r} (line {site.permalink_lines[r]})" if r in site.permalink_lines else f"{r} (its default URL)"
        for r in others[:5]
    )
    if len(others) > 5:
        named += f" and {len(others) - 5} more"
    how = "declares the permalink" if declared else "is published by default at"
    if all(site.pages.get(r) == url for r in others):
        why = "Jekyll writes one page over the other, so only one of them is published"
    else:
        why = "the pages compete for one address, and a link reaches one or the other by its trailing slash"
    yield Finding(span, f"this page {how} {url}, which is also the URL of {named}; {why}")


RULE = Rule(
    code="NL107",
    name="permalink-conflict",
    summary="Two pages declare the same permalink (site-wide)",
    check=check,
    default_severity=Severity.ERROR,
    needs_site=True,
)
