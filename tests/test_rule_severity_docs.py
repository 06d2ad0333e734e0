"""A rule's doc states its default severity, and the code must agree: users read the doc
to decide what fails their run."""

from __future__ import annotations

import inspect
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


#: A severity a rule's doc gives some of its problems: in bold (``**info**``, ``**errors**``), in
#: parentheses after a case (``(warning)``, ``(info): ...``), or ``as a warning`` /
#: ``at info``.
MENTION_RE = re.compile(
    r"\*\*(error|warning|info)s?\*\*|\((error|warning|info)\b[^)\n]*\)|\bas an? \*{0,2}(error|warning|info)\b"
    r"|\bat \*{0,2}(error|warning|info)\b"
)
#: A severity the code gives one finding, overriding the rule's default.
FINDING_SEVERITY_RE = re.compile(r"severity=Severity\.(ERROR|WARNING|INFO)\b")


def mentioned_severities(doc: str) -> set[str]:
    return {next(g for g in m.groups() if g) for m in MENTION_RE.finditer(doc)}


def finding_severities(rule) -> set[str]:
    """The severities the rule's module gives single findings."""
    if rule.check is None:
        return set()
    source = inspect.getsource(inspect.getmodule(rule.check))
    return {s.lower() for s in FINDING_SEVERITY_RE.findall(source)}


def code_severities(rule) -> set[str]:
    """Every severity the rule's code can give: its default, each per-finding severity
    in its module, a preset's severity for it and, for the schema rule, each
    ``x-severity`` of the shipped schemas."""
    from naislint.resources import schema_path

    from naislint.config.presets import PRESETS

    found = {rule.default_severity.value} | finding_severities(rule)
    found |= {preset.rules[rule.name] for preset in PRESETS.values() if rule.name in preset.rules} - {"off"}
    if rule.name == "front-matter-schema":
        for path in schema_path("config.schema.json").parent.glob("*.json"):
            found |= set(re.findall(r'"x-(?:[a-z]+-)?severity":\s*"(error|warning|info)"', path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_severity_the_doc_names_is_one_the_code_gives(rule) -> None:
    doc = rule_doc_path(rule.name).read_text(encoding="utf-8")
    named = mentioned_severities(doc)
    given = code_severities(rule)
    assert named <= given, f"rules/{rule.name}.md names {sorted(named - given)}, which the rule never gives"
    missing = finding_severities(rule) - named - {rule.default_severity.value}
    assert not missing, f"the rule gives some problems {sorted(missing)}, which rules/{rule.name}.md never says"


def test_severity_mentions_are_read_as_written() -> None:
    assert mentioned_severities("- a lone symbol (warning);\n- a long address (info): x") == {"warning", "info"}
    assert mentioned_severities("reported at **info**, and once as a warning") == {"info", "warning"}
    assert mentioned_severities("a key given twice and a broken file are **errors**.") == {"error"}
    assert mentioned_severities("an error status (`404`) and (errors everywhere)") == set()
