"""NL303 missing-image: an image whose file is not in the site.

``![](...)``, ``<img src>``, ``srcset`` candidates (``<img>`` and ``<source>``) and front
matter image keys (``image``, ``background``, ...) and the same keys of the site's data
files (``logo`` in ``_data/navigation.yml``, ``image-url`` in any ``_data/*.yml``,
``favicon`` and ``shareicon`` in ``_config.yml``) are resolved like links; names are
case-sensitive on the server, so a case-only difference is reported with the real name.
A ``_data`` file that is not Isomer's own is read as the site's Liquid prints it
(:mod:`naislint.site.datarefs`): a bare ``x.png`` a page prints after a CDN's address is
no file of the site, and a path no page prints is no broken image anyone sees: it is
reported only with ``unprinted: true`` (a warning that says so).
Only what the renderer makes a link counts (``page.links``): on a kramdown site, no
markdown link inside a raw HTML element, and the links right after an HTML line that
CommonMark takes for HTML; on a GFM site, no destination with spaces.

A log of dated entries (meeting minutes exported from a shared document,
:mod:`naislint.page.dated_log`) refers to images the export never committed
(``images/Kubernetes-Community13.png``); nobody can restore them in a record nobody
edits, so such a page is left alone unless ``dated-logs`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.dated_log import is_dated_log
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.page.links import page_links, renders


@dataclass(frozen=True)
class Options:
    #: Image path patterns (globs on the resolved path) not to check, for files the
    #: theme provides (``/assets/img/*``).
    ignore: tuple[str, ...] = ()
    #: Also report a data file's image path that no layout, include or page of the site
    #: prints (pa-ccc's ``image-url`` of e-services its agency page lists without logos),
    #: as a warning that says so. Off: no visitor meets a broken image there, so it is
    #: tidying of the data, not a defect of the site.
    unprinted: bool = False
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records kept as they were taken.
    dated_logs: bool = False


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    site = ctx.site
    if site is None:
        return
    from naislint.site import github

    if github.is_repository(site):
        if not options.dated_logs and is_dated_log(doc):
            return
        from naislint.globmatch import fnmatch

        for gh_ref, gh_res, message in github.broken(doc, site, "image"):
            if not any(fnmatch("/" + gh_res.rel, p) for p in options.ignore):
                yield Finding(gh_ref.span, message)
        return
    if doc.data_kind:
        yield from _data_file(doc, ctx, options)
        return
    if not options.dated_logs and is_dated_log(doc):
        return
    from naislint.site.resolve import describe, page_published, unresolved

    if not page_published(doc, site):
        return  # no reader meets an image on a page Jekyll does not publish

    for ref, res in unresolved(doc, site, "image", options.ignore):
        if not renders(doc, ref):
            continue
        where = f"front matter {ref.attr!r}" if ref.source == "front-matter" else "image"
        yield Finding(ref.span, f"{where} {describe(ref, res)} is not a file of this site{_suggestion(res)}")


def _data_file(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    """A data file's images, as the site's Liquid prints them (:mod:`naislint.site.datarefs`):
    a value no page prints is still reported, at a lower severity, saying so."""
    from naislint.site import datarefs

    assert ctx.site is not None
    for ref, res, where in datarefs.unresolved(doc, ctx.site, ctx.place.isomer, "image", options.ignore):
        message = f"{ref.attr} {datarefs.describe(ref, res, where)} is not a file of this site"
        if where.unseen is None:
            yield Finding(ref.span, message + _suggestion(res))
        elif options.unprinted:
            yield Finding(ref.span, f"{message} (no page shows it today: {where.unseen}){_suggestion(res)}",
                          severity=Severity.WARNING)


def _suggestion(res: Any) -> str:
    if not res.suggestion:
        return ""
    if res.suggestion.casefold() == res.url.casefold():
        return f"; the file is '{res.suggestion}' (file names are case-sensitive on the server)"
    return f"; did you mean '{res.suggestion}'?"


RULE = Rule(
    code="NL303",
    name="missing-image",
    summary="An image (![](), <img src>, srcset, front matter image) whose file is not in the site",
    check=check,
    default_severity=Severity.ERROR,
    options=Options,
    needs_site=True,
    prepare=page_links,
    files=frozenset({"page", "data"}),
)
