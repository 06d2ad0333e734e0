"""Command-line outputs and messages a CI user meets: files that cannot be written,
colour switches, ``--statistics``, rule lookups, unknown refs and mistyped paths."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli_in import run
from naislint.cli import main

PAGE = "# A\n\n### B\n"  # heading-increment at 3:1


def _site(tmp_path: Path) -> Path:
    (tmp_path / "_config.yml").write_text("title: T\n")
    (tmp_path / "a.md").write_text(PAGE)
    return tmp_path


def test_unwritable_output_file_is_a_message_and_exit_2(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run(site, "check", "-o", str(tmp_path / "no" / "such" / "dir" / "x.txt"), "--no-cache", ".")
    assert result.exit_code == 2, result.output
    assert "naislint: cannot write the report to" in result.output
    assert "No such file or directory" in result.output and "Traceback" not in result.output


def test_unwritable_server_log_is_a_message_and_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["server", "--log-file", str(tmp_path / "no" / "dir" / "x.log")])
    assert result.exit_code == 2, result.output
    assert "naislint: cannot write the log file" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_rule_urls_name_the_docs_in_the_repository() -> None:
    """Every rule's URL is its doc's path in this repository (no documentation site exists)."""
    from naislint.registry import all_rules

    repo = Path(__file__).resolve().parents[1]
    for rule in all_rules().values():
        assert rule.url == f"rules/{rule.name}.md"
        assert (repo / rule.url).is_file(), rule.url


def test_editor_links_open_the_shipped_rule_doc() -> None:
    from naislint.diagnostics import Diagnostic, Severity, Span
    from naislint.lsp.convert import _doc_link
    from naislint.registry import all_rules

    rule = all_rules()["broken-link"]
    d = Diagnostic("p.md", Span(1, 1, 1, 2), rule.code, rule.name, Severity.WARNING, "m", url=rule.url)
    link = _doc_link(d)
    assert link is not None and link.href.startswith("file://") and link.href.endswith("/broken-link.md")
    from urllib.parse import unquote, urlparse

    assert Path(unquote(urlparse(link.href).path)).is_file()


ESC = "\x1b["


def test_colour_switches(tmp_path: Path, monkeypatch) -> None:
    """CliRunner's output is no terminal: only FORCE_COLOR / CLICOLOR_FORCE colour it, and
    NO_COLOR or --no-color win over both."""
    site = _site(tmp_path)
    for name in ("FORCE_COLOR", "CLICOLOR_FORCE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    assert ESC not in run(site, "check", "--no-cache", "a.md").output
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert f"{ESC}1ma.md:3:1:" in run(site, "check", "--no-cache", "a.md").output
    assert ESC not in run(site, "check", "--no-cache", "--no-color", "a.md").output
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert ESC not in run(site, "check", "--no-cache", "a.md").output
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("CLICOLOR_FORCE", "1")
    assert ESC in run(site, "check", "--no-cache", "a.md").output
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in run(site, "check", "--no-cache", "a.md").output
    # A report written to a file is never coloured.
    monkeypatch.delenv("NO_COLOR")
    run(site, "check", "--no-cache", "-o", "report.txt", "a.md")
    assert ESC not in (site / "report.txt").read_text()


def test_statistics_alone_and_as_json(tmp_path: Path) -> None:
    import json

    site = _site(tmp_path)
    args = ("check", "--no-cache", "--statistics", "a.md", "b.md")
    (site / "b.md").write_text("---\ntitle: B\n---\n# A\n\n### B\n")
    text = run(site, *args)
    assert text.exit_code == 1
    # Only the counts: no report, no summary.
    assert text.output == "     2  NL504      heading-increment\n     1  NL101      front-matter-missing\n"
    as_json = run(site, *args, "--format", "json")
    assert json.loads(as_json.output) == [
        {"code": "NL504", "rule": "heading-increment", "count": 2, "fixable": 0},
        {"code": "NL101", "rule": "front-matter-missing", "count": 1, "fixable": 0},
    ]
    refused = run(site, "check", "--no-cache", "--statistics", "--format", "sarif", "a.md")
    assert refused.exit_code == 2 and "--statistics works with --format text or json" in refused.output


def test_rules_list_says_unsafe_for_an_unsafe_only_fix() -> None:
    listed = CliRunner().invoke(main, ["rules"]).output.splitlines()
    assert listed[0].split() == ["code", "name", "severity", "fix", "summary"]
    rows = {line.split()[1]: line.split()[3] for line in listed[1:]}
    assert rows["pseudo-list"] == "unsafe"
    assert rows["nbsp-entity"] == "yes"
    import json

    data = {r["name"]: r for r in json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)}
    assert data["pseudo-list"]["fix"] == "unsafe" and data["nbsp-entity"]["fix"] == "safe"
    assert data["broken-link"]["fix"] is None


def test_rule_lookup_suggests_a_name() -> None:
    result = CliRunner().invoke(main, ["rule", "broken-links"])
    assert result.exit_code == 2
    assert "no rule named 'broken-links'; did you mean 'broken-link'?" in result.output


def test_mistyped_file_is_no_such_file(tmp_path: Path) -> None:
    import json

    site = _site(tmp_path)
    result = run(site, "check", "--no-cache", "--format", "json", "a.md", "nosuch.md")
    found = {(d["path"], d["rule"], d["message"]) for d in json.loads(result.output)}
    assert ("nosuch.md", "unreadable-file", "no such file or folder") in found


def test_pyproject_errors_carry_a_line(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.naislint]\nfail-on = "errorr"\n\n[[tool.naislint.overrides]]\n'
        'files = ["a.md"]\n[tool.naislint.overrides.rules]\nno-such-rule = "off"\n'
    )
    result = run(site, "check", "--no-cache", "a.md")
    assert result.exit_code == 2
    assert "pyproject.toml:5: key 'fail-on': must be one of" in result.output, result.output
    (site / "pyproject.toml").write_text('[tool.naislint]\n[[tool.naislint.overrides]]\nfiles = ["a.md"]\n'
                                         '[tool.naislint.overrides.rules]\nno-such-rule = "off"\n')
    result = run(site, "check", "--no-cache", "a.md")
    assert "pyproject.toml:5: unknown rule 'no-such-rule'" in result.output, result.output
    (site / "pyproject.toml").write_text('[tool.naislint]\nfail-on = \n')
    result = run(site, "check", "--no-cache", "a.md")
    assert result.exit_code == 2 and "pyproject.toml:2:11: not valid TOML: Invalid value" in result.output


def test_yaml_config_error_does_not_speak_of_jekyll(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / ".naislint.yml").write_text("rules: [a\n")
    result = run(site, "check", "--no-cache", "a.md")
    assert result.exit_code == 2
    assert ".naislint.yml:1:" in result.output and "configuration is not valid YAML" in result.output
    assert "Jekyll" not in result.output
