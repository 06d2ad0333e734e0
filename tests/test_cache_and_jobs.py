"""The results cache and parallel runs give the same answers as a plain serial run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from naislint.engine import Linter, RunOptions


def make_site(root: Path, pages: int = 30) -> None:
    (root / "_config.yml").write_text("title: t\n")
    for i in range(pages):
        body = f"---\ntitle: Page {i}\ndescription: '{'' if i % 3 else 'set'}'\n---\nText {i}.\n"
        (root / f"p{i:02}.md").write_text(body)


def lint(root: Path, counter: list[int] | None = None, **options) -> list[tuple]:
    linter = Linter(RunOptions(**options))
    if counter is not None:
        original = linter.lint_target

        def counting(target, *args, **kwargs):
            counter.append(1)
            return original(target, *args, **kwargs)

        linter.lint_target = counting  # type: ignore[method-assign]
    result = linter.run(linter.discover([str(root)]))
    return [(Path(d.path).name, d.rule, d.line, d.column, d.message) for d in result.diagnostics]


def test_warm_run_reads_the_cache(tmp_path: Path) -> None:
    make_site(tmp_path)
    first = lint(tmp_path, use_cache=True, jobs=1)
    calls: list[int] = []
    assert lint(tmp_path, calls, use_cache=True, jobs=1) == first
    assert calls == []
    assert first  # the site has defects, so the cache holds real diagnostics


def test_changed_file_is_relinted_touched_file_is_not(tmp_path: Path) -> None:
    make_site(tmp_path)
    lint(tmp_path, use_cache=True, jobs=1)
    page = tmp_path / "p01.md"
    page.write_text(page.read_text().replace("description: ''", "description: 'now set'"))
    os.utime(tmp_path / "p02.md", ns=(1, 1))
    calls: list[int] = []
    result = lint(tmp_path, calls, use_cache=True, jobs=1)
    assert len(calls) == 1
    assert result == lint(tmp_path, use_cache=False, jobs=1)


def test_config_change_invalidates(tmp_path: Path) -> None:
    make_site(tmp_path)
    lint(tmp_path, use_cache=True, jobs=1)
    (tmp_path / ".naislint.yml").write_text("rules:\n  front-matter-empty: off\n")
    assert lint(tmp_path, use_cache=True, jobs=1) == []


def test_corrupt_or_unwritable_cache_is_ignored(tmp_path: Path) -> None:
    make_site(tmp_path)
    expected = lint(tmp_path, use_cache=False, jobs=1)
    lint(tmp_path, use_cache=True, jobs=1)
    for f in (tmp_path / ".naislint_cache").glob("results-*.json"):
        f.write_bytes(b"\x00{not json")
    assert lint(tmp_path, use_cache=True, jobs=1) == expected
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    assert lint(tmp_path, use_cache=True, jobs=1, cache_dir=str(blocked / "sub")) == expected


@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_equals_serial(tmp_path: Path, jobs: int) -> None:
    make_site(tmp_path, pages=60)
    assert lint(tmp_path, use_cache=False, jobs=jobs) == lint(tmp_path, use_cache=False, jobs=1)
