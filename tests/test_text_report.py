"""The text report's shortcuts print what the plain way printed: the uncoloured lines
built without a painter, the gutter under a source line taken from a constant, a message
without surrogates printed as it is."""

from __future__ import annotations

from naislint.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from naislint.reporters import ReportContext, text
from naislint.reporters._escape import plain_text
from naislint.run.discover import Target
from naislint.run.results import FileResult, RunResult


def _run(lines: dict[int, str]) -> RunResult:
    diagnostics = [
        Diagnostic("p\x1b.md", Span(n, 3, n, 6), "NL201", "list-numbering", Severity.WARNING, f"m\udcff {n}",
                   Fix((Edit(Span(n, 3, n, 6), "x"),), safe=n % 2 == 0))
        for n in sorted(lines)
    ]
    file = FileResult(Target("p\x1b.md", "p\x1b.md", None), diagnostics, excerpts=dict(lines))
    return RunResult(diagnostics=list(diagnostics), files=[file])


def test_the_gutter_under_a_line_lines_up_past_line_99999() -> None:
    out = text.render(_run({7: "a\tbcdefgh", 99999: "abcdefgh", 123456: "abcdefgh"}), ReportContext())
    lines = out.splitlines()
    assert lines[:3] == ["p\\x1b.md:7:3: NL201 list-numbering m\\xff 7", "    7 | a bcdefgh", "      |   ^^^"]
    assert lines[4:6] == ["99999 | abcdefgh", "      |   ^^^"]
    assert lines[6:9] == ["p\\x1b.md:123456:3: NL201 list-numbering [*] m\\xff 123456", "123456 | abcdefgh",
                          "       |   ^^^"]


def test_colour_paints_the_same_lines() -> None:
    run = _run({7: "abcdefgh", 123456: "abcdefgh"})
    plain = text.render(run, ReportContext()).splitlines()
    painted = text.render(run, ReportContext(color=True)).splitlines()
    assert painted[1] == "\x1b[2m    7 | \x1b[0mabcdefgh"
    assert painted[2] == "\x1b[2m      | \x1b[0m\x1b[1;31m  ^^^\x1b[0m"
    assert painted[5] == "\x1b[2m       | \x1b[0m\x1b[1;31m  ^^^\x1b[0m"
    assert painted[0] == "\x1b[1mp\\x1b.md:7:3:\x1b[0m \x1b[1;33mNL201\x1b[0m list-numbering m\\xff 7"
    assert len(painted) == len(plain)


def test_plain_text_escapes_surrogates_and_keeps_the_rest() -> None:
    assert plain_text("plain ascii \x1b text") == "plain ascii \x1b text"
    assert plain_text("caf\u00e9 \udcff \u202e") == "caf\u00e9 \\xff \u202e"
