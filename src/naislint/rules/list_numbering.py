"""NL202 list-numbering: skipped, repeated or out-of-order numbers in a logical list.

Two numbering styles are fine: every item the same number (``1. 1. 1.``, so reordering
needs no renumbering) and counting up by one from any start. Anything else is a number
an editor typed wrong.

A list that a code block or HTML splits into two lists restarts where the renderer
numbers the second list differently from the count the reader follows: kramdown ignores
a list's first number (it starts at 1 unless ``{: start="N"}`` follows the list), GFM
keeps it (``3.`` after the split shows 3). That is reported at the first item after the
split, in the site's renderer's terms. kramdown keeps a fence that directly follows an
item's line inside that item, so such a fence splits nothing there.

Within one rendered list the typed numbers do not show: kramdown and GFM number an
``<ol>``'s items themselves (``1. 3. 3. 4.`` shows 1 2 3 4). So a wrong number is reported
only where the visitor sees it: after a split, as above; on a hand-numbered paragraph
(``4\\. Fourth step``), whose number is text; and, on a kramdown site, inside an HTML
element kramdown keeps raw, where the lines print literally (the message says so). The
``source-numbers`` option reports the numbers only the source shows as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.page.lists import Item, LogicalList, logical_lists, run_on_numbers
from naislint.page import literal
from naislint.page.renderer import for_document
from naislint.registry import Rule, RuleContext


@dataclass(frozen=True)
class Options:
    #: Also report a wrong number inside one rendered list, which the page does not show
    #: (the renderer numbers the items itself): for sites whose editors read the source.
    source_numbers: bool = False


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    source_numbers = options.source_numbers if options is not None else False
    for lst in logical_lists(doc).lists:
        if lst.ordered and not lst.html:
            yield from _check_list(doc, lst, source_numbers)


def _shown_as_typed(doc: Document, item: Item) -> bool:
    """Whether the visitor sees the number the author typed: a hand-numbered paragraph's
    number is text, an item kramdown prints literally shows as typed, and the first item
    of a new ``<ol>`` is where the renderer may start counting from it. Any other list
    item is numbered by the renderer."""
    if item.source == "paragraph" or item.shown is not None:
        return True
    return literal.region_at(doc, item.start) is not None


def _check_list(doc: Document, lst: LogicalList, source_numbers: bool = False) -> Iterator[Finding]:
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
            raw = _raw(doc, item)
            if raw:
                yield _finding(doc, item, f"the list is split by {item.restart} and numbered afresh "
                                          f"after it (item {number} would not read as {seen}.){raw}")
                continue
            shown = item.shown if item.shown is not None else number
            if shown == seen:
                continue  # GFM keeps the written start, or kramdown has {: start="N"}
            renderer = for_document(doc)
            if "code block" in item.restart:
                remedy = "indent the code block under the previous item to keep one list"
            else:
                remedy = "move the HTML into the previous item, or remove it, to keep one list"
            if renderer.is_kramdown:
                how = "kramdown numbers each list from 1 unless {: start=\"N\"} follows it"
                remedy += f", or put {{: start=\"{seen}\"}} on the line after this list"
            else:
                how = "GFM starts the new list at its first number"
            yield _finding(
                doc,
                item,
                f"the list restarts after {item.restart}: {how}, "
                f"so readers see {shown}. here, not {seen}.; {remedy}",
            )
            continue
        shown_as_typed = _shown_as_typed(doc, item)
        if not shown_as_typed and not source_numbers:
            continue  # the renderer numbers the item: the page shows the right number
        unseen = "" if shown_as_typed else "; only the source shows it: the page numbers the list in order"
        if one_style:
            if number != first.number:
                yield _finding(
                    doc,
                    item,
                    f"item numbered {number} in a list numbered {first.number}. {first.number}. "
                    f"(line {first.line}); write {first.number}. like the other items{_raw(doc, item)}{unseen}",
                )
            continue
        if number == before + 1:
            continue
        run_on = run_on_numbers(doc, prev, item)
        if run_on:
            for typed, at in run_on:
                yield Finding(
                    doc.span(at, at + len(str(typed))),
                    f"item {typed} is typed inside the paragraph of item {before} (line {prev.line}), "
                    f"so it runs on after that item's text instead of starting a line of its own; "
                    f"start {typed} on a new line, after a blank line",
                )
            continue
        if number == before:
            detail = f"repeats the number of the item on line {prev.line}"
        elif number > before + 1:
            missing = before + 1 if number == before + 2 else f"{before + 1}-{number - 1}"
            detail = f"follows {before} (line {prev.line}): {missing} is skipped"
        else:
            detail = f"comes after {before} (line {prev.line})"
        yield _finding(doc, item, f"item number {number} {detail}; expected {before + 1}{_raw(doc, item)}{unseen}")


def _raw(doc: Document, item: Item) -> str:
    """The note for an item kramdown prints literally ("" for one that renders), naming the
    rule that reports the region: visible-markup when it holds other markdown, else
    markdown-in-html, which reports its list markers line by line."""
    if item.source == "html":
        return ""
    region = literal.region_at(doc, item.start)
    if region is None:
        return ""
    from naislint.rules.visible_markup import page_region_markdown

    see = "visible-markup" if page_region_markdown(doc, region) else "markdown-in-html"
    return "; " + literal.describe(doc, region, see)


def _finding(doc: Document, item: Item, message: str) -> Finding:
    return Finding(doc.span(item.start, item.end), message)


RULE = Rule(
    code="NL202",
    name="list-numbering",
    summary="Skipped, repeated or out-of-order numbers in a list (1. 1. 1. and any start are fine)",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
