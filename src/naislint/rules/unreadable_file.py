"""NL001 unreadable-file: a file that cannot be read as UTF-8 markdown.

The engine reports it (there is no document to check), so the rule has no check function;
it exists so that the code, name, doc and config work like any other rule's.
"""

from naislint.diagnostics import Severity
from naislint.registry import Rule

RULE = Rule(
    code="NL001",
    name="unreadable-file",
    summary="A file that cannot be read, is not UTF-8, is binary or is over the size limit",
    check=None,
    default_severity=Severity.ERROR,
)
