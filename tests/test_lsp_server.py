"""The language server, driven over stdio by a real LSP client (pytest-lsp).

One server process serves the whole module (starting one takes about a second); every
test works in its own site folder, so tests do not see each other's pages or configs.
Besides the built-in rules, the server has the rule of ``lsp_test_rules`` installed as a
plugin (a fixable rule, whatever the built-in rules' fixes are).

To cover more rules, add lines to ``PAGE`` and an entry to ``EXPECTED`` (the LSP range of
the diagnostic) and to ``REPAIRS`` (a text replacement that repairs that line).
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

TESTS = Path(__file__).resolve().parent
TIMEOUT = 10.0


def _plugin_dir() -> str:
    """A folder holding the dist-info that registers ``lsp_test_rules`` as a plugin."""
    folder = Path(tempfile.mkdtemp(prefix="naislint-lsp-plugin-"))
    atexit.register(shutil.rmtree, folder, True)
    info = folder / "naislint_lsp_test_rules-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: naislint-lsp-test-rules\nVersion: 0\n")
    (info / "entry_points.txt").write_text(
        "[naislint.rules]\n"
        "lsptest-bang = lsp_test_rules:BANG\n"
    )
    return str(folder)


def _server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([_plugin_dir(), str(TESTS), env.get("PYTHONPATH", "")])
    return env


SERVER = [sys.executable, "-m", "naislint", "server"]


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER, server_env=_server_env()))
async def client(lsp_client: LanguageClient):
    registered: list[types.Registration] = []
    lsp_client.registrations = registered

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registered.extend(params.registrations)

    params = types.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


pytestmark = pytest.mark.asyncio(loop_scope="module")


# -- helpers ----------------------------------------------------------------------------


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "_config.yml").write_text("title: Test site\n")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


def open_page(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = uri_of(path)
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(
            uri=uri, language_id="markdown", version=1,
            text=text if text is not None else path.read_text(encoding="utf-8"),
        )
    ))
    return uri


def replace_all(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
    ))


async def diagnostics(client: LanguageClient, uri: str, until=lambda ds: True) -> list[types.Diagnostic]:
    """The diagnostics of ``uri`` once published (and once ``until`` holds for them).

    The server may publish more than once for one change (again when a site index it was
    building comes in), so a test waits for the state it expects rather than for the next
    notification; a wrong state fails by timeout with the last diagnostics seen.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while loop.time() < deadline:
        found = client.diagnostics.get(uri)
        if found is not None and until(found):
            return list(found)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no matching diagnostics for {uri}; last: {client.diagnostics.get(uri)}")


def by_rule(found: list[types.Diagnostic]) -> dict[str, tuple[int, int, int, int]]:
    return {d.code: (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)
            for d in found}


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) to ``text``, as an editor would."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = line.encode("utf-16-le")[: pos.character * 2].decode("utf-16-le")
        return before + len(units)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return list(action.edit.changes[uri])


# -- the page ------------------------------------------------------------------------------

PAGE = """\
---
title: Contact us
description: ""
permalink: /contact-us/
title: Contact
---
Body 🎉 text, see [the form](/feedback/).

- Call us 📞
- Write to us
- Call us 📞
"""
#: rule -> (start line, start character, end line, end character), 0-based, UTF-16
#: (the emoji before the link is two UTF-16 units).
EXPECTED = {
    "front-matter-empty": (2, 0, 2, 11),
    "front-matter-duplicate-key": (4, 0, 4, 5),
    "broken-link": (6, 29, 6, 39),
    "duplicate-list-item": (10, 0, 10, 1),
}
#: rule -> (old, new): the edit that repairs that defect and no other.
REPAIRS = {
    "front-matter-empty": ('description: ""\n', "description: How to reach us\n"),
    "front-matter-duplicate-key": ("title: Contact\n", "summary: Contact\n"),
    "broken-link": ("(/feedback/)", "(/contact-us/)"),
    "duplicate-list-item": ("- Write to us\n- Call us 📞\n", "- Write to us\n- Visit us\n"),
}


# -- tests ---------------------------------------------------------------------------------


