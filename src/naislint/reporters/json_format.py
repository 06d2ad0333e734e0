"""``--format json``: a JSON array, one object per diagnostic, exactly the contract's keys."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from naislint.engine import RunResult
    from naislint.reporters import ReportContext


def render(result: "RunResult", context: "ReportContext") -> str:
    return json.dumps([d.to_json() for d in result.diagnostics], indent=2, ensure_ascii=False) + "\n"
