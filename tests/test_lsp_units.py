"""The language server's plain-Python parts: positions, code action edits, file events;
and the server process surviving bytes that are not JSON-RPC."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from naislint.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from naislint.page.document import Document
from naislint.lsp import actions
from naislint.page.positions import UTF8, UTF16, UTF32, LineTable, column_from_units, units
from naislint.lsp.session import Session


def diag(rule: str, line: int, column: int, end_column: int, fix: Fix | None = None) -> Diagnostic:
    return Diagnostic("p.md", Span(line, column, line, end_column), "NL000", rule, Severity.WARNING, "m", fix)


# -- positions ------------------------------------------------------------------------------


def test_units_per_encoding():
    assert [units("a😀中", e) for e in (UTF8, UTF16, UTF32)] == [1 + 4 + 3, 1 + 2 + 1, 3]
    assert column_from_units("a😀b", 3) == 2
    assert column_from_units("a😀b", 2) == 2  # inside the pair: rounds up past the emoji
    assert column_from_units("a😀b", 99) == 3


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_spans_become_lsp_ranges_with_any_line_ending(newline):
    text = newline.join(["# T", "👋 中文 x!!", "end"])
    table = LineTable(text)
    # "!!" is at code-point columns 7-9 of line 2, UTF-16 characters 7-9 (0-based).
    assert table.span_range(Span(2, 7, 2, 9)) == ((1, 7), (1, 9))
    assert table.span_range(Span(2, 1, 2, 9)) == ((1, 0), (1, 9))
    # A span that takes the line break with it ends at the start of the next line.
    assert table.span_range(Span(2, 1, 2, 10)) == ((1, 0), (2, 0))
    # Past the end of the text: clamped to the end.
    assert table.span_range(Span(3, 1, 9, 1)) == ((2, 0), (2, 3))
    assert table.naislint_position(1, 7) == (2, 7)
    assert table.naislint_position(1, 2) == (2, 2)  # inside the emoji: after it


def test_utf8_and_utf32_clients_and_a_bom():
    assert LineTable("😀!!", UTF8).span_range(Span(1, 2, 1, 4)) == ((0, 4), (0, 6))
    assert LineTable("😀!!", UTF32).span_range(Span(1, 2, 1, 4)) == ((0, 1), (0, 3))
    # naislint does not count a BOM; the editor's buffer holds it as a character.
    assert LineTable("\ufeffab!!").span_range(Span(1, 3, 1, 5)) == ((0, 3), (0, 5))


# -- code action edits ---------------------------------------------------------------------


def apply(text: str, edits: list[actions.BufferEdit]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def test_fix_edits_keep_the_buffer_line_endings():
    text = "a\r\nbb!!\r\n"
    fix = Fix((Edit(Span(2, 3, 2, 5), "!\n!"),))
    table = LineTable(text)
    assert apply(text, actions.fix_edits(table, diag("x", 2, 3, 5, fix))) == "a\r\nbb!\r\n!\r\n"


def test_diff_edits():
    before = "a\nb\nc\nd"
    after = "a\nB\nc\nd\ne\n"
    assert apply(before, actions.diff_edits(before, after)) == after


@pytest.mark.parametrize("text, line, expected", [
    # The first line of a paragraph: a comment line above, with its indentation.
    ("Para!!\nmore\n", 1, "<!-- naislint-disable-next-line r -->\nPara!!\nmore\n"),
    # Inside a paragraph a comment line would split it: the end of the line instead.
    ("Para\nmore!!\n", 2, "Para\nmore!! <!-- naislint-disable-line r -->\n"),
    ("| a | b |\n|---|---|\n| c!! | d |\n", 3, "| a | b |\n|---|---|\n| c!! | d | <!-- naislint-disable-line r -->\n"),
    ("<div>\n  <p>x!!</p>\n</div>\n", 2, "<div>\n  <!-- naislint-disable-next-line r -->\n  <p>x!!</p>\n</div>\n"),
    ("1. a\n10. b!!\n", 2, "1. a\n    <!-- naislint-disable-next-line r -->\n10. b!!\n"),
])
def test_disable_comment_placement(text, line, expected):
    doc = Document.from_text(text, "p.md")
    disable = actions.disable_edit(doc, LineTable(text), diag("r", line, 1, 2))
    assert disable is not None and apply(text, [disable.edit]) == expected


@pytest.mark.parametrize("text, rule, line", [
    ("```\ncode!!\n```\n", "r", 2),               # a comment in code would be shown
    ("---\ntitle: [\n", "r", 2),                    # front matter never closed
    ("<!-- naislint-disable r -->\n", "unused-suppression", 1),
])
def test_no_disable_offered(text, rule, line):
    doc = Document.from_text(text, "p.md")
    assert actions.disable_edit(doc, LineTable(text), diag(rule, line, 1, 2)) is None


def test_disable_file_after_front_matter_without_final_newline():
    text = "---\ntitle: x\n---"
    doc = Document.from_text(text, "p.md")
    disable = actions.disable_edit(doc, LineTable(text), diag("r", 2, 1, 6))
    assert apply(text, [disable.edit]) == text + "\n<!-- naislint-disable-file r -->"


# -- file events -------------------------------------------------------------------------


def test_file_events_invalidate_what_they_change(tmp_path):
    root = tmp_path / "site"
    (root / ".git").mkdir(parents=True)
    (root / "_config.yml").write_text("title: x\n")
    session = Session()
    page = str(root / "a.md")
    assert session.lint(page, "# A\n").error is None
    session.generations[str(root)] = 0  # as if a site rule had asked for the index
    session.install(str(root), 0, object())
    assert session.stale_roots() == []

    assert not session.files_changed([str(root / ".git" / "index")]).any
    # The index's own cache, written by the rebuild: no rebuild loop.
    assert not session.files_changed([str(root / ".naislint_cache" / "site-facts.json")]).any
    assert not session.files_changed([str(root / "_site" / "a.html")]).any
    assert not session.files_changed([str(tmp_path / "elsewhere.md")]).any
    changes = session.files_changed([page, str(root / "b.md")])
    assert changes.roots == {str(root)} and not changes.config
    assert session.stale_roots() == [str(root)]
    # A build that started before the event is not installed.
    assert not session.install(str(root), 0, object())

    linter = session.linter
    (root / ".naislint.yml").write_text("rules:\n  front-matter-empty: off\n")
    changes = session.files_changed([str(root / ".naislint.yml")])
    assert changes.config and session.linter is not linter


# -- the process ---------------------------------------------------------------------------


def frame(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


@pytest.mark.slow
def test_garbage_and_malformed_requests_on_stdin_are_survived():
    pytest.importorskip("pygls")
    messages = [
        b"Content-Length: 9\r\n\r\n{not json",
        frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"processId": None, "rootUri": None, "capabilities": {}}}),
        frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction",
               "params": {"textDocument": 5, "range": "everything"}}),
        frame({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover",
               "params": {"textDocument": {"uri": "file:///nowhere/x.md"}, "position": {"line": 0, "character": 0}}}),
        frame({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}),
        frame({"jsonrpc": "2.0", "method": "exit"}),
    ]
    done = subprocess.run([sys.executable, "-m", "naislint", "server"], input=b"".join(messages),
                          capture_output=True, timeout=60)
    replies = {}
    for chunk in done.stdout.split(b"Content-Length: ")[1:]:
        body = json.loads(chunk.split(b"\r\n\r\n", 1)[1])
        if "id" in body:
            replies[body["id"]] = body
    assert "capabilities" in replies[1]["result"]
    assert replies[2]["error"]["code"] == -32602  # invalid params
    assert replies[3]["result"] is None
    assert replies[4]["result"] is None
    assert done.returncode == 0


def test_fix_all_keeps_a_bom_and_an_untitled_buffer_has_no_site(tmp_path, monkeypatch):
    from naislint.lsp.session import Session

    (tmp_path / "_config.yml").write_text("title: x\n")
    monkeypatch.chdir(tmp_path)
    session = Session()
    assert session.lint("untitled.md", "# A\n", on_disk=False).error is None
    assert session.generations == {}  # no site asked for
    text = "\ufeff---\ntitle: x\ntitle: y\n---\nBody\n"
    outcome = session.lint(str(tmp_path / "p.md"), text)
    fixed = session.fix_all(str(tmp_path / "p.md"), text, outcome.diagnostics)
    assert fixed.startswith("\ufeff---\n")


# -- buffers -----------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: Line breaks of every kind, characters of one to four UTF-8 bytes, two UTF-16 units.
BUFFER_TEXT = st.text(alphabet="ab\r\n é中😀\f", max_size=40)


@settings(max_examples=200, deadline=None)
@given(BUFFER_TEXT, st.data())
def test_line_starts_follow_edits(text, data):
    from naislint.lsp.buffers import LineStarts

    lines = LineStarts(text)
    for _ in range(4):
        start = data.draw(st.integers(0, len(lines.text)))
        end = data.draw(st.integers(start, len(lines.text)))
        new = data.draw(BUFFER_TEXT)
        expected = lines.text[:start] + new + lines.text[end:]
        lines.replace(start, end, new)
        assert lines.text == expected
        assert lines.starts == LineStarts(expected).starts


@settings(max_examples=200, deadline=None)
@given(BUFFER_TEXT, st.integers(-1, 12), st.integers(-1, 12), st.sampled_from([UTF8, UTF16, UTF32]))
def test_line_starts_offsets_are_those_of_the_line_table(text, line, character, encoding):
    from naislint.lsp.buffers import LineStarts

    assert LineStarts(text).offset(line, character, encoding) == LineTable(text, encoding).offset(line, character)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n é中😀", max_size=40), st.data())
def test_a_buffer_takes_edits_as_pygls_does(text, data):
    """Where pygls is right (only "\\n" breaks, in range), a Buffer agrees with it."""
    from lsprotocol import types
    from pygls.workspace import TextDocument

    from naislint.lsp.buffers import Buffer

    ours, theirs = Buffer("file:///p.md", text), TextDocument("file:///p.md", text)
    for _ in range(3):
        lines = theirs.source.split("\n")
        sl = data.draw(st.integers(0, len(lines) - 1))
        el = data.draw(st.integers(sl, len(lines) - 1))
        sc = data.draw(st.integers(0, len(lines[sl].encode("utf-16-le")) // 2))
        ec = data.draw(st.integers(sc if el == sl else 0, len(lines[el].encode("utf-16-le")) // 2))
        change = types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(sl, sc), types.Position(el, ec)), text=data.draw(st.text("x\né😀", max_size=5)))
        ours.apply_change(change)
        theirs.apply_change(change)
        assert ours.source == theirs.source



PRELOAD_SCRIPT = """
import sys
before = any(name.startswith("naislint.rules.") for name in sys.modules)
from naislint.lsp.server import create_server
imported = any(name.startswith("naislint.rules.") for name in sys.modules)
create_server(watch_mode="off")
print(before, imported, "naislint.rules.doubled_word" in sys.modules, "naislint.rules.broken_link" in sys.modules,
      "markdown_it.main" in sys.modules)
"""


def test_the_server_imports_the_rules_before_it_reads_a_message() -> None:
    """A run imports a rule's module only when it runs the rule: the server imports them
    all, and builds the markdown parser, as it is made, before the client's first message,
    so the first page opened does not wait for them. A fresh interpreter, as this process has imported the rules
    already; importing the server's module alone imports none."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", PRELOAD_SCRIPT], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "True", "True", "True"]
