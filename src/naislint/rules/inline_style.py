"""NL404 inline-style: ``style=`` attributes in page HTML."""

from __future__ import annotations

from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.html import page_tags
from naislint.registry import Rule


def check(doc, site, options) -> Iterator[Finding]:
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend"):
            continue
        attr = tag.attr("style")
        if attr is None:
            continue
        yield Finding(
            doc.span(attr.start, attr.start + len("style")),
            f"inline style on <{tag.name}>: it overrides the site theme; use a class instead",
        )


RULE = Rule(
    code="NL404",
    name="inline-style",
    summary="style= attributes",
    check=check,
    default_severity=Severity.INFO,
)
