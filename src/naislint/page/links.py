"""Every link and image reference of a page, with the exact span of its URL.

Shared by the link rules (computed once per Document): markdown links and images, link
reference definitions, HTML ``href``/``src``/``srcset``, and front matter URL keys.
Links inside code, code spans and HTML comments are not links and never appear here
(everything is found in ``doc.prose`` or in the parser's tokens).

Markdown destinations with spaces (``[a](/files/A B.pdf)``) are not links in CommonMark,
so markdown-it has no token for them, but kramdown, the site's renderer, makes them links.
They are listed with ``spaced=True`` so that link-syntax can report the syntax and the
other rules can still check where they go (on a kramdown site: GFM makes no link of
them, see :func:`renders`).

Markdown links are the ones the page's renderer makes (:mod:`naislint.page.renderer`):

- on a kramdown site, none inside an HTML element kramdown keeps raw (it prints
  ``[text](url)`` as text there; ``visible-markup`` reports that), even after a blank
  line, where markdown-it sees a paragraph;
- on a kramdown site, the links in text that CommonMark takes for part of an HTML block
  but kramdown reads as markdown (the line right after ``<p>...</p>`` with no blank line
  between, the content of a ``markdown="1"`` element): markdown-it gives those no token;
- never ``\\[text\\](#some words)``: escaped brackets are text in every renderer.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator

from naislint.diagnostics import Span

if TYPE_CHECKING:
    from markdown_it.token import Token

    from naislint.page.document import Document

#: A reference definition line: ``[label]: destination`` (``[^x]:`` is a footnote).
DEFINITION_RE = re.compile(
    r"^(?:[ \t]*>)*[ \t]{0,3}\[(?!\^)((?:[^\]\\\n]|\\.){1,999})\]:[ \t]*(?:\n(?:[ \t]*>)*[ \t]*)?"
    r"(<[^<>\n]*>|\S+)",
    re.MULTILINE,
)
#: ``[text](destination)`` whose destination holds whitespace (checked further below).
SPACED_LINK_RE = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)")
VALID_DEST_RE = re.compile(
    r"^[ \t]*(?:<[^<>\n]*>|[^\s<>]+)(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$"
)

#: Characters of a destination that need no second look (for _parse_destination).
_PLAIN_RUN_RE = re.compile(r"[^\s\x00-\x1f()\\]+")
#: The elements whose attributes _html_links reads.
_URL_TAGS = frozenset({"a", "area", "img", "source"})
#: Front matter keys whose value is an image path.
IMAGE_KEYS = frozenset({"image", "background", "shareicon", "favicon", "logo", "hero-banner", "thumbnail"})
#: Front matter keys whose value is a link to a page or file.
LINK_KEYS = frozenset({"url", "file_url", "link", "redirect_to"})


@dataclass(frozen=True, slots=True)
class LinkRef:
    """One URL in a page.

    ``role`` is ``link`` or ``image``; ``source`` says where it was written
    (``markdown``, ``definition``, ``html``, ``front-matter``); ``attr`` names the HTML
    attribute or front matter key. ``url`` is the destination as the renderer reads it
    (backslash escapes and entities resolved, not percent-decoded).
    """

    role: str
    source: str
    url: str
    span: Span
    attr: str = ""
    spaced: bool = False


def page_links(doc: "Document") -> list[LinkRef]:
    """Every link of a page in document order (computed once per Document)."""

    if getattr(doc, "data_kind", None):
        return doc.memo("site.links", lambda: data_links(doc))

    def compute() -> list[LinkRef]:
        found = _rendered(doc, list(_markdown_links(doc)))
        found.extend(_kramdown_html_block_links(doc))
        found.extend(_definitions(doc))
        found.extend(_html_links(doc))
        found.extend(_front_matter_links(doc))
        if "{" in doc.text:
            from naislint.page.protected import liquid_regions

            liquid = liquid_regions(doc)  # Liquid's text is no link of the page
            found = [r for r in found if r.source == "front-matter" or not liquid.hides(doc.offset(r.span.line, r.span.column))]
        found.sort(key=lambda r: (r.span.line, r.span.column))
        return found

    return doc.memo("site.links", compute)


def renders(doc: "Document", ref: LinkRef) -> bool:
    """Whether the page's renderer makes ``ref`` a link or image at all.

    A destination with spaces is a link in kramdown only: GFM prints ``[a](b c)`` as
    text, so a GFM page has no broken link, anchor or image there (link-syntax reports
    the syntax).
    """
    if not ref.spaced:
        return True
    from naislint.page.renderer import for_document

    return for_document(doc).is_kramdown


def _rendered(doc: "Document", refs: list[LinkRef]) -> list[LinkRef]:
    """The markdown links kramdown does not print as text inside a raw HTML element."""
    if not refs or "<" not in doc.text:
        return refs
    from naislint.page.literal import raw_map

    raw = raw_map(doc)
    if not raw:
        return refs
    return [r for r in refs if raw.region_at(doc.offset(r.span.line, r.span.column)) is None]


def _kramdown_html_block_links(doc: "Document") -> Iterator[LinkRef]:
    """Links in the stretches CommonMark takes for HTML but kramdown reads as markdown."""
    from naislint.page.markdown import parser
    from naislint.page.literal import markdown_in_html_blocks

    prose = doc.prose
    for start, end in markdown_in_html_blocks(doc):
        if "](" not in prose[start:end]:
            continue
        tokens = parser().parseInline(prose[start:end])
        children = tokens[0].children if tokens and tokens[0].children else []
        yield from _links_of(doc, children, start, end)


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd run of backslashes."""
    k = at
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return (at - k) % 2 == 1


