"""The ``naislint`` command reads the common ``check`` options without click, exactly as
click reads them, and hands everything else to click."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from naislint import __main__ as entry
from naislint.cli import main
from naislint.run import command

SAME = [
    ["check"],
    ["check", "a.md", "b.md"],
    ["check", "-q", "--fail-on", "never", "pages/x.md"],
    ["check", "--format=json", "--no-cache", "-j", "2", "."],
    ["check", "-j3", "--select", "NL3,broken-anchor", "--select", "NL1", "--ignore=NL504", "x"],
    ["check", "--extend-select", "external-link", "--statistics", "--format", "json", "--no-color", "."],
    ["check", "--fix", "--unsafe-fixes", "--cache-dir", "somewhere", "--config", "c.yml", "--", "-odd.md"],
    ["check", "--diff", "--jobs=1", "a.md", "--quiet"],
]
TO_CLICK = [
    ["check", "--help"],
    ["rules"],
    ["check", "-"],
    ["check", "--format", "yaml", "."],
    ["check", "--statistics", "--format", "sarif", "."],
    ["check", "-j", "0", "."],
    ["check", "-j", "two", "."],
    ["check", "--fail-on", "sometimes"],
    ["check", "-qj2", "."],
    ["check", "--changed-since", "main"],
    ["check", "--format"],
    ["--version"],
]


def click_params(argv: list[str], monkeypatch) -> dict:
    seen: dict = {}
    names = list(entry.quick_check(["check"]) or {})

    def record(*args):
        seen.update(zip(names, args))

    monkeypatch.setattr(command, "check", record)
    result = CliRunner().invoke(main, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return seen


@pytest.mark.parametrize("argv", SAME, ids=" ".join)
def test_quick_reading_is_clicks(argv: list[str], monkeypatch) -> None:
    monkeypatch.delenv("NAISLINT_CACHE_DIR", raising=False)
    assert entry.quick_check(argv) == click_params(argv, monkeypatch)


def test_the_cache_folder_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("NAISLINT_CACHE_DIR", "from-env")
    assert entry.quick_check(["check", "."])["cache_dir"] == "from-env"
    assert entry.quick_check(["check", "."]) == click_params(["check", "."], monkeypatch)


@pytest.mark.parametrize("argv", TO_CLICK, ids=" ".join)
def test_everything_else_goes_to_click(argv: list[str]) -> None:
    assert entry.quick_check(argv) is None


def test_a_check_does_not_import_click(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("---\ntitle: A page\n---\nText.\n")
    code = ("import sys; sys.argv = ['naislint', 'check', '--no-cache', 'page.md']\n"
            "from naislint.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    print(exc.code, 'click' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "0 False", out.stdout + out.stderr
    helped = subprocess.run([sys.executable, "-m", "naislint", "check", "--help"], capture_output=True, text=True,
                            timeout=120)
    assert helped.returncode == 0 and "Usage: python -m naislint check" in helped.stdout
