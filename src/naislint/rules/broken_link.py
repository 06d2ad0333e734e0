"""NL301 broken-link: an internal link that resolves to no page or file of the site.

Markdown links, reference definitions, HTML ``href`` and front matter URL keys
(``file_url``, ``url``, ``*_url``), and the same keys of the site's data files
(``_data/navigation.yml``, ``_data/footer.yml``, any ``_data/*.yml``; a relative URL
there is read from the site's root) are resolved against the site index the way Jekyll
publishes the site: permalinks with or without their trailing slash, static files,
percent-decoding, ``{{ site.baseurl }}`` stripped, relative links from the page's URL.
Only what the renderer makes a link counts (``page.links``): on a kramdown site, no
markdown link inside a raw HTML element, and the links right after an HTML line that
CommonMark takes for HTML; on a GFM site, no destination with spaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.site import urls
from naislint.page.links import LinkRef, page_links, renders


@dataclass(frozen=True)
class Options:
    #: URL patterns (globs, matched against the resolved path) not to check, for pages
    #: the theme or the host provides (``/search/``, ``/api/*``).
    ignore: tuple[str, ...] = ()


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    site = ctx.site
    if site is None:
        return
    from naislint.site.resolve import describe, page_published, unresolved

    if not page_published(doc, site):
        return  # no reader meets a link on a page Jekyll does not publish

    for ref, res in unresolved(doc, site, "link", options.ignore):
        if not renders(doc, ref):
            continue
        where = _where(ref)
        if res.status == "unpublished":
            yield Finding(
                ref.span,
                f"{where} {describe(ref, res)} goes to {res.unpublished}, which is not published: "
                f"{site.unpublished_reason.get(res.unpublished or '', 'Jekyll does not publish it')}",
            )
            continue
        if res.reason is not None:
            yield Finding(ref.span, f"{where} {res.reason}")
            continue
        message = f"{where} {describe(ref, res)} goes to no page or file of this site"
        if res.suggestion:
            message += f"; did you mean '{res.suggestion}'?"
            hidden = site.unpublished_keys.get(urls.key(res.suggestion))
            if hidden is not None and hidden not in site.pages:
                message += f" (that is {hidden}, which is not published: {site.unpublished_reason.get(hidden, '')})"
            if res.suggestion.casefold() == res.url.casefold() or res.suggestion.rstrip("/").casefold() == res.url.rstrip("/").casefold():
                message += " (URLs are case-sensitive)"
        yield Finding(ref.span, message)


def _where(ref: LinkRef) -> str:
    if ref.source == "front-matter":
        return f"front matter {ref.attr!r}"
    if ref.source == "data":
        return ref.attr
    if ref.source == "definition":
        return "link reference"
    return "link"


RULE = Rule(
    code="NL301",
    name="broken-link",
    summary="An internal link that resolves to no page or file of the site",
    check=check,
    default_severity=Severity.ERROR,
    options=Options,
    needs_site=True,
    prepare=page_links,
    files=frozenset({"page", "data"}),
)