def _span(doc: "Document", start: int, end: int) -> Span:
    """``doc.span(start, end)``, with one position lookup when the stretch holds no
    newline (a URL nearly always fits on its line)."""
    if start < end <= len(doc.text) and doc.text.find("\n", start, end) == -1:
        line, column = doc.position(start)
        return Span(line, column, line, column + end - start)
    return doc.span(start, end)


def _parse_destination(text: str, pos: int, n: int) -> tuple[int, int, str] | None:
    """The destination after ``](`` at ``pos``: (start, end, raw) in ``text[:n]``."""
    i = pos
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] == "\n":
        i += 1
        while i < n and text[i] in " \t":
            i += 1
    if i < n and text[i] == "<":
        close = text.find(">", i + 1, n)
        nl = text.find("\n", i + 1, n)
        if close == -1 or (nl != -1 and nl < close):
            return None
        return i + 1, close, text[i + 1 : close]
    start = i
    depth = 0
    while i < n:
        run = _PLAIN_RUN_RE.match(text, i, n)
        if run is not None:
            i = run.end()
            if i >= n:
                break
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            i += 2
            continue
        if ch.isspace() or ord(ch) < 0x20:
            break
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return start, i, text[start:i]


def _lines_with(doc: "Document", text: str, needle: str) -> list[int]:
    """0-based numbers of the lines holding ``needle`` (which holds no newline), in order."""
    lines: list[int] = []
    if needle[0] not in text:  # a one-character search is much faster, and usually enough
        return lines
    at = text.find(needle)
    while at != -1:
        line = doc.index.position(at)[0] - 1
        if not lines or lines[-1] != line:
            lines.append(line)
        at = text.find(needle, at + len(needle))
    return lines


@lru_cache(maxsize=4096)
def _normalize_link(raw: str) -> str:
    """A destination as the parser writes it into ``href``/``src`` (pages of a site link
    to the same few URLs over and over; normalizing one walks it character by character)."""
    from naislint.page.markdown import parser

    return parser().normalizeLink(raw)


def _markdown_links(doc: "Document") -> Iterator[LinkRef]:
    prose = doc.prose
    # A markdown destination follows ']('. Blocks whose lines have none give no link
    # (reference links are found through their definitions): they are passed over
    # without cutting out their text.
    bracket_lines = _lines_with(doc, prose, "](")
    if not bracket_lines:
        return
    for (first, last), children in _inline_blocks(doc.tokens):
        k = bisect.bisect_left(bracket_lines, first)
        if k == len(bracket_lines) or bracket_lines[k] >= last:
            continue
        yield from _links_of(doc, children, doc.index.line_start(first + 1), doc.index.line_end(last))


