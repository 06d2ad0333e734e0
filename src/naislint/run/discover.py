"""Which files a run lints, and which site each belongs to.

Folders are walked for ``*.md`` and ``*.markdown``, never following links to folders (a
link loop cannot hang the run). A file in a site is linted when Jekyll reads it
(:meth:`naislint.jekyll.EntryFilter.reads`, the test the site index makes) and the
config's ``exclude`` does not name it; a folder outside any site is read with Jekyll's
defaults, as ``jekyll build`` would read it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Iterator

from naislint import jekyll
from naislint.jekyll.entries import relative_to

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class Target:
    """A file to lint: where it is, how to show it, its site root (if any), and for a
    file found by walking a folder, that folder (where its results are cached when it
    belongs to no site and no configuration, as ruff caches in the folder it was run on)."""

    path: str
    display: str
    site_root: str | None
    walked_from: str | None = None


def display_path(path: str) -> str:
    """A path relative to the current folder when it is below it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def walk_markdown(
    folder: str,
    excluded: "Callable[[str, bool], bool]",
    unreadable: "Callable[[str, str, OSError], None] | None" = None,
) -> Iterator[str]:
    """Markdown files below ``folder`` in sorted order; ``excluded(path, is_dir)`` prunes.

    The walk is :func:`naislint.jekyll.walk` (no recursion, no links to folders), the
    one the site index makes; a folder that cannot be listed goes to ``unreadable``.
    """
    for _rel, entry in jekyll.walk(folder, lambda _rel, path: excluded(path, True), unreadable):
        if entry.name.endswith(MARKDOWN_SUFFIXES) and not excluded(entry.path, False):
            yield entry.path


__all__ = ["MARKDOWN_SUFFIXES", "Target", "display_path", "relative_to", "walk_markdown"]
