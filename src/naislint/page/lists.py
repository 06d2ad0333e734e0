"""The logical lists of a page: what a reader takes for one list, however it was written.

A CMS editor's HTML-to-markdown converter leaves lists in three shapes, often mixed in one
"list": markdown list items, HTML ``<ol>/<ul>/<li>`` inside HTML blocks, and paragraphs
that start with a hand-typed number (``2\\.``, ``2\\)``, ``9.&nbsp;``) which render as text.
The three list rules (duplicate items, numbering, hand-numbered paragraphs) all need the
same answer to "which items belong together", so it is computed here once per document
(``doc.memo("lists.logical_lists", ...)``) in one pass over the block tokens.

Continuation rules (within one container: the page, a list item, a block quote):

- a markdown list joins the open logical list when only blank lines, HTML wrapper lines
  (tags with no visible text) or a code block stand between them, the kind matches
  (ordered or bullet) and, for ordered lists, its first number continues the sequence
  (greater than the list's first number, at most one past the last + 1); a bullet list
  joins only across blank lines or a code block;
- a hand-numbered paragraph joins an open ordered list on the same number test, and
  otherwise starts a new logical list;
- a heading, an unnumbered prose paragraph, HTML with visible text, a thematic break, a
  table or a block quote ends the open list;
- an HTML ``<ol>``/``<ul>`` element is a logical list of its own (its tags are an explicit
  boundary the author wrote); markdown written inside an open ``<li>`` is that item's text.

Where the renderer matters (:func:`naislint.page.renderer.for_document`): kramdown keeps a
fence that directly follows a list item's line inside that item, so it does not split the
list there; and a markdown list that starts a new ``<ol>`` is numbered by kramdown from 1
(or from a ``{: start="N"}`` attribute list right after it), by GFM from its first number
(``Item.shown``).

Everything is linear in the size of the page: one pass over tokens, one bisect per HTML
block into the page's tag list, hashing for duplicate lookups in the rules.
"""

from __future__ import annotations

import bisect
import html as html_lib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from markdown_it.token import Token

    from naislint.page.document import Document
    from naislint.page.html import HtmlTag

#: A paragraph that starts with a hand-typed list number: an escaped delimiter
#: (``2\\.``, ``2\\)``) or a delimiter followed by a non-breaking space (``9.&nbsp;``),
#: which CommonMark and kramdown both render as text. Group ``num`` is the number,
#: ``sep`` everything up to the item text.
PSEUDO_RE = re.compile(
    r"(?P<num>\d{1,9})"
    r"(?:\\(?P<esc>[.)])(?P<sp1>(?:[ \t\u00a0]|&nbsp;|&#0*160;|&#[xX]0*[aA]0;)+)"
    r"|(?P<delim>[.)])(?P<sp2>(?:&nbsp;|&#0*160;|&#[xX]0*[aA]0;|\u00a0)(?:[ \t\u00a0]|&nbsp;|&#0*160;|&#[xX]0*[aA]0;)*))"
    r"(?=\S)"
)

_TAG_RE = re.compile(r"<!--.*?(?:-->|\Z)|<[A-Za-z/!][^>]*>?", re.DOTALL)
_LINK_RE = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_IAL_RE = re.compile(r"\{:[^{}\n]*\}|\{#[^{}\s]*\}")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MARKUP_RE = re.compile(r"[*_~`]+")
_NEEDS_NORMALISING_RE = re.compile(r"[<\[{\\&]")
_VISIBLE_RE = re.compile(r"[^\s*_~`]")

