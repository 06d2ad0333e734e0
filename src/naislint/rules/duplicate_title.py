"""NL108 duplicate-title: two published pages with the same title in one folder or collection.

It happens when a page is copied to start a new one and its title is not changed. What a
reader sees depends on the folder: Isomer's side navigation lists a collection's pages by
title (two entries alike, side by side); in a plain folder (``pages/``), which no
navigation lists, the pages still share one title in search results (the site's own and
search engines') and in the browser's tab, and a reader cannot tell which is which. The
message says which. Reported on each page of the pair at its ``title``, naming the others;
titles are compared without case and extra spaces. Unpublished pages, redirect pages
(``redirect_to``) and posts (listed by date in the resource room; a ministry answers the
same parliamentary question in several years) take part in no pair, and neither does a
page published at the same URL as its partner: only one of them is built, and
permalink-conflict reports that. Nor do two pages that list one URL in ``redirect_from``
on a site that enables jekyll-redirect-from: they are a page and its copy, and
permalink-conflict reports them, with deleting the copy as the fix.
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

    rel, url = page_context(doc, site)
    if rel is None or not site.is_published(rel, meta):
        return
    from naislint.site import urls

    own = urls.key(url)
    others = [r for r in site.same_title(rel, title.strip()) if urls.key(site.pages.get(r, "")) != own]
    if others:
        others = [r for r in others if not _one_redirect(site, rel, r)]
    if not others:
        return  # none, or only pages at this page's URL: permalink-conflict's report
    named = ", ".join(f"{r} ({site.pages.get(r, '')})" for r in others[:5])
    if len(others) > 5:
        named += f" and {len(others) - 5} more"
    folder = rel.rsplit("/", 1)[0] + "/" if "/" in rel else "the site's root folder"
    yield Finding(
        fm.entries["title"].value_span,
        f"another published page in {folder} has the title {title.strip()!r}: {named}; {_seen(rel, site, ctx)}",
    )


def _one_redirect(site: Any, rel: str, other: str) -> bool:
    """Whether two pages list one URL in ``redirect_from`` on a site that writes the
    redirects: a page and its copy, which permalink-conflict reports (delete the copy)."""
    mine = site.redirects.get(rel)
    theirs = site.redirects.get(other)
    if not mine or not theirs:
        return False
    from naislint.rules.permalink_conflict import redirect_file, redirects_written

    shared = {redirect_file(u) for u in mine} & {redirect_file(u) for u in theirs}
    return bool(shared) and redirects_written(site)


def _seen(rel: str, site: Any, ctx: RuleContext) -> str:
    """Where a reader meets the two titles, for the page's kind of folder."""
    top = rel.split("/", 1)[0]
    collection = top[1:] if top.startswith("_") and "/" in rel else None
    if collection is not None and collection in site.collections and collection != "posts":
        if ctx.place.isomer:
            return "Isomer's side navigation lists the collection's pages by title, so it shows the same entry twice"
        return ("whatever lists the collection's pages by title (a navigation, the site's search) shows the same "
                "entry twice")
    return ("no navigation lists this folder, but search results (the site's own and search engines') and the "
            "browser's tab show both pages under one title, and a reader cannot tell them apart")


RULE = Rule(
    code="NL108",
    name="duplicate-title",
    summary="Two published pages with the same title in one folder or collection (site-wide)",
    check=check,
    default_severity=Severity.WARNING,
    needs_site=True,
)
