"""``--format text``: ruff-like lines, the source line with a caret, and a summary.

``path:line:col: CODE name message`` is what editors' problem matchers and people's eyes
both parse; the source excerpt shows the exact spot without opening the file.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from naislint.diagnostics import Diagnostic, Severity
from naislint.reporters._escape import path_text, plain_text

if TYPE_CHECKING:
    from naislint.run.results import RunResult
    from naislint.reporters import ReportContext

_COLORS = {
    "path": "\x1b[1m",
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
    "dim": "\x1b[2m",
    "caret": "\x1b[1;31m",
    "reset": "\x1b[0m",
}
MAX_EXCERPT = 160


def render(result: "RunResult", context: "ReportContext") -> str:
    if context.statistics:
        # Only the counts, as ``ruff --statistics``: the point is a short answer.
        table = _statistics(result)
        return table + "\n" if table else ""
    paint = _painter(context.color)
    out: list[str] = []
    sources = _SourceLines(result)
    for d in result.diagnostics:
        if context.quiet:
            out.append(_headline(d, paint))
            continue
        out.append(_headline(d, paint))
        if context.show_source:
            out.extend(_excerpt(d, sources, paint))
    if not context.quiet:
        out.append(_summary(result, context))
    return "\n".join(out) + ("\n" if out else "")


def _painter(color: bool):
    def paint(text: str, style: object) -> str:
        return f"{_COLORS[style]}{text}{_COLORS['reset']}" if color else text

    return paint


def _headline(d: Diagnostic, paint) -> str:
    # The path escaped: a newline or an ESC in a file name must not split or paint the line.
    where = paint(f"{path_text(d.path)}:{d.line}:{d.column}:", "path")
    code = paint(d.code, d.severity)
    fixable = " [*]" if d.fix is not None and d.fix.safe else ""
    return f"{where} {code} {d.rule}{fixable} {plain_text(d.message)}"


class _SourceLines:
    """Source lines for excerpts: from the kept document, else read again on demand.

    Re-reading only the files that have diagnostics costs less than keeping every parsed
    document of a large run in memory.
    """

    def __init__(self, result: "RunResult") -> None:
        self._files = {f.target.display: f for f in result.files}
        self._lines: dict[str, list[str]] = {}

    def line(self, display: str, number: int) -> str:
        f = self._files.get(display)
        if f is not None and f.excerpts is not None and number in f.excerpts:
            return f.excerpts[number]  # carried with the diagnostics: no need to read the file
        if display not in self._lines:
            self._lines[display] = self._load(display)
        lines = self._lines[display]
        return lines[number - 1] if 1 <= number <= len(lines) else ""

    def _load(self, display: str) -> list[str]:
        f = self._files.get(display)
        return f.source_lines(skip_binary=True) if f is not None else []


def _excerpt(d: Diagnostic, sources: _SourceLines, paint) -> list[str]:
    line = sources.line(d.path, d.line)
    if not line.strip():
        return []
    start = max(0, d.column - 1 - MAX_EXCERPT // 2) if len(line) > MAX_EXCERPT else 0
    shown = line[start : start + MAX_EXCERPT].replace("\t", " ")
    width = d.span.end_column - d.column if d.span.end_line == d.line else len(line) - d.column + 1
    width = max(1, min(width, len(shown) - (d.column - 1 - start)))
    gutter = f"{d.line:>5} | "
    pad = " " * (len(gutter) - 2) + "| "
    caret = " " * (d.column - 1 - start) + "^" * width
    return [paint(gutter, "dim") + shown, paint(pad, "dim") + paint(caret, "caret")]


def statistics(result: "RunResult") -> list[tuple[str, str, int, int]]:
    """(code, rule, problems, safely fixable) per rule, most problems first."""
    counts = Counter((d.code, d.rule) for d in result.diagnostics)
    fixable = Counter((d.code, d.rule) for d in result.diagnostics if d.fix is not None and d.fix.safe)
    return [(code, rule, count, fixable[(code, rule)])
            for (code, rule), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _statistics(result: "RunResult") -> str:
    lines = []
    for code, rule, count, fixable in statistics(result):
        mark = "[*]" if fixable else "   "
        lines.append(f"{count:>6}  {code}  {mark} {rule}")
    return "\n".join(lines)


def _summary(result: "RunResult", context: "ReportContext") -> str:
    n = len(result.diagnostics)
    files = result.file_count
    parts = []
    if context.fixed:
        parts.append(f"Fixed {context.fixed} problem{'s' if context.fixed != 1 else ''}.")
    if n == 0:
        parts.append(f"All checks passed ({files} file{'s' if files != 1 else ''} checked).")
        return " ".join(parts)
    by = Counter(d.severity for d in result.diagnostics)
    detail = ", ".join(
        f"{by[s]} {s.value}{'s' if by[s] != 1 else ''}" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if by[s]
    )
    with_files = len({d.path for d in result.diagnostics})
    parts.append(
        f"Found {n} problem{'s' if n != 1 else ''} ({detail}) in {with_files} of {files} file{'s' if files != 1 else ''}."
    )
    fixable = sum(1 for d in result.diagnostics if d.fix is not None and d.fix.safe)
    unsafe = sum(1 for d in result.diagnostics if d.fix is not None and not d.fix.safe)
    if fixable:
        parts.append(f"[*] {fixable} fixable with `naislint check --fix`.")
    if unsafe:
        parts.append(f"{unsafe} more with `--fix --unsafe-fixes`.")
    return " ".join(parts)
