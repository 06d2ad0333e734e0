"""Site-aware editing in the language server, driven by a real LSP client (pytest-lsp):
link completion, go to definition, references, heading rename, file moves, pull
diagnostics, and the server's own file watching for clients that do not watch files.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

TIMEOUT = 10.0
SERVER = [sys.executable, "-m", "naislint", "server"]


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        pass

    params = types.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


pytestmark = pytest.mark.asyncio(loop_scope="module")


# -- helpers ----------------------------------------------------------------------------


def page(title: str, permalink: str | None, body: str) -> str:
    link = f"permalink: {permalink}\n" if permalink else ""
    return f"---\ntitle: {title}\n{link}---\n{body}"


TEAM = page("Our team", "/about/team/", "# Team\n\nIntro.\n\n## Who we are\n\nText.\n\n## Contact us\n\nMail.\n")


def make_site(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "_config.yml").write_text("title: Test site\n")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
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
            text=text if text is not None else path.read_text(encoding="utf-8"))))
    return uri


async def until(ask, done=lambda r: bool(r), timeout: float = TIMEOUT):
    """Ask again until the answer is what the test waits for (the site index is built
    on a thread after the page opens; before, site requests answer nothing)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    answer = None
    while loop.time() < deadline:
        answer = await ask()
        if done(answer):
            return answer
        await asyncio.sleep(0.05)
    raise AssertionError(f"no matching answer in {timeout} s; last: {answer}")


def at(uri: str, line: int, character: int) -> dict:
    return {"text_document": types.TextDocumentIdentifier(uri=uri), "position": types.Position(line, character)}


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) to ``text``, as an editor would."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        return before + len(line.encode("utf-16-le")[: pos.character * 2].decode("utf-16-le"))

    for start, end, new in sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits),
                                  reverse=True):
        text = text[:start] + new + text[end:]
    return text


def apply_workspace_edit(edit: types.WorkspaceEdit) -> set[Path]:
    """Write a workspace edit to disk; the files it changed."""
    changed = set()
    for uri, edits in (edit.changes or {}).items():
        path = Path(uri.removeprefix("file://"))
        path.write_text(apply(path.read_text(encoding="utf-8"), list(edits)), encoding="utf-8")
        changed.add(path)
    return changed


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "naislint", "check", "--no-cache", "--format", "json", "."],
                          cwd=root, capture_output=True, text=True, timeout=120)


# -- completion -------------------------------------------------------------------------


async def test_completion_offers_permalinks_with_titles_nearest_first(client: LanguageClient, tmp_path: Path):
    root = make_site(tmp_path, {
        "about/team.md": TEAM,
        "news/older.md": page("An older story", "/news/older/", "Old.\n"),
        "images/logo.png": b"\x89PNG",
        "news/new.md": page("New", "/news/new/", "See [this](/\n"),
    })
    uri = open_page(client, root / "news" / "new.md")

    async def ask():
        return await client.text_document_completion_async(types.CompletionParams(**at(uri, 4, 12)))

    found = await until(ask, lambda r: r is not None and any(i.label == "/about/team/" for i in r.items))
    by_label = {i.label: i for i in found.items}
    assert by_label["/about/team/"].detail == "Our team"
    assert by_label["/news/older/"].detail == "An older story"
    # Nearest first: the page in the same folder before the one in another folder.
    order = sorted(found.items, key=lambda i: i.sort_text)
    labels = [i.label for i in order]
    assert labels.index("/news/older/") < labels.index("/about/team/")
    # The edit replaces what is typed of the destination.
    edit = by_label["/about/team/"].text_edit
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.character) == (4, 11, 12)

    # An image destination: asset files come first.
    text = page("New", "/news/new/", "![logo](/im\n")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    found = await client.text_document_completion_async(types.CompletionParams(**at(uri, 4, 11)))
    assert [i.label for i in sorted(found.items, key=lambda i: i.sort_text)] == ["/images/logo.png"]


