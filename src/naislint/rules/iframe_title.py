"""NL604 iframe-title: an ``<iframe>`` with no ``title``.

WCAG 2.1 success criterion 4.1.2 (Name, Role, Value). A screen reader announces an
embedded frame by its title; without one the reader hears "frame" (or the embedded
page's address) and cannot tell a video from a form or a map before entering it.
"""

from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import urlsplit

from naislint.diagnostics import Finding, Severity
from naislint.page.html import HtmlTag, page_tags
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: What an embed from a well-known host usually is, to make the suggested title concrete.
_KINDS = (
    ("youtube", "YouTube video: "),
    ("vimeo", "Vimeo video: "),
    ("form.gov.sg", "Form: "),
    ("docs.google.com/forms", "Form: "),
    ("google.com/maps", "Map of "),
    ("maps.google", "Map of "),
    ("tableau", "Chart: "),
    ("powerbi", "Dashboard: "),
    ("facebook", "Facebook post: "),
)


def _suggestion(src: str) -> str:
    lowered = src.lower()
    for needle, prefix in _KINDS:
        if needle in lowered:
            return f'title="{prefix}…"'
    try:
        host = urlsplit(src.strip()).hostname
    except ValueError:
        host = None
    return f'title="… from {host}"' if host else 'title="…"'


def _named(tag: HtmlTag) -> bool:
    for name in ("title", "aria-label", "aria-labelledby"):
        attr = tag.attr(name)
        if attr is not None and (attr.value or "").strip():
            return True
    return False


def _hidden(tag: HtmlTag) -> bool:
    """A frame kept out of the accessibility tree (a tracking pixel frame) needs no name."""
    hidden = tag.attr("aria-hidden")
    if hidden is not None and (hidden.value or "").strip().lower() == "true":
        return True
    role = tag.attr("role")
    return role is not None and (role.value or "").strip().lower() in ("presentation", "none")


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    for tag in page_tags(doc):
        if tag.name != "iframe" or tag.kind not in ("start", "startend"):
            continue
        if _named(tag) or _hidden(tag):
            continue
        src = tag.attr("src")
        title = tag.attr("title")
        what = "an empty title" if title is not None else "no title"
        yield Finding(
            doc.span(tag.start, tag.start + len("<iframe")),
            f"<iframe> has {what}, so a screen reader announces it only as \"frame\": add a title "
            f"that says what it shows, e.g. {_suggestion(src.value or '' if src else '')}",
        )


RULE = Rule(
    code="NL604",
    name="iframe-title",
    summary="an <iframe> with no title",
    check=check,
    default_severity=Severity.WARNING,
)
