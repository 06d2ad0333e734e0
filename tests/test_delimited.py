"""The linear delimited-stretch scanner agrees with the lazy patterns it replaces, and a
page of unclosed openers costs one pass, not one pass per opener."""

from __future__ import annotations

import re
import time

from hypothesis import given, strategies as st

from naislint.page.document import Document
from naislint.page.delimited import NextOccurrence, delimited_spans
from naislint.registry import all_rules, RuleContext

LIQUID = (("{%", "%}"), ("{{", "}}"))
LIQUID_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)

pieces = st.sampled_from(["{%", "%}", "{{", "}}", "{", "}", "%", "<!--", "-->", "-", ">", "<", "x", "\n", " "])
texts = st.lists(pieces, max_size=40).map("".join)


@given(texts)
def test_liquid_spans_are_the_lazy_alternation_s(text: str) -> None:
    assert list(delimited_spans(text, LIQUID)) == [m.span() for m in LIQUID_RE.finditer(text)]


@given(texts)
def test_comment_spans_are_the_lazy_pattern_s(text: str) -> None:
    assert list(delimited_spans(text, (("<!--", "-->"),))) == [m.span() for m in COMMENT_RE.finditer(text)]


@given(texts, st.integers(0, 40), st.integers(0, 40))
def test_a_window_matches_the_pattern_on_that_window(text: str, a: int, b: int) -> None:
    start, stop = min(a, b, len(text)), min(max(a, b), len(text))
    expected = [m.span() for m in LIQUID_RE.finditer(text, start, stop)]
    assert list(delimited_spans(text, LIQUID, start, stop)) == expected


@given(texts, st.lists(st.integers(0, 40), max_size=10))
def test_next_occurrence_answers_as_find(text: str, positions: list[int]) -> None:
    finder = NextOccurrence(text, "-->")
    for pos in sorted(positions):
        assert finder.at_or_after(pos) == text.find("-->", pos)


def test_unclosed_openers_inside_a_raw_region_are_scanned_once() -> None:
    """20,000 unclosed comments, attribute quotes and CDATA sections in raw <div>s of a
    Jekyll page (its permalink makes it kramdown's): visible-markup once took minutes."""
    front = "---\ntitle: Hostile\npermalink: /hostile/\n---\n"
    n = 20_000
    text = (front + "<div>" + "<!-- x>" * n + "\n\n<div>" + "<a b='" * n
            + "\n\n<div>" + "<![CDATA[ x>" * n + "{% x" * n + "\n")
    doc = Document.from_text(text, "hostile.md")
    rule = all_rules()["visible-markup"]
    started = time.monotonic()
    list(rule.check(doc, RuleContext.alone(doc.path), rule.default_options()))
    assert time.monotonic() - started < 60  # quadratic scanning took over 300 s
