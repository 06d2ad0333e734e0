"""The language server under hostile use: malformed headers, a flood of edits, a huge page.

These tests talk to ``naislint server`` over raw pipes (:class:`RawServer`) rather than
with pytest-lsp's client, which refuses to send malformed bytes, cannot flood a server with
30,000 edits in seconds, and hides the server's process id (its memory is measured here).
Every wait has a deadline, so a server that stops answering fails a test, never hangs it.
"""

from __future__ import annotations

import json
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from naislint.lsp.framing import Framer, Skipped  # noqa: E402

#: Seconds to wait for any one reply.
TIMEOUT = 30.0


# -- a client that writes bytes ------------------------------------------------------------


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawServer:
    """``naislint server`` on pipes; replies and notifications read on a thread."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "naislint", "server"], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.replies: dict[Any, dict] = {}
        self.notes: queue.Queue[dict] = queue.Queue()
        self.arrived = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        framer = Framer()
        stdout = self.proc.stdout
        assert stdout is not None
        while data := stdout.read1(1 << 16):
            for body in framer.feed(data):
                assert not isinstance(body, Skipped), body
                message = json.loads(body)
                message["_at"] = time.perf_counter()
                if "id" in message and "method" not in message:
                    with self.arrived:
                        self.replies[message["id"]] = message
                        self.arrived.notify_all()
                else:
                    self.notes.put(message)

    def write(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.write(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def send(self, method: str, params: Any, msg_id: Any = None) -> Any:
        if msg_id is None:
            self.next_id += 1
            msg_id = self.next_id
        self.write(frame({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}))
        return msg_id

    def reply(self, msg_id: Any, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while msg_id not in self.replies:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise AssertionError(f"no reply to {msg_id!r} (server exit code {self.proc.poll()})")
                self.arrived.wait(min(left, 0.5))
            return self.replies[msg_id]

    def request(self, method: str, params: Any) -> dict:
        return self.reply(self.send(method, params))

    def diagnostics(self, uri: str, timeout: float = TIMEOUT, version: int | None = None) -> dict:
        """The next publishDiagnostics of ``uri`` (of that ``version``, if given)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                note = self.notes.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no diagnostics for {uri}") from None
            if note.get("method") == "textDocument/publishDiagnostics" and note["params"]["uri"] == uri:
                if version is None or note["params"]["version"] == version:
                    return note

    def initialize(self, root: Path) -> None:
        reply = self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        assert "capabilities" in reply["result"]
        self.notify("initialized", {})

    def open(self, path: Path, text: str, version: int = 1) -> str:
        uri = path.resolve().as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": version, "text": text}})
        return uri

    def hover(self, uri: str, line: int, character: int) -> dict:
        return self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": line, "character": character}})

    def rss_kb(self) -> int:
        """The server's resident memory (kB), from /proc."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.reply(self.send("shutdown", None), timeout=5)
                self.notify("exit", None)
                self.proc.wait(timeout=5)
            except (AssertionError, OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=5)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "_config.yml").write_text("title: Test site\n")
    return root


@pytest.fixture
def server(site: Path):
    raw = RawServer(site)
    try:
        raw.initialize(site)
        yield raw
    finally:
        raw.close()


#: A page with one defect: front-matter-empty on line 3 (LSP line 2).
PAGE = '---\ntitle: Contact\ndescription: ""\n---\nBody text.\n'


def hover_rule(reply: dict) -> str | None:
    result = reply["result"]
    return None if result is None else result["contents"]["value"].split("**")[1]


def codes(note: dict) -> list[tuple[str, int, int, int, int]]:
    return [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
             d["range"]["end"]["line"], d["range"]["end"]["character"]) for d in note["params"]["diagnostics"]]


# -- the framer ----------------------------------------------------------------------------


def feed_all(data: bytes, step: int | None = None) -> list[bytes | Skipped]:
    framer = Framer(max_header=64)
    if step is None:
        return list(framer.feed(data))
    out: list[bytes | Skipped] = []
    for i in range(0, len(data), step):
        out.extend(framer.feed(data[i:i + step]))
    return out


GOOD = b'Content-Length: 2\r\n\r\n{}'


@pytest.mark.parametrize("step", [None, 1, 7])
@pytest.mark.parametrize("bad, reason", [
    (b"Content-Length: 99999999999999999999\r\n\r\n", "not a number"),
    (b"Content-Length: 600000000\r\n\r\n", "over the limit"),
    (b"Content-Length: -5\r\n\r\n", "not a number"),
    (b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n", "without Content-Length"),
    (b"\x00\xffgarbage\r\n\r\n", "not a message header"),
    (b"garbage without an end " * 10, "not a message header"),
])
def test_a_bad_header_is_skipped_and_the_next_message_read(bad, reason, step):
    out = feed_all(bad + GOOD + GOOD, step)
    bodies = [o for o in out if isinstance(o, bytes)]
    skipped = [o for o in out if isinstance(o, Skipped)]
    assert bodies == [b"{}", b"{}"]
    assert skipped and reason in skipped[0].reason


def test_a_body_without_a_header_is_skipped_up_to_the_next_header():
    # What a client that forgot Content-Length sends: the body runs into the next header.
    data = b'Content-Type: x\r\n\r\n{"id": 1}' + GOOD
    out = feed_all(data)
    assert [o for o in out if isinstance(o, bytes)] == [b"{}"]
    assert [o.size for o in out if isinstance(o, Skipped)] == [19, 9]


def test_a_too_long_content_length_costs_one_message():
    framer = Framer()
    data = b'Content-Length: 30\r\n\r\n{"a": 1}' + GOOD + GOOD
    swallowed = b'{"a": 1}Content-Length: 2\r\n\r\n{'
    items = framer.feed(data)
    assert next(items) == swallowed
    framer.reject(swallowed)
    assert list(items) == [b"{}", b"{}"]


# -- the server ----------------------------------------------------------------------------


def test_malformed_headers_on_stdin_are_skipped_and_the_server_answers(server: RawServer, site: Path):
    uri = server.open(site / "contact.md", PAGE)
    assert codes(server.diagnostics(uri)) == [("front-matter-empty", 2, 0, 2, 11)]

    # pygls's reader died of this one (OverflowError) ...
    server.write(b"Content-Length: 99999999999999999999\r\n\r\n")
    assert hover_rule(server.hover(uri, 2, 3)) == "front-matter-empty"
    # ... and after a message without Content-Length read every later one wrong.
    body = json.dumps({"jsonrpc": "2.0", "id": "lost", "method": "shutdown"}).encode()
    server.write(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body)
    assert hover_rule(server.hover(uri, 2, 3)) == "front-matter-empty"
    server.write(b"\x00\xff\xfe binary garbage\r\n\r\nContent-Length: abc\r\n\r\nX-Header\r\n\r\n")
    assert hover_rule(server.hover(uri, 2, 3)) == "front-matter-empty"
    # A Content-Length too long for its body swallows the next message's head; that
    # message is still read.
    server.write(b'Content-Length: 40\r\n\r\n{"oops": 1}')
    assert hover_rule(server.hover(uri, 2, 3)) == "front-matter-empty"
    # Too long, and nothing comes after the next message: the server gives up waiting.
    server.write(b'Content-Length: 4000\r\n\r\n{"oops": 2}')
    assert hover_rule(server.hover(uri, 2, 3)) == "front-matter-empty"
    # The message without Content-Length was skipped, not run: the server did not shut down.
    assert "lost" not in server.replies
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"text": PAGE.replace('""', "How to reach us")}]})
    assert codes(server.diagnostics(uri, version=2)) == []
    assert server.proc.poll() is None


def test_a_buffer_over_max_file_size_is_not_linted(server: RawServer, site: Path):
    (site / ".naislint.yml").write_text("max-file-size: 200\n")
    big = PAGE + "Words, words.\n" * 20  # 330 bytes
    uri = server.open(site / "big.md", big)
    note = server.diagnostics(uri)
    assert codes(note) == [("unreadable-file", 0, 0, 0, 1)]
    message = note["params"]["diagnostics"][0]["message"]
    assert message.startswith("page is 330 bytes, over the max-file-size limit of 200; not linted")
    # Cut down to the limit, it is linted.
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": PAGE}]})
    assert codes(server.diagnostics(uri, version=2)) == [("front-matter-empty", 2, 0, 2, 11)]

    # With unreadable-file off, the server still says why.
    (site / ".naislint.yml").write_text("max-file-size: 200\nrules:\n  unreadable-file: off\n")
    server.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": (site / ".naislint.yml").resolve().as_uri(), "type": 2}]})
    uri2 = server.open(site / "big2.md", "é" * 150)  # 150 characters, 300 bytes
    note = server.diagnostics(uri2)
    assert codes(note) == [("max-file-size", 0, 0, 0, 0)]
    assert note["params"]["diagnostics"][0]["message"].startswith("page is 300 bytes")


@pytest.mark.slow
def test_memory_is_flat_over_30000_edits(server: RawServer, site: Path):
    uri = server.open(site / "typing.md", PAGE)
    server.diagnostics(uri)
    end = {"line": 4, "character": 10}
    after = {"line": 4, "character": 11}
    insert = {"range": {"start": end, "end": end}, "text": "x"}
    delete = {"range": {"start": end, "end": after}, "text": ""}
    version = 1

    def edits(count: int) -> None:
        nonlocal version
        chunk = []
        for n in range(count):
            version += 1
            chunk.append(frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [insert if n % 2 == 0 else delete]}}))
            if len(chunk) == 500:
                server.write(b"".join(chunk))
                chunk = []
        server.write(b"".join(chunk))
        # Messages are handled in order: once this is answered, every edit was handled.
        assert hover_rule(server.hover(uri, 2, 3)) in ("front-matter-empty", None)

    edits(5000)  # warm-up: caches, the allocator's arenas
    time.sleep(0.5)
    before = server.rss_kb()
    edits(30000)
    time.sleep(0.5)
    grown = server.rss_kb() - before
    print(f"server RSS {before / 1024:.1f} MB, grown {grown / 1024:.1f} MB over 30,000 edits")
    assert grown < 10 * 1024
    # And the text is what the edits made of it (an even count: back to the page).
    assert codes(server.diagnostics(uri)) == [("front-matter-empty", 2, 0, 2, 11)]


def big_page(size: int) -> str:
    """A page of ``size`` bytes that takes the rules a while (lists, links, headings)."""
    block = "## Section\n\nSome text with a [link](/x/) and **bold** words.\n\n- item\n- other\n\n"
    body = block * (size // len(block) + 1)
    head = "---\ntitle: Big\n---\n"
    return head + body[: size - len(head)]


@pytest.mark.slow
def test_hover_answers_while_a_big_page_is_linted(server: RawServer, site: Path):
    small = server.open(site / "contact.md", PAGE)
    server.diagnostics(small)
    big = server.open(site / "big.md", big_page(5_000_000))
    time.sleep(0.5)  # the lint of the big page is running now
    latencies = []
    for _ in range(9):
        sent = time.perf_counter()
        reply = server.hover(small, 2, 3)
        latencies.append(reply["_at"] - sent)
        assert hover_rule(reply) == "front-matter-empty"
        time.sleep(0.05)
    median = statistics.median(latencies)
    print(f"hover during the lint of a 5 MB page: median {median * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms")
    # The big page's diagnostics had not come yet: the hovers did not wait for its lint.
    assert all(n["params"]["uri"] != big for n in list(server.notes.queue))
    assert median < 0.1


@pytest.mark.slow
def test_only_the_newest_version_is_published(server: RawServer, site: Path):
    # Version 1 takes the worker a while; version 2 replaces it meanwhile. Its
    # diagnostics must never be published (they are of a text the editor no longer has).
    uri = server.open(site / "page.md", big_page(150_000) + "\n**Bold**\n")
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": PAGE}]})
    note = server.diagnostics(uri)
    assert note["params"]["version"] == 2
    assert codes(note) == [("front-matter-empty", 2, 0, 2, 11)]
    # Nothing of version 1 comes later either: its lint was dropped. (Version 2 may be
    # published again, once the site index it asked for is built.)
    time.sleep(0.5)
    later = [n["params"]["version"] for n in list(server.notes.queue) if n.get("params", {}).get("uri") == uri]
    assert set(later) <= {2}


def test_a_body_cut_short_by_the_next_header_is_given_up():
    framer = Framer()
    items = list(framer.feed(b'Content-Length: 50\r\n\r\n{"a": 1}' + GOOD))
    assert items == [] and framer.header_in_body()
    # No more bytes come (the client waits for a reply): read from that header.
    data = framer.cut_short()
    assert list(framer.feed(data)) == [Skipped("a message shorter than its Content-Length", 8), b"{}"]
    assert not framer.header_in_body()
    # A body that merely mentions a header, without raw line breaks, is not cut.
    framer = Framer()
    assert list(framer.feed(b'Content-Length: 60\r\n\r\n{"text": "Content-Length: 5\\r\\n\\r\\n"')) == []
    assert not framer.header_in_body()


def test_all_input_at_once_with_a_too_long_content_length(site: Path):
    # Nothing follows the input's end: the swallowed messages are read from the body.
    messages = [
        frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"processId": None, "rootUri": None, "capabilities": {}}}),
        b'Content-Length: 5000\r\n\r\n{"oops": 1}',
        frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": (site / "x.md").as_uri()}, "position": {"line": 0, "character": 0}}}),
        frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
        frame({"jsonrpc": "2.0", "method": "exit"}),
    ]
    done = subprocess.run([sys.executable, "-m", "naislint", "server"], input=b"".join(messages),
                          capture_output=True, timeout=60)
    framer = Framer()
    replies = {m["id"]: m for m in map(json.loads, framer.feed(done.stdout)) if "id" in m}
    assert replies[2]["result"] is None
    assert replies[3]["result"] is None
    assert done.returncode == 0
