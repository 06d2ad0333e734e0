"""The standard library's HTML parser driven to give tags with offsets: the oracle that
:mod:`naislint.page.html_scan` is tested against.

naislint reads HTML with its scanner alone, so that its reports do not change with the
Python patch release. The scanner mirrors ``html.parser`` of Python 3.10-3.13 as first
released; this module is that parser with file offsets recovered from its events, and
:func:`parser_is_mirrored` says whether the running Python's parser is still that one.
"""

from __future__ import annotations

import html.parser as _stdlib_parser
from html.parser import HTMLParser
from typing import Callable

from naislint.page.html import HtmlAttr, HtmlTag
from naislint.page.html_scan import scan

# The standard parser's own patterns for a tag name and an attribute (module attributes
# of html.parser, stable across Python 3.8-3.13); reused to locate what it parsed.
_TAGFIND = getattr(_stdlib_parser, "tagfind_tolerant", None)
_ATTRFIND = getattr(_stdlib_parser, "attrfind_tolerant", None)


class PositionParser(HTMLParser):
    """Collects tags with offsets relative to the fed text."""

    def __init__(self, text: str, base: int, block: bool, fragment: int) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.base = base
        self.block = block
        self.fragment = fragment
        self.tags: list[HtmlTag] = []
        starts = [0]
        pos = text.find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self._starts = starts

    def _here(self) -> int:
        line, col = self.getpos()
        return self._starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, "start")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, "startend")

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], kind: str) -> None:
        start = self._here()
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        self.tags.append(
            HtmlTag(kind, tag, self.base + start, self.base + end, self._locate_attrs(raw, start, attrs),
                    self.block, self.fragment)
        )

    def _locate_attrs(
        self, raw: str, start: int, attrs: list[tuple[str, str | None]]
    ) -> tuple[HtmlAttr, ...]:
        """Positions of the parsed attributes in the raw tag text.

        The standard parser found them by matching its own attribute pattern from the end
        of the tag name; matching the same pattern again gives their exact positions,
        one match per attribute, in the same order.
        """
        if not attrs:
            return ()
        if _ATTRFIND is None or _TAGFIND is None:
            return self._locate_attrs_by_search(raw, start, attrs)
        base = self.base + start
        name_match = _TAGFIND.match(raw, 1)
        k = name_match.end() if name_match else 1
        located = []
        for name, value in attrs:
            m = _ATTRFIND.match(raw, k)
            if m is None:
                return self._locate_attrs_by_search(raw, start, attrs)
            name_start, name_end = m.span(1)
            if m.group(2):
                value_start, value_end = m.span(3)
                end = value_end
                if value_end - value_start >= 2 and raw[value_start] in "\"'" and raw[value_end - 1] == raw[value_start]:
                    value_start += 1
                    value_end -= 1
            else:
                value_start = value_end = end = name_end
            located.append(
                HtmlAttr(name, value, base + name_start, base + end, base + value_start, base + value_end)
            )
            k = m.end()
        return tuple(located)

    def _locate_attrs_by_search(
        self, raw: str, start: int, attrs: list[tuple[str, str | None]]
    ) -> tuple[HtmlAttr, ...]:
        """Find each parsed attribute in the raw tag text, left to right, by searching
        for its name (for Python versions whose parser patterns are not reachable)."""
        lower = raw.lower()
        if len(lower) != len(raw):  # a few letters lower-case to two ("İ"): keep offsets aligned
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in raw)
        cursor = 1
        while cursor < len(raw) and not raw[cursor].isspace() and raw[cursor] not in "/>":
            cursor += 1  # skip the tag name
        located = []
        for name, value in attrs:
            at = lower.find(name, cursor)
            if at == -1:
                at = cursor
            name_end = at + len(name)
            value_start = value_end = name_end
            after = name_end
            j = name_end
            while j < len(raw) and raw[j].isspace():
                j += 1
            if j < len(raw) and raw[j] == "=":
                j += 1
                while j < len(raw) and raw[j].isspace():
                    j += 1
                if j < len(raw) and raw[j] in "\"'":
                    quote = raw[j]
                    close = raw.find(quote, j + 1)
                    close = len(raw) if close == -1 else close
                    value_start, value_end = j + 1, close
                    after = min(close + 1, len(raw))
                else:
                    k = j
                    while k < len(raw) and not raw[k].isspace() and raw[k] != ">":
                        k += 1
                    value_start, value_end = j, k
                    after = k
            # A name the parser normalised beyond recognition is not found: keep every
            # offset inside the tag and in order all the same.
            limit = len(raw)
            at = min(at, limit)
            value_start = min(max(value_start, at), limit)
            value_end = min(max(value_end, value_start), limit)
            after = min(max(after, value_end), limit)
            located.append(
                HtmlAttr(
                    name,
                    value,
                    self.base + start + at,
                    self.base + start + after,
                    self.base + start + value_start,
                    self.base + start + value_end,
                )
            )
            cursor = after
        return tuple(located)

    def handle_endtag(self, tag: str) -> None:
        start = self._here()
        end = self.text.find(">", start)
        end = len(self.text) if end == -1 else end + 1
        self.tags.append(HtmlTag("end", tag, self.base + start, self.base + end, (), self.block, self.fragment))

    def handle_comment(self, data: str) -> None:
        start = self._here()
        end = start + len(data) + 7  # <!--data-->
        if not self.text.startswith("<!--", start) or not self.text.startswith("-->", end - 3):
            # A bogus comment (``<!x>``, ``</ x>``, ``<?pi>``): it ends at the next ``>``.
            close = self.text.find(">", start + 2)
            end = len(self.text) if close == -1 else close + 1
        self.tags.append(HtmlTag("comment", "", self.base + start, self.base + end, (), self.block, self.fragment))

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """``<![CDATA[``, ``<![if ...]>``: in HTML content a bogus comment up to the next ``>``.

        The standard parser searches the rest of the text for ``]]>`` at every ``<![``
        (quadratic on a line of them) and raises on an unknown keyword, which used to
        end the fragment's tokenizing early.
        """
        end = self.rawdata.find(">", i + 3)
        return -1 if end == -1 else end + 1

    def handle_decl(self, decl: str) -> None:
        start = self._here()
        end = min(start + len(decl) + 3, len(self.text))
        self.tags.append(HtmlTag("decl", "", self.base + start, self.base + end, (), self.block, self.fragment))


