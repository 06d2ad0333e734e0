"""``--format github``: GitHub Actions workflow commands, shown as annotations on the PR.

``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=T::message`` per diagnostic:
errors as ``error``, warnings as ``warning``, info as ``notice``. Property values escape
``%``, CR, LF, ``:`` and ``,``; the message escapes ``%``, CR and LF, as GitHub's own
toolkit does. Other characters that are not printable (an ESC in a file name, bytes that
were not UTF-8) have no workflow-command escape: they are spelled out (``\x1b``), and
the ``file`` property is the path as every format prints it, relative to the repository's
root (:mod:`naislint.reporters._workspace`), so annotations land on the pull request's
files whatever ``working-directory`` the step has. GitHub ignores ``col``/``endColumn`` on an annotation that spans lines, so
those carry only ``line`` and ``endLine``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from naislint.diagnostics import Diagnostic, Severity
from naislint.reporters._escape import path_text

if TYPE_CHECKING:
    from naislint.run.results import RunResult
    from naislint.reporters import ReportContext

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return path_text(escaped)  # CR and LF are gone: what is left unprintable is spelled out


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic, root: str | None = None) -> str:
    """One workflow command; ``root``: the repository root the ``file`` is relative to."""
    from naislint.reporters._workspace import from_root

    span = d.span
    props = [("file", path_text(from_root(d.path, root))), ("line", str(span.line))]
    if span.end_line > span.line:
        props.append(("endLine", str(span.end_line)))
    else:
        props += [
            ("col", str(span.column)),
            ("endLine", str(span.line)),
            ("endColumn", str(max(span.end_column, span.column))),
        ]
    props.append(("title", f"{d.code} {d.rule}"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{_COMMAND[d.severity]} {joined}::{escape_data(f'{d.code} {d.message}')}"


def render(result: "RunResult", context: "ReportContext") -> str:
    from naislint.reporters._workspace import workspace_root

    root = workspace_root() if result.diagnostics else None
    return "".join(annotation(d, root) + "\n" for d in result.diagnostics)
