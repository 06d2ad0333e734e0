"""``--fix`` cannot destroy a page: an interrupted write leaves the old file (and no
temporary file), the mode is kept, and a file changed since it was linted is not written."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from naislint.run import engine

from naislint.run import fix
from naislint.cli import main

#: A page with safe fixes (nbsp-entity, split-emphasis) in CRLF.
PAGE = ("---\r\ntitle: Fix me\r\npermalink: /fix-me/\r\ndescription: A page.\r\n---\r\n"
        "Text&nbsp;&nbsp;here and **resilie****nce**.\r\n\r\nMore caf\u00e9.\r\n")


def _page(tmp_path: Path, text: str = PAGE, mode: int = 0o640) -> Path:
    path = tmp_path / "page.md"
    path.write_bytes(text.encode("utf-8"))
    path.chmod(mode)
    return path


def _fix(path: Path, *extra: str):
    return CliRunner().invoke(main, ["check", "--fix", "--no-cache", "--format", "json", *extra, str(path)],
                              catch_exceptions=False)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".naislint-"))


def test_fix_applies_and_keeps_mode_and_line_endings(tmp_path: Path) -> None:
    path = _page(tmp_path)
    before = path.read_bytes()
    result = _fix(path)
    after = path.read_bytes()
    assert after != before, result.output
    assert b"&nbsp;" not in after
    assert after.count(b"\r\n") == before.count(b"\r\n")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["replace", "write", "fsync", "interrupt"])
def test_interrupted_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = _page(tmp_path)
    before = path.read_bytes()

    def boom(*args, **kwargs):  # noqa: ANN002, ANN003
        if failing == "interrupt":
            raise KeyboardInterrupt
        raise OSError(28, "No space left on device")

    if failing == "replace" or failing == "interrupt":
        monkeypatch.setattr(fix.os, "replace", boom)
    elif failing == "fsync":
        monkeypatch.setattr(fix.os, "fsync", boom)
    else:
        real_fdopen = os.fdopen

        class HalfWriter:
            """Writes half the data, then fails, as a full disk would."""

            def __init__(self, handle) -> None:  # noqa: ANN001
                self.handle = handle

            def write(self, data: bytes) -> int:
                self.handle.write(data[: len(data) // 2])
                raise OSError(28, "No space left on device")

            def __getattr__(self, name: str):  # noqa: ANN204
                return getattr(self.handle, name)

            def __enter__(self):  # noqa: ANN204
                return self

            def __exit__(self, *exc) -> None:  # noqa: ANN002
                self.handle.close()

        monkeypatch.setattr(fix.os, "fdopen", lambda fd, mode="r", *a, **k: HalfWriter(real_fdopen(fd, mode, *a, **k)))
    if failing == "interrupt":
        result = _fix(path)  # Ctrl-C exits 130, as in ruff and the shells
        assert result.exit_code == 130 and "naislint: interrupted" in result.output
    else:
        result = _fix(path)
        assert "cannot write the fixes" in result.output
        assert result.exit_code in (0, 1)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_write_atomic_refuses_a_changed_file(tmp_path: Path) -> None:
    path = _page(tmp_path)
    before = path.read_bytes()
    path.write_bytes(before + b"An author's new line.\r\n")
    with pytest.raises(fix.FileChanged):
        fix.write_atomic(str(path), b"fixed", expected=before)
    assert path.read_bytes() == before + b"An author's new line.\r\n"
    assert _leftovers(tmp_path) == []


def test_file_changed_between_lint_and_fix_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixes were computed for the text that was linted; an author's edit made in
    between (an editor saving) must survive, and the run says the file was not written."""
    path = _page(tmp_path)
    edited = ("Inserted by the author.\r\n" + PAGE).encode("utf-8")
    lint_target = engine.Linter.lint_target

    def lint_then_edit(self, target, text=None, raw=None):  # noqa: ANN001
        result = lint_target(self, target, text=text, raw=raw)
        if text is None and raw is None:
            path.write_bytes(edited)  # the editor saves just after naislint read the file
        return result

    monkeypatch.setattr(engine.Linter, "lint_target", lint_then_edit)
    result = _fix(path)
    assert path.read_bytes() == edited
    assert "changed on disk since it was read; not written" in result.output
    assert _leftovers(tmp_path) == []


