"""``--format markdown``: a short report for a CI job summary (``$GITHUB_STEP_SUMMARY``).

A line of totals, a table of problems per rule (most frequent first, linked to the rule's
documentation) and the first :data:`FIRST` problems with their file and line. Job
summaries render Markdown with HTML, and messages quote page content, so every table cell
escapes HTML (``<``, ``>``, ``&``), ``|`` and backticks and loses its line breaks: a page
cannot inject markup into the summary. Paths are printed escaped as in every format, and
relative to the repository's root like the GitHub annotations.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from naislint.diagnostics import Severity
from naislint.reporters._escape import path_text

if TYPE_CHECKING:
    from naislint.engine import RunResult
    from naislint.reporters import ReportContext

#: How many problems the summary lists one by one.
FIRST = 20


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell rendered with HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("|", "\\|").replace("`", "&#96;").replace("[", "&#91;").replace("]", "&#93;")
    return " ".join(text.split())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def render(result: "RunResult", context: "ReportContext") -> str:
    from naislint.reporters._workspace import from_root, workspace_root

    found = result.diagnostics
    files = result.file_count
    lines = ["## naislint", ""]
    if not found:
        lines += [f"No problems in {_plural(files, 'file')}.", ""]
        return "\n".join(lines) + _errors(result)
    by_severity = Counter(d.severity for d in found)
    parts = [_plural(by_severity[s], name) for s, name in
             ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")) if by_severity[s]]
    with_problems = len({d.path for d in found})
    lines += [f"{_plural(len(found), 'problem')} ({', '.join(parts)}) in {with_problems} of "
              f"{_plural(files, 'file')}.", ""]
    per_rule = Counter((d.code, d.rule) for d in found)
    urls = {d.rule: d.url for d in found}
    lines += ["| Rule | Problems |", "| --- | ---: |"]
    for (code, rule), count in sorted(per_rule.items(), key=lambda item: (-item[1], item[0])):
        name = f"{code} {rule}"
        shown = f"[{cell(name)}]({urls[rule]})" if urls[rule].startswith(("https://", "http://")) else cell(name)
        lines.append(f"| {shown} | {count} |")
    root = workspace_root()
    lines += ["", f"### First {min(FIRST, len(found))} of {len(found)}" if len(found) > FIRST else "### Problems", "",
              "| File | Line | Rule | Message |", "| --- | ---: | --- | --- |"]
    for d in found[:FIRST]:
        where = cell(path_text(from_root(d.path, root)))
        lines.append(f"| {where} | {d.line}:{d.column} | {cell(d.code + ' ' + d.rule)} | {cell(d.message)} |")
    return "\n".join(lines) + "\n" + _errors(result)


def _errors(result: "RunResult") -> str:
    if not result.internal_errors:
        return ""
    return "\n" + "\n".join(f"- internal error: {cell(e)}" for e in result.internal_errors) + "\n"
