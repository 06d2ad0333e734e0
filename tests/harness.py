"""Expected-diagnostic fixtures: ``<!-- expect: rule@col -->`` markers and sidecars.

A marker ends the line whose diagnostic it expects; inside front matter it is a YAML
comment, ``# expect: rule@col``. Markers are removed before linting (the text around them
is untouched, so lines and columns do not move). A sidecar ``NAME.expect.json`` lists
``{"rule", "line", "column"}`` objects for diagnostics no marker can stand on.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

HTML_MARKER_RE = re.compile(r"[ \t]*<!--\s*expect:\s*(.*?)\s*-->")
YAML_MARKER_RE = re.compile(r"[ \t]*#\s*expect:\s*(.*)$")
ITEM_RE = re.compile(r"^([a-z0-9-]+)@(\d+)$")

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True, order=True)
class Expected:
    rule: str
    line: int
    column: int


def strip_markers(text: str) -> tuple[str, list[Expected]]:
    """The text without markers, and what the markers expect."""
    expected: list[Expected] = []
    out_lines = []
    lines = text.split("\n")
    in_front_matter = bool(lines) and lines[0].rstrip() == "---"
    for number, line in enumerate(lines, start=1):
        if in_front_matter and number > 1 and line.rstrip() in ("---", "..."):
            in_front_matter = False
        elif in_front_matter and number > 1:
            m = YAML_MARKER_RE.search(line)
            if m:
                expected.extend(_items(m.group(1), number))
                line = line[: m.start()]
        for m in list(HTML_MARKER_RE.finditer(line))[::-1]:
            expected.extend(_items(m.group(1), number))
            line = line[: m.start()] + line[m.end():]
        out_lines.append(line)
    return "\n".join(out_lines), expected


def _items(spec: str, line: int) -> list[Expected]:
    items = []
    for word in re.split(r"\s*,\s*", spec.strip()):
        m = ITEM_RE.match(word)
        if not m:
            raise ValueError(f"bad expect marker {word!r} on line {line}: write rule-name@column")
        items.append(Expected(m.group(1), line, int(m.group(2))))
    return items


def sidecar(path: Path) -> list[Expected]:
    side = path.with_name(path.name[: -len(path.suffix)] + ".expect.json")
    if not side.exists():
        return []
    return [Expected(i["rule"], i["line"], i["column"]) for i in json.loads(side.read_text(encoding="utf-8"))]


def fixture_files() -> list[Path]:
    """Every fixture page: ``tests/fixtures/<rule>/**/*.md`` except expected fix output."""
    files = []
    for path in sorted(FIXTURES.glob("*/**/*.md")):
        if path.name.endswith(".fixed.md"):
            continue
        files.append(path)
    return files


def rule_of(path: Path) -> str:
    return path.relative_to(FIXTURES).parts[0]


def read_fixture(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="surrogateescape")
