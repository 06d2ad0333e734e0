"""``--format json``: a JSON array, one object per diagnostic, exactly the contract's keys.

``path`` is printed as the other formats print it (:func:`~naislint.reporters._escape.path_text`):
a file name that is not UTF-8 has no JSON spelling, and one with control characters
would hand them on to whatever shows the output. The output is always valid UTF-8.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from naislint.reporters._escape import path_text, plain_tree

if TYPE_CHECKING:
    from naislint.run.results import RunResult
    from naislint.reporters import ReportContext


def render(result: "RunResult", context: "ReportContext") -> str:
    if context.statistics:
        from naislint.reporters.text import statistics

        counts = [{"code": code, "rule": rule, "count": count, "fixable": fixable}
                  for code, rule, count, fixable in statistics(result)]
        return json.dumps(counts, indent=2) + "\n"
    items = [{**d.to_json(), "path": path_text(d.path)} for d in result.diagnostics]
    return json.dumps(plain_tree(items), indent=2, ensure_ascii=False) + "\n"
