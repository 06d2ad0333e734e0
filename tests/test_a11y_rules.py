"""The accessibility and reader-facing content rules: the seed page, the presets, and the
page reading (images, links) they share."""

from __future__ import annotations

import pytest

from naislint.page.document import Document
from naislint.run.engine import Linter, RunOptions
from naislint.page.reader import reading
from naislint.registry import all_rules
from shared_data import SEED, need

#: The rules of this family that exist in this build (all of them, once registered).
A11Y_RULES = tuple(
    name
    for name in (
        "image-alt", "link-text", "table-header", "iframe-title", "heading-structure",
        "language-of-parts", "doubled-word", "placeholder-text", "empty-page",
        "hotlinked-image", "malformed-url", "insecure-link",
    )
    if name in all_rules()
)


@pytest.mark.corpus
def test_seed_page_gets_no_report_from_these_rules() -> None:
    """The mission page has alt text on every image, headed content and real link text."""
    path = need(SEED)
    linter = Linter(RunOptions(select=A11Y_RULES, use_cache=False))
    result = linter.run(linter.discover([str(path)]))
    assert [f"{d.rule}@{d.line}:{d.column} {d.message}" for d in result.diagnostics] == []
    # ... and the page really holds what the rules look at, so the check is not empty.
    doc = Document.load(str(path))
    read = reading(doc)
    assert len(read.images) >= 5 and len(read.links) >= 5


@pytest.mark.parametrize("preset", ["jekyll", "isomer"])
def test_presets_keep_the_rules_on(tmp_path, preset: str) -> None:
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / ".naislint.yml").write_text(f"preset: {preset}\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: Page\n---\n<img src=\"/a.png\">\n", encoding="utf-8")
    linter = Linter(RunOptions(use_cache=False))
    result = linter.run(linter.discover([str(tmp_path)]))
    assert ("image-alt", 4, 2) in [(d.rule, d.line, d.column) for d in result.diagnostics]


def test_reading_places_images_in_links_and_finds_link_text() -> None:
    doc = Document.from_text(
        "See [Note] and [click here](/a/ \"t\") or [![Logo](/l.png)](/home/).\n\n"
        "<a href=\"/z\">  Read <b>more</b> </a>\n"
    )
    read = reading(doc)
    texts = [(link.text, doc.text[link.text_start : link.text_end]) for link in read.links]
    assert texts == [("click here", "click here"), ("", ""), ("Read more", "Read <b>more")]
    (image,) = read.images
    assert image.alt == "Logo" and read.links[image.link].href == "/home/"
    assert doc.text[image.start : image.end] == "![Logo](/l.png)"


def test_heading_structure_offers_no_demotion_past_h6() -> None:
    from harness import FIXTURES

    path = FIXTURES / "heading-structure" / "isomer" / "pages" / "h6-no-fix.md"
    linter = Linter(RunOptions(select=("heading-structure",), use_cache=False))
    result = linter.run(linter.discover([str(path)]))
    assert [(d.line, d.fix) for d in result.diagnostics] == [(5, None)]


def test_layout_chain_is_followed_and_stays_inside_the_site(tmp_path) -> None:
    from naislint.jekyll.layouts import _layout_prints_title

    layouts = tmp_path / "_layouts"
    layouts.mkdir()
    (layouts / "base.html").write_text("<main><h1 class=\"t\">{{ page.title }}</h1>{{ content }}</main>\n")
    (layouts / "post.html").write_text("---\nlayout: base\n---\n<article>{{ content }}</article>\n")
    (layouts / "bare.html").write_text("{{ content }}\n")
    assert _layout_prints_title(str(tmp_path), "post") == "_layouts/base.html"
    assert _layout_prints_title(str(tmp_path), "bare") is None
    outside = tmp_path.parent / f"{tmp_path.name}-outside.html"
    outside.write_text("<h1>{{ page.title }}</h1>\n")
    (layouts / "linked.html").symlink_to(outside)
    assert _layout_prints_title(str(tmp_path), "linked") is None


