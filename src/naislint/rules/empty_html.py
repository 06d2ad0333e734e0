"""NL405 empty-html: empty elements a reader meets.

An element with nothing inside is reported only where its emptiness shows, whatever the
site's CSS: a link with no text (keyboard focus lands on nothing, a screen reader says
"link"), a list item that is a bare bullet, a layout column that holds nothing but still
takes its share of the row, and an underlined or struck-through space between two words.

Left alone, because an empty one shows nothing or is empty on purpose: ``<p></p>``
spacers, ``<div>``, ``<span>`` and ``<b>`` without content (no height or width: the CMS
writes them by the hundred and they change nothing visible); anchors (``<a id>``, any
element with an ``id``); icon glyphs (``<i>``, ``<span class>``); table cells; elements
whose content comes from elsewhere (``iframe``, ``video``); elements a class or style
marks as deliberate space (``class="grid-item filler"``, Instagram's
``<div style="padding: 12.5% 0;">`` spacers, shapes drawn with a background or border).
Empty headings are :mod:`empty-heading`'s business.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.page.html import HtmlTag, structure
from naislint.registry import Rule, RuleContext

#: Elements whose emptiness can show: their start tags are the only ones looked at.
CONTAINERS = frozenset("a li div section article aside u ins s strike del mark".split())
#: Decorations a browser draws under, through or behind a space.
DECORATED = frozenset("a u ins s strike del mark".split())
#: Class words of a layout column (Isomer's ``col``, Bulma's ``column is-4``, Bootstrap's
#: ``col-md-4``, a ``grid-column``).
_COLUMN_RE = re.compile(r"^(?:col|cols|column|columns|grid-column|grid-col|grid-item|cell)$|^col-|-col$|-column$")
#: Class words that say the element is empty on purpose.
_DELIBERATE_RE = re.compile(r"filler|spacer|placeholder|blank|dummy|gap|empty|clear", re.IGNORECASE)

_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_NON_SPACE_RE = re.compile(r"\S")


def _classes(tag: HtmlTag) -> list[str]:
    attr = tag.attr("class")
    return (attr.value or "").split() if attr is not None else []


def _deliberate(tag: HtmlTag) -> bool:
    """Whether the element is empty on purpose: an anchor, a mount point or a filler."""
    names = {a.name for a in tag.attrs}
    if tag.name == "a" and "href" not in names:
        return True  # an anchor target (<a id>, <a name>)
    if tag.name != "a" and "id" in names:
        return True  # a link target (<div id="x"></div>) or a script's mount point
    return any(_DELIBERATE_RE.search(word) for word in _classes(tag))  # class="grid-item filler"


def _only_space_between_words(text: str, start: HtmlTag, end: HtmlTag, inner: str) -> bool:
    """Whether the element's whitespace is the only space between the words around it
    (``word<u> </u>word``): removing the element would glue the two words."""
    if not inner or inner.strip():
        return False
    before = text[start.start - 1] if start.start > 0 else " "
    after = text[end.end] if end.end < len(text) else " "
    return not before.isspace() and not after.isspace() and before != ">" and after != "<"


def _report(doc: Document, start: HtmlTag, end: HtmlTag, inner: str) -> Finding | None:
    """What a reader meets of this empty element, or ``None`` when nothing."""
    span = doc.span(start.start, start.start + 1 + len(start.name))
    name = start.name
    if name in DECORATED and _only_space_between_words(doc.text, start, end, inner):
        return Finding(span, (
            f"<{name}> around the only space between two words: the space shows "
            f"{'as a link' if name == 'a' else 'decorated'}; replace it with a plain space"
        ))
    if _deliberate(start):
        return None
    if name == "a":
        return Finding(span, (
            "empty link: it has no text, so screen readers announce only \"link\" and keyboard "
            "focus lands on nothing; give it text or remove it"
        ))
    if name == "li" and not _classes(start) and start.attr("style") is None:
        return Finding(span, "empty list item: the list shows a bullet (or number) with nothing after it; remove it")
    if name in ("div", "section", "article", "aside") and any(_COLUMN_RE.search(w) for w in _classes(start)):
        return Finding(span, (
            f"empty column <{name} class=\"{' '.join(_classes(start))}\">: it holds nothing but still "
            "takes its share of the row, so the columns beside it are narrower or off-centre; remove it"
        ))
    return None


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    text = doc.text
    for element in structure(doc).elements:
        end = element.end
        if end is None or element.name not in CONTAINERS:
            continue
        start = element.start
        first = _NON_SPACE_RE.search(text, start.end, end.start)
        if first is not None and not text.startswith("<!--", first.start()):
            continue  # content: no need to copy it (an outer <div> holds most of the page)
        inner = _COMMENT_RE.sub("", text[start.end : end.start])
        if inner.strip() or _BLANK_LINE_RE.search(inner):
            continue
        finding = _report(doc, start, end, inner)
        if finding is not None:
            yield finding


RULE = Rule(
    code="NL405",
    name="empty-html",
    summary="empty links, list items and layout columns",
    check=check,
    default_severity=Severity.WARNING,
)
