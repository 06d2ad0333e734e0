"""Every rule has a doc with the standard sections, and its examples do what they say."""

from __future__ import annotations

import re

import pytest

from doc_site import lint_example
from naislint.registry import all_rules
from naislint.resources import rule_doc_path

RULES = list(all_rules().values())
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")
#: An example block; ``path=`` names the file it is linted as (a data file's rule needs
#: ``_data/navigation.yml``, not a page).
FENCE_RE = re.compile(r"^```markdown(?:[ \t]+path=(\S+))?[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def section(doc: str, title: str) -> str:
    start = doc.index(title) + len(title)
    nxt = doc.find("\n## ", start)
    return doc[start : nxt if nxt != -1 else len(doc)]


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_rule_has_doc(rule) -> None:
    path = rule_doc_path(rule.name)
    assert path.exists(), f"rules/{rule.name}.md is missing"
    doc = path.read_text(encoding="utf-8")
    assert doc.startswith(f"# {rule.name} ({rule.code})")
    for title in SECTIONS:
        assert title in doc, f"{rule.name}: no '{title}' section"
    if rule.options is not None:
        assert "## Options" in doc, f"{rule.name} has options but no '## Options' section"
        for option in rule.option_names():
            assert f"`{option}`" in section(doc, "## Options"), f"{rule.name}: option {option} not documented"


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_rule_doc_examples(rule) -> None:
    doc = rule_doc_path(rule.name).read_text(encoding="utf-8")
    example = FENCE_RE.findall(section(doc, "## Example"))
    use_instead = FENCE_RE.findall(section(doc, "## Use instead"))
    if rule.check is not None:
        assert example, f"{rule.name}: the Example section needs a ```markdown block"
    for path, block in example:
        fired = [d for d in lint_example(doc, block, rule.name, path) if d.rule == rule.name]
        assert fired, f"{rule.name}: its Example does not fire the rule"
    assert use_instead, f"{rule.name}: the Use instead section needs a ```markdown block"
    for path, block in use_instead:
        fired = [d for d in lint_example(doc, block, rule.name, path) if d.rule == rule.name]
        assert not fired, f"{rule.name}: its Use instead example fires the rule: {fired}"
