"""The external check stays out of private networks and finishes by its deadline.

Every server here is on 127.0.0.1. The ``loopback_only`` fixture makes any connection to
another address, and any DNS lookup of a name, fail the test instead of leaving the
machine, so a guard that let a link through could never reach a real private network.
Names such as ``public.test`` resolve through the checker's test hook, never DNS.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from external_server import LinkServer
from dataclasses import replace

from naislint.registry import RuleContext
from naislint.page.document import Document
from naislint.external import prepare
from naislint.external.guard import AddressGuard, PrivateAddress, is_refused, literal_address, numeric_ipv4
from naislint.rules.external_link import ExternalLinkOptions, check

NETWORK: dict[str, Any] = {"trust_env": False, "backoff": 0.05}


@pytest.fixture
def loopback_only(monkeypatch):
    """Refuse (and record) connections to anything but 127.0.0.1 and lookups of names."""
    attempts: list[Any] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def allowed(address: Any) -> bool:
        return isinstance(address, tuple) and address[0] == "127.0.0.1"

    def connect(self, address):
        if not allowed(address):
            attempts.append(address)
            raise ConnectionRefusedError(f"test refuses a connection to {address!r}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if not allowed(address):
            attempts.append(address)
            raise ConnectionRefusedError(f"test refuses a connection to {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name)
        except ValueError:
            attempts.append(("getaddrinfo", name))
            raise socket.gaierror(socket.EAI_NONAME, f"test refuses to look up {name!r}") from None
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.fixture
def server():
    with LinkServer() as s:
        yield s


def within(seconds: float, work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread and fail the test if it takes longer than ``seconds``."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def run(urls: list[str], network: dict[str, Any] | None = None, cache_dir: Path | None = None,
        **kwargs: Any) -> tuple[Document, list[tuple[int, int, str, Any]]]:
    kwargs.setdefault("timeout", 2)
    opts = ExternalLinkOptions(**kwargs)
    body = "\n".join(f"- [link {i}]({u})" for i, u in enumerate(urls))
    doc = Document.from_text(f"---\ntitle: Links\n---\n{body}\n", "links.md")
    results = within(30, lambda: prepare([(doc, opts)], cache_dir=cache_dir, progress=False,
                                         network={**NETWORK, **(network or {})}))
    findings = [(f.span.line, f.span.column, f.message, f.severity) for f in check(doc, RuleContext.alone(doc.path), replace(opts, prepared=results))]
    return doc, findings


def info(line: int, message: str) -> tuple[int, int, str, Any]:
    from naislint.diagnostics import Severity

    return (line, column(line), message, Severity.INFO)


def column(line: int) -> int:
    """Where the URL of ``run``'s link on ``line`` starts: after ``- [link N](``."""
    return len(f"- [link {line - 4}](") + 1


# -- the address rules, no network ---------------------------------------------------------

@pytest.mark.parametrize("host, address", [
    ("2130706433", "127.0.0.1"),
    ("0x7f.1", "127.0.0.1"),
    ("0x7F000001", "127.0.0.1"),
    ("017700000001", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),
    ("127.1", "127.0.0.1"),
    ("127.0.1", "127.0.0.1"),
    ("127.0.0.1.", "127.0.0.1"),
    ("0", "0.0.0.0"),
    ("0xa9.254.169.254", "169.254.169.254"),
    ("2852039166", "169.254.169.254"),
    ("[::1]", "::1"),
    ("::ffff:7f00:1", "::ffff:7f00:1"),
])
def test_numeric_spellings_are_read_as_resolvers_read_them(host, address):
    assert literal_address(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["example.gov.sg", "1.2.3.4.5", "256.1.1.1", "0x1g", "08.1.1.1", "1_0.0.0.1",
                                  "4294967296", "1.2.3.4x", ""])
def test_names_are_not_numbers(host):
    assert numeric_ipv4(host) is None


