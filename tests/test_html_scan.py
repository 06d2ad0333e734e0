"""The HTML scanner, naislint's only tokenizer, gives exactly the tags of the standard
parser it mirrors (Python 3.10-3.13 as first released).

The comparison needs that parser: on a Python whose ``html.parser`` reads malformed markup
differently it cannot be made, and the scanner's own answers (the same on every Python)
are checked by the fixtures' expected reports instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naislint.page import html, html_scan

from html_parser_oracle import PositionParser, parse, parser_is_mirrored

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: Pieces of markup, well-formed and not, that exercise every branch of the scanner.
PIECES = [
    "<", ">", "/", "</", "<!--", "-->", "-- >", "--!>", "<!", "<?", "<![", "]]>", "=", "==", "'", '"',
    " ", "\n", "\t", "\x0b", "\xa0", "\x00", "a", "div", "p", "li", "script", "style", "SCRIPT", "Style",
    "x1", "-", ":", "_", ".", "&", "&amp;", "&copy", ";", "&#65", "doctype", "DOCTYPE", "href", "class",
    "<div>", "</div>", "<p class=\"a\">", "<a href='/x?a=1&b=2' target=_blank>", "</a >", "<br/>",
    "<img src=x alt=\"\" />", "<script>", "</script>", "<style>", "</style>", "<!-- c -->", "İ",
]


def _parser_is_the_mirrored_one() -> None:
    if not parser_is_mirrored():
        pytest.skip("this Python's html.parser is not the one the scanner mirrors: nothing to compare with")


def test_the_tokenizer_does_not_depend_on_the_python_release(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the standard parser does, naislint's tags come from the scanner."""
    import html.parser as stdlib_parser

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the standard parser must not be used")

    monkeypatch.setattr(stdlib_parser.HTMLParser, "feed", refuse)
    text = '<div class="a">x</div ><!-- c -->'
    assert html.tokenize(text) == html_scan.scan(text, len(text), 0, True, 0)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*/*.md")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_tags_as_the_parser_on_every_fixture_page(path: Path) -> None:
    _parser_is_the_mirrored_one()
    text = path.read_text(encoding="utf-8", errors="replace")
    for cut in (len(text), html._complete_prefix(text)):
        assert html_scan.scan(text, cut, 3, True, 1) == parse(text, cut, 3, True, 1)


def test_same_tags_as_the_parser_on_any_markup() -> None:
    _parser_is_the_mirrored_one()

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(min_value=0, max_value=400))
    def run(pieces: list[str], cut: int) -> None:
        text = "".join(pieces)
        for end in (len(text), html._complete_prefix(text), min(cut, len(text))):
            assert html_scan.scan(text, end, 7, False, 2) == parse(text, end, 7, False, 2), (text, end)

    run()


def test_offsets_of_tags_and_attributes() -> None:
    text = '<div class="a">x</div ><!-- c --><br/><a href=/y TARGET=\'_blank\'>'
    tags = html.tokenize(text, 10)
    assert [(t.kind, t.name, text[t.start - 10 : t.end - 10]) for t in tags] == [
        ("start", "div", '<div class="a">'),
        ("end", "div", "</div >"),
        ("comment", "", "<!-- c -->"),
        ("startend", "br", "<br/>"),
        ("start", "a", "<a href=/y TARGET='_blank'>"),
    ]
    href, target = tags[-1].attrs
    assert (href.name, href.value, text[href.value_start - 10 : href.value_end - 10]) == ("href", "/y", "/y")
    assert (target.name, target.value, text[target.start - 10 : target.end - 10]) == (
        "target", "_blank", "TARGET='_blank'",
    )


def test_the_oracle_locates_attributes_as_its_search_fallback_does() -> None:
    """The oracle recovers attribute offsets by pattern, or by search where the patterns
    are missing; both must agree, or the oracle itself is wrong."""
    samples = [
        '<a  HREF = "/x/"  data-x=\'y\' z=w checked/>',
        '<img src=/a.png alt="" title="a &amp; b">',
        '<div class="row" style="padding: 0;"\n  id=main >',
        '<td text-align="center" sstyle="width:3px">',
    ]
    for raw in samples:
        fast = PositionParser(raw, 0, True, 0)
        fast.feed(raw)
        slow = PositionParser(raw, 0, True, 0)
        tags = fast.tags
        assert tags, raw
        attrs = [(a.name, a.value) for a in tags[0].attrs]
        assert slow._locate_attrs_by_search(raw, 0, attrs) == tags[0].attrs, raw
        for a in tags[0].attrs:
            assert raw[a.start : a.start + len(a.name)].lower() == a.name
