"""NL501 split-emphasis: bold runs that touch, splitting one phrase in two.

Converters and editors leave ``**resilie****nce**`` (a word split by a closing and an
opening run), ``**urgent**** emergency**`` (the second run is left unmatched and printed
as asterisks) and ``**ambitious**&nbsp;**and pragmatic**`` (two runs glued by a
non-breaking space). The fix joins the runs: the ``****`` is removed, ``**&nbsp;**``
becomes a space. A ``****`` followed by a space opens nothing and is printed as
asterisks; it is reported without a fix. ``****Text****`` (nested bold) is harmless.

Renderer: kramdown makes ``**resilie****nce**`` two bold runs side by side, which look
exactly like one, so the page shows nothing wrong: an ``info`` report whose fix only
tidies the source; GFM (cmark-gfm) prints the ``****`` in the middle of the bold run, a
warning. In
``**urgent**** emergency**`` both print ``** emergency**`` with its asterisks, and the
message quotes it. On a
kramdown site, a line inside an HTML element kramdown keeps raw shows its asterisks
anyway: the finding stays, says so, and keeps its fix (joining the runs removes the
``****`` the visitor sees in the middle of the word, and is right once the element gets
``markdown="1"``). The reverse holds too: a line CommonMark takes for part of an HTML
block but kramdown reads as markdown (right after ``<p>...</p>``) is checked on a
kramdown site.

A log of dated entries (meeting minutes, retrospective notes, see
:mod:`naislint.page.dated_log`) is a record nobody edits once the meeting is over: it is
left alone unless ``dated-logs`` is set. (A caller with no options, visible-markup asking
which lines this rule owns, gets every page's findings.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.page import literal
from naislint.page.dated_log import is_dated_log
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

QUAD_RE = re.compile(r"(?<!\*)\*\*\*\*(?!\*)")
GLUED_RE = re.compile(r"(?<=[^\s*_])(\*\*|__)(?:&nbsp;|&#160;|\u00a0)\1(?=[^\s*_])")


@dataclass(frozen=True)
class Options:
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records nobody edits once the meeting is over.
    dated_logs: bool = False


def _inline_sources(doc: Document) -> Iterator[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    for token in doc.tokens:
        if token.type == "inline" and token.map:
            # The cells of a table row share the row's lines: each range once.
            key = (token.map[0], token.map[1])
            if key in seen:
                continue
            seen.add(key)
            src = doc.source_of(token)
            yield src.start, src.start + len(src.text)
    # Lines CommonMark takes for HTML but kramdown reads as markdown (the line right after
    # ``<p>...</p>``, ``markdown="1"`` content): markdown-it has no inline token there.
    yield from literal.markdown_in_html_blocks(doc)


def _may_match(prose: str) -> bool:
    """Whether :data:`QUAD_RE` or :data:`GLUED_RE` can match anywhere in the page.

    Few pages have either; a handful of substring tests (C loops over the text) rule
    out the rest before each paragraph and table row is cut out and scanned.
    """
    if "****" in prose:
        return True
    for space in ("\u00a0", "&nbsp;", "&#160;"):
        if space in prose and ("**" + space in prose or "__" + space in prose):
            return True
    return False


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    if options is not None and not options.dated_logs and is_dated_log(doc):
        return
    prose = doc.prose
    if not _may_match(prose):
        return
    for a, b in _inline_sources(doc):
        text = prose[a:b]
        if "**" not in text and "__" not in text:
            continue
        for line_start, line in _lines(text):
            opened = 0
            stray = False
            for m in QUAD_RE.finditer(line):
                s, e = m.start(), m.end()
                left = line[s - 1] if s else " "
                right = line[e] if e < len(line) else ""
                at = a + line_start + s
                if left.isspace():
                    if right.isspace() or not right:
                        yield Finding(doc.span(at, at + 4),
                                      "'****' followed by a space opens no bold text: the asterisks are printed"
                                      + _raw(doc, at, fixed=False))
                        stray = True
                    else:
                        opened += 1  # ****Text****: nested bold, harmless
                    continue
                if stray:
                    continue  # the partner of a stray '****', already reported
                if opened:
                    opened -= 1
                    continue
                if right.isalnum() or right.isspace():
                    raw = _raw(doc, at)
                    unseen = right.isalnum() and not raw and _kramdown(doc)
                    yield Finding(
                        doc.span(at, at + 4),
                        (_touch_message(doc) if right.isalnum() else _unopened_message(line, s, e)) + raw,
                        fix=Fix((Edit(doc.span(at, at + 4), ""),), safe=True),
                        severity=Severity.INFO if unseen else None,
                    )
            for m in GLUED_RE.finditer(line):
                at = a + line_start + m.start()
                yield Finding(
                    doc.span(at, a + line_start + m.end()),
                    "two bold runs glued by a non-breaking space: join them into one" + _raw(doc, at),
                    fix=Fix((Edit(doc.span(at, a + line_start + m.end()), " "),), safe=True),
                )


def _kramdown(doc: Document) -> bool:
    from naislint.page.renderer import for_document

    return for_document(doc).is_kramdown


def _touch_message(doc: Document) -> str:
    """What the visitor sees of ``**resilie****nce**``, in the renderer's terms: kramdown
    prints ``<strong>resilie</strong><strong>nce</strong>``, which looks exactly like one
    bold run (kramdown 2.4), so the page shows nothing wrong; GFM prints the asterisks."""
    if _kramdown(doc):
        return ("bold runs touch ('****'): kramdown prints two bold runs side by side, which look like one, "
                "so the page shows nothing wrong; join them (the fix does) so the source says one bold phrase")
    return "bold runs touch ('****'): GFM prints the '****' inside the bold phrase; join the runs"


def _unopened_message(line: str, s: int, e: int) -> str:
    """What the visitor sees of ``**urgent**** emergency**``: the second run cannot open
    before a space, so kramdown and GFM alike print it, and its partner, as asterisks."""
    close = line.find("**", e)
    shown = line[s + 2 : close + 2] if close != -1 else line[s + 2 : s + 32]
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return (f"bold runs touch ('****') before a space: the second '**' opens no bold text there, "
            f"so the page shows '{shown}' with its asterisks; join the runs")


def _raw(doc: Document, at: int, fixed: bool = True) -> str:
    """On a kramdown site, the note for a run inside raw HTML: all its asterisks show
    there, and the fix (kept) joins the runs in the source only."""
    note = literal.note(doc, at)
    if not note:
        return ""
    return f"{note} (all the asterisks show there; the fix joins the runs in the source)" if fixed else note


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


RULE = Rule(
    code="NL501",
    name="split-emphasis",
    summary="emphasis runs that touch: **resilie****nce**, **a**&nbsp;**b**",
    check=check,
    default_severity=Severity.WARNING,
    fixable=True,
    options=Options,
)
