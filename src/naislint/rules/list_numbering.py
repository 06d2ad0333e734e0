"""NL202 list-numbering: skipped, repeated or out-of-order numbers in a logical list.

Two numbering styles are fine: every item the same number (``1. 1. 1.``, so reordering
needs no renumbering) and counting up by one from any start. Anything else is a number
an editor typed wrong. A list that a code block or HTML splits into two lists is numbered
afresh by kramdown (it ignores the first number of a list), so the reader sees it restart
at 1: that is reported at the first item after the split.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.document import Document
from naislint.lists import Item, LogicalList, logical_lists
from naislint.registry import Rule


def check(doc: Document, site: Any, options: Any) -> Iterator[Finding]:
    for lst in logical_lists(doc).lists:
        if lst.ordered and not lst.html:
            yield from _check_list(doc, lst)


def _check_list(doc: Document, lst: LogicalList) -> Iterator[Finding]:
    items = [item for item in lst.items if item.number is not None and item.source != "html"]
    if len(items) < 2:
        return
    same = increments = 0
    for prev, item in zip(items, items[1:]):
        if item.number == prev.number:
            same += 1
        elif item.number == prev.number + 1:  # type: ignore[operator]
            increments += 1
    one_style = same > increments
    first = items[0]
    for index in range(1, len(items)):
        prev, item = items[index - 1], items[index]
        number, before = item.number, prev.number
        assert number is not None and before is not None
        if item.restart is not None:
            seen = index + 1 if one_style else before + 1
            if "code block" in item.restart:
                remedy = "indent the code block under the previous item to keep one list"
            else:
                remedy = "move the HTML into the previous item, or remove it, to keep one list"
            yield _finding(
                doc,
                item,
                f"the list restarts after {item.restart}: kramdown numbers each list from 1, "
                f"so readers see 1. here, not {seen}.; {remedy}",
            )
            continue
        if one_style:
            if number != first.number:
                yield _finding(
                    doc,
                    item,
                    f"item numbered {number} in a list numbered {first.number}. {first.number}. "
                    f"(line {first.line}); write {first.number}. like the other items",
                )
            continue
        if number == before + 1:
            continue
        if number == before:
            detail = f"repeats the number of the item on line {prev.line}"
        elif number > before + 1:
            missing = before + 1 if number == before + 2 else f"{before + 1}-{number - 1}"
            detail = f"follows {before} (line {prev.line}): {missing} is skipped"
        else:
            detail = f"comes after {before} (line {prev.line})"
        yield _finding(doc, item, f"item number {number} {detail}; expected {before + 1}")


def _finding(doc: Document, item: Item, message: str) -> Finding:
    return Finding(doc.span(item.start, item.end), message)


RULE = Rule(
    code="NL202",
    name="list-numbering",
    summary="Skipped, repeated or out-of-order numbers in a list (1. 1. 1. and any start are fine)",
    check=check,
    default_severity=Severity.WARNING,
)
