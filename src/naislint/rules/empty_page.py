"""NL510 empty-page: a published page with front matter and nothing for the reader.

A page whose body is empty (or holds only comments, empty tags and ``&nbsp;``) shows a
title and a blank area. Many pages are empty on purpose, their content coming from
elsewhere, and are left alone: on an Isomer site the homepage and contact page (built
from front matter ``sections`` and ``contacts``), resource posts that are a file or a
link (``file_url``, ``external``), and every page whose layout Isomer renders itself
(search, resource rooms, ``forward``, data.gov.sg search); on any site a redirect, a
page whose front matter carries keys beyond the usual ones (its layout may show them),
and a page whose own layout loops over the site's data (an index of posts).

A page written ahead of its time (a newsletter's next issue, created on the staging
branch before its articles) is still published: Jekyll leaves out only a page with
``published: false`` (or, outside Isomer, one the site excludes), and an Isomer collection
page is listed in its collection's left navigation too, so a visitor who follows the
link meets the empty page. The message leads with ``published: false``, the setting that
keeps such a page back until it is ready.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: Front matter keys that describe a page without being shown as its content.
META_KEYS = frozenset(
    "title permalink layout description date published tags categories category author "
    "lang language image excerpt redirect_from sitemap last_modified_at toc comments "
    "third_nav_title breadcrumb variant share".split()
)
#: Keys whose presence means the page's content comes from somewhere else.
CONTENT_ELSEWHERE_KEYS = frozenset({"redirect_to", "file_url", "external", "sections", "contacts", "target"})
#: Tags that hold nothing by themselves: a body of only these (and spaces) is empty.
_EMPTY_TAGS_RE = re.compile(r"</?(?:p|div|span|br|hr|b|strong|i|em|u|center|section|article)\b[^>]*>", re.IGNORECASE)
_TAG_START_RE = re.compile(r"<[A-Za-z]")


def _visible(doc: Document) -> bool:
    """Whether the body shows the reader anything."""
    from naislint.page.document import HTML_COMMENT_RE

    # Each pass runs only when the text holds what it looks for, and emptiness is asked
    # with ``isspace`` (which counts a no-break space as ``strip`` does), not a copy.
    body = doc.text[doc.body_start :] if doc.body_start else doc.text
    if "<!--" in body:
        body = HTML_COMMENT_RE.sub("", body)  # code blocks are shown, comments not
    if not body or body.isspace():
        return False
    if "{{" in body or "{%" in body:
        return True  # Liquid may bring anything in
    rest = _EMPTY_TAGS_RE.sub("", body) if "<" in body else body
    if "<" in rest and _TAG_START_RE.search(rest):
        return True  # an image, an iframe, a table …
    shown = unescape(rest) if "&" in rest else rest
    return bool(shown) and not shown.isspace()


def _layout_brings_content(root: str | None, layout: object) -> bool:
    """Whether the page's own layout file renders lists of the site's content."""
    if root is None or not isinstance(layout, str) or not re.match(r"^[\w.-]+$", layout):
        return False
    folder = Path(root) / "_layouts"
    for path in (folder / f"{layout}.html", folder / layout):
        try:
            if path.is_file() and path.resolve().is_relative_to(folder.resolve()):
                text = path.read_text(encoding="utf-8", errors="replace")
                return "{% for" in text or "{%- for" in text or "paginator" in text
        except OSError:
            return False
    return False


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None or fm.block.close_line is None:
        return  # no front matter: Jekyll copies the file as it is
    meta = doc.meta
    published = meta.get("published", True)
    if published is False or (isinstance(published, str) and published.strip().lower() == "false"):
        return
    if _visible(doc):
        return
    from naislint.jekyll import pagekinds

    root = ctx.site_root
    if root is None:
        return  # a file in no site (no _config.yml above it) is not published anywhere
    rel = ctx.relpath
    isomer = ctx.place.isomer
    if not pagekinds.is_page_path(rel, isomer):
        return
    if any(key in meta for key in CONTENT_ELSEWHERE_KEYS):
        return
    listed = False
    if isomer:
        kind = pagekinds.choose(doc, ctx.place).kind
        listed = kind in ("isomer-collection-page", "isomer-subcollection-page")
        if kind in ("isomer-homepage", "isomer-contact-page", "jekyll-page"):
            return  # built from front matter, or a layout Isomer fills itself
        layout = meta.get("layout")
        if isinstance(layout, str) and layout.lower() in ("file", "link"):
            return
    else:
        if any(str(key).lower() not in META_KEYS for key in meta):
            return  # its layout may show what the front matter holds
        if _layout_brings_content(root, meta.get("layout")):
            return
    close = fm.block.close_line
    where = " and lists it in its collection's left navigation" if listed else ""
    yield Finding(
        doc.line_span(close),
        f"this page has front matter but no content, yet Jekyll publishes it{where}, so readers who open it "
        "see only its title: if it is being written ahead of time, add published: false to its front matter "
        "until it is ready (Jekyll then leaves it out of the site); otherwise write it, or delete it",
    )


RULE = Rule(
    code="NL510",
    name="empty-page",
    summary="a published page with front matter and no content",
    check=check,
    default_severity=Severity.WARNING,
)
