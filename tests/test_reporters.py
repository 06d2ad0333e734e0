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
    assert rules[0]["name"] == "demo-nbsp" and rules[0]["helpUri"].endswith("/demo-nbsp/")
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
    cases = {c.get("name"): c for c in suite}
    assert set(cases) == {"pages/a,b:c.md", "pages/clean.md", "pages/caf\u00e9 \u00fc.md", "pages/ctrl.md"}
    assert len(cases["pages/clean.md"]) == 0
    assert len(cases["pages/a,b:c.md"].findall("failure")) == 4
    assert suite.get("tests") == "4" and suite.get("failures") == "6"
    assert "\ufffd" in cases["pages/ctrl.md"][0].get("message")
