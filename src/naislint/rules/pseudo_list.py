r"""NL203 pseudo-list: paragraphs that start with a hand-typed number render as text.

The CMS editor's HTML-to-markdown converter escapes a number that starts a paragraph
(``2\\.``) or leaves a non-breaking space after it (``9.&nbsp;``); either way markdown
shows the text "2." and no list: no indentation, no list semantics for screen readers.
The unsafe fix writes a real list marker (``2. ``); blank lines between the paragraphs
can stay, since a list whose items are separated by blank lines is one (loose) list.

Renderer: GFM numbers a list from its first number; kramdown from 1. On a kramdown site
the fix of a run that opens a new list at a number other than 1 (the seed's ``5\.`` to
``9.&nbsp;``) rewrites the whole run and puts ``{: start="5"}`` on the line after it, so
the site shows 5-9, not 1-5. Inside an HTML element kramdown keeps raw the paragraph is
no paragraph at all: the finding stays (the source is wrong), says that the lines print
literally, and has no fix (a list marker there changes nothing: ``markdown="1"`` on the
element, which ``visible-markup`` proposes, is the fix).

A number that starts a bullet item's text (``- 1\\. text``) is no paragraph outside a
list: the item is one already, and ``- 1. text`` would put an ordered list inside the
bullet in kramdown and cmark-gfm alike (:mod:`naislint.page.lists` does not read it as a
pseudo item).
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.page.document import Document
from naislint.page.lists import PseudoItem, logical_lists
from naislint.page import literal
from naislint.page.renderer import for_document
from naislint.registry import Rule, RuleContext


def _runs(pseudo: list[PseudoItem]) -> dict[int, list[PseudoItem]]:
    """The runs that open a new list, by the ``id`` of their first paragraph."""
    runs: dict[int, list[PseudoItem]] = {}
    current: list[PseudoItem] | None = None
    for p in pseudo:
        if p.follows and current is not None:
            current.append(p)
            continue
        current = [p] if p.opens else None
        if current is not None:
            runs[id(p)] = current
    return runs


def _run_fix(doc: Document, run: list[PseudoItem]) -> Fix:
    """Every marker of a run, and ``{: start="N"}`` on the line after its last paragraph."""
    edits = [Edit(doc.span(p.marker_start, p.marker_end), p.replacement)
             for first in run for p in (first, *first.more)]
    end = run[-1].block_end
    if end > 0 and doc.text[end - 1 : end] == "\r":
        end -= 1
    edits.append(Edit(doc.span(end, end), f'\n{{: start="{run[0].item.number}"}}'))
    return Fix(tuple(edits), safe=False)


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    model = logical_lists(doc)
    kramdown = for_document(doc).is_kramdown
    runs = _runs(model.pseudo) if kramdown else {}
    for pseudo in model.pseudo:
        item = pseudo.item
        written = pseudo.written.rstrip(" \t")
        if "\\" in written:
            why = "the backslash escapes the list marker"
        else:
            why = "a non-breaking space after the number keeps it from being a list marker"
        edits = tuple(
            Edit(doc.span(p.marker_start, p.marker_end), p.replacement) for p in (pseudo, *pseudo.more)
        )
        fix: Fix | None = Fix(edits, safe=False)
        start_note = ""
        run = runs.get(id(pseudo))
        raw = literal.note(doc, item.start)
        if raw:
            fix = None  # a marker in raw HTML makes no list: the element needs markdown="1"
        elif run is not None and item.number != 1:
            fix = _run_fix(doc, run)
            start_note = f', and `{{: start="{item.number}"}}` after the list (kramdown numbers a list from 1)'
        yield Finding(
            doc.span(item.start, item.end),
            f"paragraph starts with a hand-typed number `{written}`: it renders as text, not as "
            f"a list item ({why}); write `{pseudo.replacement}` to make it a numbered list{start_note}{raw}",
            fix=fix,
        )


RULE = Rule(
    code="NL203",
    name="pseudo-list",
    summary="Hand-numbered paragraphs (2\\. text, 9.&nbsp;text) that render as text, not a list",
    check=check,
    default_severity=Severity.WARNING,
    fixable=True,
    fix_safe=False,  # renumbering is a guess at the author's intent: --unsafe-fixes only
)