def test_file_changed_just_before_the_write_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _page(tmp_path)
    edited = (PAGE + "Appended while fixing.\r\n").encode("utf-8")
    apply = fix.apply_edits

    def apply_then_edit(*args, **kwargs):  # noqa: ANN002, ANN003
        out = apply(*args, **kwargs)
        path.write_bytes(edited)
        return out

    monkeypatch.setattr(fix, "apply_edits", apply_then_edit)
    result = _fix(path)
    assert path.read_bytes() == edited
    assert "changed on disk since it was read" in result.output


def test_fix_from_a_warm_cache_uses_the_text_on_disk(tmp_path: Path) -> None:
    """Diagnostics restored from the results cache are re-computed before fixing, so an
    edit that happened while the cache still matched by size and time is never clobbered."""
    path = _page(tmp_path)
    cache = tmp_path / "cache"
    runner = CliRunner()
    first = runner.invoke(main, ["check", "--format", "json", "--cache-dir", str(cache), str(path)])
    assert any(d["rule"] == "nbsp-entity" for d in json.loads(first.stdout))
    result = runner.invoke(main, ["check", "--fix", "--format", "json", "--cache-dir", str(cache), str(path)],
                           catch_exceptions=False)
    assert b"&nbsp;" not in path.read_bytes(), result.output
    assert path.read_bytes().endswith("More caf\u00e9.\r\n".encode())


# -- a save while the fix is being written ------------------------------------------------


def _summary_fixed(result) -> str:  # noqa: ANN001
    """The 'naislint: fixed N problems' line (machine formats print it on stderr)."""
    return next(line for line in result.output.splitlines() if line.startswith("naislint: fixed"))


@pytest.mark.parametrize("how", ["in-place", "rename", "same-size-and-time"])
def test_edit_saved_while_the_new_file_is_written_survives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """An editor saving after the temporary file is written and synced, just before the
    rename, keeps its edit: the last check re-reads the file and compares digests, so even
    a save of the same size with the same modification time is seen."""
    path = _page(tmp_path)
    before = path.read_bytes()
    edited = before.replace(b"Fix me", b"Fix it") if how == "same-size-and-time" else before + b"Typed while fixing.\r\n"
    real_fsync = os.fsync
    saved = []

    def fsync_then_save(fd: int) -> None:
        real_fsync(fd)
        if saved:
            return
        saved.append(True)
        if how == "rename":
            other = tmp_path / "editor-save.tmp"
            other.write_bytes(edited)
            os.replace(other, path)
        else:
            stamp = path.stat()
            path.write_bytes(edited)
            if how == "same-size-and-time":
                os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))

    monkeypatch.setattr(fix.os, "fsync", fsync_then_save)
    result = _fix(path)
    assert saved
    assert path.read_bytes() == edited
    assert "page.md: file changed on disk while fixing; not written" in result.output
    assert _summary_fixed(result).startswith("naislint: fixed 0 problems")
    assert '"rule": "nbsp-entity"' in result.output  # still reported: nothing was fixed
    assert _leftovers(tmp_path) == []


def test_hard_links_keep_sharing_the_fixed_file(tmp_path: Path) -> None:
    path = _page(tmp_path)
    twin = tmp_path / "twin.txt"
    os.link(path, twin)
    inode = path.stat().st_ino
    result = _fix(path)
    assert b"&nbsp;" not in path.read_bytes(), result.output
    assert path.stat().st_ino == inode and twin.stat().st_ino == inode and path.stat().st_nlink == 2
    assert twin.read_bytes() == path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_hard_linked_file_changed_before_the_in_place_write_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-place write checks the digest through the descriptor it writes with."""
    path = _page(tmp_path)
    os.link(path, tmp_path / "twin.txt")
    edited = path.read_bytes() + b"Typed while fixing.\r\n"
    real_open = os.open

    def save_then_open(file, flags, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if flags & os.O_RDWR and os.path.realpath(file) == os.path.realpath(path):
            path.write_bytes(edited)
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(fix.os, "open", save_then_open)
    result = _fix(path)
    assert path.read_bytes() == edited == (tmp_path / "twin.txt").read_bytes()
    assert "file changed on disk while fixing; not written" in result.output


def test_failed_in_place_write_puts_the_old_text_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _page(tmp_path)
    os.link(path, tmp_path / "twin.txt")
    before = path.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fix.os, "fsync", full_disk)
    result = _fix(path)
    assert "cannot write the fixes" in result.output
    assert path.read_bytes() == before == (tmp_path / "twin.txt").read_bytes()
    assert path.stat().st_nlink == 2
