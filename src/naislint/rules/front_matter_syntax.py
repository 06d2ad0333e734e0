"""NL102 front-matter-syntax: YAML front matter that Jekyll cannot read.

Jekyll drops a front matter block it cannot parse and renders the page without its title
and permalink, usually at a wrong address; nothing warns the author. A tab inside a plain
value is only a warning: PyYAML refuses it but Ruby's YAML reader, which Jekyll uses,
accepts it, so the block is read on and the rest of it still checked.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.document import Document
from naislint.registry import Rule


def check(doc: Document, site: Any, options: Any) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None:
        return
    if fm.error is not None:
        yield Finding(Span.point(fm.error.line, fm.error.column), fm.error.message)
    for span in fm.tab_warnings:
        yield Finding(
            span,
            "tab character in an unquoted value: Jekyll reads it, but stricter YAML tools "
            "do not; use a space",
            severity=Severity.WARNING,
        )


RULE = Rule(
    code="NL102",
    name="front-matter-syntax",
    summary="Front matter YAML that does not parse (Jekyll drops the whole block)",
    check=check,
    default_severity=Severity.ERROR,
)
