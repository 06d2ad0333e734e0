"""NL308 insecure-link: an ``http://`` link to a site that serves ``https://``.

Singapore government sites (``*.gov.sg``) all serve HTTPS; a link written with
``http://`` sends the reader over an unencrypted connection first (or, where the server
no longer answers on http, to an error). The list of hosts is an option; every link and
image of the page is checked (the site's shared link analysis), and the safe fix writes
``https://``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

from naislint.diagnostics import Edit, Finding, Fix, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.page.links import page_links


@dataclass(frozen=True)
class Options:
    #: Hosts known to serve https (globs: ``*.gov.sg`` also covers ``gov.sg`` itself).
    https_hosts: tuple[str, ...] = ("*.gov.sg",)


def _serves_https(host: str, patterns: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.lower()
        if fnmatch.fnmatchcase(host, pattern):
            return True
        if pattern.startswith("*.") and host == pattern[2:]:
            return True
    return False


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    for ref in page_links(doc):
        url = ref.url.strip()
        if url[:7].lower() != "http://":
            continue
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            continue
        if not host or not _serves_https(host, options.https_hosts):
            continue
        span = ref.span
        lead = len(ref.url) - len(ref.url.lstrip())
        fix = None
        start = span.column + lead
        if doc.line(span.line)[start - 1 : start - 1 + 7].lower() == "http://":
            fix = Fix((Edit(Span(span.line, start, span.line, start + 4), "https"),), safe=True)
        yield Finding(
            span,
            f"link to {host} uses http://, but the site serves https://: write https://{url[7:][:50]}"
            f"{'…' if len(url) > 57 else ''} so the reader's connection is encrypted",
            fix=fix,
        )


RULE = Rule(
    code="NL308",
    name="insecure-link",
    summary="an http:// link to a site that serves https (*.gov.sg)",
    check=check,
    default_severity=Severity.WARNING,
    fixable=True,
    options=Options,
)
