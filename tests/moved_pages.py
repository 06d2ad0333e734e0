"""A site in a git repository whose last change breaks pages it does not touch.

Shared by the ``--changed-since`` and pre-commit tests: one commit changes a permalink,
renames a page, deletes another and rewrites a heading; four unchanged pages link to
what went away, and two others (one already broken before) must not be reported.
"""

from __future__ import annotations

from pathlib import Path


def page(permalink: str | None, body: str) -> str:
    """A page with clean front matter; its body starts on line 6 (5 with no permalink)."""
    link = f"permalink: {permalink}\n" if permalink else ""
    return f"---\ntitle: Page\n{link}description: A page.\n---\n{body}"


BEFORE = {
    "site/_config.yml": "title: T\n",
    "site/moved.md": page("/moved/", "## Moved\n"),
    "site/renamed.md": page(None, "## Renamed\n"),
    "site/deleted.md": page("/deleted/", "## Deleted\n"),
    "site/retitled.md": page("/retitled/", "## Old heading\n\n## Other\n"),
    "site/elsewhere.md": page("/elsewhere/", "## Elsewhere\n"),
    "site/to-moved.md": page("/to-moved/", "Text.\n\nSee [moved](/moved/).\n"),
    "site/to-renamed.md": page("/to-renamed/", "See [by URL](/renamed.html).\n\nAnd [by source](renamed.md).\n"),
    "site/to-deleted.md": page("/to-deleted/", "Gone: [deleted](/deleted/).\n"),
    "site/to-anchor.md": page("/to-anchor/", "See [old](/retitled/#old-heading).\n"),
    "site/bystander.md": page("/bystander/", "[a](/retitled/) [b](/retitled/#other) [c](/elsewhere/)\n"),
    "site/already-broken.md": page("/already-broken/", "[nowhere](/nowhere/)\n"),
}
AFTER = {
    "site/moved.md": page("/moved-here/", "## Moved\n"),
    "site/pages/fresh.md": page(None, "## Renamed\n"),
    "site/retitled.md": page("/retitled/", "## New heading\n\n## Other\n"),
}
REMOVED = ("site/renamed.md", "site/deleted.md")
#: (path, line) of every link the change breaks.
BROKEN = {
    ("site/to-moved.md", 8),
    ("site/to-renamed.md", 6),
    ("site/to-renamed.md", 8),
    ("site/to-deleted.md", 6),
    ("site/to-anchor.md", 6),
}


def write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def change(repo: Path) -> None:
    """Apply the change to the work tree (``git add -A`` stages it)."""
    write(repo, AFTER)
    for name in REMOVED:
        (repo / name).unlink()
