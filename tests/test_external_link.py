"""external-link (NL305) against a real HTTP server on 127.0.0.1.

Every request in these tests goes to the loopback server started by the test (on a free
port); proxies from the environment are turned off, so none can leave the machine.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from external_server import LinkServer
from dataclasses import replace

from naislint.config.loader import ConfigError
from naislint.page.document import Document
from naislint.external import ExternalResults, prepare
from naislint.external.anchors import fragment_found, page_anchors
from naislint.external.cache import CACHE_FILE
from naislint.external.checker import retry_after_seconds
from naislint.external.status import StatusSet
from naislint.external.links import collect
from naislint.external.progress import wanted
from naislint.registry import lookup, RuleContext
from naislint.rules.external_link import ExternalLinkOptions, check, rule_config_from_links

NETWORK = {"trust_env": False, "backoff": 0.05}


@pytest.fixture
def server():
    with LinkServer() as s:
        yield s


def options(**kwargs) -> ExternalLinkOptions:
    """Options for a run against the test server, which is on 127.0.0.1: the address
    guard has to be off for it to be asked (tests of the guard turn it back on)."""
    kwargs.setdefault("allow_private", True)
    kwargs.setdefault("timeout", 0.5)
    kwargs.setdefault("max_retry_after", 2)
    return ExternalLinkOptions(**kwargs)


def run(docs: list[Document], opts: ExternalLinkOptions, cache_dir=None) -> tuple[ExternalResults, list[list]]:
    results = prepare([(d, opts) for d in docs], cache_dir=cache_dir, progress=False, network=NETWORK)
    findings = [
        [(f.span.line, f.span.column, f.message) for f in check(d, RuleContext.alone(d.path), replace(opts, prepared=results))] for d in docs
    ]
    return results, findings


def page(server: LinkServer, paths: list[str]) -> Document:
    body = "\n\n".join(f"- [link {i}]({server.url(p)})" for i, p in enumerate(paths))
    return Document.from_text(f"---\ntitle: Links\n---\n{body}\n", "links.md")


ALL_CASES = [
    "/ok",               # line 4
    "/moved",            # 6: 301 -> 200
    "/loop-a",           # 8: redirect loop
    "/missing",          # 10
    "/gone",             # 12
    "/busy",             # 14: 429 with Retry-After: 1, then 200
    "/flaky",            # 16: 500, 500, then 200
    "/no-head",          # 18: HEAD 405, GET 200
    "/slow",             # 20: never answers
    "/page#present",     # 22
    "/page#absent",      # 24
    "/moved-to-missing", # 26
]


def col(doc: Document, line: int) -> int:
    return doc.line(line).index("http://") + 1


def test_every_case_gives_the_right_diagnostic_and_the_cache_asks_again_only_what_failed(server, tmp_path):
    doc = page(server, ALL_CASES)
    opts = options(anchors=True)
    started = time.monotonic()
    results, [findings] = run([doc], opts, cache_dir=tmp_path)
    elapsed = time.monotonic() - started
    u = server.url
    expected = [
        (8, col(doc, 8), f"{u('/loop-a')}: redirect loop (back to {u('/loop-a')}) (linked from 1 place)"),
        (10, col(doc, 10), f"{u('/missing')} answers 404 Not Found (linked from 1 place)"),
        (12, col(doc, 12), f"{u('/gone')} answers 410 Gone (linked from 1 place)"),
        (20, col(doc, 20), f"{u('/slow')}: no answer within 0.5 s (linked from 1 place)"),
        (24, col(doc, 24), f"{u('/page#absent')}: no element with id 'absent' on {u('/page')} (linked from 1 place)"),
        (26, col(doc, 26),
         f"{u('/moved-to-missing')} answers 404 Not Found after redirecting to {u('/missing')} (linked from 1 place)"),
    ]
    assert findings == expected
    # The spans cover the URL exactly.
    spans = [f.span for f in check(doc, RuleContext.alone(doc.path), replace(opts, prepared=results))]
    assert doc.line(10)[spans[1].column - 1 : spans[1].end_column - 1] == u("/missing")
    # 429: asked again after Retry-After (1 s), and only then.
    assert server.method_counts[("HEAD", "/busy")] == 2
    assert elapsed >= 1.0
    # 500 twice then 200: HEAD fails, GET is retried with backoff until it succeeds.
    assert server.counts["/flaky"] == 3
    # HEAD refused with 405: GET answers.
    assert server.method_counts[("HEAD", "/no-head")] == 1
    assert server.method_counts[("GET", "/no-head")] == 1
    # The fragment check reads the page once with GET, never HEAD.
    assert server.method_counts[("GET", "/page")] == 1
    assert ("HEAD", "/page") not in server.method_counts
    # A server that never answers is not asked a second time in the run.
    assert server.counts["/slow"] == 1
    assert results.requested == len({p.split("#")[0] for p in ALL_CASES})

    # Second run with the cache: only the URL that gave no answer is asked again.
    server.reset_counts()
    again, [findings_again] = run([doc], opts, cache_dir=tmp_path)
    assert findings_again == expected
    assert dict(server.counts) == {"/slow": 1}
    assert again.requested == 1


def test_second_run_with_the_cache_makes_no_request(server, tmp_path):
    doc = page(server, ["/ok", "/moved", "/missing", "/gone", "/page#present", "/loop-a", "/file.pdf"])
    opts = options(anchors=True)
    first, [findings] = run([doc], opts, cache_dir=tmp_path)
    assert server.total > 0
    assert (tmp_path / CACHE_FILE).is_file()
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    server.reset_counts()
    second, [findings_again] = run([doc], opts, cache_dir=tmp_path)
    assert server.total == 0
    assert second.requested == 0 and second.cached == first.requested
    assert findings_again == findings
    assert len(findings) == 3


def test_corrupt_cache_is_ignored_and_replaced(server, tmp_path):
    (tmp_path / CACHE_FILE).write_text("{not json", encoding="utf-8")
    doc = page(server, ["/ok"])
    _results, [findings] = run([doc], options(), cache_dir=tmp_path)
    assert findings == []
    data = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))
    assert server.url("/ok") in data["entries"]
    # Entries of the wrong shape are ignored too.
    data["entries"][server.url("/ok")] = {"status": "two hundred", "checked_at": time.time()}
    (tmp_path / CACHE_FILE).write_text(json.dumps(data), encoding="utf-8")
    server.reset_counts()
    run([doc], options(), cache_dir=tmp_path)
    assert server.counts["/ok"] == 1


def test_stale_cache_entries_are_asked_again(server, tmp_path):
    doc = page(server, ["/ok"])
    run([doc], options(cache_ttl=60), cache_dir=tmp_path)
    path = tmp_path / CACHE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entries"][server.url("/ok")]["checked_at"] -= 120
    path.write_text(json.dumps(data), encoding="utf-8")
    server.reset_counts()
    run([doc], options(cache_ttl=60), cache_dir=tmp_path)
    assert server.counts["/ok"] == 1


def test_cache_ttl_zero_writes_nothing(server, tmp_path):
    run([page(server, ["/ok"])], options(cache_ttl=0), cache_dir=tmp_path)
    assert not (tmp_path / CACHE_FILE).exists()


def test_cached_head_answer_does_not_serve_a_fragment_check(server, tmp_path):
    doc = page(server, ["/page#absent"])
    _r, [findings] = run([doc], options(anchors=False), cache_dir=tmp_path)
    assert findings == []
    assert dict(server.method_counts) == {("HEAD", "/page"): 1}
    _r, [findings] = run([doc], options(anchors=True), cache_dir=tmp_path)
    assert [m for _l, _c, m in findings] == [
        f"{server.url('/page#absent')}: no element with id 'absent' on {server.url('/page')} (linked from 1 place)"
    ]
    assert server.method_counts[("GET", "/page")] == 1


def test_anchor_forms_browsers_accept(server):
    fragments = ["#present", "#named", "#from-github", "#top", "#", "#%70resent", "#/route", "#:~:text=x"]
    doc = page(server, ["/page" + f for f in fragments] + ["/file.pdf#page=2"])
    _r, [findings] = run([doc], options(anchors=True))
    assert findings == []
    assert server.counts["/page"] == 1


def test_accept_and_exclude(server):
    doc = page(server, ["/missing", "/gone", "/ok"])
    _r, [findings] = run([doc], options(accept=(200, "400-404"), exclude=(r"/gone$",)))
    assert findings == []
    # An accepted HEAD answer is final (no GET), and an excluded URL is never asked.
    assert dict(server.method_counts) == {("HEAD", "/missing"): 1, ("HEAD", "/ok"): 1}


def test_redirect_bound(server):
    doc = page(server, ["/moved"])
    _r, [findings] = run([doc], options(max_redirects=0))
    assert [m for _l, _c, m in findings] == [
        f"{server.url('/moved')}: more than 0 redirects after redirecting to {server.url('/ok')} (linked from 1 place)"
    ]


def test_one_request_per_url_and_places_counted_across_the_run(server):
    first = page(server, ["/ok", "/gone", "/gone"])
    second = Document.from_text(f'<p><a href="{server.url("/gone")}">again</a> <img src="{server.url("/ok")}"></p>\n',
                                "other.md")
    results, findings = run([first, second], options())
    assert server.counts["/ok"] == 1
    assert dict(server.method_counts) == {("HEAD", "/ok"): 1, ("HEAD", "/gone"): 1, ("GET", "/gone"): 1}
    message = f"{server.url('/gone')} answers 410 Gone (linked from 3 places)"
    assert [m for _l, _c, m in findings[0]] == [message, message]
    assert findings[1] == [(1, 13, message)]
    assert results.places[server.url("/ok")] == 2


def test_per_host_concurrency_is_respected():
    with LinkServer(delay=0.02) as server:
        doc = page(server, [f"/bulk/{i}" for i in range(40)])
        _r, [findings] = run([doc], options(per_host_concurrency=3, max_concurrency=10))
        assert findings == []
        assert server.total == 40
        assert 2 <= server.peak[f"127.0.0.1:{server.port}"] <= 3


def test_invalid_url_is_a_diagnostic_not_a_crash():
    doc = Document.from_text("[bad](http://127.0.0.1:99999/x)\n", "bad.md")
    _r, [findings] = run([doc], options())
    assert len(findings) == 1
    line, column, message = findings[0]
    assert (line, column) == (1, 7)
    assert message.startswith("http://127.0.0.1:99999/x: not a valid URL")


def test_prepare_inside_a_running_event_loop(server):
    doc = page(server, ["/missing"])

    async def main() -> ExternalResults:
        return prepare([(doc, options())], progress=False, network=NETWORK)

    results = asyncio.run(main())
    assert results.get(server.url("/missing")).status == 404


def test_progress_bar_does_not_disturb_results(server, capsys):
    doc = page(server, ["/ok", "/missing"])
    results = prepare([(doc, options())], progress=True, network=NETWORK)
    assert results.requested == 2
    assert "Checking external links" in capsys.readouterr().err


def test_without_results_the_rule_reports_nothing():
    doc = Document.from_text("[x](https://example.invalid/)\n", "x.md")
    assert list(check(doc, RuleContext.alone(doc.path), ExternalLinkOptions())) == []
    assert list(check(doc, RuleContext.alone(doc.path), None)) == []


# -- no network below -------------------------------------------------------------------


def test_links_are_collected_with_their_spans():
    text = (
        "---\n"
        "file_url: https://front.matter/report.pdf\n"
        "---\n"
        "See [the site](https://a.example/x?a=1&b=2 \"t\") and ![logo](https://b.example/l.png).\n"
        "<https://c.example/auto>, [ref][r], `[code](https://code.example/)` and {{ site.url }}.\n"
        "\n"
        "[r]: https://d.example/ref#part\n"
        "\n"
        '<div><a href=" https://e.example/space " target="_blank">x</a><img src="https://f.example/i.png"></div>\n'
        "\n"
        "```\n"
        "[fenced](https://fenced.example/)\n"
        "```\n"
        '[rel](/local/) [mail](mailto:a@b.c) <a href="{{ site.baseurl }}/x">y</a> [l](https://g.example/{{ page.x }})\n'
        "[café](https://h.example/café)\n"
    )
    doc = Document.from_text(text, "c.md")
    got = [(l.url, l.key, l.fragment, l.span.line, l.span.column, l.span.end_column) for l in collect(doc)]
    assert got == [
        ("https://front.matter/report.pdf", "https://front.matter/report.pdf", "", 2, 11, 42),
        ("https://a.example/x?a=1&b=2", "https://a.example/x?a=1&b=2", "", 4, 16, 43),
        ("https://b.example/l.png", "https://b.example/l.png", "", 4, 61, 84),
        ("https://c.example/auto", "https://c.example/auto", "", 5, 2, 24),
        ("https://d.example/ref#part", "https://d.example/ref", "part", 7, 6, 32),
        ("https://e.example/space", "https://e.example/space", "", 9, 16, 39),
        ("https://f.example/i.png", "https://f.example/i.png", "", 9, 73, 96),
        ("https://h.example/caf%C3%A9", "https://h.example/caf%C3%A9", "", 15, 8, 30),
    ]


def test_status_set():
    accepted = StatusSet([200, "204", "300-308", "400..401"])
    assert 200 in accepted and 204 in accepted and 307 in accepted and 401 in accepted
    assert 201 not in accepted and 404 not in accepted and None not in accepted
    assert 299 in StatusSet()
    for bad in (["abc"], [99], ["300-200"], [True]):
        with pytest.raises(ValueError):
            StatusSet(bad)


def test_bad_options_are_configuration_errors():
    with pytest.raises(ConfigError, match="accept"):
        ExternalLinkOptions(accept=("two hundred",))
    with pytest.raises(ConfigError, match="not a valid regular expression"):
        ExternalLinkOptions(exclude=("(",))
    with pytest.raises(ConfigError, match="timeout must be greater than 0"):
        ExternalLinkOptions(timeout=0)


def test_results_field_is_not_a_config_option():
    rule = lookup("external-link")
    assert rule is not None and rule.code == "NL305" and not rule.default_enabled
    assert "results" not in rule.option_names()
    assert set(rule.option_names()) == {
        "anchors", "accept", "exclude", "timeout", "max-concurrency", "per-host-concurrency",
        "max-redirects", "retries", "max-retry-after", "cache-ttl", "allow-private", "deadline",
    }


def test_links_section_maps_to_rule_settings():
    assert rule_config_from_links({"external": True, "external-anchors": True, "timeout": 5, "cache-ttl": 60}) == {
        "enabled": True, "anchors": True, "timeout": 5, "cache-ttl": 60,
    }
    assert rule_config_from_links({}) == {}


def test_retry_after_values():
    assert retry_after_seconds("5") == 5.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_page_anchors_and_fragments():
    anchors = page_anchors('<h1 id="a">x</h1><a name="b"></a><p name="c"></p><div id="user-content-d"><unclosed')
    assert anchors == {"a", "b", "user-content-d"}
    assert fragment_found("a", anchors) and fragment_found("d", anchors) and fragment_found("top", anchors)
    assert not fragment_found("c", anchors)


def test_progress_only_on_a_terminal_outside_ci(monkeypatch):
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert wanted(stream=Tty())
    assert not wanted(quiet=True, stream=Tty())
    monkeypatch.setenv("CI", "true")
    assert not wanted(stream=Tty())
    monkeypatch.setenv("CI", "false")
    assert wanted(stream=Tty())
    assert not wanted(stream=Path(__file__).open())


def test_request_key_reads_extra_slashes_as_browsers_do():
    from naislint.external.links import request_key

    assert request_key("HTTPS:///www.example.gov.sg/x#y") == ("https://www.example.gov.sg/x", "y")
    assert request_key("http://a.example/b") == ("http://a.example/b", "")


# -- wired into the engine and the command line -----------------------------------------

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture
def no_proxy(monkeypatch):
    """The CLI reads proxies from the environment: drop them so requests stay on 127.0.0.1."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


