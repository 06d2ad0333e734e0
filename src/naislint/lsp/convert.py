"""naislint's diagnostics as LSP diagnostics: ranges in the client's position encoding,
severities, and the rule's documentation as a link an editor opens.

Kept apart from the server so that every feature module (push diagnostics, workspace
diagnostics) converts the same way without importing the server.
"""

from __future__ import annotations

from lsprotocol import types

from naislint.diagnostics import Diagnostic, Severity
from naislint.page.positions import LineTable

SOURCE = "naislint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def to_lsp(d: Diagnostic, table: LineTable) -> types.Diagnostic:
    (sl, sc), (el, ec) = table.span_range(d.span)
    if (sl, sc) == (el, ec):
        # An empty range is invisible in most editors: underline the character there.
        start = table.offset(sl, sc)
        if start < table.ends[sl]:
            el, ec = table.position(start + 1)
    return types.Diagnostic(
        range=types.Range(start=types.Position(sl, sc), end=types.Position(el, ec)),
        message=d.message,
        severity=SEVERITIES.get(d.severity, types.DiagnosticSeverity.Warning),
        code=d.rule,
        code_description=_doc_link(d),
        source=SOURCE,
        data={"rule": d.rule, "code": d.code},
    )


def _doc_link(d: Diagnostic) -> "types.CodeDescription | None":
    """The rule's documentation as a URI an editor opens: the shipped ``rules/<name>.md``
    (a diagnostic's ``url`` is relative to naislint's repository, not a URI)."""
    if "://" in d.url:
        return types.CodeDescription(href=d.url)
    from naislint.resources import rule_doc_path

    path = rule_doc_path(d.rule)
    return types.CodeDescription(href=path.as_uri()) if path.is_file() else None
