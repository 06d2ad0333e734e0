"""NL108 duplicate-title: two published pages with the same title in one folder or collection.

Isomer's side navigation lists a collection's pages by title, and the site search lists
results by title: two pages titled alike show as the same entry twice, and a reader
cannot tell which is which. It happens when a page is copied to start a new one and its
title is not changed. Reported on each page of the pair at its ``title``, naming the
others; titles are compared without case and extra spaces. Unpublished pages, redirect
pages (``redirect_to``) and posts (listed by date in the resource room; a ministry answers
the same parliamentary question in several years) take part in no pair.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    site = ctx.site
    if site is None:
        return
    fm = doc.front_matter
    if fm is None or "title" not in fm.entries:
        return
    title = doc.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        return
    meta = doc.meta
    redirect = meta.get("redirect_to")
    if isinstance(redirect, str) and redirect.strip():
        return
    from naislint.site.resolve import page_context

    rel, _url = page_context(doc, site)
    if rel is None or not site.is_published(rel, meta):
        return
    others = site.same_title(rel, title.strip())
    if not others:
        return
    named = ", ".join(f"{r} ({site.pages.get(r, '')})" for r in others[:5])
    if len(others) > 5:
        named += f" and {len(others) - 5} more"
    folder = rel.rsplit("/", 1)[0] + "/" if "/" in rel else "the site's root folder"
    yield Finding(
        fm.entries["title"].value_span,
        f"another published page in {folder} has the title {title.strip()!r}: {named}; the side navigation and "
        "search results show them as the same entry",
    )


RULE = Rule(
    code="NL108",
    name="duplicate-title",
    summary="Two published pages with the same title in one folder or collection (site-wide)",
    check=check,
    default_severity=Severity.WARNING,
    needs_site=True,
)
