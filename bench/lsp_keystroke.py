"""How long the language server takes to update diagnostics after a keystroke.

Starts ``naislint server`` over stdio with a real LSP client (pygls), opens a typical page
of a large site (default: ../shared/corpus/isomerpages__mse, about 1,300 pages; the page
of median size), waits for the site index, then types: each round inserts one character
in the body (and the next deletes it) and times the round trip from ``didChange`` to the
``publishDiagnostics`` of that version. The server waits DEBOUNCE (150 ms) after a change
before linting, on purpose, so the figure that matters is the round trip minus that
pause; ``didSave`` lints at once, and its round trip is measured too as a check. Last,
the worst case: keystrokes while the site index is being rebuilt after a file event.

Then link completion, as an author types a link destination on that page: a line
``[x](`` is added and each round types one more character of a URL of the site (then
starts over), asking for completions after each keystroke; the round trip from the
request to the answer is timed (no debounce: editors ask on each keystroke). Go to
definition and find references on the page's own URL are timed once each, for scale.

    python bench/lsp_keystroke.py [SITE] [--page REL] [--rounds 40] [--completions 200]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SITE = REPO.parent / "shared" / "corpus" / "isomerpages__mse"
sys.path.insert(0, str(REPO / "src"))

from naislint.lsp.server import DEBOUNCE  # noqa: E402


def typical_page(site: Path) -> Path:
    """The markdown page of median size among pages with front matter."""
    pages = sorted(
        (p for p in site.rglob("*.md") if "_site" not in p.parts and p.read_bytes().startswith(b"---")),
        key=lambda p: p.stat().st_size,
    )
    return pages[len(pages) // 2]


class Recorder:
    def __init__(self) -> None:
        self.events: dict[int | None, float] = {}
        self.changed = asyncio.Event()

    def __call__(self, params: types.PublishDiagnosticsParams) -> None:
        self.events[params.version] = time.perf_counter()
        self.changed.set()

    async def wait_for(self, version: int | None, timeout: float = 30.0) -> float:
        deadline = time.perf_counter() + timeout
        while version not in self.events:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), max(0.01, deadline - time.perf_counter()))
        return self.events[version]


async def run(site: Path, page: Path, rounds: int, completion_rounds: int = 200) -> None:
    client = LanguageClient("naislint-bench", "0")
    recorder = Recorder()
    client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(recorder)
    # The site may be ../shared, which is read-only data: the index's cache goes elsewhere.
    cache_dir = tempfile.mkdtemp(prefix="naislint-bench-cache-")
    await client.start_io(sys.executable, "-m", "naislint", "server", "--cache-dir", cache_dir)
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=site.resolve().as_uri(),
    ))
    client.initialized(types.InitializedParams())

    uri = page.resolve().as_uri()
    text = page.read_text(encoding="utf-8")
    lines = text.split("\n")
    started = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))
    opened = await recorder.wait_for(1) - started
    await asyncio.sleep(3.0)  # let a site index build (if a rule needs one) finish and re-publish
    # The last line of the body with text: where an author would be typing.
    line = max(i for i, t in enumerate(lines) if t.strip())
    column = len(lines[line].encode("utf-16-le")) // 2

    typed, saved = [], []
    version = 1
    for n in range(rounds):
        version += 1
        at = types.Position(line, column)
        if n % 2 == 0:
            change = types.TextDocumentContentChangePartial(range=types.Range(at, at), text="x")
        else:
            before = types.Position(line, column)
            change = types.TextDocumentContentChangePartial(
                range=types.Range(before, types.Position(line, column + 1)), text="")
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[change]))
        typed.append(await recorder.wait_for(version) - sent)
        # Saving lints at once (no pause): the same update without the debounce.
        recorder.events.pop(version, None)
        sent = time.perf_counter()
        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        saved.append(await recorder.wait_for(version) - sent)

    # The worst case: typing while the site index is being rebuilt on a worker thread (as
    # after a save, whose file event invalidates the index): a change event, then edits.
    during = []
    for n in range(min(rounds, 10)):
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)]))
        await asyncio.sleep(0.3)  # past the rebuild delay: the build is running now
        version += 1
        at = types.Position(line, column)
        change = (types.TextDocumentContentChangePartial(range=types.Range(at, at), text="x") if n % 2 == 0 else
                  types.TextDocumentContentChangePartial(range=types.Range(at, types.Position(line, column + 1)), text=""))
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[change]))
        during.append(await recorder.wait_for(version) - sent)
        await asyncio.sleep(1.5)  # let that build finish

    completion_times, definition_time, references_time, references_found = await completions(
        client, uri, lines, version, completion_rounds)

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    shutil.rmtree(cache_dir, ignore_errors=True)

    def ms(values: list[float]) -> str:
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        return f"median {statistics.median(values) * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms"

    pages = sum(1 for _ in site.rglob("*.md"))
    print(f"site: {site} ({pages} markdown files)")
    print(f"page: {page.relative_to(site)} ({page.stat().st_size:,} bytes, {len(lines)} lines)")
    print(f"first diagnostics after didOpen: {opened * 1000:.1f} ms")
    print(f"keystroke -> diagnostics, round trip ({rounds} edits): {ms(typed)}")
    print(f"  of which the deliberate debounce pause:            {DEBOUNCE * 1000:6.1f} ms")
    print(f"keystroke -> diagnostics, update itself:              {ms([t - DEBOUNCE for t in typed])}")
    print(f"didSave -> diagnostics (no pause):                    {ms(saved)}")
    print(f"keystroke during a site index rebuild, update itself: {ms([t - DEBOUNCE for t in during])}")
    print(f"completion in a link destination ({len(completion_times)} requests): {ms(completion_times)}")
    print(f"go to definition: {definition_time * 1000:.1f} ms; "
          f"find references: {references_time * 1000:.1f} ms ({references_found} found)")


#: What the author types after ``[x](`` (one more character per keystroke).
TYPED = "/resources/"


async def completions(client: LanguageClient, uri: str, lines: list[str], version: int,
                      rounds: int) -> tuple[list[float], float, float, int]:
    """Type a link destination at the end of the page, asking for completions at each
    keystroke; then time a definition and a references request on a link."""
    line = len(lines)  # a new last line
    prefix = "[x]("
    version += 1
    end = types.Position(len(lines) - 1, len(lines[-1].encode("utf-16-le")) // 2)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(range=types.Range(end, end), text="\n" + prefix)]))
    # The first answer may wait for the catalog of titles: wait for it outside the timing.
    for _ in range(100):
        first = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, len(prefix))))
        if first is not None and first.items:
            break
        await asyncio.sleep(0.1)
    times = []
    typed = 0
    for _ in range(rounds):
        if typed == len(TYPED):  # start the destination over
            version += 1
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(line, len(prefix)), types.Position(line, len(prefix) + typed)),
                    text="")]))
            typed = 0
        at = types.Position(line, len(prefix) + typed)
        version += 1
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(at, at), text=TYPED[typed])]))
        typed += 1
        sent = time.perf_counter()
        await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, len(prefix) + typed)))
        times.append(time.perf_counter() - sent)
    version += 1
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(line, len(prefix)), types.Position(line, len(prefix) + typed)),
            text=TYPED + ")")]))
    on_link = types.Position(line, len(prefix) + 1)
    sent = time.perf_counter()
    await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=on_link))
    definition_time = time.perf_counter() - sent
    sent = time.perf_counter()
    found = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=on_link,
        context=types.ReferenceContext(include_declaration=False)))
    references_time = time.perf_counter() - sent
    return times, definition_time, references_time, len(found or [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", default=str(DEFAULT_SITE))
    parser.add_argument("--page", help="page to edit, relative to the site (default: the median-sized page)")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--completions", type=int, default=200, help="completion requests to time")
    args = parser.parse_args()
    site = Path(args.site)
    if not site.is_dir():
        sys.exit(f"no site at {site}")
    page = site / args.page if args.page else typical_page(site)
    asyncio.run(run(site, page, args.rounds, args.completions))


if __name__ == "__main__":
    main()
