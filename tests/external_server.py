"""A small HTTP server on 127.0.0.1 that answers the cases external links meet.

Used by the external-link tests and by ``bench/external_links.py``. It listens on a free
port of the loopback interface only, counts every request (per path and method) and
records the peak of requests in flight per ``Host`` header, so a test can check that
the checker asked what it should, as often as it should, and no more at once than
allowed. Redirects use relative locations, or absolute ones a test sets in
``redirects`` (which the address guard must refuse to follow, or which point at another
server on 127.0.0.1), so nothing ever leaves 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"""<!doctype html>
<html><head><title>Page</title></head>
<body><h2 id="present">Present</h2><p><a name="named">named</a></p>
<div id="user-content-from-github">GitHub-style id</div></body></html>
"""


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients closing kept-alive connections is normal here, not worth a traceback."""


class LinkServer:
    """Start with :meth:`start` (or as a context manager); ``url(path)`` builds links."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.counts: Counter[str] = Counter()
        self.method_counts: Counter[tuple[str, str]] = Counter()
        self.in_flight: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        #: ``Host`` headers of the requests received.
        self.hosts: Counter[str] = Counter()
        #: path -> absolute ``Location`` to redirect to (another server, another host name).
        self.redirects: dict[str, str] = {}
        self.httpd = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.counts.values())

    def reset_counts(self) -> None:
        with self.lock:
            self.counts.clear()
            self.method_counts.clear()
            self.hosts.clear()

    def start(self) -> "LinkServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "LinkServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _make_handler(server: LinkServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_HEAD(self) -> None:
            self._serve("HEAD")

        def do_GET(self) -> None:
            self._serve("GET")

        def _serve(self, method: str) -> None:
            path = self.path.split("?", 1)[0]
            host = self.headers.get("Host", "")
            with server.lock:
                server.counts[path] += 1
                server.hosts[host] += 1
                server.method_counts[(method, path)] += 1
                seen = server.counts[path]
                server.in_flight[host] += 1
                server.peak[host] = max(server.peak[host], server.in_flight[host])
            try:
                if server.delay:
                    time.sleep(server.delay)
                self._route(method, path, seen)
            finally:
                with server.lock:
                    server.in_flight[host] -= 1

        def _route(self, method: str, path: str, seen: int) -> None:
            if path in server.redirects:
                self._reply(302, method, headers={"Location": server.redirects[path]})
            elif path in ("/ok", "/page") or path.startswith("/bulk/"):
                self._reply(200, method, PAGE)
            elif path == "/moved":
                self._reply(301, method, headers={"Location": "/ok"})
            elif path == "/moved-to-missing":
                self._reply(301, method, headers={"Location": "/missing"})
            elif path == "/loop-a":
                self._reply(302, method, headers={"Location": "/loop-b"})
            elif path == "/loop-b":
                self._reply(302, method, headers={"Location": "/loop-a"})
            elif path == "/missing":
                self._reply(404, method, b"not here")
            elif path == "/gone":
                self._reply(410, method, b"gone")
            elif path == "/busy":
                if seen == 1:
                    self._reply(429, method, headers={"Retry-After": "1"})
                else:
                    self._reply(200, method, PAGE)
            elif path == "/flaky":
                self._reply(500 if seen <= 2 else 200, method, PAGE)
            elif path == "/no-head":
                if method == "HEAD":
                    self._reply(405, method, headers={"Allow": "GET"})
                else:
                    self._reply(200, method, PAGE)
            elif path == "/slow":
                server.stopping.wait(30)
            elif path == "/file.pdf":
                self._reply(200, method, b"%PDF-1.4", content_type="application/pdf")
            else:
                self._reply(404, method, b"unknown")

        def _reply(self, status: int, method: str, body: bytes = b"", headers: dict | None = None,
                   content_type: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(body)

    return Handler
