"""NL406 unsafe-html: scripts, event handlers, ``javascript:`` URLs and foreign iframes.

Page content is edited by many hands; a ``<script>``, an ``onclick=`` or a
``javascript:`` link in it runs with the site's origin. Scripts from the allowed sources
and iframes from the allowed hosts (video and form embeds) are accepted.

An inline script that looks elements up only by classes or ids no element of the page has
(a pasted accordion snippet whose markup is gone) does nothing: the report says to delete
it rather than move it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.page.html import HtmlTag, page_tags
from naislint.registry import Rule, RuleContext

#: The element look-ups of a script: ``getElementsByClassName("x")``,
#: ``getElementById("x")``, ``querySelector(".x")`` / ``("#x")``.
_LOOKUP_RE = re.compile(
    r"""getElementsByClassName\(\s*(['"])([-\w]+)\1\s*\)"""
    r"""|getElementById\(\s*(['"])([-\w]+)\3\s*\)"""
    r"""|querySelector(?:All)?\(\s*(['"])([.#])([-\w]+)\5\s*\)"""
)
_SCRIPT_END_RE = re.compile(r"</script\s*>", re.IGNORECASE)

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})
_CONTROL_RE = re.compile(r"[\x00-\x20]+")


@dataclass(frozen=True)
class Options:
    """Hosts whose scripts and iframes are allowed (a leading ``.`` allows subdomains)."""

    allowed_script_hosts: tuple[str, ...] = ("form.gov.sg", ".form.gov.sg")
    allowed_iframe_hosts: tuple[str, ...] = (
        "www.youtube.com",
        "youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "form.gov.sg",
        ".form.gov.sg",
        "www.google.com",
        "docs.google.com",
        "maps.google.com",
        "www.facebook.com",
        "public.tableau.com",
        "app.powerbi.com",
    )


def _host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    for entry in allowed:
        entry = entry.lower()
        if entry.startswith("."):
            if host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


def _host(url: str) -> str | None:
    """The host of an absolute or protocol-relative URL; ``None`` for a same-site URL."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.netloc:
        return parts.hostname or ""
    return None


def _finds_nothing(doc: Document, script: HtmlTag) -> str | None:
    """What an inline script looks up, when it looks elements up only by classes and ids
    that no element of the page has (``None``: it finds something, or looks up nothing)."""
    end = _SCRIPT_END_RE.search(doc.text, script.end)
    code = doc.text[script.end : end.start() if end else len(doc.text)]
    wanted: list[tuple[str, str]] = []
    for m in _LOOKUP_RE.finditer(code):
        if m.group(2):
            wanted.append(("class", m.group(2)))
        elif m.group(4):
            wanted.append(("id", m.group(4)))
        else:
            wanted.append(("class" if m.group(6) == "." else "id", m.group(7)))
    if not wanted:
        return None
    classes, ids = doc.memo("unsafe-html.names", lambda: _names(doc))
    if any(value in (classes if kind == "class" else ids) for kind, value in wanted):
        return None
    return ", ".join(f'{kind} "{value}"' for kind, value in dict.fromkeys(wanted))


def _names(doc: Document) -> tuple[frozenset[str], frozenset[str]]:
    """The classes and ids the page's elements carry (a script's own tag carries none
    that matter: a ``<script>`` is not what scripts look up)."""
    classes: set[str] = set()
    ids: set[str] = set()
    for tag in page_tags(doc):
        if tag.kind in ("start", "startend") and tag.name != "script":
            for attr in tag.attrs:
                if attr.name == "class":
                    classes.update((attr.value or "").split())
                elif attr.name == "id" and attr.value:
                    ids.add(attr.value.strip())
    return frozenset(classes), frozenset(ids)


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    options = options or Options()
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend"):
            continue
        if tag.name == "script":
            src = tag.attr("src")
            if src is None or not (src.value or "").strip():
                missing = _finds_nothing(doc, tag) if tag.kind == "start" else None
                span = doc.span(tag.start, tag.start + 1 + len(tag.name))
                if missing is None:
                    yield Finding(span, "inline <script>: page content should not run code; move it to the site's assets")
                else:
                    yield Finding(span, (
                        f"inline <script> that finds nothing on this page (no element has {missing}): "
                        "it does nothing but run code in page content; delete it"
                    ), severity=Severity.WARNING)
            else:
                host = _host(src.value or "")
                if host is not None and not _host_allowed(host, options.allowed_script_hosts):
                    yield Finding(
                        doc.span(src.value_start, src.value_end),
                        f"<script> from {host or 'an unknown host'}, which is not an allowed script source",
                    )
        elif tag.name == "iframe":
            src = tag.attr("src")
            if src is not None and src.value:
                host = _host(src.value)
                if host is not None and not _host_allowed(host, options.allowed_iframe_hosts):
                    yield Finding(
                        doc.span(src.value_start, src.value_end),
                        f"<iframe> from {host or 'an unknown host'}, which is not an allowed embed host",
                    )
        for attr in tag.attrs:
            if attr.name.startswith("on") and len(attr.name) > 2:
                yield Finding(
                    doc.span(attr.start, attr.start + len(attr.name)),
                    f"event handler {attr.name!r} on <{tag.name}>: page content should not run code",
                )
            elif attr.name in URL_ATTRIBUTES and attr.value:
                if _CONTROL_RE.sub("", attr.value).lower().startswith(("javascript:", "vbscript:")):
                    yield Finding(
                        doc.span(attr.value_start, attr.value_end),
                        f"{attr.name} with a javascript: URL on <{tag.name}>: page content should not run code",
                    )


RULE = Rule(
    code="NL406",
    name="unsafe-html",
    summary="<script>, on*= handlers, javascript: URLs, iframes from hosts not allowed",
    check=check,
    default_severity=Severity.ERROR,
    options=Options,
)
