"""``--format junit``: JUnit XML for CI systems that show test reports.

One ``testsuite`` named naislint; one ``testcase`` per problem, with exactly one
``failure`` (Jenkins, Azure DevOps and dorny/test-reporter show only the first failure of a
case, so a case per file would hide all but one problem of each file): its ``classname`` is
the file, its ``name`` ``CODE rule line:col``. A file without problems is one passing case
named ``naislint``, so clean files show as passed. ``tests`` counts the cases and
``failures`` the failed ones, so the counts add up. Paths are printed escaped, as in
every format (a file name's ESC, newline or non-UTF-8 byte spelled ``\x1b``, ``\n``,
``\xff``); other text is made safe for XML 1.0 (characters it cannot hold become
U+FFFD), since messages quote page content.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from naislint.reporters._escape import path_text

if TYPE_CHECKING:
    from naislint.run.results import RunResult
    from naislint.reporters import ReportContext

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(result: "RunResult", context: "ReportContext") -> str:
    by_path: dict[str, list] = {}
    for f in result.files:
        by_path.setdefault(f.target.display, [])
    for d in result.diagnostics:
        by_path.setdefault(d.path, []).append(d)
    failures = sum(len(found) for found in by_path.values())
    tests = failures + sum(1 for found in by_path.values() if not found)
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", {"name": "naislint", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "naislint", **counts})
    for path, diagnostics in by_path.items():
        shown = _xml(path_text(path))
        if not diagnostics:
            ET.SubElement(suite, "testcase", {"name": "naislint", "classname": shown, "file": shown})
        for d in diagnostics:
            case = ET.SubElement(suite, "testcase", {
                "name": _xml(f"{d.code} {d.rule} {d.line}:{d.column}"), "classname": shown, "file": shown,
                "line": str(d.line),
            })
            failure = ET.SubElement(case, "failure", {
                "message": _xml(f"{d.code} {d.rule}: {d.message}"),
                "type": _xml(d.rule),
            })
            where = f"{path_text(d.path)}:{d.line}:{d.column}"
            failure.text = _xml(f"{where}: {d.severity.value}: {d.code} {d.rule} {d.message}\n{d.url}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
