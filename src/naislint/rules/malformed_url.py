"""NL307 malformed-url: a link or image address that no browser can follow as meant.

A typo in the scheme (``htp://``, ``http//``, ``https:/``) turns an external link into a
link to a page of the site that does not exist; a comma or a space in the host name
(``https://www.nea.gov.sg,``, ``https://www .mse.gov.sg``) names no server. Every link
and image of the page is checked (the site's shared link analysis).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.page.links import page_links

#: A scheme-like start: letters, an optional colon, slashes.
_START_RE = re.compile(r"^([A-Za-z]{2,7})(:?)(/*)")
#: Misspellings of http and https, with what they should be.
_TYPOS = {
    "htp": "http", "htps": "https", "htttp": "http", "htttps": "https", "hhttp": "http",
    "hhttps": "https", "ttp": "http", "ttps": "https", "htpp": "http", "htpps": "https",
    "hptt": "http", "hptts": "https", "http": "http", "https": "https", "httpss": "https",
}
_BAD_HOST_CHARS_RE = re.compile(r"[\s,;\"'<>(){}|\\^`]")


def _scheme_problem(url: str) -> tuple[str, int, str] | None:
    """(what is wrong, length of the bad start, its correction) for a mistyped
    ``http://``; ``None`` when the start is right or is no URL scheme at all."""
    m = _START_RE.match(url)
    if m is None:
        return None
    word, colon, slashes = m.group(1), m.group(2), m.group(3)
    right = _TYPOS.get(word.lower())
    if right is None:
        return None
    if word.lower() == right:
        if colon and len(slashes) == 2:
            return None
        if not colon and len(slashes) < 2:
            return None  # "http-guide/", "https.md": a relative path, not a scheme
        if not colon:
            return (f"'{m.group(0)}' lacks the colon", m.end(), f"{right}://")
        return (f"'{m.group(0)}' has {len(slashes)} slash{'es' if len(slashes) != 1 else ''}, not 2", m.end(), f"{right}://")
    if not colon and len(slashes) < 2:
        return None
    return (f"'{word}' is a misspelt '{right}'", m.end(), f"{right}://")


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    for ref in page_links(doc):
        url = ref.url.strip()
        if not url or "{{" in url or "{%" in url:
            continue
        problem = _scheme_problem(url)
        if problem is not None:
            what, length, right = problem
            lead = len(ref.url) - len(ref.url.lstrip())
            span = ref.span
            fix = None
            if span.line == span.end_line and url[length:]:  # "https:" alone: no server to keep
                start_col = span.column + lead
                written = doc.line(span.line)[start_col - 1 : start_col - 1 + length]
                if written == url[:length]:
                    fix = Fix((Edit(Span(span.line, start_col, span.line, start_col + length), right),), safe=True)
            yield Finding(
                span,
                f"malformed address: {what}, so the link does not lead to that site: write it as "
                f"{right}{url[length:][:40]}{'…' if len(url) - length > 40 else ''}",
                fix=fix,
            )
            continue
        m = re.match(r"^(?:https?|ftp)://([^/?#]*)", url, re.IGNORECASE)
        if m is None:
            continue
        host = m.group(1)
        if ref.spaced and " " in host and "," not in host:
            continue  # a space in a markdown destination: link-syntax reports it
        if not host:
            yield Finding(ref.span, f"malformed address {url[:60]!r}: it names no server after '//'")
            continue
        bad = _BAD_HOST_CHARS_RE.search(host)
        if bad is not None:
            char = {" ": "a space", ",": "a comma", "\t": "a tab", ";": "a semicolon"}.get(bad.group(0), repr(bad.group(0)))
            yield Finding(
                ref.span,
                f"malformed address: the server name {host!r} holds {char}, so the link leads nowhere: "
                "remove it (a comma or full stop after a link belongs outside its address)",
            )


RULE = Rule(
    code="NL307",
    name="malformed-url",
    summary="a link or image address with a mistyped scheme or a bad host name",
    check=check,
    default_severity=Severity.ERROR,
    fixable=True,
)
