"""What the list and text rules say, judged on the page the renderer makes.

The fixtures (tests/fixtures/<rule>/) check rule, line and column; these tests check what
the fixtures cannot: the words of the messages, and options. Every expectation was read
off kramdown 2.4's (GFM input, as Jekyll renders) and cmark-gfm's output.
"""

from __future__ import annotations

from pathlib import Path

from naislint.run.engine import lint_text

KRAMDOWN_SITE = "title: kramdown site\n"
GFM_SITE = "markdown: CommonMarkGhPages\n"


def _lint(tmp_path: Path, config: str, text: str, *rules: str, naislint: str = "") -> list:
    """Lint ``text`` as a page of a site of its own (one folder per site configuration and
    naislint configuration: both are cached per folder)."""
    site = tmp_path / (("gfm" if "CommonMark" in config else "kramdown") + ("-configured" if naislint else ""))
    site.mkdir(exist_ok=True)
    (site / "_config.yml").write_text(config, encoding="utf-8")
    if naislint:
        (site / ".naislint.yml").write_text(naislint, encoding="utf-8")
    page = site / "page.md"
    page.write_text(text, encoding="utf-8")
    return [d for d in lint_text(text, str(page), extend_select=rules) if d.rule in rules]


# -- nbsp-entity --------------------------------------------------------------------------------

NOTE = "kramdown prints this <div>'s content"


def test_nbsp_in_a_raw_div_of_html_alone_says_nothing_of_literal_markdown(tmp_path: Path) -> None:
    """kramdown keeps both <div>s raw; only the second holds markdown that shows as typed
    (visible-markup reports it), so only a finding there points to visible-markup."""
    text = (
        "<div>\n<p>&nbsp;They promote</p>\n</div>\n\n"
        "<div>\n\n**Bold** text\n<p>&nbsp;Stray</p>\n\n</div>\n"
    )
    found = _lint(tmp_path, KRAMDOWN_SITE, text, "nbsp-entity", "visible-markup")
    assert [(d.rule, d.line) for d in found] == [("nbsp-entity", 2), ("visible-markup", 5), ("nbsp-entity", 8)]
    assert NOTE not in found[0].message
    assert f"{NOTE} (lines 5-10) literally, see visible-markup" in found[2].message


def test_nbsp_layout_is_reported_on_request(tmp_path: Path) -> None:
    """The spacing laid out on purpose (buttons set apart, header padding, an indent) shows
    as the author meant it: with ``layout: true`` it is reported, each with its own words."""
    text = (
        '<a class="button" href="/a/">One</a>&nbsp; <a class="button" href="/b/">Two</a>\n\n'
        "<table><tr><th>&nbsp;&nbsp;&nbsp;<br>Criteria</th><td>$&nbsp;&nbsp;&nbsp; 5,000</td></tr></table>\n\n"
        "&nbsp; &nbsp; &nbsp;**General**\n"
    )
    assert _lint(tmp_path, KRAMDOWN_SITE, text, "nbsp-entity") == []
    found = _lint(tmp_path, KRAMDOWN_SITE, text, "nbsp-entity", naislint="rules:\n  nbsp-entity:\n    layout: true\n")
    assert [(d.line, d.column) for d in found] == [(1, 37), (3, 16), (3, 56), (5, 1)]
    assert [d.message.split(":")[0] for d in found] == [
        "&nbsp; and a space set two elements apart",
        "3 &nbsp; in a row pad a line of text (before a line break or the element's end)",
        "3 &nbsp; in a row align the text of a table cell",
        "3 &nbsp; used as indentation",
    ]


# -- list-numbering -----------------------------------------------------------------------------

RENUMBERED = "1. Go to the navigation file\n3. Add a sub-link\n3. Save the file\n4. Check the menu\n"


def test_list_numbers_the_renderer_replaces_are_reported_only_on_request(tmp_path: Path) -> None:
    """kramdown and GFM number one <ol>'s items themselves: the page shows 1-4."""
    assert _lint(tmp_path, KRAMDOWN_SITE, RENUMBERED, "list-numbering") == []
    assert _lint(tmp_path, GFM_SITE, RENUMBERED, "list-numbering") == []
    found = _lint(tmp_path, KRAMDOWN_SITE, RENUMBERED, "list-numbering",
                  naislint="rules:\n  list-numbering:\n    source-numbers: true\n")
    assert [d.line for d in found] == [2, 3]
    assert all(d.message.endswith("; only the source shows it: the page numbers the list in order") for d in found)


