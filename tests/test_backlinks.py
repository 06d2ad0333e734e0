"""The reverse link index: which unchanged pages a change breaks, and only those."""

from __future__ import annotations

from pathlib import Path

from naislint.site.backlinks import dependents, vanished
from naislint.site.references import ReferenceIndex
from naislint.site.index import SiteIndex


def page(permalink: str, body: str) -> str:
    return f"---\ntitle: P\npermalink: {permalink}\n---\n{body}"


def _site(root: Path, files: dict[str, str | bytes]) -> SiteIndex:
    (root / "_config.yml").write_text("title: T\n")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return SiteIndex.build(str(root))


def test_deleted_static_file_breaks_its_links(tmp_path: Path) -> None:
    site = _site(tmp_path, {
        "a.md": page("/a/", "Get [the form](/files/form.pdf).\n"),
        "b.md": page("/b/", "Get [another](/files/other.pdf).\n"),
        "files/other.pdf": b"%PDF",
    })
    assert vanished(site, {"files/form.pdf": None}).keys == {"/files/form.pdf": None}
    assert dependents(site, {"files/form.pdf": None}) == {"a.md": {5}}


def test_lost_anchor_through_url_and_source_links(tmp_path: Path) -> None:
    old = page("/guide/", "## Old name\n\n## Kept\n").encode()
    site = _site(tmp_path, {
        "guide.md": page("/guide/", "## New name\n\n## Kept\n"),
        "by-url.md": page("/by-url/", "[x](/guide/#old-name)\n\n[y](/guide/#kept)\n"),
        "by-source.md": page("/by-source/", "[x](guide.md#old-name)\n"),
        "plain.md": page("/plain/", "[x](/guide/)\n"),
    })
    lost = vanished(site, {"guide.md": old})
    assert lost.keys == {"/guide": frozenset({"old-name"})}
    assert lost.sources == {"guide.md": frozenset({"old-name"})}
    assert dependents(site, {"guide.md": old}, exclude=["guide.md"]) == {"by-url.md": {5}, "by-source.md": {5}}


def test_unchanged_url_and_anchors_break_nothing(tmp_path: Path) -> None:
    old = page("/guide/", "## Kept\n\nOld text.\n").encode()
    site = _site(tmp_path, {"guide.md": page("/guide/", "## Kept\n\nNew text.\n"),
                            "by-url.md": page("/by-url/", "[x](/guide/#kept)\n")})
    assert not vanished(site, {"guide.md": old})
    assert dependents(site, {"guide.md": old}) == {}


def test_relative_links_and_prose_mentions(tmp_path: Path) -> None:
    """A relative link is found; a page that only mentions the word in prose is not read
    for links at all (the text filter), and would not be reported anyway."""
    old = page("/news/resources/", "## R\n").encode()
    site = _site(tmp_path, {
        "news/index.md": page("/news/", "[r](resources/)\n"),
        "news/up.md": page("/news/up/", "[r](../resources/)\n"),
        "prose.md": page("/prose/", "Our resources are many.\n"),
        "news/resources.md": page("/news/moved/", "## R\n"),
    })
    assert dependents(site, {"news/resources.md": old}, exclude=["news/resources.md"]) == {
        "news/index.md": {5}, "news/up.md": {5}}
    needles = vanished(site, {"news/resources.md": old}).needles()
    assert needles is not None
    assert needles.pattern.search("[r](resources/)") and needles.pattern.search('href="/news/resources"')
    assert not needles.pattern.search("Our resources are many.")
    assert [rel for rel, _source, _text in ReferenceIndex(site).candidates(needles)
            if rel.endswith(".md")] == ["news/index.md", "news/up.md"]
