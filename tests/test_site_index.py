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
