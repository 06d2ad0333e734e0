"""NL201 duplicate-list-item: the same item twice in one logical list.

Copy-paste in the CMS editor and HTML-to-markdown conversion leave an item written twice,
sometimes once as a markdown or HTML item and once as a hand-numbered paragraph. Items are
compared after normalising (markup, tags and entities stripped, case and spacing folded),
by hashing, so a list of any length costs one pass.

On a kramdown site, items inside an HTML element kramdown keeps raw (no
``markdown="1"``) are still compared (the copy is in the source and shows once the
element is read as markdown), and the message says the lines print literally.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.page.lists import Item, logical_lists
from naislint.page import literal
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    for lst in logical_lists(doc).lists:
        seen: dict[str, Item] = {}
        for item in lst.items:
            text = item.text
            if not text:
                continue
            first = seen.get(text)
            if first is None:
                seen[text] = item
                continue
            # A markdown item kramdown keeps raw is still a copy in the source, but it is
            # no list item on the page: the message says so (``<li>`` items are HTML).
            where = literal.note(doc, item.start) if item.source != "html" else ""
            yield Finding(
                doc.span(item.start, item.end),
                f"this list item repeats the item on line {first.line} of the same list; "
                f"delete one copy{where}",
            )


RULE = Rule(
    code="NL201",
    name="duplicate-list-item",
    summary="The same item twice in one logical list (markdown, HTML <li>, hand-numbered paragraphs)",
    check=check,
    default_severity=Severity.WARNING,
)
