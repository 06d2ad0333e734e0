"""NL103 front-matter-duplicate-key: a front matter key given twice.

YAML forbids it, yet PyYAML and Jekyll quietly keep the last value; the first is dead text
that an editor will keep changing without effect. When both say the same, nothing on the
page differs yet, and the message says so: deleting either line is the whole fix.
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
        where = f"key {duplicate.key!r} is given twice (first on line {first.key_span.line})"
        same = _same_text(first.node, duplicate.node)
        if same is not None:
            yield Finding(duplicate.key_span, f"{where}, both times {same!r}; delete one of the two lines")
        else:
            yield Finding(duplicate.key_span, f"{where}; Jekyll keeps only this last value")


def _same_text(a: Any, b: Any) -> str | None:
    """The value both nodes hold when they are one-line scalars of the same text and tag."""
    from yaml.nodes import ScalarNode

    if a.__class__ is not ScalarNode or b.__class__ is not ScalarNode:
        return None
    if a.value != b.value or a.tag != b.tag or "\n" in a.value or len(a.value) > 80:
        return None
    value: str = a.value
    return value


RULE = Rule(
    code="NL103",
    name="front-matter-duplicate-key",
    summary="A front matter key given twice (only the last value counts)",
    check=check,
    default_severity=Severity.ERROR,
)
