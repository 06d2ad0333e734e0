"""The language server's site-aware requests: completion, go to definition, references,
rename, file moves (``workspace/willRenameFiles``) and pull diagnostics.

They answer from the site index the server already keeps per root (never building one
on the request path: before the first build is done they answer nothing), from the open
buffers (an unsaved page is read as the editor holds it) and from the files on disk.
Completion runs on the event loop and only ranks a prepared list (:mod:`.completion`);
the others read and parse pages (:mod:`naislint.site.references`), so they run on a
thread of their own, one at a time, and the editor keeps typing meanwhile.

A rename or a move is one workspace edit that updates every link and data-file entry
(:mod:`naislint.site.moves`). A rename that cannot update a link with certainty fails
with the reason; a file move cannot be refused (the editor moves the file anyway), so it
gets the edits that are certain and a warning naming the links left as they are.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.uris import from_fs_path, to_fs_path

from naislint.lsp import completion, navigation
from naislint.page.positions import LineTable
from naislint.site.references import ReferenceIndex, read_site_file

if TYPE_CHECKING:
    from naislint.lsp.server import NaislintServer
    from naislint.site.moves import Plan

log = logging.getLogger(__name__)

#: JSON-RPC "request failed" (LSP): a rename that would leave a link broken.
REQUEST_FAILED = -32803
TRIGGER_CHARACTERS = ["/", "#", "(", '"', "'", ".", " "]
_FRONT_MATTER_END_RE = re.compile(r"\r?\n---[ \t]*(?:\r?\n|$)")


class SiteState:
    """What the site requests keep per site root: a reference index and a completion
    catalog, each tied to the index object it was made from (a new index, a new one)."""

    def __init__(self) -> None:
        self.refs: dict[str, ReferenceIndex] = {}
        self.catalogs: dict[str, completion.Catalog] = {}
        #: One reference query at a time (they share each root's cache of parsed files).
        self.lock = threading.Lock()

    def refs_for(self, root: str, site: Any, read: Callable[[str], str | None],
                 cache_dir: str | None = None) -> ReferenceIndex:
        """The reference index of ``root`` for the index object ``site``, kept on disk in
        ``cache_dir`` (the site's cache folder) between sessions when given."""
        refs = self.refs.get(root)
        if refs is None or refs.site is not site:
            from naislint.site.link_store import LinkStore

            store = LinkStore.for_site(site, cache_dir) if cache_dir else None
            refs = self.refs[root] = ReferenceIndex(site, store=store)
        refs.read = read
        return refs

    def catalog_for(self, root: str, site: Any) -> completion.Catalog:
        catalog = self.catalogs.get(root)
        if catalog is None or catalog.site is not site:
            from naislint.site.titles import page_titles

            catalog = self.catalogs[root] = completion.Catalog(site, page_titles(site))
        return catalog


class Where:
    """The site a request is about and the buffer it came from."""

    def __init__(self, root: str, site: Any, path: str, rel: str, text: str, uri: str) -> None:
        self.root, self.site, self.path, self.rel, self.text, self.uri = root, site, path, rel, text, uri


def where(server: "NaislintServer", uri: str) -> Where | None:
    """The site index and buffer of ``uri`` (``None`` outside a site, or before the
    site's first index is built: a build is then started)."""
    document = server.workspace.text_documents.get(uri)
    path = to_fs_path(uri)
    if document is None or not path:
        return None
    linted = server.linted.get(uri)
    root = linted.root if linted is not None and linted.root is not None else server.session.root_of(path)
    if root is None:
        return None
    site = server.session.site_index(root)
    if site is None:
        server.schedule_builds()
        return None
    rel = site.rel(path)
    if rel is None:
        return None
    return Where(root, site, path, rel, document.source, uri)


def open_texts(server: "NaislintServer", root: str) -> Callable[[str], str | None]:
    """A reader of the site's files that prefers the editor's open buffers."""
    texts: dict[str, str] = {}
    for uri, document in list(server.workspace.text_documents.items()):
        path = to_fs_path(uri)
        if path:
            texts[os.path.realpath(path)] = document.source
    real_root = os.path.realpath(root)

    def read(rel: str) -> str | None:
        return texts.get(os.path.join(real_root, rel))

    return read


def _text(w: Where, read: Callable[[str], str | None], rel: str) -> str | None:
    if rel == w.rel:
        return w.text
    return read(rel) or read_site_file(w.site.root, rel)


def _position(table: LineTable, line: int, column: int) -> types.Position:
    return types.Position(*table.position(table.offset_of(line, column)))


def _range(table: LineTable, line: int, column: int, end_line: int, end_column: int) -> types.Range:
    return types.Range(_position(table, line, column), _position(table, end_line, end_column))


def in_front_matter(text: str, offset: int) -> bool:
    if not text.lstrip("\ufeff").startswith("---"):
        return False
    close = _FRONT_MATTER_END_RE.search(text, 3)
    return close is None or offset <= close.start()


# -- completion ---------------------------------------------------------------------------


def complete(server: "NaislintServer", params: types.CompletionParams) -> types.CompletionList | None:
    w = where(server, params.text_document.uri)
    if w is None:
        return None
    table = LineTable(w.text, server.encoding)
    offset = table.offset(params.position.line, params.position.character)
    yaml = navigation.is_data_file(w.rel) or in_front_matter(w.text, offset)
    ctx = completion.link_context(w.text, offset, yaml)
    if ctx is None:
        return None
    catalog = server.site_state.catalog_for(w.root, w.site)
    site = w.site
    if navigation.is_data_file(w.rel):
        page_rel, page_url = None, "/"
    else:
        page_rel, page_url = w.rel, site.pages.get(w.rel) or site.unpublished.get(w.rel) or "/" + w.rel
    read = open_texts(server, w.root)
    items, cut = completion.complete(site, catalog, ctx, page_rel, page_url, w.text,
                                     lambda rel: read(rel) or read_site_file(site.root, rel))
    end = params.position
    kinds = {"page": types.CompletionItemKind.File, "file": types.CompletionItemKind.File,
             "anchor": types.CompletionItemKind.Reference}
    out = []
    for item in items:
        start = types.Position(*table.position(item.start))
        out.append(types.CompletionItem(
            label=item.label,
            kind=kinds.get(item.kind),
            detail=item.detail,
            sort_text=item.sort,
            filter_text=item.text,
            text_edit=types.TextEdit(range=types.Range(start, end), new_text=item.text),
            label_details=types.CompletionItemLabelDetails(description=item.detail) if item.detail else None,
        ))
    return types.CompletionList(is_incomplete=cut, items=out)


def warm(server: "NaislintServer", root: str) -> None:
    """Prepare a root's completion catalog (page titles) once its index is in, off the
    event loop, so that the first completion does not read them."""
    site = server.session.site_index(root)
    if site is None:
        return
    loop = asyncio.get_running_loop()
    loop.run_in_executor(None, _warm, server.site_state, root, site)


def _warm(state: SiteState, root: str, site: Any) -> None:
    try:
        with state.lock:
            state.catalog_for(root, site)
    except Exception:
        log.exception("naislint server: preparing completions for %s failed", root)


# -- definition, references, rename -----------------------------------------------------------


async def _off_loop(server: "NaislintServer", func: Callable[..., Any], *args: Any) -> Any:
    loop = asyncio.get_running_loop()

    def run() -> Any:
        with server.site_state.lock:
            result = func(*args)
            for arg in args:
                if isinstance(arg, ReferenceIndex):
                    arg.save()  # what the query read, for the next query and session
            return result

    return await loop.run_in_executor(None, run)


def _location(w: Where, read: Callable[[str], str | None], place: navigation.Place, encoding: str) -> types.Location | None:
    text = _text(w, read, place.rel)
    if text is None:
        text = ""
    table = LineTable(text, encoding)
    uri = from_fs_path(os.path.join(w.site.root, place.rel))
    if uri is None:
        return None
    return types.Location(uri=uri, range=_range(table, place.line, place.column, place.end_line, place.end_column))


def _cursor(server: "NaislintServer", uri: str, position: types.Position) -> Any:
    """What every site-aware request starts from: the page, the open buffers, the cursor in
    naislint's line and column, and the site's reference index (``None`` outside a site)."""
    w = where(server, uri)
    if w is None:
        return None
    read = open_texts(server, w.root)
    line, column = LineTable(w.text, server.encoding).naislint_position(position.line, position.character)
    return w, read, line, column, server.site_state.refs_for(
        w.root, w.site, read, server.session.linter.site_cache_dir(w.root))


async def definition(server: "NaislintServer", params: types.DefinitionParams) -> types.Location | None:
    at = _cursor(server, params.text_document.uri, params.position)
    if at is None:
        return None
    w, read, line, column, refs = at
    place = await _off_loop(server, navigation.definition, refs, w.rel, w.text, line, column)
    return _location(w, read, place, server.encoding) if place is not None else None


async def references(server: "NaislintServer", params: types.ReferenceParams) -> list[types.Location] | None:
    at = _cursor(server, params.text_document.uri, params.position)
    if at is None:
        return None
    w, read, line, column, refs = at
    places = await _off_loop(server, navigation.references, refs, w.rel, w.text, line, column,
                             bool(params.context and params.context.include_declaration))
    found = [_location(w, read, p, server.encoding) for p in places]
    return [f for f in found if f is not None]


def prepare_rename(server: "NaislintServer", params: types.PrepareRenameParams) -> Any:
    w = where(server, params.text_document.uri)
    if w is None:
        return None
    table = LineTable(w.text, server.encoding)
    line, column = table.naislint_position(params.position.line, params.position.character)
    what = navigation.renamable(w.rel, w.text, line, column)
    if what is None:
        return None
    p = what.place
    return types.PrepareRenamePlaceholder(range=_range(table, p.line, p.column, p.end_line, p.end_column),
                                          placeholder=what.text)


async def rename(server: "NaislintServer", params: types.RenameParams) -> types.WorkspaceEdit | None:
    at = _cursor(server, params.text_document.uri, params.position)
    if at is None:
        return None
    w, read, line, column, refs = at
    plan = await _off_loop(server, navigation.rename, refs, w.rel, w.text, line, column, params.new_name)
    if plan is None:
        raise JsonRpcException("nothing to rename here: put the cursor on a heading or on the permalink",
                               REQUEST_FAILED)
    if plan.refusals:
        raise JsonRpcException("naislint cannot rename this without breaking a link: " + _refusals(plan),
                               REQUEST_FAILED)
    return workspace_edit(w, read, plan, server.encoding)


async def will_rename_files(server: "NaislintServer", params: types.RenameFilesParams) -> types.WorkspaceEdit | None:
    """The edits that keep links working when the editor moves files (before it does)."""
    by_root: dict[str, list[tuple[str, str]]] = {}
    for f in params.files:
        old, new = to_fs_path(f.old_uri), to_fs_path(f.new_uri)
        if not old or not new:
            continue
        root = server.session.root_of(old if os.path.isfile(old) else os.path.join(old, "x"))
        if root is not None:
            by_root.setdefault(root, []).append((old, new))
    changes: dict[str, list[types.TextEdit]] = {}
    for root, pairs in by_root.items():
        site = server.session.site_index(root)
        if site is None:
            continue
        read = open_texts(server, root)
        refs = server.site_state.refs_for(root, site, read, server.session.linter.site_cache_dir(root))

        def plan_for(refs: ReferenceIndex = refs, site: Any = site, pairs: list = pairs) -> "Plan":
            from naislint.site.moves import plan_moves

            return plan_moves(refs, navigation.moves_for(site, pairs))

        plan = await _off_loop(server, plan_for)
        if plan.refusals:
            server.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Warning,
                message="naislint: some links could not be updated for this move: " + _refusals(plan)))
        w = Where(root, site, "", "", "", "")
        edit = workspace_edit(w, read, plan, server.encoding)
        for uri, edits in (edit.changes or {}).items():
            changes.setdefault(uri, []).extend(edits)
    return types.WorkspaceEdit(changes=changes) if changes else None


