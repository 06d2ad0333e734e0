"""NL405 empty-html: container elements with nothing inside.

``<div class="col"></div>`` left behind by an editor still takes space in the layout
(an empty column, an empty paragraph's margin) and means nothing to a screen reader.
Elements that are legitimately empty are left alone: anchors (``<a id>``/``<a name>``
without ``href``, any other element with an ``id``: a link target or a script's mount
point), icon elements (``<i>``, ``<span class>``), table cells, and
elements whose content a script or the browser provides (``iframe``, ``video`` ...), and
shapes drawn with CSS (a ``style`` with a background or border).
Empty headings are :mod:`empty-heading`'s business.

The CMS writes ``<p></p>`` spacers by the hundred; an empty paragraph has no height and
its margins collapse into its neighbours', so it changes nothing a reader sees. They are
reported once per page, with their count, at ``info``: worth removing when the page is
edited anyway, not worth a failed run. An element whose whitespace is the only space
between two words (``word<u> </u>word``) is not removable: removing it glues the words,
so the message says to replace it with a plain space.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.html import Element, structure
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: Containers reported when empty.
CONTAINERS = frozenset(
    "a abbr article aside b blockquote center dd div dl dt em font footer header label li "
    "main nav ol p section small span strong sub sup u ul".split()
)

_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_NON_SPACE_RE = re.compile(r"\S")


def _legitimately_empty(element: Element) -> bool:
    start = element.start
    names = {a.name for a in start.attrs}
    if start.name == "a" and "href" not in names and names & {"id", "name"}:
        return True  # an anchor target
    if start.name != "a" and "id" in names:
        return True  # a link target (<span id="x"></span>) or a script's mount point
    if start.name == "i" or (start.name == "span" and "class" in names):
        return True  # an icon glyph: <i class="fa ...">, or a bare <i> styled by the page's CSS
    style_attr = start.attr("style")
    style = (style_attr.value or "").lower() if style_attr is not None else ""
    if "background" in style or "border" in style:
        return True  # a shape drawn with CSS (embed placeholders, arrows)
    return False


def _is_spacer(element: Element, inner: str) -> bool:
    """An attribute-less ``<p></p>`` (or ``<p> </p>``): the CMS's paragraph spacer."""
    return element.name == "p" and not element.start.attrs and not inner.strip()


def _only_space_between_words(text: str, element: Element, inner: str) -> bool:
    """Whether the element's whitespace is the only space between the words around it
    (``word<u> </u>word``): removing the element would glue the two words."""
    if not inner or inner.strip():
        return False
    assert element.end is not None  # check passes elements with an end tag only
    before = text[element.start.start - 1] if element.start.start > 0 else " "
    after = text[element.end.end] if element.end.end < len(text) else " "
    return not before.isspace() and not after.isspace() and before != ">" and after != "<"


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    text = doc.text
    spacers: list[Finding] = []
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
        span = doc.span(start.start, start.start + 1 + len(start.name))
        if _is_spacer(element, inner):
            spacers.append(Finding(span, ""))
        elif _only_space_between_words(text, element, inner):
            yield Finding(
                span,
                f"<{start.name}> around the only space between two words: replace it with a plain space",
            )
        else:
            yield Finding(span, f"empty <{start.name}>: it has no content; remove it")
    if spacers:
        count = len(spacers)
        what = "an empty <p></p> spacer" if count == 1 else f"{count} empty <p></p> spacers (this is the first)"
        yield Finding(
            spacers[0].span,
            f"{what}: an empty paragraph changes nothing visible; remove when editing the page",
            severity=Severity.INFO,
        )


RULE = Rule(
    code="NL405",
    name="empty-html",
    summary="empty container elements",
    check=check,
    default_severity=Severity.WARNING,
)
