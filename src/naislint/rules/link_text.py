"""NL602 link-text: link text that says nothing out of context.

WCAG 2.1 success criterion 2.4.4 (Link Purpose (In Context)). Screen reader users often
list a page's links, or tab from link to link, hearing only each link's text: "click
here", "more" or a lone "»" say nothing there, nor does a long bare URL read out
character by character. Two links with the same text to different places cannot be told
apart in that list either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

from naislint.diagnostics import Finding, Severity
from naislint.page.reader import Link, reading
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

_PUNCT_RE = re.compile(r"[\s\W_]+")
_URL_TEXT_RE = re.compile(r"^(?:(?:https?|ftp)://|www\.)\S+$", re.IGNORECASE)
_LIQUID_RE = re.compile(r"\{\{[^}]*\}\}|\{%[^%]*%\}")


@dataclass(frozen=True)
class Options:
    #: Link texts that say nothing out of context, compared without case, punctuation or
    #: surrounding spaces. English, Malay and Chinese by default.
    generic: tuple[str, ...] = (
        "click here", "click", "here", "more", "read more", "learn more", "find out more",
        "more info", "more information", "more details", "details", "link", "this link",
        "this", "this page", "go", "see more", "view more", "continue", "continue reading",
        "klik di sini", "klik sini", "di sini", "sini", "klik", "baca lagi", "selanjutnya",
        "lagi", "pautan",
        "点击这里", "点击此处", "点击", "这里", "此处", "更多", "阅读更多", "了解更多", "详情",
        "链接", "按此", "請按此", "点此",
    )
    #: Words added to ``generic`` (so that a site can extend the list without repeating it).
    extra_generic: tuple[str, ...] = ()
    #: Report a long bare URL used as link text.
    bare_urls: bool = True
    #: A URL as link text at most this long (without ``https://`` and ``www.``) is short
    #: enough to hear, and is not reported.
    readable_url_length: int = 30
    #: Report links with the same text that go to different places on one page.
    same_text: bool = True


def _norm(text: str) -> str:
    return _PUNCT_RE.sub(" ", text.casefold()).strip()


def _target(href: str) -> str:
    """Where a link goes, for telling two links' targets apart: scheme and host without
    case, no trailing slash, ``index.html`` or site base URL."""
    href = _LIQUID_RE.sub("", href.strip())
    try:
        parts = urlsplit(href)
    except ValueError:
        return href
    path = parts.path
    for tail in ("index.html", "index.htm"):
        if path.endswith("/" + tail):
            path = path[: -len(tail)]
    path = path.rstrip("/") or "/"
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}?{parts.query}#{parts.fragment}"


def _long_url(text: str, readable: int) -> bool:
    """A URL as link text that is too long to listen to: ``www.gogreen.gov.sg`` or
    ``http://localhost:4000`` is an address the reader may want to hear (or type), while
    ``https://github.com/kubernetes/kubernetes/pull/117793#issuecomment-1837400726`` is not."""
    if not _URL_TEXT_RE.match(text):
        return False
    bare = re.sub(r"^(?:(?:https?|ftp)://)?(?:www\.)?", "", text, flags=re.IGNORECASE).rstrip("/")
    return len(bare) > readable or "?" in bare


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    read = reading(doc)
    images = read.images
    generic = {_norm(w) for w in options.generic + options.extra_generic}
    groups: dict[str, list[tuple[str, Link]]] = {}
    for link in read.links:
        if link.labelled:
            continue
        text = link.text
        if not text:
            continue  # a link named by its image only: image-alt judges that
        has_named_image = any((images[k].alt or "").strip() for k in link.images)
        span = doc.span(link.text_start, link.text_end)
        key = _norm(text)
        href = link.href.strip()
        if key in generic and not has_named_image:
            yield Finding(
                span,
                f"link text {text!r} says nothing about where the link goes: write what the reader "
                "will find there, e.g. [Download the 2023 annual report](…) instead of "
                "\"click here\"",
            )
            continue
        if not key and not has_named_image:
            yield Finding(
                span,
                f"link text {text!r} is only a symbol, which a screen reader reads as nothing or as "
                "its name: write what the reader will find there, e.g. [Next: Eligibility](…)",
            )
            continue
        if options.bare_urls and _long_url(text, options.readable_url_length):
            yield Finding(
                span,
                "link text is a long web address, which a screen reader reads out character by "
                "character: write the name of the page instead, e.g. [Green Plan 2030](…)",
                severity=Severity.INFO,
            )
            continue
        if options.same_text and href and not href.startswith("#"):
            groups.setdefault(key, []).append((_target(href), link))
    yield from _same_text(doc, groups)


def _same_text(doc: Document, groups: dict[str, list[tuple[str, Link]]]) -> Iterator[Finding]:
    """One report per text used for several addresses, at its first link to a second
    address (a page of 30 book listings with "online" links gets one report, not 29)."""
    for uses in groups.values():
        targets = {target for target, _link in uses}
        if len(targets) < 2:
            continue
        first_target = uses[0][0]
        second = next(link for target, link in uses if target != first_target)
        lines = sorted({doc.position(link.text_start)[0] for _t, link in uses})
        shown = ", ".join(str(n) for n in lines[:6]) + (", …" if len(lines) > 6 else "")
        yield Finding(
            doc.span(second.text_start, second.text_end),
            f"link text {second.text!r} goes to {len(targets)} different addresses on this page "
            f"(lines {shown}), so a screen reader user listing the links cannot tell them apart: make "
            'each text name its own destination, e.g. "Annual report 2022" and "Annual report 2023"',
            severity=Severity.INFO,
        )


RULE = Rule(
    code="NL602",
    name="link-text",
    summary='link text that says nothing out of context ("click here", a bare URL)',
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
