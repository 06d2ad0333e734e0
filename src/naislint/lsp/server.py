"""``naislint server``: the language server (pygls, stdio).

Diagnostics come from the editor's buffer, not the file on disk: on open and save at once,
on change after a short pause (typing produces a change per keystroke; linting each
would lint text nobody will see). Lints run on a worker thread (:mod:`naislint.lsp.worker`),
so hover and every other request answer while a big page is being linted; a lint of a
version that a newer one replaced is skipped or its result dropped, so only the newest
version's diagnostics are published. A buffer over ``max-file-size`` is not linted.
Site indexes are built on another thread and replaced when
``workspace/didChangeWatchedFiles`` reports files created, changed or deleted (or, for a
client that does not watch files, when the server's own watcher sees them:
:mod:`naislint.lsp.watch`); the open pages of that site are linted again when the new
index is in. A change to ``_config.yml`` or a naislint config file takes effect without
a restart.

Site-aware requests (:mod:`naislint.lsp.site_features`): link completion, go to
definition, find references, rename of a heading or a permalink, the link edits of a file
move (``workspace/willRenameFiles``), and pull diagnostics for a page or the workspace.

Code actions: a diagnostic's fix, every safe fix of the file (``source.fixAll.naislint``),
and a suppression comment for the rule on that line (see :mod:`naislint.lsp.actions`).
Hover on a diagnostic shows its rule's documentation (from the last lint: hover never
waits for one).

The server reads its input itself (:mod:`naislint.lsp.framing`) rather than with pygls's
reader, which a malformed header kills or derails for good; it forgets each handled
notification, which pygls 2.1.1 keeps for ever (about 10 MB per 5,000 keystrokes); and
its buffers apply an edit without rewriting the whole page (:mod:`naislint.lsp.buffers`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import sys
import threading
from dataclasses import dataclass
from functools import partial
from threading import Event
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from naislint.version import __version__
from naislint.diagnostics import Diagnostic
from naislint.run.options import RunOptions
from naislint.lsp import actions
from naislint.lsp.buffers import BufferWorkspace
from naislint.lsp.framing import Framer, Skipped
from naislint.lsp.convert import SOURCE, to_lsp
from naislint.page.positions import UTF8, UTF16, UTF32, LineTable
from naislint.lsp.session import Outcome, Session, is_markdown
from naislint.lsp.worker import SKIPPED, LintWorker

log = logging.getLogger(__name__)

#: Pause after the last keystroke before linting a changed buffer (seconds).
DEBOUNCE = 0.15
#: Pause after a file event before rebuilding a site index, to take in a burst of events.
REBUILD_DELAY = 0.2
#: Bytes read from stdin at a time.
READ_SIZE = 1 << 16
#: Seconds without input after which a body holding another message's header is taken
#: for a message whose Content-Length was too long.
STALL = 1.0
#: The start of a buffer that a diagnostic of a page not linted (too large) is placed in.
HEAD = 4096
FIX_ALL_KIND = "source.fixAll.naislint"
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
    published: list[types.Diagnostic]
    #: The site root of the page (``None`` outside a site).
    root: str | None = None


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

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any,
                         args: tuple[Any, ...] | None = None, kwargs: dict[str, Any] | None = None) -> None:
        """pygls' handler call, then forget the handler's future once it is done.

        pygls 2.1.1 files the future of each notification (and of each step of its own
        generator handlers: didOpen, didChange, didClose ...) under a fresh id in
        ``_request_futures`` and only ever removes the futures of requests, so every
        keystroke left one behind (51 MB -> 116 MB over 30,000 edits).
        """
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(partial(self._forget, msg_id))

    def _forget(self, msg_id: Any, future: Any) -> None:
        # Not at once: a future cancelled by pygls's shutdown handler calls this while that
        # handler iterates over ``_request_futures``.
        try:
            asyncio.get_running_loop().call_soon(self._drop_future, msg_id, future)
        except RuntimeError:  # no loop in this thread
            self._drop_future(msg_id, future)

    def _drop_future(self, msg_id: Any, future: Any) -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]

    def receive(self, body: bytes) -> bool:
        """Handle one message body; ``False`` when it was not a JSON-RPC message."""
        try:
            message = json.loads(body, object_hook=self.structure_message)
        except JsonRpcException:
            log.exception("naislint server: a message could not be read")
            return True
        except ValueError as exc:  # not JSON (nor UTF-8)
            log.error("naislint server: skipped a message that is not JSON: %s", exc)
            return False
        if not hasattr(message, "jsonrpc"):
            log.error("naislint server: skipped a message that is not a JSON-RPC object")
            return True
        try:
            self.handle_message(message)
        except (SystemExit, KeyboardInterrupt):
            raise
        except Exception:
            log.exception("naislint server: a message could not be handled")
        return True


class NaislintServer(LanguageServer):
    def __init__(self, options: RunOptions | None = None, watch_mode: str = "auto") -> None:
        super().__init__("naislint", __version__, protocol_cls=Protocol)
        self.session = Session(options)
        self.worker = LintWorker()
        self.linted: dict[str, Linted] = {}
        #: uri -> when the pause after its last change ends (loop time), and then it is linted.
        self.pending: dict[str, float] = {}
        self.debounce_timer: asyncio.TimerHandle | None = None
        #: uri -> the task linting it (on the worker) until its newest version is done.
        self.linting: dict[str, asyncio.Task] = {}
        #: uris to lint again once their running lint is done, though their text is the same.
        self.again: set[str] = set()
        self.builder: asyncio.Task | None = None
        self.rebuild_after: float = 0.0
        #: (root, generation) whose build failed: not retried until the next file event.
        self.failed_builds: set[tuple[str, int]] = set()
        from naislint.lsp.site_features import SiteState

        #: Reference indexes and completion catalogs per site root.
        self.site_state = SiteState()
        #: ``auto``: watch files on the server's side when the client does not; ``server``
        #: or ``poll``: always (``poll`` without inotify); ``off``: never.
        self.watch_mode = watch_mode
        self.watcher: Any = None

    # -- input ---------------------------------------------------------------------------

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve on stdin/stdout, reading the input with :class:`Framer`, not pygls."""
        self._stop_event = Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(self.read_loop(stdin or sys.stdin.buffer))
        except BrokenPipeError:
            log.error("naislint server: the client has gone; stopping")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    async def read_loop(self, stdin: BinaryIO) -> None:
        """Read messages until end of input (or exit), skipping what is malformed."""
        loop = asyncio.get_running_loop()
        # Bounded: a client writing faster than the server reads waits (in its pipe)
        # instead of filling the server's memory.
        chunks: asyncio.Queue[bytes] = asyncio.Queue(maxsize=4)
        # A daemon thread: a blocked read must not keep an exiting server alive.
        threading.Thread(target=_read_chunks, args=(stdin, loop, chunks), name="naislint-stdin", daemon=True).start()
        framer = Framer()
        ended = False
        while self._stop_event is None or not self._stop_event.is_set():
            # A body being read that holds the header of another message may have too
            # long a Content-Length, and the sender of that message wait for its reply.
            stalled = framer.header_in_body()
            if ended and not stalled:
                return  # what is left is an unfinished message
            if ended:
                data = framer.cut_short()
            elif stalled:
                try:
                    data = await asyncio.wait_for(chunks.get(), STALL)
                    ended = not data
                except asyncio.TimeoutError:
                    data = framer.cut_short()
            else:
                data = await chunks.get()
                ended = not data
            for item in framer.feed(data):
                if isinstance(item, Skipped):
                    log.error("naislint server: skipped %s (%d bytes)", item.reason, item.size)
                elif not self.protocol.receive(item):
                    framer.reject(item)
                # Let what the message started run (timers, finished futures, replies)
                # before the next: a flood of edits must not pile up their leftovers.
                await asyncio.sleep(0)

    # -- documents -----------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        return ENCODINGS.get(self.workspace.position_encoding, UTF16)

    def lint_uri(self, uri: str) -> None:
        """Lint the open buffer at ``uri`` now (on the worker) and publish its diagnostics."""
        self.cancel_pending(uri)
        task = self.linting.get(uri)
        if task is not None and not task.done():
            # The running lint publishes nothing stale; this asks for one more afterwards
            # (the site index or the config may have changed, not only the text).
            self.again.add(uri)
            return
        self.linting[uri] = asyncio.ensure_future(self._lint_loop(uri))

    async def _lint_loop(self, uri: str) -> None:
        """Lint ``uri`` until the lint done is of the buffer as it is, then publish it."""
        try:
            while True:
                self.again.discard(uri)
                document = self.workspace.text_documents.get(uri)
                if document is None:
                    return
                fs_path = to_fs_path(uri)
                if not is_markdown(fs_path or "", document.language_id):
                    return
                version, text = document.version, document.source
                try:
                    linted = await self.worker.submit(
                        lint_buffer, self.session, fs_path, text, version, self.encoding,
                        stale=partial(self.moved_on, uri, version, text),
                    )
                except Exception:
                    log.exception("naislint server: linting %s failed", uri)
                    return
                if linted is SKIPPED or self.moved_on(uri, version, text):
                    continue  # a newer version came in: lint that one instead
                self.linted[uri] = linted
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=uri, diagnostics=linted.published, version=version)
                )
                self.schedule_builds()
                self.watch_roots()
                if uri not in self.again:
                    return
        finally:
            if self.linting.get(uri) is asyncio.current_task():
                del self.linting[uri]

    def moved_on(self, uri: str, version: int | None, text: str) -> bool:
        """Whether the buffer at ``uri`` is no longer (``version``, ``text``): closed or edited.

        Asked from the worker thread too: it only reads.
        """
        document = self.workspace.text_documents.get(uri)
        return document is None or document.version != version or document.source is not text

    async def current(self, uri: str) -> Linted | None:
        """The lint of the buffer as it is now, waiting for it if it is not done yet.

        ``None`` for a buffer that is not markdown, or whose lint fails or that keeps
        changing while it is linted (an action computed on it would edit the wrong text).
        """
        for _ in range(3):
            document = self.workspace.text_documents.get(uri)
            if document is None or not is_markdown(to_fs_path(uri) or "", document.language_id):
                return None
            linted = self.linted.get(uri)
            if linted is not None and not self.moved_on(uri, linted.version, linted.text):
                return linted
            self.lint_uri(uri)
            task = self.linting.get(uri)
            if task is not None:
                await asyncio.shield(task)
        return None

    def lint_later(self, uri: str) -> None:
        """Lint ``uri`` once DEBOUNCE passed without another change.

        A keystroke only moves a deadline; one timer serves every buffer. (A task per
        keystroke, cancelled by the next, made 30,000 tasks out of 30,000 edits.)
        """
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.time() + DEBOUNCE
        if self.debounce_timer is None:
            self.debounce_timer = loop.call_later(DEBOUNCE, self._debounced)

    def _debounced(self) -> None:
        self.debounce_timer = None
        loop = asyncio.get_running_loop()
        now = loop.time()
        for uri, due in list(self.pending.items()):
            if due <= now:
                self.safely(self.lint_uri, uri)
        if self.pending:
            self.debounce_timer = loop.call_at(min(self.pending.values()), self._debounced)

    def cancel_pending(self, uri: str) -> None:
        self.pending.pop(uri, None)

    def relint_open(self, roots: set[str] | None = None) -> None:
        """Lint every open markdown buffer again (those under ``roots``, if given)."""
        for uri in list(self.workspace.text_documents):
            if roots is not None:
                linted = self.linted.get(uri)
                if linted is not None and linted.root not in roots:
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
            try:
                job = await self.worker.submit(self.session.build_job, root)
            except Exception:
                log.exception("naislint server: reading the config of %s failed", root)
                job = None
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
                from naislint.lsp import site_features

                self.safely(site_features.warm, self, root)

    # -- file events -------------------------------------------------------------------

    async def files_changed(self, paths: list[str]) -> None:
        """Files created, changed or deleted on disk (told by the client or seen by the
        server's own watcher): invalidate, lint again, rebuild."""
        # On the worker: after the lints queued before the event, before those after it.
        try:
            changes = await self.worker.submit(self.session.files_changed, paths)
        except Exception:
            log.exception("naislint server: handling file events failed")
            return
        if changes is None or not changes.any:
            return
        if changes.config:
            self.relint_open()
        self.schedule_builds(REBUILD_DELAY)

    def start_watching(self) -> None:
        """Watch the site roots on the server's side (the client does not watch files)."""
        from naislint.lsp.watch import Watcher

        loop = asyncio.get_running_loop()

        def changed(paths: list[str]) -> None:
            try:
                asyncio.run_coroutine_threadsafe(self.files_changed(paths), loop)
            except RuntimeError:  # the loop is closed: the server is exiting
                pass

        options = self.session.options
        skip = [options.cache_dir] if options.cache_dir else []
        self.watcher = Watcher(changed, "poll" if self.watch_mode == "poll" else "auto", skip)
        self.watch_roots()

    def watch_roots(self) -> None:
        """Add the site roots the server has met since to what its watcher watches."""
        if self.watcher is None:
            return
        with self.session.lock:
            roots = list(self.session.generations)
        self.safely(self.watcher.watch, roots)


