"""The site index: Jekyll's URLs, lookups, suggestions, and that it pickles."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from naislint.site import SiteIndex, urls

SITE = Path(__file__).parent / "fixtures" / "broken-link" / "site"


@pytest.fixture(scope="module")
def index() -> SiteIndex:
    return SiteIndex.build(str(SITE))


def test_default_urls_follow_jekyll(index: SiteIndex) -> None:
    assert index.pages["pages/no-permalink.md"] == "/pages/no-permalink.html"
    assert index.pages["_projects/alpha.md"] == "/projects/alpha.html"
    assert index.pages["news/press/_posts/2024-01-05-Hello-World.md"] == "/news/press/Hello-World.html"
    assert index.pages["pages/about.md"] == "/about-us/"
    assert index.unpublished["_notes/a-note.md"] == "/notes/a-note/"
    assert "private/page.md" not in index.pages  # excluded in _config.yml
    assert "files/Annual Report 2024.pdf" in index.files
    assert "_config.yml" not in index.files


def test_pretty_style_and_posts(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("permalink: pretty\n")
    (tmp_path / "blog" / "_posts").mkdir(parents=True)
    (tmp_path / "blog" / "_posts" / "2024-03-09-A Day Out.md").write_text("---\ncategories: News\n---\n")
    (tmp_path / "about.md").write_text("---\ntitle: About\n---\n")
    (tmp_path / "blog" / "_posts" / "notes.md").write_text("---\n---\n")  # undated: not a post
    idx = SiteIndex.build(str(tmp_path))
    assert idx.pages["about.md"] == "/about/"
    assert idx.pages["blog/_posts/2024-03-09-A Day Out.md"] == "/news/blog/2024/03/09/A-Day-Out/"
    assert "blog/_posts/notes.md" not in idx.pages


@pytest.mark.parametrize(
    "url",
    ["/about-us/", "/about-us", "/about-us/index.html", "/about-us.html", "/files/Annual Report 2024.pdf"],
)
def test_lookup_forms(index: SiteIndex, url: str) -> None:
    assert index.lookup(url) is not None


def test_suggestions(index: SiteIndex) -> None:
    assert index.suggest("/About-Us/") == "/about-us/"
    assert index.suggest("/abuot-us/") == "/about-us/"
    assert index.suggest("/setup/") == "/guides/setup/"
    assert index.suggest("/completely/unrelated/") is None


def test_index_is_plain_data(index: SiteIndex) -> None:
    copy = pickle.loads(pickle.dumps(index))
    assert copy.pages == index.pages and copy.anchors == index.anchors


@pytest.mark.parametrize(
    ("page", "link", "want"),
    [
        ("/a/b/", "c", "/a/b/c"),
        ("/a/b", "c", "/a/c"),
        ("/a/b/", "../x/", "/a/x/"),
        ("/a/", "/files/a%20b.pdf", "/files/a b.pdf"),
        ("/a/", "/x/%E2%80%99s", "/x/\u2019s"),
    ],
)
def test_resolve(page: str, link: str, want: str) -> None:
    assert urls.resolve(page, link) == want


@pytest.mark.parametrize(
    ("link", "kind"),
    [
        ("mailto:a@b.c", "external"), ("tel:123", "external"), ("sms:123", "external"),
        ("https://x.org/", "external"), ("//cdn.x.org/a.js", "external"), ("#top", "fragment"),
        ("{{ page.url }}", "liquid"), ("{{ site.baseurl }}/x/", "internal"),
        ("{{ '/x/' | relative_url }}", "internal"), ("/x/?a=1#b", "internal"), ("", "empty"),
    ],
)
def test_classify(link: str, kind: str) -> None:
    assert urls.classify(link).kind == kind


def _dated_site(root: Path) -> None:
    (root / "_config.yml").write_text(
        "collections:\n  notes:\n    output: true\n"
        "defaults:\n  - scope: {path: notes}\n    values: {layout: note}\n"
        "  - scope: {path: \"\"}\n    values: {layout: page}\n"
    )
    (root / "_notes").mkdir()
    (root / "_notes" / "first.md").write_text("---\ndate: 2024-03-09\n---\n# First\n")
    (root / "_posts").mkdir()
    (root / "_posts" / "2024-03-09-hello.md").write_text("---\ntitle: Hello\n---\n")


def test_date_placeholders_are_worked_out_only_for_templates_that_name_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A collection's ``/:collection/:path`` names no date: its dated documents' date
    fields are not formatted. A post's ``:year/:month/:day`` are."""
    from naislint.jekyll import permalinks

    _dated_site(tmp_path)
    dates: list[object] = []
    original = permalinks._date_values
    monkeypatch.setattr(permalinks, "_date_values", lambda date: dates.append(date) or original(date))
    idx = SiteIndex.build(str(tmp_path))
    assert idx.pages["_notes/first.md"] == "/notes/first.html"
    assert idx.pages["_posts/2024-03-09-hello.md"] == "/2024/03/09/hello.html"
    assert len(dates) == 1  # the post's
    import datetime

    meta = {"date": datetime.date(2024, 3, 9)}
    assert "year" not in permalinks.document_values("_notes/first.md", "notes", meta, ".html", [], frozenset({"path"}))
    assert permalinks.document_values("_notes/first.md", "notes", meta, ".html", [], frozenset({"year"}))["year"] == "2024"


def test_a_page_s_defaults_are_matched_once_and_its_url_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The link rules ask a page's URL and whether it is published several times: its
    defaults are matched once per path, and the URL the index worked out from the page's
    own front matter is given back; another front matter (an editor's buffer) gets its own."""
    from naislint.jekyll import defaults as jekyll_defaults
    from naislint.page.document import Document

    _dated_site(tmp_path)
    (tmp_path / "notes").mkdir()
    page = tmp_path / "notes" / "a.md"
    page.write_text("---\ntitle: A\npermalink: /a/\n---\n# A\n")
    matched: list[str] = []
    original = jekyll_defaults.defaults_for
    monkeypatch.setattr(jekyll_defaults, "defaults_for", lambda sets, rel, kind: matched.append(rel) or original(sets, rel, kind))
    idx = SiteIndex.build(str(tmp_path))
    assert matched.count("notes/a.md") == 1
    matched.clear()
    doc = Document.load(str(page))
    facts, _digest = idx.document_facts("notes/a.md", doc)
    assert facts[1] == "/a/" and matched == []
    assert "_urls" in idx.__dict__ and "_urls" not in pickle.loads(pickle.dumps(idx)).__dict__
    computed: list[str] = []
    url_for = idx._url_for
    monkeypatch.setattr(idx, "_url_for", lambda rel, *rest: computed.append(rel) or url_for(rel, *rest))
    for _ask in range(3):
        assert idx.url_of("notes/a.md", doc.meta) == "/a/"
        assert idx.is_published("notes/a.md", doc.meta)
    assert computed == [] and matched == []
    assert idx.url_of("notes/a.md", {"permalink": "/b/"}) == "/b/"
    assert computed == ["notes/a.md"] and matched == []