@pytest.mark.parametrize("address, refused", [
    ("127.0.0.1", True), ("127.8.9.10", True), ("10.1.2.3", True), ("172.16.0.1", True), ("192.168.1.1", True),
    ("169.254.169.254", True), ("100.64.0.1", True), ("0.0.0.0", True), ("224.0.0.1", True),
    ("239.255.255.250", True), ("240.0.0.1", True), ("255.255.255.255", True), ("192.0.2.1", True),
    ("::1", True), ("::", True), ("fe80::1", True), ("fc00::1", True), ("ff02::1", True), ("ff0e::1", True),
    ("::ffff:127.0.0.1", True), ("::ffff:169.254.169.254", True), ("2002:7f00:1::", True),
    ("2002:a9fe:a9fe::", True), ("64:ff9b::a9fe:a9fe", True), ("2001:0:4136:e378:8000:63bf:3fff:fdd2", True),
    ("8.8.8.8", False), ("203.116.1.1", False), ("2606:4700::1111", False), ("::ffff:8.8.8.8", False),
    ("2002:808:808::", False), ("64:ff9b::808:808", False),
])
def test_which_addresses_are_refused(address, refused):
    assert is_refused(ipaddress.ip_address(address)) is refused


def test_a_name_is_refused_when_any_of_its_addresses_is_private():
    import asyncio

    from naislint.external.guard import Verdict

    answers = {"mixed.test": ["93.184.216.34", "10.0.0.7"], "public.test": ["93.184.216.34"] * 2,
               "v6.test": ["2606:4700::1111", "::ffff:192.168.0.1"]}

    async def main() -> list[Verdict]:
        guard = AddressGuard(timeout=1, resolver=lambda host: answers[host])
        return [await guard.vet(host) for host in ("mixed.test", "public.test", "v6.test", "PUBLIC.test")]

    assert asyncio.run(main()) == [Verdict(refused="10.0.0.7"), Verdict(addresses=("93.184.216.34",)),
                                   Verdict(refused="::ffff:c0a8:1"), Verdict(addresses=("93.184.216.34",))]


# -- the guard on: nothing private is asked --------------------------------------------------

def test_private_hosts_in_every_spelling_are_reported_and_never_asked(server, loopback_only, tmp_path):
    p = server.port
    urls = [
        (f"http://127.0.0.1:{p}/ok", "127.0.0.1"),
        (f"http://localhost:{p}/ok", "localhost"),
        (f"http://LOCALHOST.:{p}/ok", "localhost."),
        (f"http://api.localhost:{p}/ok", "api.localhost"),
        (f"http://0.0.0.0:{p}/ok", "0.0.0.0"),
        (f"http://2130706433:{p}/ok", "127.0.0.1"),
        (f"http://0x7f.1:{p}/ok", "127.0.0.1"),
        (f"http://017700000001:{p}/ok", "127.0.0.1"),
        (f"http://[::1]:{p}/ok", "::1"),
        (f"http://[::ffff:127.0.0.1]:{p}/ok", "::ffff:7f00:1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://10.0.0.1/", "10.0.0.1"),
        ("https://192.168.1.1/admin", "192.168.1.1"),
        ("http://[fe80::1]/", "fe80::1"),
    ]
    doc, findings = run([u for u, _a in urls], cache_dir=tmp_path)
    assert findings == [
        info(4 + i, f"{u}: not checked (private address {a}) (linked from 1 place)") for i, (u, a) in enumerate(urls)
    ]
    assert server.total == 0
    assert loopback_only == []  # no connection was even tried, and no name looked up
    # Not checked is not an answer: nothing of it is cached.
    assert not (tmp_path / "external-links.json").exists()