def site(tmp_path: Path, server: LinkServer, config: str | None = None) -> Path:
    root = tmp_path / "site"
    (root / "pages").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Test site\n", encoding="utf-8")
    (root / "pages" / "a.md").write_text(
        f"---\ntitle: A\n---\n[gone]({server.url('/gone')}) and [ok]({server.url('/ok')})\n", encoding="utf-8"
    )
    (root / "pages" / "b.md").write_text(
        f'---\ntitle: B\n---\n<a href="{server.url("/gone")}">gone again</a> [anchor]({server.url("/page#absent")})\n',
        encoding="utf-8",
    )
    if config is not None:
        (root / ".naislint.yml").write_text(config, encoding="utf-8")
    return root


def cli(*args: str):
    from click.testing import CliRunner

    from naislint.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def external_findings(output: str) -> list[tuple[str, int, int, str]]:
    return sorted(
        (Path(d["path"]).name, d["line"], d["column"], d["message"])
        for d in json.loads(output) if d["rule"] == "external-link"
    )


def test_cli_external_flag_checks_the_whole_run_in_one_batch(server, tmp_path, no_proxy):
    root = site(tmp_path, server)
    quiet = cli("check", "--format", "json", str(root))
    assert external_findings(quiet.stdout) == [] and server.total == 0  # off by default
    result = cli("check", "--external", "--external-allow-private", "--quiet", "--format", "json", str(root))
    message = f"{server.url('/gone')} answers 410 Gone (linked from 2 places)"
    assert external_findings(result.stdout) == [("a.md", 4, 8, message), ("b.md", 4, 10, message)]
    assert result.exit_code == 1
    assert dict(server.method_counts) == {
        ("HEAD", "/gone"): 1, ("GET", "/gone"): 1, ("HEAD", "/ok"): 1, ("HEAD", "/page"): 1,
    }
    assert (root / ".naislint_cache" / CACHE_FILE).is_file()
    server.reset_counts()
    again = cli("check", "--external", "--external-allow-private", "--format", "json", str(root))
    assert external_findings(again.stdout) == external_findings(result.stdout)
    assert server.total == 0


