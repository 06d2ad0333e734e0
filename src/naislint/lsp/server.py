"""``naislint server``: the language server (pygls, stdio).

Diagnostics come from the editor's buffer, not the file on disk: on open and save at once,
on change after a short pause (typing produces a change per keystroke; linting each
would lint text nobody will see). Site indexes are built on a worker thread and replaced
when ``workspace/didChangeWatchedFiles`` reports files created, changed or deleted; the
open pages of that site are linted again when the new index is in. A change to
``_config.yml`` or a naislint config file takes effect without a restart.

Code actions: a diagnostic's fix, every safe fix of the file (``source.fixAll.naislint``),
and a suppression comment for the rule on that line (see :mod:`naislint.lsp.actions`).
Hover on a diagnostic shows its rule's documentation.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from naislint import __version__
from naislint.diagnostics import Diagnostic, Severity
from naislint.engine import RunOptions
from naislint.lsp import actions
from naislint.lsp.positions import UTF8, UTF16, UTF32, LineTable
from naislint.lsp.session import Outcome, Session, is_markdown

log = logging.getLogger(__name__)

#: Pause after the last keystroke before linting a changed buffer (seconds).
DEBOUNCE = 0.15
#: Pause after a file event before rebuilding a site index, to take in a burst of events.
REBUILD_DELAY = 0.2
FIX_ALL_KIND = "source.fixAll.naislint"
SOURCE = "naislint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
ENCODINGS = {
    types.PositionEncodingKind.Utf8: UTF8,
    types.PositionEncodingKind.Utf16: UTF16,
    types.PositionEncodingKind.Utf32: UTF32,
}


@dataclass
class Linted:
    """The last lint of an open document: for code actions and hover."""

    version: int | None
    text: str
    table: LineTable
    outcome: Outcome
    lsp: list[tuple[Diagnostic, types.Diagnostic]]


class _Dropped:
    """A message already answered with an error; pygls ignores it (unknown jsonrpc)."""

    jsonrpc = None


class Protocol(LanguageServerProtocol):
    """pygls' protocol, answering a request whose params do not parse with an error.

    pygls reports such a request to the user and never answers it, so the client waits
    for a reply forever; JSON-RPC says to reply "invalid params" and carry on.
    """

    def structure_message(self, data: Any) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=exc.to_response_error())
                return _Dropped()
            raise


class NaislintServer(LanguageServer):
    def __init__(self, options: RunOptions | None = None) -> None:
        super().__init__("naislint", __version__, protocol_cls=Protocol)
        self.session = Session(options)
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.builder: asyncio.Task | None = None
        self.rebuild_after: float = 0.0
        #: (root, generation) whose build failed: not retried until the next file event.
        self.failed_builds: set[tuple[str, int]] = set()

    # -- documents -----------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        return ENCODINGS.get(self.workspace.position_encoding, UTF16)

    def lint_uri(self, uri: str) -> Linted | None:
        """Lint the open buffer at ``uri`` and publish its diagnostics."""
        self.cancel_pending(uri)
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        fs_path = to_fs_path(uri)
        path = fs_path or "untitled.md"
        if not is_markdown(fs_path or "", document.language_id):
            return None
        text = document.source
        table = LineTable(text, self.encoding)
        outcome = self.session.lint(path, text, on_disk=fs_path is not None)
        pairs = [(d, to_lsp(d, table)) for d in outcome.diagnostics]
        published = [p for _, p in pairs]
        if outcome.error:
            published.append(config_error(outcome.error))
        linted = Linted(document.version, text, table, outcome, pairs)
        self.linted[uri] = linted
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=published, version=document.version)
        )
        self.schedule_builds()
        return linted

    def current(self, uri: str) -> Linted | None:
        """The lint of the buffer as it is now (linting again if it changed since)."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        linted = self.linted.get(uri)
        if linted is None or linted.version != document.version or linted.text != document.source:
            linted = self.lint_uri(uri)
        return linted

    def lint_later(self, uri: str) -> None:
        self.cancel_pending(uri)
        self.pending[uri] = asyncio.ensure_future(self._lint_after(uri, DEBOUNCE))

    async def _lint_after(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        self.pending.pop(uri, None)
        self.safely(self.lint_uri, uri)

    def cancel_pending(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    def relint_open(self, roots: set[str] | None = None) -> None:
        """Lint every open markdown buffer again (those under ``roots``, if given)."""
        for uri in list(self.workspace.text_documents):
            if roots is not None:
                path = to_fs_path(uri)
                if path is None or self.session.root_of(path) not in roots:
                    continue
            self.safely(self.lint_uri, uri)

    def safely(self, func: Any, *args: Any) -> Any:
        """Run a handler step; an unexpected error is logged, never fatal to the server."""
        try:
            return func(*args)
        except Exception:
            log.exception("naislint server: %s failed", getattr(func, "__name__", func))
            return None

    # -- site indexes ------------------------------------------------------------------

    def schedule_builds(self, delay: float = 0.0) -> None:
        """Start the background builder if some root's index is missing or stale."""
        loop = asyncio.get_event_loop()
        self.rebuild_after = max(self.rebuild_after, loop.time() + delay)
        if self.builder is None or self.builder.done():
            failed = self.failed_builds
            if any((r, self.session.generations[r]) not in failed for r in self.session.stale_roots()):
                self.builder = asyncio.ensure_future(self._build_stale())

    async def _build_stale(self) -> None:
        loop = asyncio.get_event_loop()
        failed = self.failed_builds
        while True:
            wait = self.rebuild_after - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            todo = [r for r in self.session.stale_roots() if (r, self.session.generations[r]) not in failed]
            if not todo:
                return
            root = todo[0]
            job = self.session.build_job(root)
            if job is None:
                failed.add((root, self.session.generations[root]))
                continue
            generation, config, cache_dir = job
            try:
                index = await loop.run_in_executor(None, Session.build, root, config, cache_dir)
            except Exception:
                log.exception("naislint server: indexing the site at %s failed", root)
                failed.add((root, generation))
                continue
            if self.session.install(root, generation, index):
                self.relint_open({root})


def to_lsp(d: Diagnostic, table: LineTable) -> types.Diagnostic:
    (sl, sc), (el, ec) = table.span_range(d.span)
    if (sl, sc) == (el, ec):
        # An empty range is invisible in most editors: underline the character there.
        start = table.offset(sl, sc)
        if start < table.ends[sl]:
            el, ec = table.position(start + 1)
    return types.Diagnostic(
        range=types.Range(start=types.Position(sl, sc), end=types.Position(el, ec)),
        message=d.message,
        severity=SEVERITIES.get(d.severity, types.DiagnosticSeverity.Warning),
        code=d.rule,
        code_description=types.CodeDescription(href=d.url) if d.url else None,
        source=SOURCE,
        data={"rule": d.rule, "code": d.code},
    )


def config_error(message: str) -> types.Diagnostic:
    """A configuration problem, shown at the top of each open page."""
    return types.Diagnostic(
        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
        message=f"naislint configuration error: {message}",
        severity=types.DiagnosticSeverity.Error,
        code="configuration",
        source=SOURCE,
    )


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _contains(r: types.Range, p: types.Position) -> bool:
    return (r.start.line, r.start.character) <= (p.line, p.character) <= (r.end.line, r.end.character)


def _text_edits(table: LineTable, edits: list[actions.BufferEdit]) -> list[types.TextEdit]:
    out = []
    for start, end, text in edits:
        (sl, sc), (el, ec) = table.position(start), table.position(end)
        out.append(types.TextEdit(range=types.Range(types.Position(sl, sc), types.Position(el, ec)), new_text=text))
    return out


def _wanted(kind: str, only: list[str] | None) -> bool:
    return not only or any(kind == o or kind.startswith(o + ".") for o in only)


def code_actions(server: NaislintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    linted = server.current(uri)
    if linted is None:
        return []
    only = [str(k) for k in params.context.only] if params.context and params.context.only else None
    table = linted.table
    result: list[types.CodeAction] = []
    quick = _wanted(types.CodeActionKind.QuickFix, only)
    for d, lsp_diag in linted.lsp:
        if not quick or not _overlaps(lsp_diag.range, params.range):
            continue
        if d.fix is not None:
            title = f"Fix: {d.message}" + ("" if d.fix.safe else " (unsafe)")
            result.append(types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[lsp_diag],
                is_preferred=d.fix.safe,
                edit=types.WorkspaceEdit(changes={uri: _text_edits(table, actions.fix_edits(table, d))}),
            ))
        doc = linted.outcome.document
        disable = actions.disable_edit(doc, table, d) if doc is not None else None
        if disable is not None:
            result.append(types.CodeAction(
                title=disable.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[lsp_diag],
                edit=types.WorkspaceEdit(changes={uri: _text_edits(table, [disable.edit])}),
            ))
    if _wanted(FIX_ALL_KIND, only) and any(d.fix is not None and d.fix.safe for d, _ in linted.lsp):
        fs_path = to_fs_path(uri)
        fixed = server.session.fix_all(fs_path or "untitled.md", linted.text, linted.outcome.diagnostics,
                                       on_disk=fs_path is not None)
        if fixed != linted.text:
            result.append(types.CodeAction(
                title="Fix all safely fixable naislint problems",
                kind=FIX_ALL_KIND,
                edit=types.WorkspaceEdit(changes={uri: _text_edits(table, actions.diff_edits(linted.text, fixed))}),
            ))
    return result


def hover(server: NaislintServer, params: types.HoverParams) -> types.Hover | None:
    linted = server.current(params.text_document.uri)
    if linted is None:
        return None
    parts, seen = [], set()
    for d, lsp_diag in linted.lsp:
        if d.rule in seen or not _contains(lsp_diag.range, params.position):
            continue
        seen.add(d.rule)
        parts.append(f"**{d.rule}** ({d.code}): {d.message}\n\n{rule_doc(d.rule)}")
    if not parts:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


def rule_doc(name: str) -> str:
    """A rule's documentation (its summary when the doc file is missing)."""
    from naislint.registry import lookup
    from naislint.resources import rule_doc_path

    try:
        return rule_doc_path(name).read_text(encoding="utf-8")
    except OSError:
        rule = lookup(name)
        return rule.summary if rule else ""


def watched_paths(params: types.DidChangeWatchedFilesParams) -> list[str]:
    return [p for p in (to_fs_path(c.uri) for c in params.changes) if p]


def create_server(options: RunOptions | None = None) -> NaislintServer:
    server = NaislintServer(options)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: NaislintServer, params: types.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if watched is not None and watched.dynamic_registration:
            registration = types.Registration(
                id="naislint-watched-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[types.FileSystemWatcher(glob_pattern="**/*")]
                ),
            )
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
            except Exception:
                log.warning("naislint server: the client refused to watch files; restart to pick up new pages")

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NaislintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.safely(ls.lint_uri, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NaislintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.lint_later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: NaislintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.safely(ls.lint_uri, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NaislintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel_pending(uri)
        ls.linted.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: NaislintServer, params: types.DidChangeWatchedFilesParams) -> None:
        changes = ls.safely(ls.session.files_changed, watched_paths(params))
        if changes is None or not changes.any:
            return
        if changes.config:
            ls.relint_open()
        ls.schedule_builds(REBUILD_DELAY)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(ls: NaislintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.safely(code_actions, ls, params) or []

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: NaislintServer, params: types.HoverParams) -> types.Hover | None:
        return ls.safely(hover, ls, params)

    return server


def serve(options: RunOptions | None = None) -> None:
    """Run the server on stdin/stdout until the client says exit."""
    create_server(options).start_io()
