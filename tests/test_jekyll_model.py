"""The Jekyll site model: front matter defaults, permalink placeholders, redirects and the
Liquid tags and filters that give a URL, each as Jekyll 4 documents and implements it."""

from __future__ import annotations

from pathlib import Path

from naislint.jekyll import defaults, permalinks
from naislint.site import SiteIndex, urls
from naislint.site.resolve import expand_tags


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_defaults_more_specific_scope_wins() -> None:
    sets = defaults.valid_sets({"defaults": [
        {"scope": {"path": "docs"}, "values": {"layout": "a", "permalink": "/x/"}},
        {"scope": {"path": ""}, "values": {"layout": "b", "published": False}},
        {"scope": {"path": "docs", "type": "pages"}, "values": {"layout": "c"}},
        {"scope": {"path": "docs/*/old.md"}, "values": {"published": True}},
        "not a set",
    ]})
    assert defaults.defaults_for(sets, "docs/a.md", "pages") == {"layout": "c", "permalink": "/x/", "published": False}
    assert defaults.defaults_for(sets, "docs/a/old.md", "pages")["published"] is True
    assert defaults.defaults_for(sets, "docs/a.md", "posts")["layout"] == "a"
    # A path scope is a string prefix, as Jekyll's path_is_subpath? tests it.
    assert defaults.defaults_for(sets, "docsy/a.md", "pages")["layout"] == "c"
    assert defaults.defaults_for(sets, "other.md", "pages") == {"layout": "b", "published": False}


def test_permalink_placeholders() -> None:
    values = permalinks.document_values(
        "blog/_posts/2024-03-09-A Day Out.md", "posts", {"categories": "News"}, ".html", ["blog"]
    )
    assert permalinks.expand("/:categories/:year/:month/:day/:title/", values) == "/news/blog/2024/03/09/A-Day-Out/"
    assert permalinks.expand("/:slug:output_ext", values) == "/a-day-out.html"
    assert permalinks.expand("/:year/W:week/:short_day/:name", values) == "/2024/W10/Sat/2024-03-09-a-day-out"
    assert permalinks.expand("/:unknown/", values) is None


def test_site_model_urls(tmp_path: Path) -> None:
    _write(tmp_path, {
        "_config.yml": (
            "collections:\n  guides:\n    output: true\n    permalink: /g/:name/\n"
            "  posts:\n    permalink: /news/:year/:title/\n"
            "defaults:\n  - scope: {path: '', type: guides}\n    values: {permalink: '/guide/:path/'}\n"
            "  - scope: {path: hidden}\n    values: {published: false}\n"
        ),
        "_guides/deep/one.md": "---\n---\n",
        "_posts/2023-01-02-first.md": "---\n---\n",
        "hidden/page.md": "---\n---\n",
        "about.md": "---\nredirect_from: [/about-us/, /old/about.html]\n---\n",
        "go.md": "---\nredirect_to: https://example.org/\n---\n",
        "other.md": "---\npermalink: /about-us/\n---\n",
    })
    index = SiteIndex.build(str(tmp_path))
    assert index.pages["_guides/deep/one.md"] == "/guide/deep/one/"  # a default permalink beats the collection's
    assert index.pages["_posts/2023-01-02-first.md"] == "/news/2023/first/"
    assert index.unpublished["hidden/page.md"] == "/hidden/page.html"
    assert index.lookup("/old/about.html") is not None and index.lookup("/old/about.html").rel == "about.md"
    assert "go.md" in index.redirecting
    # A redirect is no page of its own: it does not conflict with the page at that URL.
    assert index.conflicts("other.md") == []
    assert index.link_tag_url("_guides/deep/one.md") == "/guide/deep/one/"
    assert index.post_url("2023-01-02-first") == "/news/2023/first/"
    assert index.post_url("2023-1-2-first") == "/news/2023/first/"  # Jekyll's fallback by date and slug
    assert index.post_url("2023-01-02-second") is None


def test_liquid_destinations(tmp_path: Path) -> None:
    _write(tmp_path, {"_config.yml": "baseurl: /base\n", "a/b.md": "---\n---\n", "f.pdf": "x"})
    index = SiteIndex.build(str(tmp_path))
    assert expand_tags("{% link a/b.md %}#x", index) == ("/base/a/b.html#x", None)
    assert expand_tags("{%- link /f.pdf -%}", index) == ("/base/f.pdf", None)
    assert expand_tags("{% link /a/b.md %}", index)[1] is not None  # a page's path has no leading slash
    assert expand_tags("{% link {{ page.x }} %}", index) == ("{% link {{ page.x }} %}", None)
    assert urls.classify("{{ 'a/b/' | relative_url }}").path == "/a/b/"
    assert urls.classify("{{ 'a/b/' | prepend: site.baseurl }}").path == "a/b/"
    assert urls.classify("{{ site.url }}{{ site.baseurl }}/x/").path == "/x/"
    assert urls.classify("{{ page.url }}/x/").kind == "liquid"


def test_block_attribute_lists_give_ids() -> None:
    """kramdown gives the id of an IAL to any block or span, among classes and ``id=``
    (checked with kramdown: ``<p class="note" id="tip">``); an ALD definition gives none."""
    from naislint.page.anchors import page_anchors

    text = (
        "A para.\n{: .note #tip}\n\nOther\n{: id=\"given\" .x}\n\n> quote\n{: #q}\n\n"
        "## Head {#hid}\n\ntext *span*{: #sp .c}\n\n{:ref: #not-applied}\n"
    )
    assert sorted(set(page_anchors(text))) == ["given", "hid", "q", "sp", "tip"]


def test_html_source_pages_have_anchors(tmp_path: Path) -> None:
    _write(tmp_path, {
        "_config.yml": "title: t\n",
        "team.html": "---\npermalink: /team/\n---\n<h2 id=\"core\">Core</h2>\n<a name=\"emeritus\"></a>\n",
        "index.md": "---\n---\n[core](/team/#core) [emeritus](/team/#emeritus) [no](/team/#nobody)\n",
    })
    from naislint.run.engine import Linter, RunOptions

    linter = Linter(RunOptions(use_cache=False, select=("broken-anchor",)))
    result = linter.run(linter.discover([str(tmp_path)]))
    assert [(d.rule, d.line, d.column) for d in result.diagnostics] == [("broken-anchor", 3, 54)]
