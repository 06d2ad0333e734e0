"""Two small rules for testing reporters and fixes independently of the real catalog.

Real rules' messages and docs change as the catalog grows; golden files and fix tests
built on these stay put. ``register(monkeypatch)`` adds them to the registry for one test.
"""

from __future__ import annotations

import re

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.registry import Rule, all_rules

_NBSP = re.compile(r"&nbsp;")
_TODO = re.compile(r"TODO[^\n]*")


def _nbsp(doc, site, options):
    for m in _NBSP.finditer(doc.prose):
        span = doc.span(m.start(), m.end())
        yield Finding(span, "'&nbsp;' between words: use a space", Fix((Edit(span, " "),), safe=True))


def _todo(doc, site, options):
    for m in _TODO.finditer(doc.prose):
        span = doc.span(m.start(), m.end())
        yield Finding(span, f"leftover note, remove it: '{m.group(0)}' (100% sure, really)",
                      Fix((Edit(span, ""),), safe=False))


DEMO_NBSP = Rule(code="NL990", name="demo-nbsp", summary="An '&nbsp;' between words (demo)", check=_nbsp,
                 default_severity=Severity.WARNING, fixable=True)
DEMO_TODO = Rule(code="NL991", name="demo-todo", summary="A leftover TODO note (demo)", check=_todo,
                 default_severity=Severity.INFO, fixable=True)
SELECT = "demo-nbsp,demo-todo"


def register(monkeypatch) -> None:
    rules = all_rules()
    for rule in (DEMO_NBSP, DEMO_TODO):
        monkeypatch.setitem(rules, rule.name, rule)
    from naislint.reporters._ruledocs import rule_help

    rule_help.cache_clear()