#: Tags whose boundaries separate words (text either side is not one word).
_BREAKING_TAGS = frozenset(
    "br p div li ul ol td th tr table h1 h2 h3 h4 h5 h6 blockquote section article hr".split()
)
#: HTML that is content in its own right: outside an ``<li>`` it ends a list.
_CONTENT_TAGS = frozenset("h1 h2 h3 h4 h5 h6 img table hr iframe video figure blockquote pre".split())
_RAW_TEXT_TAGS = frozenset(("script", "style"))
#: Tags that bound a run of labelled paragraphs.
_SECTION_TAGS = frozenset("h1 h2 h3 h4 h5 h6 div section article ol ul li table hr".split())
_LIST_TAGS = frozenset(("ol", "ul"))
#: A kramdown block attribute list that sets an ordered list's start number.
_START_IAL_RE = re.compile(r"^[ \t]*\{:[^{}\n]*\bstart\s*=\s*[\"']?(\d{1,9})[\"']?[^{}\n]*\}[ \t]*$")

#: The block tokens the builder acts on (the others, such as ``paragraph_close``, change
#: nothing).
_BLOCK_EVENTS = frozenset(
    "paragraph_open heading_open html_block fence code_block hr table_open "
    "bullet_list_open ordered_list_open bullet_list_close ordered_list_close list_item_open list_item_close "
    "blockquote_open blockquote_close footnote_open footnote_close".split()
)


def normalise(text: str) -> str:
    """The text of an item as a reader compares it.

    Markup, HTML tags and comments, links' destinations, kramdown attribute lists and
    backslash escapes are stripped; entities decoded (``&nbsp;`` becomes a space); case and
    runs of whitespace folded.
    """
    if not text:
        return ""
    # Each pattern needs its first character in the text: most texts skip most of them.
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if "[" in text:
        text = _LINK_RE.sub(r"\1", text)
    if "{" in text:
        text = _IAL_RE.sub(" ", text)
    if "\\" in text:
        text = _ESCAPE_RE.sub(r"\1", text)
    text = html_lib.unescape(text)
    text = _MARKUP_RE.sub("", text)
    return " ".join(text.split()).casefold()


#: A code span (a run of backticks, its text, the same run) or an HTML ``<code>`` element.
_CODE_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)|<code\b[^>]*>(.*?)</code\s*>", re.DOTALL | re.IGNORECASE)


def compare_text(text: str) -> str:
    """:func:`normalise`, except that code is compared exactly as written: ``-v`` and
    ``-V``, ``a*b*`` and ``ab`` are different options and different code, though the
    prose around them folds case and drops markup."""
    if "`" not in text and "<code" not in text.lower():
        return normalise(text)
    parts = []
    cursor = 0
    for m in _CODE_RE.finditer(text):
        parts.append(normalise(text[cursor : m.start()]))
        code = m.group(2) if m.group(1) is not None else html_lib.unescape(m.group(3))
        parts.append("\x00" + " ".join(code.split()) + "\x00")
        cursor = m.end()
    parts.append(normalise(text[cursor:]))
    return " ".join(part for part in parts if part)


def _visible(text: str) -> bool:
    """Is :func:`normalise` of ``text`` non-empty? (Without building it when the text has
    nothing for it to strip but markup characters and spaces.)"""
    if _NEEDS_NORMALISING_RE.search(text):
        return bool(normalise(text))
    return _VISIBLE_RE.search(text) is not None


#: What :attr:`Item.key` compares: an item's own text and the keys of its sub-lists' items.
ItemKey: TypeAlias = "tuple[str, tuple[ItemKey, ...]]"


@dataclass(eq=False)
class Item:
    """One item of a logical list.

    ``source`` is ``markdown`` (a list item), ``html`` (an ``<li>``) or ``paragraph`` (a
    hand-numbered paragraph). ``number`` is the number the author wrote (``None`` for
    bullets and ``<li>``). ``start``/``end`` are the offsets of the marker (the number's
    first character, the bullet, or ``<li``); rules report there.
    ``restart`` describes the block that split the list just before this item when this
    item begins a new markdown ``<ol>`` that continues the logical list (the renderer
    numbers it afresh); ``None`` otherwise.
    """

    source: str
    number: int | None
    start: int
    end: int
    line: int
    column: int
    parts: list[str] = field(default_factory=list)
    restart: str | None = None
    #: for an item that begins a new markdown ``<ol>``: the number the renderer shows it
    #: with (kramdown: 1 or its ``{: start="N"}``; GFM: the number written)
    shown: int | None = None
    #: the items of the lists nested inside this one (a sub-list is part of its item)
    children: list["Item"] = field(default_factory=list)
    _text: str | None = None
    _key: ItemKey | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = normalise(" ".join(self.parts))
        return self._text

    @property
    def key(self) -> ItemKey:
        """The whole item as a reader compares two items: its own text (code kept exactly
        as written, see :func:`compare_text`) and its sub-lists, item by item. Two items
        that differ only below, in their sub-lists, are different items."""
        if self._key is None:
            self._key = (compare_text(" ".join(self.parts)), tuple(child.key for child in self.children))
        return self._key


