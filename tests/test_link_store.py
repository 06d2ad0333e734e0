"""The reverse link index kept on disk: the same answers as reading every file, without
reading the files that did not change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from naislint.site import references
from naislint.site.backlinks import dependents
from naislint.site.index import SiteIndex
from naislint.site.link_store import FILE_NAME, LinkStore, destination_words
from naislint.site.references import Needles, ReferenceIndex
from naislint.store import stamps

NAMES = ["faq", "faq.html", "a-b", "Guide", "r%C3%A9sum%C3%A9", "x.y"]
PIECES = st.sampled_from(
    ["/", "(", ")", '"', "'", "<", ">", "=", "]:", "]: ", " ", "\n", ".", "#", "?", "./", "{%", "%}",
     "faq", "FAQ", "faqs", "a-b", "guide", "x.y", "x", "md", ".md", "html", "résumé", "r%C3%A9sum%C3%A9"])


@given(st.lists(PIECES, max_size=14).map("".join), st.lists(st.sampled_from(NAMES), min_size=1, max_size=3))
def test_destination_words_filter_as_the_text_does(text: str, names: list[str]) -> None:
    """A file's stored words keep exactly the files the text filter keeps."""
    needles = Needles.for_targets(["/" + n for n in names], [])
    assert needles is not None
    words, open_ = destination_words(text)
    assert needles.may_have(words, open_) == needles.may_link(text, text.lower())


def page(permalink: str, body: str) -> str:
    return f"---\ntitle: P\npermalink: {permalink}\n---\n{body}"


def make_site(root: Path) -> None:
    (root / "_config.yml").write_text("title: T\n")
    (root / "pages").mkdir()
    (root / "pages" / "faq.md").write_text(page("/faq/", "## Ask\n"))
    (root / "pages" / "links.md").write_text(page("/links/", "See [the FAQ](/faq/).\n"))
    (root / "pages" / "anchor.md").write_text(page("/anchor/", "Text.\n\n[ask](/faq/#ask)\n"))
    for i in range(10):
        (root / "pages" / f"p{i}.md").write_text(page(f"/p{i}/", "Nothing [here](/p0/).\n"))


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled at once (no clock-tick wait)."""
    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    original = references.read_site_file

    def counting(root: str, rel: str) -> str | None:
        reads.append(rel)
        return original(root, rel)

    monkeypatch.setattr(references, "read_site_file", counting)
    return reads


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parses: list[str] = []
    original = references.PageLinks.occurrences

    def counting(self, site, rel, text):  # type: ignore[no-untyped-def]
        parses.append(rel)
        return original(self, site, rel, text)

    monkeypatch.setattr(references.PageLinks, "occurrences", counting)
    return parses


def references_to(root: Path, target: str, fragment: str | None = None) -> list[tuple[str, int]]:
    site = SiteIndex.build(str(root))
    refs = ReferenceIndex(site, store=LinkStore.for_site(site, str(root)))
    found = sorted((r.occurrence.path, r.occurrence.line) for r in refs.references(target, fragment))
    refs.save()
    return found


def test_second_search_reads_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None) -> None:
    make_site(tmp_path)
    first = references_to(tmp_path, "pages/faq.md")
    assert first == [("pages/anchor.md", 7), ("pages/links.md", 5)]
    assert (tmp_path / ".naislint_cache" / FILE_NAME).is_file()
    reads, parses = count_reads(monkeypatch), count_parses(monkeypatch)
    assert references_to(tmp_path, "pages/faq.md") == first
    # the target itself names its URL in its front matter: a candidate for its own links
    assert [r for r in reads if r.endswith(".md")] == ["pages/anchor.md", "pages/faq.md", "pages/links.md"]
    assert parses == []  # their links were kept with the text they came from
    (tmp_path / "pages" / "p3.md").write_text(page("/p3/", "Now [see](/faq/) too.\n"))
    reads.clear()
    assert references_to(tmp_path, "pages/faq.md") == first + [("pages/p3.md", 5)]
    assert [r for r in reads if r.endswith(".md")] == [
        "pages/anchor.md", "pages/faq.md", "pages/links.md", "pages/p3.md"]
    assert parses == ["pages/p3.md"]


def test_without_a_store_every_page_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None) -> None:
    make_site(tmp_path)
    reads = count_reads(monkeypatch)
    site = SiteIndex.build(str(tmp_path))
    assert len(ReferenceIndex(site).references("pages/faq.md")) == 2
    assert len([r for r in reads if r.endswith(".md")]) == 13


def test_a_file_changed_within_the_clock_tick_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the settled clock, a file written just now cannot be proven unchanged by
    its stamp: it is read (and its new link found) though its size did not change."""
    make_site(tmp_path)
    assert references_to(tmp_path, "pages/faq.md") == [("pages/anchor.md", 7), ("pages/links.md", 5)]
    (tmp_path / "pages" / "p4.md").write_text(page("/p4/", "Nothing [faq!](/faq/).\n"))
    assert references_to(tmp_path, "pages/faq.md") == [
        ("pages/anchor.md", 7), ("pages/links.md", 5), ("pages/p4.md", 5)]