def _inline_blocks(tokens: list[Token]) -> Iterator[tuple[tuple[int, int], list[Token]]]:
    """Each source block's lines with the inline children it holds, in order.

    A table row is one block of lines holding one inline token per cell, each mapped to
    the whole row: its links are searched in the row once, with the children of all its
    cells, or a link would be found once per cell and a second cell's link matched to the
    first cell's destination."""
    block: tuple[int, int] | None = None
    children: list[Token] = []
    for token in tokens:
        if token.type != "inline" or not token.children or not token.map:
            continue
        lines = (token.map[0], token.map[1])
        if lines != block:
            if block is not None:
                yield block, children
            block, children = lines, []
        children.extend(token.children)
    if block is not None:
        yield block, children


def _links_of(doc: "Document", children: list[Token], block_start: int, block_end: int) -> Iterator[LinkRef]:
    """The links and images of one block: its inline tokens located in the text."""
    from markdown_it.common.utils import unescapeAll

    prose = doc.prose
    wanted = [c for c in children if c.type in ("link_open", "image")]
    dests: dict[str, list[tuple[int, int, str]]] = {}
    if wanted:
        at = prose.find("](", block_start, block_end)
        while at != -1:
            parsed = _parse_destination(prose, at + 2, block_end)
            if parsed is not None:
                raw = unescapeAll(parsed[2])
                dests.setdefault(_normalize_link(raw), []).append((parsed[0], parsed[1], raw))
            at = prose.find("](", at + 2, block_end)
    for child in wanted:
        if child.markup == "autolink":
            continue
        attr = "src" if child.type == "image" else "href"
        href = str(child.attrGet(attr) or "")
        spots = dests.get(href)
        if not spots:
            continue  # a reference link: its definition is checked instead
        start, end, raw = spots.pop(0)
        yield LinkRef("image" if child.type == "image" else "link", "markdown", raw, _span(doc, start, end))
    for m in SPACED_LINK_RE.finditer(prose, block_start, block_end):
        dest = m.group(3)
        if not dest.strip() or VALID_DEST_RE.match(dest) or not re.search(r"\s", dest.strip()):
            continue
        bracket = m.start() + len(m.group(1))
        if _escaped(prose, bracket) or _escaped(prose, m.start(3) - 2):
            continue  # \\[text\\](a b): escaped brackets are text, no link
        lead = len(dest) - len(dest.lstrip())
        start = m.start(3) + lead
        end = m.start(3) + len(dest.rstrip())
        role = "image" if m.group(1) else "link"
        yield LinkRef(role, "markdown", unescapeAll(doc.text[start:end]), _span(doc, start, end), spaced=True)


def _definitions(doc: "Document") -> Iterator[LinkRef]:
    from markdown_it.common.utils import unescapeAll

    prose = doc.prose
    # A definition's label ends with ']:' on the line where the match starts (the
    # destination may be on the next line): only those lines are tried, each from its
    # start, in order and not inside the previous match, as ``finditer`` would.
    label_lines = _lines_with(doc, prose, "]:")
    if not label_lines:
        return
    covered: set[int] | None = None
    last_end = 0
    for line in label_lines:
        line_start = doc.index.line_start(line + 1)
        if line_start < last_end:
            continue
        m = DEFINITION_RE.match(prose, line_start)
        if m is None:
            continue
        last_end = m.end()
        if covered is None:
            covered = set()
            for token in doc.tokens:
                if token.type == "inline" and token.map:
                    covered.update(range(token.map[0] + 1, token.map[1] + 1))
        if line + 1 in covered:
            continue
        start, end = m.start(2), m.end(2)
        raw = m.group(2)
        if raw.startswith("<"):
            start, end, raw = start + 1, end - 1, raw[1:-1]
        yield LinkRef("link", "definition", unescapeAll(raw), _span(doc, start, end))


