"""The text rules' shortcuts find exactly what their plain definitions find.

To keep a cold run cheap, several text rules search with a faster form of a pattern, or
skip a search when a cheap test proves it cannot match. Each property here runs the
plain definition next to the shortcut on generated text built from the characters that
matter to it, so that a change to either one that makes them differ fails here.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from naislint.rules import doubled_word

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
