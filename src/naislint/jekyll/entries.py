"""Which files Jekyll reads: its ``EntryFilter``, and the one walk over a site's folders.

Discovery (which files a run lints) and the site index (which files the site has) both
ask :meth:`EntryFilter.reads`, so a page is linted exactly when the index knows it.
The rules are those of Jekyll 4.3 (``lib/jekyll/entry_filter.rb``, ``reader.rb``,
``collection.rb``):

- Jekyll walks the site folder by folder and filters each folder's entries by name: an
  entry ending in ``.`` is dropped; one that ``include`` names is kept, even when it is
  special or excluded; one that ``exclude`` names is dropped; one starting with ``.``,
  ``_``, ``#`` or ``~`` or ending in ``~`` is dropped.
- ``exclude`` entries are matched against the path from the site root, with Ruby's
  ``File.fnmatch`` (no flags: ``*`` crosses ``/``), or as a plain prefix of that path
  (``exclude: [docs]`` drops ``docs/``, ``docs.md`` and ``docsite/``, but not
  ``guides/docs/``), or with a trailing ``/`` naming a folder. Jekyll adds its default
  excludes (``Gemfile``, ``node_modules``, ``vendor/bundle/`` ...: anchored at the root).
- ``include`` entries are matched against the entry's name (so ``include: [.well-known]``
  keeps such a folder at any depth); an ``include`` entry naming a file by its path is
  read wherever it is.
- ``<folder>/_posts/`` of every folder walked holds posts: every file below it whose path
  below ``_posts`` has no hidden part and passes the filter.
- ``_<label>/`` at the root is a collection folder when ``label`` is a collection: every
  file below it whose path below the folder passes the filter (the path as a whole and
  its last name are tested, so ``_docs/sub/_x.md`` is dropped, ``_docs/_sub/x.md`` too).

Symbolic links to folders are never followed, and a few folders that never hold pages
(version control, tool caches, build output, ``node_modules``) are never walked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterator

from naislint.globmatch import ruby_fnmatch

if TYPE_CHECKING:
    from naislint.jekyll.config import JekyllConfig

#: Folders never walked, at any depth: version control, tool caches, Jekyll's output.
#: Jekyll skips all of them too (special names; ``node_modules`` by its default exclude,
#: which anchors it at the root, but a nested one is a package, not pages).
ALWAYS_SKIPPED = frozenset(
    {".git", ".hg", ".svn", "node_modules", "_site", ".naislint_cache", ".jekyll-cache", ".sass-cache"}
)
_SPECIAL_LEADING = (".", "_", "#", "~")
#: How the files below a folder are read (:meth:`EntryFilter._mode`).
_TREE, _COLLECTION, _POSTS, _NONE = range(4)
#: Collections Jekyll does not read as collection folders.
_NOT_FOLDERS = ("posts", "data")


@dataclass(frozen=True)
class EntryFilter:
    """Jekyll's entry filter for one site (its ``include``, ``exclude``, collections)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    collections: frozenset[str] = frozenset()
    #: ``include`` entries as paths: Jekyll reads such a file wherever it is.
    include_paths: frozenset[str] = field(init=False, default=frozenset())
    #: (folder name, its parent) -> whether the folder is dropped; a site has few folders.
    _folders: dict = field(init=False, default_factory=dict, compare=False, repr=False)
    #: Folder -> how Jekyll reads what is below it (see :meth:`_mode`).
    _modes: dict = field(init=False, default_factory=dict, compare=False, repr=False)
    #: File -> whether Jekyll reads it: discovery and the site index ask of every file.
    _reads: dict = field(init=False, default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        paths = frozenset(p.strip("/") for p in self.include if p.strip("/"))
        object.__setattr__(self, "include_paths", paths)

    @classmethod
    def for_site(cls, config: "JekyllConfig") -> "EntryFilter":
        """The filter of a site's configuration (Jekyll filters with ``exclude - include``)."""
        include = tuple(config.include)
        exclude = tuple(x for x in config.exclude if x not in include)
        labels = frozenset(k for k in config.collections if k not in _NOT_FOLDERS)
        return cls(include, exclude, labels)

    # -- Jekyll's EntryFilter#filter, for one entry ------------------------------------

    def rejects(self, entry: str, base: str, is_dir: bool) -> bool:
        """Whether Jekyll drops ``entry`` (a name, or a path below ``base``) when it
        filters the entries of the folder ``base`` (relative to the site root)."""
        if is_dir:
            known = self._folders.get((entry, base))
            if known is None:
                known = self._folders[(entry, base)] = self._rejects(entry, base, True)
            return known
        return self._rejects(entry, base, False)

    def _rejects(self, entry: str, base: str, is_dir: bool) -> bool:
        if entry.endswith("."):
            return True
        included = self._included(entry, is_dir)
        if not included and self._excluded(f"{base}/{entry}" if base else entry, is_dir):
            return True
        if included:
            return False
        name = entry.rsplit("/", 1)[-1]
        return entry.startswith(_SPECIAL_LEADING) or name.startswith(_SPECIAL_LEADING) or entry.endswith("~")

    def _included(self, entry: str, is_dir: bool) -> bool:
        name = entry.rsplit("/", 1)[-1]
        if name == entry:  # a plain name: one test says both
            return _glob_include(self.include, entry, is_dir)
        return _glob_include(self.include, entry, is_dir) or _glob_include(self.include, name, is_dir)

    def _excluded(self, path: str, is_dir: bool) -> bool:
        return _glob_include(self.exclude, path, is_dir)

    # -- whole paths -------------------------------------------------------------------

    def reads(self, rel: str) -> bool:
        """Whether Jekyll reads the file at ``rel`` (``/``-separated, from the site root)
        as a page, post, collection document or static file."""
        known = self._reads.get(rel)
        if known is None:
            known = self._reads[rel] = self._reads_file(rel)
        return known

    def _reads_file(self, rel: str) -> bool:
        if rel in self.include_paths:
            return True  # Reader#read_included_excludes
        parent, _, name = rel.rpartition("/")
        mode = self._mode(parent)
        if mode == _TREE:
            return not self.rejects(name, parent, False)
        if mode == _COLLECTION:
            top, _, below = rel.partition("/")
            return not self.rejects(below, top, False)
        if mode == _POSTS:
            at = ("/" + rel).find("/_posts/")  # the first: below it, names are not walked
            folder, below = rel[: at + 6], rel[at + 7 :]
            return not name.startswith(".") and not self.rejects(below, folder, False)
        return False

    def may_hold(self, rel: str) -> bool:
        """Whether Jekyll may read some file below the folder ``rel``: ``False`` only
        when :meth:`reads` is false for every path below it, so a walk can skip it."""
        if self._mode(rel) != _NONE:
            return True
        return any(p.startswith(rel + "/") for p in self.include_paths)

    def _mode(self, folder: str) -> int:
        """How Jekyll reads the files below ``folder``: folder by folder (``_TREE``), as
        a collection (``_COLLECTION``) or as posts (``_POSTS``), or not at all.

        Kept per folder, and worked out from the nearest folder above already known, so a
        walk pays one step per folder however deep it goes."""
        modes = self._modes
        known = modes.get(folder)
        if known is not None:
            return known
        pending = []
        current = folder
        while current and current not in modes:
            pending.append(current)
            current = current.rpartition("/")[0]
        mode = modes[current] if current else _TREE
        for path in reversed(pending):
            parent, _, name = path.rpartition("/")
            if mode == _TREE:
                if not parent and self._collection_folder(name):
                    mode = _COLLECTION
                elif name == "_posts":
                    mode = _POSTS
                elif self.rejects(name, parent, True):
                    mode = _NONE
            elif mode == _POSTS and name.startswith("."):
                mode = _NONE  # Dir["**/*"] lists no hidden entry
            modes[path] = mode
        return mode

    def _collection_folder(self, name: str) -> bool:
        return name.startswith("_") and name[1:] in self.collections


def _glob_include(patterns: tuple[str, ...], entry: str, is_dir: bool) -> bool:
    """Jekyll's ``EntryFilter#glob_include?``: both sides are joined to the site source,
    then compared by ``File.fnmatch``, as a string prefix, or as a folder with ``/``."""
    path = "/" + entry.lstrip("/")
    for joined, wild in _prepared(patterns):
        if path.startswith(joined) or (is_dir and joined == path + "/") or (wild and ruby_fnmatch(joined, path)):
            return True
    return False


@lru_cache(maxsize=64)
def _prepared(patterns: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """Each pattern joined to the root, and whether it has wildcards (without them,
    ``File.fnmatch`` is equality, which the prefix test already covers)."""
    return tuple(("/" + p.lstrip("/"), any(c in p for c in "*?[\\")) for p in patterns)


# -- walking ----------------------------------------------------------------------------


def walk(
    top: str,
    skip_dir: Callable[[str, str], bool] = lambda rel, path: False,
    unreadable: "Callable[[str, str, OSError], None] | None" = None,
    listing: "Callable[[str, str], None] | None" = None,
) -> Iterator[tuple[str, "os.DirEntry[str]"]]:
    """``(rel, entry)`` for every file below ``top``, ``rel`` relative to it with ``/``.

    In sorted order by name, a folder's files where the folder sorts among its siblings
    (as a recursive walk gives them), with an explicit stack, so that depth costs no
    recursion. Links to folders are not followed (a link loop cannot hang the walk);
    ``skip_dir(rel, path)`` prunes a folder, :data:`ALWAYS_SKIPPED` names always are, and a
    folder that cannot be listed is given to ``unreadable(rel, path, error)``, and each
    folder is given to ``listing(rel, path)`` just before it is listed.
    """
    first = _listing(top, "", unreadable, listing)
    if first is None:
        return
    stack: list[tuple[str, Iterator["os.DirEntry[str]"]]] = [("", iter(first))]
    while stack:
        prefix, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        rel = prefix + entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if not is_dir:
            yield rel, entry
        elif entry.name not in ALWAYS_SKIPPED and not skip_dir(rel, entry.path):
            listed = _listing(entry.path, rel, unreadable, listing)
            if listed is not None:
                stack.append((rel + "/", iter(listed)))


def _listing(
    path: str,
    rel: str,
    unreadable: "Callable[[str, str, OSError], None] | None",
    listing: "Callable[[str, str], None] | None" = None,
) -> "list[os.DirEntry[str]] | None":
    if listing is not None:
        listing(rel, path)
    try:
        with os.scandir(path) as found:
            return sorted(found, key=lambda e: e.name)
    except OSError as exc:
        if unreadable is not None:
            unreadable(rel, path, exc)
        return None


def never_walked(rel: str) -> bool:
    """Whether a file at ``rel`` lies in a folder :func:`walk` never enters."""
    return any(part in ALWAYS_SKIPPED for part in rel.split("/")[:-1])


def relative_to(path: str, root: str | None) -> str:
    """``path`` relative to ``root`` with ``/`` separators (the basename when outside)."""
    absolute = os.path.abspath(path)
    if root is None:
        return os.path.basename(absolute)
    prefix = root.rstrip(os.sep) + os.sep
    if not absolute.startswith(prefix):
        return os.path.basename(absolute)
    rel = absolute[len(prefix):]
    return rel.replace(os.sep, "/") if os.sep != "/" else rel
