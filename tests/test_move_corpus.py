"""``naislint move`` on a real site: a copy of isomerpages__mse in a fresh git repository.

The page moved is ``pages/cos.md`` (permalink ``/cos``), which seven pages link to. It
moves to another folder and gets a new permalink. Afterwards the whole site lints with no
broken link, anchor or image that was not there before, and ``git diff`` shows the move
and, on each linking page, one line whose only change is the link.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shared_data import CORPUS, need

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

SITE = "isomerpages__mse"
OLD, NEW = "pages/cos.md", "pages/committee-of-supply/cos-2024.md"
OLD_URL, NEW_URL = "/cos", "/committee-of-supply/2024/"
LINK_RULES = {"broken-link", "broken-anchor", "missing-image"}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


def _git(cwd: Path, *args: str) -> str:
    done = _run(["git", "-c", "user.email=t@example.com", "-c", "user.name=T", *args], cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _link_problems(root: Path, moved: dict[str, str]) -> set[tuple]:
    done = _run([sys.executable, "-m", "naislint", "check", "--format", "json", "--fail-on", "never", "."], root)
    assert done.returncode == 0, done.stderr
    return {(moved.get(d["path"], d["path"]), d["line"], d["column"], d["rule"], d["message"])
            for d in json.loads(done.stdout) if d["rule"] in LINK_RULES}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_move_a_page_seven_pages_link_to(tmp_path: Path) -> None:
    source = need(CORPUS / SITE)
    root = tmp_path / SITE
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".naislint_cache", ".git"))
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "site")
    before = _link_problems(root, {OLD: NEW})

    done = _run([sys.executable, "-m", "naislint", "move", OLD, NEW, "--permalink", NEW_URL], root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"moved {OLD} -> {NEW} (git mv)" in done.stdout
    assert "updated 7 links in 7 files" in done.stdout

    # No new broken link (the moved page's own reports carry its new path).
    assert _link_problems(root, {}) <= before

    # git sees the rename (with the page's one-line permalink edit) and, on each linking
    # page, one line changed, and that line changed only in its link.
    names = _git(root, "diff", "HEAD", "--name-status", "-M").splitlines()
    renamed = [n for n in names if n.startswith("R")]
    assert len(renamed) == 1 and renamed[0].split("\t")[1:] == [OLD, NEW]
    modified = sorted(n.split("\t")[1] for n in names if n.startswith("M"))
    assert len(modified) == 7 and all(n.startswith(("_cos2022/", "pages/archive.md")) for n in modified)
    for path in modified:
        diff = _git(root, "diff", "-U0", "HEAD", "--", path).splitlines()
        removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
        added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
        assert len(removed) == len(added) == 1, diff
        assert removed[0].replace(f'"{OLD_URL}/"', f'"{NEW_URL}"').replace(
            f'"{OLD_URL}"', f'"{NEW_URL.rstrip("/")}"') == added[0]
    moved_diff = _git(root, "diff", "-M", "-U0", "HEAD", "--", OLD, NEW).splitlines()
    assert [line for line in moved_diff if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))] == [
        f"-permalink: {OLD_URL}", f"+permalink: {NEW_URL}"]
