"""The text rules' shortcuts find exactly what their plain definitions find.

To keep a cold run cheap, several text rules search with a faster form of a pattern, or
skip a search when a cheap test proves it cannot match. Each property here runs the
plain definition next to the shortcut on generated text built from the characters that
matter to it, so that a change to either one that makes them differ fails here.
"""

from __future__ import annotations

import re
from unittest.mock import patch

from hypothesis import example, given, settings
from hypothesis import strategies as st

from naislint.page.text import LineIndex
from naislint.rules import doubled_word, language_of_parts, placeholder_text, visible_markup

MANY = settings(max_examples=400, deadline=None)


# -- doubled-word: the character before the word matched, the word taken whole -------------

#: Words and the characters around them that decide a match: blanks, the characters the
#: pattern refuses before and after a word, digits, underscores, letters outside ASCII and
#: the ones that equal an ASCII letter without case (Kelvin sign, long s, dotted I).
DOUBLED_PIECES = st.sampled_from([
    "the", "The", "THE", "a", "A", "in", "is", "an", "the1", "x_y", "café", "CAFÉ", "中文", "ſ", "s",
    "\u212a", "k", "K", "\u0130", "i", " ", "  ", "\t", "\n", "\n\n", " \n ", "'", "’", "&", "#", "@",
    "/", ".", "<", ">", "-", ",", "(", ")", "“", "—", "\xa0", "1", "_", "é", "\u0301",
    "the the", "a a", "The the", "is is", "the\nthe", "café Café", "k \u212a", "s ſ", "i \u0130",
])


@MANY
@given(st.lists(DOUBLED_PIECES, max_size=14), st.integers(min_value=0, max_value=6))
@example(["the", " ", "the"], 0)
@example(["the", " ", "the"], 1)
@example(["(", "the", " ", "the"], 1)
@example(["x", "(", "the", " ", "the", " ", "the", " ", "the"], 0)
def test_doubled_scan_finds_what_the_pattern_finds(pieces: list[str], start: int) -> None:
    text = "".join(pieces)
    plain = [(m.span(), m.groups()) for m in doubled_word.DOUBLED_RE.finditer(text, start)]
    fast = [((m.start(1), m.end()), m.groups()) for m in doubled_word.doubled(text, start)]
    assert fast == plain


# -- visible-markup: a raw region without any markdown character is not searched -----------

MARKUP_PIECES = st.sampled_from([
    "*", "**", "_", "__", "[", "]", "(", ")", "](", "!", "\\", "\\.", "#", "## ", "{", "}", "{:", ":", ".x",
    "a", "word", " ", "\t", "\n", "\n\n", "<b>", "</b>", "<div>", "</div>", "<code>", "</code>",
    "{{ x }}", "{% y %}", "<!-- c -->", "=", '"', "~", "`",
])


@MANY
@given(st.lists(MARKUP_PIECES, max_size=16))
@example(["<div>", "**", "a", "**", "</div>"])
@example(["<div>", "[", "a", "](", "x", ")", "</div>"])
@example(["<div>", "\n", "## ", "a", "</div>"])
def test_region_search_skipped_only_where_it_finds_nothing(pieces: list[str]) -> None:
    from naislint.page.regions import Region

    text = "".join(pieces)
    region = Region(0, len(text), "div", True, "block")
    body = visible_markup._masked_region(text, region)
    for kind, pattern in visible_markup.REGION_PATTERNS:
        for m in pattern.finditer(body):
            assert any(n in m.group(0) for n in visible_markup._REGION_NEEDLES[kind]), (kind, m.group(0))
    every = {kind: ("",) for kind in visible_markup._REGION_NEEDLES}  # "" is in every text: nothing skipped
    with patch.dict(visible_markup._REGION_NEEDLES, every):
        plain = visible_markup.region_markdown(text, region)
    assert visible_markup.region_markdown(text, region) == plain


