"""The HTML rules report what changes the page for its reader, and say what that is.

The fixtures hold each report's rule, line and column; these tests hold what the messages
say and the cases the independent review of the Isomer corpus found noisy: kramdown ends
an element left open in a paragraph with the paragraph, prints an end tag out of order as
text, and closes what is open at the end of the page before the layout.
"""

from __future__ import annotations

from naislint.diagnostics import Severity
from naislint.page import kramdown_tags
from naislint.page.document import Document
from naislint.registry import RuleContext, all_rules

#: Front matter that makes a page a Jekyll page, rendered by kramdown.
JEKYLL = "---\npermalink: /page/\n---\n"


def findings(name: str, text: str) -> list[tuple[int, int, str]]:
    rule = all_rules()[name]
    doc = Document.from_text(text, "page.md")
    found = rule.check(doc, RuleContext.alone(doc.path), rule.default_options())
    return [(f.span.line, f.span.column, f.message) for f in found]


# -- unclosed-html on kramdown ---------------------------------------------------------------


def test_an_end_tag_kramdown_prints_as_text_names_what_must_close_first() -> None:
    text = JEKYLL + "<table>\n<tbody>\n<tr><td>Mon</td><td>9am</td>\n</tbody>\n</table>\n"
    ((line, column, message),) = findings("unclosed-html", text)
    assert (line, column) == (7, 1)
    assert message.startswith("</tbody> shows as text on the page")
    assert "<tr> (line 6)" in message and "add </tr> before it" in message


def test_two_end_tags_shown_as_text_by_one_open_paragraph_are_one_report() -> None:
    text = JEKYLL + "<div class=\"a\">\n<div>\n<p>Text never closed\n</div>\n</div>\n"
    found = findings("unclosed-html", text)
    assert [(line, column) for line, column, _ in found] == [(7, 1)]
    assert "<p> (line 6)" in found[0][2]


def test_formatting_left_open_ends_with_its_paragraph() -> None:
    text = JEKYLL + "Some <b>bold text\nover two lines.\n\nThe next paragraph.\n"
    ((line, column, message),) = findings("unclosed-html", text)
    assert (line, column) == (4, 6)
    assert "end of the paragraph" in message and "rest of the paragraph is bold" in message
    assert "end of the page" not in message


def test_an_end_tag_typed_as_a_start_tag_is_one_report_at_the_second() -> None:
    text = JEKYLL + "Activities<sup>1<sup>. More text.\n"
    assert findings("unclosed-html", text) == [
        (4, 17, "<sup> here is probably meant to be </sup>: as written, neither <sup> is closed "
                "and the rest of the paragraph is superscript"),
    ]


def test_a_link_or_a_paragraph_wide_element_left_open_changes_nothing_a_reader_sees() -> None:
    text = JEKYLL + (
        "Source: <a href=\"https://www.youtube.com/embed/x\">Title. (2020). *CGTN.* Retrieved 2020.\n\n"
        "<i>The whole paragraph is italic, as was meant.\n\n"
        "A <span>bare span.\n"
    )
    assert findings("unclosed-html", text) == []


def test_what_kramdown_closes_at_the_end_of_the_page_where_it_belongs_is_not_reported() -> None:
    text = JEKYLL + (
        "<style>\nh2 { color: teal; }\n</style>\n<div class=\"container\">\n<h1>Policy</h1>\n"
        "<div>\n<p>A plain div only groups.</p>\n"
        "<div class=\"grid-row\">\n  <div class=\"lists\">\n    <p>The last thing on the page.</p>\n"
    )
    assert findings("unclosed-html", text) == []


def test_a_repeated_component_left_open_names_the_line_its_end_tag_belongs_before() -> None:
    item = "<div class=\"new-accordion\">\n<label>Q</label>\n<div class=\"content\"><p>A</p></div>\n\n"
    text = JEKYLL + "Intro.\n\n" + item + item + "</div>\n"
    ((line, column, message),) = findings("unclosed-html", text)
    assert (line, column) == (6, 1)
    assert "(line 10)" in message and "add </div> before line 10" in message


def test_the_end_tag_of_a_component_goes_before_an_empty_paragraph_left_open() -> None:
    """kramdown needs the ``<p>`` closed before the ``</div>``: the end tag belongs before
    it. With a component still open inside, where each end tag goes is the author's call."""
    section = "<div class=\"faq\">\n<h2>Q</h2>\n"
    text = JEKYLL + "FAQ:\n\n" + section + "<p>\n" + section + "<div class=\"kontainer\">\n<p>A</p>\n" + section
    ((line, column, message),) = findings("unclosed-html", text)
    assert (line, column) == (6, 1)
    assert message.endswith("add </div> before line 8")


