"""``--diff`` output is a patch that ``git apply`` and GNU ``patch -p1`` take as it is.

A file without a final newline, a path with a space and several files in one patch are
where a hand-joined diff breaks: the last old and new lines glued together, the next
file's header glued to them, a name cut at its first space.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

import demo_rules
from cli_in import run
from naislint.run.fix import unified_diff
from shared_data import CORPUS, need

TOOLS = pytest.mark.skipif(shutil.which("git") is None or shutil.which("patch") is None,
                           reason="needs git and patch")


def _applies(folder: Path, patch: bytes) -> None:
    """Both tools accept the patch in ``folder`` (a dry run: nothing is written)."""
    (folder.parent / "fixes.patch").write_bytes(patch)
    checked = subprocess.run(["git", "apply", "--check", "-v", str(folder.parent / "fixes.patch")], cwd=folder,
                             capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert checked.returncode == 0, checked.stderr
    dry = subprocess.run(["patch", "--batch", "-p1", "--dry-run", "-i", str(folder.parent / "fixes.patch")], cwd=folder,
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert dry.returncode == 0, dry.stdout + dry.stderr


def test_no_final_newline_is_marked_as_git_marks_it() -> None:
    assert unified_diff("p.md", "one\ntwo", "one\n2") == (
        "--- a/p.md\n+++ b/p.md\n@@ -1,2 +1,2 @@\n one\n-two\n\\ No newline at end of file\n"
        "+2\n\\ No newline at end of file\n"
    )
    assert unified_diff("p.md", "a\n", "a") == (
        "--- a/p.md\n+++ b/p.md\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"
    )


def test_names_with_spaces_and_quotes_and_lines_with_form_feeds() -> None:
    assert unified_diff("my pages/p.md", "a\n", "b\n").startswith("--- a/my pages/p.md\t\n+++ b/my pages/p.md\t\n")
    assert unified_diff('say "hi".md', "a\n", "b\n").startswith('--- "a/say \\"hi\\".md"\n')
    # A form feed is not a line break: the hunk has one line, as in the file.
    assert unified_diff("p.md", "x\fy\n", "x\fz\n").endswith("@@ -1 +1 @@\n-x\fy\n+x\fz\n")
    assert unified_diff("p.md", "same\n", "same\n") == ""


@TOOLS
def test_a_patch_of_two_files_without_final_newlines_applies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_rules.register(monkeypatch)
    site = tmp_path / "site"
    (site / "my pages").mkdir(parents=True)
    (site / "_config.yml").write_text("title: T\n")
    first, second = site / "my pages" / "a page.md", site / "b.md"
    first.write_bytes(b"---\ntitle: A\n---\nOne&nbsp;two")
    second.write_bytes(b"---\ntitle: B\n---\nThree&nbsp;four\r\nEnd&nbsp;here")
    result = run(site, "check", "--select", "demo-nbsp", "--diff", "--no-cache", ".")
    assert result.exit_code == 1, result.output
    assert result.stdout.count("\\ No newline at end of file\n") == 4, result.stdout
    _applies(site, result.stdout_bytes)  # .stdout would turn \r\n into \n
    subprocess.run(["patch", "--batch", "-p1", "-s", "-i", str(tmp_path / "fixes.patch")], cwd=site, check=True, timeout=60)
    assert first.read_bytes() == b"---\ntitle: A\n---\nOne two"
    assert second.read_bytes() == b"---\ntitle: B\n---\nThree four\r\nEnd here"


@TOOLS
@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("name", ["isomerpages__govtech-im8", "isomerpages__isomerpages-isomergovsg",
                                  "isomerpages__mse", "isomerpages__nlb-mobile-guide", "isomerpages__pa-ccc",
                                  "isomerpages__pa-shapinghearts"])
def test_corpus_diff_applies_and_equals_fix(tmp_path: Path, name: str) -> None:
    """On a copy of each site: the whole ``--diff`` passes both tools' dry runs, and
    applying it gives byte for byte what ``--fix`` writes on a second copy."""
    source = need(CORPUS / name)
    patched, fixed = tmp_path / "patched", tmp_path / "fixed"
    shutil.copytree(source, patched, symlinks=True)
    shutil.copytree(source, fixed, symlinks=True)
    result = run(patched, "check", "--diff", "--unsafe-fixes", "--no-cache", ".")
    assert result.exit_code in (0, 1), result.output
    if not result.stdout:
        return
    _applies(patched, result.stdout_bytes)
    subprocess.run(["patch", "--batch", "-p1", "-s", "-i", str(tmp_path / "fixes.patch")], cwd=patched, check=True, timeout=120)
    run(fixed, "check", "--fix", "--unsafe-fixes", "--no-cache", ".")
    mismatch = filecmp.dircmp(patched, fixed)
    differing: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        differing.extend(prefix + f for f in cmp.diff_files + cmp.left_only + cmp.right_only)
        for sub, inner in cmp.subdirs.items():
            walk(inner, prefix + sub + "/")

    walk(mismatch, "")
    assert differing == [], differing
