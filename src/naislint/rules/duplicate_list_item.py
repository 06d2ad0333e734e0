"""NL201 duplicate-list-item: the same item twice in one logical list.

Copy-paste in the CMS editor and HTML-to-markdown conversion leave an item written twice,
sometimes once as a markdown or HTML item and once as a hand-numbered paragraph. Items are
compared whole, after normalising (markup, tags and entities stripped, case and spacing
folded), by hashing, so a list of any length costs one pass. Whole: an item's sub-lists
are part of it (two "Windows" items with different steps below them are two items), and
code is compared exactly as written (`` `-v` `` is not `` `-V` ``).

In an ordered list the order is the point: each item is a step, and a step that comes
back after other steps is done again (GitHub's "Create pull request" button is clicked
twice, a wizard's "Next" on each page). There a repeat is reported when it follows its
copy directly, or when the items around it repeat too (several steps pasted twice). In
an unordered list any repeat is a copy.

On a kramdown site, items inside an HTML element kramdown keeps raw (no
``markdown="1"``) are still compared (the copy is in the source and shows once the
element is read as markdown), and the message says the lines print literally.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.page.lists import ItemKey, logical_lists
from naislint.page import literal
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    for lst in logical_lists(doc).lists:
        items = lst.items
        keys = [item.key if item.text or item.children else None for item in items]
        seen: dict[ItemKey, list[int]] = {}
        for k, item in enumerate(items):
            key = keys[k]
            if key is None:
                continue
            earlier = seen.setdefault(key, [])
            earlier.append(k)
            if len(earlier) == 1:
                continue
            if lst.ordered and not _copied(keys, earlier[:-1], k):
                continue  # a step done again
            first = items[earlier[0]]
            # A markdown item kramdown keeps raw is still a copy in the source, but it is
            # no list item on the page: the message says so (``<li>`` items are HTML).
            where = literal.note(doc, item.start) if item.source != "html" else ""
            yield Finding(
                doc.span(item.start, item.end),
                f"this list item repeats the item on line {first.line} of the same list; "
                f"delete one copy{where}",
            )


def _copied(keys: list[ItemKey | None], earlier: list[int], k: int) -> bool:
    """Whether item ``k`` of an ordered list, equal to the items at ``earlier``, is a
    copy: it directly follows one of them, or a neighbour repeats that one's neighbour
    (a run of steps written twice)."""
    for j in earlier:
        if j == k - 1:
            return True
        if k + 1 < len(keys) and keys[k + 1] is not None and keys[j + 1] == keys[k + 1]:
            return True
        if j > 0 and keys[k - 1] is not None and keys[j - 1] == keys[k - 1]:
            return True
    return False


RULE = Rule(
    code="NL201",
    name="duplicate-list-item",
    summary="The same item twice in one logical list (markdown, HTML <li>, hand-numbered paragraphs)",
    check=check,
    default_severity=Severity.WARNING,
)
