"""``--changed-since REF``: which markdown and data files (and lines) changed since a git ref.

Changed means anything a pull request or a working copy would show against ``REF``:
commits since the merge base of ``REF`` and ``HEAD`` (so changes that landed on ``REF``
after the branch was cut are not counted), staged and unstaged edits, and untracked files
that git does not ignore. Deleted files are not linted. The whole site is still indexed,
so a changed page's links resolve against pages that did not change.

Line numbers for ``--changed-lines`` come from ``git diff -U0``: the lines each hunk adds
or replaces in the working-tree file. An untracked file counts as changed throughout.

A change can break pages it did not touch: those linking to a permalink that moved, a page
that was renamed or deleted, or an anchor that is gone. The previous version of every
modified or deleted file is kept (:attr:`Changes.previous`), and :func:`add_dependents`
adds the pages whose links resolve differently now (:mod:`naislint.site.backlinks`), each
with the lines of those links as its changed lines. The pre-commit hook, which is given the
staged files by name, gets the same from :func:`hook_changes` (against ``HEAD``).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from typing import Any

from naislint.errors import GitError

_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
ALL_LINES = None


@dataclass
class Changes:
    """Changed files (absolute paths) and, per file, the changed line numbers (``None``: all)."""

    top: str
    base: str
    files: dict[str, set[int] | None] = field(default_factory=dict)
    #: Absolute path -> content at ``base`` of each file modified or deleted since (``None``
    #: for a file whose content does not matter: not a page, only a static file's URL does).
    previous: dict[str, bytes | None] = field(default_factory=dict)

    def __contains__(self, path: str) -> bool:
        return os.path.realpath(path) in self.files

    def lines_of(self, path: str) -> set[int] | None:
        return self.files.get(os.path.realpath(path), set())


def _git(args: list[str], cwd: str, stdin: bytes | None = None, raw: bool = False) -> Any:
    try:
        done = subprocess.run(
            ["git", "--literal-pathspecs", "-c", "core.quotePath=false", *args],
            cwd=cwd, capture_output=True, check=False,
            **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}),
        )
    except FileNotFoundError:
        raise GitError("git is not installed; --changed-since needs it") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])} failed: {message[-1] if message else done.returncode}")
    return done.stdout if raw else done.stdout.decode("utf-8", "surrogateescape")


def find_changes(ref: str, cwd: str = ".", with_lines: bool = False,
                 suffixes: tuple[str, ...] = (".md", ".markdown", ".yml", ".yaml")) -> Changes:
    """The markdown and YAML files changed since ``ref`` in the repository holding ``cwd``
    (the run lints the YAML ones that are a site's data files)."""
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git ref")
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except GitError:
        raise GitError(f"git: --changed-since {ref!r}: no such branch, tag or commit in {top}") from None
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
    changes.previous = _previous_versions(base, top)
    return changes


def hook_changes(cwd: str = ".") -> Changes | None:
    """What a commit being made changes, as the pre-commit hook sees it: the work tree
    (pre-commit has put unstaged edits aside) against ``HEAD``; ``None`` outside a git
    repository or before its first commit. Only :attr:`Changes.previous` is filled: the
    hook is given the changed files by name."""
    try:
        top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
        _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top)
        changes = Changes(os.path.realpath(top), "HEAD")
        changes.previous = _previous_versions("HEAD", top)
    except GitError:
        return None
    return changes


#: Files whose previous content says what they published (pages may be any of these).
PAGE_SUFFIXES = (".md", ".markdown", ".html", ".htm")


def _previous_versions(base: str, top: str) -> dict[str, bytes | None]:
    """Absolute path -> content at ``base`` of each file modified or deleted since then."""
    listed = _git(["diff", "--name-status", "--no-renames", "--diff-filter=DMT", "-z", base, "--"], top).split("\0")
    names = [listed[i + 1] for i in range(0, len(listed) - 1, 2) if listed[i]]
    pages = [n for n in names if n.lower().endswith(PAGE_SUFFIXES) and "\n" not in n]
    blobs = _blobs(base, pages, top)
    return {os.path.join(os.path.realpath(top), n): blobs.get(n) for n in names}


def _blobs(base: str, names: list[str], top: str) -> dict[str, bytes]:
    """The content of each file at ``base``, in one ``git cat-file --batch``."""
    if not names:
        return {}
    request = "".join(f"{base}:{n}\n" for n in names).encode("utf-8", "surrogateescape")
    out = _git(["cat-file", "--batch"], top, stdin=request, raw=True)
    found: dict[str, bytes] = {}
    at = 0
    for name in names:
        end = out.find(b"\n", at)
        if end < 0:
            break
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # missing (or not a file)
        size = int(header[2])
        found[name] = out[at:at + size]
        at += size + 1
    return found


def add_dependents(linter: Any, changes: Changes) -> dict[str, set[int]]:
    """Add to ``changes`` the pages a change broke without touching them (see
    :func:`naislint.site.backlinks.dependents`); returns them (absolute path -> lines of
    the links concerned). Sites whose enabled rules need no index are skipped."""
    from naislint.run.discover import relative_to
    from naislint.site.backlinks import dependents

    by_root: dict[str, dict[str, bytes | None]] = {}
    for path, raw in changes.previous.items():
        root = linter.site_root_for(path)
        if root is not None:
            by_root.setdefault(root, {})[relative_to(path, os.path.realpath(root))] = raw
    added: dict[str, set[int]] = {}
    for root, previous in by_root.items():
        config = linter.config_for(root)
        site = linter.site_for(root, config.settings_for(next(iter(previous))))
        if site is None:
            continue
        changed = [site.rel(p) for p in changes.files]
        broken = dependents(site, previous, exclude=[r for r in changed if r], cache_dir=linter.site_cache_dir(root))
        for rel, lines in broken.items():
            path = os.path.realpath(os.path.join(site.root, rel))
            added[path] = lines
            changes.files.setdefault(path, set(lines))
    return added


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
