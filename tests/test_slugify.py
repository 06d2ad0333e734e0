"""Jekyll's ``Utils.slugify`` (default and pretty modes): the ASCII fast path gives what
the character-by-character reading of Unicode categories gives."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, strategies as st

from naislint.jekyll.permalinks import slugify


def by_category(text: str, mode: str, cased: bool) -> str:
    """The reading the rule follows for every text: a letter, mark or decimal digit (and,
    in pretty mode, one of ``._~!$&'()+,;=@``) stays; anything else is a ``-``, runs of
    ``-`` are one, and none is left at either end."""
    keep = "._~!$&'()+,;=@" if mode == "pretty" else ""
    out = "".join(ch if unicodedata.category(ch)[0] in "LM" or unicodedata.category(ch) == "Nd" or ch in keep
                  else "-" for ch in text)
    slug = re.sub(r"-{2,}", "-", out).strip("-")
    return slug if cased else slug.lower()


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40),
       st.sampled_from(["default", "pretty"]), st.booleans())
def test_ascii_text_slugifies_as_by_category(text: str, mode: str, cased: bool) -> None:
    assert slugify(text, mode, cased) == by_category(text, mode, cased)


@given(st.text(max_size=30), st.sampled_from(["default", "pretty"]), st.booleans())
def test_any_text_slugifies_as_by_category(text: str, mode: str, cased: bool) -> None:
    assert slugify(text, mode, cased) == by_category(text, mode, cased)


def test_known_slugs() -> None:
    assert slugify("Hello, World -- 2024!") == "hello-world-2024"
    assert slugify("Café & Co", "pretty", cased=True) == "Café-&-Co"
    assert slugify("--a__b--") == "a-b"
