"""A site's YAML source that is not a page: ``_data/*.yml``, ``collection.yml``, ``_config.yml``.

An Isomer site's navbar (``_data/navigation.yml``), footer (``_data/footer.yml``), the
order of each collection's pages (``_<name>/collection.yml``) and the site's
settings (``_config.yml``) are edited through the CMS or by hand like the pages, and a
defect there shows on every page. Jekyll publishes none of these files: they are read
when the site is built. So they are linted as files of their own kind (``data``), with
their own rules, through the same run as the pages.

This module says which files those are and what kind each is, and finds them in a site;
:mod:`naislint.page.datafile` reads one into a :class:`DataFile` with every node's
position.
"""

from __future__ import annotations

import os
from typing import Iterator

from naislint.page.datafile import (
    CONFIG_LINK_KEYS, EXTRA_LINK_KEYS, LABELS, DataFile, get, items, load, mapping_items, scalar,
)

YAML_SUFFIXES = (".yml", ".yaml")
DATA_FOLDER = "_data"
COLLECTION_FILE = "collection.yml"
SITE_CONFIG = "_config.yml"

#: ``_data/<name>.yml`` files Isomer's theme reads, by kind.
ISOMER_DATA = {
    "navigation": "navigation",
    "footer": "footer",
    "homepage": "homepage",
    "contact-us": "contact-us",
}

#: ``_data/<name>.yml`` files the templates of Isomer's theme read (besides those above,
#: which have a schema): the first template's social media links, team, board,
#: milestones and homepage programmes. The theme prints their paths from the site's root
#: (``{{ site.baseurl }}{{ member.image-url }}``).
ISOMER_THEME_DATA = frozenset(ISOMER_DATA) | {"social-media", "our-team", "board-of-directors", "our-journey", "programmes"}


def isomer_theme_reads(rel: str) -> bool:
    """Whether Isomer's theme reads the data file at ``rel`` (so naislint knows how it
    prints each value)."""
    parts = rel.split("/")
    return len(parts) == 2 and parts[0] == DATA_FOLDER and parts[1].rsplit(".", 1)[0] in ISOMER_THEME_DATA


def data_name(rel: str) -> tuple[str, ...]:
    """The ``site.data`` path of the data file at ``rel``: ``("a", "b")`` for
    ``_data/a/b.yml``, as Jekyll's ``DataReader`` names it (the file's name without its
    suffix, stripped of what ``sanitize_filename`` drops)."""
    import re

    parts = rel.split("/")[1:]
    if parts:
        parts[-1] = parts[-1].rsplit(".", 1)[0]
    return tuple(re.sub(r"\s+", "_", re.sub(r"[^\w\s-]+", "", p).strip()) for p in parts)


def kind_of(rel: str) -> str | None:
    """The kind of the file at ``rel`` (``/``-separated, from the site root), or ``None``
    when it is not a data file of the site."""
    if rel == SITE_CONFIG:
        return "config"
    if not rel.endswith(YAML_SUFFIXES):
        return None
    parts = rel.split("/")
    if parts[0] == DATA_FOLDER and len(parts) >= 2:
        if any(p.startswith(".") for p in parts[1:]):
            return None
        if len(parts) == 2:
            stem = parts[1].rsplit(".", 1)[0]
            if stem in ISOMER_DATA:
                return ISOMER_DATA[stem]
        return "data"
    if len(parts) == 2 and parts[1] == COLLECTION_FILE and parts[0].startswith("_") and len(parts[0]) > 1:
        return "collection"
    return None


def kind_of_path(path: str, root: str | None) -> str | None:
    """:func:`kind_of` for a file system path in the site at ``root``."""
    if root is None:
        return None
    absolute = os.path.abspath(path)
    prefix = os.path.abspath(root).rstrip(os.sep) + os.sep
    if not absolute.startswith(prefix):
        real_prefix = os.path.realpath(root).rstrip(os.sep) + os.sep
        absolute = os.path.realpath(path)
        if not absolute.startswith(real_prefix):
            return None
        prefix = real_prefix
    return kind_of(absolute[len(prefix):].replace(os.sep, "/"))


def site_files(root: str) -> Iterator[str]:
    """The data files of the site at ``root`` (full paths), in a stable order:
    ``_config.yml``, each ``_<name>/collection.yml``, then ``_data`` (all its YAML files,
    its folders too, as Jekyll reads them). Only regular files, never through a link to a
    folder (the walk does not follow those)."""
    from naislint.jekyll.entries import walk

    config = os.path.join(root, SITE_CONFIG)
    if _regular(config):
        yield config
    try:
        names = sorted(os.listdir(root))
    except OSError:
        names = []
    for name in names:
        if name.startswith("_") and name != DATA_FOLDER and len(name) > 1:
            candidate = os.path.join(root, name, COLLECTION_FILE)
            if not os.path.islink(os.path.join(root, name)) and _regular(candidate):
                yield candidate
    data = os.path.join(root, DATA_FOLDER)
    if os.path.isdir(data) and not os.path.islink(data):
        for rel, entry in walk(data):
            if kind_of(DATA_FOLDER + "/" + rel) is not None and _regular(entry.path):
                yield entry.path


def _regular(path: str) -> bool:
    try:
        import stat

        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


__all__ = [
    "CONFIG_LINK_KEYS", "COLLECTION_FILE", "DATA_FOLDER", "DataFile", "EXTRA_LINK_KEYS", "ISOMER_DATA",
    "ISOMER_THEME_DATA", "LABELS", "SITE_CONFIG", "YAML_SUFFIXES", "data_name", "get", "isomer_theme_reads", "items",
    "kind_of", "kind_of_path", "load", "mapping_items", "scalar", "site_files",
]
