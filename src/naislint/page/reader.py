"""What a reader, and a screen reader, gets from a page's images and links.

The accessibility rules ask the same questions of every image and link: what is its text
(a link's name, an image's alt), where is that text in the file, which images are inside
which link. This module answers them once per page (through ``doc.memo``) from the
analyses other rules already share: the parser's inline tokens for markdown, and
:func:`naislint.page.html.structure` / :func:`naislint.page.html.page_tags` for HTML. Everything is
found in ``doc.prose`` or in tokens, so nothing in code, code spans, comments or front
matter is an image or a link here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

    from naislint.page.document import Document

_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")
#: Attribute-list words that mark an image as decorative or give it an explicit alt.
_IAL_ALT_RE = re.compile(r"""\balt\s*=""", re.IGNORECASE)
_IAL_DECORATIVE_RE = re.compile(
    r"""\b(?:role\s*=\s*["']?(?:presentation|none)\b|aria-hidden\s*=\s*["']?true\b)""", re.IGNORECASE
)
_IAL_LABEL_RE = re.compile(r"""\baria-label(?:ledby)?\s*=\s*(?:"[^"]*\S[^"]*"|'[^']*\S[^']*'|[^\s}"']+)""", re.IGNORECASE)


@dataclass(slots=True)
class Image:
    """One image: ``![alt](src)`` or ``<img>``.

    ``alt`` is ``None`` when an ``<img>`` has no ``alt`` attribute (a markdown image always
    has one, possibly empty). ``alt_start``/``alt_end`` are the offsets of the alt text
    (for a missing alt, of the tag name). ``decorative`` is set by ``role="presentation"``
    or ``"none"``, ``aria-hidden="true"``, or (markdown) an attribute list that sets
    ``alt`` itself. ``link`` is the index of the innermost link around the image.
    """

    source: str
    src: str
    alt: str | None
    start: int
    end: int
    alt_start: int
    alt_end: int
    decorative: bool = False
    link: int | None = None


@dataclass(slots=True)
class Link:
    """One link: ``[text](href)``, ``<https://…>`` or ``<a href>…</a>``.

    ``text`` is its visible text with whitespace collapsed (images not included);
    ``text_start``/``text_end`` the offsets of that text in the file, or of the link's
    start when it has none. ``start``/``end`` bound the whole link, so that images can be
    placed inside it. ``labelled`` is True when ``aria-label``/``aria-labelledby`` gives
    the link its name instead of its text.
    """

    source: str
    href: str
    text: str
    text_start: int
    text_end: int
    start: int
    end: int
    autolink: bool = False
    labelled: bool = False
    images: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Reading:
    images: tuple[Image, ...]
    links: tuple[Link, ...]


def visible_text(html: str) -> str:
    """The text of an HTML fragment as a reader sees it: tags out, entities decoded,
    whitespace collapsed."""
    return _SPACE_RE.sub(" ", unescape(_TAG_RE.sub(" ", html)).replace("\xa0", " ")).strip()


def reading(doc: "Document") -> Reading:
    """The page's images and links in document order (computed once per Document)."""

    def compute() -> Reading:
        images: list[Image] = []
        links: list[Link] = []
        _markdown(doc, images, links)
        _html(doc, images, links)
        images.sort(key=lambda i: i.start)
        order = sorted(range(len(links)), key=lambda k: links[k].start)
        links = [links[k] for k in order]
        link_starts = [link.start for link in links]
        for index, image in enumerate(images):
            # Links do not nest (HTML forbids it): the link around an image, if any, is
            # one of the last few that start before it.
            k = bisect.bisect_right(link_starts, image.start) - 1
            for j in range(k, max(-1, k - 3), -1):
                if image.end <= links[j].end:
                    image.link = j
                    links[j].images.append(index)
                    break
        return Reading(tuple(images), tuple(links))

    return doc.memo("reader.reading", compute)


# -- markdown ------------------------------------------------------------------------------


def _markdown(doc: "Document", images: list[Image], links: list[Link]) -> None:
    prose = doc.prose
    if "[" not in prose and "<" not in prose:
        return
    # The cells of a table row share the row's lines: each cell is searched for from
    # where the previous one's last link or image ended.
    cursors: dict[int, int] = {}
    for token in doc.tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        if not any(c.type in ("link_open", "image") for c in token.children):
            continue
        src = doc.source_of(token)
        start = cursors.get(src.start, src.start)
        cursors[src.start] = _inline(doc, prose, token.children, start, src.start + len(src.text), images, links)


def _inline(
    doc: "Document",
    prose: str,
    children: "list[Token]",
    cursor: int,
    limit: int,
    images: list[Image],
    links: list[Link],
) -> int:
    """Walk one paragraph's inline tokens, locating each in the source in turn; return
    where the last one found ends."""
    open_links: list[tuple[Link, list[tuple[int, int]]]] = []
    for i, child in enumerate(children):
        kind = child.type
        if kind == "link_open":
            href = child.attrGet("href") or ""
            autolink = child.markup == "autolink"
            at = prose.find("<" if autolink else "[", cursor, limit)
            start = cursor if at == -1 else at
            link = Link("markdown", str(href), "", start, start, start, start, autolink=autolink)
            open_links.append((link, []))
            if at != -1:
                cursor = at + 1
        elif kind == "link_close" and open_links:
            link, parts = open_links.pop()
            nxt = children[i + 1] if i + 1 < len(children) else None
            if nxt is not None and nxt.type == "kramdown_ial" and _IAL_LABEL_RE.search(nxt.content):
                link.labelled = True
            if parts:
                link.text_start, link.text_end = parts[0][0], parts[-1][1]
            cursor = link.end = _link_end(prose, cursor, limit, link.autolink)
            link.text = _SPACE_RE.sub(" ", link.text).strip()
            links.append(link)
        elif kind in ("text", "code_inline"):
            content = child.content
            if not content:
                continue
            needle = content.strip() or content
            at = prose.find(needle, cursor, limit)
            for link, parts in open_links:
                link.text += content
            if at != -1:
                for _link, parts in open_links:
                    if needle.strip():
                        parts.append((at, at + len(needle)))
                cursor = at + len(needle)
        elif kind in ("softbreak", "hardbreak"):
            for link, _parts in open_links:
                link.text += " "
        elif kind == "html_inline":
            at = prose.find(child.content, cursor, limit)
            if at != -1:
                cursor = at + len(child.content)
        elif kind == "image":
            at = _find_image(prose, cursor, limit)
            if at == -1:
                continue
            alt = child.content
            alt_start = at + 2
            alt_end = _closing_bracket(prose, alt_start, limit)
            end = _link_end(prose, alt_end, limit, False)
            nxt = children[i + 1] if i + 1 < len(children) else None
            decorative = nxt is not None and nxt.type == "kramdown_ial" and bool(
                _IAL_ALT_RE.search(nxt.content) or _IAL_DECORATIVE_RE.search(nxt.content)
            )
            images.append(
                Image("markdown", str(child.attrGet("src") or ""), alt, at, end, alt_start, alt_end, decorative)
            )
            # an image inside a link: the link holds it, so the link's range must too
            cursor = end
    return cursor


_CLOSE_TEXT_RE = re.compile(r"[*_~`\s]*\]")


def _link_end(prose: str, cursor: int, limit: int, autolink: bool) -> int:
    """Offset just past a markdown link whose text ends at ``cursor``: past its ``>``
    (autolink), its ``(destination "title")``, its ``[label]`` or its ``]``."""
    if autolink:
        close = prose.find(">", cursor, limit)
        return cursor if close == -1 else close + 1
    m = _CLOSE_TEXT_RE.match(prose, cursor, limit)
    if m is None:
        return cursor
    at = m.end()
    if prose.startswith("(", at):
        from naislint.page.links import _parse_destination

        parsed = _parse_destination(prose, at + 1, limit)
        after = parsed[1] if parsed is not None else at + 1
        close = prose.find(")", after, limit)
        return at + 1 if close == -1 else close + 1
    if prose.startswith("[", at):
        close = prose.find("]", at, limit)
        return at if close == -1 else close + 1
    return at


def _closing_bracket(prose: str, start: int, limit: int) -> int:
    """Offset of the ``]`` that closes a bracket opened just before ``start`` (nested
    brackets and backslash escapes skipped); ``start`` when there is none."""
    depth = 0
    i = start
    while i < limit:
        ch = prose[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            if depth == 0:
                return i
            depth -= 1
        elif ch == "\n" and prose.startswith("\n", i + 1):
            break
        i += 1
    return start


def _find_image(prose: str, cursor: int, limit: int) -> int:
    """The next ``![`` not escaped with a backslash."""
    at = prose.find("![", cursor, limit)
    while at > 0 and prose[at - 1] == "\\":
        at = prose.find("![", at + 2, limit)
    return at


# -- HTML ----------------------------------------------------------------------------------


def _html(doc: "Document", images: list[Image], links: list[Link]) -> None:
    if "<" not in doc.text:
        return
    from naislint.page.html import page_tags, structure

    text = doc.text
    for tag in page_tags(doc):
        if tag.name != "img" or tag.kind not in ("start", "startend"):
            continue
        alt = tag.attr("alt")
        src = tag.attr("src")
        role_attr, hidden_attr = tag.attr("role"), tag.attr("aria-hidden")
        role = (role_attr.value or "") if role_attr else ""
        hidden = (hidden_attr.value or "") if hidden_attr else ""
        decorative = role.strip().lower() in ("presentation", "none") or hidden.strip().lower() == "true"
        if alt is None:
            alt_start, alt_end = tag.start + 1, tag.start + 4
            value = None
        else:
            alt_start, alt_end = (alt.value_start, alt.value_end) if alt.value else (alt.start, alt.end)
            value = alt.value or ""
        images.append(
            Image("html", (src.value or "") if src else "", value, tag.start, tag.end, alt_start, alt_end, decorative)
        )
    for element in structure(doc).elements:
        if element.name != "a" or element.end is None:
            continue
        href = element.start.attr("href")
        if href is None or href.value is None:
            continue  # an anchor target (<a name>), not a link
        inner_start, inner_end = element.start.end, element.end.start
        inner = text[inner_start:inner_end]
        label = element.start.attr("aria-label") or element.start.attr("aria-labelledby")
        t_start, t_end = _text_bounds(inner)
        links.append(
            Link(
                "html",
                href.value,
                visible_text(inner),
                inner_start + t_start,
                inner_start + t_end,
                element.start.start,
                element.end.end,
                labelled=label is not None and bool((label.value or "").strip()),
            )
        )


def _text_bounds(inner: str) -> tuple[int, int]:
    """Offsets of the first and past the last visible character of an HTML fragment
    (both 0 when it shows no text)."""
    first = last = -1
    pos = 0
    for m in _TAG_RE.finditer(inner + "<>"):
        chunk = inner[pos : m.start()]
        stripped = unescape(chunk).replace("\xa0", " ").strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            if first == -1:
                first = pos + lead
            last = pos + len(chunk.rstrip())
        pos = m.end()
    if first == -1:
        return 0, 0
    return first, last
