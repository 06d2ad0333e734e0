"""The editor reports: ``--format html`` and ``--format markdown``.

The HTML report must be valid HTML (html5lib, strict), hold every problem of the JSON
output exactly once with the same totals, link nowhere but the site itself and the
editor, and open in a real browser (headless Chromium over the DevTools protocol) with
no console error and no serious or critical axe-core violation. The small site below
pins what an editor reads: titles, addresses, worst page first, links grouped by target,
fixes in words.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import html5lib
import pytest

from cli_in import run
from naislint.cli import FORMAT_CHOICES
from naislint.reporters import FORMATS
from naislint.reporters._pages import edit_template_error, visible
from naislint.reporters.markdown import SUMMARY_END
from shared_data import CORPUS, CORPUS_JEKYLL, need, shared_required

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
SITE_URL = "https://www.example.gov.sg"
EDIT = "https://cms.example.org/edit/{path}"
UPDATE_SCREENSHOTS = os.environ.get("NAISLINT_UPDATE_SCREENSHOTS") == "1"

PAGES = {
    "_config.yml": f"title: Ministry of Examples\nurl: {SITE_URL}\n",
    # A plain Jekyll site (the jekyll preset) that keeps target-blank on: the report shows
    # one of its problems.
    ".naislint.yml": "rules:\n  target-blank: info\n",
    "pages/a.md": (
        "---\ntitle: Apply for a permit\npermalink: /apply/\n---\n"
        "Read [the guide](/guide/missing/) first.\n\n"
        'Send <a href="/fees/" target="_blank">the form</a>.\n'
    ),
    "pages/b.md": (
        '---\ntitle: Fees <script>alert(1)</script> & "charges"\npermalink: /fees/\n---\n'
        "See [the guide](/guide/missing/) and [again](../guide/missing/).\n\n"
        "And [odd](/odd|<i>pipe).\n"
    ),
    "pages/c.md": "---\npermalink: /about/\n---\n## \n\nSee [guide](/guide/missing/).\n",
    "pages/clean.md": "---\ntitle: Clean\n---\nNothing.\n",
}


def make_site(root: Path) -> Path:
    site = root / "site"
    for rel, text in PAGES.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


def parse_strict(text: str) -> Any:
    """The document as an ElementTree; html5lib raises on the first parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


def classes(element: Any) -> list[str]:
    return (element.get("class") or "").split()


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def problems_in(doc: Any) -> list[tuple[str, int, int, str]]:
    return [
        (li.get("data-path"), int(li.get("data-line")), int(li.get("data-column")), li.get("data-rule"))
        for li in doc.iter("li") if "problem" in classes(li)
    ]


def problems_of_json(items: list[dict]) -> list[tuple[str, int, int, str]]:
    return [(d["path"], d["line"], d["column"], d["rule"]) for d in items]


def outside_links(doc: Any, allowed: tuple[str, ...]) -> list[str]:
    """Every http(s) address in a ``src`` or ``href`` that does not start with an allowed prefix."""
    found = []
    for element in doc.iter():
        for attr in ("src", "href"):
            value = (element.get(attr) or "").strip()
            if re.match(r"(?i)^https?:", value) or value.startswith("//"):
                if not value.startswith(allowed):
                    found.append(value)
    return found


def assert_accessible_structure(doc: Any) -> None:
    """Headings start at h1 and never skip a level; every table has header cells."""
    levels = [int(e.tag[1]) for e in doc.iter() if isinstance(e.tag, str) and re.fullmatch(r"h[1-6]", e.tag)]
    assert levels and levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, levels
    for table in doc.iter("table"):
        assert table.find("caption") is not None
        assert table.find("thead/tr/th") is not None
        for row in table.iter("tr"):
            assert row.find("th") is not None  # each row is labelled


def counts_in(doc: Any) -> dict[str, int]:
    return {e.get("data-count"): int(text_of(e).replace(",", "")) for e in doc.iter() if e.get("data-count")}