def _refusals(plan: "Plan", most: int = 5) -> str:
    shown = [f"{r.path}:{r.line}: {r.message}" if r.line else f"{r.path}: {r.message}" for r in plan.refusals[:most]]
    more = len(plan.refusals) - most
    return "; ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def workspace_edit(w: Where, read: Callable[[str], str | None], plan: "Plan", encoding: str) -> types.WorkspaceEdit:
    changes: dict[str, list[types.TextEdit]] = {}
    for rel, edits in plan.by_file().items():
        text = _text(w, read, rel) if w.rel else (read(rel) or read_site_file(w.site.root, rel))
        uri = from_fs_path(os.path.join(w.site.root, rel))
        if text is None or uri is None:
            continue
        table = LineTable(text, encoding)
        changes[uri] = [types.TextEdit(range=_range(table, e.line, e.column, e.end_line, e.end_column), new_text=e.text)
                        for e in edits]
    return types.WorkspaceEdit(changes=changes)


# -- pull diagnostics ---------------------------------------------------------------------------


def result_id(diagnostics: list[types.Diagnostic]) -> str:
    """A digest of a file's report: the same id means the client has it already."""
    payload = json.dumps([[d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character,
                           d.code, d.message, int(d.severity or 0)] for d in diagnostics])
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


async def document_diagnostic(server: "NaislintServer", params: types.DocumentDiagnosticParams) -> Any:
    linted = await server.current(params.text_document.uri)
    found = linted.published if linted is not None else []
    rid = result_id(found)
    if params.previous_result_id == rid:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    return types.RelatedFullDocumentDiagnosticReport(items=found, result_id=rid)


