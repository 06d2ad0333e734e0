"""The renderer model: which renderer a site uses, what it prints raw, which markers stay text.

Every expectation about kramdown and cmark-gfm below was checked against the real
renderers (Debian's ruby-kramdown 2.4 with kramdown-parser-gfm, cmark-gfm);
tests/test_renderer_oracle.py compares the model with them over the whole corpus.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from naislint.page.document import Document
from naislint.page import emphasis
from naislint.page.regions import compute
from naislint.jekyll.rendering import for_site
from naislint.page.renderer import GFM, KRAMDOWN, Renderer, from_site_config
from shared_data import CORPUS, SEED, need

KD = Renderer(KRAMDOWN)
KD_BLOCK = Renderer(KRAMDOWN, parse_block_html=True)
GF = Renderer(GFM)


# -- which renderer -----------------------------------------------------------------------------


def test_jekyll_default_is_kramdown_with_gfm_input() -> None:
    r = from_site_config({"title": "x"})
    assert (r.name, r.input, r.parse_block_html, r.parse_span_html, r.auto_ids) == (KRAMDOWN, "GFM", False, True, True)


@pytest.mark.parametrize("value", ["CommonMarkGhPages", "CommonMark", "commonmarkghpages"])
def test_commonmark_converters_render_gfm(value: str) -> None:
    assert from_site_config({"markdown": value}).name == GFM


def test_kramdown_options_are_read() -> None:
    r = from_site_config({"markdown": "kramdown", "kramdown": {
        "input": "kramdown", "parse_block_html": True, "parse_span_html": "false",
        "auto_ids": False, "auto_id_prefix": "h-"}})
    assert (r.input, r.parse_block_html, r.parse_span_html, r.auto_ids, r.auto_id_prefix) == (
        "kramdown", True, False, False, "h-")


def test_no_config_means_github(tmp_path: Path) -> None:
    assert from_site_config(None).name == GFM
    assert for_site(None).name == GFM
    assert for_site(str(tmp_path)).name == GFM  # a folder without _config.yml


def test_override_wins_over_config(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("kramdown:\n  parse_block_html: true\n", encoding="utf-8")
    assert for_site(str(tmp_path)).parse_block_html is True
    assert for_site(str(tmp_path), "gfm").name == GFM
    kept = for_site(str(tmp_path), "kramdown")
    assert kept.name == KRAMDOWN and kept.parse_block_html is True


def _naislint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "naislint", "check", "--no-cache", "--format", "json", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def test_renderer_key_in_naislint_config(tmp_path: Path) -> None:
    """``renderer: gfm`` makes a kramdown site's attribute list visible; a bad value is exit 2."""
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("Read [the guide](/g/){:target=\"_blank\"} first.\n", encoding="utf-8")
    quiet = _naislint("--select", "visible-markup", "page.md", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    (tmp_path / ".naislint.yml").write_text("renderer: gfm\n", encoding="utf-8")
    loud = _naislint("--select", "visible-markup", "page.md", cwd=tmp_path)
    assert loud.returncode == 1
    assert '"column": 22' in loud.stdout and "GFM does not read kramdown attribute lists" in loud.stdout
    (tmp_path / ".naislint.yml").write_text("renderer: commonmark\n", encoding="utf-8")
    bad = _naislint("page.md", cwd=tmp_path)
    assert bad.returncode == 2
    assert "renderer" in bad.stderr and "kramdown" in bad.stderr and "Traceback" not in bad.stderr


# -- regions ------------------------------------------------------------------------------------


def _regions(text: str, renderer: Renderer = KD) -> list[tuple]:
    doc = Document.from_text(text, "page.md")
    out = []
    for r in compute(doc, renderer):
        out.append((doc.position(r.start)[0], doc.position(max(r.start, r.end - 1))[0], r.tag, r.raw,
                    r.unclosed[0] if r.unclosed else None, len(r.holes)))
    return sorted(out)


def test_kramdown_html_block_runs_to_the_matching_end_tag() -> None:
    # kramdown: <div>\n**a**\n\n**b**\n</div> is one raw element; **after** is a paragraph.
    assert _regions("<div>\n**a**\n\n**b**\n</div>\n**after**\n") == [(1, 5, "div", True, None, 0)]


def test_gfm_html_block_runs_to_a_blank_line() -> None:
    assert _regions("<div>\n**a**\n\n**b**\n</div>\n**after**\n", GF) == [
        (1, 2, "div", True, None, 0), (5, 6, "div", True, None, 0)]


def test_markdown_attribute_makes_kramdown_read_the_content() -> None:
    assert _regions('<div markdown="1">\n**a**\n\n**b**\n</div>\n') == [(1, 5, "div", False, None, 0)]
    # markdown="1" on a table keeps it raw (kramdown's content model for table is raw)
    assert _regions('<table markdown="1"><tr><td>**x**</td></tr></table>\n')[0][3] is True


def test_nested_markdown_element_is_a_hole_in_the_raw_region() -> None:
    text = '<div><div markdown="1">\n**x**\n</div>\n**raw**\n</div>\n'
    assert _regions(text) == [(1, 5, "div", True, None, 1)]


def test_unclosed_nested_element_keeps_the_rest_of_the_page_raw() -> None:
    # kramdown reads '</div>' as text inside the open <p>, and **y** stays raw.
    assert _regions("<div><p>x</div>\n\n**y**\n") == [(1, 3, "div", True, "p", 0)]


def test_span_tags_start_paragraphs_and_other_tags_start_blocks() -> None:
    assert _regions("<span>**s**</span> more\n") == []
    assert _regions("<font color=red>**f**</font>\n") == [(1, 1, "font", True, None, 0)]
    # A block tag ends a paragraph (kramdown's lazy end), and </p> ends the element.
    assert _regions("para line\n<div>x **y**</div> tail **z**\n") == [(2, 2, "div", True, None, 0)]
    assert _regions("<p>one</p>\n**two**\n") == [(1, 1, "p", True, None, 0)]


def test_parse_block_html_gives_elements_their_default_model() -> None:
    assert _regions("<div>\n**a**\n</div>\n", KD_BLOCK) == [(1, 3, "div", False, None, 0)]
    assert _regions("<table><tr><td>**x**</td></tr></table>\n", KD_BLOCK)[0][3] is True


def test_code_blocks_and_comments_hold_no_regions() -> None:
    assert _regions("```\n<div>**x**\n```\n\n<!-- <div>**y** -->\n") == []


def test_hostile_html_stays_fast() -> None:
    start = time.monotonic()
    _regions('<div markdown="1">\n' * 3000)
    _regions("<div " + "a " * 100_000 + "\n")
    _regions("<div>" + "<p>" * 50_000 + "\n")
    _regions('<p markdown="1">x\n' * 20_000, KD)
    _regions("<p>x\n\n" * 20_000, KD_BLOCK)
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("body", [
    "](" * 50_000,
    "[a](" * 50_000,
    "* a " * 50_000,
    "** a " * 50_000,
    "[" * 50_000 + "](" * 50_000,
    "&amp;nbsp;" * 50_000,
    "{: x}" * 50_000,
])
@pytest.mark.slow
@pytest.mark.parametrize("renderer", [KD, GF], ids=["kramdown", "gfm"])
def test_hostile_paragraphs_stay_fast(body: str, renderer: Renderer) -> None:
    """One huge paragraph of markup characters: the rule answers within seconds."""
    from naislint.rules import visible_markup

    doc = Document.from_text(body + "\n", "page.md")
    doc.memo("page.renderer", lambda: renderer)
    doc.tokens, doc.prose  # the parse is not the rule's time
    start = time.monotonic()
    list(visible_markup.check(doc, None, visible_markup.Options()))
    assert time.monotonic() - start < 5


# -- emphasis -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kramdown, commonmark",
    [
        ("**SIWW2021 **", [(0, "**"), (11, "**")], [(0, "**"), (11, "**")]),
        ("**a**b", [], []),
        # kramdown: *<em>*foo</em> (the first '*' vanishes); cmark: *<em>foo</em>
        ("**foo* bar", [(1, "*")], [(0, "*")]),
        ("a ** b ** c", [(2, "**"), (7, "**")], [(2, "**"), (7, "**")]),
        # cmark: <strong>resilie****nce</strong>; kramdown: two strong runs
        ("**resilie****nce**", [], [(9, "****")]),
        ("__init__", [], []),
        ("snake_case_word", [(5, "_"), (10, "_")], [(5, "_"), (10, "_")]),
    ],
)
def test_literal_markers_follow_each_renderer(text: str, kramdown: list, commonmark: list) -> None:
    assert emphasis.kramdown_literals(text) == kramdown
    assert emphasis.commonmark_literals(text) == commonmark


