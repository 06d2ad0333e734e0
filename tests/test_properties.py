"""Properties over generated pages: linting never fails, output follows the contract,
and fixes converge and touch nothing outside their edits.

The generator writes what the sites are made of and what the rules look for: front
matter (empty values, duplicate keys, tabs), headings, bold-only lines, lists (nested,
pseudo-lists such as ``2\\.`` and ``•``), raw HTML (``target="_blank"`` links, inline
styles, unclosed tags), ``&nbsp;`` in every spelling, split emphasis (``****``,
``**&nbsp;**``), kramdown attribute lists, code, tables and suppression comments, with
any line ending and an optional BOM. New rules with fixes are covered as they land: the
properties run every registered rule that needs no site.

Default examples keep the suite fast; ``pytest --hypothesis-profile=long`` runs many more.
"""

from __future__ import annotations

import pytest

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract import check_item, file_lines
from naislint.diagnostics import Diagnostic
from naislint.run.discover import Target
from naislint.run.engine import Linter, RunOptions
from naislint.run.fix import apply_edits, applicable, encode
from naislint.reporters import ReportContext, reporter
from naislint.run.engine import RunResult
from naislint.page.text import NEWLINE_RE, decode

MAX_FIX_ROUNDS = 5

WORDS = st.sampled_from(
    ["the", "Ministry", "plan", "café", "résumé", "水", "naïve", "2024", "x", "A", "emergency", "resilience"]
)
URLS = st.sampled_from(
    ["/about/", "https://example.gov.sg/a b.pdf", "/files/Annual Report.pdf", "#top", "mailto:a@b.sg",
     "javascript:alert(1)", "", "/a/b/#part-2", "<>", "http://x.sg/?q=1&r=2"]
)


@st.composite
def inline(draw) -> str:
    w = draw(WORDS)
    u = draw(URLS)
    pieces = [
        w,
        f"*{w}*",
        f"**{w}**",
        f"**{w}****{w}**",
        f"**{w}**&nbsp;**{w}**",
        f"**{w}**\u00a0**{w}**",
        f"** {w}**",
        "&nbsp;",
        "&amp;nbsp;",
        "&#160;",
        "&nbsp;&nbsp;",
        "\u00a0",
        f"[{w}]({u})",
        f"[{w}]({u}){{:target=\"_blank\"}}",
        f"![{w}]({u})",
        f'<a href="{u}" target="_blank">{w}</a>',
        f"<a href='{u}' target=_blank rel=\"nofollow\">{w}</a>",
        f'<span style="color:red">{w}</span>',
        f"<b>{w}",
        "</div>",
        f"`{w}`",
        f"``{w} ` {w}``",
        f"<!-- {w} -->",
        "<!--",
        f"{w}{w[-1] * 4}",
        "\\*",
        "*",
        "**",
        "\t",
        "<br>",
        "{: .class}",
    ]
    return " ".join(draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=6)))


@st.composite
def block(draw) -> str:
    text = draw(inline())
    level = draw(st.integers(1, 7))
    marker = draw(st.sampled_from(["- ", "* ", "1. ", "2\\. ", "• ", "a) ", "+ "]))
    indent = " " * draw(st.sampled_from([0, 2, 3, 4]))
    kind = draw(st.integers(0, 13))
    if kind == 0:
        return "#" * level + " " + text
    if kind == 1:
        return f"**{text}**"
    if kind == 2:
        items = draw(st.lists(inline(), min_size=1, max_size=4))
        return "\n".join(f"{indent if i else ''}{marker}{item}" for i, item in enumerate(items))
    if kind == 3:
        return f"> {text}\n> > {draw(inline())}"
    if kind == 4:
        return f'<div class="x">\n<p>{text}</p>\n<a href="/x/" target="_blank">x</a>\n</div>'
    if kind == 5:
        return f"<table><tr><td>{text}</td></tr>"
    if kind == 6:
        return f"```\n{text}\n```"
    if kind == 7:
        return f"| a | b |\n|---|---|\n| {text} | `x|y` |"
    if kind == 8:
        rule = draw(st.sampled_from(["target-blank", "nbsp-entity", "NL501", "nothing-here", ""]))
        return f"<!-- naislint-disable-next-line {rule} -->\n{text}"
    if kind == 9:
        return f"{text}\n{{: target=\"_blank\"}}"
    if kind == 10:
        return f"    {text}"
    if kind == 11:
        return f"{text}\n{'=' if level % 2 else '-'}{'=' * level}"
    return text


