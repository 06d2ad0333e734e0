"""The page analyses' shortcuts give exactly what their plain definitions give.

Several page analyses skip work they can prove useless for a page: markdown-in-html asks
which raw regions visible-markup owns only around the pieces it would report, the
unclosed-html rule looks for the page's first content only when an element left open
needs it. Each property here runs the plain version next to the fast one on generated
pages built from the lines that matter to it.
"""

from __future__ import annotations

import bisect

from hypothesis import given, settings
from hypothesis import strategies as st

from naislint.page.document import Document
from naislint.page.regions import raw_regions

MANY = settings(max_examples=200, deadline=None)

#: Lines of a kramdown page with block HTML: raw regions with and without markdown in them.
RAW_LINES = st.sampled_from([
    "<div>", "</div>", "<div markdown=\"1\">", "<section>", "</section>", "<table>", "</table>",
    "<p>text</p>", "- item", "- other", "1. one", "2. two", "**bold**", "[a](b)", "\\.", "# h",
    "text", "", "<span>x</span>", "<!-- c -->", "<br>", "  - nested", "<pre>", "</pre>",
])


def _page(lines: list[str]) -> Document:
    return Document.from_text("---\nlayout: page\n---\n" + "\n".join(lines) + "\n", "pages/a.md")


def _eager_owned(doc: Document) -> tuple[list[tuple[int, int]], list[int]]:
    """The owned spans as first written: every raw region searched for markdown."""
    from naislint.rules.visible_markup import region_markdown

    spans = sorted((r.start, r.end) for r in raw_regions(doc) if region_markdown(doc.text, r))
    return spans, [a for a, _b in spans]


@MANY
@given(st.lists(RAW_LINES, max_size=30))
def test_owned_regions_asked_lazily_answer_as_all_searched(lines: list[str]) -> None:
    from naislint.rules.markdown_in_html import _Owned

    doc = _page(lines)
    spans, starts = _eager_owned(doc)
    owned = _Owned(doc, raw_regions(doc))
    for at in range(len(doc.text) + 1):
        k = bisect.bisect_right(starts, at) - 1
        expected = k >= 0 and spans[k][0] <= at < spans[k][1]
        assert owned.offset(at) == expected, at
    for region in raw_regions(doc):
        k = bisect.bisect_right(starts, region.start) - 1
        assert owned.region(region) == (k >= 0 and spans[k][0] <= region.start < spans[k][1])


def test_markdown_in_html_searches_only_the_regions_it_would_report_in(monkeypatch) -> None:
    """A raw region with no markdown in it is never searched for visible-markup's
    markdown; the one with a list is, once."""
    from naislint.registry import RuleContext, all_rules
    from naislint.rules import visible_markup

    calls: list[int] = []
    real = visible_markup.region_markdown

    def counted(text, region):  # type: ignore[no-untyped-def]
        calls.append(region.start)
        return real(text, region)

    monkeypatch.setattr(visible_markup, "region_markdown", counted)
    doc = _page(["<div>", "plain text", "</div>", "", "<div>", "- one", "- two", "</div>"])
    rule = all_rules()["markdown-in-html"]
    found = [(f.span.line, f.span.column) for f in rule.check(doc, RuleContext.alone("pages/a.md"), None)]
    assert found == [(9, 1), (10, 1)]
    assert calls == [doc.text.index("<div>\n- one")]


SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 15), st.booleans()), max_size=12)


@MANY
@given(SPANS)
def test_owned_regions_that_nest_or_overlap_answer_as_all_searched(spans: list[tuple[int, int, bool]]) -> None:
    """Regions that nest or overlap (the scanner makes none today) still get the answer of
    the eager search: the last owned region that starts at or before an offset holds it."""
    from naislint.rules import visible_markup
    from naislint.rules.markdown_in_html import _Owned
    from naislint.page.regions import Region

    regions = [Region(a, a + length, "div", True, "raw") for a, length, _o in spans]
    owned_at = {(a, a + length) for a, length, o in spans if o}
    real = visible_markup.region_markdown
    visible_markup.region_markdown = lambda text, r: [("x", r.start, "x")] if (r.start, r.end) in owned_at else []
    try:
        owned = _Owned(Document.from_text("x" * 60), regions)
        eager = sorted(owned_at)
        starts = [a for a, _b in eager]
        for at in range(60):
            k = bisect.bisect_right(starts, at) - 1
            assert owned.offset(at) == (k >= 0 and eager[k][0] <= at < eager[k][1]), at
    finally:
        visible_markup.region_markdown = real


# -- unclosed-html: the page's first content ------------------------------------------------