async def test_diagnostics_on_open_and_after_an_edit(client: LanguageClient, tmp_path: Path):
    root = site(tmp_path, {"contact.md": PAGE})
    uri = open_page(client, root / "contact.md")
    # Link diagnostics come once the site index is built (on a worker thread).
    found = await diagnostics(client, uri, lambda ds: set(by_rule(ds)) == set(EXPECTED))
    assert by_rule(found) == EXPECTED
    assert all(d.source == "naislint" for d in found)

    version = 1
    for rule, (old, new) in REPAIRS.items():
        version += 1
        text = PAGE.replace(old, new)
        replace_all(client, uri, version, text)
        found = await diagnostics(client, uri, lambda ds: rule not in by_rule(ds))
        assert by_rule(found) == {r: v for r, v in EXPECTED.items() if r != rule}


async def test_utf16_ranges_and_a_fix_applied_to_the_buffer(client: LanguageClient, tmp_path: Path):
    text = "# Title\n\n👋 中文 wave 😀!! done\n"
    root = site(tmp_path, {"hello.md": text})
    uri = open_page(client, root / "hello.md")
    found = await diagnostics(client, uri, lambda ds: "lsptest-bang" in by_rule(ds))
    # "👋 中文 wave 😀" is 11 code points but 13 UTF-16 units.
    assert by_rule(found)["lsptest-bang"] == (2, 13, 2, 15)

    bang = next(d for d in found if d.code == "lsptest-bang")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=bang.range,
        context=types.CodeActionContext(diagnostics=[bang]),
    ))
    titles = [a.title for a in actions]
    fix = next(a for a in actions if a.title.startswith("Fix:"))
    assert apply(text, edits_of(fix, uri)) == "# Title\n\n👋 中文 wave 😀! done\n"
    disable = next(a for a in actions if a.title == "Disable lsptest-bang on this line")
    assert apply(text, edits_of(disable, uri)) == (
        "# Title\n\n<!-- naislint-disable-next-line lsptest-bang -->\n👋 中文 wave 😀!! done\n"
    )
    assert "Fix all safely fixable naislint problems" in titles


async def test_fix_all_and_disable_in_front_matter(client: LanguageClient, tmp_path: Path):
    text = "---\ntitle: Hi\ndescription: \"\"\n---\nOne!! two!!!\n\n- a\n- b!!\n"
    root = site(tmp_path, {"page.md": text})
    uri = open_page(client, root / "page.md")
    found = await diagnostics(client, uri)
    whole = types.Range(types.Position(0, 0), types.Position(8, 0))
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=whole,
        context=types.CodeActionContext(diagnostics=found, only=["source.fixAll"]),
    ))
    assert [a.kind for a in actions] == ["source.fixAll.naislint"]
    assert apply(text, edits_of(actions[0], uri)) == text.replace("!!!", "!").replace("!!", "!")

    empty = next(d for d in found if d.code == "front-matter-empty")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=empty.range,
        context=types.CodeActionContext(diagnostics=[empty], only=["quickfix"]),
    ))
    disable = next(a for a in actions if a.title == "Disable front-matter-empty for this file")
    fixed = apply(text, edits_of(disable, uri))
    assert fixed == text.replace("---\nOne", "---\n<!-- naislint-disable-file front-matter-empty -->\nOne")
    replace_all(client, uri, 2, fixed)
    found = await diagnostics(client, uri, lambda ds: "front-matter-empty" not in by_rule(ds))
    assert "front-matter-empty" not in by_rule(found)

    # A list item after another: the comment goes in the list, not between two lists.
    second = next(d for d in found if d.code == "lsptest-bang" and d.range.start.line == 8)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=second.range,
        context=types.CodeActionContext(diagnostics=[second]),
    ))
    disable = next(a for a in actions if a.title.startswith("Disable"))
    assert apply(fixed, edits_of(disable, uri)).endswith(
        "- a\n  <!-- naislint-disable-next-line lsptest-bang -->\n- b!!\n")


