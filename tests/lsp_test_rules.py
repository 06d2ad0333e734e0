"""A rule installed as a plugin into the language server under test.

It exists so the server tests do not depend on which built-in rules have fixes:
``lsptest-bang`` reports ``!!`` and fixes it to ``!`` (a fix on a line with emoji before it
tests UTF-16 edits).
"""

from __future__ import annotations

import re

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.registry import Rule

BANG_RE = re.compile(r"!!+")


def check_bang(doc, site, options):
    for m in BANG_RE.finditer(doc.prose):
        span = doc.span(m.start(), m.end())
        yield Finding(span, "too many exclamation marks", Fix((Edit(span, "!"),), safe=True))


BANG = Rule(code="XT001", name="lsptest-bang", summary="Too many exclamation marks.", check=check_bang,
            default_severity=Severity.INFO, fixable=True)
