"""Benchmark: external-link over 1,000 unique URLs against a local server.

Starts the test suite's HTTP server on 127.0.0.1 (a free port; nothing else is asked)
in a process of its own, so that its threads do not compete with the checker for the GIL,
builds pages that link to N unique URLs (each linked from two pages, so deduplication
is exercised too), runs the engine's batch hook once without a cache, and prints the
time taken and the peak of concurrent requests the server saw for the host, which must
not exceed the per-host limit.

    python bench/external_links.py [--urls 1000] [--per-host 4] [--max-concurrency 32] [--delay 0.005]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from external_server import LinkServer  # noqa: E402

from naislint.page.document import Document  # noqa: E402
from naislint.external import attach, prepare  # noqa: E402
from naislint.rules.external_link import ExternalLinkOptions, check  # noqa: E402


def serve(conn, delay: float) -> None:
    """Run the server in its own process (so it does not share the client's GIL)."""
    with LinkServer(delay=delay) as server:
        conn.send(server.port)
        conn.recv()  # wait until the client is done
        conn.send({"total": server.total, "peak": dict(server.peak)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--max-concurrency", type=int, default=32)
    parser.add_argument("--delay", type=float, default=0.005, help="server think time per request, seconds")
    parser.add_argument("--links-per-page", type=int, default=20)
    args = parser.parse_args()

    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve, args=(child, args.delay), daemon=True)
    process.start()
    port = parent.recv()
    base = f"http://127.0.0.1:{port}"
    urls = [f"{base}/bulk/{i}" for i in range(args.urls)]
    links = urls + urls[::-1]  # every URL linked from two places
    docs = []
    for start in range(0, len(links), args.links_per_page):
        chunk = links[start : start + args.links_per_page]
        text = "---\ntitle: Bench\n---\n" + "\n".join(f"- [link]({u})" for u in chunk) + "\n"
        docs.append(Document.from_text(text, f"page-{start // args.links_per_page}.md"))
    # The server is on 127.0.0.1, which the address guard refuses unless told otherwise.
    options = ExternalLinkOptions(per_host_concurrency=args.per_host, max_concurrency=args.max_concurrency,
                                  allow_private=True)
    started = time.perf_counter()
    results = prepare([(d, options) for d in docs], cache_dir=None, progress=False, network={"trust_env": False})
    elapsed = time.perf_counter() - started
    findings = sum(len(list(check(d, None, attach(options, results)))) for d in docs)
    parent.send("done")
    stats = parent.recv()
    process.join(5)
    host = f"127.0.0.1:{port}"
    peak = stats["peak"].get(host, 0)
    total = stats["total"]
    print(f"pages: {len(docs)}, links: {len(links)}, unique URLs: {len(results.places)}")
    print(f"requests the server saw: {total} (one per unique URL: {total == args.urls})")
    print(f"findings: {findings}")
    print(f"time: {elapsed:.2f} s ({args.urls / elapsed:.0f} URLs/s), server delay {args.delay * 1000:.0f} ms per request")
    print(f"peak concurrent requests for {host}: {peak} (per-host limit {args.per_host})")
    ok = peak <= args.per_host and total == args.urls and findings == 0
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