def assert_counts_match(doc: Any, items: list[dict]) -> None:
    counts = counts_in(doc)
    for severity in ("error", "warning", "info"):
        assert counts[f"severity:{severity}"] == sum(1 for d in items if d["severity"] == severity)
    rules: dict[str, int] = {}
    families: dict[str, int] = {}
    for d in items:
        rules[d["rule"]] = rules.get(d["rule"], 0) + 1
        families[d["code"][2]] = families.get(d["code"][2], 0) + 1
    assert {k[5:]: v for k, v in counts.items() if k.startswith("rule:")} == rules
    assert {k[7:]: v for k, v in counts.items() if k.startswith("family:")} == families


# -- a small site, exactly ------------------------------------------------------------------------


def test_formats_are_registered_and_offered_by_the_cli() -> None:
    for name in ("html", "markdown"):
        assert name in FORMATS and name in FORMAT_CHOICES


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def lint(site: Path, fmt: str, *extra: str) -> str:
    result = run(site, "check", "--no-cache", "--format", fmt, *extra, ".")
    assert result.exit_code == 1, result.output
    return result.output


def test_html_report_of_a_small_site(site: Path) -> None:
    items = json.loads(lint(site, "json"))
    out = site / "report.html"
    lint(site, "html", "-o", str(out), "--report-edit-url", EDIT)
    text = out.read_text(encoding="utf-8")
    doc = parse_strict(text)

    assert text_of(doc.find(".//h1")) == "Content check: Ministry of Examples"
    assert problems_in(doc) == [  # worst page first: b (3 errors), c (error, warning), a (error, info)
        ("pages/b.md", 5, 17, "broken-link"), ("pages/b.md", 5, 46, "broken-link"), ("pages/b.md", 7, 11, "broken-link"),
        ("pages/c.md", 4, 1, "empty-heading"), ("pages/c.md", 6, 13, "broken-link"),
        ("pages/a.md", 5, 18, "broken-link"), ("pages/a.md", 7, 23, "target-blank"),
    ]
    assert sorted(problems_in(doc)) == sorted(problems_of_json(items))
    assert_counts_match(doc, items)
    assert_accessible_structure(doc)

    sections = [s for s in doc.iter("section") if "page" in classes(s)]
    titles = [text_of(s.find("h3")) for s in sections]
    # The title is the front matter's, as text (its markup is not markup here); no title: the file name.
    assert titles == ['Fees <script>alert(1)</script> & "charges"', "c.md", "Apply for a permit"]
    assert "<script>alert" not in text
    links = {text_of(a): a.get("href") for a in sections[2].iter("a") if not a.get("href", "").startswith("#")}
    assert links == {
        "View the page on the site": f"{SITE_URL}/apply/",
        "Edit the page": "https://cms.example.org/edit/pages/a.md",
    }
    assert outside_links(doc, (SITE_URL + "/", SITE_URL, "https://cms.example.org/edit/")) == []

    # The excerpt marks exactly the text the problem covers; the fix is told in words.
    target_blank = [li for li in doc.iter("li") if li.get("data-rule") == "target-blank"][0]
    assert text_of(target_blank.find(".//mark")) == "target"
    assert text_of(target_blank.find(".//code")) == 'Send <a href="/fees/" target="_blank">the form</a>.'
    fix = [p for p in target_blank.iter("p") if "fix" in classes(p)][0]
    assert text_of(fix) == 'How to fix: Insert “ rel="noopener noreferrer"” on line 7, column 38.'

    # Broken links by address: the relative link counts where it resolves.
    rows = doc.findall(".//table")[-1].findall("tbody/tr")
    assert [(text_of(r.find("th")), text_of(r.find("td/details/summary"))) for r in rows] == [
        ("/guide/missing/", "This URL is linked from 3 pages (4 links)"),
        ("/odd|<i>pipe", "This URL is linked from 1 page"),
    ]
    # Every link inside the report goes to something in it.
    ids = {e.get("id") for e in doc.iter() if e.get("id")}
    for a in doc.iter("a"):
        if a.get("href", "").startswith("#"):
            assert a.get("href")[1:] in ids