async def test_completion_offers_the_anchors_of_another_page(client: LanguageClient, tmp_path: Path):
    root = make_site(tmp_path, {
        "about/team.md": TEAM,
        "news/new.md": page("New", "/news/new/", "## Here\n\nSee [this](/about/team/#\nand [here](#\n"),
    })
    uri = open_page(client, root / "news" / "new.md")

    async def ask():
        return await client.text_document_completion_async(types.CompletionParams(**at(uri, 6, 24)))

    found = await until(ask, lambda r: r is not None and r.items)
    assert [(i.label, i.detail) for i in found.items] == [
        ("#team", "Team — Our team"), ("#who-we-are", "Who we are — Our team"), ("#contact-us", "Contact us — Our team")]
    assert found.items[1].text_edit.new_text == "who-we-are"
    assert found.items[1].text_edit.range.start.character == 24
    # After '#' alone: the page's own headings.
    own = await client.text_document_completion_async(types.CompletionParams(**at(uri, 7, 12)))
    assert [i.label for i in own.items] == ["#here"]


# -- definition and references -------------------------------------------------------------


async def test_definition_lands_on_the_heading_line(client: LanguageClient, tmp_path: Path):
    root = make_site(tmp_path, {
        "about/team.md": TEAM,
        "news/new.md": page("New", "/news/new/", "Write to [us](/about/team/#contact-us) or [them](/about/team/).\n"),
    })
    uri = open_page(client, root / "news" / "new.md")

    async def ask():
        return await client.text_document_definition_async(types.DefinitionParams(**at(uri, 4, 20)))

    found = await until(ask)
    assert found.uri == uri_of(root / "about" / "team.md")
    assert (found.range.start.line, found.range.start.character) == (12, 3)  # "## Contact us", 0-based
    whole = await client.text_document_definition_async(types.DefinitionParams(**at(uri, 4, 50)))
    assert whole.uri == uri_of(root / "about" / "team.md") and whole.range.start.line == 0


async def test_references_to_a_page_include_a_navigation_entry(client: LanguageClient, tmp_path: Path):
    root = make_site(tmp_path, {
        "about/team.md": TEAM,
        "news/new.md": page("New", "/news/new/", "Meet [the team](/about/team/).\n"),
        "news/other.md": page("Other", "/news/other/", "Nothing here about the team.\n"),
        "_data/navigation.yml": "logo: /images/logo.png\nlinks:\n  - title: About\n    url: /about/team\n",
    })
    uri = open_page(client, root / "about" / "team.md")

    async def ask():
        return await client.text_document_references_async(types.ReferenceParams(
            **at(uri, 2, 0), context=types.ReferenceContext(include_declaration=False)))

    found = await until(ask)
    assert sorted((Path(f.uri).name, f.range.start.line, f.range.start.character, f.range.end.character)
                  for f in found) == [("navigation.yml", 3, 9, 20), ("new.md", 4, 16, 28)]
    # On a heading: the links to its id only.
    heading = await client.text_document_references_async(types.ReferenceParams(
        **at(uri, 8, 5), context=types.ReferenceContext(include_declaration=False)))
    assert list(heading) == []


# -- rename ------------------------------------------------------------------------------------


async def test_heading_rename_updates_three_linking_pages(client: LanguageClient, tmp_path: Path):
    root = make_site(tmp_path, {
        "about/team.md": TEAM + "\nBack to [who](#who-we-are).\n",
        "a.md": page("A", "/a/", "[Who](/about/team/#who-we-are)\n"),
        "b.md": page("B", "/b/", '<a href="/about/team/#who-we-are">who</a>\n'),
        "about/c.md": page("C", "/about/c/", "[Who](team.md#who-we-are) and [contact](/about/team/#contact-us)\n"),
    })
    uri = open_page(client, root / "about" / "team.md")
    prepared = await until(lambda: client.text_document_prepare_rename_async(
        types.PrepareRenameParams(**at(uri, 8, 5))))
    assert prepared.placeholder == "Who we are"
    assert (prepared.range.start.character, prepared.range.end.character) == (3, 13)

    edit = await until(lambda: client.text_document_rename_async(
        types.RenameParams(**at(uri, 8, 5), new_name="Our people")))
    changed = apply_workspace_edit(edit)
    assert {p.name for p in changed} == {"team.md", "a.md", "b.md", "c.md"}
    assert (root / "a.md").read_text().endswith("[Who](/about/team/#our-people)\n")
    assert (root / "b.md").read_text().endswith('<a href="/about/team/#our-people">who</a>\n')
    assert (root / "about" / "c.md").read_text().endswith(
        "[Who](team.md#our-people) and [contact](/about/team/#contact-us)\n")
    team = (root / "about" / "team.md").read_text()
    assert "## Our people\n" in team and "[who](#our-people)" in team
    result = check(root)
    assert '"broken-anchor"' not in result.stdout and '"broken-link"' not in result.stdout