def test_unclosed_html_looks_for_first_content_only_for_an_element_left_open(monkeypatch) -> None:
    """A page whose every element is closed never has its first content looked for (a
    scan of the page from its start); a page with a <div class> left open does."""
    from naislint.registry import RuleContext, all_rules
    from naislint.rules import unclosed_html

    calls: list[str] = []
    real = unclosed_html._first_content
    monkeypatch.setattr(unclosed_html, "_first_content", lambda doc: calls.append(doc.path) or real(doc))
    rule = all_rules()["unclosed-html"]
    closed = _page(["<div class=\"a\">", "text", "</div>", "", "Some <b>bold</b> text."])
    assert list(rule.check(closed, RuleContext.alone("pages/a.md"), None)) == []
    assert calls == []
    left_open = Document.from_text(
        "---\nlayout: page\n---\ntext\n\n<div class=\"a\">\n<img src=\"x.png\">\n", "pages/b.md")
    list(rule.check(left_open, RuleContext.alone("pages/b.md"), None))
    assert calls == ["pages/b.md"]


FIRST_CONTENT_PIECES = st.sampled_from([
    " ", "\n", "\t", "\xa0", "\u2003", "\u2028", "\x1c", "\x85", "\u200b", "<!-- c -->", "<!--", "-->",
    "{% if x %}", "{%", "%}", "<style>p{}</style>", "<STYLE>", "</style >", "<script>x</script>",
    "<div>", "<div class=\"a\">", "text", "x", "<", ">", "\u0130", "</SCRIPT>",
])


def _plain_first_content(text: str, pos: int) -> int:
    """unclosed-html's first content as first written: one character at a time."""
    import re

    from naislint.rules.unclosed_html import _BLOCK_OPEN_RE, _INVISIBLE_SPANS, _TAG_RE

    lower = text.lower()
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        for opening, closing in _INVISIBLE_SPANS:
            if text.startswith(opening, pos):
                at = text.find(closing, pos + len(opening))
                if at != -1:
                    pos = at + len(closing)
                    break
        else:
            block = _BLOCK_OPEN_RE.match(text, pos)
            if block is not None:
                at = lower.find("</" + block.group(1).lower(), block.end())
                close = _TAG_RE.match(text, at) if at != -1 else None
                if close is not None and re.fullmatch(r"</(?:style|script)\s*>", close.group(), re.IGNORECASE):
                    pos = close.end()
                    continue
            m = _TAG_RE.match(text, pos)
            if m is None:
                return pos
            pos = m.end()
    return pos


@MANY
@given(st.lists(FIRST_CONTENT_PIECES, max_size=25))
def test_first_content_skips_what_the_plain_scan_skips(pieces: list[str]) -> None:
    from naislint.rules.unclosed_html import _first_content

    doc = Document.from_text("---\nlayout: page\n---\n" + "".join(pieces), "pages/a.md")
    assert _first_content(doc) == _plain_first_content(doc.text, doc.body_start)


# -- inline blocks: the trigger test ----------------------------------------------------------

TRIGGER_PIECES = st.text(alphabet=st.sampled_from(list(" *_{}[]()~\n\\ab1.")), max_size=30)


@MANY
@given(TRIGGER_PIECES)
def test_no_trigger_match_without_a_trigger_character(content: str) -> None:
    from naislint.page.inline import TRIGGER_RE, may_trigger

    if TRIGGER_RE.search(content) is not None:
        assert may_trigger(content)
    if not may_trigger(content):
        assert TRIGGER_RE.search(content) is None


def test_inline_blocks_run_the_trigger_pattern_only_where_a_trigger_character_is(monkeypatch) -> None:
    """Paragraphs with no ``*``, ``_``, ``{`` or ``]`` never meet the pattern; the one with
    ``**`` does, and is the one block."""
    from naislint.page import inline

    searched: list[str] = []
    real = inline.TRIGGER_RE

    class Counting:
        def search(self, text: str):  # type: ignore[no-untyped-def]
            searched.append(text)
            return real.search(text)

    monkeypatch.setattr(inline, "TRIGGER_RE", Counting())
    doc = Document.from_text("Plain words here.\n\nMore plain words.\n\nSome **bold** words.\n")
    found = inline.blocks(doc)
    assert [(b.line, b.text) for b in found] == [(5, "Some **bold** words.")]
    assert searched == ["Some **bold** words."]


# -- empty-page: whether the body shows anything --------------------------------------------

