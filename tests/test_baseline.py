"""``--write-baseline`` and ``--baseline``: only new diagnostics are reported.

Fingerprints are rule, path (relative to the baseline file) and the normalised text of the
line and its non-blank neighbours, with an occurrence counter; never the line number.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import demo_rules
from cli_in import run

SELECT = ("--select", demo_rules.SELECT, "--fail-on", "info")
FRONT = "---\ntitle: Page\n---\n"
BODY = "Intro.\n\nOne&nbsp;two.\n\nSame&nbsp;line&nbsp;twice.\n\nA TODO here.\n"


@pytest.fixture(autouse=True)
def _demo_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    demo_rules.register(monkeypatch)


def lint_json(cwd: Path, *args: str) -> tuple[int, list[dict]]:
    result = run(cwd, "check", *args, *SELECT, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "_config.yml").write_text("title: T\n")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "with-front-matter.md").write_text(FRONT + BODY)
    (tmp_path / "pages" / "no-front-matter.md").write_text(BODY)
    written = run(tmp_path, "check", ".", *SELECT, "--write-baseline", "naislint-baseline.json")
    assert written.exit_code == 0, written.output
    assert "wrote 8 diagnostics" in written.output
    return tmp_path


def test_baseline_hides_what_it_recorded(site: Path) -> None:
    code, data = lint_json(site, ".", "--baseline", "naislint-baseline.json")
    assert (code, data) == (0, [])


@pytest.mark.parametrize("name, at", [("no-front-matter.md", 0), ("with-front-matter.md", len(FRONT))])
def test_ten_lines_inserted_at_the_top_report_nothing_new(site: Path, name: str, at: int) -> None:
    page = site / "pages" / name
    text = page.read_text()
    page.write_text(text[:at] + "".join(f"Inserted line {i}.\n" for i in range(10)) + text[at:])
    code, data = lint_json(site, ".", "--baseline", "naislint-baseline.json")
    assert (code, data) == (0, [])


def test_a_new_defect_is_reported_alone(site: Path) -> None:
    page = site / "pages" / "with-front-matter.md"
    page.write_text(FRONT + "New&nbsp;defect.\n" + "\n".join(f"Inserted {i}." for i in range(10)) + "\n" + BODY)
    code, data = lint_json(site, ".", "--baseline", "naislint-baseline.json")
    assert code == 1
    assert [(d["path"], d["line"], d["column"], d["rule"]) for d in data] == [
        ("pages/with-front-matter.md", 4, 4, "demo-nbsp")
    ]


def test_a_copy_of_a_recorded_line_is_new(site: Path) -> None:
    """The occurrence counter: a second identical line (same neighbours) is one more."""
    page = site / "pages" / "no-front-matter.md"
    page.write_text(BODY + "\nA TODO here.\n")
    code, data = lint_json(site, ".", "--baseline", "naislint-baseline.json")
    assert [(d["line"], d["rule"]) for d in data] == [(9, "demo-todo")]


def test_editing_a_neighbour_keeps_the_old_diagnostic_hidden(site: Path) -> None:
    page = site / "pages" / "no-front-matter.md"
    page.write_text(BODY.replace("Intro.", "A new introduction."))
    code, data = lint_json(site, ".", "--baseline", "naislint-baseline.json")
    assert data == []


def test_baseline_paths_do_not_depend_on_the_working_folder(site: Path) -> None:
    code, data = lint_json(site / "pages", ".", "--baseline", "../naislint-baseline.json")
    assert (code, data) == (0, [])


def test_baseline_file_is_readable_and_has_no_line_keys_in_its_fingerprints(site: Path) -> None:
    data = json.loads((site / "naislint-baseline.json").read_text())
    assert data["naislint-baseline"] == 1
    entry = data["entries"][0]
    assert set(entry) == {"rule", "path", "fingerprint", "line_fingerprint", "occurrence", "line", "message"}
    assert entry["path"] == "pages/no-front-matter.md"


@pytest.mark.parametrize("content", ["not json", "[]", '{"naislint-baseline": 1, "entries": [{"rule": 1}]}'])
def test_a_bad_baseline_is_a_usage_error(site: Path, content: str) -> None:
    (site / "bad.json").write_text(content)
    result = run(site, "check", ".", *SELECT, "--baseline", "bad.json")
    assert result.exit_code == 2
    assert "bad.json" in result.output


def test_a_missing_baseline_is_a_usage_error(site: Path) -> None:
    result = run(site, "check", ".", *SELECT, "--baseline", "missing.json")
    assert result.exit_code == 2 and "cannot read the baseline" in result.output