def test_html_report_filters_exist_for_each_severity_and_family(site: Path) -> None:
    doc = parse_strict(lint(site, "html"))
    boxes = [(i.get("name"), i.get("value")) for i in doc.iter("input")]
    assert boxes == [("severity", "error"), ("severity", "warning"), ("severity", "info"),
                     ("family", "3"), ("family", "4"), ("family", "5")]
    labels = [text_of(label) for label in doc.iter("label")]
    assert labels == ["Error (5)", "Warning (1)", "Info (1)", "Links (5)", "HTML (1)", "Text (1)"]
    style = doc.find(".//style").text
    # Without the script, CSS alone hides what a filter takes away.
    assert 'body:has(#show-severity-info:not(:checked)) li.problem[data-severity="info"]{display:none}' in style


def test_markdown_report_has_a_job_summary_first(site: Path) -> None:
    text = lint(site, "markdown", "--report-edit-url", EDIT)
    summary, rest = text.split(SUMMARY_END + "\n")
    lines = summary.splitlines()
    assert lines[0] == "## Content check: Ministry of Examples"
    assert "| NL301 broken-link | Links | Error | 5 |" in lines
    assert "| Error | 5 |" in lines and "| Warning | 1 |" in lines and "| Info | 1 |" in lines
    # A pipe or a tag from a page can neither split a table cell nor become HTML.
    assert "| `pages/b.md` | 7 | NL301 broken-link | link '/odd\\|&lt;i&gt;pipe' goes to no page or file of this site |" in lines
    assert "#### Fees &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"charges\"" in rest.splitlines()
    assert "- `/guide/missing/`: linked from 3 pages: `pages/b.md`, `pages/c.md`, `pages/a.md`" in rest.splitlines()
    assert ("File `pages/a.md`, address `/apply/`, [view on the site](<https://www.example.gov.sg/apply/>), "
            "[edit](<https://cms.example.org/edit/pages/a.md>). 1 error, 1 info.") in rest.splitlines()
    assert '  - How to fix: Insert “ rel="noopener noreferrer"” on line 7, column 38.' in rest.splitlines()


def test_baseline_report_says_what_is_new(site: Path) -> None:
    result = run(site, "check", "--no-cache", "--write-baseline", "baseline.json", ".")
    assert result.exit_code == 0, result.output
    with open(site / "pages" / "clean.md", "a", encoding="utf-8") as handle:
        handle.write("\n[new](/nowhere/)\n")
    doc = parse_strict(lint(site, "html", "--baseline", "baseline.json"))
    assert problems_in(doc) == [("pages/clean.md", 6, 7, "broken-link")]
    assert text_of(doc.find(".//*[@id='baseline']")) == (
        "New since the baseline baseline.json: 1 problem is new and shown here; "
        "7 problems the baseline already records are not shown."
    )
    assert counts_in(doc)["new"] == 1


def test_a_bad_edit_template_is_a_usage_error(site: Path) -> None:
    for template in ("https://cms.example.org/edit", "javascript:alert('{path}')", "https://x.org/{path} x"):
        result = run(site, "check", "--format", "html", "--report-edit-url", template, ".")
        assert result.exit_code == 2
        assert "--report-edit-url" in result.output and "Traceback" not in result.output
    assert edit_template_error("https://github.com/o/r/edit/main/{path}") is None


def test_a_site_url_that_is_no_web_address_gives_no_live_links(site: Path) -> None:
    (site / "_config.yml").write_text('title: "<b>Bold</b> site"\nurl: "javascript:alert(1)"\n', encoding="utf-8")
    doc = parse_strict(lint(site, "html"))
    assert text_of(doc.find(".//h1")) == "Content check: <b>Bold</b> site"
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert hrefs and all(h.startswith("#") for h in hrefs), hrefs


def test_visible_spells_out_what_no_report_can_show() -> None:
    assert visible("a\tb\nc\x1bd\x00e\udcff\ufdd0\uffffé 中") == "a\tb\u21b5c\\x1bd\\x00e\\udcff\\ufdd0\\uffffé 中"


