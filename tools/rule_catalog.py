"""Write the built-in rules' metadata to ``src/naislint/builtin_rules.py``.

    python tools/rule_catalog.py [--write]

A run resolves its configuration from each rule's name, code, defaults and flags
(:class:`naislint.registry.RuleInfo`); ``builtin_rules.py`` keeps them for the built-in
rules so that a run imports a rule's module only when it runs the rule. Run this after
adding a rule or changing one's code, default severity, flags or options hooks: the
registry refuses a rule that differs from its entry, and ``tests/test_rule_catalog.py``
fails until the file is written again. Without ``--write`` it prints the file.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "src" / "naislint" / "builtin_rules.py"

HEADER = '''"""The built-in rules' metadata, so that a run need not import every rule's module.

A warm run (every result from the cache) runs no rule, yet resolves every rule's setting
for each page: the name, code, default severity and enablement and the flags the run's
plan reads (:class:`naislint.registry.RuleInfo`) are kept here. Generated from the rules
themselves by ``python tools/rule_catalog.py --write``; the registry refuses a rule module
that says otherwise, and ``tests/test_rule_catalog.py`` checks every entry.
"""

from __future__ import annotations

#: ``(entry point name, entry point value, RuleInfo fields)`` of each built-in rule.
RULES: tuple[tuple[str, str, dict[str, object]], ...] = (
'''


def entry_points() -> list[tuple[str, str]]:
    """The built-in rules' entry points, as ``pyproject.toml`` declares them."""
    with open(REPO / "pyproject.toml", "rb") as f:
        table = tomllib.load(f)["project"]["entry-points"]["naislint.rules"]
    return list(table.items())


def render() -> str:
    """The text of ``builtin_rules.py`` for the rules as their modules define them."""
    from naislint.registry import RuleInfo, _load_checked

    lines = [HEADER]
    for name, value in entry_points():
        values = RuleInfo.of(_load_checked(name, value)).to_catalog()
        lines.append(f"    ({name!r}, {value!r}, {values!r}),\n")
    lines.append(")\n")
    return "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {TARGET.relative_to(REPO)}")
    args = parser.parse_args()
    text = render()
    if args.write:
        TARGET.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
