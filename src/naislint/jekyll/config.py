"""A site's ``_config.yml``: read once per site root, through the guarded YAML loader.

Everything that depends on the site's configuration (which files Jekyll reads, its
collections, theme, permalink style, base URL) comes from the one :class:`JekyllConfig`
that :func:`load` keeps per root, so discovery and the site index cannot read the file
differently. A ``_config.yml`` that does not parse keeps its problem in
:attr:`JekyllConfig.error` (the run reports it once) and gives Jekyll's defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from naislint.page.yamlfile import YamlProblem
from naislint.store import parsed

SITE_CONFIG = "_config.yml"
#: Jekyll's ``DEFAULT_EXCLUDES`` (lib/jekyll/configuration.rb), added to the site's own
#: ``exclude`` list, never replaced by it.
DEFAULT_EXCLUDE = (
    ".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
    "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/",
)
#: Jekyll's default ``include``; a site's own ``include`` replaces it.
DEFAULT_INCLUDE = (".htaccess",)


@dataclass(frozen=True)
class JekyllConfig:
    """What naislint needs of a site's configuration.

    ``exclude`` is the list Jekyll filters with (the site's entries, then Jekyll's
    defaults); ``collections`` maps each collection (``posts`` always, those of
    ``_config.yml`` and Isomer's ``_<name>/collection.yml``) to its metadata.
    """

    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    include: tuple[str, ...] = DEFAULT_INCLUDE
    collections: dict = field(default_factory=lambda: {"posts": {"output": True}})
    baseurl: str = ""
    isomer: bool = False
    permalink: str | None = None
    raw: dict = field(default_factory=dict)
    error: YamlProblem | None = None


def load(root: str) -> JekyllConfig:
    """The site config at ``root`` (Jekyll's defaults when absent or invalid), read once
    per site however the root is spelt (discovery and the index spell it differently)."""
    return _load(os.path.realpath(root))


@lru_cache(maxsize=64)
def _load(root: str) -> JekyllConfig:
    from naislint.page import yamlfile

    path = os.path.join(root, SITE_CONFIG)
    if not os.path.isfile(path):
        return JekyllConfig(collections=read_collections(root, {}))
    data, problem = parsed.read(root, SITE_CONFIG, lambda: yamlfile.read(path, SITE_CONFIG, root))
    if problem is None and data is not None and not isinstance(data, dict):
        problem = YamlProblem(f"{SITE_CONFIG} must be a mapping of settings, not a {type(data).__name__}", 1, 1)
    if problem is not None:
        return JekyllConfig(collections=read_collections(root, {}), error=problem)
    data = data or {}
    theme = f"{data.get('remote_theme', '')} {data.get('theme', '')}".lower()
    exclude: list[Any] = _list(data.get("exclude"))
    for default in DEFAULT_EXCLUDE:
        if default not in exclude:
            exclude.append(default)
    include = _list(data["include"]) if "include" in data else list(DEFAULT_INCLUDE)
    return JekyllConfig(
        # Jekyll matches only string entries; a number or a mapping matches nothing.
        exclude=tuple(x for x in exclude if isinstance(x, str)),
        include=tuple(x for x in include if isinstance(x, str)),
        collections=read_collections(root, data),
        baseurl=str(data.get("baseurl") or ""),
        isomer="isomer" in theme,
        permalink=data.get("permalink") if isinstance(data.get("permalink"), str) else None,
        raw=data,
    )


def read_collections(root: str, site: dict) -> dict[str, dict]:
    """Collections from ``_config.yml`` and Isomer's ``_<name>/collection.yml``."""
    from naislint.page import yamlfile

    found: dict[str, dict] = {"posts": {"output": True}}
    declared = site.get("collections")
    if isinstance(declared, dict):
        for name, meta in declared.items():
            merged = found.setdefault(str(name), {})
            merged.update(meta if isinstance(meta, dict) else {})
    elif isinstance(declared, list):
        for name in declared:
            found.setdefault(str(name), {})
    try:
        entries = sorted(os.listdir(root))
    except OSError:
        entries = []
    for entry in entries:
        if not entry.startswith("_"):
            continue
        candidate = os.path.join(root, entry, "collection.yml")
        if not os.path.isfile(candidate):
            continue
        rel = f"{entry}/collection.yml"
        data, _problem = parsed.read(root, rel, lambda: yamlfile.read(candidate, rel, root))
        if isinstance(data, dict) and isinstance(data.get("collections"), dict):
            for name, meta in data["collections"].items():
                merged = found.setdefault(str(name), {})
                if isinstance(meta, dict):
                    merged.update(meta)
    return found


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
    _load.cache_clear()