@dataclass(eq=False)
class LogicalList:
    """Items that a reader takes for one list, in document order."""

    ordered: bool
    items: list[Item] = field(default_factory=list)
    html: bool = False

    @property
    def first_number(self) -> int | None:
        for item in self.items:
            if item.number is not None:
                return item.number
        return None

    @property
    def last_number(self) -> int | None:
        for item in reversed(self.items):
            if item.number is not None:
                return item.number
        return None

    def accepts(self, number: int, after_code: bool = False) -> bool:
        """Does an ordered block starting at ``number`` continue this list?

        It does when the number goes on from the list (above its first number, at most
        one past the next); after a code block a ``1. 1. 1.`` list also goes on with
        another ``1.``. A block that starts again at the list's first number is a new list.
        """
        first, last = self.first_number, self.last_number
        if not self.ordered or self.html or first is None or last is None:
            return False
        if first < number <= last + 2:
            return True
        return after_code and number == first == last and len(self.items) > 1


@dataclass(eq=False)
class PseudoItem:
    """A hand-numbered paragraph: where its number is and what to write instead.

    ``marker_start``/``marker_end`` cover the number, the escaped delimiter and the
    spacing after it (``2\\. ``, ``9.&nbsp;``); ``replacement`` is the real list marker.
    """

    item: Item
    marker_start: int
    marker_end: int
    written: str
    replacement: str
    #: later lines of the same paragraph that also start with a hand-typed number
    #: (a converter writes ``1\\. a`` and ``2\\. b`` on consecutive lines): their items
    #: belong to the list, and the fix rewrites their markers too
    more: list["PseudoItem"] = field(default_factory=list)
    #: the offset where the paragraph's last line ends (where an attribute list that
    #: decorates the list made of it would go)
    block_end: int = 0
    #: with the fix applied, this paragraph begins a new ``<ol>`` (nothing but blank lines
    #: joins it to a markdown list before it), which kramdown numbers from 1
    opens: bool = True
    #: it directly goes on from the hand-numbered paragraph before it (same run)
    follows: bool = False


@dataclass
class ListModel:
    """Every logical list of a page, and every hand-numbered paragraph."""

    lists: list[LogicalList]
    pseudo: list[PseudoItem]


def logical_lists(doc: "Document") -> ListModel:
    """The page's logical lists, computed once per document and shared by the rules."""
    return doc.memo("lists.logical_lists", lambda: _Builder(doc).build())


# -- the builder ------------------------------------------------------------------------


@dataclass(eq=False)
class _Context:
    """A container whose direct children form one sequence of blocks."""

    item: Item | None = None
    open: LogicalList | None = None
    #: the code block that stands between the open list's last block and the next one
    split: str | None = None
    #: the first thing other than blank lines that stands there (HTML wrapper, code)
    separated: str | None = None


@dataclass(eq=False)
class _HtmlList:
    tag: str
    logical: LogicalList
    item: Item | None = None