def test_a_bare_paragraph_around_a_heading_is_not_reported_a_styled_one_is() -> None:
    text = JEKYLL + "<p><h5>Title</h5></p>\n\n<p class=\"has-text-centered\"><h5>Title</h5></p>\n"
    ((line, column, message),) = findings("unclosed-html", text)
    assert (line, column) == (6, 30)
    assert "class or style does not apply" in message


def test_kramdown_reads_every_line_of_a_raw_block_as_html() -> None:
    """An indented line after a blank line is a code block to CommonMark but HTML inside
    kramdown's raw block: its ``</p>`` closes the paragraph (the Jekyll docs' tables)."""
    text = JEKYLL + "<table>\n<tr>\n<td>\n<p>\n\n          Layout file to use.\n\n        </p>\n</td>\n</tr>\n</table>\n"
    doc = Document.from_text(text, "page.md")
    found = kramdown_tags.pairing(doc)
    assert found.text_end_tags == () and found.left_open == ()


def test_a_markdown_span_element_inside_block_html_pairs_its_own_end_tag() -> None:
    text = JEKYLL + "<div class=\"note\">\n  <h5 markdown=\"1\">Diving in</h5>\n  <p markdown=\"1\">Run `jekyll new`.</p>\n</div>\n"
    assert findings("unclosed-html", text) == []


# -- unclosed-html on GFM (a browser pairs the tags) ------------------------------------------


def test_on_gfm_only_formatting_elements_run_to_the_end_of_the_page() -> None:
    found = findings("unclosed-html", "Some <b>bold and<sup>1\n\nNext.\n")
    assert [m for _, _, m in found] == [
        "<b> is never closed: it runs to the end of the page",
        "<sup> is never closed: it runs to the end of its paragraph",
    ]


# -- stray-html --------------------------------------------------------------------------------


def test_stray_html_reports_what_a_browser_acts_on() -> None:
    text = (
        '<link href="https://fonts.googleapis.com/css2?family=Lato" rel="stylesheet">\n\n'
        '<img src="/a.png" sstyle="width:300px" alt="A"> <img src="/b.png" atl="B">\n\n'
        '<td text-align="center" foo="1">x</td>\n\n<meta name="viewport" content="width=device-width">\n\n'
        "<p>Word<o:p></o:p></p>\n"
    )
    found = findings("stray-html", text)
    assert [(line, column) for line, column, _ in found] == [(1, 1), (3, 19), (3, 67)]
    assert "load the stylesheet from the site's CSS" in found[0][2]
    assert "probably a misspelt 'style'" in found[1][2]
    assert "probably a misspelt 'alt'" in found[2][2]


# -- empty-html ----------------------------------------------------------------------------------


def test_empty_html_reports_emptiness_a_reader_meets() -> None:
    text = (
        'See <a href="/contact/"></a> here.\n\n<ul>\n<li></li>\n<li class="grid-item filler"></li>\n</ul>\n\n'
        'Bold<b> </b>space, underlined<u> </u>space.\n\n<div style="padding: 12.5% 0;"></div>\n'
    )
    found = findings("empty-html", text)
    assert [(line, column) for line, column, _ in found] == [(1, 5), (4, 1), (8, 30)]
    assert found[0][2].startswith("empty link")
    assert found[1][2].startswith("empty list item: the list shows a bullet")
    assert "replace it with a plain space" in found[2][2]


# -- inline-style --------------------------------------------------------------------------------


def test_the_signs_of_a_word_processor_paste() -> None:
    from naislint.rules.inline_style import pasted

    assert pasted("margin-bottom:.0001pt;mso-add-space:auto") == ["margin-bottom: .0001pt", "mso-add-space: auto"]
    assert pasted("font-size:10.5pt;font-family:'Times New Roman',serif") == [
        "font-size: 10.5pt", "font-family: 'Times New Roman',serif",
    ]
    assert pasted("font-size:8pt; line-height:10px;") == []
    assert pasted("color:#c9c8cd; font-family:Arial,sans-serif; font-size:14px;") == []
    assert pasted("width:4.00521in;height:2.93528in") == []


# -- unsafe-html ---------------------------------------------------------------------------------


def test_a_script_that_finds_nothing_on_its_page_is_to_be_deleted() -> None:
    script = '<script>\nvar acc = document.getElementsByClassName("accordion");\n</script>\n'
    dead = findings("unsafe-html", script)
    live = findings("unsafe-html", '<button class="accordion">More</button>\n\n' + script)
    assert dead[0][2].startswith('inline <script> that finds nothing on this page (no element has class "accordion")')
    assert "delete it" in dead[0][2]
    rule = all_rules()["unsafe-html"]
    doc = Document.from_text(script, "page.md")
    severities = [f.severity for f in rule.check(doc, RuleContext.alone(doc.path), rule.default_options())]
    assert severities == [Severity.WARNING]
    assert live[0][2] == "inline <script>: page content should not run code; move it to the site's assets"