def test_links_section_turns_the_rule_on_with_its_settings(server, tmp_path, no_proxy):
    root = site(tmp_path, server, "links:\n  external: true\n  external-anchors: true\n  exclude: ['/gone$']\n"
                                  "  cache-ttl: 0\n  external-allow-private: true\n")
    result = cli("check", "--format", "json", str(root))
    column = (root / "pages" / "b.md").read_text(encoding="utf-8").splitlines()[3].index("(http") + 2
    assert external_findings(result.stdout) == [
        ("b.md", 4, column,
         f"{server.url('/page#absent')}: no element with id 'absent' on {server.url('/page')} (linked from 1 place)"),
    ]
    assert "/gone" not in server.counts
    assert not (root / ".naislint_cache" / "external-links.json").exists()


def test_links_settings_are_validated_with_their_line(server, tmp_path):
    root = site(tmp_path, server, "links:\n  external: true\n  timeout: soon\n")
    result = cli("check", str(root))
    assert result.exit_code == 2
    assert ".naislint.yml:3" in result.output and "timeout" in result.output
    root2 = site(tmp_path / "2", server, "links:\n  exclude: ['(']\n")
    result = cli("check", str(root2))
    assert result.exit_code == 2 and "not a valid regular expression" in result.output
    assert server.total == 0