class _Builder:
    def __init__(self, doc: "Document") -> None:
        self.doc = doc
        self.lists: list[LogicalList] = []
        self.pseudo: list[PseudoItem] = []
        self.contexts: list[_Context] = [_Context()]
        self.html_stack: list[_HtmlList] = []
        self.md_lists: list[LogicalList] = []  # one per open markdown list token
        self.raw_text_until: str | None = None  # inside <script>/<style>
        self._tags: list["HtmlTag"] | None = None
        self._tag_starts: list[int] = []
        self._marker_cursor: dict[int, int] = {}
        self._pending_restart: str | None = None
        self._pending_shown: int | None = None
        from naislint.page.renderer import for_document

        self.kramdown = for_document(doc).is_kramdown
        #: 0-based line after the last markdown list that closed (for fences kramdown
        #: keeps in the last item)
        self._list_end_line: int | None = None
        self._open_ends: list[int | None] = []  # per open markdown list, its map's end

    # -- helpers -------------------------------------------------------------------------

    @property
    def ctx(self) -> _Context:
        return self.contexts[-1]

    def _new_list(self, ordered: bool, html: bool = False) -> LogicalList:
        lst = LogicalList(ordered=ordered, html=html)
        self.lists.append(lst)
        return lst

    def _end(self) -> None:
        ctx = self.contexts[-1]
        ctx.open = None
        ctx.split = None
        ctx.separated = None

    def _add_text(self, text: str) -> bool:
        """Give text to the innermost open ``<li>`` or markdown item; False when neither."""
        if self.html_stack and self.html_stack[-1].item is not None:
            self.html_stack[-1].item.parts.append(text)
            return True
        item = self.contexts[-1].item
        if item is not None:
            item.parts.append(text)
            return True
        return False

    def _tags_between(self, start: int, end: int) -> list["HtmlTag"]:
        if self._tags is None:
            from naislint.page.html import page_tags

            self._tags = [t for t in page_tags(self.doc) if t.block]
            self._tag_starts = [t.start for t in self._tags]
        lo = bisect.bisect_left(self._tag_starts, start)
        hi = bisect.bisect_left(self._tag_starts, end)
        return self._tags[lo:hi]

    def _marker_offset(self, line: int, marker: str) -> int:
        """Offset of a list marker on a 1-based line, left to right for nested items."""
        line_start = self.doc.index.line_start(line)
        text = self.doc.line(line)
        cursor = self._marker_cursor.get(line, 0)
        at = text.find(marker, cursor)
        if at == -1:
            at = len(text) - len(text.lstrip(" \t>"))
        self._marker_cursor[line] = at + len(marker)
        return line_start + at

    def _item(self, source: str, number: int | None, start: int, end: int) -> Item:
        line, column = self.doc.position(start)
        item = Item(source, number, start, end, line, column)
        parent = self._open_parent(source)
        if parent is not None:
            parent.children.append(item)
        return item

    def _open_parent(self, source: str) -> Item | None:
        """The item a new item is nested in: the open markdown item around it, else the
        open ``<li>`` of an outer HTML list (the innermost HTML list's own open ``<li>``
        is the new ``<li>``'s sibling, left unclosed)."""
        if source == "paragraph":
            return None  # a hand-numbered paragraph is a list item of its own level
        outer = self.html_stack[:-1] if source == "html" else self.html_stack
        html_parent = next((h.item for h in reversed(outer) if h.item is not None), None)
        if source == "html" and html_parent is not None:
            return html_parent  # HTML nests inside the markdown item around it
        markdown_parent = next((c.item for c in reversed(self.contexts) if c.item is not None), None)
        return markdown_parent if markdown_parent is not None else html_parent

    # -- the pass ------------------------------------------------------------------------

    def build(self) -> ListModel:
        tokens = self.doc.tokens
        i = 0
        n = len(tokens)
        while i < n:
            token = tokens[i]
            kind = token.type
            if kind not in _BLOCK_EVENTS:
                i += 1
                continue
            if kind == "paragraph_open":
                inline = tokens[i + 1] if i + 1 < n and tokens[i + 1].type == "inline" else None
                self._paragraph(token, inline)
                i += 2
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                self._list_open(token, kind == "ordered_list_open", tokens, i)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lst = self.md_lists.pop() if self.md_lists else None
                self._list_end_line = self._open_ends.pop() if self._open_ends else None
                ctx = self.ctx
                ctx.open = lst
                ctx.split = None
                ctx.separated = None
            elif kind == "list_item_open":
                self._item_open(token)
            elif kind == "list_item_close":
                if len(self.contexts) > 1:
                    self.contexts.pop()
            elif kind == "heading_open":
                inline = tokens[i + 1] if i + 1 < n else None
                if self.ctx.item is not None and inline is not None:
                    self.ctx.item.parts.append(inline.content)
                self.html_stack.clear()
                self._end()
                i += 2
                continue
            elif kind == "html_block":
                self._html_block(token)
            elif kind in ("fence", "code_block"):
                ctx = self.ctx
                if ctx.open is not None and token.map and not self._kramdown_item_content(token) \
                        and not self._kramdown_item_fence(token):
                    where = f"the code block on line {token.map[0] + 1}"
                    ctx.split = ctx.split or where
                    ctx.separated = ctx.separated or where
            elif kind in ("blockquote_open", "footnote_open"):
                self._end()
                self.contexts.append(_Context())
            elif kind in ("blockquote_close", "footnote_close"):
                if len(self.contexts) > 1:
                    self.contexts.pop()
                self._end()
            elif kind in ("hr", "table_open"):
                self._end()
                if kind == "table_open":
                    while i < n and tokens[i].type != "table_close":
                        i += 1
            i += 1
        return ListModel(self.lists, self.pseudo)

    def _kramdown_item_content(self, token: "Token") -> bool:
        """An indented block right after an empty list item (``4.`` then a blank line).

        CommonMark ends such an item at the blank line, so the indented lines become a
        code block that splits the list; kramdown, which renders the site, reads them as
        the item's content. The list is not split for the reader.
        """
        ctx = self.ctx
        if token.type != "code_block" or ctx.open is None or not ctx.open.items or ctx.separated:
            return False
        last = ctx.open.items[-1]
        return last.source == "markdown" and not "".join(last.parts).strip()

    def _kramdown_item_fence(self, token: "Token") -> bool:
        """A fence on the line right after a list's last line, with no blank line between.

        CommonMark ends the list there; kramdown keeps the fence inside the last item, so
        the list goes on after it (checked against kramdown 2.4).
        """
        if not self.kramdown or token.type != "fence" or not token.map or self._list_end_line is None:
            return False
        ctx = self.ctx
        if ctx.open is None or not ctx.open.items or ctx.open.items[-1].source != "markdown":
            return False
        end = self._list_end_line
        return token.map[0] == end and (end == 0 or self.doc.line(end).strip() != "")

    def _shown_start(self, token: "Token", first_number: int | None) -> int | None:
        """The number the renderer gives the first item of the ordered list ``token`` opens.

        GFM keeps the first number; kramdown ignores it and starts at 1 unless a
        ``{: start="N"}`` line directly follows the list (markdown-it reads that line as
        the last item's lazy continuation, so it is the list's last non-blank line).
        """
        if not self.kramdown:
            return first_number
        if token.map:
            for number in range(token.map[1], token.map[0], -1):
                line = self.doc.line(number)
                if not line.strip():
                    continue
                m = _START_IAL_RE.match(line)
                return int(m.group(1)) if m else 1
        return 1

    def _list_open(self, token: "Token", ordered: bool, tokens: "list[Token]", index: int) -> None:
        ctx = self.ctx
        first_number: int | None = None
        if ordered:
            for follower in tokens[index + 1 : index + 2]:
                if follower.type == "list_item_open" and follower.info.isdigit():
                    first_number = int(follower.info)
        joined = None
        if ctx.open is not None and not ctx.open.html and ctx.open.ordered == ordered:
            if ordered and first_number is not None:
                if ctx.open.accepts(first_number, ctx.split is not None):
                    joined = ctx.open
            elif not ordered and (not ctx.separated or ctx.split is not None):
                joined = ctx.open
        if joined is None:
            joined = self._new_list(ordered)
            restart = None
        else:
            restart = ctx.split or ctx.separated
        self.md_lists.append(joined)
        self._open_ends.append(token.map[1] if token.map else None)
        self._pending_restart = restart if ordered else None
        self._pending_shown = self._shown_start(token, first_number) if ordered else None
        ctx.open = joined
        ctx.split = None
        ctx.separated = None

    def _item_open(self, token: "Token") -> None:
        lst = self.md_lists[-1] if self.md_lists else self._new_list(False)
        number = int(token.info) if token.info.isdigit() else None
        marker = (token.info + token.markup) if number is not None else token.markup
        line = (token.map[0] + 1) if token.map else 1
        start = self._marker_offset(line, marker)
        item = self._item("markdown", number, start, start + len(marker))
        item.restart = self._pending_restart
        item.shown = self._pending_shown
        self._pending_restart = None
        self._pending_shown = None
        lst.items.append(item)
        self.contexts.append(_Context(item=item))

    def _paragraph(self, token: "Token", inline: "Token | None") -> None:
        content = inline.content if inline is not None else ""
        m = PSEUDO_RE.match(content)
        pseudo = None
        if m is not None and inline is not None and inline.map:
            lines = content.split("\n")
            pseudo = self._pseudo(inline.map[0] + 1, lines[0], m)
            if pseudo is not None:
                pseudo.block_end = self.doc.index.line_end(inline.map[1])
                self.pseudo.append(pseudo)
                for k in range(1, len(lines)):
                    later = PSEUDO_RE.match(lines[k])
                    if later is not None:
                        more = self._pseudo(inline.map[0] + 1 + k, lines[k], later)
                        if more is not None:
                            pseudo.more.append(more)
                            continue
                    target = pseudo.more[-1].item if pseudo.more else pseudo.item
                    target.parts.append(lines[k])
        if self.html_stack and self.html_stack[-1].item is not None:
            self.html_stack[-1].item.parts.append(content)
            return
        ctx = self.contexts[-1]
        if pseudo is None:
            if ctx.item is not None:
                ctx.item.parts.append(content)
            ctx.open = ctx.split = ctx.separated = None  # the paragraph ends the open list
            return
        item = pseudo.item
        if ctx.open is None or not ctx.open.accepts(item.number or 0, ctx.split is not None):
            ctx.open = self._new_list(True)
        elif ctx.open.items and not ctx.separated:
            last = ctx.open.items[-1].source
            pseudo.follows = last == "paragraph"
            pseudo.opens = last not in ("paragraph", "markdown")
        ctx.open.items.append(item)
        ctx.open.items.extend(more.item for more in pseudo.more)
        ctx.split = None
        ctx.separated = None

    def _pseudo(self, line: int, content_line: str, m: "re.Match[str]") -> PseudoItem | None:
        """The hand-typed number matched at the start of a paragraph line, located in the file."""
        at = self.doc.line(line).find(m.group(0))
        if at == -1:
            return None
        start = self.doc.index.line_start(line) + at
        number = int(m.group("num"))
        marker_len = len(m.group("num")) + (2 if m.group("esc") else 1)
        item = self._item("paragraph", number, start, start + marker_len)
        item.parts.append(content_line[m.end():])
        return PseudoItem(item, start, start + len(m.group(0)), m.group(0), f"{number}. ")

    def _html_block(self, token: "Token") -> None:
        src = self.doc.source_of(token)
        start, end = src.start, src.start + len(src.text)
        ctx = self.contexts[-1]
        if ctx.item is not None and ctx.item.end > start:
            start = min(ctx.item.end, end)  # the block shares its line with the marker
        text = self.doc.text
        html_stack = self.html_stack
        raw_text_until = self.raw_text_until
        cursor = start
        visible = False
        tags = self._tags_between(start, end)
        paragraphs = bold = False  # without both, the block holds no labelled paragraphs
        for tag in tags:
            kind = tag.kind
            name = tag.name
            if kind == "start":
                if name == "p":
                    paragraphs = True
                elif name in ("strong", "b"):
                    bold = True
            if raw_text_until is None and cursor < tag.start:
                segment = text[cursor : tag.start]
                if segment.strip() and not self._add_text(segment):
                    if _visible(segment):
                        visible = True
            if tag.end > cursor:
                cursor = tag.end
            if raw_text_until is not None:
                if kind == "end" and name == raw_text_until:
                    raw_text_until = None
                continue
            if kind == "comment" or kind == "decl":
                continue
            if kind == "start" and name in _RAW_TEXT_TAGS:
                raw_text_until = name
                continue
            if name in _LIST_TAGS:
                if kind == "start":
                    html_stack.append(_HtmlList(name, self._new_list(name == "ol", html=True)))
                elif kind == "end":
                    for depth in range(len(html_stack) - 1, -1, -1):
                        if html_stack[depth].tag == name:
                            del html_stack[depth:]
                            break
                continue
            if name == "li" and html_stack:
                top = html_stack[-1]
                if kind in ("start", "startend"):
                    value = tag.attr("value")
                    number = None
                    if value is not None and value.value and value.value.strip().isdigit():
                        number = int(value.value.strip())
                    item = self._item("html", number, tag.start, tag.start + 3)
                    top.logical.items.append(item)
                    top.item = item
                elif kind == "end":
                    top.item = None
                continue
            if name in _BREAKING_TAGS:
                self._add_text(" ")
            if kind != "end" and name in _CONTENT_TAGS:
                if not (html_stack and html_stack[-1].item is not None) and ctx.item is None:
                    visible = True
        self.raw_text_until = raw_text_until
        if raw_text_until is None:
            segment = text[cursor:end]
            if segment.strip() and not self._add_text(segment) and _visible(segment):
                visible = True
        if paragraphs and bold:
            self._labelled(tags, start)
        if visible:
            self._end()
        elif ctx.open is not None and ctx.item is None and token.map:
            ctx.separated = ctx.separated or f"the HTML on line {token.map[0] + 1}"

    def _labelled(self, tags: list["HtmlTag"], start: int) -> None:
        """Runs of labelled paragraphs in one HTML block: a list written without list tags.

        CMS accordions list topics as ``<p><strong>Label</strong></p>`` followed by body
        paragraphs. Between two headings or ``<div>`` boundaries such a run is a logical
        list whose items are a label and its body; a label and body given twice (a
        copy-paste) is a duplicate item. Only ``duplicate-list-item`` looks at these lists.
        """
        text = self.doc.text
        lst: LogicalList | None = None
        current: Item | None = None
        para: Item | None = None
        para_bold = para_plain = False
        bold = 0
        cursor = start

        def finish() -> None:
            nonlocal lst, current, para
            if para is None:
                return
            if para_bold and not para_plain:
                if lst is None:
                    lst = self._new_list(False, html=True)
                current = para
                lst.items.append(para)
            elif current is not None:
                current.parts.extend(para.parts)
            para = None

        for tag in tags:
            if para is not None and cursor < tag.start:
                segment = text[cursor : tag.start]
                if segment.strip():
                    para.parts.append(segment)
                    if _visible(segment):
                        if bold:
                            para_bold = True
                        else:
                            para_plain = True
            cursor = max(cursor, tag.end)
            name = tag.name
            if tag.kind == "start" and name == "p":
                finish()
                para = self._item("html", None, tag.start, tag.start + 2)
                para_bold = para_plain = False
                bold = 0
            elif name in ("strong", "b"):
                if tag.kind == "start":
                    bold += 1
                elif tag.kind == "end":
                    bold = max(0, bold - 1)
            elif name == "p" and tag.kind == "end":
                finish()
            elif name in _SECTION_TAGS and tag.kind in ("start", "end"):
                finish()
                lst = current = None
        finish()
