"""What naislint knows of Jekyll: a site's ``_config.yml`` and which files Jekyll reads.

:mod:`naislint.jekyll.config` reads ``_config.yml`` once per site root;
:mod:`naislint.jekyll.entries` is Jekyll's entry filter and the walk over a site's
folders. Discovery and the site index both use them, so they agree on every file.
"""

from __future__ import annotations

import os
from functools import lru_cache

from naislint.jekyll import config as _config
from naislint.jekyll.config import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, SITE_CONFIG, JekyllConfig, find_site_root, load
from naislint.jekyll.entries import ALWAYS_SKIPPED, EntryFilter, never_walked, walk


def entry_filter(root: str) -> EntryFilter:
    """The entry filter of the site at ``root`` (Jekyll's defaults without a config)."""
    return _entry_filter(os.path.realpath(root))


@lru_cache(maxsize=64)
def _entry_filter(root: str) -> EntryFilter:
    return EntryFilter.for_site(load(root))


def clear_caches() -> None:
    """Forget site roots, site configs and their filters (``_config.yml`` changed)."""
    _config.clear_caches()
    _entry_filter.cache_clear()


__all__ = [
    "ALWAYS_SKIPPED", "DEFAULT_EXCLUDE", "DEFAULT_INCLUDE", "SITE_CONFIG", "EntryFilter", "JekyllConfig",
    "clear_caches", "entry_filter", "find_site_root", "load", "never_walked", "walk",
]
