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
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from naislint.page.document import Document

#: A line that opens a fence: the fence may follow list markers on the same line
#: (``- ```json``, ``1. ~~~``), which open the fence inside the list item.
FENCE_RE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(`{3,}|~{3,})")
#: kramdown-parser-gfm: one to six ``#`` then at least one space or tab; the text is
#: group 2 without its trailing blanks (stripped after the match: a lazy group before
#: ``[ \t]*$`` would try the end of the line at every character).
ATX_RE = re.compile(r"^(#{1,6})[ \t]+(.*)")
SETEXT_RE = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$")
#: kramdown's HEADER_ID: ``{#id}`` at the end of the header text.
HEADER_ID_RE = re.compile(r"[ \t]\{#([A-Za-z][\w:-]*)\}$")
#: A closing sequence of ``#`` after a blank; a header of ``#`` signs alone (``## ##``) keeps them as
#: its text in kramdown (``<h2>##</h2>``), and its id counts among the repeats.
CLOSING_HASHES_RE = re.compile(r"[ \t]+#+$")
BLOCK_IAL_RE = re.compile(r"^[ \t]{0,3}\{:[ \t]*([^{}\n]*)\}[ \t]*$")
IAL_ID_RE = re.compile(r"(?:^|[\s{:])#([A-Za-z][\w:-]*)")
#: A header's ``{#id}`` or an inline attribute list ``{: ...}`` on any block or span
#: (``{: .note #tip}``, ``{: id="x"}``); not an ALD definition (``{:name: ...}``).
ANY_IAL_RE = re.compile(r"\{#[A-Za-z][^{}\n]*\}|\{:(?![ \t]*[A-Za-z][\w-]*:)[^{}\n]*\}")
#: ``id="x"`` (or ``'x'``) inside an IAL.
IAL_ID_ATTR_RE = re.compile(r"(?:^|[\s{:])id=(\"|')([^\"'\n]*)\1")
HTML_ID_TAG_RE = re.compile(r"<[A-Za-z][^<>]*?\b(?:id|name)[ \t\n]*=[^<>]*>", re.IGNORECASE)
FOOTNOTE_LABEL_RE = re.compile(r"\[\^([^\]\s]+)\]:")
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


#: Header text with none of these (nor ``--``) needs no inline parse: its kramdown raw
#: text is itself. (One character class: a regex alternation is tried at every offset.)
_INLINE_MARKUP_RE = re.compile(r"[*_\[\]<>&`\\~$!]")
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
    if "--" not in source and not _INLINE_MARKUP_RE.search(source):
        return source
    from naislint.page.markdown import parser

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


#: For ASCII header text: keep ``a-z0-9_-``, turn a space or tab into ``-``, drop the rest.
_ASCII_ID_TABLE = {
    code: ("-" if ch in " \t" else ch if ch.isdigit() or "a" <= ch <= "z" or ch in "_-" else None)
    for code, ch in ((code, chr(code)) for code in range(128))
}


def gfm_base_id(text: str) -> str:
    """kramdown-parser-gfm's id for header source ``text``, before de-duplication."""
    lowered = raw_text(text).lower()
    if lowered.isascii():
        # The common case in one pass; the loop below is the general rule.
        return lowered.translate(_ASCII_ID_TABLE)
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
    body, base = _without_comments(text, body_start)
    first_line = text.count("\n", 0, body_start) + 1
    counter = IdCounter()
    headings: list[Heading] = []
    fence: str | None = None
    prev_blank = True
    prev_text: str | None = None  # a candidate setext header line
    last = -1
    for i, start in _lines_to_read(body, base):
        if i != last + 1:
            # Skipped lines are prose or blank: they open and close no fence and are no
            # header. Inside a fence they leave this state; outside, the two lines read
            # before any header line set it again (see _lines_to_read).
            prev_blank = False
            prev_text = None
        last = i
        end = body.find("\n", start)
        if end == -1:
            end = len(body)
        line = body[start:end]
        if fence is not None or not line.startswith("#"):  # (a '#' line: ATX header or prose)
            if line.lstrip().startswith(">"):
                line = BLOCKQUOTE_RE.sub("", line, count=1)
            if fence is not None:
                stripped = line.strip()
                if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                    fence = None
                prev_blank = False
                prev_text = None
                continue
            m = FENCE_RE.match(line)
            if m and (fence_char := m.group(1)) and not ("`" in line[m.end():] and fence_char[0] == "`"):
                fence = fence_char
                prev_text = None
                continue
            if not line.strip():
                prev_blank = True
                prev_text = None
                continue
        m = ATX_RE.match(line)
        if m:
            prev_blank = False
            prev_text = None
            content = m.group(2).rstrip(" \t")
            if content.endswith("#"):
                content = CLOSING_HASHES_RE.sub("", content)
            content = content.rstrip()
            if content:  # kramdown: a header needs text
                headings.append(_heading(first_line + i, len(m.group(1)), content, body, end, counter))
            continue
        sm = SETEXT_RE.match(line)
        if sm and prev_text is not None:
            level = 1 if sm.group(1)[0] == "=" else 2
            headings.append(_heading(first_line + i - 1, level, prev_text.strip(), body, end, counter))
            prev_text = None
            prev_blank = False
            continue
        # kramdown takes a setext header only from a line that starts a block.
        prev_text = line if prev_blank and not line.startswith((" ", "\t", "<")) else None
        prev_blank = False
    return headings


