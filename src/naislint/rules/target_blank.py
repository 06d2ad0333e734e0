"""NL407 target-blank: ``target="_blank"`` without ``rel="noopener"`` or ``noreferrer``,
and ``target="blank"`` (no underscore), which names one reused window instead.

Checks HTML ``<a>``/``<area>``/``<form>`` tags and kramdown attribute lists after a link
(``[x](url){:target="_blank"}``). The safe fix adds ``rel="noopener noreferrer"`` or
completes an existing ``rel`` (keeping its other values, such as ``nofollow``).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.page.html import HtmlAttr, HtmlTag, page_tags
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

NEEDED = ("noopener", "noreferrer")
_IAL_TARGET_RE = re.compile(r"""\btarget\s*=\s*(["']?)_blank\1""", re.IGNORECASE)
_IAL_NAMED_BLANK_RE = re.compile(r"""\btarget\s*=\s*(["']?)(blank)\1(?![\w-])""", re.IGNORECASE)
_IAL_REL_RE = re.compile(r"""\brel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s}]*))""", re.IGNORECASE)


def _safe(rel_value: str | None) -> bool:
    words = (rel_value or "").lower().split()
    return "noopener" in words or "noreferrer" in words


def _html_findings(doc: Document) -> Iterator[Finding]:
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend") or tag.name not in ("a", "area", "form"):
            continue
        target = tag.attr("target")
        value = (target.value or "").strip().lower() if target is not None else ""
        if value == "blank" and target is not None:
            yield _named_blank(doc, tag, target)
            continue
        if target is None or value != "_blank":
            continue
        rel = tag.attr("rel")
        if rel is not None and _safe(rel.value):
            continue
        edit = _rel_edit(doc, target, rel)
        yield Finding(
            doc.span(target.start, target.start + len("target")),
            f'target="_blank" on <{tag.name}> without rel="noopener": add rel="noopener noreferrer"',
            fix=Fix((edit,), safe=True),
        )


def _named_blank(doc: Document, tag: HtmlTag, target: HtmlAttr) -> Finding:
    """``target="blank"`` (no underscore) names a window "blank": the first such link
    opens a new tab and every later one replaces the page in that same tab. The fix
    writes ``_blank`` and, as for any new tab, ``rel="noopener noreferrer"``."""
    text = doc.text
    raw = text[target.value_start : target.value_end]
    at = target.value_start + raw.lower().find("blank")
    edits = [Edit(doc.span(at, at), "_")]
    rel = tag.attr("rel")
    if rel is None or not _safe(rel.value):
        edits.append(_rel_edit(doc, target, rel))
    return Finding(
        doc.span(target.start, target.start + len("target")),
        f'target="blank" on <{tag.name}> (no underscore) opens every such link in one reused tab '
        'named "blank", not a new tab each time: write target="_blank" rel="noopener noreferrer"',
        fix=Fix(tuple(edits), safe=True),
        severity=Severity.WARNING,
    )


def _rel_edit(doc: Document, target: HtmlAttr, rel: HtmlAttr | None) -> Edit:
    """The edit that gives a tag ``rel="noopener noreferrer"`` (or completes its rel)."""
    text = doc.text
    if rel is None:
        return Edit(doc.span(target.end), ' rel="noopener noreferrer"')
    if rel.value_start == rel.end:  # a bare ``rel``
        return Edit(doc.span(rel.start, rel.end), 'rel="noopener noreferrer"')
    current = text[rel.value_start : rel.value_end]
    quoted = rel.value_start > 0 and text[rel.value_start - 1] in "\"'"
    joined = " ".join(current.split() + [w for w in NEEDED if w not in current.lower().split()])
    if quoted:
        return Edit(doc.span(rel.value_start, rel.value_end), joined)
    return Edit(doc.span(rel.value_start, rel.value_end), f'"{joined}"')


def _ial_findings(doc: Document) -> Iterator[Finding]:
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


def _check_ial(doc: Document, content: str, at: int) -> Iterator[Finding]:
    target = _IAL_TARGET_RE.search(content)
    if target is None:
        named = _IAL_NAMED_BLANK_RE.search(content)
        if named is not None:
            blank = at + named.start(2)
            edits = [Edit(doc.span(blank, blank), "_")]
            rel = _IAL_REL_RE.search(content)
            value = next((g for g in rel.groups() if g is not None), "") if rel else ""
            if rel is None:
                edits.append(Edit(doc.span(at + content.rfind("}")), ' rel="noopener noreferrer"'))
            elif not _safe(value):
                edits.append(Edit(doc.span(at + rel.start(), at + rel.end()),
                                  'rel="' + " ".join(value.split() + list(NEEDED)) + '"'))
            yield Finding(
                doc.span(at + named.start(), at + named.start() + len("target")),
                'target="blank" on a link (no underscore) opens every such link in one reused tab named '
                '"blank", not a new tab each time: write target="_blank" rel="noopener noreferrer"',
                fix=Fix(tuple(edits), safe=True),
                severity=Severity.WARNING,
            )
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


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
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
