"""The advice of a report follows its cause: the fixtures of the independent review's
cases, with the rule, line, column and what the message tells the editor to do.

Each case is a page under tests/fixtures/ (its expect markers pin rule, line and column);
here the message is checked too, since the wrong advice was the defect (``write %20`` for
an unfilled ``<no value>``, ``write 1.`` inside a bullet item, ``add </p></p>`` for a
``<p>`` typed in place of ``</p>``, ``remove it`` for an icon-only heading)."""

from __future__ import annotations

from pathlib import Path

from naislint import jekyll
from naislint.run.discover import Target
from naislint.run.engine import Linter, RunOptions

from harness import FIXTURES, read_fixture, strip_markers


def findings(relative: str, rule: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of ``rule`` on a fixture page, linted as a user would."""
    path = FIXTURES / relative
    text, _ = strip_markers(read_fixture(path))
    linter = Linter(RunOptions(extend_select=(rule,), use_cache=False))
    target = Target(str(path), str(path), jekyll.find_site_root(str(path)))
    found = linter.lint_target(target, raw=text.encode("utf-8")).diagnostics
    return [(d.line, d.column, d.message) for d in found if d.rule == rule]


def test_link_syntax_says_a_template_placeholder_was_never_filled_in() -> None:
    found = findings("link-syntax/github/placeholders.md", "link-syntax")
    assert [(line, column) for line, column, _ in found] == [(3, 27), (4, 16), (5, 9), (6, 18), (8, 39), (10, 15), (12, 14)]
    by_line = {line: message for line, _, message in found}
    for line, value in ((3, "<no value>"), (4, "{{ .Dir }}"), (5, "$kep-number"), (6, "${SIG_DIR}")):
        assert f"holds '{value}', a template placeholder that was never filled in" in by_line[line]
        assert "%20" not in by_line[line]
    assert "a quoted title and no URL" in by_line[8] and "%20" not in by_line[8]
    assert "the URL runs into text ('Frequently Asked Question s (FAQS) (2020), March 31')" in by_line[10]
    assert "%20" not in by_line[10]
    # a file name with spaces: encoding them is the fix
    assert "write '%20' for each space" in by_line[12]


def test_link_syntax_on_kramdown_tells_a_citation_from_a_stray_space() -> None:
    found = findings("link-syntax/kramdown/citation.md", "link-syntax")
    assert [(line, column) for line, column, _ in found] == [(5, 30), (7, 10), (9, 10)]
    assert "runs from the URL into text ('Frequently Asked Question s (FAQS) (2020), March 31')" in found[0][2]
    assert "remove the space or encode it" in found[1][2]
    assert "holds '<no value>', a template placeholder that was never filled in" in found[2][2]


def test_unclosed_html_turns_a_p_typed_for_an_end_tag_into_one() -> None:
    found = findings("unclosed-html/kramdown/p-typed-for-end.md", "unclosed-html")
    assert [(line, column) for line, column, _ in found] == [(9, 2), (14, 1)]
    assert "the <p> at the end of line 7 (column 86) is probably meant to be </p>" in found[0][2]
    assert found[0][2].endswith("turn it into </p>")
    assert "</p></p>" not in found[0][2]
    # two paragraphs left open on lines of their own: the end tags are the fix
    assert "add </p></p> before it" in found[1][2]


def test_empty_heading_keeps_the_icon_of_an_icon_only_heading() -> None:
    found = findings("empty-heading/icon-only.md", "empty-heading")
    assert [(line, column) for line, column, _ in found] == [(6, 5), (12, 1), (16, 1)]
    for _, _, message in found[:2]:
        assert "holds only an icon" in message and "aria-label" in message
        assert "keep the icon" in message and "remove it" not in message
    assert '(<i class="fas fa-recycle">)' in found[0][2]
    assert found[2][2] == "empty heading <h4>: give it text or remove it"


def test_unclosed_html_on_github_names_what_a_dropped_end_tag_leaves_visible() -> None:
    """GitHub drops an end tag that closes nothing: when it was typed for a markdown
    delimiter (``**<code>x</code></strong>``), the delimiter shows as text and the report
    names it (a warning); otherwise nothing shows (information). Misnested formatting the
    browser repairs as written (``<strong><em>x</strong></em>``) is not reported."""
    from naislint.diagnostics import Severity

    path = FIXTURES / "unclosed-html/github/misnested.md"
    text, _ = strip_markers(read_fixture(path))
    linter = Linter(RunOptions(use_cache=False))
    target = Target(str(path), str(path), jekyll.find_site_root(str(path)))
    found = [d for d in linter.lint_target(target, raw=text.encode("utf-8")).diagnostics if d.rule == "unclosed-html"]
    assert [(d.line, d.column, d.severity) for d in found] == [
        (7, 10, Severity.ERROR), (9, 44, Severity.WARNING), (10, 39, Severity.WARNING),
        (10, 71, Severity.WARNING), (12, 9, Severity.INFO),
    ]
    assert "the '**' at line 9, column 9 is never closed: GitHub shows it as text" in found[1].message
    assert found[1].message.endswith("write ** in place of this </strong>")
    assert "the '~~' at line 10, column 3 is never closed" in found[3].message
    assert found[4].message.endswith("GitHub drops it, so nothing shows; remove it")


def test_inline_style_reports_a_pasted_table_once_with_its_count() -> None:
    """One pasted table (Word's Aptos on every cell's <p>) is one report, at its first
    element, saying how many carry it; a paste outside a table is one per block."""
    found = findings("inline-style/pasted-table.md", "inline-style")
    assert [(line, column) for line, column, _ in found] == [(10, 20), (27, 49), (29, 4)]
    assert "on this <p> and 3 more elements of this table (lines 10-21)" in found[0][2]
    assert found[0][2].endswith("clear the table's formatting (remove these styles)")
    assert "on this <span> and 1 more element of this block (line 27)" in found[1][2]
    assert "on this <p>; clear the formatting" in found[2][2]