async def test_rename_off_a_heading_fails_with_a_reason(client: LanguageClient, tmp_path: Path):
    root = make_site(tmp_path, {"about/team.md": TEAM})
    uri = open_page(client, root / "about" / "team.md")
    await until(lambda: client.text_document_prepare_rename_async(types.PrepareRenameParams(**at(uri, 8, 5))))
    assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(**at(uri, 6, 1))) is None
    with pytest.raises(Exception, match="nothing to rename here"):
        await client.text_document_rename_async(types.RenameParams(**at(uri, 6, 1), new_name="x"))


async def test_page_move_through_will_rename_files_keeps_every_link(client: LanguageClient, tmp_path: Path):
    root = make_site(tmp_path, {
        "guide.md": page("Guide", None, "# Guide\n\n## Steps\n\nBack [home](index.md) or [news](news/).\n"),
        "index.md": page("Home", "/", "[Guide](/guide.html) and [steps](/guide.html#steps)\n"),
        "news/index.md": page("News", "/news/", "[Guide](../guide.md), [it]({% link guide.md %}) and "
                                                  '<a href="../guide.html">it</a>\n'),
        "_data/navigation.yml": "links:\n  - title: Guide\n    url: /guide.html\n",
    })
    uri = open_page(client, root / "index.md")
    await until(lambda: client.text_document_definition_async(types.DefinitionParams(**at(uri, 4, 10))))

    old, new = root / "guide.md", root / "help" / "guide.md"
    edit = await client.workspace_will_rename_files_async(types.RenameFilesParams(
        files=[types.FileRename(old_uri=uri_of(old), new_uri=new.resolve().as_uri())]))
    assert edit is not None
    changed = apply_workspace_edit(edit)
    assert {p.name for p in changed} == {"guide.md", "index.md", "navigation.yml"}
    new.parent.mkdir()
    old.rename(new)
    assert (root / "index.md").read_text().endswith("[Guide](/help/guide.html) and [steps](/help/guide.html#steps)\n")
    assert (root / "news" / "index.md").read_text().endswith(
        '[Guide](../help/guide.md), [it]({% link help/guide.md %}) and <a href="../help/guide.html">it</a>\n')
    assert new.read_text().endswith("Back [home](../index.md) or [news](../news/).\n")
    result = check(root)
    assert result.returncode == 0, result.stdout + result.stderr


# -- pull diagnostics ---------------------------------------------------------------------------


async def test_workspace_diagnostics_cover_closed_pages(client: LanguageClient, tmp_path: Path):
    root = make_site(tmp_path, {
        "a.md": page("A", "/a/", "[gone](/nowhere/)\n"),
        "b.md": page("B", "/b/", "Fine.\n"),
    })
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(
            added=[types.WorkspaceFolder(uri=uri_of(root), name="site")], removed=[])))
    report = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    by_name = {Path(item.uri).name: item for item in report.items if item.uri.startswith(uri_of(root))}
    assert [(d.code, d.range.start.line, d.range.start.character) for d in by_name["a.md"].items] == [
        ("broken-link", 4, 7)]
    assert list(by_name["b.md"].items) == []
    again = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[
        types.PreviousResultId(uri=item.uri, value=item.result_id) for item in by_name.values()]))
    kinds = {Path(i.uri).name: i.kind for i in again.items if i.uri.startswith(uri_of(root))}
    # The site's _config.yml is linted with the pages (a data file of the run).
    assert kinds == {"a.md": "unchanged", "b.md": "unchanged", "_config.yml": "unchanged"}
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(
            added=[], removed=[types.WorkspaceFolder(uri=uri_of(root), name="site")])))
