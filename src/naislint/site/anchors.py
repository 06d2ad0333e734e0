"""The ids a page will have once kramdown renders it, read from heading lines alone.

Isomer sites render with Jekyll's default, kramdown with GFM input, so heading ids follow
kramdown-parser-gfm: lower-case the header's *source* text (markup and all), drop every
character that is not a word character, ``-``, space or tab, turn each space or tab into
``-`` (runs of dashes are kept: ``A - B`` is ``a---b``), and number repeats ``-1``,
``-2`` by the base id. An explicit ``{#id}`` (after the text or as a block IAL on the next
line) replaces the automatic id and does not count. HTML ``id=`` on any element and
``name=`` on ``<a>``, kramdown IAL ids, and footnote ids (``fn:x``, ``fnref:x``) are
anchors too.

This is a line scanner on purpose: building the site index must cost a fraction of a lint,
so it never runs the markdown parser. ``tests/test_kramdown_ids.py`` compares it with real
kramdown on every heading of the corpus and the fixtures.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from naislint.document import Document

HTML_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
#: kramdown-parser-gfm: one to six ``#`` then at least one space or tab.
ATX_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
SETEXT_RE = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$")
#: kramdown's HEADER_ID: ``{#id}`` at the end of the header text.
HEADER_ID_RE = re.compile(r"[ \t]\{#([A-Za-z][\w:-]*)\}$")
CLOSING_HASHES_RE = re.compile(r"[ \t]+#+$|^#+$")
BLOCK_IAL_RE = re.compile(r"^[ \t]{0,3}\{:[ \t]*([^{}\n]*)\}[ \t]*$")
IAL_ID_RE = re.compile(r"(?:^|[\s{:])#([A-Za-z][\w:-]*)")
ANY_IAL_RE = re.compile(r"\{:?[ \t]*#[A-Za-z][^{}\n]*\}")
HTML_ID_TAG_RE = re.compile(r"<[A-Za-z][^<>]*?\b(?:id|name)[ \t\n]*=[^<>]*>", re.IGNORECASE)
FOOTNOTE_DEF_RE = re.compile(r"^[ \t]{0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)
BLOCKQUOTE_RE = re.compile(r"^[ \t]{0,3}>[ \t]?")

_WORD_CATEGORIES = ("L", "M", "Nd", "Pc")


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading as kramdown sees it: its line, source text and final id."""

    line: int
    level: int
    text: str
    id: str
    explicit: bool


def _is_word(ch: str) -> bool:
    """Ruby's ``\\p{Word}``: letters, marks, decimal digits, connector punctuation."""
    if ch.isascii():
        return ch.isalnum() or ch == "_"
    cat = unicodedata.category(ch)
    return cat[0] in "LM" or cat in ("Nd", "Pc")


#: Header text with none of these needs no inline parse: its kramdown raw text is itself.
_INLINE_MARKUP_RE = re.compile(r"[*_\[\]<>&`\\~$!]|--")
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\]\s]+\]")
_TAG_NAME_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
#: kramdown's HTML_BLOCK_ELEMENTS: inside a header these tags stay literal text.
KRAMDOWN_BLOCK_ELEMENTS = frozenset(
    "address article aside applet body blockquote caption col colgroup dd div dl dt fieldset "
    "figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li "
    "main map nav ol optgroup p pre section summary table tbody td th thead tfoot tr ul".split()
)
_TYPOGRAPHIC_RE = re.compile(r"---|--|\.\.\.|<<|>>")


def raw_text(source: str) -> str:
    """The text kramdown builds a header id from: its inline content without markup.

    kramdown-parser-gfm concatenates text, code spans and decoded entities, keeps the
    text inside links and inline HTML, drops link destinations, images and tags, and
    turns ``--``/``---``/``...``/``<<``/``>>`` into typographic symbols (which the id then
    drops). markdown-it's inline parser gives the same pieces.
    """
    if not _INLINE_MARKUP_RE.search(source):
        return source
    from naislint.markdown import parser

    source = _FOOTNOTE_REF_RE.sub("", source)
    tokens = parser().parseInline(source, {})
    out: list[str] = []
    for child in tokens[0].children or ():
        if child.type == "text":
            out.append(_TYPOGRAPHIC_RE.sub("", child.content))
        elif child.type == "code_inline":
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "html_inline":
            m = _TAG_NAME_RE.match(child.content)
            if m and m.group(1).lower() in KRAMDOWN_BLOCK_ELEMENTS:
                out.append(child.content)  # kramdown keeps a block tag in a header as text
    return "".join(out)


_ASCII_DROP_RE = re.compile(r"[^a-z0-9_\- \t]")
_BLANK_RE = re.compile(r"[ \t]")


