"""Find the http(s) links of a page, with the span of each URL as written.

Links come from markdown (inline links, images, autolinks, reference links), from raw
HTML (``href`` and ``src`` attributes of any element: iframes and stylesheets break too)
and from the front matter keys that layouts show as links. markdown-it-py gives inline tokens no columns and
normalises destinations (percent-encoding, entity decoding), so each destination is located
in the page's source by trying the spellings it may have had there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag

from naislint.diagnostics import Span

if TYPE_CHECKING:
    from naislint.page.document import Document

#: HTML attributes holding a URL a reader's browser will fetch or follow.
URL_ATTRIBUTES = frozenset({"href", "src"})

_ASCII_WHITESPACE = " \t\n\r\f"
_SCHEME_SLASHES = re.compile(r"(https?):[/\\]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ExternalLink:
    """One place a page links to an external URL.

    ``url`` is the URL as the browser would use it (whitespace around an ``href`` value
    dropped, fragment kept); ``key`` is the URL that is requested (no fragment), so links
    to several fragments of one page cost one request.
    """

    url: str
    key: str
    fragment: str
    span: Span


def is_external(url: str) -> bool:
    """True for an absolute http(s) URL that is not a Liquid template."""
    lowered = url[:8].lower()
    if not (lowered.startswith("http://") or lowered.startswith("https://")):
        return False
    return "{{" not in url and "{%" not in url


def request_key(url: str) -> tuple[str, str]:
    """The URL to request (no fragment, scheme lower-cased) and the fragment.

    Browsers read any run of slashes or backslashes after ``http:``/``https:`` as the
    ``//`` before the host (WHATWG URL standard), so ``https:///host/`` works for readers
    and is requested as ``https://host/``.
    """
    base, fragment = urldefrag(url)
    match = _SCHEME_SLASHES.match(base)
    if match:
        base = match.group(1).lower() + "://" + base[match.end():]
    return base, fragment


def collect(doc: "Document") -> list[ExternalLink]:
    """Every external link of a page, in document order; computed once per Document."""
    return doc.memo("external.links", lambda: _collect(doc))


def _collect(doc: "Document") -> list[ExternalLink]:
    found: list[tuple[int, ExternalLink]] = []
    found.extend(_markdown_links(doc))
    found.extend(_html_links(doc))
    found.extend(_front_matter_links(doc))
    found.sort(key=lambda item: item[0])
    return [link for _offset, link in found]


def _front_matter_links(doc: "Document") -> list[tuple[int, ExternalLink]]:
    """Front matter values the layouts show as links (``url``, ``file_url``...).

    Which keys hold links is the link rules' decision (:mod:`naislint.page.links`), so
    that internal and external checks agree on what a link is.
    """
    if doc.front_matter is None:
        return []
    from naislint.page.links import page_links

    out = []
    for ref in page_links(doc):
        url = ref.url.strip(_ASCII_WHITESPACE)
        if ref.source == "front-matter" and is_external(url):
            start = doc.offset(ref.span.line, ref.span.column)
            out.append((start, _make(url, ref.span)))
    return out


def _make(url: str, span: Span) -> ExternalLink:
    key, fragment = request_key(url)
    return ExternalLink(url=url, key=key, fragment=fragment, span=span)


def _markdown_links(doc: "Document") -> list[tuple[int, ExternalLink]]:
    out: list[tuple[int, ExternalLink]] = []
    prose = doc.prose
    for token in doc.tokens:
        if token.type != "inline" or not token.children or not token.map:
            continue
        src = doc.source_of(token)
        block_end = src.start + len(src.text)
        cursor = src.start
        for child in token.children:
            if child.type == "link_open":
                url = str(child.attrGet("href") or "")
            elif child.type == "image":
                url = str(child.attrGet("src") or "")
            else:
                continue
            if not is_external(url):
                continue
            start, end = _locate(prose, url, cursor, block_end)
            if start == -1:
                # A reference link: the URL is written in its definition, elsewhere.
                start, end = _locate(prose, url, doc.body_start, len(prose))
            if start == -1:
                start = end = src.start + (len(src.text) - len(src.text.lstrip()))
            else:
                if src.start <= start < block_end:
                    cursor = end
            out.append((start, _make(url, doc.span(start, end))))
    return out


def _spellings(url: str) -> list[str]:
    """How a normalised destination may have been written in the source."""
    decoded = unquote(url)
    candidates = [url, decoded, url.replace("&", "&amp;"), decoded.replace("&", "&amp;")]
    seen: list[str] = []
    for c in candidates:
        if c not in seen:
            seen.append(c)
    return seen


def _locate(text: str, url: str, start: int, end: int) -> tuple[int, int]:
    best = (-1, -1)
    for spelling in _spellings(url):
        at = text.find(spelling, start, end)
        if at != -1 and (best[0] == -1 or at < best[0]):
            best = (at, at + len(spelling))
    return best


def _html_links(doc: "Document") -> list[tuple[int, ExternalLink]]:
    from naislint.page.html import page_tags

    out: list[tuple[int, ExternalLink]] = []
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend"):
            continue
        for attr in tag.attrs:
            if attr.name not in URL_ATTRIBUTES or not attr.value:
                continue
            url = attr.value.strip(_ASCII_WHITESPACE)
            if not is_external(url):
                continue
            raw = doc.text[attr.value_start : attr.value_end]
            lead = len(raw) - len(raw.lstrip(_ASCII_WHITESPACE))
            trail = len(raw.rstrip(_ASCII_WHITESPACE))
            start, end = attr.value_start + lead, attr.value_start + max(trail, lead)
            out.append((start, _make(url, doc.span(start, end))))
    return out

