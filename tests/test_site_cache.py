"""The site index's on-disk facts, and cached results that depend on the index."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from naislint.run.engine import Linter, RunOptions
from naislint.site.index import SiteIndex
from small_site import make_site as make_small_site


#: The site these tests lint (see ``small_site``).
make_site = functools.partial(make_small_site, others=20)


def count_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    original = SiteIndex._facts

    def counting(self, rel, full, collections):
        reads.append(rel)
        return original(self, rel, full, collections)

    monkeypatch.setattr(SiteIndex, "_facts", counting)
    return reads


def test_second_build_reads_nothing_and_one_change_reads_one(tmp_path: Path, monkeypatch) -> None:
    make_site(tmp_path)
    first = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    reads = count_reads(monkeypatch)
    second = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert reads == []
    assert second.pages == first.pages and second.anchors == first.anchors
    assert second.fingerprint == first.fingerprint
    page = tmp_path / "pages" / "p3.md"
    page.write_text(page.read_text() + "More text.\n")
    third = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert reads == ["pages/p3.md"]
    assert third.fingerprint == first.fingerprint  # body text is not something links resolve to
    page.write_text(page.read_text() + "\n## New heading\n")
    assert SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path)).fingerprint != first.fingerprint


def test_corrupt_facts_cache_is_rebuilt(tmp_path: Path) -> None:
    make_site(tmp_path)
    expected = SiteIndex.build(str(tmp_path)).pages
    SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    facts = tmp_path / ".naislint_cache" / "site-facts.json"
    facts.write_text(json.dumps({"key": "x", "files": {"pages/a.md": "nonsense"}}))
    assert SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path)).pages == expected
    facts.write_bytes(b"\x00\x01")
    assert SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path)).pages == expected


def lint(root: Path) -> list[tuple[str, str, int]]:
    linter = Linter(RunOptions(use_cache=True, jobs=1))
    result = linter.run(linter.discover([str(root)]))
    return [(Path(d.path).name, d.rule, d.line) for d in result.diagnostics if d.rule.startswith("broken")]


def test_cached_results_follow_changes_to_the_pages_they_link_to(tmp_path: Path) -> None:
    make_site(tmp_path)
    assert lint(tmp_path) == []
    b = tmp_path / "pages" / "b.md"
    b.write_text(b.read_text().replace("## Part", "## Chapter"))
    assert lint(tmp_path) == [("a.md", "broken-anchor", 7)]
    b.write_text(b.read_text().replace("permalink: /b/", "permalink: /bee/"))
    assert lint(tmp_path) == [("a.md", "broken-link", 7)]
    b.write_text(b.read_text().replace("permalink: /bee/", "permalink: /b/").replace("## Chapter", "## Part"))
    assert lint(tmp_path) == []


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    from naislint.site import index as index_mod

    (tmp_path / "_config.yml").write_text("title: t\n")
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(index_mod.MIN_FILES_FOR_POOL + 20):
        (pages / f"p{i}.md").write_text(f"---\ntitle: P{i}\npermalink: /p{i}/\n---\n## Part {i % 7}\n")
    serial = SiteIndex.build(str(tmp_path), jobs=1)
    parallel = SiteIndex.build(str(tmp_path), jobs=2)
    assert parallel.pages == serial.pages and list(parallel.pages) == list(serial.pages)
    assert parallel.anchors == serial.anchors
    assert parallel.fingerprint == serial.fingerprint and serial.fingerprint


def test_touched_page_keeps_its_facts_by_content(tmp_path: Path, monkeypatch) -> None:
    import os

    make_site(tmp_path)
    first = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    os.utime(tmp_path / "pages" / "p3.md", ns=(1, 1))
    reads = count_reads(monkeypatch)
    second = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert reads == [] and second.fingerprint == first.fingerprint
    third = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert reads == [] and third.pages == first.pages  # the new stamp was recorded


def test_a_pipe_in_the_site_neither_blocks_the_index_nor_is_cached(tmp_path: Path) -> None:
    import os
    import threading

    make_site(tmp_path)
    os.mkfifo(tmp_path / "pages" / "x.pdf")
    built: list[SiteIndex] = []
    worker = threading.Thread(target=lambda: built.append(SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))))
    worker.daemon = True
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # let the blocked reader go before failing
        os.close(os.open(tmp_path / "pages" / "x.pdf", os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=5)
        raise AssertionError("indexing the site waited on a pipe")
    [index] = built
    assert "pages/x.pdf" in index.files and index.pages["pages/a.md"] == "/a/"
    stored = json.loads((tmp_path / ".naislint_cache" / "site-facts.json").read_text())["files"]
    assert "pages/x.pdf" not in stored and "pages/a.md" in stored


def test_cached_results_follow_changes_to_the_layouts(tmp_path: Path) -> None:
    """heading-structure reports a body h1 only under a layout that prints the title as
    h1: a layout edit changes the report though no page changed, in a cached run as in
    a fresh one (and within one process, as in the language server)."""
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "_layouts").mkdir()
    layout = tmp_path / "_layouts" / "page.html"
    layout.write_text("<main>{{ content }}</main>\n")
    (tmp_path / "page.md").write_text("---\ntitle: T\nlayout: page\npermalink: /p/\n---\n# Body title\n\nText.\n")

    def structure() -> list[tuple[str, int]]:
        linter = Linter(RunOptions(use_cache=True, jobs=1))
        result = linter.run(linter.discover([str(tmp_path / "page.md")]))
        return [(d.rule, d.line) for d in result.diagnostics if d.rule == "heading-structure"]

    assert structure() == []
    layout.write_text("<main><h1>{{ page.title }}</h1>{{ content }}</main>\n")
    assert structure() == [("heading-structure", 6)]
    layout.write_text("<main>{{ content }}</main>\n<!-- no title -->\n")
    assert structure() == []


def test_cached_results_follow_the_sites_stylesheet(tmp_path: Path) -> None:
    """The site's own style sheet hides the theme's title: the page's own h1 is then its
    only one. Editing the sheet changes the report of an unchanged page, cached or not."""
    (tmp_path / "_config.yml").write_text("title: t\ncustom_css_path: /misc/custom.css\n")
    (tmp_path / "_layouts").mkdir()
    (tmp_path / "_layouts" / "page.html").write_text("<section class=\"pagetitle\"><h1>{{ page.title }}</h1></section>{{ content }}\n")
    (tmp_path / "misc").mkdir()
    sheet = tmp_path / "misc" / "custom.scss"
    sheet.write_text(".other { color: red; }\n")
    (tmp_path / "page.md").write_text("---\ntitle: T\nlayout: page\npermalink: /p/\n---\n# Body title\n\nText.\n")

    def structure() -> list[tuple[str, int]]:
        linter = Linter(RunOptions(use_cache=True, jobs=1))
        result = linter.run(linter.discover([str(tmp_path / "page.md")]))
        return [(d.rule, d.line) for d in result.diagnostics if d.rule == "heading-structure"]

    assert structure() == [("heading-structure", 6)]
    sheet.write_text(".pagetitle { display: none; }\n")
    assert structure() == []


def test_a_warm_build_rewrites_no_facts_when_nothing_changed(tmp_path: Path, monkeypatch) -> None:
    """Only the walk's time would differ: the facts file is left as it is (a warm run
    rewrote the whole of it), and still trusted for a run over a few pages. A new file,
    or a tree the last walk saw still settling, is written."""
    from naislint.store import stamps

    make_site(tmp_path)
    stored = tmp_path / ".naislint_cache" / "site-facts.json"

    def written() -> tuple[int, int]:
        st = stored.stat()
        return st.st_ino, st.st_mtime_ns

    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)
    SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    first = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))  # the cache folder made the root change
    before = written()
    again = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert written() == before and again.pages == first.pages
    assert SiteIndex.from_cache(str(tmp_path), str(tmp_path)) is not None  # the kept tree is trusted
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "n.md").write_text("---\ntitle: N\npermalink: /n/\n---\nText.\n")
    grown = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert written() != before and grown.pages["news/n.md"] == "/n/"
    assert "news" in json.loads(stored.read_text())["tree"]["folders"]
    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 3600 * 10**9)
    before = written()
    SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert written() != before  # the folders changed too recently to be trusted: a new walk time


def test_an_entry_a_few_page_run_trusts_unread_has_the_shape_the_index_unpacks(tmp_path: Path) -> None:
    """A run over a few pages takes every other file's facts from the cache unread
    (``FactsCache.trusted``); an entry of any other shape (a boolean for a number, a
    negative time, facts the index cannot unpack) is refused, so the run walks the site
    instead of failing on it."""
    from naislint.site.facts_cache import FactsCache

    page = ["page", "/a/", 2, ["x"], None, [], False, "A"]
    good = {"file": [1, 2, 3, 4, 5, ["file", "/img.png"], "d"], "page": [1, 2, 3, 4, 5, page, None]}
    bad = {
        "bool stamp": [True, 2, 3, 4, 5, ["file", "/img.png"], "d"],
        "negative taken": [1, 2, 3, 4, -1, ["file", "/img.png"], "d"],
        "digest number": [1, 2, 3, 4, 5, ["file", "/img.png"], 7],
        "file without path": [1, 2, 3, 4, 5, ["file"], "d"],
        "file path number": [1, 2, 3, 4, 5, ["file", 3], "d"],
        "page url relative": [1, 2, 3, 4, 5, ["page", "a/", 2, None, None, [], False, None], None],
        "short": [1, 2, 3, 4, 5, ["skip"]],
        "not a list": {"facts": 1},
    }
    cache = FactsCache(None, str(tmp_path), [])
    cache.old = {**good, **bad}
    assert cache.trusted("file") == ["file", "/img.png"]
    assert cache.trusted("page") == page
    for name in bad:
        assert cache.trusted(name) is None, name
    assert set(cache.new) == {"file", "page"}
    assert cache.trusted("missing") is None
