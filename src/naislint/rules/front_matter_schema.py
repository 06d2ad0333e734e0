"""NL104 front-matter-schema: front matter checked against its page kind's JSON Schema.

The page kind (simple page, collection page, resource post, homepage ...) comes from
the file's place in the site and its ``layout``; see :mod:`naislint.jekyll.pagekinds`. Each
problem points at its key (or value) and says what is wrong in plain words; missing or
ill-typed keys are errors, values that break the page in another way (a permalink that
is a full URL or holds ``?``/``#``, a date's spelling) warnings. A live permalink's form
(case, characters, slashes) is not checked by the built-in kinds: its address works, and
renaming it would break the links to it.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None or not fm.ok:
        return
    from naislint.schema import frontmatter as fmschema
    from naislint.jekyll import pagekinds

    choice = pagekinds.choose(doc, ctx.place)
    if not isinstance(fm.data, dict):
        yield Finding(
            Span(fm.block.first_line, 1, fm.block.first_line, len(doc.line(fm.block.first_line)) + 1),
            "front matter must be a set of 'key: value' lines, not a single value or a list",
            severity=Severity.ERROR,
        )
        return
    try:
        problems = list(fmschema.check(doc, choice))
    except fmschema.SchemaLoadError as exc:
        yield Finding(Span(1, 1, 1, 4), f"{exc} (chosen by {choice.source})", severity=Severity.ERROR)
        return
    for problem in problems:
        yield Finding(problem.span, problem.message, severity=problem.severity)


RULE = Rule(
    code="NL104",
    name="front-matter-schema",
    summary="Front matter that does not fit its page kind's JSON Schema (missing title, wrong type, malformed permalink or date)",
    check=check,
    default_severity=Severity.WARNING,
)
