"""``--changed-since REF`` and ``--changed-lines`` against a real temporary git repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import demo_rules
from cli_in import run
from naislint.run.changed import find_changes, on_changed_lines

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
SELECT = ("--select", demo_rules.SELECT, "--fail-on", "info")


@pytest.fixture(autouse=True)
def _demo_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    demo_rules.register(monkeypatch)


def git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.invalid", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


def write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A site in ``site/``: a base commit, then one commit, a staged, an unstaged,
    an untracked and a deleted change."""
    git(tmp_path, "init", "-q")
    write(tmp_path, "site/_config.yml", "title: T\n")
    for name in ("committed", "staged", "unstaged", "untouched", "deleted"):
        write(tmp_path, f"site/{name}.md", "Old&nbsp;defect.\n\nText.\n")
    write(tmp_path, "README.txt", "not markdown\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "tag", "base")
    write(tmp_path, "site/committed.md", "Old&nbsp;defect.\n\nText with a new&nbsp;one.\n")
    git(tmp_path, "commit", "-q", "-am", "change")
    write(tmp_path, "site/staged.md", "Old&nbsp;defect.\n\nText.\nTODO staged\n")
    git(tmp_path, "add", "site/staged.md")
    write(tmp_path, "site/unstaged.md", "Old&nbsp;defect.\nA&nbsp;b\n\nText.\n")
    write(tmp_path, "site/new.md", "Untracked&nbsp;page.\n")
    write(tmp_path, "site/ignored.md", "Ignored&nbsp;page.\n")
    write(tmp_path, ".gitignore", "site/ignored.md\n")
    (tmp_path / "site" / "deleted.md").unlink()
    write(tmp_path, "README.txt", "changed, still not markdown\n")
    return tmp_path


def lint(cwd: Path, *args: str) -> tuple[int, list[tuple[str, int]]]:
    result = run(cwd, "check", *args, *SELECT, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, [(d["path"], d["line"]) for d in json.loads(result.stdout)]


def test_changed_files_only(repo: Path) -> None:
    code, found = lint(repo, "--changed-since", "base")
    assert sorted({p for p, _ in found}) == ["site/committed.md", "site/new.md", "site/staged.md", "site/unstaged.md"]
    assert code == 1


def test_changed_lines_only(repo: Path) -> None:
    code, found = lint(repo, "--changed-since", "base", "--changed-lines")
    assert sorted(found) == [
        ("site/committed.md", 3),   # the new defect, not the old one on line 1
        ("site/new.md", 1),         # an untracked file is new throughout
        ("site/staged.md", 4),
        ("site/unstaged.md", 2),
    ]


def test_paths_limit_the_changed_files(repo: Path) -> None:
    _, found = lint(repo, "site/new.md", "site/untouched.md", "--changed-since", "base")
    assert {p for p, _ in found} == {"site/new.md"}
    _, from_site = lint(repo / "site", "--changed-since", "base")
    assert {p for p, _ in from_site} == {"committed.md", "new.md", "staged.md", "unstaged.md"}


def test_since_head_is_the_working_copy(repo: Path) -> None:
    _, found = lint(repo, "--changed-since", "HEAD")
    assert {p for p, _ in found} == {"site/new.md", "site/staged.md", "site/unstaged.md"}


def test_merge_base_not_the_ref_tip(repo: Path) -> None:
    """Changes that landed on the ref after the branch point are not this branch's."""
    git(repo, "stash", "--all", "-q")
    git(repo, "checkout", "-q", "-b", "other", "base")
    write(repo, "site/untouched.md", "Changed on the other branch&nbsp;only.\n")
    git(repo, "commit", "-q", "-am", "other")
    git(repo, "checkout", "-q", "-")
    _, found = lint(repo, "--changed-since", "other")
    assert {p for p, _ in found} == {"site/committed.md"}


def test_bad_ref_and_no_repository_exit_2(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    result = run(repo, "check", "--changed-since", "no-such-ref")
    assert result.exit_code == 2 and "naislint: git" in result.output
    assert "'no-such-ref'" in result.output  # says which ref is unknown
    outside = tmp_path_factory.mktemp("no-repo")
    (outside / "p.md").write_text("x\n")
    result = run(outside, "check", "--changed-since", "HEAD")
    assert result.exit_code == 2
    result = run(repo, "check", "--changed-lines")
    assert result.exit_code == 2 and "--changed-since" in result.output


def test_find_changes_lines(repo: Path) -> None:
    changes = find_changes("base", str(repo), with_lines=True)
    assert changes.lines_of(str(repo / "site" / "committed.md")) == {3}
    assert changes.lines_of(str(repo / "site" / "new.md")) is None
    assert str(repo / "site" / "deleted.md") not in changes


def test_on_changed_lines() -> None:
    assert on_changed_lines(2, 4, 1, {4}) is False   # ends at the start of line 4
    assert on_changed_lines(2, 4, 2, {4}) is True
    assert on_changed_lines(5, 5, 9, None) is True


def test_changed_pages_resolve_links_against_the_whole_site(repo: Path) -> None:
    """Only changed pages are linted, but links resolve against every page of the site."""
    write(repo, "site/untouched.md", "---\ntitle: U\npermalink: /untouched/\ndescription: d\n---\nText.\n")
    git(repo, "commit", "-q", "-am", "a page with a permalink")
    write(repo, "site/linking.md", "---\ntitle: L\npermalink: /linking/\ndescription: d\n---\n"
                                   "[ok](/untouched/) and [missing](/nowhere/)\n")
    result = run(repo, "check", "--changed-since", "HEAD", "--select", "broken-link", "--format", "json")
    found = [(d["path"], d["line"], d["column"]) for d in json.loads(result.stdout)]
    assert found == [("site/linking.md", 6, 33)]  # the destination, result.output


def commit_moved_pages(repo: Path) -> None:
    """The moved-pages site committed on ``main``, and its breaking change on ``work``."""
    import moved_pages

    git(repo, "init", "-q", "-b", "main")
    moved_pages.write(repo, moved_pages.BEFORE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "work")
    moved_pages.change(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "move pages")


def test_pages_a_change_breaks_are_linted_too(tmp_path: Path) -> None:
    """A commit moves a permalink, renames a page, deletes one and rewrites a heading: the
    unchanged pages left linking to the old URLs and anchor are reported, and nothing else."""
    import moved_pages

    commit_moved_pages(tmp_path)
    args = ("--select", "broken-link,broken-anchor", "--format", "json", "--no-cache")
    for extra in ((), ("--changed-lines",)):
        result = run(tmp_path, "check", "--changed-since", "main", *extra, *args)
        found = {(d["path"], d["line"]) for d in json.loads(result.stdout)}
        assert found == moved_pages.BROKEN, result.output
        assert result.exit_code == 1
    # The same pages fail a full run: nothing else is broken but the page broken before.
    everything = run(tmp_path, "check", *args)
    assert {(d["path"], d["line"]) for d in json.loads(everything.stdout)} == moved_pages.BROKEN | {
        ("site/already-broken.md", 6)}


def test_pages_a_change_breaks_are_found_again_from_the_kept_index(tmp_path: Path) -> None:
    """With the cache, the reverse link index is kept between runs: a second run (the
    pages it filtered out not read again) reports the same pages, and a page edited since
    to link to a moved URL is found too."""
    import moved_pages

    commit_moved_pages(tmp_path)
    args = ("--select", "broken-link,broken-anchor", "--format", "json")
    for _ in range(2):
        result = run(tmp_path, "check", "--changed-since", "main", *args)
        assert {(d["path"], d["line"]) for d in json.loads(result.stdout)} == moved_pages.BROKEN, result.output
    kept = list(tmp_path.rglob("site-links.json"))
    assert len(kept) == 1
    assert json.loads(kept[0].read_text())["files"]