BODY_PIECES = st.sampled_from([
    " ", "\n", "\xa0", "&nbsp;", "&#160;", "&#32;", "&amp;", "&nbsp", "&bogus;", "<!-- c -->", "<!--",
    "-->", "<p>", "</p>", "<div class=\"x\">", "<br/>", "<img src=x>", "<span>", "{{ x }}", "{%", "%}",
    "text", "x", "\u2003", "<", ">", "<P>", "&lt;", "\t",
])


def _plain_visible(doc: Document) -> bool:
    """empty-page's test as first written: every pass over the whole body."""
    import re
    from html import unescape

    from naislint.page.document import HTML_COMMENT_RE
    from naislint.rules.empty_page import _EMPTY_TAGS_RE

    body = HTML_COMMENT_RE.sub("", doc.text[doc.body_start :])
    if not body.strip():
        return False
    if "{{" in body or "{%" in body:
        return True
    rest = _EMPTY_TAGS_RE.sub("", body)
    if "<" in rest and re.search(r"<[A-Za-z]", rest):
        return True
    return bool(unescape(rest).replace("\xa0", " ").strip())


@MANY
@given(st.lists(BODY_PIECES, max_size=12), st.booleans())
def test_visible_body_as_the_plain_passes_find_it(pieces: list[str], front_matter: bool) -> None:
    from naislint.rules.empty_page import _visible

    doc = Document.from_text(("---\ntitle: a\n---\n" if front_matter else "") + "".join(pieces), "pages/a.md")
    assert _visible(doc) == _plain_visible(doc)


def test_empty_page_runs_the_comment_pass_only_on_a_body_with_a_comment(monkeypatch) -> None:
    from naislint.page import document
    from naislint.rules.empty_page import _visible

    passes: list[str] = []
    real = document.HTML_COMMENT_RE

    class Counting:
        def sub(self, repl: str, text: str) -> str:
            passes.append(text)
            return real.sub(repl, text)

    monkeypatch.setattr(document, "HTML_COMMENT_RE", Counting())
    assert _visible(Document.from_text("---\ntitle: a\n---\nSome text.\n", "pages/a.md"))
    assert passes == []
    assert not _visible(Document.from_text("---\ntitle: a\n---\n<!-- later -->\n", "pages/b.md"))
    assert passes == ["<!-- later -->\n"]


# -- the kramdown list rule ---------------------------------------------------------------


