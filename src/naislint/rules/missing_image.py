"""NL303 missing-image: an image whose file is not in the site.

``![](...)``, ``<img src>``, ``srcset`` candidates (``<img>`` and ``<source>``) and front
matter image keys (``image``, ``background``, ...) and the same keys of the site's data
files (``logo`` in ``_data/navigation.yml``, ``image-url`` in any ``_data/*.yml``,
``favicon`` and ``shareicon`` in ``_config.yml``) are resolved like links; names are
case-sensitive on the server, so a case-only difference is reported with the real name.
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
from naislint.page.links import page_links, renders


@dataclass(frozen=True)
class Options:
    #: Image path patterns (globs on the resolved path) not to check, for files the
    #: theme provides (``/assets/img/*``).
    ignore: tuple[str, ...] = ()


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    site = ctx.site
    if site is None:
        return
    from naislint.site import github

    if github.is_repository(site):
        from naislint.globmatch import fnmatch

        for ref, res, message in github.broken(doc, site, "image"):
            if not any(fnmatch("/" + res.rel, p) for p in options.ignore):
                yield Finding(ref.span, message)
        return
    from naislint.site.resolve import describe, page_published, unresolved

    if not page_published(doc, site):
        return  # no reader meets an image on a page Jekyll does not publish

    for ref, res in unresolved(doc, site, "image", options.ignore):
        if not renders(doc, ref):
            continue
        where = (
            f"front matter {ref.attr!r}" if ref.source == "front-matter" else ref.attr if ref.source == "data" else "image"
        )
        message = f"{where} {describe(ref, res)} is not a file of this site"
        if res.suggestion:
            if res.suggestion.casefold() == res.url.casefold():
                message += f"; the file is '{res.suggestion}' (file names are case-sensitive on the server)"
            else:
                message += f"; did you mean '{res.suggestion}'?"
        yield Finding(ref.span, message)


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