def _read_chunks(stdin: BinaryIO, loop: asyncio.AbstractEventLoop, chunks: asyncio.Queue) -> None:
    """Pass what stdin gives to the loop, chunk by chunk; ``b""`` at its end."""
    read = getattr(stdin, "read1", stdin.read)
    while True:
        try:
            data = read(READ_SIZE)
        except (OSError, ValueError):
            data = b""
        try:
            asyncio.run_coroutine_threadsafe(chunks.put(data), loop).result()
        except (RuntimeError, concurrent.futures.CancelledError):  # the loop is closed
            return
        if not data:
            return


def lint_buffer(session: Session, fs_path: str | None, text: str, version: int | None, encoding: str) -> Linted:
    """Lint a buffer and make its LSP diagnostics (on the worker thread: it takes time)."""
    path = fs_path or "untitled.md"
    on_disk = fs_path is not None
    outcome = session.lint(path, text, on_disk=on_disk)
    # A page not linted is not worth a table of its lines (it may be 20 MB of them).
    table = LineTable(text if outcome.document is not None else text[:HEAD], encoding)
    pairs = [(d, to_lsp(d, table)) for d in outcome.diagnostics]
    published = [p for _, p in pairs]
    if outcome.error:
        published.append(config_error(outcome.error))
    if outcome.skipped:
        published.append(not_linted(outcome.skipped))
    root = session.root_of(path) if on_disk else None
    return Linted(version, text, table, outcome, pairs, published, root)