def test_kramdown_list_rule_imports_nothing_per_line(monkeypatch) -> None:
    """The block parser tries the list rule on every line of a paragraph: the rule has
    its helpers at hand instead of importing them at each call, and still refuses ``1)``."""
    import builtins

    from naislint.page.markdown import parser

    md = parser(True)
    imports: list[str] = []
    real = builtins.__import__

    def counting(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("markdown_it.rules_block"):
            imports.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", counting)
    tokens = md.parse("a line\nanother line\n\n1) not a list\n1. a list\n- bullet\n")
    monkeypatch.setattr(builtins, "__import__", real)
    assert imports == []
    assert [t.type for t in tokens if t.type.endswith("_open")] == [
        "paragraph_open", "paragraph_open", "ordered_list_open", "list_item_open", "paragraph_open",
        "bullet_list_open", "list_item_open", "paragraph_open",
    ]


# -- the HTML scanner: plain start tags read in one match ------------------------------------

TAG_NAMES = st.sampled_from(["p", "DIV", "h2", "img", "a", "my-tag", "x1", "a\xa0b", "b\x0bc", "svg:g", "br"])
TAG_SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\r", "\f", " \n ", "\xa0", "\x0b", "\x1c", "", "/", " / "])
ATTR_NAMES = st.sampled_from(["class", "HREF", "data-x", "aria-label", "xml:lang", "v.a", "_u", "on", "b\"c", "9a", "=x", "é"])
ATTR_VALUES = st.sampled_from([
    "", "=\"x\"", "='y'", "=\"\"", "=''", "=\"a &amp; b\"", "=\"a>b\"", "=\"line\nnext\"", "=x", "= \"x\"", " =\"x\"",
    "==\"x\"", "=\"x", "='it\"s'", "=\"&lt;&#62;\"", "=\"a/b\"", "=a/",
])
TAG_ENDS = st.sampled_from([">", "/>", " />", "/ >", " >", "", "\n>", "\xa0>"])


@MANY
@given(TAG_NAMES, st.lists(st.tuples(TAG_SPACES, ATTR_NAMES, ATTR_VALUES), max_size=4), TAG_SPACES, TAG_ENDS,
       st.integers(min_value=0, max_value=50))
def test_plain_start_tags_read_in_one_match_as_step_by_step(name, attrs, space, end, base) -> None:  # type: ignore[no-untyped-def]
    from naislint.page import html_scan

    data = "<" + name + "".join(s + a + v for s, a, v in attrs) + space + end + " tail"
    simple = html_scan._SIMPLE_START_TAG.match(data, 0)
    parsed = html_scan._parsed_start_tag(data, 0, base, True, 3)
    if simple is not None:
        assert html_scan._simple_start_tag(simple, data, base, True, 3) == parsed
    assert html_scan._start_tag(data, 0, base, True, 3) == parsed


def test_plain_start_tags_take_the_one_match_path() -> None:
    from naislint.page import html_scan

    for tag in ('<div class="a" id=\'b\' hidden>', "<br/>", '<img src="x.png" alt="" />', "<P\nALIGN=\"center\">"):
        assert html_scan._SIMPLE_START_TAG.match(tag) is not None, tag
    for tag in ("<a href=x>", '<a b = "c">', "<a\xa0b>", '<a b="c"d="e">', "<a / >"):
        assert html_scan._SIMPLE_START_TAG.match(tag) is None, tag


# -- front matter: plain mappings built off the nodes ----------------------------------------

YAML_KEYS = st.sampled_from(["title", "permalink", "description", "title", "<<", "'quoted'", "1", "true", "~", "? a"])
YAML_VALUES = st.sampled_from([
    "", " a page", " 'quoted'", ' "double"', " ~", " null", " Null", " 12", " 1.5", " true", " no", " 2021-03-04",
    " 2021-03-04 10:00:00", " !!str 12", " !!null ''", " &a x", " *a", " [a, b]", " {a: b}", " |\n  block\n  text",
    " >-\n  folded", " -x", " 0x1F", " .inf", " '' ", " =", " !custom x", " :colon", " a: b",
])


@MANY
@given(st.lists(st.tuples(YAML_KEYS, YAML_VALUES), max_size=8))
def test_plain_front_matter_mapping_is_what_the_constructor_builds(pairs: list[tuple[str, str]]) -> None:
    import yaml

    from naislint.page import frontmatter

    text = "".join(f"{k}:{v}\n" for k, v in pairs)
    try:
        root = frontmatter._compose(text)
    except yaml.YAMLError:
        return
    if root is None:
        return
    plain = frontmatter._plain_mapping(root)
    if plain is None:
        return
    loader = frontmatter._loader_class()("")
    try:
        built = loader.construct_document(root)
    finally:
        loader.dispose()
    assert plain == built
    assert list(plain) == list(built)


def test_plain_front_matter_needs_no_constructor(monkeypatch) -> None:
    """Strings and empty values are read off the nodes; a date still goes to PyYAML's
    constructor (and becomes a date)."""
    import datetime

    from naislint.page import frontmatter

    made: list[str] = []
    real = frontmatter._loader_class

    def counting() -> type:
        cls = real()
        made.append(cls.__name__)
        return cls

    monkeypatch.setattr(frontmatter, "_loader_class", counting)
    fm = frontmatter.parse("---\ntitle: A page\ndescription:\npermalink: /a/\n---\nbody\n")
    assert fm is not None and fm.data == {"title": "A page", "description": None, "permalink": "/a/"}
    assert len(made) == 1  # the composer's only
    made.clear()
    fm = frontmatter.parse("---\ntitle: A page\ndate: 2021-03-04\n---\nbody\n")
    assert fm is not None and fm.data == {"title": "A page", "date": datetime.date(2021, 3, 4)}
    assert len(made) == 2


# -- a page's lines -----------------------------------------------------------------------------


@MANY
@given(st.lists(st.sampled_from(["", "a", " b ", "\t", "x\u2028y", "\x85", "\f", "long line"]), max_size=8),
       st.booleans(), st.integers(min_value=-2, max_value=12))
def test_a_line_cut_from_the_text_is_the_split_line(parts: list[str], trailing: bool, number: int) -> None:
    text = "\n".join(parts) + ("\n" if trailing else "")
    cut = Document.from_text(text).line(number)
    split = text.split("\n")
    assert cut == (split[number - 1] if 1 <= number <= len(split) else "")
    doc = Document.from_text(text)
    doc.lines  # noqa: B018  # asked first: the same answer from the list
    assert doc.line(number) == cut


def test_asking_for_one_line_does_not_split_the_page() -> None:
    doc = Document.from_text("---\ntitle: a\n---\n" + "text\n" * 1000)
    assert doc.line(1) == "---" and doc.line(4) == "text" and doc.line(1005) == ""
    assert "lines" not in doc.__dict__
