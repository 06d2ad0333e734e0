"""NL304 link-syntax: a link that is not one, or not the one its author meant.

- ``[text](/files/A B.pdf)``: a destination with spaces is not a link in CommonMark
  (GitHub, the CMS editor, most markdown tools show the brackets as text). kramdown, the
  site's renderer, links it anyway, so the page works today and breaks in every other
  tool; ``%20`` or ``<...>`` works everywhere.
- ``href=" https://..."``: whitespace around or inside an ``href``/``src``.
- ``href=""`` and ``[text]()``: an empty destination reloads the page.

Not reported: a destination holding Liquid (``{% link _docs/x.md %}``, ``{{ site.url }}``;
Jekyll replaces it before the markdown is read) and bracketed text whose ``[`` or ``]``
is backslash-escaped (``\\[text\\](#a b)`` is text). The fix writes ``%20`` in place of each
space and touches nothing else.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext


#: Whitespace that cannot be part of a file name: next to URL punctuation, doubled, a tab
#: or a line break (``media/ C78D``, ``?v= x``). ``QR code FAQ.jpg`` is a file name with
#: spaces, which browsers encode and broken-link/missing-image resolve.
SUSPECT_SPACE_RE = re.compile(r"[/=?&#:]\s|\s[/=?&#.]|\s{2,}|[\t\n\r]")


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    from naislint.page.links import page_links

    for ref in page_links(doc):
        if ref.spaced:
            start = doc.offset(ref.span.line, ref.span.column)
            raw = doc.text[start : doc.offset(ref.span.end_line, ref.span.end_column)]
            if "{{" in raw or "{%" in raw:
                continue  # Liquid: Jekyll replaces it before any markdown tool reads the link
            if _not_inline_link(doc, start):
                continue  # \\[text\\](a b) or [text][ref](more text): no inline link there
            fix = None
            if not re.search(r"[\"'<>\n]", raw):
                # One edit per space: the rest of the destination (escapes included) stays.
                fix = Fix(tuple(Edit(doc.span(start + m.start(), start + m.end()), "%20")
                                for m in re.finditer(r"[ \t]", raw)), safe=True)
            what = "image" if ref.role == "image" else "link"
            article = "an" if what == "image" else "a"
            yield Finding(
                ref.span,
                f"this {what} is not {article} {what} in CommonMark: its destination has a space "
                f"(kramdown renders it, other markdown tools show the text as is); "
                f"write '%20' for each space or wrap the destination in '<...>'",
                fix,
            )
            continue
        if ref.source == "html":
            yield from _html_value(doc, ref)
        elif ref.source == "markdown" and ref.role == "link" and not ref.url.strip():
            yield Finding(ref.span, "empty link destination '()': the link goes nowhere; add the URL or remove the link")


def _not_inline_link(doc: Document, dest_start: int) -> bool:
    """Whether the brackets and parentheses around a destination make no inline link,
    though a pattern that knows neither escapes nor reference links reads one.

    - the ``[`` or the ``]`` is escaped: ``\\[text\\](#some words)`` is text in kramdown and
      CommonMark alike;
    - the brackets are the label of a reference link: in ``[bot][prow]([Kubernetes CI
      bot][prow])`` the parentheses hold text and a second reference link, not a URL.
    """
    from naislint.page.links import SPACED_LINK_RE

    line = doc.position(dest_start)[0]
    line_start = doc.index.line_start(line)
    for m in SPACED_LINK_RE.finditer(doc.prose, line_start, doc.index.line_end(line)):
        if m.start(3) <= dest_start <= m.end(3):
            opening = m.start(2) - 1
            if opening > 0 and doc.text[opening - 1] == "]" and not _is_escaped(doc.text, opening - 1):
                return True
            return _is_escaped(doc.text, opening) or _is_escaped(doc.text, m.end(2))
    return False


def _is_escaped(text: str, at: int) -> bool:
    """An odd number of backslashes before ``at`` escapes the character there."""
    slashes = 0
    while at - slashes > 0 and text[at - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _html_value(doc: Document, ref: Any) -> Iterator[Finding]:
    value = ref.url
    attr = ref.attr
    if attr == "srcset" or "{{" in value or "{%" in value:
        return  # Liquid is evaluated before the browser sees the URL
    if not value.strip():
        if attr == "href":
            yield Finding(ref.span, "empty href: the link goes nowhere (it reloads the page); add the URL or remove the link")
        else:
            yield Finding(ref.span, f"empty {attr}: the element loads nothing; add the URL or remove it")
        return
    stripped = value.strip()
    if stripped != value:
        raw_start = doc.offset(ref.span.line, ref.span.column)
        raw = doc.text[raw_start : doc.offset(ref.span.end_line, ref.span.end_column)]
        fix = None
        if raw.strip() == stripped:
            lead = len(raw) - len(raw.lstrip())
            start = doc.span(raw_start, raw_start + lead)
            end_at = raw_start + len(raw.rstrip())
            edits = []
            if lead:
                edits.append(Edit(start, ""))
            if end_at < raw_start + len(raw):
                edits.append(Edit(doc.span(end_at, raw_start + len(raw)), ""))
            fix = Fix(tuple(edits), safe=True)
        side = "starts" if value[:1].isspace() else "ends"
        if value[:1].isspace() and value[-1:].isspace():
            side = "starts and ends"
        yield Finding(
            ref.span,
            f"{attr} {side} with whitespace: browsers strip it, but link checkers and the CMS "
            f"read it as part of the URL; remove it",
            fix,
        )
    if SUSPECT_SPACE_RE.search(stripped):
        yield Finding(
            ref.span,
            f"{attr} has whitespace inside the URL ('{stripped}'): the browser sends it as '%20', "
            "which is another address; remove the space or encode it",
        )


RULE = Rule(
    code="NL304",
    name="link-syntax",
    summary="A link that is not one: spaces in a destination, whitespace inside href, empty href",
    check=check,
    default_severity=Severity.WARNING,
    fixable=True,
)