def gfm_base_id(text: str) -> str:
    """kramdown-parser-gfm's id for header source ``text``, before de-duplication."""
    lowered = raw_text(text).lower()
    if lowered.isascii():
        # The common case in two regex passes; the loop below is the general rule.
        return _BLANK_RE.sub("-", _ASCII_DROP_RE.sub("", lowered))
    out = []
    for ch in lowered:
        if ch == " " or ch == "\t":
            out.append("-")
        elif ch == "-" or _is_word(ch):
            out.append(ch)
    return "".join(out)


class IdCounter:
    """kramdown's per-document counter: the n-th repeat of a base id gets ``-n``."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def next(self, base: str) -> str:
        n = self.seen.get(base, -1) + 1
        self.seen[base] = n
        return f"{base}-{n}" if n > 0 else base


def scan_headings(text: str, body_start: int = 0) -> list[Heading]:
    """Headings of a page body in order, with the ids kramdown (GFM input) gives them."""
    body = text[body_start:]
    if "<!--" in body:
        body = HTML_COMMENT_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    lines = body.split("\n")
    first_line = text.count("\n", 0, body_start) + 1
    counter = IdCounter()
    headings: list[Heading] = []
    fence: str | None = None
    prev_blank = True
    prev_text: str | None = None  # a candidate setext header line
    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i]
        line = BLOCKQUOTE_RE.sub("", raw, count=1) if raw.lstrip().startswith(">") else raw
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            i += 1
            prev_blank = False
            prev_text = None
            continue
        m = FENCE_RE.match(line)
        if m and (fence_char := m.group(1)) and not ("`" in line[m.end():] and fence_char[0] == "`"):
            fence = fence_char
            i += 1
            prev_text = None
            continue
        stripped = line.strip()
        if not stripped:
            prev_blank = True
            prev_text = None
            i += 1
            continue
        m = ATX_RE.match(line)
        if m:
            level = len(m.group(1))
            body = m.group(2)
            body = CLOSING_HASHES_RE.sub("", body).rstrip()
            if not body:  # kramdown: a header needs text
                prev_blank = False
                prev_text = None
                i += 1
                continue
            explicit = None
            idm = HEADER_ID_RE.search(" " + body)
            if idm:
                explicit = idm.group(1)
                body = (" " + body)[: idm.start()].strip()
            explicit = explicit or _next_line_ial_id(lines, i + 1)
            if explicit:
                hid = explicit
            else:
                hid = counter.next(gfm_base_id(body))
            headings.append(Heading(first_line + i, level, body, hid, bool(explicit)))
            prev_blank = False
            prev_text = None
            i += 1
            continue
        sm = SETEXT_RE.match(line)
        if sm and prev_text is not None:
            level = 1 if sm.group(1)[0] == "=" else 2
            body = prev_text.strip()
            explicit = None
            idm = HEADER_ID_RE.search(" " + body)
            if idm:
                explicit = idm.group(1)
                body = (" " + body)[: idm.start()].strip()
            explicit = explicit or _next_line_ial_id(lines, i + 1)
            hid = explicit or counter.next(gfm_base_id(body))
            headings.append(Heading(first_line + i - 1, level, body, hid, bool(explicit)))
            prev_text = None
            prev_blank = False
            i += 1
            continue
        # kramdown takes a setext header only from a line that starts a block.
        prev_text = line if prev_blank and not line.startswith((" ", "\t", "<")) else None
        prev_blank = False
        i += 1
    return headings


def _next_line_ial_id(lines: list[str], j: int) -> str | None:
    if j < len(lines):
        m = BLOCK_IAL_RE.match(lines[j])
        if m:
            idm = IAL_ID_RE.search(" " + m.group(1))
            if idm:
                return idm.group(1)
    return None


def other_ids(text: str, body_start: int = 0) -> list[str]:
    """Ids that do not come from headings: IALs, HTML ``id``/``name``, footnotes."""
    from naislint.html import tokenize

    body = text[body_start:]
    ids: list[str] = []
    if "{" in body:
        for m in ANY_IAL_RE.finditer(body):
            ids.extend(IAL_ID_RE.findall(m.group(0)))
    if "<" in body:
        for m in HTML_ID_TAG_RE.finditer(body):
            for tag in tokenize(m.group(0)):
                if tag.kind not in ("start", "startend"):
                    continue
                for attr in tag.attrs:
                    if attr.value is None:
                        continue
                    if attr.name == "id" or (attr.name == "name" and tag.name == "a"):
                        ids.append(attr.value)
    if "[^" in body:
        for name in FOOTNOTE_DEF_RE.findall(body):
            ids.append(f"fn:{name}")
            ids.append(f"fnref:{name}")
    return ids


def page_anchors(text: str, body_start: int = 0) -> list[str]:
    """Every anchor of a page, heading ids first, in document order."""
    ids = [h.id for h in scan_headings(text, body_start)]
    ids.extend(other_ids(text, body_start))
    return ids


def document_anchors(doc: "Document") -> list[str]:
    """A linted page's anchors, computed once for the site index and the anchor rule."""
    return doc.memo("site.own_anchors", lambda: page_anchors(doc.text, doc.body_start))
