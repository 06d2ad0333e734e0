"""A direct scanner for the tags of an HTML fragment, giving what ``html.parser`` gives.

:class:`html.parser.HTMLParser` is built for streaming: for every tag it counts the
newlines it passed to keep a line/column position, hands the text between tags to a
``handle_data`` callback after decoding its character references, and dispatches every
event through a method call; :mod:`naislint.page.html` then recovers file offsets from those
positions and matches each attribute's pattern a second time to find where it lies.
A linter wants only the tags, their offsets and their attributes' offsets.

:func:`scan` walks the fragment as ``HTMLParser.goahead`` does (the same decisions, with
the same regular expressions applied at the same places) and builds the tags with their
offsets as it goes, skipping the text between tags without looking at it. It mirrors the
parser of Python 3.10 to 3.13 as first released, and it is the only tokenizer naislint
uses: later security releases of that parser read some malformed markup differently, and
a linter must not report differently on two patch releases of Python. The tests compare
it with the standard parser wherever the running Python's parser is that one.
"""

from __future__ import annotations

import re
from html import unescape
from typing import NamedTuple


class HtmlAttr(NamedTuple):
    """One attribute: lower-cased name, decoded value (``None`` when bare), offsets.

    ``value_start``/``value_end`` delimit the raw value inside its quotes (equal to
    ``end`` when the attribute has no value). A named tuple, not a dataclass: a page has
    thousands of tags and attributes, and a tuple is built in a third of the time.
    """

    name: str
    value: str | None
    start: int
    end: int
    value_start: int
    value_end: int


class HtmlTag(NamedTuple):
    """A tag, comment or declaration with its offsets in the document text.

    ``kind`` is ``start``, ``end``, ``startend`` (``<br/>``), ``comment`` or ``decl``.
    ``block`` is True when the tag comes from an HTML block (not inline HTML in a
    paragraph); ``fragment`` numbers the fragment it came from, in document order.
    (A named tuple, as :class:`HtmlAttr` is.)
    """

    kind: str
    name: str
    start: int
    end: int
    attrs: tuple[HtmlAttr, ...] = ()
    block: bool = True
    fragment: int = 0

    def attr(self, name: str) -> HtmlAttr | None:
        for a in self.attrs:
            if a.name == name:
                return a
        return None


