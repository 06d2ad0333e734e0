"""A warm run reads each results file once: the lookups answered line by line keep the
text, and the whole file is parsed from it when the run looks up more pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from naislint.run import cache as cache_mod
from naislint.store import folder
from small_site import make_site, run_counting_lints


@pytest.fixture(autouse=True)
def fine_clock(monkeypatch) -> None:
    from naislint.store import stamps

    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)


def lint(root: Path) -> tuple[list[tuple[str, str, int]], list[str]]:
    result, linted = run_counting_lints(root)
    return [(Path(d.path).name, d.rule, d.line) for d in result.diagnostics], linted


def test_a_warm_run_reads_the_results_file_once(tmp_path: Path, monkeypatch) -> None:
    make_site(tmp_path, others=cache_mod.ResultCache.LINE_LOOKUPS + 4)
    page = tmp_path / "pages" / "a.md"
    page.write_text(page.read_text().replace("/b/#part", "/b/#nowhere"))
    expected, _ = lint(tmp_path)
    assert expected == [("a.md", "broken-anchor", 7)]
    lint(tmp_path)
    reads: list[str] = []
    original = folder.read_cache_bytes
    monkeypatch.setattr(folder, "read_cache_bytes", lambda path: reads.append(Path(path).name) or original(path))
    found, linted = lint(tmp_path)
    assert found == expected and linted == []
    assert len([name for name in reads if name.startswith("results-")]) == 1, reads
