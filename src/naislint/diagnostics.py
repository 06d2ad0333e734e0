"""The values every part of naislint passes around: spans, edits, fixes, diagnostics.

Positions are 1-based lines and 1-based columns counted in code points, the JSON output
contract's unit. End positions are exclusive (the column just after the last character),
so an empty span marks an insertion point.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """How serious a diagnostic is; ordered so that ``--fail-on`` can compare."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A stretch of a file: start inclusive, end exclusive, all 1-based."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> "Span":
        return cls(line, column, line, column)

    def __reduce__(self) -> tuple[type[Span], tuple[int, int, int, int]]:
        # Workers send thousands of these; the dataclass default (a state dict rebuilt
        # field by field) made unpickling them a tenth of the parent's work.
        return (Span, (self.line, self.column, self.end_line, self.end_column))


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text of ``span`` with ``text`` (an empty span inserts)."""

    span: Span
    text: str

    def __reduce__(self) -> tuple[type[Edit], tuple[Span, str]]:
        return (Edit, (self.span, self.text))

    def to_json(self) -> dict[str, Any]:
        s = self.span
        return {
            "line": s.line,
            "column": s.column,
            "end_line": s.end_line,
            "end_column": s.end_column,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Fix:
    """A set of edits that together repair one finding.

    ``safe`` fixes never change what the page means and are applied by ``--fix``;
    unsafe ones need ``--unsafe-fixes`` because they change structure.
    """

    edits: tuple[Edit, ...]
    safe: bool = True

    def __reduce__(self) -> tuple[type[Fix], tuple[tuple[Edit, ...], bool]]:
        return (Fix, (self.edits, self.safe))

    def to_json(self) -> dict[str, Any]:
        return {"safe": self.safe, "edits": [e.to_json() for e in self.edits]}


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports: where, what, and optionally how to repair it.

    Rules yield findings; the engine turns them into :class:`Diagnostic` by adding the
    path, code, name and configured severity, so a rule never needs to know its config.
    ``severity`` lets a rule lower or raise one finding (a pattern problem is a warning
    while a missing title is an error) without a second rule.
    """

    span: Span
    message: str
    fix: Fix | None = None
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One reported problem, in the shape of the JSON output contract."""

    path: str
    span: Span
    code: str
    rule: str
    severity: Severity
    message: str
    fix: Fix | None = None
    url: str = ""
    sort_key: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    def __reduce__(self) -> tuple[type[Diagnostic], tuple[object, ...]]:
        return (
            Diagnostic,
            (self.path, self.span, self.code, self.rule, self.severity, self.message, self.fix, self.url, self.sort_key),
        )

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def to_json(self) -> dict[str, Any]:
        s = self.span
        return {
            "path": self.path,
            "line": s.line,
            "column": s.column,
            "end_line": s.end_line,
            "end_column": s.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "fix": self.fix.to_json() if self.fix else None,
            "url": self.url,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], path: str | None = None) -> "Diagnostic":
        """The diagnostic ``to_json`` wrote (at ``path`` instead of the stored one, if given)."""
        fix = None
        if data.get("fix"):
            fix = Fix(
                edits=tuple(
                    Edit(Span(e["line"], e["column"], e["end_line"], e["end_column"]), e["text"])
                    for e in data["fix"]["edits"]
                ),
                safe=data["fix"]["safe"],
            )
        return cls(
            path=data["path"] if path is None else path,
            span=Span(data["line"], data["column"], data["end_line"], data["end_column"]),
            code=data["code"],
            rule=data["rule"],
            severity=Severity(data["severity"]),
            message=data["message"],
            fix=fix,
            url=data.get("url", ""),
        )
