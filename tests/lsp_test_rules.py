"""Two rules installed as a plugin into the language server under test.

They exist so the server tests do not depend on which built-in rules are fixable or
need the site: ``lsptest-bang`` reports ``!!`` and fixes it to ``!`` (a fix on a line with
emoji before it tests UTF-16 edits), ``lsptest-missing-page`` reports ``[[name]]`` when
the site has no ``name.md`` (it needs the site index, so it tests index rebuilds).
"""

from __future__ import annotations

import re

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.registry import Rule

BANG_RE = re.compile(r"!!+")
PAGE_RE = re.compile(r"\[\[([\w-]+)\]\]")


def check_bang(doc, site, options):
    for m in BANG_RE.finditer(doc.prose):
        span = doc.span(m.start(), m.end())
        yield Finding(span, "too many exclamation marks", Fix((Edit(span, "!"),), safe=True))


def check_missing_page(doc, site, options):
    if site is None:
        return
    for m in PAGE_RE.finditer(doc.prose):
        if f"{m.group(1)}.md" not in site.all_files:
            yield Finding(doc.span(m.start(), m.end()), f"no page {m.group(1)}.md in the site")


BANG = Rule(code="XT001", name="lsptest-bang", summary="Too many exclamation marks.", check=check_bang,
            default_severity=Severity.INFO, fixable=True)
MISSING_PAGE = Rule(code="XT002", name="lsptest-missing-page", summary="A page that does not exist.",
                    check=check_missing_page, needs_site=True)