@st.composite
def front_matter(draw) -> str:
    keys = draw(st.lists(
        st.sampled_from([
            "title: A page", "title: ''", "permalink: /a-page/", "permalink: /a page/", "description: ''",
            "description:", "layout: post", "image: /images/a.png", "third_nav_title: Nav", "title: Again",
            "date: 2024-01-32", "tags: [a, b", "links:\n  - url: /x/\n    url: /y/", "title:\tTab",
            "a: &a [1, 2]\nb: *a", "x: !!python/object/apply:os.system ['true']", "'quoted key': 1",
        ]),
        max_size=6,
    ))
    close = draw(st.sampled_from(["---", "---", "...", ""]))
    return "---\n" + "".join(k + "\n" for k in keys) + (close + "\n" if close else "")


@st.composite
def page(draw) -> bytes:
    parts = []
    if draw(st.booleans()):
        parts.append(draw(front_matter()))
    blocks = draw(st.lists(block(), max_size=8))
    separator = draw(st.sampled_from(["\n\n", "\n", "\n\n\n"]))
    parts.append(separator.join(blocks))
    text = "".join(parts)
    if draw(st.booleans()):
        text += "\n"
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    return data


def _lint(linter: Linter, raw: bytes | None = None, text: str | None = None) -> list[Diagnostic]:
    target = Target("generated/page.md", "generated/page.md", None)
    return linter.lint_target(target, text=text, raw=raw).diagnostics


def _linter() -> Linter:
    # Every rule that needs no site, including those off by default.
    return Linter(RunOptions(extend_select=("NL",), use_cache=False, jobs=1))


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(page())
def test_linting_never_fails_and_follows_the_contract(raw: bytes) -> None:
    linter = _linter()
    diagnostics = _lint(linter, raw=raw)
    assert linter.internal_errors == []
    lines = file_lines(raw)
    result = RunResult(diagnostics=diagnostics)
    rendered = json.loads(reporter("json")(result, ReportContext(color=False)))
    assert len(rendered) == len(diagnostics)
    for item in rendered:
        check_item(item, lines)
    assert "unreadable-file" not in {d.rule for d in diagnostics}


def _offsets(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in NEWLINE_RE.finditer(text))
    return starts


def _offset(starts: list[int], line: int, column: int) -> int:
    return starts[line - 1] + column - 1


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(page())
def test_each_fix_changes_only_its_edits(raw: bytes) -> None:
    linter = _linter()
    decoded = decode(raw)
    text = decoded.text
    starts = _offsets(text)
    for d in _lint(linter, raw=raw):
        if d.fix is None:
            continue
        ranges = sorted((_offset(starts, e.span.line, e.span.column), _offset(starts, e.span.end_line, e.span.end_column))
                        for e in d.fix.edits)
        fixed = apply_edits(text, [d], decoded.newline).text
        # What precedes the first edit and follows the last is byte for byte the same;
        # so is every stretch between two edits.
        head, tail = ranges[0][0], len(text) - ranges[-1][1]
        assert fixed[:head] == text[:head], d
        assert fixed[len(fixed) - tail:] == text[len(text) - tail:], d
        assert encode(fixed, decoded.has_bom).startswith(encode(text[:head], decoded.has_bom))
        cursor = 0
        for (a, b), edit in zip(ranges, sorted(d.fix.edits, key=lambda e: (e.span.line, e.span.column))):
            between = text[cursor:a]
            assert between in fixed, d
            cursor = b


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(page())
def test_fixes_reach_a_fixed_point(raw: bytes) -> None:
    linter = _linter()
    decoded = decode(raw)
    text = decoded.text
    diagnostics = _lint(linter, raw=raw)
    history = [text]
    for _round in range(MAX_FIX_ROUNDS):
        todo = applicable(diagnostics, unsafe=True)
        if not todo:
            break
        result = apply_edits(text, todo, decoded.newline)
        if result.text == text:
            break
        text = result.text
        history.append(text)
        diagnostics = _lint(linter, text=text)
        assert linter.internal_errors == []
        lines = NEWLINE_RE.split(text)
        for d in diagnostics:
            check_item(d.to_json(), lines)
    else:
        todo = applicable(diagnostics, unsafe=True)
        assert not todo or apply_edits(text, todo, decoded.newline).text == text, (
            f"fixes still change the page after {MAX_FIX_ROUNDS} rounds:\n" + "\n---\n".join(history[-3:])
        )
