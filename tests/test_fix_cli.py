"""``--fix``, ``--unsafe-fixes`` and ``--diff`` end to end, on files on disk.

Uses the demo rules (``demo_rules.py``): ``demo-nbsp`` has a safe fix, ``demo-todo`` an
unsafe one, so these tests do not depend on which real rules are fixable.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

import demo_rules
from cli_in import run
from naislint.cli import main

SELECT = ("--select", demo_rules.SELECT)


@pytest.fixture(autouse=True)
def _demo_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    demo_rules.register(monkeypatch)


def test_fix_keeps_bom_and_crlf_and_a_second_fix_changes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nOne&nbsp;two&nbsp;three.\r\n\r\nLast&nbsp;line\r\n")
    result = run(tmp_path, "check", "page.md", *SELECT, "--fix")
    assert result.exit_code == 0, result.output
    assert page.read_bytes() == b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nOne two three.\r\n\r\nLast line\r\n"
    assert "Fixed 3 problems." in result.output
    before = page.stat().st_mtime_ns
    again = run(tmp_path, "check", "page.md", *SELECT, "--fix")
    assert again.exit_code == 0 and "Fixed" not in again.output
    assert page.stat().st_mtime_ns == before  # not even rewritten


def test_fix_keeps_mode(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("A&nbsp;b\n")
    page.chmod(0o640)
    run(tmp_path, "check", "page.md", *SELECT, "--fix")
    assert page.read_text() == "A b\n"
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left


def test_fix_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("A&nbsp;b\n")
    link = tmp_path / "link.md"
    link.symlink_to("real.md")
    run(tmp_path, "check", "link.md", *SELECT, "--fix")
    assert link.is_symlink() and real.read_text() == "A b\n"


def test_file_changed_on_disk_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import naislint.run.fix

    page = tmp_path / "page.md"
    page.write_text("A&nbsp;b\n")
    real_fix_target = naislint.run.fix.fix_target

    def edited_meanwhile(*args, **kwargs):
        outcome = real_fix_target(*args, **kwargs)
        page.write_text("Someone else's edit&nbsp;here\n")
        return outcome

    monkeypatch.setattr(naislint.run.fix, "fix_target", edited_meanwhile)
    result = run(tmp_path, "check", "page.md", *SELECT, "--fix")
    assert page.read_text() == "Someone else's edit&nbsp;here\n"
    assert "changed on disk" in result.output
    assert result.exit_code == 1  # the unfixed diagnostic is still reported


def test_summary_counts_applied_and_remaining(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("A&nbsp;b TODO later\n\nC&nbsp;d\n")
    result = run(tmp_path, "check", "page.md", *SELECT, "--fix")
    assert page.read_text() == "A b TODO later\n\nC d\n"
    assert "Fixed 2 problems." in result.output
    assert "1 more with `--fix --unsafe-fixes`." in result.output
    assert result.exit_code == 0  # demo-todo is info, below the default --fail-on warning
    unsafe = run(tmp_path, "check", "page.md", *SELECT, "--fix", "--unsafe-fixes")
    assert page.read_text() == "A b \n\nC d\n"
    assert "Fixed 1 problem." in unsafe.output and "All checks passed" in unsafe.output


def test_fix_summary_with_a_machine_format_goes_to_stderr(tmp_path: Path) -> None:
    import json

    page = tmp_path / "page.md"
    page.write_text("A&nbsp;b TODO\n")
    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    old = os.getcwd()
    try:
        os.chdir(tmp_path)
        result = runner.invoke(main, ["check", "page.md", *SELECT, "--fix", "--format", "json"])
    finally:
        os.chdir(old)
    data = json.loads(result.stdout)
    assert [d["rule"] for d in data] == ["demo-todo"]
    assert "fixed 1 problem; 0 remain fixable with --fix, 1 with --unsafe-fixes." in result.stderr


def test_diff_prints_writes_nothing_and_exits_1_like_ruff(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"A&nbsp;b TODO\r\n")
    result = run(tmp_path, "check", "page.md", *SELECT, "--diff")
    assert result.exit_code == 1
    assert page.read_bytes() == b"A&nbsp;b TODO\r\n"
    assert "--- a/page.md\n+++ b/page.md\n" in result.output
    assert b"-A&nbsp;b TODO\r\n+A b TODO\r\n" in result.stdout_bytes  # the file's own line endings
    assert "Would fix 1 problem. 1 more with --unsafe-fixes." in result.output

    page.write_text("Nothing to fix TODO\n")
    clean = run(tmp_path, "check", "page.md", *SELECT, "--diff")
    assert clean.exit_code == 0, clean.output
    assert "---" not in clean.output
    unsafe = run(tmp_path, "check", "page.md", *SELECT, "--diff", "--unsafe-fixes")
    assert unsafe.exit_code == 1 and "+Nothing to fix \n" in unsafe.output


def test_fix_from_stdin_prints_only_the_fixed_text_with_its_bom_and_endings(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["check", "-", "--stdin-filename", str(tmp_path / "p.md"), *SELECT, "--fix"],
        input=b"\xef\xbb\xbfA&nbsp;b TODO\r\n",
    )
    assert result.stdout_bytes == b"\xef\xbb\xbfA b TODO\r\n"  # the report went to stderr
    assert "Fixed 1 problem." in result.stderr


def test_real_fixable_rule_keeps_bom_and_crlf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same guarantees with a real rule's fix (target-blank), whatever its exact edit."""
    from naislint.registry import all_rules

    if "target-blank" not in all_rules():
        pytest.skip("target-blank is not registered")
    page = tmp_path / "page.md"
    before = (b"\xef\xbb\xbf---\r\ntitle: T\r\npermalink: /t/\r\ndescription: d\r\n---\r\n"
              b'See <a href="https://example.org/" target="_blank">this</a>.\r\n')
    page.write_bytes(before)
    first = run(tmp_path, "check", "page.md", "--select", "target-blank", "--fix", "--no-cache")
    after = page.read_bytes()
    assert after != before and b"rel=" in after, first.output
    assert after.startswith(b"\xef\xbb\xbf---\r\n")
    assert after.count(b"\r\n") == before.count(b"\r\n") and b"\n" not in after.replace(b"\r\n", b"")
    assert "Fixed 1 problem." in first.output
    second = run(tmp_path, "check", "page.md", "--select", "target-blank", "--fix", "--no-cache")
    assert page.read_bytes() == after and "Fixed" not in second.output
