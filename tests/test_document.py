"""Document, front matter and suppression internals that every rule relies on."""

from __future__ import annotations

from naislint.page import frontmatter
from naislint.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from naislint.page.document import Document, code_span_ranges
from naislint.run.fix import apply_edits
from naislint.page.html import page_tags
from naislint.page.text import LineIndex, decode


def test_positions_ignore_line_ending_style() -> None:
    for newline in ("\n", "\r\n", "\r"):
        doc = Document.from_text(newline.join(["---", "title: x", "---", "ab", "cdé"]))
        assert doc.lines == ["---", "title: x", "---", "ab", "cdé"]
        offset = doc.text.index("é")
        assert doc.position(offset) == (5, 3)
        assert doc.span(offset, offset + 1) == Span(5, 3, 5, 4)


def test_token_maps_are_file_lines_despite_front_matter() -> None:
    doc = Document.from_text("---\ntitle: x\nlist: [a]\n---\n# Heading\n\ntext\n")
    heading = next(t for t in doc.tokens if t.type == "heading_open")
    assert heading.map == [4, 5]
    src = doc.source_of(heading)
    at = src.start + src.text.index("Heading")
    assert doc.span(at, at + len("Heading")) == Span(5, 3, 5, 10)


def test_front_matter_positions_and_duplicates() -> None:
    doc = Document.from_text("---\ntitle: a\n  # comment\nlinks:\n  - url: /x/\n    url: /y/\ntitle: b\n---\n")
    fm = doc.front_matter
    assert fm.data == {"title": "b", "links": [{"url": "/y/"}]}
    assert fm.entries["title"].key_span == Span(7, 1, 7, 6)
    assert fm.entries["title"].value_span == Span(7, 8, 7, 9)
    dups = [(a.key, a.key_span.line, b.key_span.line) for a, b in fm.duplicates]
    assert sorted(dups) == [("title", 2, 7), ("url", 5, 6)]
    node = fm.node_at(["links", 0, "url"])
    assert fm.span_of(node) == Span(6, 10, 6, 13)


def test_front_matter_block_rules_follow_jekyll() -> None:
    assert frontmatter.find_block("text\n---\na: 1\n---\n") is None
    assert frontmatter.find_block("--- \na: 1\n...\nbody").close_line == 3
    never = frontmatter.parse("---\na: 1\n")
    assert never.error is not None and never.block.close_line is None
    empty = frontmatter.parse("---\n---\n")
    assert empty.ok and empty.data == {}


def test_alias_bomb_and_python_tags_are_refused() -> None:
    bomb = "---\na: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh")
    ) + "---\n"
    fm = frontmatter.parse(bomb)
    assert fm.error is not None and "too many values" in fm.error.message
    tag = frontmatter.parse("---\nx: !!python/object/apply:os.system ['true']\n---\n")
    assert tag.error is not None and tag.error.line == 2 and "python/object/apply" in tag.error.message


def test_prose_blanks_code_comments_and_front_matter() -> None:
    text = "---\ntitle: x\n---\na `&nbsp;` b <!-- &nbsp; -->\n\n```\n&nbsp;\n```\n&nbsp;\n"
    doc = Document.from_text(text)
    assert len(doc.prose) == len(doc.text)
    assert doc.prose.count("&nbsp;") == 1
    assert doc.prose.index("&nbsp;") == text.rindex("&nbsp;")


def test_code_span_ranges_follow_commonmark() -> None:
    text = "a `x` b ``y ` z`` \\`no` ``` open"
    assert [text[a:b] for a, b in code_span_ranges(text)] == ["`x`", "``y ` z``"]


def test_html_tags_carry_attribute_positions() -> None:
    doc = Document.from_text('para <a href="/x/" target=_blank>x</a>\n\n<div class="row"\n  style="a">\n</div>\n')
    tags = [(t.kind, t.name, doc.position(t.start)) for t in page_tags(doc)]
    assert tags == [("start", "a", (1, 6)), ("end", "a", (1, 35)), ("start", "div", (3, 1)), ("end", "div", (5, 1))]
    a = page_tags(doc)[0]
    assert doc.span(a.attr("target").start, a.attr("target").end) == Span(1, 20, 1, 33)
    style = page_tags(doc)[2].attr("style")
    assert doc.position(style.value_start) == (4, 10)


def test_decode_refuses_what_jekyll_cannot_read() -> None:
    import pytest

    from naislint.page.text import DecodeProblem

    assert decode(b"\xef\xbb\xbfabc").has_bom
    assert decode(b"a\r\nb\r\nc\n").newline == "\r\n"
    with pytest.raises(DecodeProblem, match="UTF-16"):
        decode(b"\xff\xfea\x00")
    with pytest.raises(DecodeProblem) as info:
        decode(b"ok\nab\xffc")
    assert (info.value.line, info.value.column) == (2, 3)


def test_line_index_round_trip() -> None:
    index = LineIndex("ab\n\ncd")
    assert [index.position(i) for i in range(7)] == [(1, 1), (1, 2), (1, 3), (2, 1), (3, 1), (3, 2), (3, 3)]
    assert index.offset(3, 2) == 5 and index.line_end(1) == 2


def _diag(line: int, col: int, end_line: int, end_col: int, text: str) -> Diagnostic:
    fix = Fix((Edit(Span(line, col, end_line, end_col), text),))
    return Diagnostic("p", Span(line, col, end_line, end_col), "NL000", "r", Severity.WARNING, "m", fix)


def test_apply_edits_keeps_line_endings_and_skips_overlaps() -> None:
    text = "one\r\ntwo\r\nthree\r\n"
    result = apply_edits(text, [_diag(2, 1, 2, 4, "2\n2"), _diag(2, 2, 2, 3, "X"), _diag(3, 6, 3, 6, "!")], "\r\n")
    assert result.text == "one\r\n2\r\n2\r\nthree!\r\n"
    assert result.applied == 2
