"""Every fixture under tests/fixtures/<rule>/ gives exactly the diagnostics it expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import Expected, fixture_files, read_fixture, rule_of, sidecar, strip_markers
from naislint.run.engine import Linter, RunOptions
from naislint.run.discover import Target
from naislint.run.fix import fix_target
from naislint import jekyll
from naislint.registry import all_rules
from naislint.page.text import decode

FILES = fixture_files()


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(Path(__file__).parent / "fixtures")) for p in paths]


def lint_fixture(path: Path, text: str, rules: set[str]) -> list:
    """Lint a fixture as a user would (default rules), plus the rules it checks.

    The text goes in as bytes so that encoding fixtures meet the same decoder as files.
    """
    linter = Linter(RunOptions(extend_select=tuple(sorted(rules))))
    target = Target(str(path), str(path), jekyll.find_site_root(str(path)))
    return linter.lint_target(target, raw=text.encode("utf-8", errors="surrogateescape")).diagnostics


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_fixture_diagnostics(path: Path) -> None:
    rule = rule_of(path)
    assert rule in all_rules(), f"fixture folder {rule!r} is not a rule name"
    text, expected = strip_markers(read_fixture(path))
    expected += sidecar(path)
    checked = {rule} | {e.rule for e in expected}
    got = sorted(
        Expected(d.rule, d.line, d.column) for d in lint_fixture(path, text, checked) if d.rule in checked
    )
    assert got == sorted(expected)


FIXED = [p for p in FILES if p.with_name(p.stem + ".fixed.md").exists() or p.with_name(p.stem + ".unsafe.fixed.md").exists()]


@pytest.mark.parametrize("path", FIXED, ids=_ids(FIXED))
def test_fixture_fix(path: Path) -> None:
    """Fixes give the ``.fixed.md`` text, and fixing that again changes nothing."""
    text, expected = strip_markers(read_fixture(path))
    rules = tuple(sorted({rule_of(path)} | {e.rule for e in expected}))
    unsafe_expected = path.with_name(path.stem + ".unsafe.fixed.md")
    unsafe = unsafe_expected.exists()
    want = (unsafe_expected if unsafe else path.with_name(path.stem + ".fixed.md")).read_bytes()
    linter = Linter(RunOptions(select=rules))
    target = Target(str(path), str(path), jekyll.find_site_root(str(path)))
    decoded = decode(text.encode("utf-8", errors="surrogateescape"))
    first = linter.lint_target(target, text=decoded.text).diagnostics
    outcome = fix_target(linter, target, first, decoded, unsafe)
    assert outcome.fixed.encode("utf-8") == want
    again = decode(want)
    second = fix_target(linter, target, linter.lint_target(target, text=again.text).diagnostics, again, unsafe)
    assert second.fixed.encode("utf-8") == want