def test_a_redirect_from_an_allowed_host_to_a_private_one_is_not_followed(server, loopback_only):
    """public.test is on 127.0.0.1 too, but the test hook has the guard treat it as public."""
    with LinkServer() as inside:
        q = inside.port
        server.redirects.update({
            "/to-loopback": f"http://127.0.0.1:{q}/ok",
            "/to-localhost": f"http://localhost:{q}/ok",
            "/to-number": f"http://2130706433:{q}/ok",
            "/to-name": f"http://internal.test:{q}/ok",
            "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        })
        network = {
            "resolver": lambda host: {"public.test": ["127.0.0.1"], "internal.test": ["127.0.0.1"]}[host],
            "treat_as_public": lambda host, address: host == "public.test",
        }
        base = f"http://public.test:{server.port}"
        urls = [f"{base}/ok", f"{base}/moved", f"{base}/missing", f"{base}/to-loopback", f"{base}/to-localhost",
                f"{base}/to-number", f"{base}/to-name", f"{base}/to-metadata"]
        _doc, findings = run(urls, network)
        assert inside.total == 0
    from naislint.diagnostics import Severity

    def refused(line: int, path: str, address: str, target: str) -> tuple[int, int, str, Any]:
        return info(line, f"{base}{path}: not checked (private address {address}) after redirecting to {target} "
                          "(linked from 1 place)")

    assert findings == [
        (6, column(6), f"{base}/missing answers 404 Not Found (linked from 1 place)", None),
        refused(7, "/to-loopback", "127.0.0.1", f"http://127.0.0.1:{q}/ok"),
        refused(8, "/to-localhost", "localhost", f"http://localhost:{q}/ok"),
        refused(9, "/to-number", "127.0.0.1", f"http://2130706433:{q}/ok"),
        refused(10, "/to-name", "127.0.0.1", f"http://internal.test:{q}/ok"),
        refused(11, "/to-metadata", "169.254.169.254", "http://169.254.169.254/latest/meta-data/"),
    ]
    assert Severity.INFO not in {f[3] for f in findings[:1]}
    # The allowed host was asked by its name, each redirect once, and never again with GET.
    assert set(server.hosts) == {f"public.test:{server.port}"}
    for path in ("/to-loopback", "/to-localhost", "/to-number", "/to-name", "/to-metadata"):
        assert dict((m, n) for (m, p), n in server.method_counts.items() if p == path) == {"HEAD": 1}
    assert loopback_only == []


def test_the_connection_goes_to_the_address_that_was_vetted(server, loopback_only):
    """A name that answers a public address first and a private one later (DNS
    rebinding) is connected to at the first, and the system resolver is never asked."""
    answers = iter([["127.0.0.1"]] + [["169.254.169.254"]] * 10)
    asked: list[str] = []

    def resolver(host: str) -> list[str]:
        asked.append(host)
        return next(answers)

    network = {"resolver": resolver,
               "treat_as_public": lambda host, address: host == "rebind.test" and address == "127.0.0.1"}
    base = f"http://rebind.test:{server.port}"
    _doc, findings = run([f"{base}/ok", f"{base}/missing", f"{base}/page", f"{base}/moved"], network)
    assert findings == [(5, column(5), f"{base}/missing answers 404 Not Found (linked from 1 place)", None)]
    assert asked == ["rebind.test"]
    assert server.hosts == {f"rebind.test:{server.port}": 6}  # /moved is two requests, /missing HEAD and GET
    assert loopback_only == []


def test_https_to_a_pinned_address_sends_the_name_as_sni_and_verifies_it(tmp_path, monkeypatch, loopback_only):
    """The socket goes to the vetted address; TLS still speaks to, and checks, the name."""
    import ssl

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=public.test", "-addext", "subjectAltName=DNS:public.test",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    names: list[str | None] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda _sock, name, _ctx: names.append(name)
    # The checker trusts the test certificate through SSL_CERT_FILE, which it reads only
    # when it trusts the environment: then no proxy variable may be left to follow.
    for name in [k for k in os.environ if "proxy" in k.lower()]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server = LinkServer()
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    network = {"trust_env": True, "resolver": lambda host: ["127.0.0.1"],
               "treat_as_public": lambda host, address: host in ("public.test", "other.test")}
    with server:
        good, other = f"https://public.test:{server.port}", f"https://other.test:{server.port}"
        _doc, findings = run([f"{good}/ok", f"{good}/missing", f"{other}/ok"], network, retries=0)
    assert findings[0] == (5, column(5), f"{good}/missing answers 404 Not Found (linked from 1 place)", None)
    assert len(findings) == 2 and findings[1][:2] == (6, column(6))
    assert findings[1][2].startswith(f"{other}/ok: cannot connect (") and "CERTIFICATE_VERIFY_FAILED" in findings[1][2]
    assert set(names) == {"public.test", "other.test"}
    assert set(server.hosts) == {f"public.test:{server.port}"}
    assert loopback_only == []


def test_the_transport_refuses_a_private_connection_on_its_own(server, loopback_only):
    """Even a request that skipped the checker's vetting cannot reach a private address."""
    import asyncio

    import httpx

    from naislint.external.pinned import PinnedTransport

    async def main() -> None:
        guard = AddressGuard(timeout=2)
        async with httpx.AsyncClient(transport=PinnedTransport(guard, httpx.Limits(), trust_env=False),
                                     trust_env=False) as client:
            with pytest.raises(PrivateAddress, match="127.0.0.1"):
                await client.get(server.url("/ok"))
            with pytest.raises(PrivateAddress, match="localhost"):
                await client.get(f"http://localhost:{server.port}/ok")

    within(20, lambda: asyncio.run(main()))
    assert server.total == 0
    assert loopback_only == []


def test_a_name_that_cannot_be_resolved_is_a_connection_failure(loopback_only):
    def resolver(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    _doc, findings = run(["https://nowhere.test/x"], {"resolver": resolver}, retries=0)
    assert findings == [(4, column(4), "https://nowhere.test/x: cannot connect (cannot resolve nowhere.test: "
                                "[Errno -2] Name or service not known) (linked from 1 place)", None)]


# -- the guard off: checked as before ---------------------------------------------------------

def test_allow_private_checks_private_hosts_as_before(server, loopback_only):
    p = server.port
    _doc, findings = run([f"http://127.0.0.1:{p}/ok", f"http://127.0.0.1:{p}/gone", f"http://127.0.0.1:{p}/moved"],
                         allow_private=True)
    assert findings == [(5, column(5), f"http://127.0.0.1:{p}/gone answers 410 Gone (linked from 1 place)", None)]
    assert server.counts == {"/ok": 2, "/gone": 2, "/moved": 1}  # /moved leads to /ok


# -- the deadline ---------------------------------------------------------------------------

def test_the_deadline_ends_the_pass_and_reports_what_is_left(server):
    """20 links to a server that never answers: without a deadline each would wait for
    its timeout (10 s here), four at a time; with a 1 s deadline the pass ends at 1 s."""
    urls = [server.url(f"/slow?{i}") for i in range(20)]
    started = time.monotonic()
    # /ok first: it takes one of the host's four slots before the slow links queue up.
    _doc, findings = run([server.url("/ok")] + urls, allow_private=True, timeout=10, deadline=1)
    elapsed = time.monotonic() - started
    message = "not checked: the external check's deadline of 1 s passed (linked from 1 place)"
    assert findings == [info(5 + i, f"{u}: {message}") for i, u in enumerate(urls)]
    assert 1 <= elapsed < 5
    assert server.counts["/ok"] == 1


def test_a_lookup_that_hangs_does_not_hold_the_run_past_its_deadline(monkeypatch):
    """The system resolver is asked in a thread the run does not wait for at its end."""
    real_getaddrinfo = socket.getaddrinfo
    release = threading.Event()

    def hanging(host, *args, **kwargs):
        if host == "hang.test":
            release.wait(10)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    started = time.monotonic()
    try:
        _doc, findings = run(["https://hang.test/x"], timeout=30, deadline=1)
    finally:
        release.set()
    assert time.monotonic() - started < 5
    assert findings == [info(4, "https://hang.test/x: not checked: the external check's deadline of 1 s passed "
                                "(linked from 1 place)")]


# -- the command line and the configuration -------------------------------------------------

def make_site(tmp_path: Path, server: LinkServer, config: str | None = None) -> Path:
    root = tmp_path / "site"
    (root / "pages").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Test site\n", encoding="utf-8")
    (root / "pages" / "a.md").write_text(
        f"---\ntitle: A\n---\n[gone]({server.url('/gone')}) and [metadata](http://169.254.169.254/latest/)\n",
        encoding="utf-8",
    )
    if config is not None:
        (root / ".naislint.yml").write_text(config, encoding="utf-8")
    return root


def naislint(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = "*"
    return subprocess.run([sys.executable, "-m", "naislint", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, check=False)


def external(stdout: str) -> list[tuple[int, int, str, str]]:
    return [(d["line"], d["column"], d["severity"], d["message"]) for d in json.loads(stdout)
            if d["rule"] == "external-link"]


@pytest.mark.slow
def test_cli_refuses_private_hosts_unless_allowed(server, tmp_path):
    root = make_site(tmp_path, server)
    refused = naislint("check", "--external", "--no-cache", "--format", "json", str(root))
    assert refused.returncode == 0, refused.stderr  # info only
    line = (root / "pages" / "a.md").read_text(encoding="utf-8").splitlines()[3]
    assert external(refused.stdout) == [
        (4, 8, "info", f"{server.url('/gone')}: not checked (private address 127.0.0.1) (linked from 1 place)"),
        (4, line.index("http://169") + 1, "info",
         "http://169.254.169.254/latest/: not checked (private address 169.254.169.254) (linked from 1 place)"),
    ]
    assert server.total == 0

    # Allowed, the metadata address would be asked: this machine is not to ask it, so the
    # page keeps only the link to the test server.
    (root / "pages" / "a.md").write_text(f"---\ntitle: A\n---\n[gone]({server.url('/gone')})\n", encoding="utf-8")
    allowed = naislint("check", "--external", "--external-allow-private", "--no-cache", "--format", "json", str(root))
    assert allowed.returncode == 1
    assert external(allowed.stdout) == [
        (4, 8, "warning", f"{server.url('/gone')} answers 410 Gone (linked from 1 place)")]
    assert server.method_counts == {("HEAD", "/gone"): 1, ("GET", "/gone"): 1}


@pytest.mark.slow
def test_config_key_allows_private_hosts_and_sets_the_deadline(server, tmp_path):
    root = make_site(tmp_path, server, "links:\n  external: true\n  external-allow-private: true\n  deadline: 1\n"
                                       "  timeout: 10\n")
    slow = server.url("/slow")
    line = f"[gone]({server.url('/gone')}) [slow]({slow})"
    (root / "pages" / "a.md").write_text(f"---\ntitle: A\n---\n{line}\n", encoding="utf-8")
    started = time.monotonic()
    result = naislint("check", "--no-cache", "--format", "json", str(root))
    assert time.monotonic() - started < 20
    assert external(result.stdout) == [
        (4, 8, "warning", f"{server.url('/gone')} answers 410 Gone (linked from 1 place)"),
        (4, line.index(slow) + 1, "info",
         f"{slow}: not checked: the external check's deadline of 1 s passed (linked from 1 place)"),
    ]


def test_bad_deadline_and_allow_private_values_are_configuration_errors(server, tmp_path):
    from click.testing import CliRunner

    from naislint.cli import main

    def errors(root: Path) -> str:
        result = CliRunner().invoke(main, ["check", str(root)], catch_exceptions=False)
        assert result.exit_code == 2
        return result.output

    root = make_site(tmp_path, server, "links:\n  external: true\n  deadline: 0\n")
    assert ".naislint.yml:3: key 'links.deadline'" in errors(root)
    root2 = make_site(tmp_path / "2", server, "links:\n  external: true\n  external-allow-private: yes please\n")
    assert ".naislint.yml:3: key 'links.external-allow-private'" in errors(root2)
    # The rule's own entry is checked by its options, not the links schema.
    root3 = make_site(tmp_path / "3", server, "rules:\n  external-link:\n    deadline: -1\n")
    assert "deadline must be greater than 0" in errors(root3)
    assert server.total == 0
