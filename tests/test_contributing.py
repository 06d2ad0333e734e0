"""The rule template in CONTRIBUTING.md works: copied as it stands, it reports and fixes."""

from __future__ import annotations

import re
from pathlib import Path

from naislint.page.document import Document
from naislint.registry import RuleContext

GUIDE = Path(__file__).resolve().parent.parent / "CONTRIBUTING.md"


def test_the_rule_template_reports_where_it_says() -> None:
    code = re.search(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert code is not None
    namespace: dict = {"__name__": "template_rule"}
    exec(compile(code.group(1), "CONTRIBUTING.md", "exec"), namespace)
    rule = namespace["RULE"]
    doc = Document.from_text("## Contact:\n\n## About\n", "page.md")
    findings = list(rule.check(doc, RuleContext.alone("page.md"), None))
    assert [(f.span.line, f.span.column) for f in findings] == [(1, 11)]
    assert findings[0].fix is not None and findings[0].fix.edits[0].text == ""
    marker = re.search(r"## Contact: <!-- expect: heading-trailing-colon@(\d+) -->", GUIDE.read_text(encoding="utf-8"))
    assert marker is not None and int(marker.group(1)) == findings[0].span.column
