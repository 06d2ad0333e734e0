"""NL405 empty-html: container elements with nothing inside.

``<div class="col"></div>`` left behind by an editor still takes space in the layout
(an empty column, an empty paragraph's margin) and means nothing to a screen reader.
Elements that are legitimately empty are left alone: anchors (``<a id>``/``<a name>``
without ``href``), icon elements (``<i>``, ``<span class>``), table cells, and
elements whose content a script or the browser provides (``iframe``, ``video`` ...), and
shapes drawn with CSS (a ``style`` with a background or border).
Empty headings are :mod:`empty-heading`'s business.
"""

from __future__ import annotations

import re
from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.html import structure
from naislint.registry import Rule

#: Containers reported when empty.
CONTAINERS = frozenset(
    "a abbr article aside b blockquote center dd div dl dt em font footer header label li "
    "main nav ol p section small span strong sub sup u ul".split()
)

_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_NON_SPACE_RE = re.compile(r"\S")


def _legitimately_empty(element) -> bool:
    start = element.start
    names = {a.name for a in start.attrs}
    if start.name == "a" and "href" not in names and names & {"id", "name"}:
        return True  # an anchor target
    if start.name == "i" or (start.name == "span" and "class" in names):
        return True  # an icon glyph: <i class="fa ...">, or a bare <i> styled by the page's CSS
    style = (start.attr("style").value or "").lower() if "style" in names else ""
    if "background" in style or "border" in style:
        return True  # a shape drawn with CSS (embed placeholders, arrows)
    return False


def check(doc, site, options) -> Iterator[Finding]:
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
        if inner.strip() or _BLANK_LINE_RE.search(inner) or _legitimately_empty(element):
            continue
        yield Finding(
            doc.span(start.start, start.start + 1 + len(start.name)),
            f"empty <{start.name}>: it has no content; remove it",
        )


RULE = Rule(
    code="NL405",
    name="empty-html",
    summary="empty container elements",
    check=check,
    default_severity=Severity.WARNING,
)
