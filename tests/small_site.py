"""A small Jekyll site for the tests of the site index and its caches: two pages, one
linking to the other's heading, and ``others`` pages that link nowhere; and a cached run
that says which pages it linted itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from naislint.run.engine import Linter, RunOptions


def counting_linter(linted: list[str], shown: Callable[[str], str] = str) -> Linter:
    """A linter of a run with the results cache that adds to ``linted`` (as ``shown``)
    the path of each page it loads to lint: those the cache does not answer for."""
    linter = Linter(RunOptions(use_cache=True, jobs=1))
    original = linter.load

    def counting(target: Any, *args: Any, **kwargs: Any) -> Any:
        linted.append(shown(target.path))
        return original(target, *args, **kwargs)

    linter.load = counting  # type: ignore[method-assign]
    return linter


def run_counting_lints(root: Path) -> tuple[Any, list[str]]:
    """A run over ``root`` with the results cache, and the paths of the pages it linted."""
    linted: list[str] = []
    linter = counting_linter(linted)
    return linter.run(linter.discover([str(root)])), linted


def make_site(root: Path, others: int) -> None:
    (root / "_config.yml").write_text("title: t\npermalink: none\n")
    (root / "pages").mkdir()
    (root / "pages" / "a.md").write_text("---\ntitle: A\npermalink: /a/\n---\n## Heading A\n\nSee [b](/b/#part).\n")
    (root / "pages" / "b.md").write_text("---\ntitle: B\npermalink: /b/\n---\n## Part\n\nText.\n")
    for i in range(others):
        (root / "pages" / f"p{i}.md").write_text(f"---\ntitle: P{i}\npermalink: /p{i}/\n---\nText.\n")