def _html_links(doc: "Document") -> Iterator[LinkRef]:
    from naislint.page.html import page_tags

    if "<" not in doc.text:
        return
    # page_tags already reads tab-indented HTML inside an open element as HTML, as
    # kramdown does, although markdown-it sees an indented code block there.
    for tag in page_tags(doc):
        if tag.name not in _URL_TAGS or tag.kind not in ("start", "startend"):
            continue
        for attr in tag.attrs:
            if attr.value is None:
                continue
            name = attr.name
            if name == "href" and tag.name in ("a", "area"):
                yield LinkRef("link", "html", attr.value, _span(doc, attr.value_start, attr.value_end), "href")
            elif name == "src" and tag.name in ("img", "source"):
                yield LinkRef("image", "html", attr.value, _span(doc, attr.value_start, attr.value_end), "src")
            elif name == "srcset" and tag.name in ("img", "source"):
                yield from _srcset(doc, attr.value, attr.value_start, attr.value_end)


def _srcset(doc: "Document", value: str, start: int, end: int) -> Iterator[LinkRef]:
    raw = doc.text[start:end]
    cursor = 0
    for candidate in value.split(","):
        parts = candidate.split()
        if not parts:
            continue
        url = parts[0]
        at = raw.find(url, cursor)
        if at == -1:
            at = cursor
        else:
            cursor = at + len(url)
        yield LinkRef("image", "html", url, _span(doc, start + at, start + at + len(url)), "srcset")


def _is_image_key(key: str) -> bool:
    k = key.lower()
    return k in IMAGE_KEYS or k.endswith(("-image", "_image", "image-url", "image_url", "image-path", "-logo", "_logo"))


def _is_link_key(key: str) -> bool:
    k = key.lower()
    return k in LINK_KEYS or k.endswith(("-url", "_url"))


def _front_matter_links(doc: "Document") -> Iterator[LinkRef]:
    fm = doc.front_matter
    if fm is None or fm.root is None:
        return
    yield from _yaml_links(fm, "front-matter")


def data_links(doc: "Document") -> list[LinkRef]:
    """Every url-like value of a data file (``_data/*.yml``, ``collection.yml``,
    ``_config.yml``): the keys front matter links use (``url``, ``*_url``, ``image``,
    ``background``, ``logo`` ...), and the links of its kind (the footer's ``faq`` ...).
    ``_config.yml`` holds settings, not content: only its icons are paths on the site."""
    from naislint.page import datafile

    data = datafile.load(doc)
    if data is None or data.yaml.root is None:
        return []
    if data.kind == "config":
        found = [
            ref for ref in _yaml_links(data.yaml, "data", depth=1)
            if ref.attr in datafile.CONFIG_LINK_KEYS
        ]
    else:
        found = list(_yaml_links(data.yaml, "data", data.link_keys()))
    found.sort(key=lambda r: (r.span.line, r.span.column))
    return found


def _yaml_links(
    fm: Any, source: str, extra_links: "frozenset[str]" = frozenset(), depth: int | None = None
) -> Iterator[LinkRef]:
    """The url-like values of parsed YAML (front matter, or a whole data file), at any
    depth (``depth`` 1: top-level keys only)."""
    stack = [(fm.root, 0)]
    while stack:
        node, level = stack.pop()
        kind = type(node).__name__
        if kind == "SequenceNode":
            stack.extend((child, level) for child in reversed(node.value))
            continue
        if kind != "MappingNode" or (depth is not None and level >= depth):
            continue
        for key_node, value_node in node.value:
            vkind = type(value_node).__name__
            if vkind != "ScalarNode":
                stack.append((value_node, level + 1))
                continue
            key = getattr(key_node, "value", None)
            value = value_node.value
            if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
                continue
            if value_node.tag != "tag:yaml.org,2002:str":
                continue
            role = (
                "image" if _is_image_key(key) else "link" if _is_link_key(key) or key in extra_links else None
            )
            if role is None:
                continue
            span = fm.span_of(value_node)
            if value_node.style in ("'", '"') and span.line == span.end_line:
                span = Span(span.line, span.column + 1, span.end_line, max(span.column + 1, span.end_column - 1))
            yield LinkRef(role, source, value.strip(), span, key)
