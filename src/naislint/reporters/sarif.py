"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` describes each rule that has a result (id = code, name,
short description = summary, full description and help from the rule's doc, help URI),
results point at it by ``ruleId`` and ``ruleIndex``. Columns are code points
(``columnKind: unicodeCodePoints``), ends exclusive, as SARIF regions are. Relative paths
are relative to ``%SRCROOT%``: the repository's root (``GITHUB_WORKSPACE``, or the git work
tree's; see :mod:`naislint.reporters._workspace`), else the folder naislint ran in, so code
scanning finds the files whatever ``working-directory`` the step has; URIs percent-encode the file
name's bytes, so a name that is not UTF-8 or holds control characters still points at
its file, and every text is valid UTF-8. Each result carries a
fingerprint that survives lines moving (the baseline's), so code scanning tracks it
across commits.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from naislint.version import __version__
from naislint.diagnostics import Diagnostic, Severity, Span
from naislint.reporters._escape import plain_tree

if TYPE_CHECKING:
    from naislint.run.results import RunResult
    from naislint.reporters import ReportContext

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "naislint/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(result: "RunResult", context: "ReportContext") -> str:
    from naislint.run.baseline import fingerprints

    from naislint.reporters._workspace import workspace_root

    rules, index = _rules(result.diagnostics)
    prints = fingerprints(result)
    root = workspace_root()
    results = [_result(d, index, fp, root) for d, fp in zip(result.diagnostics, prints)]
    invocation: dict = {"executionSuccessful": not result.internal_errors}
    if result.internal_errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": error}} for error in result.internal_errors
        ]
    run = {
        "tool": {
            "driver": {
                "name": "naislint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(root or os.getcwd()).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(plain_tree(log), indent=2, ensure_ascii=False) + "\n"


def _rules(diagnostics: list[Diagnostic]) -> tuple[list[dict], dict[str, int]]:
    from naislint.reporters._ruledocs import rule_help

    rules: list[dict] = []
    index: dict[str, int] = {}
    for name in sorted({d.rule for d in diagnostics}, key=lambda n: (_code_of(diagnostics, n), n)):
        help_ = rule_help(name)
        code = _code_of(diagnostics, name)
        if help_ is None:
            descriptor = {"id": code, "name": name, "shortDescription": {"text": name}}
        else:
            descriptor = {
                "id": help_.code,
                "name": help_.name,
                "shortDescription": {"text": help_.summary},
                "fullDescription": {"text": help_.description},
                "help": {"text": help_.markdown, "markdown": help_.markdown},
                "defaultConfiguration": {"level": _LEVEL[Severity(help_.severity)]},
            }
            if "://" in help_.url:  # helpUri must be absolute; the help text is there anyway
                descriptor["helpUri"] = help_.url
        index[name] = len(rules)
        rules.append(descriptor)
    return rules, index


def _code_of(diagnostics: list[Diagnostic], name: str) -> str:
    return next(d.code for d in diagnostics if d.rule == name)


def artifact(path: str, root: str | None = None) -> dict:
    """An artifactLocation: a relative URI under %SRCROOT%, or a file URI for other paths.

    ``root``: the repository root %SRCROOT% stands for (``None``: the current folder).
    The name's bytes are percent-encoded (``os.fsencode`` gives back the bytes a
    surrogate-escaped name came from), so the URI names the file exactly.
    """
    from naislint.reporters._workspace import from_root

    path = from_root(path, root)
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(os.fsencode(Path(path).as_posix()), safe="/"), "uriBaseId": SRCROOT}


def region(span: Span) -> dict:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": max(span.end_line, span.line),
        "endColumn": span.end_column if span.end_line > span.line else max(span.end_column, span.column),
    }


def _result(d: Diagnostic, index: dict[str, int], fingerprint: str, root: str | None = None) -> dict:
    item: dict = {
        "ruleId": d.code,
        "ruleIndex": index[d.rule],
        "level": _LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact(d.path, root), "region": region(d.span)}}],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    if d.fix is not None:
        item["fixes"] = [
            {
                "description": {"text": ("Safe fix" if d.fix.safe else "Unsafe fix") + f" for {d.rule}"},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact(d.path, root),
                        "replacements": [
                            {"deletedRegion": region(e.span), "insertedContent": {"text": e.text}}
                            for e in d.fix.edits
                        ],
                    }
                ],
            }
        ]
    return item
