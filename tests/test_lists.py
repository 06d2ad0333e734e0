"""The logical list model and the three list rules on the mission page."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from naislint.page.document import Document
from naislint.run.engine import lint_text
from naislint.run.fix import apply_edits
from naislint.page.lists import logical_lists, normalise

from shared_data import SEED, mark_needs
LIST_RULES = ("duplicate-list-item", "list-numbering", "pseudo-list")


def list_findings(text: str, path: str = "page.md") -> list:
    return [d for d in lint_text(text, path, extend_select=LIST_RULES) if d.rule in LIST_RULES]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("**AI-focused** programmes", "ai-focused   programmes"),
        ("attracting&nbsp;<b>AI</b>", "attracting AI"),
        ("R&amp;D plans", "r&d plans"),
        ("[the site](/x/){:target=\"_blank\"}", "The site"),
        ("2019\\. was", "2019. was"),
    ],
)
def test_normalise_folds_markup_entities_case_and_spacing(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_normalise_keeps_words_apart() -> None:
    assert normalise("<li>one</li><li>two</li>") == "one two"


def test_logical_list_spans_markdown_html_wrappers_and_numbered_paragraphs() -> None:
    text = "<div>\n\n1. One\n2. Two\n\n</div>\n\n3\\. Three\n\n4\\. Four\n\nProse.\n\n5\\. Five\n"
    lists = [lst for lst in logical_lists(Document.from_text(text)).lists if lst.items]
    assert [[(i.source, i.number, i.line) for i in lst.items] for lst in lists] == [
        [("markdown", 1, 3), ("markdown", 2, 4), ("paragraph", 3, 8), ("paragraph", 4, 10)],
        [("paragraph", 5, 14)],
    ]


def test_a_heading_ends_a_list_and_a_code_block_does_not() -> None:
    text = "1. a\n2. b\n\n```\nx\n```\n\n3. c\n\n# Next\n\n4. d\n"
    lists = [lst for lst in logical_lists(Document.from_text(text)).lists if lst.items]
    assert [[i.number for i in lst.items] for lst in lists] == [[1, 2, 3], [4]]
    assert lists[0].items[2].restart == "the code block on line 4"


def test_html_lists_are_lists_of_their_own() -> None:
    text = "- a\n\n<ul>\n<li>a</li>\n<li>b <ul><li>c</li></ul></li>\n</ul>\n"
    lists = [lst for lst in logical_lists(Document.from_text(text)).lists if lst.items]
    assert [[i.text for i in lst.items] for lst in lists] == [["a"], ["a", "b"], ["c"]]


def test_the_model_is_computed_once_per_document() -> None:
    doc = Document.from_text("1. a\n2. b\n")
    assert logical_lists(doc) is logical_lists(doc)


def test_code_and_code_spans_are_not_pseudo_lists() -> None:
    text = "`1\\. x` is code\n\n    2\\. indented code\n\n```\n3\\. fenced\n```\n"
    assert list_findings(text) == []


@mark_needs(SEED)
def test_mission_page_gets_exactly_the_expected_list_diagnostics() -> None:
    found = sorted((d.rule, d.line, d.column) for d in list_findings(SEED.read_text(encoding="utf-8"), str(SEED)))
    pseudo = [93, 95, 97, 104, 106, 108, 110, 112, 120, 122, 124, 126, 128, 130]
    assert found == sorted(
        [("duplicate-list-item", 93, 1), ("list-numbering", 93, 1)] + [("pseudo-list", n, 1) for n in pseudo]
    )
    duplicate = next(d for d in list_findings(SEED.read_text(encoding="utf-8"), str(SEED)) if d.rule == "duplicate-list-item")
    assert "line 89" in duplicate.message


def _seed_site(tmp_path: Path, config: str, text: str | None = None) -> Path:
    """The seed in a site of its own whose ``_config.yml`` picks the renderer."""
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    page = tmp_path / "nais.md"
    page.write_text(text if text is not None else SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return page


SEED_DIV = '<div style="font-size:15px; line-height:15px; padding: 0px 0px 0px 20px;">'


@mark_needs(SEED)
def test_unsafe_fix_turns_each_run_into_one_ordered_list_and_is_idempotent(tmp_path: Path) -> None:
    """On a GFM site (the <div> ends at its blank line) the fix makes one list per run,
    each keeping its first number (GFM does, so no attribute list is added)."""
    page = _seed_site(tmp_path, "markdown: CommonMarkGhPages\n")
    text = page.read_text(encoding="utf-8")
    pseudo = [d for d in list_findings(text, str(page)) if d.rule == "pseudo-list"]
    assert all(d.fix is not None and not d.fix.safe for d in pseudo)
    fixed = apply_edits(text, pseudo).text
    assert [d for d in list_findings(fixed, str(page)) if d.rule == "pseudo-list"] == []
    assert "{:" not in fixed
    tokens = MarkdownIt("commonmark", {"html": True}).parse(fixed)
    lists = [(t.map[0] + 1, t.attrGet("start")) for t in tokens if t.type == "ordered_list_open"]
    # the hand-written list (87-89), then one list per run of numbered paragraphs
    assert lists == [(87, None), (93, 2), (104, 5), (120, 10)]
    items = [t.map[0] + 1 for t in tokens if t.type == "list_item_open"]
    assert items == [87, 89, 93, 95, 97, 104, 106, 108, 110, 112, 120, 122, 124, 126, 128, 130]


@mark_needs(SEED)
def test_on_kramdown_the_raw_div_gets_no_list_fix_and_says_it_prints_literally(tmp_path: Path) -> None:
    """kramdown keeps lines 85-133 raw: a list marker there would change nothing."""
    page = _seed_site(tmp_path, "title: Smart Nation\n")
    found = list_findings(page.read_text(encoding="utf-8"), str(page))
    assert sorted((d.rule, d.line) for d in found if d.rule != "pseudo-list") == [
        ("duplicate-list-item", 93), ("list-numbering", 93)]
    assert all(d.fix is None for d in found)
    assert all("kramdown prints this <div>'s content (lines 85-133) literally, see visible-markup" in d.message
               for d in found)


@mark_needs(SEED)
def test_on_kramdown_the_fix_numbers_each_run_with_an_attribute_list(tmp_path: Path) -> None:
    """With markdown="1" on the <div> the runs are paragraphs; kramdown would number a
    list from 1, so a run that starts at 5 gets {: start="5"} after its last item."""
    text = SEED.read_text(encoding="utf-8").replace(SEED_DIV, SEED_DIV[:-1] + ' markdown="1">')
    page = _seed_site(tmp_path, "title: Smart Nation\n", text)
    pseudo = [d for d in list_findings(text, str(page)) if d.rule == "pseudo-list"]
    assert [d.line for d in pseudo if 'start="' in d.message] == [93, 104, 120]
    fixed = apply_edits(text, pseudo).text
    assert [d for d in list_findings(fixed, str(page)) if d.rule == "pseudo-list"] == []
    lines = fixed.split("\n")
    assert [(n + 1, line) for n, line in enumerate(lines) if line.startswith("{:")] == [
        (98, '{: start="2"}'), (114, '{: start="5"}'), (133, '{: start="10"}')]
    assert lines[96].startswith("4. Update") and lines[112].startswith("9. Establish")


PIECES = [
    "1. a\n", "2. b\n", "1) c\n", "- d\n", "  - e\n", "\n", "2\\. f\n", "9.&nbsp;g\n", "3\\) h\n",
    "<ul>\n", "<li>i\n", "</li>\n", "</ul>\n", "<ol start=3>\n", "</ol>\n", "<div>\n", "</div>\n",
    "```\n", "    code\n", "# H\n", "> 4\\. q\n", "text\n", "<p><b>L</b></p>\n", "<p>body</p>\n",
    "<script>\n", "</script>\n", "| a |\n|---|\n", "---\n", "[^1]: note\n", "<li value=x>\n",
]


@pytest.mark.slow
def test_any_mix_of_list_shapes_is_modelled_without_error() -> None:
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(PIECES), max_size=25))
    def run(pieces: list[str]) -> None:
        text = "".join(pieces)
        for d in list_findings(text):
            assert 1 <= d.line <= text.count("\n") + 1
            if d.fix is not None:
                apply_edits(text, [d])

    run()


@pytest.mark.slow
def test_the_pseudo_list_fix_leaves_no_hand_typed_numbers() -> None:
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(PIECES), max_size=25))
    def run(pieces: list[str]) -> None:
        text = "".join(pieces)
        fixes = [d for d in list_findings(text) if d.rule == "pseudo-list"]
        fixed = apply_edits(text, fixes).text
        assert [d for d in list_findings(fixed) if d.rule == "pseudo-list"] == []

    run()


def test_normalise_skips_only_steps_that_change_nothing_and_visible_agrees() -> None:
    from hypothesis import given, settings, strategies as st

    from naislint.page.lists import _visible

    pieces = ["*", "_", "~", "`", " ", "\n", "\t", "\xa0", "\u2003", "a", "É", "1", "<b>", "</b>", "<!-- x -->",
              "[", "]", "(/x)", "[x](/y)", "{: .c}", "{#id}", "\\", "\\*", "&nbsp;", "&amp;", "&", "<", ">"]

    def every_step(text: str) -> str:
        """normalise without skipping the steps whose pattern cannot match"""
        import html as html_lib
        import re

        from naislint.page import lists

        for pattern, replacement in ((lists._TAG_RE, " "), (lists._LINK_RE, r"\1"), (lists._IAL_RE, " "),
                                     (lists._ESCAPE_RE, r"\1")):
            text = pattern.sub(replacement, text)
        text = lists._MARKUP_RE.sub("", html_lib.unescape(text))
        return re.sub(r"\s+", " ", text).strip().casefold()

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(pieces), max_size=12))
    def run(parts: list[str]) -> None:
        text = "".join(parts)
        assert normalise(text) == every_step(text), text
        assert _visible(text) == bool(normalise(text)), text

    run()
