"""A small Jekyll site for the tests of the site index and its caches: two pages, one
linking to the other's heading, and ``others`` pages that link nowhere."""

from __future__ import annotations

from pathlib import Path


def make_site(root: Path, others: int) -> None:
    (root / "_config.yml").write_text("title: t\npermalink: none\n")
    (root / "pages").mkdir()
    (root / "pages" / "a.md").write_text("---\ntitle: A\npermalink: /a/\n---\n## Heading A\n\nSee [b](/b/#part).\n")
    (root / "pages" / "b.md").write_text("---\ntitle: B\npermalink: /b/\n---\n## Part\n\nText.\n")
    for i in range(others):
        (root / "pages" / f"p{i}.md").write_text(f"---\ntitle: P{i}\npermalink: /p{i}/\n---\nText.\n")