def test_doubled_word_in_a_heading_is_fixed_only_as_unsafe() -> None:
    """kramdown makes a heading's id from its text, so the fix changes the anchor: the
    fix property test found `-on-on-` in a real heading id."""
    from naislint.run.engine import lint_text

    found = [(d.line, d.fix.safe) for d in lint_text("# Results on on the day\n\nThe the cat.\n", "x.md")
             if d.rule == "doubled-word"]
    assert found == [(1, False), (3, True)]


def test_reading_finds_each_link_of_a_table_row_in_its_own_cell() -> None:
    """A table's cells share their row's line: the second cell's link is not the first's."""
    doc = Document.from_text("| Name | Label |\n|---|---|\n| [CLI](/sig-cli/) | [CLI](/labels/cli) |\n")
    starts = [doc.position(link.text_start) for link in reading(doc).links]
    assert starts == [(3, 4), (3, 23)]


MINUTES = (
    "# SIG Node Meeting Notes\n\n"
    "## Dec 6, 2022\n\n- [https://github.com/kubernetes/kubernetes/pull/93040](https://github.com/kubernetes/kubernetes/pull/93040)\n\n"
    "<table>\n<tr><td><strong>Issue</strong></td><td><strong>Title</strong></td></tr>\n"
    "<tr><td>#113123</td><td>Kubelet restarts</td></tr>\n</table>\n\n"
    "## Nov 29, 2022\n\n- [Please add any PRs here]\n- the the agenda\n\n"
    "## Nov 22, 2022\n\n- Triage\n"
)


@pytest.mark.parametrize(
    ("rule", "line"),
    [("link-text", 5), ("table-header", 8), ("placeholder-text", 14), ("doubled-word", 15)],
)
def test_minutes_are_checked_when_dated_logs_is_set(tmp_path, rule: str, line: int) -> None:
    """Logs of dated entries are left alone by default, and checked on request."""
    page = tmp_path / "meeting-notes-2022.md"
    page.write_text(MINUTES, encoding="utf-8")

    def lines() -> list[int]:
        linter = Linter(RunOptions(select=(rule,), use_cache=False))
        return [d.line for d in linter.run(linter.discover([str(tmp_path)])).diagnostics]

    assert lines() == []
    (tmp_path / ".naislint.yml").write_text(f"rules:\n  {rule}:\n    dated-logs: true\n", encoding="utf-8")
    assert lines() == [line]


def test_image_alt_placeholders_in_minutes_are_checked_when_dated_logs_is_set(tmp_path) -> None:
    """The Google Docs converter's "alt_text" in minutes is wording, left alone by
    default like the other content rules; an image with no alt at all is reported always."""
    from harness import FIXTURES, strip_markers

    text, _expected = strip_markers((FIXTURES / "image-alt" / "minutes.md").read_text(encoding="utf-8"))
    (tmp_path / "community-meeting-notes.md").write_text(text, encoding="utf-8")

    def found() -> list[tuple[int, int]]:
        linter = Linter(RunOptions(select=("image-alt",), use_cache=False))
        return [(d.line, d.column) for d in linter.run(linter.discover([str(tmp_path)])).diagnostics]

    assert found() == [(15, 2), (21, 2)]
    (tmp_path / ".naislint.yml").write_text("rules:\n  image-alt:\n    dated-logs: true\n", encoding="utf-8")
    assert found() == [(7, 3), (9, 3), (15, 2), (21, 2)]


def test_image_alt_advice_fits_the_renderer(tmp_path) -> None:
    """kramdown reads {: alt=""} after an image; GitHub prints it, so it gets <img alt="">."""
    site, repo = tmp_path / "site", tmp_path / "repo"
    for folder in (site, repo):
        folder.mkdir()
        (folder / "page.md").write_text("# Page\n\n![](/images/launch.jpg)\n", encoding="utf-8")
    (site / "_config.yml").write_text("title: x\n", encoding="utf-8")

    def message(folder) -> str:
        linter = Linter(RunOptions(select=("image-alt",), use_cache=False))
        (found,) = linter.run(linter.discover([str(folder)])).diagnostics
        return found.message

    assert '{: alt=""} after the image' in message(site) and "<img" not in message(site)
    assert '<img src="/images/launch.jpg" alt="">' in message(repo)