async def workspace_diagnostic(server: "NaislintServer", params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
    """Every file of the workspace's sites: open buffers from their last lint, the others
    from a run that takes its results from the results cache where they are valid."""
    folders = workspace_folders(server)
    previous = {p.uri: p.value for p in params.previous_result_ids or []}
    open_uris = set(server.workspace.text_documents)
    loop = asyncio.get_running_loop()
    files = await loop.run_in_executor(None, lint_workspace, server, folders) if folders else []
    items: list[Any] = []
    for path, diagnostics in files:
        uri = from_fs_path(path)
        if uri is None or uri in open_uris:
            continue
        items.append(_report(uri, diagnostics, None, previous.get(uri)))
    for uri in open_uris:
        linted = await server.current(uri)
        if linted is not None:
            items.append(_report(uri, linted.published, linted.version, previous.get(uri)))
    return types.WorkspaceDiagnosticReport(items=items)


def _report(uri: str, diagnostics: list[types.Diagnostic], version: int | None, previous: str | None) -> Any:
    rid = result_id(diagnostics)
    if previous == rid:
        return types.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, result_id=rid, version=version)
    return types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=diagnostics, result_id=rid, version=version)


def workspace_folders(server: "NaislintServer") -> list[str]:
    """The folders to lint: the workspace's, else the site roots of the open pages."""
    folders = []
    for folder in server.workspace.folders.values():
        path = to_fs_path(folder.uri)
        if path and os.path.isdir(path):
            folders.append(path)
    if not folders and server.workspace.root_path and os.path.isdir(server.workspace.root_path):
        folders.append(server.workspace.root_path)
    if not folders:
        folders = sorted(r for r in server.session.generations)
    return folders