def test_emphasis_work_is_bounded() -> None:
    start = time.monotonic()
    emphasis.kramdown_literals("*a **b _c __d " * 5000)
    emphasis.commonmark_literals("*a **b _c __d " * 5000)
    assert time.monotonic() - start < 10


# -- the seed and the corpus --------------------------------------------------------------------


def _lint(path: Path) -> list[dict]:
    import json

    out = subprocess.run([sys.executable, "-m", "naislint", "check", "--no-cache", "--format", "json",
                          "--select", "visible-markup", str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


@pytest.mark.corpus
def test_seed_reports_the_raw_div_once(tmp_path: Path) -> None:
    """On an Isomer (kramdown) site, lines 85-133 of the seed are one raw <div>."""
    need(SEED)
    shutil.copy(SEED, tmp_path / "nais.md")
    (tmp_path / "_config.yml").write_text("title: Smart Nation\nremote_theme: isomerpages/isomerpages-template\n",
                                          encoding="utf-8")
    found = _lint(tmp_path / "nais.md")
    inside = [d for d in found if 85 <= d["line"] <= 133]
    assert [(d["line"], d["column"]) for d in inside] == [(85, 1)]
    message = inside[0]["message"]
    assert "kramdown" in message and 'markdown="1"' in message and "lines 85-133" in message


@pytest.mark.corpus
def test_seed_alone_is_read_as_the_jekyll_page_it_is(tmp_path: Path) -> None:
    """Linted on its own, with no _config.yml above it, the seed still sets permalink:
    only Jekyll reads that, so the page is judged as kramdown renders it, not as GitHub."""
    need(SEED)
    shutil.copy(SEED, tmp_path / "nais.md")
    found = _lint(tmp_path / "nais.md")
    assert [(d["line"], d["column"]) for d in found if 85 <= d["line"] <= 133] == [(85, 1)]
    assert "Jekyll page" not in found[0]["message"] and "kramdown" in found[0]["message"]


def test_a_page_without_jekyll_keys_outside_a_site_is_read_as_github_does(tmp_path: Path) -> None:
    """Front matter without permalink or layout (as many repositories' docs have) does not
    make a page a Jekyll page: GFM ends the <div> at the blank line, so nothing is raw."""
    body = "<div>\n\n**bold** and 2\\. text\n\n</div>\n"
    (tmp_path / "plain.md").write_text("---\ntitle: Notes\n---\n" + body, encoding="utf-8")
    (tmp_path / "jekyll.md").write_text("---\ntitle: Notes\nlayout: page\n---\n" + body, encoding="utf-8")
    assert _lint(tmp_path / "plain.md") == []
    assert [(d["line"], d["column"]) for d in _lint(tmp_path / "jekyll.md")] == [(5, 1)]


@pytest.mark.corpus
def test_corpus_examples() -> None:
    mse = need(CORPUS) / "isomerpages__mse"
    faq = _lint(mse / "pages" / "faq.md")
    # faq.md:227's link sits in the <div> opened on line 50, which kramdown keeps raw.
    assert [(d["line"], d["column"]) for d in faq] == [(50, 1)]
    assert "never closed" in faq[0]["message"]
    siww = _lint(mse / "news" / "---speeches" / "_posts" / "2021-06-21-singapore-international-water-week.md")
    assert [(d["line"], d["column"]) for d in siww] == [(56, 1)]


def test_changing_the_renderer_in_config_yml_invalidates_cached_results(tmp_path: Path) -> None:
    """Cached results are keyed by the site's renderer: a _config.yml edit re-lints pages."""
    import json

    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("Read [the guide](/g/){:target=\"_blank\"} first.\n", encoding="utf-8")

    def run() -> list:
        out = subprocess.run([sys.executable, "-m", "naislint", "check", "--format", "json",
                              "--select", "visible-markup", "page.md"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert out.returncode in (0, 1), out.stderr
        return json.loads(out.stdout)

    assert run() == []
    assert (tmp_path / ".naislint_cache").is_dir()
    (tmp_path / "_config.yml").write_text("title: x\nmarkdown: CommonMarkGhPages\n", encoding="utf-8")
    assert [(d["line"], d["column"]) for d in run()] == [(1, 22)]


@pytest.mark.corpus
def test_seed_with_markdown_attribute_is_quiet_and_kramdown_agrees(tmp_path: Path) -> None:
    """The fix the report names works: with markdown="1" kramdown shows no markup, and
    visible-markup says nothing about the region."""
    need(SEED)
    text = SEED.read_text(encoding="utf-8")
    opening = '<div style="font-size:15px; line-height:15px; padding: 0px 0px 0px 20px;">'
    assert text.count(opening) == 1
    fixed = text.replace(opening, opening[:-1] + ' markdown="1">')
    (tmp_path / "nais.md").write_text(fixed, encoding="utf-8")
    (tmp_path / "_config.yml").write_text("title: Smart Nation\n", encoding="utf-8")
    assert [d for d in _lint(tmp_path / "nais.md") if 85 <= d["line"] <= 133] == []
    if shutil.which("ruby") is None:
        pytest.skip("ruby is not installed (apt-get install -y ruby-kramdown ruby-kramdown-parser-gfm)")
    body = fixed.split("\n---\n", 1)[1]
    out = subprocess.run(
        ["ruby", "-e", 'require "kramdown"; require "kramdown-parser-gfm"; '
                       'print Kramdown::Document.new($stdin.read, input: "GFM").to_html'],
        input=body, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "**" not in out.stdout and "2\\." not in out.stdout
    assert "<strong>AI-focused accelerator programmes</strong>" in out.stdout
