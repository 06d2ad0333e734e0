"""NL404 inline-style: formatting pasted from a word processor, in ``style=`` attributes.

A ``style=`` written on purpose (an image's width, a table's borders, a column's padding,
the markup of an Instagram or YouTube embed) does what its author meant, and "use a class
instead" is no advice a CMS editor can follow: the theme's classes are a developer's. What
an editor can and would clean up is formatting that came in with text pasted from Word,
Outlook or Google Docs: the document's font (``font-family: Aptos``), point sizes and
colours, which replace the site's typography on that text only. Its signs are Office's
``mso-`` properties, a font that comes with a document (Aptos, Calibri, Cambria, Times New
Roman ...) and a text measure in fractional points (``font-size: 10.5pt``,
``margin-bottom: .0001pt``: Word's converted measures, which nobody types). A
``font-size: 8pt`` typed for a photo credit is a choice, not a paste.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.html import page_tags
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: Fonts that only come with a document: Office's and Google Docs' defaults.
DOCUMENT_FONTS = frozenset({
    "aptos", "aptos display", "aptos narrow", "calibri", "calibri light", "cambria",
    "cambria math", "candara", "constantia", "corbel", "times new roman", "segoe ui",
    "book antiqua", "century gothic", "garamond", "arial narrow", "ms mincho", "ms gothic",
    "simsun", "mingliu", "pmingliu", "yu gothic", "malgun gothic", "microsoft yahei",
})
_DECLARATION_RE = re.compile(r"([-a-zA-Z]+)\s*:\s*([^;]*)")
#: A point length with a fraction (``10.5pt``, ``.0001pt``): Word's converted measures.
_FRACTIONAL_POINTS_RE = re.compile(r"(?<![\w.-])\d*\.\d+\s*pt\b", re.IGNORECASE)
#: Text properties Word writes in fractional points.
_TEXT_PROPERTIES = frozenset({
    "font-size", "line-height", "margin", "margin-top", "margin-bottom", "margin-left",
    "margin-right", "text-indent", "letter-spacing",
})


def pasted(style: str) -> list[str]:
    """The declarations of ``style`` that show a word processor's paste (``[]``: none)."""
    signs: list[str] = []
    for m in _DECLARATION_RE.finditer(style):
        name, value = m.group(1).lower(), m.group(2).strip()
        if name.startswith("mso-"):
            signs.append(f"{name}: {value}")
        elif name == "font-family" and value.split(",")[0].strip().strip("'\"").lower() in DOCUMENT_FONTS:
            signs.append(f"{name}: {value}")
        elif name in _TEXT_PROPERTIES and _FRACTIONAL_POINTS_RE.search(value):
            signs.append(f"{name}: {value}")
    return signs


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    from naislint.site.github import read_on_github

    github = read_on_github(doc, ctx.preset)
    others: list[tuple[Span, str]] = []
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend"):
            continue
        attr = tag.attr("style")
        if attr is None or not attr.value:
            continue
        span = doc.span(attr.start, attr.start + len("style"))
        if github:
            # GitHub's sanitizer removes every style attribute: none reaches the reader.
            yield Finding(span, (
                f"inline style on <{tag.name}>: GitHub removes style attributes, so it has no "
                "effect there; remove it"
            ), severity=Severity.INFO)
            continue
        signs = pasted(attr.value)
        if signs:
            yield Finding(span, (
                f"formatting pasted from a word processor ({'; '.join(signs[:3])}): it replaces "
                f"the site's font and sizes on this <{tag.name}>; clear the formatting (remove these styles)"
            ))
        else:
            others.append((span, tag.name))
    if others:
        # Layout written inline (padding, sizes, alignment): each may be deliberate, but
        # together they are the page's own look, which the site's theme no longer sets and
        # which every future edit must copy. One report per page, at info.
        span, name = others[0]
        more = f" and {len(others) - 1} more on this page" if len(others) > 1 else ""
        yield Finding(span, (
            f"inline style on <{name}>{more}: the page sets its own look instead of the site's "
            "theme; keep the styles an editor needs, and move repeated ones to the site's CSS"
        ), severity=Severity.INFO)


RULE = Rule(
    code="NL404",
    name="inline-style",
    summary="formatting pasted from a word processor (style= with document fonts, point sizes)",
    check=check,
    default_severity=Severity.WARNING,
)
