"""The text scanners' shortcuts give exactly what their plain definitions give.

Several scanners skip work they can prove useless: the heading scanner reads only the
lines that can be fences or headers, repeated-letters compares the page with itself
shifted instead of running a back-reference regex, the anchor scanner tests tags from one
``=`` to the next. Each property here runs the plain, obviously correct version next to
the fast one on generated text built from the characters and lines that matter to it.
"""

from __future__ import annotations

import pytest

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from naislint.rules import repeated_letters, split_emphasis
from naislint.page import anchors

MANY = settings(max_examples=300, deadline=None)


# -- heading ids: every line read ---------------------------------------------------------

HEADING_LINES = st.sampled_from([
    "# h", "#h", "## a {#x}", "## b {#x}", "{: #y}", "  {: #z .c}", "---", "===", " ---", "    ---",
    "---  ", "- item", "> # q", "> text", ">", "> ---", ">> ===", "```", "~~~", "```js", "``` a ` b",
    "> ```", "\xa0```", "", "   ", "\xa0", "text", "Text", " text", "\ttext", "<div>", "<!-- c -->",
    "<!--", "-->", "a <!-- b", "c --> d", "#", "####### x", "# #", "# a #", "\t# x", "==", "- - -",
    "\f```", "`code` x", "~~~~", "````", "  ```", "# A - B", "## FAQ", "FAQ", "-", "=", "\u2003---",
    "# x\u2003", "Setext {#sid}", "# **b**", "  # x", "   #", "-- b", "=x", "  > ---", "# a  ",
    "## x ##", "# a#", "# a \t#\t", "#\tx", "! x",
])


def _plain_scan(text: str, body_start: int = 0) -> list[tuple]:
    """The heading scanner as first written: every line of the body, in turn."""
    body = text[body_start:]
    body = re.sub(r"<!--.*?(?:-->|\Z)", lambda m: re.sub(r"[^\n]", " ", m.group(0)), body, flags=re.DOTALL)
    lines = body.split("\n")
    first_line = text.count("\n", 0, body_start) + 1
    counter = anchors.IdCounter()
    found = []
    fence = None
    prev_blank, prev_text = True, None

    def ial(j):
        if j < len(lines):
            m = anchors.BLOCK_IAL_RE.match(lines[j])
            if m:
                idm = anchors.IAL_ID_RE.search(" " + m.group(1))
                if idm:
                    return idm.group(1)
        return None

    def add(line_no, level, content, i):
        explicit = None
        idm = anchors.HEADER_ID_RE.search(" " + content)
        if idm:
            explicit = idm.group(1)
            content = (" " + content)[: idm.start()].strip()
        explicit = explicit or ial(i + 1)
        hid = explicit or counter.next(anchors.gfm_base_id(content))
        found.append((line_no, level, content, hid, bool(explicit)))

    for i, raw in enumerate(lines):
        line = anchors.BLOCKQUOTE_RE.sub("", raw, count=1) if raw.lstrip().startswith(">") else raw
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            prev_blank, prev_text = False, None
            continue
        m = anchors.FENCE_RE.match(line)
        if m and not ("`" in line[m.end():] and m.group(1)[0] == "`"):
            fence, prev_text = m.group(1), None
            continue
        if not line.strip():
            prev_blank, prev_text = True, None
            continue
        m = re.match(r"^(#{1,6})[ \t]+(.*?)[ \t]*$", line)
        if m:
            prev_blank, prev_text = False, None
            # A closing run of '#' goes; a header of '#' signs alone keeps them as its text
            # (kramdown renders '# #' as <h1>#</h1>).
            content = re.sub(r"[ \t]+#+$", "", m.group(2)).rstrip()
            if content:
                add(first_line + i, len(m.group(1)), content, i)
            continue
        sm = anchors.SETEXT_RE.match(line)
        if sm and prev_text is not None:
            add(first_line + i - 1, 1 if sm.group(1)[0] == "=" else 2, prev_text.strip(), i)
            prev_blank, prev_text = False, None
            continue
        prev_text = line if prev_blank and not line.startswith((" ", "\t", "<")) else None
        prev_blank = False
    return found


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(st.lists(HEADING_LINES, max_size=30), st.booleans(), st.integers(min_value=0, max_value=40))
@example(["text", "text", "", "FAQ", "==="], False, 0)  # a blank line two lines above, after skipped ones
@example(["text", "```", "text", "", "FAQ", "---", "```", "# h"], True, 0)  # a fence around a would-be header
@example(["text", "> FAQ", "---"], False, 0)  # a blockquote line before an underline
@example(["text", "text", "", "FAQ", "> ---"], False, 0)  # an underline inside a blockquote
def test_heading_scan_reads_every_line_that_matters(lines, trailing_newline, cut):
    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    body_start = min(cut, len(text)) if cut % 3 == 0 else 0
    fast = [(h.line, h.level, h.text, h.id, h.explicit) for h in anchors.scan_headings(text, body_start)]
    assert fast == _plain_scan(text, body_start)


