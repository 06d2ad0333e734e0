"""NL404 inline-style: ``style=`` attributes in page HTML.

Not reported: ``style="width: 100%"`` (and nothing else) on an ``<img>``. The Isomer
CMS's image tool writes it on every picture it inserts, next to ``width="100%"``, so the
style repeats what the tag already says and changes nothing visible; an editor cannot
act on it (the CMS writes it again on the next save).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.html import HtmlTag, page_tags
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: The CMS image tool's own style: ``width: 100%`` alone, however spaced.
_CMS_IMAGE_STYLE_RE = re.compile(r"\s*width\s*:\s*100%\s*;?\s*", re.IGNORECASE)


def _cms_image_style(tag: HtmlTag, value: str | None) -> bool:
    return tag.name == "img" and value is not None and _CMS_IMAGE_STYLE_RE.fullmatch(value) is not None


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    from naislint.site.github import read_on_github

    advice = (
        "GitHub removes style attributes, so it has no effect there; remove it"
        if read_on_github(doc, ctx.preset) else "it overrides the site theme; use a class instead"
    )
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend"):
            continue
        attr = tag.attr("style")
        if attr is None or _cms_image_style(tag, attr.value):
            continue
        yield Finding(
            doc.span(attr.start, attr.start + len("style")),
            f"inline style on <{tag.name}>: {advice}",
        )


RULE = Rule(
    code="NL404",
    name="inline-style",
    summary="style= attributes",
    check=check,
    default_severity=Severity.INFO,
)
