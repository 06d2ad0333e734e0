"""NL203 pseudo-list: paragraphs that start with a hand-typed number render as text.

The CMS editor's HTML-to-markdown converter escapes a number that starts a paragraph
(``2\\.``) or leaves a non-breaking space after it (``9.&nbsp;``); either way markdown
shows the text "2." and no list: no indentation, no list semantics for screen readers.
The unsafe fix writes a real list marker (``2. ``); blank lines between the paragraphs
can stay, since a list whose items are separated by blank lines is one (loose) list.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.document import Document
from naislint.lists import logical_lists
from naislint.registry import Rule


def check(doc: Document, site: Any, options: Any) -> Iterator[Finding]:
    for pseudo in logical_lists(doc).pseudo:
        item = pseudo.item
        written = pseudo.written.rstrip(" \t")
        if "\\" in written:
            why = "the backslash escapes the list marker"
        else:
            why = "a non-breaking space after the number keeps it from being a list marker"
        edits = tuple(
            Edit(doc.span(p.marker_start, p.marker_end), p.replacement) for p in (pseudo, *pseudo.more)
        )
        fix = Fix(edits, safe=False)
        yield Finding(
            doc.span(item.start, item.end),
            f"paragraph starts with a hand-typed number `{written}`: it renders as text, not as "
            f"a list item ({why}); write `{pseudo.replacement}` to make it a numbered list",
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
