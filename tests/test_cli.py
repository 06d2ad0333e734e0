"""The command line end to end: output contract, exit codes, config errors, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from naislint.cli import main
from naislint.registry import all_rules

REPO = Path(__file__).resolve().parents[1]
from shared_data import SEED, mark_needs  # noqa: E402
CONTRACT_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message", "fix", "url"}


def run(*args: str, input: bytes | None = None, cwd: Path | None = None):
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


def jekyll_folder(tmp_path: Path) -> None:
    """Make ``tmp_path`` hold pages written for Jekyll (the front matter rules apply): a
    folder with no ``_config.yml`` is otherwise read on GitHub (the ``github`` preset)."""
    page(tmp_path, ".naislint.yml", "preset: jekyll\n")


def page(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@mark_needs(SEED)
def test_seed_json_contract() -> None:
    result = run("check", str(SEED), "--format", "json")
    data = json.loads(result.output)
    assert isinstance(data, list) and data
    for item in data:
        assert set(item) == CONTRACT_KEYS
        assert item["severity"] in ("error", "warning", "info")
        assert item["url"] == f"rules/{item['rule']}.md"  # the rule's doc in the repository
    assert {"rule": "front-matter-empty", "line": 5, "column": 1} in [
        {k: d[k] for k in ("rule", "line", "column")} for d in data
    ]
    assert result.exit_code == 1


def test_example_site_exits_1_with_readable_text() -> None:
    result = run("check", "examples/site", "--no-color", cwd=REPO)
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("examples/site/pages/green-plan.md:")
    assert "Found " in result.output


def test_clean_page_exits_0(tmp_path: Path) -> None:
    path = page(tmp_path, "ok.md", "---\ntitle: Fine\npermalink: /fine/\ndescription: A fine page.\n---\n## Heading\n\nText.\n")
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output


@pytest.mark.parametrize(
    "content, rule",
    [
        (b"---\ntitle: [unclosed\n---\nText\n", "front-matter-syntax"),
        (b"---\ntitle: a\ntitle: b\n---\nText\n", "front-matter-duplicate-key"),
        (b"---\ntitle: caf\xe9\n---\n", "unreadable-file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unreadable-file"),
        (b"", "front-matter-missing"),
        (b"---\n---\n", None),
        (b"---\n", "front-matter-syntax"),
        (b"---\ntitle: only front matter\n---", None),
        (b"\r\n---\r\ntitle: x\r\n---\r\n", "front-matter-missing"),
    ],
)
def test_bad_input_gives_diagnostic_not_traceback(tmp_path: Path, content: bytes, rule: str | None) -> None:
    jekyll_folder(tmp_path)
    path = page(tmp_path, "bad.md", content)
    result = run("check", str(path), "--format", "json")
    assert result.exit_code in (0, 1)
    rules = {d["rule"] for d in json.loads(result.output)}
    assert rules == ({rule} if rule else set())


def test_one_bad_file_does_not_stop_the_run(tmp_path: Path) -> None:
    jekyll_folder(tmp_path)
    page(tmp_path, "a.md", b"\xff\xfe\x00binary")
    page(tmp_path, "b.md", "---\ntitle: b\ndescription: ''\n---\n")
    os.symlink(tmp_path / "missing.md", tmp_path / "c.md")
    result = run("check", str(tmp_path), "--format", "json")
    found = sorted((Path(d["path"]).name, d["rule"]) for d in json.loads(result.output))
    assert found == [("a.md", "unreadable-file"), ("b.md", "front-matter-empty"), ("c.md", "unreadable-file")]


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    page(tmp_path, "a.md", "---\ntitle: a\n---\n")
    result = run("check", str(tmp_path), "--format", "json")
    assert json.loads(result.output) == []


def test_discovery_skips_what_jekyll_skips(tmp_path: Path) -> None:
    page(tmp_path, "_config.yml", "exclude:\n  - drafts/\n")
    bad = "---\ntitle: x\ndescription: ''\n---\nText.\n"
    for name in ("_site/a.md", "node_modules/p/a.md", ".git/a.md", "vendor/bundle/a.md", "drafts/a.md", "notes.txt"):
        page(tmp_path, name, bad)
    page(tmp_path, "pages/keep.md", bad)
    page(tmp_path, "pages/also.markdown", bad.replace("title: x", "title: y"))  # one title per folder
    page(tmp_path, "vendor/a.md", bad)  # Jekyll excludes only vendor/bundle, cache, gems, ruby
    result = run("check", str(tmp_path), "--format", "json")
    paths = sorted(Path(d["path"]).relative_to(tmp_path).as_posix() for d in json.loads(result.output))
    assert paths == ["pages/also.markdown", "pages/keep.md", "vendor/a.md"]


def test_config_exclude_and_rule_settings(tmp_path: Path) -> None:
    page(tmp_path, "_config.yml", "title: t\n")
    page(tmp_path, ".naislint.yml", "exclude: ['old/**']\nrules:\n  front-matter-empty: info\n")
    page(tmp_path, "old/a.md", "---\ndescription: ''\n---\nText.\n")
    page(tmp_path, "new/b.md", "---\ndescription: ''\n---\nText.\n")
    result = run("check", str(tmp_path), "--format", "json")
    data = json.loads(result.output)
    assert [(Path(d["path"]).name, d["severity"]) for d in data] == [("b.md", "info")]
    assert result.exit_code == 0  # info is below the default --fail-on warning
    assert run("check", str(tmp_path), "--fail-on", "info").exit_code == 1


def test_overrides_apply_per_glob(tmp_path: Path) -> None:
    page(tmp_path, "_config.yml", "title: t\n")
    page(tmp_path, ".naislint.yml", "overrides:\n  - files: 'news/**'\n    rules:\n      front-matter-empty: off\n")
    page(tmp_path, "news/a.md", "---\ndescription: ''\n---\nText.\n")
    page(tmp_path, "pages/b.md", "---\ndescription: ''\n---\nText.\n")
    data = json.loads(run("check", str(tmp_path), "--format", "json").output)
    assert [Path(d["path"]).name for d in data] == ["b.md"]


@pytest.mark.parametrize(
    "config, words",
    [
        ("preset: isomer\nrulez: {}\n", ["unknown key 'rulez'", ":2:"]),
        ("rules:\n  front-matter-emty: off\n", ["unknown rule 'front-matter-emty'", "did you mean 'front-matter-empty'", ":2:"]),
        ("max-file-size: big\n", ["max-file-size", "integer", ":1:"]),
        ("rules:\n  front-matter-empty:\n    allow: image\n", ["must be a list", ":2:"]),
        ("rules:\n  front-matter-empty:\n    colour: red\n", ["no option 'colour'", ":2:"]),
        ("preset: [\n", ["configuration is not valid YAML"]),
    ],
)
def test_config_errors_exit_2_naming_file_key_and_line(tmp_path: Path, config: str, words: list[str]) -> None:
    page(tmp_path, "_config.yml", "title: t\n")
    page(tmp_path, ".naislint.yml", config)
    page(tmp_path, "a.md", "---\ntitle: a\n---\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    for word in words + [".naislint.yml"]:
        assert word in result.output


def test_pyproject_section_is_read(tmp_path: Path) -> None:
    page(tmp_path, "pyproject.toml", "[tool.naislint]\nrules = { front-matter-empty = 'off' }\n")
    page(tmp_path, "a.md", "---\ndescription: ''\n---\n")
    assert json.loads(run("check", str(tmp_path), "--format", "json").output) == []


def test_select_and_ignore(tmp_path: Path) -> None:
    jekyll_folder(tmp_path)
    path = page(tmp_path, "a.md", "---\ntitle: a\ntitle: b\ndescription: ''\n---\n")
    def rules(*args: str) -> list[str]:
        return [d["rule"] for d in json.loads(run("check", str(path), "--format", "json", *args).output)]
    assert rules() == ["front-matter-duplicate-key", "front-matter-empty"]
    assert rules("--select", "NL103") == ["front-matter-duplicate-key"]
    assert rules("--ignore", "front-matter-duplicate-key") == ["front-matter-empty"]
    assert rules("--select", "NL1", "--ignore", "NL105") == ["front-matter-duplicate-key"]
    assert CliRunner().invoke(main, ["check", str(path), "--select", "nope"]).exit_code == 2


def test_stdin_with_filename() -> None:
    # A page that sets layout: is a Jekyll page even with no _config.yml above it.
    result = run("check", "-", "--stdin-filename", "pages/x.md", "--format", "json", input=b"---\nlayout: page\ndescription: ''\n---\n")
    data = json.loads(result.output)
    assert [(d["path"], d["rule"], d["line"]) for d in data] == [("pages/x.md", "front-matter-empty", 3)]


def test_output_file_and_statistics(tmp_path: Path) -> None:
    jekyll_folder(tmp_path)
    path = page(tmp_path, "a.md", "---\ndescription: ''\nimage: ''\n---\n")
    out = tmp_path / "report.txt"
    result = run("check", str(path), "--statistics", "--output-file", str(out))
    assert result.output == ""
    text = out.read_text()
    assert "     2  NL105      front-matter-empty" in text


def test_rules_lists_every_rule_and_rule_prints_docs() -> None:
    listed = run("rules").output
    for rule in all_rules().values():
        assert rule.code in listed and rule.name in listed
        doc = run("rule", rule.name).output
        assert doc.startswith(f"# {rule.name} ({rule.code})")
        assert run("rule", rule.code).output == doc
    assert CliRunner().invoke(main, ["rule", "no-such-rule"]).exit_code == 2


def test_version_and_module_entry_point() -> None:
    out = subprocess.run([sys.executable, "-m", "naislint", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("naislint, version ")


def test_max_file_size(tmp_path: Path) -> None:
    page(tmp_path, ".naislint.yml", "max-file-size: 100\n")
    page(tmp_path, "big.md", "x" * 500)
    data = json.loads(run("check", str(tmp_path), "--format", "json").output)
    assert [(d["rule"], "max-file-size" in d["message"]) for d in data] == [("unreadable-file", True)]