# -- placeholder-text: one search for needles that share a beginning or an end --------------

NEEDLE_TEXT = st.text(alphabet="to ab.]|(\\*\n", max_size=30)


@MANY
@given(st.lists(st.text(alphabet="to ab.]|(\\*", min_size=1, max_size=6), min_size=1, max_size=5), NEEDLE_TEXT)
@example(["to add", "to be ", "to link"], "the way to be  done")
@example(["to add", "to be ", "to link"], "[to be added]")
@example(["sample text", "dummy text"], "a dummy text here")
@example(["ab", "b"], "xb")
def test_needle_gate_says_what_substring_search_says(needles: list[str], text: str) -> None:
    assert placeholder_text._gate(tuple(needles))(text) == any(n in text for n in needles)


@MANY
@given(st.lists(st.sampled_from([
    "to ", "to add", "to be ", "to embed", "TBD", "TBC", "TB", "XXX", "here]", "below)", "text here",
    "text goes here", "sample text", "filler text", " text", "lorem", "insert", "a", " ", "\n",
]), max_size=8))
def test_placeholder_gates_say_what_their_needles_say(pieces: list[str]) -> None:
    text = "".join(pieces)
    gates = placeholder_text._compiled(())
    for (pattern, _what, flags, needles), (_compiled, _what2, may_hold, _folded) in zip(placeholder_text._PATTERNS, gates):
        core = placeholder_text._CORES.get(pattern)
        expected = any(n in text for n in needles) and (core is None or re.search(core, text, flags) is not None)
        assert may_hold(text) == expected


NOTE_PIECES = st.sampled_from([
    "[", "(", "]", ")", "](", "IMDA", "Please", "photo", "x", " ", "  ", "\t", "\n", "to", "to ", "To ", "add",
    "added", "be", "be ", "be\t", "uploaded", "link", "linked", "hyperlink", "embedding", "-", "’",
])


@MANY
@given(st.lists(NOTE_PIECES, max_size=14))
@example(["(", "IMDA", " ", "to ", "hyperlink", " ", "x", ")"])
@example(["[", "to ", "be\t", "added", "]"])
@example(["[", "to", "\t", "add", " ", "x", "]"])
def test_every_match_of_a_pattern_holds_its_core(pieces: list[str]) -> None:
    text = "".join(pieces)
    for pattern, _what, flags, _needles in placeholder_text._PATTERNS:
        core = placeholder_text._CORES.get(pattern)
        if core is not None and re.search(pattern, text, flags):
            assert re.search(core, text, flags), (pattern, text)


# -- language-of-parts: scripts looked for in the page's distinct characters -----------------

SCRIPT_TEXT = st.text(alphabet="中文かナ한글தமிழ்ไทยहिन्दीবাংলাعربيမြန်မာ 1.,-\nabcAé’—\u3000\uff01", max_size=24)


@MANY
@given(SCRIPT_TEXT, st.integers(min_value=0, max_value=8))
@example("中文", 0)
@example("中文 abc", 3)
@example("தமிழ் x", 1)
def test_a_script_without_a_character_in_the_page_has_no_run(text: str, start: int) -> None:
    run_res, char_res, any_script, kana = language_of_parts._patterns()
    present = "".join(set(any_script.findall(text, start)))
    assert bool(kana.search(present)) == bool(kana.search(text, start))
    for name, pattern in run_res.items():
        if not char_res[name].search(present):
            assert list(pattern.finditer(text, start)) == [], name


# -- page.text: a line's start without the column arithmetic --------------------------------


@MANY
@given(st.text(alphabet="ab\n", max_size=12), st.integers(min_value=-2, max_value=16))
@example("", 1)
@example("ab\n", 2)
@example("ab\n", 3)
def test_line_start_is_the_offset_of_the_first_column(text: str, line: int) -> None:
    index = LineIndex(text)
    assert index.line_start(line) == index.offset(line, 1)


