"""SARIF, GitHub and JUnit output: golden files, escaping, and SARIF against its schema.

The goldens come from a small site linted with two demo rules (``demo_rules.py``), so they
change only when a reporter does. Absolute paths and the version are normalised. Set
``NAISLINT_UPDATE_GOLDEN=1`` to rewrite them after an intended change (and read the diff).
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import demo_rules
from cli_in import run
from naislint import __version__
from naislint.reporters import FORMATS
from naislint.reporters.github import escape_data, escape_property

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "reporters"
from shared_data import SHARED, need  # noqa: E402

SARIF_SCHEMA = SHARED / "schemas-ext" / "sarif-schema-2.1.0.json"
UPDATE = os.environ.get("NAISLINT_UPDATE_GOLDEN") == "1"
GOLDEN_NAMES = {"sarif": "report.sarif", "github": "report.github.txt", "junit": "report.junit.xml"}


def make_site(root: Path) -> Path:
    site = root / "site"
    (site / "pages").mkdir(parents=True)
    (site / "_config.yml").write_text("title: Golden\n")
    (site / "pages" / "a,b:c.md").write_text(
        "---\ntitle: Commas, colons\n---\nHello&nbsp;world. TODO, fix: 50%\n\nTwo&nbsp;and&nbsp;more.\n"
    )
    (site / "pages" / "clean.md").write_text("---\ntitle: Clean\n---\nNothing to see.\n")
    (site / "pages" / "caf\u00e9 \u00fc.md").write_text("Caf\u00e9 \U0001f600&nbsp;au lait.\n")
    return site


def normalise(text: str, site: Path) -> str:
    for absolute in (site.as_uri(), str(site)):
        text = text.replace(absolute, "<ROOT>")
    return text.replace(f'"{__version__}"', '"<VERSION>"')


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    demo_rules.register(monkeypatch)
    return make_site(tmp_path)


def sarif_validator():
    need(SARIF_SCHEMA)
    from jsonschema import Draft4Validator

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return Draft4Validator(schema)


def assert_valid_sarif(log: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_formats_are_registered_and_offered_by_the_cli() -> None:
    from naislint.cli import FORMAT_CHOICES

    for name in ("sarif", "github", "junit"):
        assert name in FORMATS and name in FORMAT_CHOICES


@pytest.mark.parametrize("fmt", sorted(GOLDEN_NAMES))
def test_golden(site: Path, fmt: str) -> None:
    result = run(site, "check", ".", "--select", demo_rules.SELECT, "--format", fmt)
    assert result.exit_code == 1, result.output
    got = normalise(result.output, site)
    golden = GOLDEN / GOLDEN_NAMES[fmt]
    if UPDATE:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_sarif_content_and_schema(site: Path) -> None:
    result = run(site, "check", ".", "--select", demo_rules.SELECT, "--format", "sarif")
    log = json.loads(result.output)
    assert_valid_sarif(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["NL990", "NL991"]
    assert rules[0]["name"] == "demo-nbsp"
    assert "helpUri" not in rules[0]  # the docs are files in the repository, not a site
    by_uri = {}
    for r in run_["results"]:
        loc = r["locations"][0]["physicalLocation"]
        by_uri.setdefault(loc["artifactLocation"]["uri"], []).append((r, loc["region"]))
    # Non-ASCII file names are percent-encoded; columns count code points (the emoji is one).
    (cafe,) = by_uri["pages/caf%C3%A9%20%C3%BC.md"]
    assert cafe[1] == {"startLine": 1, "startColumn": 7, "endLine": 1, "endColumn": 13}
    assert run_["columnKind"] == "unicodeCodePoints"
    # A fix becomes a SARIF fix with the replaced region and the inserted text.
    fix = cafe[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert fix == {"deletedRegion": cafe[1], "insertedContent": {"text": " "}}
    # Identical findings get distinct fingerprints.
    prints = [r["partialFingerprints"]["naislint/v1"] for r in run_["results"]]
    assert len(set(prints)) == len(prints)


def test_sarif_for_the_example_site_validates() -> None:
    validator = sarif_validator()
    result = run(REPO, "check", "examples/site", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.output)
    assert log["runs"][0]["results"], "the example site has defects on purpose"
    errors = list(validator.iter_errors(log))
    assert not errors, errors[0].message
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["help"]["markdown"].startswith(f"# {rule['name']} ({rule['id']})")
        assert rule["fullDescription"]["text"]


def test_sarif_clean_run_validates(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text("---\ntitle: Fine\n---\nText.\n")
    result = run(tmp_path, "check", "ok.md", "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.output)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []
    assert_valid_sarif(log)


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_multiline_span_has_no_columns() -> None:
    from naislint.diagnostics import Diagnostic, Severity, Span
    from naislint.reporters.github import annotation

    d = Diagnostic("p.md", Span(2, 3, 5, 1), "NL101", "front-matter-syntax", Severity.ERROR, "bad\nyaml")
    assert annotation(d) == "::error file=p.md,line=2,endLine=5,title=NL101 front-matter-syntax::NL101 bad%0Ayaml"


def test_junit_structure_and_hostile_text(site: Path) -> None:
    (site / "pages" / "ctrl.md").write_text("TODO \x01\x0b bell\n")
    result = run(site, "check", ".", "--select", demo_rules.SELECT, "--format", "junit")
    root = ET.fromstring(result.output.encode("utf-8"))
    (suite,) = root
    cases = [(c.get("classname"), c.get("name"), len(c.findall("failure"))) for c in suite]
    # One case per problem (CI viewers show only a case's first failure), one per clean file.
    assert ("pages/clean.md", "naislint", 0) in cases
    mine = [(name, n) for classname, name, n in cases if classname == "pages/a,b:c.md"]
    assert mine == [("NL990 demo-nbsp 4:6", 1), ("NL991 demo-todo 4:19", 1),
                    ("NL990 demo-nbsp 6:4", 1), ("NL990 demo-nbsp 6:13", 1)]
    # The site's _config.yml is linted too (a data file), and clean.
    assert ("_config.yml", "naislint", 0) in cases
    assert {c for c, _, _ in cases} == {"pages/a,b:c.md", "pages/clean.md", "pages/caf\u00e9 \u00fc.md",
                                        "pages/ctrl.md", "_config.yml"}
    assert all(n == 1 for classname, _, n in cases if classname not in ("pages/clean.md", "_config.yml"))
    # The counts add up: every case is a test, every failed case one failure.
    assert suite.get("tests") == str(len(cases)) == "8" and suite.get("failures") == "6"
    assert root.get("tests") == "8" and root.get("failures") == "6"
    ctrl = next(c for c in suite if c.get("classname") == "pages/ctrl.md")
    assert "\ufffd" in ctrl[0].get("message")


# -- file names that are not printable ----------------------------------------------------

#: A byte that is not UTF-8, an ESC starting a colour sequence, a newline, and an ordinary
#: non-ASCII name, as the bytes a POSIX file name is.
HOSTILE_NAMES = [b"bad\xff.md", b"esc\x1b[31m.md", b"new\nline.md", "ok \u00e9.md".encode()]
#: How every format prints them (the ordinary one unchanged).
SHOWN = ["bad\\xff.md", "esc\\x1b[31m.md", "new\\nline.md", "ok \u00e9.md"]
HEADING = "heading level 3 after level 1: it skips level 2"


def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "names"
    folder.mkdir()
    for name in HOSTILE_NAMES:
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(b"# A\n\n### B\n")
    return folder


@pytest.fixture(params=["surrogateescape", "strict"])
def hostile_run(request, tmp_path: Path):
    """``naislint check --select heading-increment --format F .`` in a folder of hostile
    names, as a real process: its stdout is checked as bytes. Python writes stdout with
    ``surrogateescape`` under a C/UTF-8 locale and ``strict`` under most others; both."""
    import subprocess
    import sys

    folder = hostile_folder(tmp_path)
    env = {**os.environ, "LC_ALL": "C.UTF-8", "NO_COLOR": "1"}
    if request.param == "strict":
        env["PYTHONIOENCODING"] = "utf-8:strict"

    def run_format(fmt: str, *extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "naislint", "check", "--no-cache", "--select", "heading-increment",
             "--format", fmt, *extra, "."],
            cwd=folder, env=env, capture_output=True, timeout=60, check=False,
        )
        assert done.returncode == 1, done.stderr.decode(errors="replace")
        assert b"Traceback" not in done.stderr
        assert b"\x1b" not in done.stdout
        return done.stdout.decode("utf-8")  # strict: the output is valid UTF-8

    run_format.folder = folder  # type: ignore[attr-defined]
    return run_format


def test_text_prints_names_escaped_one_line_each(hostile_run) -> None:
    out = hostile_run("text", "--quiet")
    assert out.splitlines() == [f"{shown}:3:1: NL504 heading-increment {HEADING}" for shown in SHOWN]
    full = hostile_run("text").splitlines()
    # The excerpt is still found from the real name.
    assert full[:3] == [f"{SHOWN[0]}:3:1: NL504 heading-increment {HEADING}", "    3 | ### B", "      | ^^^^^"]
    assert full.count("    3 | ### B") == 4


def test_json_prints_names_escaped_and_is_valid_utf8(hostile_run) -> None:
    items = json.loads(hostile_run("json"))
    assert [(d["path"], d["line"], d["column"], d["rule"]) for d in items] == [
        (shown, 3, 1, "heading-increment") for shown in SHOWN
    ]


def test_sarif_percent_encodes_the_name_bytes_and_validates(hostile_run) -> None:
    from urllib.parse import unquote_to_bytes

    log = json.loads(hostile_run("sarif"))
    assert_valid_sarif(log)
    locations = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]]
    uris = [loc["artifactLocation"]["uri"] for loc in locations]
    assert uris == ["bad%FF.md", "esc%1B%5B31m.md", "new%0Aline.md", "ok%20%C3%A9.md"]
    # Each URI names the very file, byte for byte.
    assert [unquote_to_bytes(u) for u in uris] == HOSTILE_NAMES
    assert all(loc["region"] == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 6} for loc in locations)


def test_github_commands_escape_names(hostile_run) -> None:
    out = hostile_run("github")
    assert out.splitlines() == [
        f"::warning file={shown},line=3,col=1,endLine=3,endColumn=6,title=NL504 heading-increment::NL504 {HEADING}"
        for shown in SHOWN
    ]


def test_junit_names_escaped(hostile_run) -> None:
    root = ET.fromstring(hostile_run("junit").encode("utf-8"))
    cases = root[0].findall("testcase")
    assert [(c.get("classname"), c.get("file")) for c in cases] == [(shown, shown) for shown in SHOWN]
    assert {c.get("name") for c in cases} == {"NL504 heading-increment 3:1"}
    assert [c.find("failure").text.splitlines()[0] for c in cases] == [
        f"{shown}:3:1: warning: NL504 heading-increment {HEADING}" for shown in SHOWN
    ]


def test_path_text_and_github_escapes() -> None:
    from naislint.reporters._escape import path_text, plain_text

    assert path_text("pages/caf\u00e9 \u4e2d.md") == "pages/caf\u00e9 \u4e2d.md"
    assert path_text("a\tb\rc\x00d\x7fe\x85f") == "a\\tb\\rc\\x00d\\x7fe\\x85f"
    assert path_text("evil\u202egnp.md") == "evil\\u202egnp.md"  # a right-to-left override
    assert path_text("\ud800\U000e0001") == "\\ud800\\U000e0001"
    assert path_text(os.fsdecode(b"x\x80\xff")) == "x\\x80\\xff"
    assert plain_text("tab\there \udcff") == "tab\there \\xff"
    assert escape_data("a\x1b[2Jb\r\n") == "a\\x1b[2Jb%0D%0A"
    assert escape_property("p\x1b,q:\n") == "p\\x1b%2Cq%3A%0A"