async def test_config_file_created_turns_a_rule_off(client: LanguageClient, tmp_path: Path):
    # The server asked the client to watch the workspace's files (its request follows the
    # client's 'initialized' notification, so it may still be on its way).
    for _ in range(200):
        if client.registrations:
            break
        await asyncio.sleep(0.025)
    assert [r.method for r in client.registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    root = site(tmp_path, {"contact.md": PAGE})
    uri = open_page(client, root / "contact.md")
    assert "front-matter-empty" in by_rule(await diagnostics(client, uri))

    config = root / ".naislint.yml"
    config.write_text("rules:\n  front-matter-empty: off\n")
    client.diagnostics.pop(uri, None)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri_of(config), type=types.FileChangeType.Created)
    ]))
    # The page is linted again at once, and again when the site index is rebuilt for the
    # new configuration (broken-link comes with it): wait for the whole state.
    wanted = set(EXPECTED) - {"front-matter-empty"}
    found = await diagnostics(client, uri, lambda ds: set(by_rule(ds)) == wanted)
    assert set(by_rule(found)) == wanted

    # A broken config is shown on the page instead of stopping the server.
    config.write_text("rules:\n  no-such-rule: off\n")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri_of(config), type=types.FileChangeType.Changed)
    ]))
    found = await diagnostics(client, uri, lambda ds: any(d.code == "configuration" for d in ds))
    assert "no-such-rule" in found[0].message


async def test_new_page_on_disk_updates_the_site_index(client: LanguageClient, tmp_path: Path):
    root = site(tmp_path, {"contact.md": PAGE})
    uri = open_page(client, root / "contact.md")
    found = await diagnostics(client, uri, lambda ds: "broken-link" in by_rule(ds))
    assert by_rule(found)["broken-link"] == EXPECTED["broken-link"]

    page = root / "feedback.md"
    page.write_text("---\ntitle: Feedback\npermalink: /feedback/\n---\nTell us.\n")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri_of(page), type=types.FileChangeType.Created)
    ]))
    found = await diagnostics(client, uri, lambda ds: "broken-link" not in by_rule(ds))
    assert set(by_rule(found)) == set(EXPECTED) - {"broken-link"}


async def test_hover_shows_the_rule_doc(client: LanguageClient, tmp_path: Path):
    root = site(tmp_path, {"contact.md": PAGE})
    uri = open_page(client, root / "contact.md")
    await diagnostics(client, uri)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(2, 3),
    ))
    assert hover is not None
    assert "front-matter-empty" in hover.contents.value
    assert "## What it does" in hover.contents.value


async def test_malformed_requests_do_not_kill_the_server(client: LanguageClient, tmp_path: Path):
    # Bytes that are not JSON, then a request whose params are of the wrong shape (the
    # client library refuses to send such things, so they go straight to the pipe; the
    # error response itself is checked in test_lsp_units.py).
    client.protocol.writer.write(b"Content-Length: 9\r\n\r\n{not json")
    body = json.dumps({"jsonrpc": "2.0", "id": "bad-1", "method": "textDocument/codeAction",
                       "params": {"textDocument": 5, "range": "everything"}}).encode()
    client.protocol.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    # A request about a document that was never opened answers with nothing.
    missing = (tmp_path / "missing.md").resolve().as_uri()
    assert await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=missing), position=types.Position(99, 99),
    )) is None
    # A position far outside the buffer is clamped, not an error.
    root = site(tmp_path, {"contact.md": PAGE})
    uri = open_page(client, root / "contact.md")
    await diagnostics(client, uri)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(500, 9), types.Position(900, 0)),
        context=types.CodeActionContext(diagnostics=[]),
    ))
    assert list(actions or []) == []
    # And the server still lints.
    replace_all(client, uri, 2, PAGE.replace('""', "Reach us"))
    await diagnostics(client, uri, lambda ds: "front-matter-empty" not in by_rule(ds))



NAVIGATION = """\
logo: /images/logo.png
links:
  - title: Contact
    url: /contact-us/
  - title: Feedback
    url: /feedbak/
"""


async def test_diagnostics_for_an_open_navigation_file(client: LanguageClient, tmp_path: Path):
    """The navbar's data file is linted like a page: its broken url is published at the
    value's range, and goes once the buffer is repaired."""
    root = site(tmp_path, {"contact.md": PAGE, "images/logo.png": "", "_data/navigation.yml": NAVIGATION})
    uri = uri_of(root / "_data" / "navigation.yml")
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=NAVIGATION)
    ))
    found = await diagnostics(client, uri, lambda ds: "broken-link" in by_rule(ds))
    assert by_rule(found) == {"broken-link": (5, 9, 5, 18)}
    assert found[0].message.startswith("url '/feedbak/' goes to no page or file of this site")

    replace_all(client, uri, 2, NAVIGATION.replace("/feedbak/", "/contact-us/"))
    found = await diagnostics(client, uri, lambda ds: "broken-link" not in by_rule(ds))
    assert found == []