def test_link_text_example_is_written_in_the_links_syntax() -> None:
    from naislint.run.engine import lint_text

    found = [d.message for d in lint_text(
        "Read the plan <a href=\"/plan/\">here</a>, or [click here](/plan/).\n", "x.md"
    ) if d.rule == "link-text"]
    assert len(found) == 2
    assert '<a href="…">Download the 2023 annual report</a> instead of \'here\'' in found[0]
    assert "[Download the 2023 annual report](…) instead of 'click here'" in found[1]


def test_link_text_same_text_message_says_what_it_compared() -> None:
    """The same-text report compares the links' paragraphs, not the headings above them:
    it says so, and leaves room for a heading that tells the links apart."""
    from naislint.run.engine import lint_text

    found = [(d.line, d.column, d.message) for d in lint_text(
        "#### Antifragile\n\nBorrow the eBook [online](https://example.com/1).\n\n"
        "#### Nudge\n\nBorrow the eBook [online](https://example.com/2).\n", "x.md"
    ) if d.rule == "link-text"]
    assert found == [(7, 19,
        "link text 'online' goes to 2 different addresses on this page (lines 3, 7), and two of them "
        "stand in paragraphs (or list items, table rows) of the same words: a reader who lists the "
        "page's links, or hears only the paragraph, cannot tell them apart unless a heading above "
        "says which is which; make each text name its own destination, e.g. \"Annual report 2022\" "
        "and \"Annual report 2023\"")]


def test_doubled_word_message_allows_for_another_word_meant() -> None:
    """'One one hand' is 'On one hand': deleting a copy of a content word may be wrong."""
    from naislint.run.engine import lint_text

    found = {d.message for d in lint_text("What what be useful. Go to to the hall.\n", "x.md") if d.rule == "doubled-word"}
    assert found == {
        "'What' is written twice in a row: delete one (What what → What), or, if one of them was meant "
        "to be another word, write that word",
        "'to' is written twice in a row: delete one (to to → to)",
    }


def test_table_header_names_the_fix_for_the_tables_own_headers() -> None:
    """A bold label column is a header column to the eye only (WCAG F91): the fix is
    <th scope="row"> (H63), with the table's own label; a table with no header at all
    gets its own first row as the example."""
    from naislint.run.engine import lint_text

    found = [d.message for d in lint_text(
        "<table>\n<tr><td><strong>NLB Mobile app</strong></td><td>The app lets you borrow.</td></tr>\n"
        "<tr><td><strong>Loans</strong></td><td>Up to 16 items.</td></tr>\n</table>\n\n"
        "<table>\n<tr><td>Exhibition</td><td>Date</td><td>Location</td></tr>\n"
        "<tr><td>Art</td><td>1 May</td><td>Hall</td></tr>\n</table>\n", "x.md"
    ) if d.rule == "table-header"]
    assert len(found) == 2
    assert 'change those cells to <th scope="row"> and drop the bold, e.g. <th scope="row">NLB Mobile app</th>' in found[0]
    assert "e.g. <th>Exhibition</th><th>Date</th><th>Location</th>, or" in found[1]


