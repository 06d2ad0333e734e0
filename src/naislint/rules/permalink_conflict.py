"""NL107 permalink-conflict: two pages published at the same URL.

Jekyll writes pages in turn to the same output file, so one silently replaces the other.
Reported on each page of the group, naming the others. Pages that share a URL only
through Jekyll's default (several ``layout: file`` posts with the same slug and no
permalink) are left alone: no one links to them and no one declared the URL.

jekyll-redirect-from writes a redirect page at each URL of a page's ``redirect_from``,
so two pages that list one URL there, or a page whose ``redirect_from`` is another
page's URL, write two files to one destination. Jekyll does not warn about it (its
"Conflict: The following destination is shared by multiple files" check leaves redirect
pages out on purpose) and writes the redirect pages last: another page's URL in
``redirect_from`` replaces that page with a redirect (an error, reported at the entry
and at the page replaced), and one URL in two pages' lists keeps one of the two
redirects (a warning, reported at each entry). Only on a site that enables the plugin.

Two pages that are copies of one another (the same text, blank lines aside, and the same
front matter; for two redirects, the same front matter apart from each copy's own
``permalink`` and ``note`` to editors) show the same thing whichever file Jekyll keeps:
nothing is lost at the address, the defect is the stray copy. They are reported at a
lower severity (a warning; information for two redirects) with the fix: delete the copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import posixpath
from typing import TYPE_CHECKING, Any, Iterator

import os

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

if TYPE_CHECKING:
    from naislint.site.view import SiteView

_PLUGIN = "jekyll-redirect-from"


@dataclass(frozen=True)
class Options:
    #: Also report two pages that are copies of one another where no reader can tell
    #: (not two posts a list of posts shows twice): the address shows the same text
    #: whichever file Jekyll writes, so the stray copy is the repository's concern.
    copies: bool = False


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    site = ctx.site
    if site is None:
        return
    from naislint.site.resolve import page_context

    rel, url = page_context(doc, site)
    if rel is None or not site.is_published(rel, doc.meta):
        return
    yield from _same_url(doc, site, rel, url, options.copies)
    if redirects_written(site):
        yield from _redirect_conflicts(doc, site, rel, url, options.copies)


def redirects_written(site: "SiteView") -> bool:
    """Whether the site enables jekyll-redirect-from, which writes the redirect pages."""
    from naislint import jekyll
    from naislint.jekyll import plugins

    return _PLUGIN in plugins.enabled(jekyll.load(site.root).raw)


def _redirect_entries(doc: Document) -> list[tuple[str, Span]]:
    """This page's ``redirect_from`` URLs (Liquid in one is not evaluated) with where each
    is written."""
    fm = doc.front_matter
    value = doc.meta.get("redirect_from")
    if fm is None or value is None:
        return []
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    node = fm.node_at(("redirect_from",))
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip() or "{" in item:
            continue
        at = fm.node_at(("redirect_from", i)) if isinstance(value, list) else node
        out.append(("/" + item.strip().lstrip("/"), fm.span_of(at)))
    return out


def redirect_file(url: str) -> str:
    """The file Jekyll writes for a URL (``Jekyll::Page#destination``): ``/a/`` and
    ``/a/index.html`` are ``/a/index.html``, ``/a`` is ``/a.html``."""
    from urllib.parse import unquote

    path = unquote(url)
    if path.endswith("/"):
        return path + "index.html"
    return path if posixpath.splitext(path)[1] else path + ".html"


def _redirect_conflicts(doc: Document, site: "SiteView", rel: str, url: str, copies: bool) -> Iterator[Finding]:
    """Two files for one destination through ``redirect_from``: the same URL in two pages'
    lists, or another page's own URL in this page's list (reported at the entry), and this
    page's URL in another page's list (reported at its permalink)."""
    for wanted, span in _redirect_entries(doc):
        k = redirect_file(wanted)
        pages = [r for r in site.pages_at(wanted) if r != rel and redirect_file(site.pages[r]) == k]
        redirects = sorted(
            r for r, listed in site.redirects.items()
            if r != rel and r in site.pages and any(redirect_file(u) == k for u in listed)
        )
        if pages:
            named = ", ".join(pages[:3])
            yield Finding(
                span,
                f"jekyll-redirect-from writes a redirect page at {wanted}, which is the URL of {named}: "
                "Jekyll writes the redirect over that page without a warning, so the page is no longer "
                f"on the site; take {wanted} out of redirect_from",
            )
        elif redirects:
            named = ", ".join(redirects[:3]) + (f" and {len(redirects) - 3} more" if len(redirects) > 3 else "")
            if all(_copy_of(doc, site, r, _REDIRECT_OWN_KEYS) for r in redirects):
                if not copies:
                    continue  # the address leads to the same text whichever redirect is kept
                yield Finding(
                    span,
                    f"{named} also lists {wanted} in redirect_from, and it is a copy of this page (same front "
                    f"matter and text): jekyll-redirect-from keeps one of the two redirects, and {wanted} leads to the same "
                    "text either way; delete the copy",
                    severity=Severity.INFO,
                )
                continue
            yield Finding(
                span,
                f"{named} also lists {wanted} in redirect_from, so jekyll-redirect-from writes two redirect "
                "pages to one file and Jekyll keeps one without a warning: the address leads to one of the "
                "pages only; keep the redirect on one page (if one page is a copy of the other, delete the copy)",
                severity=Severity.WARNING,
            )
    k = redirect_file(url)
    claiming = sorted(
        r for r, listed in site.redirects.items()
        if r != rel and r in site.pages and any(redirect_file(u) == k for u in listed)
    )
    if claiming:
        fm = doc.front_matter
        entry = fm.entries.get("permalink") if fm is not None else None
        yield Finding(
            entry.value_span if entry is not None else Span.point(1, 1),
            f"{', '.join(claiming[:3])} lists this page's URL {url} in redirect_from, so "
            "jekyll-redirect-from writes a redirect page over this page without a warning, and the page is "
            f"no longer on the site; take {url} out of its redirect_from",
        )


def _same_url(doc: Document, site: "SiteView", rel: str, url: str, copies: bool) -> Iterator[Finding]:
    """Pages published at one URL."""
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
        if all(_copy_of(doc, site, r, ()) for r in others):
            both_posts = all(_is_post(r) for r in [rel, *others])
            if not both_posts and not copies:
                return  # the address shows the same text whichever file Jekyll writes
            listed = " (and a list of posts shows it twice)" if both_posts else ""
            yield Finding(
                span,
                f"this page {how} {url}, which is also the URL of {named}, a copy of this page (same front "
                f"matter and text): whichever file Jekyll writes, the address shows the same text, but the copy "
                f"is a second file to keep up{listed}; delete the copy",
                severity=Severity.WARNING,
            )
            return
        why = "Jekyll writes one page over the other, so only one of them is published"
    else:
        why = "the pages compete for one address, and a link reaches one or the other by its trailing slash"
    yield Finding(
        span,
        f"this page {how} {url}, which is also the URL of {named}; {why}: give this page its own permalink, "
        "or delete it if it is a copy",
    )


#: Front matter a page's copy that redirects from the same address keeps of its own: its
#: URL, and a note to editors on where to edit it (jekyll docs' autogenerated pages).
_REDIRECT_OWN_KEYS = ("permalink", "note")
#: The largest page compared with its copy.
_MAX_COPY_BYTES = 2 * 1024 * 1024


def _is_post(rel: str) -> bool:
    return rel.startswith("_posts/") or "/_posts/" in rel


def _copy_of(doc: Document, site: "SiteView", other: str, own_keys: tuple[str, ...]) -> bool:
    """Whether the page ``other`` holds this page's text (blank lines aside: a line of
    spaces is a blank line, and blank lines at the end print nothing) and front matter
    (apart from ``own_keys``)."""
    try:
        copy = Document.load(os.path.join(site.root, other), max_size=_MAX_COPY_BYTES, within=site.root)
    except (OSError, ValueError):
        return False
    if doc.text == copy.text:
        return True
    if _body(doc) != _body(copy):
        return False
    mine = {k: v for k, v in doc.meta.items() if k not in own_keys}
    theirs = {k: v for k, v in copy.meta.items() if k not in own_keys}
    return mine == theirs


def _body(doc: Document) -> list[str]:
    """The page's text as markdown prints it: a line of spaces is a blank line, and a
    line's trailing space is nothing unless it makes a line break (two spaces or more)."""
    lines = [_printed_line(line) for line in doc.text[doc.body_start :].split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _printed_line(line: str) -> str:
    kept = line.rstrip(" \t\r")
    if not kept:
        return ""
    return kept + "  " if len(line.rstrip("\r")) - len(kept) >= 2 else kept


RULE = Rule(
    code="NL107",
    name="permalink-conflict",
    summary="Two pages declare the same permalink (site-wide)",
    check=check,
    default_severity=Severity.ERROR,
    needs_site=True,
    options=Options,
)
