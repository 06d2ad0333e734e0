"""No fix edits protected text: code, Liquid, HTML comments, backslash escapes.

The protected stretches are checked one kind at a time, then the rule is enforced against
a deliberately careless rule (``careless-x`` replaces every ``X`` and ``*`` of the raw
text, code and Liquid included): its fixes inside protected text are taken away in the engine (the
diagnostic stays, reported as not fixable), and the fixer refuses them even when a caller
hands them over directly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cli_in import run
from naislint.diagnostics import Diagnostic, Edit, Finding, Fix, Severity, Span
from naislint.run.discover import Target
from naislint.page.document import Document
from naislint.run.engine import Linter, RunOptions
from naislint.run.fix import apply_edits, fix_target, protection_of
from naislint.page.protected import protected_regions
from naislint.registry import Rule, all_rules, RuleContext
from naislint.page.text import decode


def _protected_texts(text: str) -> list[str]:
    doc = Document.from_text(text)
    return [doc.text[a:b] for a, b in protected_regions(doc).ranges()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A `co de` span and ``two `ticks` `` too.\n", ["`co de`", "``two `ticks` ``"]),
        ("Text\n\n```\nfenced X\n```\n\n    indented X\n", ["```\nfenced X\n```", "    indented X"]),
        ("A <!-- comment X --> here.\n", ["<!-- comment X -->"]),
        ("See {% link _docs/x y.md %} and {{ site.url | append: 'X' }}.\n",
         ["{% link _docs/x y.md %}", "{{ site.url | append: 'X' }}"]),
        ("{% raw %}{{ X }} and X{% endraw %} after\n", ["{% raw %}{{ X }} and X{% endraw %}"]),
        ("{%- highlight ruby -%}\nX = 1\n{% endhighlight %}\nafter\n", ["{%- highlight ruby -%}\nX = 1\n{% endhighlight %}"]),
        ("{% comment %} X {% endcomment %} after\n", ["{% comment %} X {% endcomment %}"]),
        (r"\[not a link\] and \\ and \&nbsp; and \a" + "\n", [r"\[", r"\]", "\\\\", r"\&"]),
        ("Broken {{ never closed\nX\n", ["{{ never closed\nX\n"]),
        ("---\ntitle: '{{ X }}'\n---\nBody {{ y }}\n", ["{{ y }}"]),
        # kramdown (a page with a layout is a Jekyll page) reads markdown="1" content as
        # markdown: its code span is code, though markdown-it saw an HTML block
        ("---\nlayout: page\n---\n<div markdown=\"1\">\nA `X <b>` span\n</div>\n", ["`X <b>`"]),
    ],
    ids=["code-spans", "code-blocks", "comment", "liquid", "raw", "highlight", "liquid-comment", "escapes",
         "unclosed-liquid", "front-matter-is-not-body", "markdown-attribute"],
)
def test_protected_stretches(text: str, expected: list[str]) -> None:
    assert _protected_texts(text) == expected


def test_edges_may_be_touched_but_not_the_inside() -> None:
    doc = Document.from_text("ab `code` cd\n")
    p = protected_regions(doc)
    assert p.ranges() == [(3, 9)]
    assert not p.crosses_offsets(3, 3)  # insertion before the span
    assert not p.crosses_offsets(9, 9)  # insertion after it
    assert p.crosses_offsets(4, 4)  # insertion inside
    assert p.crosses_offsets(2, 4) and p.crosses_offsets(8, 10) and p.crosses_offsets(0, 12)
    assert not p.crosses_offsets(0, 3) and not p.crosses_offsets(9, 12)


def test_only_an_unsafe_fix_may_replace_a_whole_escape() -> None:
    """``2\\.`` made a list marker is pseudo-list's unsafe fix; a safe fix, or any fix that
    splits the escape (leaving a lone backslash or escaping something else), is refused."""
    doc = Document.from_text("2\\. Second\n")
    p = protected_regions(doc)
    whole = (Edit(Span(1, 1, 1, 4), "2."),)
    split = (Edit(Span(1, 2, 1, 3), ""),)  # the backslash alone
    assert p.allows(Fix(whole, safe=False))
    assert not p.allows(Fix(whole, safe=True))
    assert not p.allows(Fix(split, safe=False))
    assert p.allows(Fix((Edit(Span(1, 5, 1, 5), "x"),), safe=True))  # after the escape


# -- a careless rule ------------------------------------------------------------------


def _careless(doc, site, options):  # noqa: ANN001, ANN201
    for m in re.finditer(r"[X*]", doc.text[doc.body_start:]):
        at = doc.body_start + m.start()
        span = doc.span(at, at + 1)
        yield Finding(span, "an X", Fix((Edit(span, "Y"),), safe=True))


CARELESS = Rule(code="NL993", name="careless-x", summary="Every X (test rule)", check=_careless,
                default_severity=Severity.WARNING, fixable=True)

PAGE = (
    "---\ntitle: X marks\n---\n"
    "Plain X here.\n\n"  # line 4: fixable
    "Code `X` span, {{ X }} output, {% if X %}tag{% endif %}, <!-- X -->, \\* and \\X.\n\n"  # line 6
    "{% raw %}\nX\n{% endraw %}\n\n"  # line 9
    "```\nX\n```\n\n"  # line 13
    "Last X.\n"  # line 16: fixable
)
#: ``\\X`` is no escape (X is not punctuation): a backslash and an X, both plain text.
FIXED = PAGE.replace("Plain X", "Plain Y").replace("Last X", "Last Y").replace("\\X.", "\\Y.")


@pytest.fixture()
def careless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(all_rules(), CARELESS.name, CARELESS)


def _positions(diags: list[Diagnostic]) -> list[tuple[int, int, bool]]:
    return [(d.span.line, d.span.column, d.fix is not None) for d in diags if d.rule == "careless-x"]


def test_engine_takes_away_fixes_into_protected_text(careless: None) -> None:
    linter = Linter(RunOptions(select=("careless-x",)))
    diags = linter.lint_target(Target("page.md", "page.md", None), text=PAGE).diagnostics
    assert _positions(diags) == [
        (4, 7, True),
        (6, 7, False), (6, 19, False), (6, 38, False), (6, 63, False), (6, 71, False), (6, 78, True),
        (9, 1, False), (13, 1, False),
        (16, 6, True),
    ]


def test_fixer_refuses_protected_edits_it_is_handed(careless: None) -> None:
    """Even diagnostics that did not pass through the engine's check are refused."""
    doc = Document.from_text(PAGE)
    raw = [Diagnostic("page.md", f.span, "NL993", "careless-x", Severity.WARNING, f.message, f.fix)
           for f in _careless(doc, RuleContext.alone(doc.path), None)]
    assert len(raw) == 10
    result = apply_edits(PAGE, raw, "\n", protection_of(PAGE))
    assert result.applied == 3
    assert result.text == FIXED
    linter = Linter(RunOptions(select=("careless-x",)))
    outcome = fix_target(linter, Target("page.md", "page.md", None), raw, decode(PAGE.encode()), False)
    assert outcome.fixed == FIXED and outcome.applied == 3
    assert [p for p in _positions(outcome.diagnostics) if p[2]] == []  # nothing left to fix


