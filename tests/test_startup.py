"""A run over a few pages pays for those pages, not for the whole site: the site's tree
is taken from the index's cache while no folder changed, the rule entry points from the
scan kept in the cache, and the index's fingerprint is corrected, not recomputed."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from naislint import jekyll, registry
from naislint.run.engine import Linter, RunOptions
from naislint.site.index import SiteIndex
from small_site import counting_linter, make_site as make_small_site, run_counting_lints


#: The site these tests lint (see ``small_site``).
make_site = functools.partial(make_small_site, others=10)


@pytest.fixture(autouse=True)
def fine_clock(monkeypatch) -> None:
    """Trust what changed before the walk, however shortly before: a test cannot wait out
    the two seconds a real folder must be older than the walk that stamped it."""
    from naislint.store import stamps

    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)


def warm(root: Path) -> None:
    """Lint the whole site twice: the first run makes the cache folder (a change to the
    site's root folder), the second records the tree as it then is."""
    lint([root])
    lint([root])


def lint(paths: list[Path], **options) -> list[tuple]:
    linter = Linter(RunOptions(use_cache=True, jobs=1, **options))
    result = linter.run(linter.discover([str(p) for p in paths]))
    return [(Path(d.path).name, d.rule, d.line, d.column) for d in result.diagnostics]


@pytest.fixture
def no_walk(monkeypatch):
    """Fail when the site index walks the site."""
    def walk(*_args, **_kwargs):
        raise AssertionError("the site was walked")

    return lambda: monkeypatch.setattr(jekyll, "walk", walk)


def test_one_page_run_does_not_walk_an_unchanged_site(tmp_path: Path, no_walk) -> None:
    make_site(tmp_path)
    warm(tmp_path)  # builds the caches
    page = tmp_path / "pages" / "a.md"
    page.write_text(page.read_text().replace("/b/#part", "/b/#nowhere"))
    no_walk()
    assert lint([page]) == [("a.md", "broken-anchor", 7, 9)]


def test_the_linted_page_is_read_not_taken_from_the_cache(tmp_path: Path, no_walk) -> None:
    make_site(tmp_path)
    warm(tmp_path)
    page = tmp_path / "pages" / "a.md"
    # The page now links to its own new heading: its anchors must be the new ones.
    page.write_text(page.read_text() + "\n## Fresh part\n\nSee [the fresh part](#fresh-part).\n")
    no_walk()
    assert lint([page]) == []


def test_a_new_file_makes_the_run_walk_again(tmp_path: Path) -> None:
    make_site(tmp_path)
    warm(tmp_path)
    page = tmp_path / "pages" / "a.md"
    page.write_text(page.read_text() + "\nAlso [c](/c/).\n")
    (tmp_path / "pages" / "c.md").write_text("---\ntitle: C\npermalink: /c/\n---\nText.\n")
    assert lint([page]) == []


def test_a_page_edited_by_the_run_is_known_to_the_next_one(tmp_path: Path, no_walk) -> None:
    """Commit one page with a new heading, then another that links to it: the second
    hook run finds the anchor the first one saw."""
    make_site(tmp_path)
    warm(tmp_path)
    b = tmp_path / "pages" / "b.md"
    b.write_text(b.read_text() + "\n## Added later\n")
    no_walk()
    assert lint([b]) == []
    a = tmp_path / "pages" / "a.md"
    a.write_text(a.read_text().replace("/b/#part", "/b/#added-later"))
    assert lint([a]) == []


def test_fingerprint_corrected_for_a_change_equals_a_fresh_one(tmp_path: Path) -> None:
    make_site(tmp_path)
    SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    page = tmp_path / "pages" / "b.md"
    page.write_text(page.read_text() + "\n## Another part\n")
    (tmp_path / "pages" / "p3.md").unlink()
    cached = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert cached.fingerprint == SiteIndex.build(str(tmp_path)).fingerprint
    assert cached.anchors["pages/b.md"] == ["part", "another-part"]


def test_entry_point_scan_is_kept_and_redone_when_packages_change(tmp_path: Path, monkeypatch) -> None:
    import importlib.metadata

    monkeypatch.setattr(registry, "_SCAN_FOLDER", str(tmp_path))
    first = registry._entry_points()
    assert ("broken-link", "naislint.rules.broken_link:RULE") in first

    def no_scan(**_kwargs):
        raise AssertionError("scanned again")

    monkeypatch.setattr(importlib.metadata, "entry_points", no_scan)
    assert registry._entry_points() == first
    # A package installed into a folder of sys.path changes that folder.
    extra = tmp_path / "site-packages"
    extra.mkdir()
    monkeypatch.syspath_prepend(str(extra))
    with pytest.raises(AssertionError, match="scanned again"):
        registry._entry_points()


def test_the_default_jobs_forks_only_for_work_worth_it(tmp_path: Path, monkeypatch) -> None:
    """30 small pages are more files than a pool's minimum, but too little work to pay for
    forking: the default stays in one process; ``-j 2`` asked for is obeyed."""
    from naislint.run import parallel

    for i in range(30):
        (tmp_path / f"p{i:02}.md").write_text(f"---\ntitle: Page {i}\n---\nText {i}.\n")
    answers: list[bool] = []
    original = parallel._Pool._can_fork

    def asked(self, tasks):
        answers.append(original(self, tasks))
        return False  # lint in this process either way

    monkeypatch.setattr(parallel._Pool, "_can_fork", asked)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["fork"])
    for jobs, expected in ((None, [False]), (2, [True])):
        answers.clear()
        linter = Linter(RunOptions(use_cache=False, jobs=jobs))
        linter.run(linter.discover([str(tmp_path)]))
        assert answers == expected


