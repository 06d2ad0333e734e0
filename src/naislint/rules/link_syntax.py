"""NL304 link-syntax: a link that is not one, or not the one its author meant.

Judged on the page the site's renderer makes and the browser then reads:

- ``[text](/files/A B.pdf)`` on a GFM site: a destination with spaces is no link in
  CommonMark, the brackets show as text. kramdown links it, and the browser encodes the
  spaces, so on a kramdown site it is a working link to a file whose name has spaces
  (``broken-link``/``missing-image`` say whether that file exists): not reported there.
- whitespace inside a URL where no file name has it (``/media/ C78D``, ``spread; Frequently``,
  two spaces): the browser sends it as ``%20``, another address. Reported on every renderer.
- ``href=" https://..."``: browsers strip spaces, tabs and line breaks at the ends of a URL
  (and drop tabs and line breaks inside it), so those are not reported; a non-breaking
  space at an end is not stripped and is.
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


#: Whitespace that cannot be part of a file name: next to URL punctuation or doubled
#: (``media/ C78D``, ``?v= x``, ``spread; Frequently``). ``QR code FAQ.jpg`` is a file name
#: with spaces, which browsers encode and broken-link/missing-image resolve.
SUSPECT_SPACE_RE = re.compile(r"[/=?&#:;]\s|\s[/=?&#.]|\s{2,}")
#: What the WHATWG URL parser strips from both ends of a URL: C0 controls and the space.
#: A non-breaking space (U+00A0) is not among them: it stays, as ``%C2%A0``.
_URL_ENDS = "".join(chr(c) for c in range(0x21))
#: ASCII tab and line breaks, which the URL parser removes wherever they are.
_URL_DROPPED_RE = re.compile(r"[\t\n\r]")


def browser_url(value: str) -> str:
    """The URL a browser requests for an attribute value: the ends trimmed of spaces and
    controls, tabs and line breaks inside removed (WHATWG URL parsing). ``href=" x\n"``
    works as ``href="x"``, so whitespace of that kind is no defect of the page."""
    return _URL_DROPPED_RE.sub("", value.strip(_URL_ENDS))


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    from naislint.page.links import page_links
    from naislint.page.renderer import for_document

    kramdown = for_document(doc).is_kramdown
    for ref in page_links(doc):
        if ref.spaced:
            start = doc.offset(ref.span.line, ref.span.column)
            raw = doc.text[start : doc.offset(ref.span.end_line, ref.span.end_column)]
            if "{{" in raw or "{%" in raw:
                continue  # Liquid: Jekyll replaces it before any markdown tool reads the link
            if _not_inline_link(doc, start):
                continue  # \\[text\\](a b) or [text][ref](more text): no inline link there
            if kramdown:
                # kramdown links it and the browser encodes the spaces: a file name with
                # spaces works; only a space no file name has sends the browser elsewhere.
                yield from _inner_space(ref, browser_url(ref.url), f"{ref.role} destination")
                continue
            fix = None
            if not re.search(r"[\"'<>\n]", raw):
                # One edit per space: the rest of the destination (escapes included) stays.
                fix = Fix(tuple(Edit(doc.span(start + m.start(), start + m.end()), "%20")
                                for m in re.finditer(r"[ \t]", raw)), safe=True)
            what = "image" if ref.role == "image" else "link"
            article = "an" if what == "image" else "a"
            yield Finding(
                ref.span,
                f"this {what} is not {article} {what} in GFM, the site's renderer: its destination has a space, "
                f"so the page shows the brackets and the URL as text; "
                f"write '%20' for each space or wrap the destination in '<...>'",
                fix,
            )
            continue
        if ref.source == "html":
            yield from _html_value(doc, ref)
        elif ref.source == "markdown" and ref.role == "link" and not ref.url.strip():
            yield Finding(ref.span, "empty link destination '()': the link goes nowhere; add the URL or remove the link")


def _inner_space(ref: Any, url: str, what: str) -> Iterator[Finding]:
    """Whitespace inside the URL the browser requests, where no file name has it."""
    if SUSPECT_SPACE_RE.search(url):
        yield Finding(
            ref.span,
            f"{what} has whitespace inside the URL ('{url}'): the browser sends it as '%20', "
            "which is another address; remove the space or encode it",
        )


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
    url = browser_url(value)
    stripped = url.strip()
    if stripped != url:
        # What is left at an end after the browser's trimming: a non-breaking space or
        # another Unicode space, which the browser keeps and encodes.
        raw_start = doc.offset(ref.span.line, ref.span.column)
        raw = doc.text[raw_start : doc.offset(ref.span.end_line, ref.span.end_column)]
        fix = None
        if raw.strip() == value.strip():
            lead = len(raw) - len(raw.lstrip())
            end_at = raw_start + len(raw.rstrip())
            edits = []
            if lead:
                edits.append(Edit(doc.span(raw_start, raw_start + lead), ""))
            if end_at < raw_start + len(raw):
                edits.append(Edit(doc.span(end_at, raw_start + len(raw)), ""))
            fix = Fix(tuple(edits), safe=True)
        side = "starts" if url[:1].isspace() else "ends"
        if url[:1].isspace() and url[-1:].isspace():
            side = "starts and ends"
        yield Finding(
            ref.span,
            f"{attr} {side} with a non-breaking space: browsers strip plain spaces from a URL "
            f"but keep this one (as '%C2%A0'), so the {'link points to' if attr == 'href' else 'element loads'} "
            f"another address; remove it",
            fix,
        )
    yield from _inner_space(ref, stripped, attr)


RULE = Rule(
    code="NL304",
    name="link-syntax",
    summary="A link that is not one: spaces in a destination, whitespace inside href, empty href",
    check=check,
    default_severity=Severity.WARNING,
    fixable=True,
)
