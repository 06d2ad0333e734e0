"""How a parallel run hands out its work: the largest pages first, so that the last
tasks are small and the workers finish together."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path
from typing import Iterator

import pytest

from naislint.run import parallel
from naislint.run.engine import Linter, RunOptions

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked processes"
)


@pytest.fixture
def deadline() -> Iterator[None]:
    """A parallel run that hangs fails the test after a minute instead of stalling CI
    (the alarm is the parent's: forked workers do not inherit it)."""

    def expired(_signum: int, _frame: object) -> None:
        raise TimeoutError("the parallel run did not finish within 60 s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _recording(monkeypatch, log: Path, op: str) -> None:
    """Make every worker append the name of each page it is given (op ``lint`` or
    ``read``) to ``log``, in the order it is given them (the patch is inherited by fork)."""
    original = getattr(parallel.Work, op)

    def recorded(self, i):
        if self.in_worker:
            with open(log, "a", encoding="utf-8") as out:
                out.write(os.path.basename(self.plan.targets[i].path) + "\n")
        return original(self, i)

    monkeypatch.setattr(parallel.Work, op, recorded)


def _pages(folder: Path, count: int) -> list[str]:
    """Pages whose size grows with their name, so the walk meets the smallest first."""
    names = []
    for i in range(count):
        name = f"p{i:02}.md"
        filler = "Some text in a paragraph.\n\n" * (1 + 20 * i)
        (folder / name).write_text(f"---\ntitle: Page {i}\n---\n# Page {i}\n\n{filler}")
        names.append(name)
    return names


def test_the_largest_pages_are_handed_out_first(tmp_path: Path, monkeypatch, deadline: None) -> None:
    site = tmp_path / "pages"
    site.mkdir()
    names = _pages(site, 40)
    log = tmp_path / "order.log"
    _recording(monkeypatch, log, "lint")
    linter = Linter(RunOptions(use_cache=False, jobs=2))
    result = linter.run(linter.discover([str(site)]))
    assert not result.internal_errors
    order = log.read_text().split()
    assert sorted(order) == names  # each page once, all in the workers
    # Batches of two, two ahead per worker: the first pages a worker starts on are
    # among the eight largest, not the first names of the walk.
    largest = set(names[-8:])
    assert set(order[:2]) <= largest, order[:8]


def test_the_first_pass_of_a_site_reads_the_largest_pages_first(tmp_path: Path, monkeypatch, deadline: None) -> None:
    (tmp_path / "_config.yml").write_text("title: t\n")
    names = _pages(tmp_path, 40)
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + b"\0" * 4096)  # index facts only
    log = tmp_path.parent / "order.log"
    _recording(monkeypatch, log, "read")
    linter = Linter(RunOptions(use_cache=False, jobs=2))
    result = linter.run(linter.discover([str(tmp_path)]))
    assert not result.internal_errors
    order = log.read_text().split()
    assert sorted(order) == names
    assert set(order[:2]) <= set(names[-8:]), order[:8]


def test_order_puts_index_facts_after_the_pages(tmp_path: Path) -> None:
    """Files read only for the index (a few bytes each) fill in at the end, in their
    own order, whatever their size on disk."""
    (tmp_path / "_config.yml").write_text("title: t\n")
    names = _pages(tmp_path, 3)
    (tmp_path / "big.pdf").write_bytes(b"%PDF" + b"\0" * 100_000)
    (tmp_path / "small.txt").write_text("x\n")
    linter = Linter(RunOptions(use_cache=False, jobs=2))
    targets = linter.discover([str(tmp_path)])
    plan = parallel.make_plan(linter, targets)
    root = next(iter(plan.builds))
    tasks: list = [("read", i) for i in plan.two_pass]
    tasks += [("facts", (root, rel)) for rel in ("big.pdf", "small.txt")]
    pool = parallel._Pool(parallel.Work(linter, plan), 2)
    ordered = pool._largest_first(tasks, list(range(len(tasks))))
    shown = [os.path.basename(plan.targets[tasks[n][1]].path) if tasks[n][0] == "read" else tasks[n][1][1]
             for n in ordered]
    assert shown == [*reversed(names), "big.pdf", "small.txt"]


def test_a_worker_keeps_the_page_urls_of_its_first_pass(tmp_path: Path, monkeypatch) -> None:
    """The finished index a worker receives does not carry the URLs its first pass
    worked out (they are keyed by that process's documents); it adopts them, so the
    second pass's link rules do not work out each page's own URL again."""
    import pickle

    from naislint.site.index import SiteIndex

    (tmp_path / "_config.yml").write_text("title: t\n")
    for i in range(4):
        (tmp_path / f"p{i}.md").write_text(
            f"---\ntitle: P{i}\npermalink: /p{i}/\n---\nSee [next](/p{(i + 1) % 4}/) and [gone](/nowhere/).\n"
        )
    linter = Linter(RunOptions(use_cache=False, jobs=2))
    targets = linter.discover([str(tmp_path)])
    plan = parallel.make_plan(linter, targets)
    work = parallel.Work(linter, plan)
    work.in_worker = True
    for i, rel in plan.two_pass.items():
        unreadable, facts = work.read(i)
        assert unreadable is None
        plan.builds[plan.roots[i]].add(rel, *facts)
    sites = {root: build.finish() for root, build in plan.builds.items()}
    work.sites(pickle.dumps(sites))

    def worked_out_again(*_args: object) -> None:
        raise AssertionError("a page's URL was worked out again")

    monkeypatch.setattr(SiteIndex, "_url_for", worked_out_again)
    found = [d for i in sorted(plan.two_pass) for d in work.finish(i).diagnostics]
    assert not linter.internal_errors
    assert [(Path(d.path).name, d.rule, d.line, d.column) for d in found if d.rule == "broken-link"] == [
        (f"p{i}.md", "broken-link", 5, 29) for i in range(4)
    ]
