"""The parts of the server's site features that need no client: where a link destination
is being typed, how completions rank, page titles, and the file watcher."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from naislint.lsp.completion import Catalog, LinkContext, complete_urls, distance, link_context
from naislint.lsp.watch import Watcher, ignored, snapshot
from naislint.site.index import SiteIndex
from naislint.site.titles import title_of


@pytest.mark.parametrize("line, yaml, expected", [
    ("See [the form](/feed", False, (15, "/feed", False)),
    ("![logo](/images/lo", False, (8, "/images/lo", True)),
    ("[a](/x/) then [b](", False, (18, "", False)),
    ('<a class="x" href="/about/#te', False, (19, "/about/#te", False)),
    ("<img alt='' src='/im", False, (17, "/im", True)),
    ("[label]: /about", False, (9, "/about", False)),
    ("    url: /faq", True, (9, "/faq", False)),
    ("  - image-url: '/images/a", True, (16, "/images/a", True)),
    ("    url: /faq", False, None),
    ("    title: /faq", True, None),
    ("[a](/x/) and more", False, None),
    ('<a href="/x/">text', False, None),
])
def test_link_context(line: str, yaml: bool, expected) -> None:
    text = "---\ntitle: T\n---\n" + line
    ctx = link_context(text, len(text), yaml)
    base = len("---\ntitle: T\n---\n")
    if expected is None:
        assert ctx is None
    else:
        assert (ctx.start - base, ctx.typed, ctx.image) == expected


def test_distance() -> None:
    assert distance(("news",), ("news",)) == 0
    assert distance(("news", "2024"), ("news",)) == 1
    assert distance(("news",), ("about", "team")) == 3


def _site(root: Path) -> SiteIndex:
    (root / "_config.yml").write_text("title: T\n")
    files = {
        "news/a.md": "---\ntitle: Story A\npermalink: /news/a/\n---\n",
        "news/2024/b.md": "---\ntitle: 'Story: B'\npermalink: /news/2024/b/\n---\n",
        "about/team.md": "---\ntitle: Team\npermalink: /about/team/\n---\n",
        "images/news.png": "png",
        "assets/css/site.css": "css",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return SiteIndex.build(str(root))


def test_completion_ranks_by_prefix_kind_and_proximity(tmp_path: Path) -> None:
    site = _site(tmp_path)
    from naislint.site.titles import page_titles

    catalog = Catalog(site, page_titles(site))
    assert "/assets/css/site.css" not in [c.url for c in catalog.candidates]  # machinery, not content
    items, cut = complete_urls(catalog, LinkContext(0, "", False), "/news/a/")
    assert [(i.label, i.detail) for i in items] == [
        ("/news/a/", "Story A"), ("/news/2024/b/", "Story: B"), ("/about/team/", "Team"), ("/images/news.png", "image")]
    assert not cut
    # What is typed: URLs that start with it, then those that hold it.
    items, _ = complete_urls(catalog, LinkContext(0, "/news", False), "/about/team/")
    assert [i.label for i in items] == ["/news/a/", "/news/2024/b/", "/images/news.png"]
    # An image: images first.
    items, _ = complete_urls(catalog, LinkContext(0, "", True), "/news/a/")
    assert items[0].label == "/images/news.png"


@pytest.mark.parametrize("text, title", [
    ("---\ntitle: Plain title\n---\n", "Plain title"),
    ("---\nlayout: x\ntitle: \"Quoted: yes\"\n---\n", "Quoted: yes"),
    ("---\ntitle: 'It''s'\n---\n", "It's"),
    ("---\ndescription: x\n---\ntitle: not front matter\n", None),
    ("no front matter\ntitle: x\n", None),
    ("\ufeff---\r\ntitle: BOM and CRLF\r\n---\r\n", "BOM and CRLF"),
])
def test_title_of(text: str, title: str | None) -> None:
    assert title_of(text) == title


def test_ignored_paths() -> None:
    assert ignored("/s/.naislint_cache/site-facts.json")
    assert ignored("/s/_site/index.html")
    assert ignored("/s/cache/x.json", ["/s/cache"])
    assert not ignored("/s/pages/a.md", ["/s/cache"])


def test_snapshot_skips_tool_folders_and_links(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("b")
    (tmp_path / "loop").symlink_to(tmp_path)
    found = snapshot([str(tmp_path)])
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in found) == ["a.md", "loop", "sub/b.md"]


def test_polling_watcher_reports_pages_but_not_its_own_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    seen: list[str] = []
    arrived = threading.Event()

    def changed(paths: list[str]) -> None:
        seen.extend(paths)
        arrived.set()

    watcher = Watcher(changed, "poll", skip=[str(cache)])
    watcher.watch([str(tmp_path)])
    try:
        assert watcher.backend == "polling"
        time.sleep(0.2)  # the first walk
        (cache / "facts.json").write_text("{}")
        (tmp_path / ".naislint_cache").mkdir()
        (tmp_path / ".naislint_cache" / "site-facts.json").write_text("{}")
        (tmp_path / "new.md").write_text("---\n---\n")
        assert arrived.wait(5.0)
        time.sleep(0.6)
        assert seen == [str(tmp_path.resolve() / "new.md")]
    finally:
        watcher.stop()
