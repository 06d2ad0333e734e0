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
    from naislint.lsp.server import _doc_link
    from naislint.registry import all_rules

    rule = all_rules()["broken-link"]
    d = Diagnostic("p.md", Span(1, 1, 1, 2), rule.code, rule.name, Severity.WARNING, "m", url=rule.url)
    link = _doc_link(d)
    assert link is not None and link.href.startswith("file://") and link.href.endswith("/broken-link.md")
    from urllib.parse import unquote, urlparse

    assert Path(unquote(urlparse(link.href).path)).is_file()