def config_error(message: str) -> types.Diagnostic:
    """A configuration problem, shown at the top of each open page."""
    return types.Diagnostic(
        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
        message=f"naislint configuration error: {message}",
        severity=types.DiagnosticSeverity.Error,
        code="configuration",
        source=SOURCE,
    )


def not_linted(message: str) -> types.Diagnostic:
    """Why a page was not linted, when no rule says it (``unreadable-file`` is off)."""
    return types.Diagnostic(
        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
        message=message,
        severity=types.DiagnosticSeverity.Information,
        code="max-file-size",
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


async def code_actions(server: NaislintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """The actions for a range; they edit the buffer, so they wait for its newest lint."""
    uri = params.text_document.uri
    linted = await server.current(uri)
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
        fixed = await server.worker.submit(server.session.fix_all, fs_path or "untitled.md", linted.text,
                                           linted.outcome.diagnostics, fs_path is not None)
        if server.moved_on(uri, linted.version, linted.text):
            return []  # edited meanwhile: these edits would land in the wrong places
        if fixed != linted.text:
            result.append(types.CodeAction(
                title="Fix all safely fixable naislint problems",
                kind=FIX_ALL_KIND,
                edit=types.WorkspaceEdit(changes={uri: _text_edits(table, actions.diff_edits(linted.text, fixed))}),
            ))
    return result


def hover(server: NaislintServer, params: types.HoverParams) -> types.Hover | None:
    """The docs of the rules of the diagnostics at a position, from the last lint done.

    Never waits for a lint: while one runs, the diagnostics the editor shows are those of
    the last lint, and so is the hover.
    """
    linted = server.linted.get(params.text_document.uri)
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


def load_rules() -> None:
    """Import every rule's module and build the markdown parsers: what the first page's
    lint would otherwise pay for."""
    from naislint.page.markdown import parser
    from naislint.registry import all_rules

    try:
        all_rules()
        parser(kramdown=False)
        parser(kramdown=True)
    except Exception:  # the first lint meets the same problem and reports it
        log.warning("naislint server: the rules could not all be loaded", exc_info=True)


def watched_paths(params: types.DidChangeWatchedFilesParams) -> list[str]:
    return [p for p in (to_fs_path(c.uri) for c in params.changes) if p]


def create_server(options: RunOptions | None = None, watch_mode: str = "auto") -> NaislintServer:
    # A run imports a rule's module only when it runs the rule. An editor opens a page
    # as soon as the server has answered ``initialize``: the server imports them all
    # before it reads its first message, so that page does not wait for them.
    load_rules()
    server = NaislintServer(options, watch_mode)

    @server.feature(types.INITIALIZE)
    def initialize(ls: NaislintServer, params: types.InitializeParams) -> None:
        # pygls made the workspace just now; its documents take edits the fast way.
        ls.workspace.__class__ = BufferWorkspace

    @server.feature(types.INITIALIZED)
    async def initialized(ls: NaislintServer, params: types.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        client_watches = watched is not None and bool(watched.dynamic_registration)
        if ls.watch_mode in ("server", "poll") or (ls.watch_mode == "auto" and not client_watches):
            ls.safely(ls.start_watching)
        if client_watches and ls.watch_mode != "off":
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
                log.warning("naislint server: the client refused to watch files; the server watches them")
                if ls.watcher is None and ls.watch_mode != "off":
                    ls.safely(ls.start_watching)

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
        ls.again.discard(uri)
        ls.linted.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: NaislintServer, params: types.DidChangeWatchedFilesParams) -> None:
        await ls.files_changed(watched_paths(params))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    async def code_action(ls: NaislintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        try:
            return await code_actions(ls, params)
        except Exception:
            log.exception("naislint server: code actions failed")
            return []

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: NaislintServer, params: types.HoverParams) -> types.Hover | None:
        return ls.safely(hover, ls, params)

    from naislint.lsp import site_features

    site_features.register(server)
    return server


def serve(options: RunOptions | None = None, watch_mode: str = "auto") -> None:
    """Run the server on stdin/stdout until the client says exit."""
    create_server(options, watch_mode).start_io()
