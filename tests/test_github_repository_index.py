"""A repository's index takes shortcuts a warm run pays for: a path whose folder is known
skips the search for new folders above it, and the "did you mean" tables are made only
when a broken link asks. The index, its path digest and those tables are what the plain
way makes: every folder above every path looked for, both tables filled as paths come."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from naislint.site import github

FILES = ["README.md", "a/b/c.md", "a/b/C.md", "a/d.md", "a/b/e/f.png", "x/y/z/README.md", "x/w.md", "Top.MD"]


def _tree(root: Path) -> None:
    for rel in FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"# {rel}\n")


def _plain(listing: list[tuple[str, bool | None]], root: Path):
    """The index as made path by path with no shortcut."""
    files: set[str] = set()
    folders: set[str] = {""}
    folded: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    digest = hashlib.sha256()

    def add(rel: str, folder: bool) -> None:
        (folders if folder else files).add(rel)
        folded.setdefault(rel.casefold(), []).append(rel)
        names.setdefault(rel.rsplit("/", 1)[-1], []).append(rel)

    for rel, is_dir in listing:
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in folders:
                add(folder, True)
                digest.update(b"d" + folder.encode() + b"\0")
        if rel in files or rel in folders:
            continue
        add(rel, os.path.isdir(root / rel) if is_dir is None else is_dir)
        digest.update(b"f" + rel.encode() + b"\0")
    return files, folders, folded, names, digest.hexdigest()


def _index(repo: github.Repository):
    return repo.files, repo.folders, repo.folded, repo.names, repo._paths_digest


def test_the_walked_index_is_the_plain_one(tmp_path: Path) -> None:
    _tree(tmp_path)
    listing = [(rel, is_dir) for rel, _full, is_dir in github._walk(str(tmp_path))]
    repo = github.Repository.build(str(tmp_path))
    assert _index(repo) == _plain(listing, tmp_path)
    assert repo.suggest("a/b/c.MD") == "a/b/C.md"
    assert repo.suggest("nowhere/w.md") == "x/w.md"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_index_of_git_files_is_the_plain_one(tmp_path: Path) -> None:
    """git lists files only, deepest first in places: each folder above is found."""
    _tree(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=60)
    listed = github._git_files(str(tmp_path))
    assert listed is not None and len(listed) == len(FILES)
    repo = github.Repository.build(str(tmp_path))
    assert _index(repo) == _plain([(rel, None) for rel, _full in listed], tmp_path)
    assert {"a", "a/b", "a/b/e", "x", "x/y", "x/y/z"} < repo.folders
    # A path added after the tables were made is in them.
    assert repo.suggest("top.md") == "Top.MD"
    repo._add("new/Top.md", folder=False)
    assert repo.names["Top.md"] == ["new/Top.md"] and repo.folded["new/top.md"] == ["new/Top.md"]


@pytest.fixture
def per_file(monkeypatch) -> list[str]:
    """Each time a repository's fingerprint is worked out file by file."""
    calls: list[str] = []
    original = github.Repository._fingerprint_of_each_file

    def counting(self):
        calls.append(self.root)
        return original(self)

    monkeypatch.setattr(github.Repository, "_fingerprint_of_each_file", counting)
    return calls


def _fingerprint(root: Path, cache: bool = True) -> str:
    return github.Repository.build(str(root), str(root) if cache else None).fingerprint


def test_an_unchanged_repository_takes_its_kept_fingerprint(tmp_path: Path, monkeypatch, per_file) -> None:
    from naislint.store import stamps

    _tree(tmp_path)
    first = _fingerprint(tmp_path)
    # Just written: the files' stamps cannot prove them unchanged yet (racy-clean rule).
    assert _fingerprint(tmp_path) == first and len(per_file) == 2
    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)
    assert _fingerprint(tmp_path) == first and len(per_file) == 2  # kept whole
    assert _fingerprint(tmp_path) == first and len(per_file) == 2
    assert _fingerprint(tmp_path, cache=False) == first and len(per_file) == 3


@pytest.mark.parametrize("change", ["heading", "new file", "link"])
def test_a_change_is_a_new_fingerprint(tmp_path: Path, monkeypatch, per_file, change: str) -> None:
    from naislint.store import stamps

    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)
    _tree(tmp_path)
    first = _fingerprint(tmp_path)
    assert _fingerprint(tmp_path) == first and len(per_file) == 1
    if change == "heading":
        (tmp_path / "a" / "d.md").write_text("# Another heading\n")
    elif change == "new file":
        (tmp_path / "a" / "new.txt").write_text("x")
    else:
        (tmp_path / "linked.md").symlink_to(tmp_path / "README.md")
    changed = _fingerprint(tmp_path)
    assert changed != first and changed == _fingerprint(tmp_path, cache=False)
    # A markdown file that is a link is read every time: its target's stamp is not its own.
    assert _fingerprint(tmp_path) == changed and len(per_file) == (4 if change == "link" else 3)


@pytest.mark.parametrize("planted", [b"\x00{", b"[]", b'{"key": 1}', "other fingerprint"])
def test_a_broken_or_planted_fingerprint_is_a_miss(tmp_path: Path, monkeypatch, per_file, planted) -> None:
    import json

    from naislint.store import stamps

    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)
    _tree(tmp_path)
    first = _fingerprint(tmp_path)
    [kept] = (tmp_path / ".naislint_cache").glob("repo-fingerprint-*.json")
    if planted == "other fingerprint":
        data = json.loads(kept.read_text())
        kept.write_text(json.dumps({**data, "stamps": "0" * 32, "fingerprint": "gh-0000000000000000"}))
    else:
        kept.write_bytes(planted)
    assert _fingerprint(tmp_path) == first and len(per_file) == 2


def test_the_store_path_is_the_anchor_digests_own(tmp_path: Path) -> None:
    from naislint.site.anchor_digests import AnchorDigests

    for root in ("/a/repo", str(tmp_path), "/x/\udcff"):
        assert github.anchor_store_path(str(tmp_path), root) == AnchorDigests(str(tmp_path), root).path


def test_a_changed_per_file_store_is_checked_again(tmp_path: Path, monkeypatch, per_file) -> None:
    from naislint.store import stamps

    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)
    _tree(tmp_path)
    first = _fingerprint(tmp_path)
    [store] = (tmp_path / ".naislint_cache").glob("repo-anchors-*.json")
    store.write_text(store.read_text().replace('"README.md":[', '"README.md":["x",'))
    assert _fingerprint(tmp_path) == first and len(per_file) == 2
    assert _fingerprint(tmp_path) == first and len(per_file) == 2  # the store mended, kept whole again
