"""A repository's fingerprint: worked out only when the results cache asks, from anchor
digests kept by each markdown file's stat stamp."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from naislint.run.engine import Linter, RunOptions
from naislint.site import github
from naislint.store import stamps


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The markdown files read for anchor digests (relative to their repository), and
    every stamp trusted at once (no racy-clean wait in a test)."""
    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)
    seen: list[str] = []
    original = github._read_markdown

    def counting(root: str, full: str) -> bytes | None:
        seen.append(os.path.relpath(full, root).replace(os.sep, "/"))
        return original(root, full)

    monkeypatch.setattr(github, "_read_markdown", counting)
    return seen


def repo_with_guide(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "repo"
    write(root, "README.md", "# Project\n\nSee [the guide](docs/guide.md#setup).\n")
    guide = write(root, "docs/guide.md", "# Guide\n\n## Setup\n\nText.\n")
    return root, guide


def test_a_run_without_the_cache_reads_no_file_for_the_fingerprint(tmp_path: Path, reads: list[str]) -> None:
    root, _guide = repo_with_guide(tmp_path)
    linter = Linter(RunOptions(use_cache=False, jobs=1))
    result = linter.run(linter.discover([str(root)]))
    assert result.diagnostics == []
    assert reads == []


def test_kept_digests_spare_reading_unchanged_files(tmp_path: Path, reads: list[str]) -> None:
    root, _guide = repo_with_guide(tmp_path)
    cache = str(tmp_path / "cache")
    first = github.Repository.build(str(root), cache).fingerprint
    assert sorted(reads) == ["README.md", "docs/guide.md"]
    reads.clear()
    assert github.Repository.build(str(root), cache).fingerprint == first
    assert reads == []
    # The same without a cache folder: read again, and the same fingerprint.
    assert github.Repository.build(str(root)).fingerprint == first
    assert sorted(reads) == ["README.md", "docs/guide.md"]


@pytest.mark.parametrize("edit", ["content", "size", "same-size-new-mtime"])
def test_a_changed_file_is_read_again(tmp_path: Path, reads: list[str], edit: str) -> None:
    """An edit the stamp shows (new content and time, a new size, the same size with a
    new modification time) drops the kept digest: the file is read, the heading seen."""
    root, guide = repo_with_guide(tmp_path)
    cache = str(tmp_path / "cache")
    before = github.Repository.build(str(root), cache).fingerprint
    reads.clear()
    old = guide.stat()
    text = guide.read_text()
    if edit == "content":
        guide.write_text(text + "\n## Usage\n")
    elif edit == "size":
        guide.write_text(text.replace("## Setup", "## Setting up"))
    else:
        changed = text.replace("## Setup", "## Setvp")
        assert len(changed) == len(text)
        guide.write_text(changed)
        os.utime(guide, ns=(old.st_atime_ns, old.st_mtime_ns + 5_000_000_000))
    after = github.Repository.build(str(root), cache).fingerprint
    assert reads == ["docs/guide.md"]
    assert after != before


def test_a_kept_digest_is_not_taken_while_the_stamp_is_racy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          reads: list[str]) -> None:
    """A file changed within the timestamp granularity of the digest's taking may change
    again without its stamp moving: it is read again."""
    root, _guide = repo_with_guide(tmp_path)
    cache = str(tmp_path / "cache")
    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 3600 * 10**9)
    github.Repository.build(str(root), cache).fingerprint
    reads.clear()
    github.Repository.build(str(root), cache).fingerprint
    assert sorted(reads) == ["README.md", "docs/guide.md"]


def test_a_corrupt_or_foreign_store_is_rebuilt(tmp_path: Path, reads: list[str]) -> None:
    root, _guide = repo_with_guide(tmp_path)
    cache = tmp_path / "cache"
    first = github.Repository.build(str(root), str(cache)).fingerprint
    (stored,) = (cache / ".naislint_cache").glob("repo-anchors-*.json")
    for garbage in ("{not json", '{"key": "other", "files": {}}', '{"key": 1, "files": []}',
                    stored.read_text().replace('"docs/guide.md":[', '"docs/guide.md":["x",')):
        stored.write_text(garbage)
        reads.clear()
        assert github.Repository.build(str(root), str(cache)).fingerprint == first
        assert "docs/guide.md" in reads


def test_a_linked_file_is_never_taken_from_the_store(tmp_path: Path, reads: list[str]) -> None:
    """A symbolic link's stamp is not its target's: its digest is worked out each time."""
    root, guide = repo_with_guide(tmp_path)
    os.symlink("guide.md", root / "docs" / "alias.md")
    cache = str(tmp_path / "cache")
    github.Repository.build(str(root), cache).fingerprint
    reads.clear()
    github.Repository.build(str(root), cache).fingerprint
    assert reads == ["docs/alias.md"]


def test_warm_run_reads_only_the_pages_it_lints(tmp_path: Path, reads: list[str]) -> None:
    """A warm run of a repository takes every anchor digest from the store."""
    root, _guide = repo_with_guide(tmp_path)
    for i in range(3):
        write(root, f"notes/n{i}.md", f"# Note {i}\n\nSee [setup](../docs/guide.md#setup).\n")

    def run() -> None:
        linter = Linter(RunOptions(use_cache=True, jobs=1))
        assert linter.run(linter.discover([str(root)])).diagnostics == []

    run()
    assert len(reads) == 5
    reads.clear()
    run()
    assert reads == []