def _heading(line: int, level: int, content: str, body: str, end: int, counter: IdCounter) -> Heading:
    """A header whose text is ``content`` and whose last line ends at ``end`` in ``body``:
    its id is an explicit ``{#id}`` at the end of the text or in a block IAL on the next
    line, or else the automatic one (which counts toward the ``-1``, ``-2`` numbering)."""
    explicit = None
    idm = HEADER_ID_RE.search(" " + content) if content.endswith("}") else None
    if idm:
        explicit = idm.group(1)
        content = (" " + content)[: idm.start()].strip()
    explicit = explicit or _ial_id_after(body, end)
    hid = explicit or counter.next(gfm_base_id(content))
    return Heading(line, level, content, hid, bool(explicit))


def _ial_id_after(body: str, end: int) -> str | None:
    """The ``#id`` of a block IAL on the line after the one ending at ``end``."""
    if "{" not in body[end + 1 : end + 5]:  # at most three blanks, then '{:'
        return None
    nxt = body.find("\n", end + 1)
    m = BLOCK_IAL_RE.match(body[end + 1 :] if nxt == -1 else body[end + 1 : nxt])
    if m:
        idm = IAL_ID_RE.search(" " + m.group(1))
        if idm:
            return idm.group(1)
    return None


def _without_comments(text: str, body_start: int) -> tuple[str, int]:
    """The body and where it starts: ``text`` itself, or when the body has HTML comments,
    a copy of the body with each one (an unclosed one runs to the end) blanked out,
    newlines kept, so that a commented-out header is no header and lines stay put."""
    at = text.find("<!--", body_start) if text.find("!", body_start) != -1 else -1  # '!' alone: faster
    if at == -1:
        return text, body_start
    out: list[str] = []
    cursor = body_start
    while at != -1:
        close = text.find("-->", at + 4)
        end = len(text) if close == -1 else close + 3
        out.append(text[cursor:at])
        out.append("\n".join(" " * len(part) for part in text[at:end].split("\n")))
        cursor = end
        at = text.find("<!--", end)
    out.append(text[cursor:])
    return "".join(out), 0


#: The start of a line that may open or close a fence or be a header: its first non-blank
#: character is ``#``, a backtick, a tilde, ``>`` (a blockquote line, read again without
#: its marker), ``=`` or ``-``, or that character follows list markers (``- ```json``
#: opens a fence in a list item). Every other line is prose or blank and matters only as
#: the text line of a setext header or the line before that one.
_EVENT_RE = re.compile(r"\n[^\S\n]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*[#`~>=-]")
#: A line that :data:`SETEXT_RE` may match (here or once its blockquote marker is gone).
_UNDERLINE_RE = re.compile(r"[^\S\n]*(?:=+|-+)[^\S\n]*")


def _lines_to_read(body: str, base: int) -> list[tuple[int, int]]:
    """(index, start offset) of the lines the scanner must read, in order: the first
    line (at ``base``), each line that may be a fence or a header and, before a line
    that may be a setext underline, the two lines before it (the header's text line, and
    the line that says whether that one starts a block).

    A page has few such lines, so this skips nearly all of it; the regex finds them
    without a Python step per line.
    """
    starts = {0: base}
    line = 0
    pos = base
    count = body.count
    rfind = body.rfind
    for m in _EVENT_RE.finditer(body, base):
        start = m.start() + 1  # after the newline
        mark = body[m.end() - 1]
        if mark == "#" or mark == "`" or mark == "~":
            if mark == "#" and m.end() - start > 1:
                continue  # an indented '#' starts no header: prose
            line += count("\n", pos, start)
            pos = start
            starts[line] = start  # what came before does not matter
            continue
        if mark != ">":
            end = body.find("\n", start)
            if not _UNDERLINE_RE.fullmatch(body, start, len(body) if end == -1 else end):
                continue  # a list item or a dash in prose
        line += count("\n", pos, start)
        pos = start
        # The line and the two before it.
        for index in range(line, max(line - 3, -1), -1):
            starts.setdefault(index, start)
            start = max(base, rfind("\n", base, start - 1) + 1)
    return sorted(starts.items())


