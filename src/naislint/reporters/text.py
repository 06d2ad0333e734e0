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
    show_source = context.show_source and not context.quiet
    # A page with many problems is named on each line: its escaped name is worked out once.
    shown_paths: dict[str, str] = {}
    for d in result.diagnostics:
        out.append(_headline(d, paint, shown_paths))
        if show_source:
            out.extend(_excerpt(d, sources, paint))
    if not context.quiet:
        out.append(_summary(result, context))
    return "\n".join(out) + ("\n" if out else "")


def _plain(text: str, _style: object) -> str:
    return text


def _painter(color: bool):
    if not color:
        return _plain

    def paint(text: str, style: object) -> str:
        return f"{_COLORS[style]}{text}{_COLORS['reset']}"

    return paint


def _headline(d: Diagnostic, paint, shown_paths: "dict[str, str] | None" = None) -> str:
    # The path escaped: a newline or an ESC in a file name must not split or paint the line.
    span = d.span
    path = shown_paths.get(d.path) if shown_paths is not None else None
    if path is None:
        path = path_text(d.path)
        if shown_paths is not None:
            shown_paths[d.path] = path
    where = paint(f"{path}:{span.line}:{span.column}:", "path")
    code = paint(d.code, d.severity)
    fix = d.fix
    fixable = " [*]" if fix is not None and fix.safe else ""
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
    span = d.span
    number, column = span.line, span.column
    line = sources.line(d.path, number)
    if not line.strip():
        return []
    start = max(0, column - 1 - MAX_EXCERPT // 2) if len(line) > MAX_EXCERPT else 0
    shown = line[start : start + MAX_EXCERPT].replace("\t", " ")
    width = span.end_column - column if span.end_line == number else len(line) - column + 1
    width = max(1, min(width, len(shown) - (column - 1 - start)))
    gutter = f"{number:>5} | "
    pad = _PAD if number < 100000 else " " * (len(gutter) - 2) + "| "
    caret = " " * (column - 1 - start) + "^" * width
    if paint is _plain:
        return [gutter + shown, pad + caret]
    return [paint(gutter, "dim") + shown, paint(pad, "dim") + paint(caret, "caret")]


#: The gutter under a source line numbered below 100000 (as wide as ``f"{number:>5} | "``).
_PAD = " " * 6 + "| "


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