@MANY
@given(st.text(alphabet="ab\n", max_size=12), st.integers(min_value=-3, max_value=16))
def test_position_clamps_offsets_to_the_text(text: str, offset: int) -> None:
    index = LineIndex(text)
    clamped = max(0, min(offset, len(text)))
    line = text.count("\n", 0, clamped)
    assert index.position(offset) == (line + 1, clamped - (text.rfind("\n", 0, clamped) + 1) + 1)


def test_doubled_scan_allows_the_same_characters_before_a_word() -> None:
    """Every ASCII character, and a sample of others, before a doubled word and after it."""
    others = "\xa0’‘“”—–…•°é中\u0301\u212aſ\u0130\u2028\U0001f600"
    for ch in [chr(c) for c in range(128)] + list(others):
        for text in (f"{ch}the the", f"x{ch}the the{ch}", f"{ch}{ch}a A{ch}"):
            plain = [(m.span(), m.groups()) for m in doubled_word.DOUBLED_RE.finditer(text, 0)]
            fast = [((m.start(1), m.end()), m.groups()) for m in doubled_word.doubled(text, 0)]
            assert fast == plain, repr(text)


# -- visible-markup: a heading marker without its space is looked for where it can be -------

HEADING_PIECES = st.sampled_from([
    "#", "##", "###", "#######", "[a](b)", "[a]", "](", "(", "> ", ">", "- ", "* ", "1. ", "2) ", "  ", "   ",
    "\t", " ", "x", "Contact", "\n", "\n\n", "`", "<div>", "&#35;", "\\#",
])


@MANY
@given(st.lists(HEADING_PIECES, max_size=14))
@example(["##", "Contact"])
@example(["> ", "- ", "#", "[a](b)"])
@example(["\t", "- ", "\t", "##", "x"])
def test_no_space_heading_only_where_its_marker_is(pieces: list[str]) -> None:
    from naislint.page.document import Document

    text = "".join(pieces)
    for m in visible_markup._NO_SPACE_HEADING_RE.finditer(text):
        assert visible_markup._NO_SPACE_MARKER_RE.search(text, m.start()), text
    doc = Document.from_text(text)
    tokens = doc.tokens
    for k, token in enumerate(tokens[:-1]):
        if token.type == "paragraph_open" and token.map and token.map[1] - token.map[0] == 1:
            content = tokens[k + 1].content
            if visible_markup._NO_SPACE_HEADING_RE.match(content):
                assert visible_markup._NO_SPACE_MARKER_RE.search(text), text


def test_region_markdown_is_asked_again_of_another_page() -> None:
    """An answer is about the text it is asked of, never another page's, even one with a
    region at the same offsets (the answers kept for the rules that ask in turn are kept
    on each page's document: ``page_region_markdown``)."""
    from naislint.page.regions import Region

    region = Region(0, 22, "div", True, "block")
    marked = "<div>**bold** x</div>\n"
    plain = "<div>--bold-- x</div>\n"
    first = visible_markup.region_markdown(marked, region)
    assert [kind for kind, _at, _shown in first] == ["bold text"]
    assert visible_markup.region_markdown(marked, region) == first
    assert visible_markup.region_markdown(plain, region) == []
    assert visible_markup.region_markdown("".join(["<div>**bold** x</div>", "\n"]), region) == first


def test_page_region_markdown_is_kept_per_document() -> None:
    from naislint.page.document import Document
    from naislint.page.regions import raw_regions

    marked = Document.from_text("<div>**bold** x</div>\n", "a.md")
    plain = Document.from_text("<div>--bold-- x</div>\n", "b.md")
    [region] = raw_regions(marked)
    first = visible_markup.page_region_markdown(marked, region)
    assert first == visible_markup.region_markdown(marked.text, region)
    assert visible_markup.page_region_markdown(marked, region) == first
    assert visible_markup.page_region_markdown(plain, region) == []
