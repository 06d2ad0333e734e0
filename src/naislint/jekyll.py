"""What naislint needs from a site's ``_config.yml``: excludes, collections, theme.

Read once per site root and cached; a broken ``_config.yml`` gives the defaults (the site
would not build either, and that is Jekyll's error to report, not a page's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
import os
from pathlib import Path

SITE_CONFIG = "_config.yml"
#: Folders Jekyll never reads as content, plus tool folders that hold no pages.
#: A _config.yml larger than this is treated as absent (real ones are a few kilobytes).
MAX_SITE_CONFIG = 4 * 1024 * 1024
ALWAYS_SKIPPED = frozenset({"_site", ".git", "node_modules", "vendor", ".naislint_cache", ".jekyll-cache", ".sass-cache"})


@dataclass(frozen=True)
class JekyllConfig:
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    collections: dict = field(default_factory=dict)
    baseurl: str = ""
    isomer: bool = False
    permalink: str | None = None
    raw: dict = field(default_factory=dict)


@lru_cache(maxsize=64)
def load(root: str) -> JekyllConfig:
    """The site config at ``root`` (defaults when absent or unreadable)."""
    from naislint.safeopen import read_regular

    path = Path(root) / SITE_CONFIG
    try:
        # A pipe, a device or a link out of the site in its place is no config (and
        # must not hang the run, as a --site-root without _config.yml check allows).
        text = read_regular(str(path), root, MAX_SITE_CONFIG).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return JekyllConfig()
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return JekyllConfig()
    if not isinstance(data, dict):
        return JekyllConfig()
    theme = f"{data.get('remote_theme', '')} {data.get('theme', '')}".lower()
    collections = data.get("collections") or {}
    if isinstance(collections, list):
        collections = {str(name): {} for name in collections}
    return JekyllConfig(
        exclude=tuple(str(x) for x in _list(data.get("exclude"))),
        include=tuple(str(x) for x in _list(data.get("include"))),
        collections={str(k): (v if isinstance(v, dict) else {}) for k, v in collections.items()} if isinstance(collections, dict) else {},
        baseurl=str(data.get("baseurl") or ""),
        isomer="isomer" in theme,
        permalink=data.get("permalink") if isinstance(data.get("permalink"), str) else None,
        raw=data,
    )


def _list(value: object) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


_ROOTS: dict[str, str | None] = {}


def find_site_root(path: str) -> str | None:
    """The nearest folder at or above ``path`` holding ``_config.yml``.

    Cached per folder: discovery asks once per file, and most files share a folder.
    """
    folder = os.path.abspath(path)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    visited = []
    result: str | None = None
    while True:
        if folder in _ROOTS:
            result = _ROOTS[folder]
            break
        visited.append(folder)
        if os.path.isfile(os.path.join(folder, SITE_CONFIG)):
            result = folder
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for key in visited:
        _ROOTS[key] = result
    return result


def clear_caches() -> None:
    """Forget site roots and site configs (an editor session saw ``_config.yml`` change)."""
    _ROOTS.clear()
    load.cache_clear()
