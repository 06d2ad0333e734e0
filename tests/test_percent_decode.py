"""``urls.percent_decode`` skips importing urllib.parse for a text without ``%``: it must
decode every text as ``unquote(text, errors="replace")`` does."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from naislint.site.urls import percent_decode


_PIECES = st.sampled_from(list("%25aAfFzZ09/#é\udcff ") + ["%e2%82%ac", "%C3", "%%"])


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_percent_decode_is_unquote(text: str) -> None:
    assert percent_decode(text) == unquote(text, errors="replace")


def test_a_text_without_percent_is_itself() -> None:
    text = "/a/b c/é"
    assert percent_decode(text) is text
