"""NL302 broken-anchor: a ``#fragment`` that names no heading or id on its target page.

Ids are the ones kramdown (GFM input, Jekyll's default) gives headings, explicit
``{#id}``, HTML ``id``/``name`` and footnote ids. Same-page fragments are checked even
without a site (from the page itself); fragments into other pages need the site index.
A data file's fragments into pages (a navbar ``url: /faq/#fees``) are checked too, as the
site's Liquid prints the value (:mod:`naislint.site.datarefs`).
``#top`` and ``#`` need no element, and fragments into static files (``a.pdf#page=2``)
are not checked.
Only what the renderer makes a link counts (``page.links``): on a kramdown site, no
markdown link inside a raw HTML element, and the links right after an HTML line that
CommonMark takes for HTML; on a GFM site, no destination with spaces.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.site import urls
from naislint.page.links import page_links, renders


def _own_anchors(doc: Document) -> list[str]:
    from naislint.page.anchors import document_anchors

    return document_anchors(doc)


def _checkable(fragment: str | None) -> bool:
    if fragment is None or fragment in urls.SPECIAL_FRAGMENTS:
        return False
    # Client-side routes (#/x, #!x) and text fragments (#:~:text=) name no element.
    return not fragment.startswith(("/", "!")) and ":~:" not in fragment


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    site = ctx.site
    from naislint.site import github

    if github.is_repository(site) or (site is None and github.read_on_github(doc, ctx.preset)):
        for ref, message in github.anchor_problems(doc, site):
            yield Finding(ref.span, message)
        return
    from naislint.site.resolve import anchor_suggestion, dashes_differ, page_context, resolve

    for ref in page_links(doc):
        if ref.role != "link" or "#" not in ref.url or not renders(doc, ref):
            continue
        url = ref.url
        if site is not None and "{%" in url:
            from naislint.site.resolve import expand_tags

            url = expand_tags(url, site)[0]
        link = urls.classify(url, site.baseurl if site is not None else "")
        if not _checkable(link.fragment):
            continue
        fragment = link.fragment or ""
        unseen = None
        if link.kind == "fragment":
            if doc.data_kind:
                continue  # a data file's '#x' points into whichever page shows it
            anchors = _own_anchors(doc)
            where = "on this page"
        elif link.kind == "internal" and site is not None:
            if doc.data_kind:
                from naislint.site import datarefs

                found = datarefs.resolve(doc, site, ctx.place.isomer, ref)
                if found is None:
                    continue  # not a path of the site as the site prints it
                res, unseen = found[0], found[1].unseen
            else:
                res = resolve(doc, site, ref)
            if res.status != "ok" or res.target is None or res.target.kind != "page":
                continue
            if res.target.rel in site.redirecting:
                continue  # a redirect page (redirect_to) holds no content to point into
            rel, _ = page_context(doc, site)
            if res.target.rel == rel:
                anchors = _own_anchors(doc)
                where = "on this page"
            else:
                anchors = site.anchors_of(res.target.rel)
                where = f"on {site.pages.get(res.target.rel, res.url)} ({res.target.rel})"
        else:
            continue
        if fragment in anchors:
            continue
        message = f"'#{fragment}' names no heading or id {where}"
        if unseen is not None:
            message += f" (no page shows it today: {unseen})"
        suggestion = anchor_suggestion(fragment, anchors)
        if suggestion is not None:
            message += f"; did you mean '#{suggestion}'?"
            if dashes_differ(suggestion, fragment):
                message += " (kramdown turns each space around a dash into its own '-')"
        yield Finding(ref.span, message, severity=Severity.INFO if unseen is not None else None)


RULE = Rule(
    code="NL302",
    name="broken-anchor",
    summary="A #fragment that names no heading or id on the target page",
    check=check,
    default_severity=Severity.WARNING,
    needs_site=True,
    prepare=page_links,
    files=frozenset({"page", "data"}),
)