def parse(text: str, cut: int, base: int, block: bool, fragment: int) -> list[HtmlTag]:
    """The tags the standard parser reports in ``text[:cut]``."""
    parser = PositionParser(text, base, block, fragment)
    try:
        parser.feed(text[:cut])
        parser.close()
    except (AssertionError, ValueError, IndexError):
        pass
    return parser.tags


#: Markup on which Python releases tokenize differently (attribute values' character
#: references, what counts as whitespace in a tag, how comments and raw text end, end tags
#: with attributes, bogus comments, unfinished tags).
PROBES = (
    '<a href="/x?a=1&amp;b=2&copy=3&lt" title=\'&lt;b&gt; &#65;\' data-x=&quot;y>t</a>',
    "<p\x0bclass=x\xa0y id=\u3000z>\x0c<b\x00c>",
    "<!-- a --!><b>x</b> -- > <!--><i>y</i> --> <!---><u>z</u> -->",
    "<script>if (a</b) {}</script >x</script><style>p{}</style foo></style>",
    "<SCRIPT>x</Script\n><STYLE>y</STYLE\t>",
    '</a b="c>d"> </ a> </> </1> <//x> </a\n>',
    "<a b=='c' d/e f=> <a/b/c> <img src=x/> <br/> <p / > <p/ >",
    "<![CDATA[x]]> <![if !IE]> <!doctype html> <!DOCTYPE x> <?pi?> <!x> <!>",
    "<a b='unfinished <c d=\"e\"> <f g=h <i> <j =k> <l 'm'> <n \"o\"=p>",
    "<a b=c\nd='e\nf'\n>",
)


def agrees_with(reference: Callable[[str, int, int, bool, int], list[HtmlTag]]) -> bool:
    """Does :func:`scan` give the reference tokenizer's tags on every probe?

    ``reference`` takes the same arguments as :func:`scan`.
    """
    for probe in PROBES:
        for cut in (len(probe), probe.rfind(">") + 1, probe.find("<", 1)):
            if scan(probe, cut, 3, True, 0) != reference(probe, cut, 3, True, 0):
                return False
    return True


def parser_is_mirrored() -> bool:
    """Is the running Python's ``html.parser`` the one the scanner mirrors?"""
    return agrees_with(parse)
