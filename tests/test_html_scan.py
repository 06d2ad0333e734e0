"""The direct HTML scanner gives exactly the standard parser's tags, and is used only then."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naislint.page import html

from naislint.page import html_scan

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: Pieces of markup, well-formed and not, that exercise every branch of the scanner.
PIECES = [
    "<", ">", "/", "</", "<!--", "-->", "-- >", "--!>", "<!", "<?", "<![", "]]>", "=", "==", "'", '"',
    " ", "\n", "\t", "\x0b", "\xa0", "\x00", "a", "div", "p", "li", "script", "style", "SCRIPT", "Style",
    "x1", "-", ":", "_", ".", "&", "&amp;", "&copy", ";", "&#65", "doctype", "DOCTYPE", "href", "class",
    "<div>", "</div>", "<p class=\"a\">", "<a href='/x?a=1&b=2' target=_blank>", "</a >", "<br/>",
    "<img src=x alt=\"\" />", "<script>", "</script>", "<style>", "</style>", "<!-- c -->", "İ",
]


def _scanner_in_use() -> None:
    if html._scanner() is None:
        pytest.skip("this Python's html.parser reads malformed markup differently: the parser is used")


def test_the_scanner_is_used_exactly_where_it_agrees_with_the_parser() -> None:
    agrees = html_scan.agrees_with(html._parse)
    assert (html._scanner() is html_scan.scan) == agrees


def test_a_parser_that_reads_differently_is_used_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    def other_parser(text: str, cut: int, base: int, block: bool, fragment: int) -> list[html.HtmlTag]:
        return [html.HtmlTag("comment", "", base, base + cut, (), block, fragment)]

    monkeypatch.setattr(html, "_parse", other_parser)
    html._scanner.cache_clear()
    try:
        assert html._scanner() is None
        assert html.tokenize("<p>x</p>", 5) == [html.HtmlTag("comment", "", 5, 13)]
    finally:
        monkeypatch.undo()
        html._scanner.cache_clear()


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*/*.md")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_tags_as_the_parser_on_every_fixture_page(path: Path) -> None:
    _scanner_in_use()
    text = path.read_text(encoding="utf-8", errors="replace")
    for cut in (len(text), html._complete_prefix(text)):
        assert html_scan.scan(text, cut, 3, True, 1) == html._parse(text, cut, 3, True, 1)


def test_same_tags_as_the_parser_on_any_markup() -> None:
    _scanner_in_use()

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(min_value=0, max_value=400))
    def run(pieces: list[str], cut: int) -> None:
        text = "".join(pieces)
        for end in (len(text), html._complete_prefix(text), min(cut, len(text))):
            assert html_scan.scan(text, end, 7, False, 2) == html._parse(text, end, 7, False, 2), (text, end)

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
