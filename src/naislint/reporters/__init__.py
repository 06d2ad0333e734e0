"""Output formats. Each reporter is a module with ``render(result, context) -> str``.

Formats are looked up by name and imported only when chosen, so the JSON reporter does
not pay for SARIF's rule metadata, nor the text reporter for either.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable, NamedTuple

if TYPE_CHECKING:
    from naislint.run.results import RunResult

FORMATS = {
    "text": "naislint.reporters.text",
    "json": "naislint.reporters.json_format",
    "sarif": "naislint.reporters.sarif",
    "github": "naislint.reporters.github",
    "junit": "naislint.reporters.junit",
    "html": "naislint.reporters.html",
    "markdown": "naislint.reporters.markdown",
}


class ReportContext(NamedTuple):
    """How the report should look: colour, statistics, whether fixes were applied.

    (A named tuple: every run imports it, and a frozen dataclass costs 1 ms to make.)
    """

    color: bool = False
    statistics: bool = False
    quiet: bool = False
    show_source: bool = True
    fixed: int = 0
    fixable_remaining: int = 0
    #: ``--report-edit-url``: where an editor edits a page ({path} or {permalink}).
    edit_url: str | None = None
    #: ``--baseline``: the baseline file, and how many of its diagnostics were dropped.
    baseline: str | None = None
    baselined: int = 0
    #: When the run happened, as the editor reports print it (default: now, in UTC).
    generated: str | None = None


def reporter(name: str) -> Callable[["RunResult", ReportContext], str]:
    return importlib.import_module(FORMATS[name]).render
