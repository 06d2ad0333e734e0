"""The older rules speak in the site's renderer's terms: raw regions, ownership, messages.

The fixtures (tests/fixtures/<rule>/{kramdown,kramdown-block,gfm}/) check rule, line and
column under each renderer; these tests check what the fixtures cannot: the words of the
messages, which fixes stay, and the split of work between markdown-in-html and
visible-markup. Every expectation was read off kramdown 2.4's and cmark-gfm's output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from naislint.diagnostics import Severity
from naislint.page.document import Document
from naislint.run.engine import lint_text
from naislint.page import literal
from naislint.page.renderer import Renderer

from shared_data import SEED, mark_needs

KRAMDOWN_SITE = "title: kramdown site\n"
GFM_SITE = "markdown: CommonMarkGhPages\n"


def _lint(tmp_path: Path, config: str, text: str, *rules: str) -> list:
    """Lint ``text`` as a page of a site of its own (one folder per config: site configs
    are cached per folder)."""
    site = tmp_path / ("gfm" if "CommonMark" in config else "kramdown")
    site.mkdir(exist_ok=True)
    (site / "_config.yml").write_text(config, encoding="utf-8")
    page = site / "page.md"
    page.write_text(text, encoding="utf-8")
    return [d for d in lint_text(text, str(page), extend_select=rules) if d.rule in rules]


@mark_needs(SEED)
def test_seed_emphasis_and_entity_reports_say_kramdown_prints_the_div_literally(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "nais.md")
    (tmp_path / "_config.yml").write_text(KRAMDOWN_SITE, encoding="utf-8")
    # The seed's &nbsp; are all glued between words (they show as plain spaces): asked for.
    (tmp_path / ".naislint.yml").write_text("rules:\n  nbsp-entity:\n    glued: true\n", encoding="utf-8")
    text = SEED.read_text(encoding="utf-8")
    found = lint_text(text, str(tmp_path / "nais.md"), extend_select=("split-emphasis", "nbsp-entity"))
    note = "kramdown prints this <div>'s content (lines 85-133) literally, see visible-markup"
    split = [d for d in found if d.rule == "split-emphasis"]
    assert [d.line for d in split] == [128, 130]
    assert all(note in d.message and d.fix is not None for d in split)  # the fix is kept
    inside = [d for d in found if d.rule == "nbsp-entity" and 85 <= d.line <= 133]
    outside = [d for d in found if d.rule == "nbsp-entity" and not 85 <= d.line <= 133]
    assert inside and all(note in d.message for d in inside)
    assert all("literally" not in d.message for d in outside)


def test_split_emphasis_says_what_each_renderer_shows(tmp_path: Path) -> None:
    text = "Raise **security and resilie****nce** baseline\n"
    (kd,) = _lint(tmp_path, KRAMDOWN_SITE, text, "split-emphasis")
    # kramdown 2.4 prints <strong>security and resilie</strong><strong>nce</strong>: it
    # looks like one bold run, so the report is info and says the page looks right.
    assert "which look like one, so the page shows nothing wrong" in kd.message
    assert kd.severity == Severity.INFO and kd.fix is not None
    (gfm,) = _lint(tmp_path, GFM_SITE, text, "split-emphasis")
    assert "GFM prints the '****' inside the bold phrase" in gfm.message
    assert gfm.severity == Severity.WARNING


def test_list_numbering_restart_speaks_of_the_renderer(tmp_path: Path) -> None:
    text = "1. One\n2. Two\n\n<div></div>\n\n4. Four\n"
    (kd,) = _lint(tmp_path, KRAMDOWN_SITE, text, "list-numbering")
    assert "readers see 1. here, not 3." in kd.message and '{: start="3"}' in kd.message
    (gfm,) = _lint(tmp_path, GFM_SITE, text, "list-numbering")
    assert "GFM starts the new list at its first number, so readers see 4. here, not 3." in gfm.message


def test_markdown_in_html_leaves_a_region_with_inline_markdown_to_visible_markup(tmp_path: Path) -> None:
    text = "<div>\n\nRead **the guide**\n- one\n- two\n\n</div>\n"
    found = _lint(tmp_path, KRAMDOWN_SITE, text, "markdown-in-html", "visible-markup")
    assert [(d.rule, d.line) for d in found] == [("visible-markup", 1)]


def test_markdown_in_html_reports_a_list_in_a_raw_div_with_markdown_1_as_the_fix(tmp_path: Path) -> None:
    text = "<div>\n\nTypes of leave:\n- one\n- two\n\n</div>\n"
    found = _lint(tmp_path, KRAMDOWN_SITE, text, "markdown-in-html", "visible-markup")
    assert [(d.rule, d.line, d.column) for d in found] == [("markdown-in-html", 4, 1), ("markdown-in-html", 5, 1)]
    assert 'add markdown="1" to the <div> on line 1' in found[0].message
    assert "blank line" not in found[0].message.split(";")[-1]
    # GFM ends the <div> at its blank line: the list is a list there.
    assert _lint(tmp_path, GFM_SITE, text, "markdown-in-html", "visible-markup") == []


def test_markdown_in_html_leaves_a_single_dash_and_broken_steps_alone(tmp_path: Path) -> None:
    text = ("<div>\nOpen on weekdays\n- except holidays.\n</div>\n\n"
            "<div>\n1. Fill in the form<br>\n2. Pay the fee<br>\n</div>\n")
    for config in (KRAMDOWN_SITE, GFM_SITE):
        assert _lint(tmp_path, config, text, "markdown-in-html") == []


def test_the_lines_kramdown_reads_as_markdown_inside_commonmark_html_blocks() -> None:
    text = ('<p>one</p>\n**two** [l](/x/)\nmore\n\n<div>\n\n[raw](/y/)\n\n</div>\n'
            '<div markdown="1">\n[in](/z/)\n</div>\n')
    doc = Document.from_text(text)
    doc.memo("page.renderer", lambda: Renderer("kramdown"))
    assert [text[a:b] for a, b in literal.markdown_in_html_blocks(doc)] == [
        "**two** [l](/x/)\nmore", '<div markdown="1">\n[in](/z/)\n</div>']
    gfm = Document.from_text(text)
    gfm.memo("page.renderer", lambda: Renderer("gfm"))
    assert literal.markdown_in_html_blocks(gfm) == []


def test_a_hash_line_inside_raw_html_is_no_heading_on_kramdown() -> None:
    """kramdown prints a '#' line inside a raw <div> as text (the fix property test found
    heading-structure offering to demote one): the outline holds only real headings."""
    from naislint.page.document import Document
    from naislint.rules.heading_increment import headings

    text = ("---\ntitle: T\npermalink: /t/\n---\n<div class=\"x\">\n\t\n<p>a</p>\n\n"
            "# \t<table><tr><td>x</td></tr></table>\n</div>\n\n# Real\n\n<h3>Also real</h3>\n")
    doc = Document.from_text(text, "page.md")
    assert [(doc.position(at)[0], level) for at, _end, level in headings(doc)] == [(12, 1), (14, 3)]


NESTED = (
    "---\ntitle: FAQ\n---\n"
    '<div class="container">\n'
    '<div class="accordion-content">\n'
    "<p>Read the [award](https://example.org/pae/) notes.</p>\n"
    "</div>\n"
    "</div>\n"
)


def test_visible_markup_names_the_element_that_holds_the_markdown(tmp_path: Path) -> None:
    """kramdown reads a nested <p> raw even with markdown="1" on the outer <div>: the
    advice names the <p> (checked with kramdown 2.4: markdown="1" on the <p> makes the link)."""
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, NESTED, "visible-markup")
    assert (found.line, found.column) == (4, 1)
    assert 'add markdown="1" to the <p> on line 6 that holds it' in found.message


def test_visible_markup_never_advises_markdown_1_over_indented_lines(tmp_path: Path) -> None:
    """With markdown="1", lines indented by a tab become a code block: write HTML instead."""
    text = "---\ntitle: Guide\n---\n<div class=\"acc\">\n<ul>\n\t<li>Visit [our site](/x/) today</li>\n</ul>\n</div>\n"
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, text, "visible-markup")
    assert "write it in HTML" in found.message and "<li> on line 6" in found.message
    assert 'add markdown="1"' not in found.message


def test_visible_markup_tells_to_delete_a_stray_hash_before_an_html_table(tmp_path: Path) -> None:
    """'# <table>' inside a raw <div> shows a stray '#': with markdown="1" on the <div>
    kramdown 2.4 makes the line an <h1> whose text is the table's tags, escaped, and the
    tab-indented rows after it code. The advice is to delete the '#'."""
    text = ("---\ntitle: Giveaway\n---\n<div class=\"acc\">\n<div class=\"acc-content\">\n\t\n"
            "<table style=\"width: auto;\"></table>\n\n# \t<table><tbody><tr><th>S/N</th></tr>\n"
            "\t<tr><td>1</td></tr>\n</tbody></table>\n</div>\n</div>\n")
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, text, "visible-markup")
    assert (found.line, found.column) == (4, 1)
    assert "delete the '#' before the <table> on line 9" in found.message
    assert 'add markdown="1"' not in found.message
    # With other markdown in the region too, the '#' is still to delete, the rest to mark.
    both = text.replace("</tbody></table>\n</div>", "</tbody></table>\n<p>See [the rules](/r/)</p>\n</div>")
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, both, "visible-markup")
    assert "delete the '#' before the <table> on line 9" in found.message
    assert 'and for the rest, add markdown="1" to the <p> on line 12' in found.message


def test_visible_markup_never_advises_markdown_1_over_an_indented_line_of_the_holder(tmp_path: Path) -> None:
    """The holder's own lines decide, not only the line with the markdown: kramdown 2.4 with
    markdown="1" on the inner <div> prints the tab-indented <p> after a blank line as code.
    An indented line inside a nested HTML element stays HTML there, and is no reason."""
    text = ("---\ntitle: Guide\n---\n<div class=\"x\">\n<div class=\"inner\">\n<p>a</p>\n\n"
            "\t<p>b</p>\n\n[link](/x/)\n</div>\n</div>\n")
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, text, "visible-markup")
    assert "write it in HTML (<a href>, <strong>, <em>) inside the <div> on line 5" in found.message
    assert "line 8 in it is indented" in found.message and 'add markdown="1"' not in found.message
    nested = text.replace("<p>a</p>\n\n\t<p>b</p>", "<table>\n\n\t<tr><td>b</td></tr>\n</table>")
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, nested, "visible-markup")
    assert 'add markdown="1" to the <div> on line 5 that holds it' in found.message


def test_visible_markup_tells_to_delete_a_lone_bold_marker(tmp_path: Path) -> None:
    """'shared** last year': the only '**' of the paragraph has no partner; moving the space
    cannot make it bold. A marker with a partner still gets the space advice."""
    text = "The scheme, which was shared** last year, links retiring hawkers.\n"
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, text, "visible-markup")
    assert (found.line, found.column) == (1, 29)
    assert "no partner" in found.message and found.message.endswith("delete it")
    assert "move the space" not in found.message
    (padded,) = _lint(tmp_path, GFM_SITE, "Opening of **SIWW2021 ** today\n", "visible-markup")
    assert "move the space outside the marker" in padded.message


def test_visible_markup_leaves_a_lone_starred_flag_in_html_alone(tmp_path: Path) -> None:
    """'*New*' typed inside an HTML list is text the author meant; two or more pieces of
    markdown, or anything but italics, is still reported."""
    lone = "---\ntitle: Guide\n---\n<ul>\n<li><b> *New - April 2020* Log in</b></li>\n</ul>\n"
    assert _lint(tmp_path, KRAMDOWN_SITE, lone, "visible-markup") == []
    two = lone.replace("Log in", "Log in *Beta*")
    assert [(d.line, d.column) for d in _lint(tmp_path, KRAMDOWN_SITE, two, "visible-markup")] == [(4, 1)]


def test_visible_markup_advice_for_an_empty_or_space_padded_pair(tmp_path: Path) -> None:
    empty = "---\ntitle: Plan\n---\nAround Jurong Island by 2030. ** **\n"
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, empty, "visible-markup")
    assert (found.line, found.column) == (4, 31) and "'** **' marks nothing; delete it" in found.message
    padded = "---\ntitle: Notes\n---\n**Host: **Jeremy Rickard\n"
    (found,) = _lint(tmp_path, GFM_SITE, padded, "visible-markup")
    assert "move the space outside the marker" in found.message


def test_visible_markup_tells_to_cut_a_doubled_bold_marker(tmp_path: Path) -> None:
    """'****Text****' prints as '<strong>**Text</strong>**' (kramdown 2.4): nothing is left
    to close; the fix is one '**' on each side."""
    text = "---\ntitle: Release\n---\n****Please Remain Vigilant****\n"
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, text, "visible-markup")
    assert (found.rule, found.line, found.column) == ("visible-markup", 4, 3)
    assert found.message == (
        "bold marker '**' shows as literal characters: '****' is the bold marker written twice, "
        "which kramdown does not read as one bold; cut each '****' to '**' "
        "('**Please Remain Vigilant**', not '****Please Remain Vigilant****')"
    )


def test_visible_markup_says_the_rest_of_the_page_is_raw_only_when_something_follows(tmp_path: Path) -> None:
    """A <tr> left open in the page's last table keeps the page raw to its end, but after
    the table's </table> there is nothing to show: the message does not say the rest of
    the page is raw. With a paragraph after the table it does."""
    text = ("---\ntitle: Careers\n---\nWe offer:\n\n<table class=\"table\">\n<tbody>\n<tr>\n"
            "<td>\\\n**Leave Entitlement**\n- Marriage Leave</td>\n<td>Insurance</td>\n\n</table>\n\n")
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, text, "visible-markup")
    assert (found.rule, found.line, found.column) == ("visible-markup", 6, 1)
    assert "the <tr> on line 8 is never closed: add markdown=\"1\" to the <td> on line 9" in found.message
    assert "end of the page" not in found.message
    (found,) = _lint(tmp_path, KRAMDOWN_SITE, text + "Apply by **1 May**.\n", "visible-markup")
    assert (found.rule, found.line, found.column) == ("visible-markup", 6, 1)
    assert ("the <tr> on line 8 is never closed, so everything after it to the end of the page "
            "is raw: add") in found.message


def test_bold_across_an_open_anchor_says_to_close_the_anchor(tmp_path: Path) -> None:
    """kramdown 2.4 prints '**<a name="x">Title**' as '**<a name="x">Title**</a>': the
    anchor with no end tag holds the rest of the paragraph, and bold cannot cross into it.
    GFM reads the same line as bold, so only the kramdown site gets the report."""
    text = '**<a name="Learning_Journey">Learning journey**\n'
    (kd,) = _lint(tmp_path, KRAMDOWN_SITE, text, "visible-markup")
    assert (kd.line, kd.column) == (1, 1)
    assert "its </a> is missing" in kd.message and 'close the anchor where it starts (<a name="…"></a>)' in kd.message
    assert _lint(tmp_path, GFM_SITE, text, "visible-markup") == []
