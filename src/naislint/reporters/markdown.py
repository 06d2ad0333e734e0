"""``--format markdown``: the editor report as GitHub-flavoured markdown.

For an issue, a pull request comment or a CI job summary. Its first part is a job
summary on its own (totals, counts per rule, the first problems), ending with the line
:data:`SUMMARY_END`, so that a CI step can write just that part to
``$GITHUB_STEP_SUMMARY`` (``sed "/$SUMMARY_END/q"``), which GitHub caps at 1 MiB. The
rest lists every problem by page, worst page first, and broken links by address.

Text from the pages is escaped so that it prints as written: it cannot open a link, a
table cell, emphasis or raw HTML.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from naislint.reporters._pages import SEVERITIES, SEVERITY_LABELS, Problem, Report, build, family_label, visible

if TYPE_CHECKING:
    from naislint.run.results import RunResult
    from naislint.reporters import ReportContext

SUMMARY_END = "<!-- naislint: end of summary -->"
#: Problems the job summary lists before pointing to the full report.
FIRST_PROBLEMS = 20

_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def md(text: str) -> str:
    """Text that markdown prints literally: its punctuation backslash-escaped, ``<``,
    ``>`` and ``&`` as entities, so it stays one line in a table cell."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _code(text: str) -> str:
    """``text`` as an inline code span (in a table cell too), or escaped text when it
    holds characters a code span cannot show safely there."""
    text = visible(text)
    if "|" in text or not text.strip():
        return md(text)
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word if n == 1 else word + 's'}"


def render(result: "RunResult", context: "ReportContext") -> str:
    report = build(result, context)
    out: list[str] = []
    _summary(out, report)
    out.append(SUMMARY_END)
    out.append("")
    _targets(out, report)
    _pages(out, report)
    return "\n".join(out).rstrip("\n") + "\n"


def _summary(out: list[str], report: Report) -> None:
    out.append(f"## {md(report.heading)}")
    out.append("")
    site = f" of {report.site_url}" if report.site_url else ""
    out.append(f"Checked {md(report.generated)}{md(site)}: {_plural(report.files_checked, 'file')}, "
               f"{_plural(report.total, 'problem')} on {_plural(len(report.pages), 'page')}.")
    out.append("")
    if report.baseline is not None:
        out.append(f"New since the baseline {_code(report.baseline)}: {report.total:,}; "
                   f"{_plural(report.baselined, 'problem')} the baseline records not shown.")
        out.append("")
    out.append("| Severity | Problems |")
    out.append("| --- | ---: |")
    for severity in SEVERITIES:
        out.append(f"| {SEVERITY_LABELS[severity]} | {report.by_severity[severity]:,} |")
    out.append("")
    if report.by_rule:
        out.append("| Rule | Kind | Severity | Problems |")
        out.append("| --- | --- | --- | ---: |")
        for r in report.by_rule:
            out.append(f"| {r.code} {md(r.rule)} | {family_label(r.family)} | "
                       f"{SEVERITY_LABELS.get(r.severity, r.severity)} | {r.count:,} |")
        out.append("")
        first = [p for page in report.pages for p in page.problems][:FIRST_PROBLEMS]
        out.append(f"First {_plural(len(first), 'problem')}, worst pages first:")
        out.append("")
        out.append("| Page | Line | Rule | Problem |")
        out.append("| --- | ---: | --- | --- |")
        for p in first:
            d = p.diagnostic
            out.append(f"| {_code(p.path)} | {d.line} | {d.code} {md(d.rule)} | {md(d.message)} |")
        out.append("")
    else:
        out.append("No problems found.")
        out.append("")


def _targets(out: list[str], report: Report) -> None:
    if not report.targets:
        return
    out.append("### Broken links and missing images, by address")
    out.append("")
    for group in report.targets:
        pages = group.pages
        out.append(f"- {_code(group.target)}: linked from {_plural(len(pages), 'page')}: "
                   + ", ".join(_code(path) for path in pages))
    out.append("")


def _pages(out: list[str], report: Report) -> None:
    if not report.pages:
        return
    out.append("### Problems by page")
    out.append("")
    for page in report.pages:
        counts = ", ".join(_plural(n, SEVERITY_LABELS[s].lower()) for s in SEVERITIES if (n := page.count(s)))
        out.append(f"#### {md(page.title)}")
        out.append("")
        where = [f"File {_code(page.path)}"]
        if page.url is not None:
            where.append(f"address {_code(page.url)}" + ("" if page.published else " (not published)"))
        if page.live_url:
            where.append(f"[view on the site](<{page.live_url}>)")
        if page.edit_url:
            where.append(f"[edit](<{page.edit_url}>)")
        out.append(", ".join(where) + f". {counts[0].upper() + counts[1:] if counts else ''}.")
        out.append("")
        for p in page.problems:
            out.extend(_problem(p))
        out.append("")


def _problem(p: Problem) -> list[str]:
    d = p.diagnostic
    lines = [f"- **{SEVERITY_LABELS.get(p.severity, p.severity)}**, line {d.line}, column {d.column}, "
             f"{d.code} {md(d.rule)}: {md(d.message)}"]
    if p.excerpt is not None:
        x = p.excerpt
        lines.append(f"  - Source: {_code(x.before + x.marked + x.after)}")
    if p.fix_words:
        lines.append(f"  - How to fix: {md(p.fix_words)}")
    return lines
