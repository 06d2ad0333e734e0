"""Reports an editor would act on: CMS-written markup that changes nothing visible is
reported once per page at info, or not at all, and suggestions do not mislead."""

from __future__ import annotations

from pathlib import Path

from naislint import jekyll
from naislint.diagnostics import Severity
from naislint.run.discover import Target
from naislint.run.engine import Linter, RunOptions


def lint(tmp_path: Path, text: str, rule: str, name: str = "page.md") -> list:
    """Lint ``text`` as a page of an Isomer site, with only ``rule`` selected."""
    (tmp_path / "_config.yml").write_text("remote_theme: isomerpages/isomerpages-template@next-gen\n")
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    linter = Linter(RunOptions(select=(rule,), use_cache=False))
    target = Target(str(path), str(path), jekyll.find_site_root(str(path)))
    return [d for d in linter.lint_target(target).diagnostics if d.rule == rule]


def test_empty_paragraph_spacers_are_not_reported_an_empty_column_is(tmp_path: Path) -> None:
    """An empty paragraph has no height: the CMS's spacers change nothing a reader sees.
    An empty column still takes its share of the row."""
    text = "---\ntitle: T\n---\n<p></p><h3>Get Started</h3><p></p>\n\nText.\n\n<p></p>\n\n<div class=\"col\"></div>\n"
    found = lint(tmp_path, text, "empty-html")
    assert [(d.span.line, d.span.column, d.severity) for d in found] == [(10, 1, Severity.WARNING)]
    assert "takes its share of the row" in found[0].message


def test_an_empty_paragraph_with_a_class_shows_nothing_either(tmp_path: Path) -> None:
    found = lint(tmp_path, '---\ntitle: T\n---\n<p class="lead"></p>\n\n<div class="note"></div>\n', "empty-html")
    assert found == []


def test_underlined_space_between_words_is_replaced_not_removed(tmp_path: Path) -> None:
    found = lint(tmp_path, "---\ntitle: T\n---\nUnderlined<u> </u>space.\n", "empty-html")
    assert [(d.span.line, d.span.column) for d in found] == [(4, 11)]
    assert "remove it" not in found[0].message
    assert "replace it with a plain space" in found[0].message


def test_empty_span_with_id_is_an_anchor(tmp_path: Path) -> None:
    found = lint(tmp_path, '---\ntitle: T\n---\nJump <span id="contact"></span>here.\n', "empty-html")
    assert found == []


def test_only_pasted_word_formatting_is_an_inline_style_report(tmp_path: Path) -> None:
    """Image widths (the CMS's and typed ones), table borders and a typed small size are
    what their authors meant; Word's fonts and fractional points came with a paste."""
    text = (
        '---\ntitle: T\n---\n<img style="width: 100%" height="auto" width="100%" alt="" src="/a.jpg">\n\n'
        '<img style="width:300px" alt="" src="/b.jpg">\n\n'
        '<td style="border: 1px solid #D3D3D3; padding: 12px 8px; font-size: 14px;">x</td>\n\n'
        '<p style="font-size:8pt;">Photo credit</p>\n\n'
        '<p style="margin: 0; font-size: 12pt; font-family: Aptos, sans-serif;">Prize</p>\n'
    )
    found = lint(tmp_path, text, "inline-style")
    # The pasted one is a warning; the four written on purpose are one info report.
    assert [(d.span.line, d.span.column, d.severity) for d in found] == [
        (4, 6, Severity.INFO), (12, 4, Severity.WARNING)]
    assert "and 3 more on this page" in found[0].message
    assert "font-family: Aptos, sans-serif" in found[1].message
    assert "class" not in found[1].message


NBSP_PAGE = (
    "---\ntitle: T\n---\n"
    "Raise&nbsp;**security**&nbsp;baseline, see&nbsp;<a href=\"/a/\">this</a>&nbsp;page.\n\n"
    "Eligibility&nbsp;&nbsp;&nbsp;criteria\n\n"
    "Bold with the space inside **&nbsp;bold** here.\n"
)


def test_nbsp_glued_between_words_shows_as_a_space_and_is_off_on_request(tmp_path: Path) -> None:
    (tmp_path / ".naislint.yml").write_text("rules:\n  nbsp-entity:\n    glued: false\n")
    found = lint(tmp_path, NBSP_PAGE, "nbsp-entity")
    assert [(d.span.line, d.span.column, d.severity) for d in found] == [
        (6, 12, Severity.WARNING),
        (8, 30, Severity.WARNING),
    ]


def test_nbsp_glued_between_words_is_one_info_report_with_every_fix(tmp_path: Path) -> None:
    text = NBSP_PAGE
    found = lint(tmp_path, text, "nbsp-entity")
    assert [(d.span.line, d.span.column, d.severity) for d in found] == [
        (4, 6, Severity.INFO),
        (6, 12, Severity.WARNING),
        (8, 30, Severity.WARNING),
    ]
    assert found[0].message.startswith("4 &nbsp;")
    assert found[0].fix is not None and found[0].fix.safe and len(found[0].fix.edits) == 4


def test_cms_leftover_collection_name_is_info(tmp_path: Path) -> None:
    text = "---\ntitle: Find e-services\npermalink: /find-eservices/\ncollection_name: find-eservices\n---\nText.\n"
    found = lint(tmp_path, text, "front-matter-unknown-key", "pages/find-eservices.md")
    assert [(d.span.line, d.span.column, d.severity) for d in found] == [(4, 1, Severity.INFO)]
    assert "left over from the old Isomer CMS" in found[0].message


def test_second_nav_title_suggests_its_new_name(tmp_path: Path) -> None:
    text = "---\ntitle: Overview\npermalink: /guide/overview/\nsecond_nav_title: Guide\n---\nText.\n"
    found = lint(tmp_path, text, "front-matter-unknown-key", "_guide/overview.md")
    assert [(d.span.line, d.span.column, d.severity) for d in found] == [(4, 1, Severity.WARNING)]
    assert "did you mean `third_nav_title`?" in found[0].message


def test_emphasis_as_heading_suggests_the_whole_heading_at_info(tmp_path: Path) -> None:
    title = "Become Home to Exemplary Creators, Practitioners and Users"
    found = lint(tmp_path, f"---\ntitle: T\n---\nIntro.\n\n**{title}**\n\nText.\n", "emphasis-as-heading")
    assert [(d.span.line, d.span.column, d.severity) for d in found] == [(6, 1, Severity.INFO)]
    assert found[0].message.endswith(f"(## {title})")


def test_emphasis_as_heading_suggests_a_level_below_the_section_it_sits_in(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\n---\n## Scenario 1\n\n**Under an h2**\n\nText.\n\n"
        "<h4>An HTML h4</h4>\n\n**Under an h4**\n\nText.\n\n###### Deepest\n\n**Under an h6**\n\nText.\n"
    )
    found = lint(tmp_path, text, "emphasis-as-heading")
    assert [(d.span.line, d.span.column, d.message.rsplit("(", 1)[1]) for d in found] == [
        (6, 1, "### Under an h2)"),
        (12, 1, "##### Under an h4)"),
        (18, 1, "###### Under an h6)"),
    ]