def other_ids(text: str, body_start: int = 0) -> list[str]:
    """Ids that do not come from headings: IALs, HTML ``id``/``name``, footnotes."""
    ids: list[str] = []
    if text.find("{", body_start) != -1:
        for m in ANY_IAL_RE.finditer(text, body_start):
            ial = m.group(0)
            ids.extend(IAL_ID_RE.findall(ial))
            if "id=" in ial:
                ids.extend(v for _q, v in IAL_ID_ATTR_RE.findall(ial))
    if text.find("=", body_start) != -1 and text.find("<", body_start) != -1:
        for m in _html_id_tags(text, body_start):
            ids.extend(_tag_ids(m.group(0)))
    if text.find("^", body_start) != -1 and text.find("[^", body_start) != -1:  # '^' alone: faster
        for name in _footnote_names(text, body_start):
            ids.append(f"fn:{name}")
            ids.append(f"fnref:{name}")
    return ids


#: A tag in which some ``=`` follows ``id``, ``me`` or a blank: every tag that
#: :data:`HTML_ID_TAG_RE` matches, and few others. It steps from one ``=`` to the next
#: where that regex tries an attribute name at every character of every tag.
_ID_TAG_CANDIDATE_RE = re.compile(r"<[A-Za-z](?:[^<>=]*=)*?(?:(?<=[iI][dD]=)|(?<=[mM][eE]=)|(?<=[ \t\n]=))[^<>]*>")


def _html_id_tags(text: str, start: int) -> Iterator[re.Match[str]]:
    """The matches of :data:`HTML_ID_TAG_RE` in ``text`` from ``start``, found faster.

    A match runs from ``<`` to the next ``>`` with no ``<`` between, as a candidate
    does: the two regexes see the same tags, so testing each candidate gives the same
    matches in the same order."""
    for candidate in _ID_TAG_CANDIDATE_RE.finditer(text, start):
        m = HTML_ID_TAG_RE.match(text, candidate.start())
        if m is not None:
            yield m


@lru_cache(maxsize=4096)
def _tag_ids(tag_text: str) -> tuple[str, ...]:
    """The ``id`` (and ``<a name>``) values of one tag, as the HTML tokenizer reads them.
    Pages of a site repeat the same tags (``<div id="post-3" ...>``): each is read once."""
    from naislint.page.html import tokenize

    ids = []
    for tag in tokenize(tag_text):
        if tag.kind not in ("start", "startend"):
            continue
        for attr in tag.attrs:
            if attr.value is None:
                continue
            if attr.name == "id" or (attr.name == "name" and tag.name == "a"):
                ids.append(attr.value)
    return tuple(ids)


def _footnote_names(text: str, body_start: int) -> Iterator[str]:
    """Names of the footnote definitions (``[^name]:`` indented at most three blanks).

    The label is searched for, not each line start: a regex anchored at every line
    start steps through the whole page."""
    rfind = text.rfind
    for m in FOOTNOTE_LABEL_RE.finditer(text, body_start):
        at = m.start()
        indent = text[max(body_start, rfind("\n", 0, at) + 1) : at]
        if len(indent) <= 3 and not indent.strip(" \t"):
            yield m.group(1)


def page_anchors(text: str, body_start: int = 0) -> list[str]:
    """Every anchor of a page, heading ids first, in document order."""
    ids = [h.id for h in scan_headings(text, body_start)]
    ids.extend(other_ids(text, body_start))
    return ids


def html_page_anchors(text: str, body_start: int = 0) -> list[str]:
    """Every anchor of an HTML source page (``about.html`` with front matter): Jekyll
    runs only Liquid on it, never kramdown, so a ``#`` line is no heading with an id, and
    ``{: #id}`` and ``[^note]:`` are text. Its anchors are its tags' ``id`` (and
    ``<a name>``) values."""
    if text.find("=", body_start) == -1 or text.find("<", body_start) == -1:
        return []
    ids: list[str] = []
    for m in _html_id_tags(text, body_start):
        ids.extend(_tag_ids(m.group(0)))
    return ids


def is_html_page(rel: str) -> bool:
    """Whether a page's source is HTML (Jekyll renders ``.html``/``.htm`` pages with
    Liquid alone)."""
    return rel.lower().endswith((".html", ".htm"))


def document_anchors(doc: "Document") -> list[str]:
    """A linted page's anchors, computed once for the site index and the anchor rule."""
    return doc.memo("site.own_anchors", lambda: page_anchors(doc.text, doc.body_start))