def test_list_numbers_printed_literally_point_to_the_rule_that_reports_the_div(tmp_path: Path) -> None:
    """A raw <div> holding only a list: markdown-in-html reports its markers, visible-markup
    nothing; with bold text in it as well, the <div> is visible-markup's."""
    only_list = "<div>\n\n1. Apply\n3. Pay\n\n</div>\n"
    (alone,) = _lint(tmp_path, KRAMDOWN_SITE, only_list, "list-numbering")
    assert alone.message.endswith("kramdown prints this <div>'s content (lines 1-6) literally, see markdown-in-html")
    with_bold = "<div>\n\n**Steps**\n\n1. Apply\n3. Pay\n\n</div>\n"
    (bold,) = _lint(tmp_path, KRAMDOWN_SITE, with_bold, "list-numbering")
    assert bold.message.endswith("kramdown prints this <div>'s content (lines 1-8) literally, see visible-markup")


# -- empty-heading ------------------------------------------------------------------------------


def test_an_empty_atx_heading_on_kramdown_is_reported_as_the_text_it_shows(tmp_path: Path) -> None:
    """kramdown renders '## ' as <p>##</p> and '### ###' as <h3>###</h3>; GFM makes empty
    headings of both."""
    text = "Intro.\n\n## \n\nText.\n\n### ###\n"
    kd = _lint(tmp_path, KRAMDOWN_SITE, text, "empty-heading")
    assert [(d.line, d.message) for d in kd] == [
        (3, "kramdown makes no heading of '##' without text: the page shows '##' as a paragraph; "
            "remove the line, or write the heading's text after it"),
        (7, "kramdown shows '###' as this heading's text: remove the line, or write the heading's text"),
    ]
    gfm = _lint(tmp_path, GFM_SITE, text, "empty-heading")
    assert [(d.line, d.message) for d in gfm] == [
        (3, "empty heading (h2): give it text or remove it"),
        (7, "empty heading (h3): give it text or remove it"),
    ]


# -- split-emphasis -----------------------------------------------------------------------------


def test_split_emphasis_before_a_space_says_the_asterisks_show(tmp_path: Path) -> None:
    """kramdown and cmark-gfm both render '<strong>urgent</strong>** emergency**': nothing
    is split in two bold runs, the second run prints as asterisks."""
    text = "address the **urgent**** emergency** situation\n"
    want = ("bold runs touch ('****') before a space: the second '**' opens no bold text there, "
            "so the page shows '** emergency**' with its asterisks; join the runs")
    for config in (KRAMDOWN_SITE, GFM_SITE):
        (found,) = _lint(tmp_path, config, text, "split-emphasis")
        assert (found.line, found.column, found.message) == (1, 21, want)
        assert found.fix is not None and found.fix.safe


# -- emphasis-as-heading ------------------------------------------------------------------------


def test_emphasis_as_heading_nests_a_bold_line_right_under_another(tmp_path: Path) -> None:
    """mse's speech: '**DRIVING THE AGENDA**' then, with nothing between, '**AGENTS OF
    CHANGE**': a section and its first sub-section. The second is one level below the
    first, not a sibling; bold lines with text between them stay siblings."""
    text = ("### Speech by the Minister\n\n**INTRODUCTION**\n\nText.\n\n**DRIVING THE AGENDA**\n\n"
            "**AGENTS OF CHANGE**\n\nText.\n\n**CONCLUSION**\n\nText.\n")
    found = _lint(tmp_path, KRAMDOWN_SITE, text, "emphasis-as-heading")
    assert [(d.line, d.column, d.message.split("(")[-1]) for d in found] == [
        (3, 1, "#### INTRODUCTION)"),
        (7, 1, "#### DRIVING THE AGENDA)"),
        (9, 1, "##### AGENTS OF CHANGE)"),
        (13, 1, "#### CONCLUSION)"),
    ]