def test_reports_take_excerpts_from_the_run_not_from_the_files(tmp_path: Path, monkeypatch) -> None:
    """The lines shown under each diagnostic travel with it (from the lint, or from the
    results cache on a warm run): the report reads no file again."""
    from click.testing import CliRunner

    from naislint.cli import main
    from naislint.run.results import FileResult

    make_site(tmp_path)
    page = tmp_path / "pages" / "a.md"
    page.write_text(page.read_text().replace("/b/#part", "/b/#nowhere"))

    def no_reading(self, skip_binary=False):
        raise AssertionError(f"{self.target.display} was read again for its excerpts")

    monkeypatch.setattr(FileResult, "source_lines", no_reading)
    for _run in ("cold", "warm"):
        result = CliRunner().invoke(main, ["check", "-j", "1", str(tmp_path)], catch_exceptions=False)
        assert result.exit_code == 1, result.output
        assert "    7 | See [b](/b/#nowhere)." in result.output


def test_the_editor_checks_links_before_its_index_is_built(tmp_path: Path) -> None:
    """A page opened in the editor gets its broken links reported by its first lint, from
    the index the cache holds, while the server's own index is still to be built."""
    from naislint.lsp.session import Session

    make_site(tmp_path)
    warm(tmp_path)
    page = tmp_path / "pages" / "a.md"
    text = page.read_text().replace("/b/#part", "/gone/")
    session = Session(RunOptions(use_cache=True))
    assert session.site_index(str(tmp_path)) is None  # no build has run
    found = [(d.rule, d.span.line, d.span.column) for d in session.lint(str(page), text).diagnostics]
    assert found == [("broken-link", 7, 9)]
    # Without the cache the first lint cannot know; the built index then does.
    assert Session(RunOptions(use_cache=False)).lint(str(page), text).diagnostics == []


def test_a_run_that_only_stores_writes_a_journal_not_the_whole_cache(tmp_path: Path) -> None:
    """Linting the one page a commit changed stores one result: the results file is not
    read and written again for it; the next run takes the journal's entry."""
    import json

    make_site(tmp_path)
    warm(tmp_path)
    cache = tmp_path / ".naislint_cache"
    [results] = cache.glob("results-*.json")
    before = results.read_bytes()
    page = tmp_path / "pages" / "a.md"
    page.write_text(page.read_text().replace("/b/#part", "/b/#nowhere"))
    assert lint([page]) == [("a.md", "broken-anchor", 7, 9)]
    assert results.read_bytes() == before
    [journal] = cache.glob("journal-*.json")
    assert list(json.loads(journal.read_text())["files"]) == [str(page)]
    result, linted = run_counting_lints(tmp_path)
    assert [(Path(d.path).name, d.rule) for d in result.diagnostics] == [("a.md", "broken-anchor")]
    assert linted == []  # every page from the cache, a.md from the journal
    # A run that reads the results file and stores something folds the journal into it.
    other = tmp_path / "pages" / "p1.md"
    other.write_text(other.read_text() + "More text.\n")
    assert lint([tmp_path]) == [("a.md", "broken-anchor", 7, 9)]
    assert json.loads(journal.read_text())["files"] == {}
    assert {str(page), str(other)} <= set(json.loads(results.read_text())["files"])


@pytest.mark.parametrize("planted", [b"\x00{not json", b'{"key": 1, "files": []}', b"[]",
                                     b'{"key": "x", "files": {"a": {"diagnostics": "no"}}}'])
def test_a_broken_journal_is_ignored(tmp_path: Path, planted: bytes) -> None:
    make_site(tmp_path)
    expected = lint([tmp_path])
    [results] = (tmp_path / ".naislint_cache").glob("results-*.json")
    journal = results.with_name(results.name.replace("results-", "journal-"))
    journal.write_bytes(planted)
    assert lint([tmp_path]) == expected
    page = tmp_path / "pages" / "p2.md"
    page.write_text(page.read_text() + "More.\n")
    assert lint([page]) == [] and lint([tmp_path]) == expected