# The patterns of that parser (``locatestarttagend_tolerant``, ``tagfind_tolerant``,
# ``attrfind_tolerant``, ``endtagfind`` and ``_markupbase._commentclose``), written out so
# that the scanner reads the same way whatever this Python's parser does.
_LOCATE_START_TAG_END = re.compile(
    r"""<[a-zA-Z][^\t\n\r\f />\x00]*(?:[\s/]*(?:(?<=['"\s/])[^\s/>][^\s/=>]*"""
    r"""(?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^>\s]*)\s*)?(?:\s|/(?!>))*)*)?\s*"""
)
_TAG_NAME = re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(
    r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*"""
)
_END_TAG = re.compile(r"</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>")
_COMMENT_CLOSE = re.compile(r"--\s*>")
_RAW_TEXT_END = {name: re.compile(r"</\s*%s\s*>" % name, re.I) for name in ("script", "style")}
#: The next ``<``; when it opens an end tag the parser's ``endtagfind`` matches
#: (``</p>``) or a start tag without attributes (``<li>``), their name: the commonest
#: tags, read in one match to the same result as the general steps below.
_NEXT = re.compile(r"<(?:/\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>|([a-zA-Z][a-zA-Z0-9]*)>)?")
#: A start tag of the plainest shape: a name of letters and digits, attributes each after
#: white space (only the four characters both the parser's patterns take for white
#: space: no ``\\v``, no no-break space), each bare or with a quoted value right after
#: ``=``, then ``>`` or ``/>``. The parser's three patterns read such a tag to the same
#: name, attributes and end (the tests compare both ways on generated tags), so it is
#: read in one match here, and its attributes in one more.
_SIMPLE_START_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9]*)((?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"]*\"|='[^']*')?)*)[ \t\n\r\f]*(/?)>"
)
_SIMPLE_ATTRIBUTE = re.compile(r"[ \t\n\r\f]+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=(\"[^\"]*\"|'[^']*'))?")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_INCOMPLETE_AT = frozenset("abcdefghijklmnopqrstuvwxyz=/ABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: Builds a tag or attribute from all its fields at once, without the named tuple's own
#: ``__new__`` (a Python function that only forwards its arguments): a page has thousands.
_new = tuple.__new__


def scan(text: str, cut: int, base: int, block: bool, fragment: int) -> list[HtmlTag]:
    """The tags of ``text[:cut]`` with offsets shifted by ``base``, as
    :func:`naislint.page.html.tokenize` reports them from the standard parser's events.

    ``text`` is the whole fragment: a comment's or end tag's extent is measured in it,
    as the parser's event handlers do.
    """
    data = text if cut == len(text) else text[:cut]
    n = len(data)
    find = data.find
    tags: list[HtmlTag] = []
    append = tags.append
    raw_text_end: re.Pattern[str] | None = None  # inside <script>/<style>
    raw_text_name = ""
    i = 0
    while i < n:
        if raw_text_end is None:
            m = _NEXT.search(data, i)
            if m is None:
                break
            i = m.start()
            name = m.group(1)
            if name is not None:  # ``</p>``
                append(_new(HtmlTag, ("end", name.lower(), base + i, base + m.end(), (), block, fragment)))
                i = m.end()
                continue
            name = m.group(2)
            if name is not None:  # ``<li>``
                name = name.lower()
                append(_new(HtmlTag, ("start", name, base + i, base + m.end(), (), block, fragment)))
                i = m.end()
                if name in _RAW_TEXT_END:
                    raw_text_end = _RAW_TEXT_END[name]
                    raw_text_name = name
                continue
        else:
            m = raw_text_end.search(data, i)
            if m is None:
                break
            i = m.start()
        after = data[i + 1 : i + 2]
        if after in _ASCII_LETTERS:
            k, tag = _start_tag(data, i, base, block, fragment)
            if tag is not None:
                append(tag)
                if tag.kind == "start" and tag.name in _RAW_TEXT_END:
                    raw_text_end = _RAW_TEXT_END[tag.name]
                    raw_text_name = tag.name
        elif after == "/":
            gt = find(">", i + 1)
            if gt < 0:
                k = -1
            else:
                k = gt + 1
                m = _END_TAG.match(data, i)
                if m is None:
                    if raw_text_end is None:
                        name_match = _TAG_NAME.match(data, i + 2)
                        if name_match is not None:
                            append(_new(HtmlTag, ("end", name_match.group(1).lower(), base + i, base + k, (), block, fragment)))
                        elif not data.startswith("</>", i):  # a bogus comment: ``</ x>``
                            append(_new(HtmlTag, ("comment", "", base + i, base + k, (), block, fragment)))
                else:
                    name = m.group(1).lower()
                    if raw_text_end is None or name == raw_text_name:
                        append(_new(HtmlTag, ("end", name, base + i, base + k, (), block, fragment)))
                        raw_text_end = None
        elif data.startswith("<!--", i):
            m = _COMMENT_CLOSE.search(data, i + 4)
            if m is None:
                k = -1
            else:
                k = m.end()
                end = m.start() + 3
                if not text.startswith("-->", m.start()):  # ``-- >``: to the first ``>``
                    end = text.find(">", i + 2) + 1
                append(_new(HtmlTag, ("comment", "", base + i, base + end, (), block, fragment)))
        elif after == "?":  # a processing instruction: no tag
            k = find(">", i + 2)
            k = k + 1 if k >= 0 else -1
        elif after == "!":
            if data.startswith("<![", i):  # a marked section, read as a bogus comment: no tag
                k = find(">", i + 3)
                k = k + 1 if k >= 0 else -1
            elif data[i : i + 9].lower() == "<!doctype":
                k = find(">", i + 9)
                k = k + 1 if k >= 0 else -1
                if k > 0:
                    append(_new(HtmlTag, ("decl", "", base + i, base + k, (), block, fragment)))
            else:  # a bogus comment: ``<!x>``
                k = find(">", i + 2)
                k = k + 1 if k >= 0 else -1
                if k > 0:
                    append(_new(HtmlTag, ("comment", "", base + i, base + k, (), block, fragment)))
        elif i + 1 < n:  # a ``<`` that starts nothing
            k = i + 1
        else:
            break
        if k < 0:
            # Unfinished at the end of the input: the parser gives up on it as text, up
            # to the next ``>`` (or ``<``), and reads on from there.
            k = find(">", i + 1)
            if k < 0:
                k = find("<", i + 1)
                if k < 0:
                    k = i + 1
            else:
                k += 1
        i = k
    return tags


def _start_tag(data: str, i: int, base: int, block: bool, fragment: int) -> tuple[int, HtmlTag | None]:
    """Parse the start tag at ``data[i]`` as ``HTMLParser.parse_starttag`` does.

    Returns where scanning goes on (-1 when the tag is unfinished) and the tag, ``None``
    when the parser reports none (it takes the text for text).
    """
    simple = _SIMPLE_START_TAG.match(data, i)
    if simple is not None:
        return _simple_start_tag(simple, data, base, block, fragment)
    return _parsed_start_tag(data, i, base, block, fragment)


def _parsed_start_tag(data: str, i: int, base: int, block: bool, fragment: int) -> tuple[int, HtmlTag | None]:
    """:func:`_start_tag` step by step, with the parser's own patterns: any start tag."""
    j = _LOCATE_START_TAG_END.match(data, i).end()  # type: ignore[union-attr]  # always matches
    after = data[j : j + 1]
    if after == ">":
        endpos = j + 1
    elif after == "/":
        if not data.startswith("/>", j):
            return -1, None
        endpos = j + 2
    elif not after or after in _INCOMPLETE_AT:
        return -1, None
    else:
        endpos = j
    name_match = _TAG_NAME.match(data, i + 1)
    k = name_match.end()  # type: ignore[union-attr]  # a letter follows the "<"
    attrs: list[HtmlAttr] = []
    while k < endpos:
        m = _ATTRIBUTE.match(data, k)
        if m is None:
            break
        name_start, name_end = m.span(1)
        if m.group(2):
            value_start, value_end = m.span(3)
            end = value_end
            value = m.group(3)
            if value_end - value_start >= 2 and value[0] in "\"'" and value[-1] == value[0]:
                value_start += 1
                value_end -= 1
                value = value[1:-1]
            if "&" in value:
                value = unescape(value)
        else:
            value = None
            value_start = value_end = end = name_end
        attrs.append(
            _new(HtmlAttr, (m.group(1).lower(), value, base + name_start, base + end, base + value_start, base + value_end))
        )
        k = m.end()
    tail = data[k:endpos].strip()
    if tail == ">":
        kind = "start"
    elif tail == "/>":
        kind = "startend"
    else:
        return endpos, None  # not a tag after all: text
    name = name_match.group(1).lower()  # type: ignore[union-attr]
    return endpos, _new(HtmlTag, (kind, name, base + i, base + endpos, tuple(attrs), block, fragment))


def _simple_start_tag(m: "re.Match[str]", data: str, base: int, block: bool, fragment: int) -> tuple[int, HtmlTag]:
    """The tag :data:`_SIMPLE_START_TAG` matched, built as :func:`_start_tag` builds it."""
    attrs: list[HtmlAttr] = []
    if m.end(2) > m.start(2):
        for a in _SIMPLE_ATTRIBUTE.finditer(data, m.start(2), m.end(2)):
            name_start, name_end = a.span(1)
            quoted = a.group(2)
            if quoted is None:
                value = None
                value_start = value_end = end = name_end
            else:
                value_start, end = a.span(2)
                value_start += 1
                value_end = end - 1
                value = quoted[1:-1]
                if "&" in value:
                    value = unescape(value)
            attrs.append(_new(HtmlAttr, (
                a.group(1).lower(), value, base + name_start, base + end, base + value_start, base + value_end,
            )))
    endpos = m.end()
    kind = "startend" if m.group(3) else "start"
    return endpos, _new(HtmlTag, (kind, m.group(1).lower(), base + m.start(), base + endpos, tuple(attrs), block, fragment))