def test_rule_entry_applies_over_the_links_section():
    from naislint.config.loader import _rules_with_sections

    links = {"external": True, "timeout": 5}
    assert _rules_with_sections({"links": links}) == {"external-link": {"enabled": True, "timeout": 5}}
    assert _rules_with_sections({"links": links, "rules": {"external-link": "off"}}) == {
        "external-link": {"enabled": False, "timeout": 5}}
    assert _rules_with_sections({"links": {"timeout": 5}, "rules": {"external-link": {"severity": "error"}}}) == {
        "external-link": {"enabled": True, "timeout": 5, "severity": "error"}}
    assert _rules_with_sections({"links": {"timeout": 5}}) == {"external-link": {"enabled": False, "timeout": 5}}
    assert _rules_with_sections({"rules": {"x": True}}) == {"x": True}


def test_offline_fixtures_and_doc_examples_open_no_connection(monkeypatch):
    """The harness lints this rule's fixtures and doc examples without a network."""
    import socket

    from naislint.run.engine import lint_text

    def refuse(*args, **kwargs):
        raise AssertionError(f"a network connection was attempted: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    folder = Path(__file__).parent / "fixtures" / "external-link"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))]
    doc = (Path(__file__).parents[1] / "rules" / "external-link.md").read_text(encoding="utf-8")
    texts += [block.split("```")[0] for block in doc.split("```markdown\n")[1:]]
    fired = [len([d for d in lint_text(t, "x.md", extend_select=("external-link",)) if d.rule == "external-link"])
             for t in texts]
    assert sum(fired) == 6


def test_forked_workers_use_the_parent_batch(server, tmp_path, no_proxy):
    root = tmp_path / "big"
    (root / "pages").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Big\n", encoding="utf-8")
    for i in range(30):
        (root / "pages" / f"p{i}.md").write_text(
            f"---\ntitle: P{i}\n---\n[gone]({server.url('/gone')}) [ok]({server.url('/ok')})\n", encoding="utf-8"
        )
    result = cli("check", "--external", "--external-allow-private", "--jobs", "2", "--no-cache", "--format", "json",
                 str(root))
    found = external_findings(result.stdout)
    assert len(found) == 30
    assert {m for _p, _l, _c, m in found} == {f"{server.url('/gone')} answers 410 Gone (linked from 30 places)"}
    assert dict(server.method_counts) == {("HEAD", "/gone"): 1, ("GET", "/gone"): 1, ("HEAD", "/ok"): 1}
    assert not (root / ".naislint_cache").exists()