def test_a_run_over_one_page_reads_its_line_not_the_whole_results_file(tmp_path: Path, monkeypatch) -> None:
    """The results file holds one entry to a line: a run over a page finds that page's
    line, and parses no other entry of the site (nor rewrites the file)."""
    import json

    from naislint.run import cache as cache_mod

    make_site(tmp_path)
    warm(tmp_path)
    [results] = (tmp_path / ".naislint_cache").glob("results-*.json")
    text = results.read_text()
    assert len(json.loads(text)["files"]) == text.count("\n") - 1 >= 12  # JSON, one line per page
    before = results.read_bytes()
    parsed: list[str] = []
    read = cache_mod.read_cache_json
    monkeypatch.setattr(cache_mod, "read_cache_json", lambda path: parsed.append(Path(path).name) or read(path))
    page = tmp_path / "pages" / "a.md"
    page.write_text(page.read_text())  # a new stamp, the same content: a hit after the hash
    linted: list[str] = []
    linter = counting_linter(linted, lambda path: Path(path).name)
    result = linter.run(linter.discover([str(page)]))
    assert [(d.rule, d.line) for d in result.diagnostics] == [] and linted == []
    assert results.name not in parsed
    assert results.read_bytes() == before
    # The refreshed stamp went to the journal: the next run trusts the stat again.
    [journal] = (tmp_path / ".naislint_cache").glob("journal-*.json")
    assert list(json.loads(journal.read_text())["files"]) == [str(page)]


def test_a_results_file_in_one_line_is_still_read(tmp_path: Path) -> None:
    """A results file written whole on one line (before entries had a line each) is
    read as it is: its entries are hits."""
    import json

    make_site(tmp_path)
    warm(tmp_path)
    [results] = (tmp_path / ".naislint_cache").glob("results-*.json")
    results.write_text(json.dumps(json.loads(results.read_text()), separators=(",", ":")))
    linted: list[str] = []
    linter = counting_linter(linted, lambda path: Path(path).name)
    linter.run(linter.discover([str(tmp_path / "pages" / "b.md")]))
    assert linted == []


def test_a_damaged_line_of_the_results_file_is_a_miss(tmp_path: Path) -> None:
    make_site(tmp_path)
    warm(tmp_path)
    [results] = (tmp_path / ".naislint_cache").glob("results-*.json")
    page = tmp_path / "pages" / "a.md"
    page.write_text(page.read_text().replace("/b/#part", "/b/#nowhere"))
    expected = lint([page])
    lines = results.read_text().split("\n")
    key = '"' + str(page) + '":'
    damaged = [line[: len(line) // 2] if line.startswith(key) else line for line in lines]
    assert damaged != lines
    results.write_text("\n".join(damaged))
    for journal in (tmp_path / ".naislint_cache").glob("journal-*.json"):
        journal.unlink()
    linted: list[str] = []
    linter = counting_linter(linted, lambda path: Path(path).name)
    result = linter.run(linter.discover([str(page)]))
    assert linted == ["a.md"]
    assert [(Path(d.path).name, d.rule, d.line, d.column) for d in result.diagnostics] == expected


def test_a_run_without_workers_does_not_pickle_the_site_index(tmp_path: Path, monkeypatch) -> None:
    """The finished index is sent to live workers only: a run in one process (a page or
    a small site) does not serialise it for nobody."""
    import pickle

    make_site(tmp_path)
    expected = lint([tmp_path])

    def refuse(*_args, **_kwargs):
        raise AssertionError("the site index was pickled")

    monkeypatch.setattr(pickle, "dumps", refuse)
    for cache in (tmp_path / ".naislint_cache").glob("*"):
        cache.unlink()
    assert lint([tmp_path]) == expected



#: Modules a warm run over one page has no use for (the lint of a page with valid front
#: matter, a report, the caches read and written).
UNNEEDED = ("click", "jsonschema", "referencing", "importlib.metadata", "subprocess", "shutil", "pickle",
            "secrets", "multiprocessing")


def test_a_warm_one_page_run_imports_only_what_it_needs(tmp_path: Path) -> None:
    """A pre-commit hook pays for every import: the entry point, the caches and the
    rules of a page that fits its schema need none of these modules."""
    import subprocess
    import sys

    make_site(tmp_path)
    code = (
        "import sys; sys.argv = ['naislint', 'check', 'pages/a.md']\n"
        "from naislint.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n"
        f"    print(exc.code, sorted(m for m in {UNNEEDED!r} if m in sys.modules))\n"
    )
    for _ in range(3):  # the first runs make the cache folder and scan the entry points
        out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stdout + out.stderr


def test_entry_point_scan_key_is_the_same_for_one_folder_however_spelt(monkeypatch) -> None:
    """``python -c`` puts "" on sys.path where ``python -m`` puts the current folder in
    full: the same folders, so the same kept scan."""
    import os
    import sys

    monkeypatch.setattr(sys, "path", ["", *sys.path[1:]])
    empty = registry._installed_state()
    monkeypatch.setattr(sys, "path", [os.getcwd(), *sys.path[1:]])
    assert registry._installed_state() == empty