# -- other anchors: tags with an id, footnote labels --------------------------------------

ID_PIECES = st.sampled_from([
    "<a", "<A", "<img", "<1", " id", "ID", " name", "NAME", "=", " = ", "\n", "\t", "'x'", '"y"', ">", "<",
    "data-id", "x", "me", "-", "/", "[^f]:", "  [^g]: x", "    [^h]:", "[^i]", "]:", "[^", "\xa0[^j]:",
    "valid=", "grid =", "frame=", "id\n=", "_id=", "9id=",
])


@MANY
@given(st.lists(ID_PIECES, max_size=25), st.integers(min_value=0, max_value=30))
def test_id_tags_and_footnotes_match_their_regexes(pieces, start):
    text = "".join(pieces)
    start = min(start, len(text))
    assert [m.span() for m in anchors._html_id_tags(text, start)] == [
        m.span() for m in anchors.HTML_ID_TAG_RE.finditer(text, start)
    ]
    plain = re.compile(r"^[ \t]{0,3}\[\^([^\]\s]+)\]:", re.MULTILINE).findall(text[start:])
    assert list(anchors._footnote_names(text, start)) == plain


# -- repeated-letters: tripled letters ----------------------------------------------------

LETTERS = st.sampled_from(
    ["a", "A", "b", "B", "1", "_", " ", "\n", "-", "é", "É", "\u0130", "ß", "\u212a", "k", "哈", "\xa0", "٣", "?"]
)


def _plain_candidates(prose: str) -> list[tuple[int, int, str]]:
    """The candidates as first written: a back-reference regex over the lower-cased text."""
    lowered = prose.lower()
    text = lowered if len(lowered) == len(prose) else prose
    found, last_end = [], -1
    for m in re.finditer(r"(\w)\1\1", text):
        if not m.group(1).isalpha() or m.start() < last_end:
            continue
        start = m.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        last_end = re.compile(r"\w*").match(text, m.end()).end()
        found.append((start, last_end, m.group(1)))
    return found


@MANY
@given(st.lists(LETTERS, max_size=40))
def test_tripled_letters_are_found_as_the_regex_finds_them(chars):
    prose = "".join(chars)
    assert list(repeated_letters._candidates(prose)) == _plain_candidates(prose)


# -- split-emphasis: pages passed over ----------------------------------------------------

EMPHASIS_PIECES = st.sampled_from(["*", "**", "_", "__", "&nbsp;", "&#160;", "\xa0", " ", "a", "&", "\n"])


@MANY
@given(st.lists(EMPHASIS_PIECES, max_size=20))
def test_split_emphasis_passes_over_only_pages_without_a_match(pieces):
    prose = "".join(pieces)
    if not split_emphasis._may_match(prose):
        assert not split_emphasis.QUAD_RE.search(prose)
        assert not split_emphasis.GLUED_RE.search(prose)
