"""The language server under load: hover during a big lint, a huge page, a flood of edits.

Starts ``naislint server`` on raw pipes (the client of tests/test_lsp_safety.py) in a
scratch site and prints:

- hover latency (median, max) on a small page while a big page (default 5 MB) is linted,
  and how long that big page's first diagnostics take;
- the same for a page over the ``max-file-size`` limit (default 20 MB): how long until the
  diagnostic saying it was not linted, hover latency meanwhile, and the server's peak memory;
- hover latency right after each keystroke in that 20 MB page (applying the edit to the
  buffer is the event loop's work);
- the server's memory (RSS from /proc) before and after a flood of edits (default 30,000
  ``didChange`` notifications, after 5,000 to warm up).

    python bench/lsp_stress.py [--big-mb 5] [--huge-mb 20] [--edits 30000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

from test_lsp_safety import PAGE, RawServer, big_page, frame, hover_rule  # noqa: E402


def peak_kb(server: RawServer) -> int:
    for line in Path(f"/proc/{server.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def hovers(server: RawServer, uri: str, rounds: int = 15) -> list[float]:
    """Round trips of hovers on ``uri`` (a page with a diagnostic at line 2), one by one."""
    latencies = []
    for _ in range(rounds):
        sent = time.perf_counter()
        reply = server.hover(uri, 2, 3)
        latencies.append(reply["_at"] - sent)
        assert hover_rule(reply) == "front-matter-empty"
        time.sleep(0.05)
    return latencies


def first_diagnostics(server: RawServer, uri: str, timeout: float = 600.0) -> float:
    note = server.diagnostics(uri, timeout=timeout)
    return note["_at"]


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:6.1f} ms, max {max(values) * 1000:6.1f} ms"


def run(big_mb: float, huge_mb: float, edits: int) -> None:
    with tempfile.TemporaryDirectory(prefix="naislint-lsp-stress-") as folder:
        site = Path(folder)
        (site / "_config.yml").write_text("title: Stress\n")

        server = RawServer(site)
        try:
            server.initialize(site)
            small = server.open(site / "contact.md", PAGE)
            server.diagnostics(small)

            size = int(big_mb * 1_000_000)
            started = time.perf_counter()
            big = server.open(site / "big.md", big_page(size))
            time.sleep(0.3)
            latencies = hovers(server, small)
            done = first_diagnostics(server, big) - started
            print(f"hover while a {size:,}-byte page is linted:    {ms(latencies)}")
            print(f"  first diagnostics of that page after didOpen: {done:6.1f} s")

            size = int(huge_mb * 1_000_000)
            started = time.perf_counter()
            huge = server.open(site / "huge.md", big_page(size))
            latencies = hovers(server, small, rounds=5)
            done = first_diagnostics(server, huge) - started
            print(f"hover after a {size:,}-byte page was opened:  {ms(latencies)}")
            print(f"  'not linted' diagnostic after didOpen:        {done:6.2f} s")
            print(f"  server peak memory so far:                    {peak_kb(server) / 1024:6.0f} MB")

            line = big_page(size).count("\n") - 3
            latencies = []
            for n in range(10):
                at = {"line": line, "character": 2}
                server.notify("textDocument/didChange", {"textDocument": {"uri": huge, "version": 2 + n},
                                                         "contentChanges": [{"range": {"start": at, "end": at},
                                                                             "text": "x"}]})
                latencies.extend(hovers(server, small, rounds=1))
            print(f"hover right after a keystroke in that page:    {ms(latencies)}")
        finally:
            server.close()

        server = RawServer(site)
        try:
            server.initialize(site)
            uri = server.open(site / "typing.md", PAGE)
            server.diagnostics(uri)
            end, after = {"line": 4, "character": 10}, {"line": 4, "character": 11}
            version = 1

            def flood(count: int) -> float:
                nonlocal version
                started = time.perf_counter()
                chunk = []
                for n in range(count):
                    version += 1
                    change = {"range": {"start": end, "end": end if n % 2 == 0 else after},
                              "text": "x" if n % 2 == 0 else ""}
                    chunk.append(frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                        "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}}))
                    if len(chunk) == 500:
                        server.write(b"".join(chunk))
                        chunk = []
                server.write(b"".join(chunk))
                server.hover(uri, 2, 3)  # answered once every edit before it was handled
                return time.perf_counter() - started

            flood(5000)
            time.sleep(0.5)
            before = server.rss_kb()
            took = flood(edits)
            time.sleep(0.5)
            after_kb = server.rss_kb()
            print(f"memory over {edits:,} didChange (after 5,000 to warm up): "
                  f"{before / 1024:.1f} MB -> {after_kb / 1024:.1f} MB ({(after_kb - before) / 1024:+.1f} MB), "
                  f"handled in {took:.1f} s ({edits / took:,.0f}/s)")
        finally:
            server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big-mb", type=float, default=5.0, help="size of the page linted during hovers")
    parser.add_argument("--huge-mb", type=float, default=20.0, help="size of the page over max-file-size")
    parser.add_argument("--edits", type=int, default=30000)
    args = parser.parse_args()
    run(args.big_mb, args.huge_mb, args.edits)


if __name__ == "__main__":
    main()
