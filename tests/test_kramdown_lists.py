"""What the list rules say kramdown does, checked against real kramdown (GFM input).

The list rules and their fix lean on four kramdown behaviours: escaped or
``&nbsp;``-separated numbers stay text; a list's first number is ignored (every list
starts at 1); a code block or HTML between items splits the list; an empty item followed
by an indented block keeps that block as its content. The pseudo-list fix must give one
``<ol>`` per run in kramdown as it does in markdown-it. Skips without Ruby's kramdown,
except in CI, like ``test_kramdown_ids``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from harness import strip_markers
from test_kramdown_ids import _kramdown_problem

FIXTURES = Path(__file__).parent / "fixtures"
SCRIPT = (
    'require "json"; require "kramdown"; require "kramdown-parser-gfm"; '
    '$stdout.write(JSON.generate(JSON.parse($stdin.read).map { |t| '
    'Kramdown::Document.new(t, input: "GFM", hard_wrap: false, show_warnings: false).to_html }))'
)
PROBLEM = _kramdown_problem()
pytestmark = pytest.mark.skipif(
    PROBLEM is not None and os.environ.get("CI") != "true", reason=PROBLEM or ""
)


def render(*texts: str) -> list[str]:
    done = subprocess.run(["ruby", "-e", SCRIPT], input=json.dumps(texts), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def lists(html: str) -> list[tuple[str, int]]:
    """Each ``<ol>`` open tag with the number of top-level items up to its close."""
    found = []
    for m in re.finditer(r"(<ol[^>]*>)(.*?)</ol>", html, re.DOTALL):
        found.append((m.group(1), m.group(2).count("<li")))
    return found


def fixture(path: str) -> str:
    return strip_markers((FIXTURES / path).read_text(encoding="utf-8"))[0]


def test_hand_typed_numbers_stay_text_and_the_fix_makes_one_list_per_run() -> None:
    before, after = render(
        fixture("pseudo-list/escaped-numbers.md"),
        (FIXTURES / "pseudo-list/escaped-numbers.unsafe.fixed.md").read_text(encoding="utf-8"),
    )
    assert "<ol" not in before and "<p>2. Boost" in before
    assert lists(after) == [("<ol>", 4), ("<ol>", 3)]


def test_a_list_start_number_is_ignored_unless_an_ial_gives_it() -> None:
    plain, with_ial = render("5. a\n6. b\n", 'Text:\n\n{: start="5"}\n5. a\n6. b\n')
    assert lists(plain) == [("<ol>", 2)]
    assert lists(with_ial) == [('<ol start="5">', 2)]


def test_code_blocks_and_html_split_a_list_and_it_restarts() -> None:
    (code,) = render(fixture("list-numbering/kramdown/code-block-split.md"))
    assert [n for _tag, n in lists(code)] == [2, 2, 2, 1]
    (html,) = render(fixture("list-numbering/kramdown/html-split.md"))
    assert lists(html) == [("<ol>", 2), ("<ol>", 2)]


def test_an_empty_item_keeps_the_indented_block_that_follows() -> None:
    (html,) = render("3.  Three\n    \n4.  \n    \n    <dl>\n      <dt>X</dt>\n    </dl>\n    \n5.  Five\n")
    assert lists(html) == [("<ol>", 3)] and "<pre>" not in html


def test_a_start_attribute_keeps_the_count_and_a_fence_right_after_an_item_stays_in_it() -> None:
    """list-numbering's kramdown fixture: no report at the {: start="3"} list or after the
    fence (one list of 3), a report at the list that restarts at 1 after the HTML, and
    the list in the raw <div> printed as text."""
    (html,) = render(fixture("list-numbering/kramdown/renderer.md"))
    assert lists(html) == [("<ol>", 2), ('<ol start="3">', 2), ("<ol>", 3), ("<ol>", 2), ("<ol>", 1)]
    assert "1. Apply\n3. Pay" in html


def test_the_pseudo_list_fix_on_kramdown_keeps_a_runs_first_number() -> None:
    """The 5-7 run gets {: start="5"}: kramdown shows 5-7, not 1-3; the paragraph in the
    raw <div> has no fix and stays text."""
    (after,) = render((FIXTURES / "pseudo-list/kramdown/runs.unsafe.fixed.md").read_text(encoding="utf-8"))
    assert lists(after) == [('<ol start="5">', 3), ("<ol>", 2)]
    assert "3\\. Written inside a div" in after


def test_paren_numbers_are_text_in_kramdown_as_the_model_reads_them() -> None:
    """kramdown knows only the ``1.`` marker: the ``1)``/``3)`` lines of the fixtures print
    as paragraph text (no report there), and so does ``1)`` under a bullet item; the
    ``1.`` lists are lists, in kramdown and in the parser naislint uses for kramdown pages."""
    from naislint.page.markdown import parser

    numbering = fixture("list-numbering/kramdown/paren-markers.md")
    duplicates = fixture("duplicate-list-item/kramdown/paren-markers.md")
    html_numbering, html_duplicates = render(numbering, duplicates)
    assert "<p>1) set file name</p>" in html_numbering and "<p>3) run</p>" in html_numbering
    assert lists(html_numbering) == [("<ol>", 1), ("<ol>", 1)]
    assert "<p>1) Bring your NRIC\n2) Bring your NRIC</p>" in html_duplicates
    assert lists(html_duplicates) == [("<ol>", 2)]
    for text, html in ((numbering, html_numbering), (duplicates, html_duplicates)):
        opened = [t for t in parser(kramdown=True).parse(text) if t.type == "ordered_list_open"]
        assert len(opened) == html.count("<ol")
