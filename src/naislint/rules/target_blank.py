"""NL407 target-blank: ``target="_blank"`` without ``rel="noopener"`` or ``noreferrer``.

Checks HTML ``<a>``/``<area>``/``<form>`` tags and kramdown attribute lists after a link
(``[x](url){:target="_blank"}``). The safe fix adds ``rel="noopener noreferrer"`` or
completes an existing ``rel`` (keeping its other values, such as ``nofollow``).
"""

from __future__ import annotations

import re
from typing import Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.html import page_tags
from naislint.registry import Rule

NEEDED = ("noopener", "noreferrer")
_IAL_TARGET_RE = re.compile(r"""\btarget\s*=\s*(["']?)_blank\1""", re.IGNORECASE)
_IAL_REL_RE = re.compile(r"""\brel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s}]*))""", re.IGNORECASE)


def _safe(rel_value: str | None) -> bool:
    words = (rel_value or "").lower().split()
    return "noopener" in words or "noreferrer" in words


def _html_findings(doc) -> Iterator[Finding]:
    text = doc.text
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend") or tag.name not in ("a", "area", "form"):
            continue
        target = tag.attr("target")
        if target is None or (target.value or "").strip().lower() != "_blank":
            continue
        rel = tag.attr("rel")
        if rel is not None and _safe(rel.value):
            continue
        if rel is None:
            edit = Edit(doc.span(target.end), ' rel="noopener noreferrer"')
        elif rel.value_start == rel.end:  # a bare ``rel``
            edit = Edit(doc.span(rel.start, rel.end), 'rel="noopener noreferrer"')
        else:
            current = text[rel.value_start : rel.value_end]
            quoted = rel.value_start > 0 and text[rel.value_start - 1] in "\"'"
            joined = " ".join(current.split() + [w for w in NEEDED if w not in current.lower().split()])
            if quoted:
                edit = Edit(doc.span(rel.value_start, rel.value_end), joined)
            else:
                edit = Edit(doc.span(rel.value_start, rel.value_end), f'"{joined}"')
        yield Finding(
            doc.span(target.start, target.start + len("target")),
            f'target="_blank" on <{tag.name}> without rel="noopener": add rel="noopener noreferrer"',
            fix=Fix((edit,), safe=True),
        )


def _ial_findings(doc) -> Iterator[Finding]:
    if "{" not in doc.text:
        return  # no attribute list anywhere
    prose = doc.prose
    for token in doc.tokens:
        # an attribute list is a "{...}" of the inline content: most paragraphs have none
        if token.type != "inline" or "{" not in token.content or not token.children or not token.map:
            continue
        src = doc.source_of(token)
        cursor, limit = src.start, src.start + len(src.text)
        previous = None
        for child in token.children:
            if child.type == "kramdown_ial":
                at = prose.find(child.content, cursor, limit)
                if at != -1:
                    cursor = at + len(child.content)
                    if previous == "link_close":
                        yield from _check_ial(doc, child.content, at)
            previous = child.type


def _check_ial(doc, content: str, at: int) -> Iterator[Finding]:
    target = _IAL_TARGET_RE.search(content)
    if target is None:
        return
    rel = _IAL_REL_RE.search(content)
    if rel is not None:
        value = next((g for g in rel.groups() if g is not None), "")
        if _safe(value):
            return
        edit = Edit(doc.span(at + rel.start(), at + rel.end()),
                    'rel="' + " ".join(value.split() + list(NEEDED)) + '"')
    else:
        close = content.rfind("}")
        edit = Edit(doc.span(at + close), ' rel="noopener noreferrer"')
    yield Finding(
        doc.span(at + target.start(), at + target.start() + len("target")),
        'target="_blank" on a link without rel="noopener": add rel="noopener noreferrer"',
        fix=Fix((edit,), safe=True),
    )


def check(doc, site, options) -> Iterator[Finding]:
    yield from _html_findings(doc)
    yield from _ial_findings(doc)


RULE = Rule(
    code="NL407",
    name="target-blank",
    summary='target="_blank" without rel="noopener"',
    check=check,
    default_severity=Severity.INFO,
    fixable=True,
)
