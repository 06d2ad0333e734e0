"""NL900 unused-suppression: a suppression comment that suppressed nothing.

A stale ``<!-- naislint-disable ... -->`` silently hides the next real problem of that
kind. The engine reports it after suppressions are applied, so there is no check function.
"""

from naislint.diagnostics import Severity
from naislint.registry import Rule

RULE = Rule(
    code="NL900",
    name="unused-suppression",
    summary="A naislint-disable comment that suppressed nothing",
    check=None,
    default_severity=Severity.WARNING,
)
