"""NL102 front-matter-syntax: YAML front matter that Jekyll cannot read.

Jekyll drops a front matter block it cannot parse and renders the page without its title
and permalink, usually at a wrong address; nothing warns the author. What Jekyll's YAML
reader (libyaml, through Ruby's Psych) accepts is not reported: a tab inside a plain value
is read as white space, and shown in HTML it is one space, so no reader or editor sees it.

The most common cause on real pages is an unquoted ``: `` inside a value
(``description: Use when asked: review this PR``): YAML reads it as the start of a new
key, which a plain value cannot hold. That error says so, and offers to put the value in
double quotes (safe when the value is one plain line and YAML reads the quoted text back
exactly, without the error).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.page.yamlquote import quoted, reads_back

#: ``key: value`` (or ``- key: value``) on one line, the value plain: not quoted, not a
#: flow collection, block scalar, anchor, alias or tag.
PLAIN_VALUE_LINE_RE = re.compile(r"^(\s*(?:-\s+)?[^\s#'\"{\[][^:#]*?:[ \t]+)([^\s'\"{\[|>&*!%@`#].*?)\s*$")


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None:
        return
    if fm.error is not None:
        found = _unquoted_colon(doc, fm) or Finding(Span.point(fm.error.line, fm.error.column), fm.error.message)
        from naislint.site.github import read_on_github

        if read_on_github(doc, ctx.preset):  # GitHub shows front matter as a table, or an error when it cannot
            message = found.message.replace("Jekyll drops the whole block", "GitHub shows an error box instead of it")
            found = Finding(found.span, message.replace("Jekyll will drop the whole block", "GitHub shows an error box instead of it"), found.fix, found.severity)
        yield found


def _unquoted_colon(doc: Document, fm: Any) -> Finding | None:
    """The error of a plain value holding ``: ``, with the quoting fix, if that is what
    the YAML error is."""
    error = fm.error
    if "mapping values are not allowed" not in error.message:
        return None
    line = doc.line(error.line)
    m = PLAIN_VALUE_LINE_RE.match(line)
    if m is None or ": " not in m.group(2) + " " or " #" in m.group(2):
        return None
    prefix, value = m.group(1), m.group(2)
    key = prefix.strip().lstrip("-").strip().rstrip(":").strip()
    start = len(prefix)
    fix = None
    if reads_back(prefix, value) and _parses_with(fm, error.line, line[:start] + quoted(value)):
        fix = Fix((Edit(Span(error.line, start + 1, error.line, start + len(value) + 1), quoted(value)),), safe=True)
    return Finding(
        Span.point(error.line, error.column),
        f"the value of {key!r} holds an unquoted ': ', which YAML reads as the start of a new key; "
        "Jekyll drops the whole block: put the value in quotes",
        fix=fix,
    )


def _parses_with(fm: Any, line_number: int, new_line: str) -> bool:
    """Whether the block parses once its line ``line_number`` is ``new_line``."""
    import yaml

    lines = fm.block.yaml_text.split("\n")
    index = line_number - fm.block.first_line
    if not 0 <= index < len(lines):
        return False
    lines[index] = new_line
    try:
        yaml.safe_load("\n".join(lines))
    except yaml.YAMLError:
        return False
    return True


RULE = Rule(
    code="NL102",
    name="front-matter-syntax",
    summary="Front matter YAML that does not parse (Jekyll drops the whole block)",
    check=check,
    default_severity=Severity.ERROR,
    fixable=True,
)