@pytest.mark.parametrize("payload", [
    b"\x00\x01",
    b"[]",
    json.dumps({"key": "other", "files": {}}).encode(),
])
def test_corrupt_or_foreign_store_is_rebuilt(tmp_path: Path, payload: bytes, settled: None) -> None:
    make_site(tmp_path)
    expected = references_to(tmp_path, "pages/faq.md")
    (tmp_path / ".naislint_cache" / FILE_NAME).write_bytes(payload)
    assert references_to(tmp_path, "pages/faq.md") == expected


def test_malformed_entries_are_dropped(tmp_path: Path, settled: None) -> None:
    """An entry with the wrong shape (a link row whose line is text, words that are not
    strings) is read again from the file, never trusted."""
    make_site(tmp_path)
    expected = references_to(tmp_path, "pages/faq.md")
    path = tmp_path / ".naislint_cache" / FILE_NAME
    data = json.loads(path.read_text())
    entry = data["files"]["pages/links.md"]
    entry[8][1][0][1] = "5"
    data["files"]["pages/anchor.md"][6] = ["faq"]
    path.write_text(json.dumps(data))
    store = LinkStore(str(tmp_path), str(tmp_path), None)
    store.key = data["key"]
    store._load()
    assert store.links("pages/links.md", (tmp_path / "pages" / "links.md").read_text()) is None
    assert store.words("pages/anchor.md") is None
    assert "pages/links.md" not in store.entries and "pages/anchor.md" not in store.entries
    assert references_to(tmp_path, "pages/faq.md") == expected


def test_dependents_use_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None) -> None:
    """The pages a permalink change breaks, found through the store: the second time,
    only the pages that link there are read."""
    make_site(tmp_path)
    old = (tmp_path / "pages" / "faq.md").read_bytes()
    (tmp_path / "pages" / "faq.md").write_text(page("/questions/", "## Ask\n"))
    site = SiteIndex.build(str(tmp_path))
    expected = {"pages/links.md": {5}, "pages/anchor.md": {7}}
    assert dependents(site, {"pages/faq.md": old}, exclude=["pages/faq.md"], cache_dir=str(tmp_path)) == expected
    reads = count_reads(monkeypatch)
    assert dependents(site, {"pages/faq.md": old}, exclude=["pages/faq.md"], cache_dir=str(tmp_path)) == expected
    assert sorted(r for r in reads if r.endswith(".md")) == ["pages/anchor.md", "pages/links.md"]


def test_dependents_lost_anchor_through_the_store(tmp_path: Path, settled: None) -> None:
    make_site(tmp_path)
    old = (tmp_path / "pages" / "faq.md").read_bytes()
    (tmp_path / "pages" / "faq.md").write_text(page("/faq/", "## Asked\n"))
    site = SiteIndex.build(str(tmp_path))
    for _ in range(2):
        assert dependents(site, {"pages/faq.md": old}, cache_dir=str(tmp_path)) == {"pages/anchor.md": {7}}
