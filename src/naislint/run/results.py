"""What a run produces: each file's diagnostics, and the run's, in plain data.

Reporters, baselines and the language server read these; they need nothing else of the
run, so they import this module and not the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from naislint.diagnostics import Diagnostic
from naislint.page.document import Document
from naislint.run.discover import Target

#: Reporters re-read a page for its excerpts; a file larger than this shows none.
EXCERPT_MAX_BYTES = 1024 * 1024 * 1024


@dataclass
class FileResult:
    """What linting one file produced; ``document`` is kept only when fixes need it."""

    target: Target
    diagnostics: list[Diagnostic]
    document: Document | None = None
    content_hash: str | None = None
    #: False for a file that was refused or could not be read: reports show no lines of it.
    readable: bool = True
    #: The line of each diagnostic (number -> text), taken from the page when it was
    #: linted (in the worker) or from the results cache, so that a report of a run that
    #: kept no documents need not read the file again.
    excerpts: dict[int, str] | None = None

    def line(self, number: int, skip_binary: bool = False) -> str:
        """One line of the file as the rules saw it ("" past its end)."""
        if self.excerpts is not None and number in self.excerpts:
            return self.excerpts[number]
        lines = self.source_lines(skip_binary)
        return lines[number - 1] if 1 <= number <= len(lines) else ""

    def source_lines(self, skip_binary: bool = False) -> list[str]:
        """The file's lines as the rules saw them: from the kept document, else read again
        leniently (reporters and baselines need lines only of files with diagnostics, so
        re-reading them costs less than keeping every parsed document of a run).
        ``skip_binary`` gives no lines for a file holding a NUL byte."""
        from naislint.page.text import NEWLINE_RE

        if self.document is not None:
            return self.document.lines
        if not self.readable:
            return []
        from naislint.page.safeopen import read_regular, target_boundary

        try:
            # The same rules as linting: no pipe, device or link out of the site is read
            # for an excerpt (a loose FIFO called *.md would hang the report).
            raw = read_regular(self.target.path, target_boundary(self.target), EXCERPT_MAX_BYTES)
        except OSError:
            return []
        if skip_binary and b"\x00" in raw:
            return []
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        return NEWLINE_RE.split(raw.decode("utf-8", errors="replace"))


def excerpts_of(lines: list[str], numbers: Iterable[int]) -> dict[int, str]:
    """The lines ``numbers`` of a page (those that exist), for :attr:`FileResult.excerpts`."""
    return {n: lines[n - 1] for n in numbers if 1 <= n <= len(lines)}


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)

    @property
    def file_count(self) -> int:
        return len(self.files)