def test_html_report_of_hostile_file_names_is_valid(tmp_path: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    for name in (b"bad\xff.md", b"esc\x1b[31m.md", b"new\nline.md", b"<b>&amp;.md"):
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(b"# A\n\n### B \x1b \xc2\x85\n")
    args = ("check", "--no-cache", "--select", "heading-increment", ".")
    items = json.loads(run(folder, *args, "--format", "json").output)
    doc = parse_strict(run(folder, *args, "--format", "html").output)
    assert sorted(problems_in(doc)) == sorted(problems_of_json(items))
    assert len(items) == 4
    codes = [text_of(li.find(".//code")) for li in doc.iter("li") if "problem" in classes(li)]
    assert codes == ["### B \\x1b \\x85"] * 4


# -- the real sites ---------------------------------------------------------------------------------


def naislint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "naislint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, check=False)


class Reports:
    """A copy of a real site with its JSON, HTML and markdown reports."""

    def __init__(self, source: Path, base: Path, site_url: str) -> None:
        self.site = base / source.name
        shutil.copytree(source, self.site, symlinks=True)
        self.site_url = site_url
        json_run = naislint("check", "--format", "json", "--fail-on", "never", "-o", "report.json", ".", cwd=self.site)
        assert json_run.returncode == 0, json_run.stderr
        self.items = json.loads((self.site / "report.json").read_text(encoding="utf-8"))
        for fmt, name in (("html", "report.html"), ("markdown", "report.md")):
            done = naislint("check", "--format", fmt, "--fail-on", "never", "--report-edit-url", EDIT, "-o", name, ".",
                            cwd=self.site)
            assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        self.html = self.site / "report.html"
        self.markdown = self.site / "report.md"


@pytest.fixture(scope="module")
def mse(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return Reports(need(CORPUS / "isomerpages__mse"), tmp_path_factory.mktemp("mse"), "https://www.mse.gov.sg")


@pytest.fixture(scope="module")
def jekyll_docs(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return Reports(need(CORPUS_JEKYLL / "jekyll__jekyll-docs"), tmp_path_factory.mktemp("jekyll"), "https://jekyllrb.com")


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("which", ["mse", "jekyll_docs"])
def test_real_site_report(which: str, request: pytest.FixtureRequest) -> None:
    reports: Reports = request.getfixturevalue(which)
    text = reports.html.read_text(encoding="utf-8")
    doc = parse_strict(text)
    found = problems_in(doc)
    assert len(found) == len(reports.items) > 0
    assert sorted(found) == sorted(problems_of_json(reports.items))  # each once, none more
    assert_counts_match(doc, reports.items)
    assert_accessible_structure(doc)
    assert outside_links(doc, (reports.site_url, "https://cms.example.org/edit/")) == []
    assert [s.get("src") for s in doc.iter("script") if s.get("src")] == []
    assert [link for link in doc.iter("link")] == []
    # Pages that have problems are shown with their title and their live address.
    sections = [s for s in doc.iter("section") if "page" in classes(s)]
    assert len(sections) == len({d["path"] for d in reports.items})
    live = [a for s in sections for a in s.iter("a") if text_of(a) == "View the page on the site"]
    assert len(live) > len(sections) // 2
    markdown = reports.markdown.read_text(encoding="utf-8")
    assert SUMMARY_END in markdown
    assert markdown.count("\n- **") == len(reports.items)
    if which == "mse":
        assert len(text.encode("utf-8")) < 5 * 1024 * 1024
        assert len(markdown.split(SUMMARY_END)[0].encode("utf-8")) < 64 * 1024


# -- a real browser ---------------------------------------------------------------------------------


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is not installed (Debian: apt-get install chromium)"
        if shared_required():
            pytest.fail(message)
        pytest.skip(message)
    return found


class Browser:
    """Headless Chromium driven over the DevTools protocol (one page, flat sessions)."""

    def __init__(self, profile: Path) -> None:
        import websocket

        args = [chromium(), "--headless", "--disable-gpu", "--remote-debugging-port=0", f"--user-data-dir={profile}",
                "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        address: list[str] = []

        def read() -> None:
            assert self.process.stderr is not None
            for line in self.process.stderr:
                m = re.search(r"DevTools listening on (ws://\S+)", line)
                if m:
                    address.append(m.group(1))
                    break
            for _line in self.process.stderr:  # keep the pipe drained
                pass

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + 60
        while not address and time.monotonic() < deadline and self.process.poll() is None:
            time.sleep(0.05)
        if not address:
            self.close()
            pytest.fail("chromium did not start its DevTools endpoint")
        assert address[0].startswith("ws://127.0.0.1:")
        self.ws = websocket.create_connection(address[0], timeout=120, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, session: bool = False, **params: Any) -> dict:
        self.next_id += 1
        message: dict = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e["method"] == event for e in self.events):
                return
            reply = json.loads(self.ws.recv())
            if "method" in reply:
                self.events.append(reply)
        raise AssertionError(f"no {event} within {timeout} s")

    def evaluate(self, expression: str, wait: bool = False) -> Any:
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                           awaitPromise=wait)
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    def open(self, url: str, width: int, height: int, mobile: bool) -> None:
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=mobile)
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def screenshot(self, path: Path) -> None:
        import base64

        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def console_errors(self) -> list[str]:
        errors = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append(json.dumps(p.get("args")))
            elif e["method"] == "Runtime.exceptionThrown":
                errors.append(json.dumps(p.get("exceptionDetails")))
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                errors.append(p["entry"].get("text", ""))
        return errors

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                self.ws.close()
        finally:
            self.process.kill()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's script. Tests reach no address but 127.0.0.1, so the script comes from
    an npm install made beforehand: ``.ci/run`` installs it and names it in
    ``NAISLINT_AXE_CORE`` (locally: ``npm install --prefix /tmp/axe axe-core@4`` and
    ``NAISLINT_AXE_CORE=/tmp/axe/node_modules/axe-core/axe.min.js``)."""
    script = os.environ.get("NAISLINT_AXE_CORE", "")
    if not script or not Path(script).is_file():
        message = f"axe-core is not installed (NAISLINT_AXE_CORE={script!r}; see .ci/run)"
        if shared_required():
            pytest.fail(message)
        pytest.skip(message)
    return Path(script).read_text(encoding="utf-8")


AXE_RUN = """
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  return r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(function (n) { return n.html; })};
  });
})
"""


@pytest.mark.slow
@pytest.mark.corpus
def test_report_in_a_real_browser(mse: Reports, axe: str, tmp_path: Path) -> None:
    browser = Browser(tmp_path / "profile")
    try:
        url = mse.html.as_uri()
        shots = {}
        for name, width, height, mobile in (("desktop", 1280, 900, False), ("phone", 390, 844, True)):
            browser.open(url, width, height, mobile)
            assert browser.console_errors() == []
            assert browser.evaluate("document.querySelectorAll('li.problem').length") == len(mse.items)
            # Nothing is wider than the screen (long source lines wrap).
            assert browser.evaluate("document.documentElement.scrollWidth") <= width
            if mobile:
                browser.evaluate("var d = document.querySelector('section.page details'); d.open = true; "
                                 "d.parentElement.scrollIntoView(); true")
            shots[name] = tmp_path / f"report-{name}.png"
            browser.screenshot(shots[name])
            assert shots[name].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        # The severity filter (checkbox, so keyboard-usable) hides the infos and the pages left empty.
        infos = sum(1 for d in mse.items if d["severity"] == "info")
        browser.evaluate("document.getElementById('show-severity-info').click(); true")
        visible_infos = browser.evaluate(
            "Array.from(document.querySelectorAll('li.problem[data-severity=info]'))"
            ".filter(function (e) { return e.offsetParent !== null || e.getClientRects().length; }).length")
        assert visible_infos == 0
        status = browser.evaluate("document.getElementById('filter-status').textContent")
        assert status == f"{len(mse.items) - infos} of {len(mse.items)} problems shown."
        assert browser.console_errors() == []

        # axe-core, with the first pages' problems open so that their content is checked too.
        browser.open(url, 1280, 900, False)
        browser.evaluate("document.querySelectorAll('section.page details').forEach(function (d, i) {"
                         " if (i < 25) { d.open = true; } }); true")
        browser.evaluate(axe + "\ntrue")
        violations = browser.evaluate(AXE_RUN, wait=True)
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], json.dumps(serious, indent=1)
    finally:
        browser.close()
    if UPDATE_SCREENSHOTS:
        for name, path in shots.items():
            shutil.copyfile(path, DOCS / f"report-{name}.png")