def lint_workspace(server: "NaislintServer", folders: list[str]) -> list[tuple[str, list[types.Diagnostic]]]:
    """Lint the folders as ``naislint check`` would (one process, with the results
    cache), on a thread of its own; the diagnostics of each file, as LSP diagnostics."""
    from naislint.run.engine import Linter
    from naislint.lsp.convert import to_lsp

    options = replace(server.session.options, jobs=1, keep_documents=False)
    linter = Linter(options)
    try:
        result = linter.run(linter.discover(folders))
    except Exception:
        log.exception("naislint server: linting the workspace failed")
        return []
    out = []
    for f in result.files:
        if not f.diagnostics:
            out.append((f.target.path, []))
            continue
        text = read_site_file(os.path.dirname(f.target.path), os.path.basename(f.target.path)) or ""
        table = LineTable(text, server.encoding)
        out.append((f.target.path, [to_lsp(d, table) for d in f.diagnostics]))
    return out


# -- registration -----------------------------------------------------------------------------


def register(server: "NaislintServer") -> None:
    """Add the site requests to the server's features."""

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS))
    def on_completion(ls: "NaislintServer", params: types.CompletionParams) -> types.CompletionList | None:
        return ls.safely(complete, ls, params)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def on_definition(ls: "NaislintServer", params: types.DefinitionParams) -> types.Location | None:
        try:
            return await definition(ls, params)
        except Exception:
            log.exception("naislint server: definition failed")
            return None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def on_references(ls: "NaislintServer", params: types.ReferenceParams) -> list[types.Location] | None:
        try:
            return await references(ls, params)
        except Exception:
            log.exception("naislint server: references failed")
            return None

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def on_prepare_rename(ls: "NaislintServer", params: types.PrepareRenameParams) -> Any:
        return ls.safely(prepare_rename, ls, params)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    async def on_rename(ls: "NaislintServer", params: types.RenameParams) -> types.WorkspaceEdit | None:
        return await rename(ls, params)

    @server.feature(
        types.WORKSPACE_WILL_RENAME_FILES,
        types.FileOperationRegistrationOptions(filters=[
            types.FileOperationFilter(pattern=types.FileOperationPattern(glob="**/*")),
        ]),
    )
    async def on_will_rename(ls: "NaislintServer", params: types.RenameFilesParams) -> types.WorkspaceEdit | None:
        try:
            return await will_rename_files(ls, params)
        except Exception:
            log.exception("naislint server: planning a file move failed")
            return None

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                    types.DiagnosticOptions(identifier="naislint", inter_file_dependencies=True,
                                            workspace_diagnostics=True))
    async def on_document_diagnostic(ls: "NaislintServer", params: types.DocumentDiagnosticParams) -> Any:
        return await document_diagnostic(ls, params)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def on_workspace_diagnostic(ls: "NaislintServer", params: types.WorkspaceDiagnosticParams) -> Any:
        return await workspace_diagnostic(ls, params)
