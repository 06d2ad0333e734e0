"""The results cache and parallel runs give the same answers as a plain serial run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from naislint.run.engine import Linter, RunOptions


def make_site(root: Path, pages: int = 30) -> None:
    (root / "_config.yml").write_text("title: t\n")
    for i in range(pages):
        body = f"---\ntitle: Page {i}\ndescription: '{'' if i % 3 else 'set'}'\n---\nText {i}.\n"
        (root / f"p{i:02}.md").write_text(body)


def lint(root: Path, counter: list[int] | None = None, **options) -> list[tuple]:
    linter = Linter(RunOptions(**options))
    if counter is not None:
        # Every file linted is read through Linter.load, whichever pass reads it.
        original = linter.load

        def counting(target, *args, **kwargs):
            counter.append(1)
            return original(target, *args, **kwargs)

        linter.load = counting  # type: ignore[method-assign]
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


def make_linked_site(root: Path, pages: int = 40) -> None:
    """Pages that link to each other's headings (some broken), static files, a page that
    cannot be read and one Jekyll does not publish: what the two passes must agree on."""
    (root / "_config.yml").write_text("title: t\npermalink: none\n")
    (root / "files").mkdir()
    (root / "files" / "a.pdf").write_bytes(b"%PDF")
    (root / "bad.md").write_bytes(b"---\ntitle: Bad\n---\n\xff\xfe not UTF-8\n")
    (root / "bom.md").write_bytes(b"\xef\xbb\xbf---\ntitle: Bom\npermalink: /bom/\n---\n## Top part\n")
    (root / "draft.md").write_text("---\ntitle: Draft\npermalink: /draft/\npublished: false\n---\n## Hidden\n")
    for i in range(pages):
        nxt = (i + 1) % pages
        body = (
            f"---\ntitle: Page {i}\npermalink: /p{i}/\n---\n## Part {i}\n\n"
            f"See [next](/p{nxt}/#part-{nxt}), [wrong](/p{nxt}/#part-{i + 100}), "
            f"[file](/files/a.pdf), [missing](/files/b{i}.pdf), [bom](/bom/#top-part), "
            f"[draft](/draft/) and [here](#part-{i}).\n"
        )
        (root / f"p{i:02}.md").write_text(body)


def site_index_of(root: Path, **options):
    linter = Linter(RunOptions(**options))
    linter.run(linter.discover([str(root)]))
    return next(iter(linter.sites.values()))


@pytest.mark.parametrize("jobs", [1, 2])
def test_site_index_from_linted_pages_equals_the_index_read_alone(tmp_path: Path, jobs: int) -> None:
    from naislint.site.index import SiteIndex

    make_linked_site(tmp_path)
    alone = SiteIndex.build(str(tmp_path))
    built = site_index_of(tmp_path, jobs=jobs)
    assert built.pages == alone.pages and list(built.pages) == list(alone.pages)
    assert built.anchors == alone.anchors and built.files == alone.files
    assert built.unpublished == alone.unpublished and built.fingerprint == alone.fingerprint


@pytest.mark.parametrize("jobs", [2, 3])
def test_two_pass_parallel_run_equals_serial_and_cached(tmp_path: Path, jobs: int) -> None:
    make_linked_site(tmp_path)
    serial = lint(tmp_path, use_cache=False, jobs=1)
    rules = {rule for _name, rule, *_ in serial}
    assert {"broken-link", "broken-anchor", "unreadable-file"} <= rules
    assert lint(tmp_path, use_cache=False, jobs=jobs) == serial
    assert lint(tmp_path, use_cache=True, jobs=jobs) == serial
    calls: list[int] = []
    assert lint(tmp_path, calls, use_cache=True, jobs=1) == serial
    assert calls == [1]  # the unreadable page has no cached result; nothing else is read


def test_one_changed_page_is_read_once_and_others_see_its_new_headings(tmp_path: Path) -> None:
    make_linked_site(tmp_path)
    lint(tmp_path, use_cache=True, jobs=1)
    page = tmp_path / "p05.md"
    page.write_text(page.read_text().replace("## Part 5", "## Part 105"))
    calls: list[int] = []
    result = lint(tmp_path, calls, use_cache=True, jobs=1)
    assert result == lint(tmp_path, use_cache=False, jobs=1)
    # p04 links to #part-5 (now broken) and #part-105 (now fine): its cached result is stale.
    assert ("p04.md", "broken-anchor", 7) in [(n, r, line) for n, r, line, *_ in result]


def test_a_worker_that_dies_loses_nothing(tmp_path: Path, monkeypatch) -> None:
    import dataclasses

    from naislint import registry

    make_linked_site(tmp_path)
    expected = lint(tmp_path, use_cache=False, jobs=1)
    parent = os.getpid()
    rules = registry.all_rules()
    original = rules["heading-increment"]

    def dying(doc, site, options):
        if os.getpid() != parent and doc.path.endswith("p07.md"):
            os._exit(3)
        return original.check(doc, site, options)

    monkeypatch.setitem(rules, "heading-increment", dataclasses.replace(original, check=dying))
    linter = Linter(RunOptions(use_cache=False, jobs=2))
    result = linter.run(linter.discover([str(tmp_path)]))
    got = [(Path(d.path).name, d.rule, d.line, d.column, d.message) for d in result.diagnostics]
    assert got == expected
    assert any("worker process ended unexpectedly (exit code 3)" in e for e in result.internal_errors)


def test_pages_outside_any_site_are_cached_in_the_folder_walked(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "a.md").write_text("# A\n\nText&nbsp;here.\n")
    (docs / "guides" / "b.md").write_text("# B\n\n### Skipped a level\n")
    first = lint(docs, use_cache=True, jobs=1)
    assert first and (docs / ".naislint_cache").is_dir()
    assert not (docs / "guides" / ".naislint_cache").exists()
    calls: list[int] = []
    assert lint(docs, calls, use_cache=True, jobs=1) == first
    assert calls == []


def test_a_page_named_alone_outside_any_site_gets_no_cache_folder(tmp_path: Path) -> None:
    page = tmp_path / "loose.md"
    page.write_text("# A\n\nText&nbsp;here.\n")
    linter = Linter(RunOptions(use_cache=True, jobs=1))
    linter.run(linter.discover([str(page)]))
    assert not (tmp_path / ".naislint_cache").exists()
