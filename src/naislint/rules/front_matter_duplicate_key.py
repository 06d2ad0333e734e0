"""NL103 front-matter-duplicate-key: a front matter key given twice.

YAML forbids it, yet PyYAML and Jekyll quietly keep the last value; the first is dead text
that an editor will keep changing without effect.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None:
        return
    for first, duplicate in fm.duplicates:
        yield Finding(
            duplicate.key_span,
            f"key {duplicate.key!r} is given twice (first on line {first.key_span.line}); "
            "Jekyll keeps only this last value",
        )


RULE = Rule(
    code="NL103",
    name="front-matter-duplicate-key",
    summary="A front matter key given twice (only the last value counts)",
    check=check,
    default_severity=Severity.ERROR,
)