def test_table_header_advises_a_row_header_column_when_the_first_row_holds_values() -> None:
    """A label/value table ("Duration | 2 Hour (inclusive of a library tour)") has no
    heading row to make <th>: its first row is data, so the example is the label column's
    <th scope="row">. A two-column table whose first row is two short headings keeps the
    heading-row example."""
    from naislint.run.engine import lint_text

    found = [(d.line, d.column, d.message) for d in lint_text(
        '<table class="table-v">\n<tr><td>Duration</td><td>2 Hour (inclusive of a library tour)</td></tr>\n'
        "<tr><td>Venue</td><td>National Library Building at 100 Victoria Street</td></tr>\n"
        "<tr><td>Class Size</td><td>Minimum 20 pax</td></tr>\n</table>\n\n"
        "<table>\n<tr><td>Name</td><td>Biography</td></tr>\n"
        "<tr><td>Neo Tiong Seng</td><td>A librarian with a passion for training and facilitation.</td></tr>\n"
        "<tr><td>Mervin Ang</td><td>A trainer with over four years of experience.</td></tr>\n</table>\n", "x.md"
    ) if d.rule == "table-header"]
    assert [(line, column) for line, column, _ in found] == [(1, 1), (7, 1)]
    assert 'its labels are the first column; make those cells <th scope="row"> instead of <td>, ' \
        'e.g. <th scope="row">Duration</th>' in found[0][2]
    assert "<th>Duration</th>" not in found[0][2]
    assert "e.g. <th>Name</th><th>Biography</th>, or" in found[1][2]


def test_table_header_reads_a_long_heading_above_short_values_as_the_heading_row() -> None:
    """"Size per etcd partition (2x)" has more words than most headings, but it stands
    above "256GB": it names its column, and the first row is the table's headings, so the
    advice is <th> for that row, not <th scope="row"> for the first column."""
    from naislint.run.engine import lint_text

    found = [(d.rule, d.line, d.column, d.message) for d in lint_text(
        "Config table below.\n\n<table>\n<tr><td>Provider</td><td>Volume type</td>"
        "<td>Size per etcd partition (2x)</td><td>Notes</td></tr>\n"
        "<tr><td>Google</td><td>SSD persistent disk</td><td>256GB</td><td>Iops increases with volume size</td></tr>\n"
        "<tr><td>AWS</td><td>EBS Provisioned IOPS SSD (io1)</td><td>256GB</td><td>Proposed</td></tr>\n"
        "<tr><td>Packet</td><td>Dedicated SSD</td><td>256GB</td><td>Bare metal, proposed</td></tr>\n"
        "</table>\n", "x.md"
    ) if d.rule == "table-header"]
    assert [(rule, line, column) for rule, line, column, _ in found] == [("table-header", 3, 1)]
    message = found[0][3]
    assert "which column a value belongs to" in message
    assert "e.g. <th>Provider</th><th>Volume type</th><th>Size per etcd partition…</th>, or" in message
    assert "first row holds values" not in message and '<th scope="row">Provider</th>' not in message


def test_empty_page_written_ahead_of_time_is_told_to_wait_with_published_false(tmp_path) -> None:
    """A newsletter article created before its issue: Jekyll publishes it and Isomer lists
    it in the collection's left navigation, so it is reported, with published: false as
    the way to hold it back; with published: false it is not reported."""
    from naislint.run.engine import lint_text

    (tmp_path / "_config.yml").write_text("remote_theme: isomerpages/isomerpages-template@next-gen\n")
    page = tmp_path / "_cohesion" / "July 2026" / "Law @ CDC.md"
    page.parent.mkdir(parents=True)
    text = "---\ntitle: Law @ CDC\npermalink: /cohesion/july-2026/law-cdc/\nthird_nav_title: July 2026\n---\n"
    page.write_text(text, encoding="utf-8")
    found = [d for d in lint_text(text, str(page), extend_select=("empty-page",)) if d.rule == "empty-page"]
    assert [(d.line, d.column) for d in found] == [(5, 1)]
    assert "Jekyll publishes it and lists it in its collection's left navigation" in found[0].message
    assert "if it is being written ahead of time, add published: false" in found[0].message
    held = text.replace("---\n", "---\npublished: false\n", 1)
    assert [d for d in lint_text(held, str(page), extend_select=("empty-page",)) if d.rule == "empty-page"] == []
