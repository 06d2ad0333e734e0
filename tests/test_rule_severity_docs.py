"""A rule's doc states its default severity, and the code must agree: users read the doc
to decide what fails their run."""

from __future__ import annotations

import re

import pytest

from naislint.registry import all_rules
from naislint.resources import rule_doc_path

RULES = list(all_rules().values())
#: The first bold word after "Default severity:", or after "own default is" when a rule
#: sets severity per problem.
SEVERITY_RE = re.compile(r"^Default severity: (?:.*?own default is )?\*\*(error|warning|info)\*\*", re.MULTILINE | re.DOTALL)


def documented_severity(doc: str) -> str | None:
    line = next((l for l in doc.splitlines() if l.startswith("Default severity:")), None)
    if line is None:
        return None
    m = SEVERITY_RE.match(line)
    return m.group(1) if m else None


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_documented_severity_matches_the_code(rule) -> None:
    doc = rule_doc_path(rule.name).read_text(encoding="utf-8")
    documented = documented_severity(doc)
    assert documented is not None, f"rules/{rule.name}.md has no 'Default severity: **...**' line"
    assert documented == rule.default_severity.value, (
        f"rules/{rule.name}.md says {documented}, the rule's default_severity is {rule.default_severity.value}"
    )


def test_the_severity_line_is_read_as_written() -> None:
    assert documented_severity("x\nDefault severity: **info**: because.\n") == "info"
    assert documented_severity("Default severity: set per problem (the rule's own default is **warning**).") == "warning"
    assert documented_severity("Default severity: none given") is None
