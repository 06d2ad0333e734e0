"""NL301 broken-link: an internal link that resolves to no page or file of the site.

Markdown links, reference definitions, HTML ``href`` and front matter URL keys
(``file_url``, ``url``, ``*_url``), and the same keys of the site's data files
(``_data/navigation.yml``, ``_data/footer.yml``, any ``_data/*.yml``; a relative URL
in Isomer's own files is read from the site's root, and another ``_data`` file's values
as the site's Liquid prints them, see :mod:`naislint.site.datarefs`) are resolved against the site index the way Jekyll
publishes the site: permalinks with or without their trailing slash, static files,
percent-decoding, ``{{ site.baseurl }}`` stripped, relative links from the page's URL.
Only what the renderer makes a link counts (``page.links``): on a kramdown site, no
markdown link inside a raw HTML element, and the links right after an HTML line that
CommonMark takes for HTML; on a GFM site, no destination with spaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.site import github, urls
from naislint.page.links import page_links, renders

if TYPE_CHECKING:
    from naislint.page.links import LinkRef


@dataclass(frozen=True)
class Options:
    #: URL patterns (globs, matched against the resolved path) not to check, for pages
    #: the theme or the host provides (``/search/``, ``/api/*``).
    ignore: tuple[str, ...] = ()


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    site = ctx.site
    if site is None:
        return
    if github.is_repository(site):
        yield from _github(doc, site, options)
        return
    from naislint.site.resolve import describe, page_published, unresolved

    if not page_published(doc, site):
        return  # no reader meets a link on a page Jekyll does not publish

    if doc.data_kind:
        from naislint.site import datarefs

        for ref, res, where in datarefs.unresolved(doc, site, ctx.place.isomer, "link", options.ignore):
            if where.unseen is None:
                yield _finding(site, ref, res, datarefs.describe(ref, res, where))
            else:
                aside = f" (no page shows it today: {where.unseen})"
                finding = _finding(site, ref, res, datarefs.describe(ref, res, where), aside)
                yield Finding(finding.span, finding.message, severity=Severity.WARNING)
        return
    for ref, res in unresolved(doc, site, "link", options.ignore):
        if renders(doc, ref):
            yield _finding(site, ref, res, describe(ref, res))


def _finding(site: Any, ref: Any, res: Any, shown: str, aside: str = "") -> Finding:
    """The report of one link that resolves to nothing; ``aside`` follows its first clause."""
    where = _where(ref)
    if res.status == "unpublished":
        return Finding(
            ref.span,
            f"{where} {shown} goes to {res.unpublished}{aside}, which is not published: "
            f"{site.unpublished_reason.get(res.unpublished, 'Jekyll does not publish it')}",
        )
    if res.reason is not None:
        return Finding(ref.span, f"{where} {res.reason}{aside}")
    message = f"{where} {shown} goes to no page or file of this site{aside}"
    if res.suggestion:
        message += f"; did you mean '{res.suggestion}'?"
        hidden = site.unpublished_keys.get(urls.key(res.suggestion))
        if hidden is not None and hidden not in site.pages:
            message += f" (that is {hidden}, which is not published: {site.unpublished_reason.get(hidden, '')})"
        if res.suggestion.casefold() == res.url.casefold() or res.suggestion.rstrip("/").casefold() == res.url.rstrip("/").casefold():
            message += " (URLs are case-sensitive)"
    return Finding(ref.span, message)


def _github(doc: Document, repo: Any, options: Options) -> Iterator[Finding]:
    """A page read on GitHub: its relative links name files and folders of the repository."""
    from naislint.globmatch import fnmatch

    for ref, res, message in github.broken(doc, repo, "link"):
        if not any(fnmatch("/" + res.rel, p) for p in options.ignore):
            yield Finding(ref.span, message)


def _where(ref: "LinkRef") -> str:
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
