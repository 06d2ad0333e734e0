"""Applying fixes: edits to text, re-linting until stable, and writing files safely.

Edits are applied to the file's own text (its line endings, its BOM), not to the
normalised copy the rules saw, so every byte outside an edit stays as it was. No edit is
applied inside protected text (code, Liquid, HTML comments, escapes: see
:mod:`naislint.page.protected`), whatever the rule that computed it. Files are written through
a temporary file in the same folder and renamed over the original, so an interrupted run
leaves each file either old or new; a file with several hard links is written in place,
so that every name keeps seeing the same file. A file whose content changed on disk
since it was read (checked again once the new content is ready, just before it replaces
the old) is not written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from typing import Iterable

from naislint.store.stamps import content_hash
from naislint.diagnostics import Diagnostic, Edit
from naislint.page.protected import Protected, protected_regions
from naislint.page.text import NEWLINE_RE

MAX_ROUNDS = 10


class FileChanged(Exception):
    """The file on disk is not the one that was linted; writing would lose an edit."""


@dataclass(frozen=True, slots=True)
class AppliedFix:
    text: str
    applied: int


def line_starts(text: str) -> list[int]:
    """Offsets where each line of ``text`` starts, with any mix of line endings."""
    starts = [0]
    for m in NEWLINE_RE.finditer(text):
        starts.append(m.end())
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int:
    if line < 1:
        return 0
    if line > len(starts):
        return len(text)
    return min(starts[line - 1] + column - 1, len(text))


def applicable(diagnostics: Iterable[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    return [d for d in diagnostics if d.fix is not None and (d.fix.safe or unsafe)]


def protection_of(text: str) -> Protected:
    """The protected stretches of ``text`` (the file's own text, any line endings)."""
    from naislint.page.document import Document

    return protected_regions(Document.from_text(text))


def apply_edits(
    text: str, diagnostics: Iterable[Diagnostic], newline: str = "\n", protected: Protected | None = None
) -> AppliedFix:
    """Apply the fixes of ``diagnostics`` that do not overlap an earlier one.

    ``text`` is the file's own text (any line endings); positions are lines and columns as
    the rules reported them. Newlines in replacement text become ``newline``, the file's
    dominant line ending. A fix whose edits overlap another fix is left for the next round.
    A fix with an edit in ``protected`` text is never applied (its diagnostic stays).
    """
    starts = line_starts(text)
    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    applied = 0
    for d in sorted(diagnostics, key=lambda d: (d.span.line, d.span.column)):
        assert d.fix is not None
        if protected is not None and not protected.allows(d.fix):
            continue
        ranges = [(_offset(starts, text, e.span.line, e.span.column),
                   _offset(starts, text, e.span.end_line, e.span.end_column), e) for e in d.fix.edits]
        if any(_overlaps(a, b, ta, tb) for a, b, _ in ranges for ta, tb in taken):
            continue
        for a, b, edit in ranges:
            replacement = edit.text.replace("\n", newline) if newline != "\n" else edit.text
            chosen.append((a, b, replacement))
            taken.append((a, b))
        applied += 1
    if not chosen:
        return AppliedFix(text, 0)
    chosen.sort(key=lambda item: (item[0], item[1]))
    out = []
    cursor = 0
    for a, b, replacement in chosen:
        out.append(text[cursor:a])
        out.append(replacement)
        cursor = max(cursor, b)
    out.append(text[cursor:])
    return AppliedFix("".join(out), applied)


def _overlaps(a: int, b: int, ta: int, tb: int) -> bool:
    """Two ranges conflict when they share a character, or insert at the same point."""
    if a == b == ta == tb:
        return True
    return a < tb and ta < b


def encode(text: str, has_bom: bool) -> bytes:
    return (b"\xef\xbb\xbf" if has_bom else b"") + text.encode("utf-8")


def write_atomic(path: str, data: bytes, expected: bytes | None) -> None:
    """Replace the content of ``path`` with ``data``, keeping its mode and its links.

    ``expected`` is what the file held when it was linted. The file is checked against it
    twice: before any work (:class:`FileChanged`, "since it was read") and again once the
    new content sits synced in a temporary file, immediately before the rename (an editor
    saving during the write: "while fixing"). Either way nothing is written. The second
    check re-reads the file and compares content digests, so a save that keeps the size
    and the modification time is still seen.

    A symbolic link is written through (its target changes, the link stays a link). A
    file with more than one hard link is written in place through its own inode, so the
    other names see the fix instead of keeping the old text (a rename would split them).
    """
    path = os.path.realpath(path)
    wanted = content_hash(expected) if expected is not None else None
    if wanted is not None and _digest_now(path) != wanted:
        raise FileChanged("file changed on disk since it was read; not written")
    info = os.stat(path)
    if info.st_nlink > 1:
        _write_in_place(path, data, wanted, expected)
        return
    folder = os.path.dirname(os.path.abspath(path))
    mode = stat.S_IMODE(info.st_mode)
    fd, tmp = tempfile.mkstemp(prefix=".naislint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if wanted is not None and _digest_now(path) != wanted:
            raise FileChanged("file changed on disk while fixing; not written")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _digest_now(path: str) -> str:
    """Digest of what ``path`` holds now; a file that cannot be read counts as changed."""
    try:
        with open(path, "rb") as handle:
            return content_hash(handle.read())
    except OSError as exc:
        raise FileChanged(f"cannot re-read the file before writing: {exc.strerror or exc}") from None


def _write_in_place(path: str, data: bytes, wanted: str | None, expected: bytes | None) -> None:
    """Overwrite a hard-linked file through its inode, after a last check on that inode.

    The check reads through the descriptor that then writes, so it sees exactly the file
    that is about to change. This write is not atomic: if it fails half-way, the old
    content (``expected``) is written back before the error is raised.
    """
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "r+b") as handle:
        if wanted is not None and content_hash(handle.read()) != wanted:
            raise FileChanged("file changed on disk while fixing; not written")
        try:
            handle.seek(0)
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            if expected is not None:
                try:
                    handle.seek(0)
                    handle.write(expected)
                    handle.truncate()
                    handle.flush()
                except OSError:
                    pass
            raise


def edits_of(diagnostics: Iterable[Diagnostic]) -> list[Edit]:
    return [e for d in diagnostics if d.fix for e in d.fix.edits]


@dataclass
class FixOutcome:
    """The result of fixing one file: its old and new text and what is left to report."""

    original: str
    fixed: str
    applied: int
    diagnostics: list[Diagnostic]

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix_target(linter, target, first: list[Diagnostic], decoded, unsafe: bool) -> FixOutcome:
    """Apply fixes and re-lint until nothing more is fixable (or ``MAX_ROUNDS``).

    Each round re-lints the new text, so a fix that makes another possible (or that a
    later fix would conflict with) is handled in the next round, and the diagnostics
    returned describe the text that will be written. Each round's edits are checked
    against the protected text of the text they apply to.
    """
    text = decoded.text
    diagnostics = first
    applied = 0
    protected: Protected | None = None
    for _ in range(MAX_ROUNDS):
        todo = applicable(diagnostics, unsafe)
        if not todo:
            break
        if protected is None:
            protected = protection_of(text)
        result = apply_edits(text, todo, decoded.newline, protected)
        if result.applied == 0 or result.text == text:
            break
        text = result.text
        applied += result.applied
        linted = linter.lint_target(target, text=text)
        diagnostics = linted.diagnostics
        protected = protected_regions(linted.document) if linted.document is not None else None
    return FixOutcome(decoded.text, text, applied, diagnostics)


def unified_diff(path: str, before: str, after: str) -> str:
    """A patch that ``git apply`` and ``patch -p1`` both take, as ``git diff`` writes it.

    Lines split at ``\n`` only (a form feed or U+2028 inside a line stays in it, and
    ``\r\n`` endings stay on their lines); a last line without a newline is followed by
    git's ``\\ No newline at end of file``, so it is not glued to the next line or to the
    next file's header; a path with a space ends with git's tab, which tells ``patch``
    where the name stops, and one with a quote, a backslash or a control character is
    quoted as git quotes it.
    """
    import difflib

    def lines(text: str) -> list[str]:
        parts = text.split("\n")
        return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])

    def header(prefix: str) -> str:
        name = prefix + path.replace(os.sep, "/")
        if any(c in name for c in '"\\') or any(ord(c) < 32 or ord(c) == 127 for c in name):
            escapes = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}
            name = '"' + "".join(escapes.get(c, f"\\{ord(c):03o}" if ord(c) < 32 or ord(c) == 127 else c)
                                 for c in name) + '"'
        elif " " in name:
            name += "\t"
        return name

    body = list(difflib.unified_diff(lines(before), lines(after), n=3))[2:]
    if not body:
        return ""
    out = [f"--- {header('a/')}\n", f"+++ {header('b/')}\n"]
    for line in body:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
