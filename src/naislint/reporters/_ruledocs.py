"""Rule metadata for the reporters that carry it (SARIF): summary, description, help.

The rule docs in ``rules/<name>.md`` are the single source of the help text; a reporter
reads the ones it needs, once per run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SECTION_RE = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class RuleHelp:
    """What a reporter says about one rule."""

    code: str
    name: str
    summary: str
    description: str
    markdown: str
    url: str
    severity: str


def sections(markdown: str) -> dict[str, str]:
    """The ``## Heading`` sections of a rule doc, by heading, with their text stripped."""
    found: dict[str, str] = {}
    matches = list(_SECTION_RE.finditer(markdown))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(markdown)
        found[m.group(1)] = markdown[m.end() : end].strip()
    return found


@lru_cache(maxsize=None)
def rule_help(name: str) -> RuleHelp | None:
    """Help for a rule by name; ``None`` for a name no rule has (a stale diagnostic)."""
    from naislint.registry import all_rules
    from naislint.resources import rule_doc_path

    rule = all_rules().get(name)
    if rule is None:
        return None
    try:
        markdown = rule_doc_path(name).read_text(encoding="utf-8")
    except OSError:
        markdown = ""
    what = sections(markdown).get("What it does", "")
    description = what.split("\n\n", 1)[0].replace("\n", " ").strip() if what else rule.summary
    return RuleHelp(
        code=rule.code,
        name=rule.name,
        summary=rule.summary,
        description=description or rule.summary,
        markdown=markdown or rule.summary,
        url=rule.url,
        severity=rule.default_severity.value,
    )
