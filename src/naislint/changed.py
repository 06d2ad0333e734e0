"""``--changed-since REF``: which markdown files (and lines) changed since a git ref.

Changed means anything a pull request or a working copy would show against ``REF``:
commits since the merge base of ``REF`` and ``HEAD`` (so changes that landed on ``REF``
after the branch was cut are not counted), staged and unstaged edits, and untracked files
that git does not ignore. Deleted files are not linted. The whole site is still indexed,
so a changed page's links resolve against pages that did not change.

Line numbers for ``--changed-lines`` come from ``git diff -U0``: the lines each hunk adds
or replaces in the working-tree file. An untracked file counts as changed throughout.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field

from naislint.errors import GitError

_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
ALL_LINES = None


@dataclass
class Changes:
    """Changed files (absolute paths) and, per file, the changed line numbers (``None``: all)."""

    top: str
    base: str
    files: dict[str, set[int] | None] = field(default_factory=dict)

    def __contains__(self, path: str) -> bool:
        return os.path.realpath(path) in self.files

    def lines_of(self, path: str) -> set[int] | None:
        return self.files.get(os.path.realpath(path), set())


def _git(args: list[str], cwd: str) -> str:
    try:
        done = subprocess.run(
            ["git", "--literal-pathspecs", "-c", "core.quotePath=false", *args],
            cwd=cwd, capture_output=True, check=False, stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError("git is not installed; --changed-since needs it") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])} failed: {message[-1] if message else done.returncode}")
    return done.stdout.decode("utf-8", "surrogateescape")


def find_changes(ref: str, cwd: str = ".", with_lines: bool = False,
                 suffixes: tuple[str, ...] = (".md", ".markdown")) -> Changes:
    """The markdown files changed since ``ref`` in the repository holding ``cwd``."""
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git ref")
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    try:
        base = _git(["merge-base", ref, "HEAD"], top).strip()
    except GitError:
        base = ref
    tracked = _git(["diff", "--name-only", "--no-renames", "--diff-filter=d", "-z", base, "--"], top)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    changes = Changes(os.path.realpath(top), base)
    for name in filter(None, tracked.split("\0")):
        if name.endswith(suffixes):
            path = os.path.realpath(os.path.join(top, name))
            if os.path.isfile(path):
                changes.files[path] = _changed_lines(base, name, top) if with_lines else ALL_LINES
    for name in filter(None, untracked.split("\0")):
        if name.endswith(suffixes):
            changes.files[os.path.realpath(os.path.join(top, name))] = ALL_LINES
    return changes


def _changed_lines(base: str, name: str, top: str) -> set[int]:
    diff = _git(["diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", base, "--", name], top)
    lines: set[int] = set()
    for m in _HUNK_RE.finditer(diff):
        start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
        lines.update(range(start, start + count))
    return lines


def on_changed_lines(span_line: int, span_end_line: int, span_end_column: int, lines: set[int] | None) -> bool:
    """Whether a diagnostic's lines touch a changed line (``None`` means every line changed)."""
    if lines is None:
        return True
    last = span_end_line - 1 if span_end_line > span_line and span_end_column == 1 else span_end_line
    return any(n in lines for n in range(span_line, max(last, span_line) + 1))