def test_protection_holds_with_crlf(careless: None) -> None:
    crlf = PAGE.replace("\n", "\r\n")
    doc = Document.from_text(crlf)
    raw = [Diagnostic("page.md", f.span, "NL993", "careless-x", Severity.WARNING, f.message, f.fix)
           for f in _careless(doc, RuleContext.alone(doc.path), None)]
    assert apply_edits(crlf, raw, "\r\n", protection_of(crlf)).text == FIXED.replace("\n", "\r\n")


def test_cli_fix_and_json_report_of_protected_problems(tmp_path: Path, careless: None) -> None:
    page = tmp_path / "page.md"
    page.write_text(PAGE)
    result = run(tmp_path, "check", "page.md", "--select", "careless-x", "--fix", "--no-cache", "--format", "json")
    assert page.read_text() == FIXED
    reported = json.loads(result.stdout)
    assert [(d["line"], d["column"], d["fix"]) for d in reported] == [
        (6, 7, None), (6, 19, None), (6, 38, None), (6, 63, None), (6, 71, None), (9, 1, None), (13, 1, None),
    ]


def test_editor_quick_fixes_and_fix_all_leave_protected_text(tmp_path: Path, careless: None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The language server offers a quick fix only for the fixable problems, and its
    fix-all gives what --fix gives."""
    from naislint.lsp.actions import fix_edits
    from naislint.page.positions import LineTable
    from naislint.lsp.session import Session

    monkeypatch.chdir(tmp_path)
    session = Session(RunOptions(select=("careless-x",)))
    outcome = session.lint(str(tmp_path / "page.md"), PAGE, on_disk=False)
    quick = [(d.span.line, d.span.column) for d in outcome.diagnostics
             if fix_edits(LineTable(PAGE), d)]
    assert quick == [(4, 7), (6, 78), (16, 6)]
    assert session.fix_all(str(tmp_path / "page.md"), PAGE, outcome.diagnostics, on_disk=False) == FIXED
