"""The ``_config.yml`` settings Jekyll's standard plugins read, and which plugins a site enables.

A setting no layout of the site reads may still be read by a plugin: jekyll-seo-tag puts
``twitter.username`` in every page's ``<meta name="twitter:site">``, jekyll-feed takes
the feed's title and author from ``title`` and ``author``. The keys below are the ones
each plugin's documentation names (its README or ``docs/usage.md``); a plugin counts when
the site names it under ``plugins:`` (or ``gems:``, Jekyll 3's spelling).
"""

from __future__ import annotations

from typing import Any

#: Plugin -> the top-level ``_config.yml`` keys it reads.
PLUGIN_KEYS: dict[str, frozenset[str]] = {
    # docs/usage.md and docs/advanced-usage.md of jekyll/jekyll-seo-tag
    "jekyll-seo-tag": frozenset({
        "title", "tagline", "description", "url", "author", "twitter", "facebook", "logo", "social",
        "google_site_verification", "webmaster_verifications", "lang", "locale", "seo_paginator_message",
    }),
    # README of jekyll/jekyll-feed
    "jekyll-feed": frozenset({"title", "name", "description", "url", "author", "feed"}),
    "jekyll-sitemap": frozenset({"url"}),
    "jekyll-redirect-from": frozenset({"redirect_from"}),
    "jekyll-mentions": frozenset({"jekyll-mentions"}),
    "jekyll-github-metadata": frozenset({"github", "repository"}),
    "jekyll-paginate": frozenset({"paginate", "paginate_path"}),
    "jekyll-paginate-v2": frozenset({"pagination", "autopages"}),
    "jekyll-gist": frozenset({"gist"}),
    "jemoji": frozenset({"emoji"}),
    "jekyll-archives": frozenset({"jekyll-archives"}),
    "jekyll-last-modified-at": frozenset({"last-modified-at"}),
    "jekyll-remote-theme": frozenset({"remote_theme"}),
}


def enabled(config: dict[str, Any]) -> list[str]:
    """The plugins a site's configuration names (``plugins:``, or ``gems:``)."""
    out: list[str] = []
    for key in ("plugins", "gems"):
        value = config.get(key)
        names = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        out.extend(n.strip() for n in names if isinstance(n, str) and n.strip() and n.strip() not in out)
    return out


def keys_read(config: dict[str, Any]) -> dict[str, str]:
    """key -> the enabled plugin that reads it."""
    found: dict[str, str] = {}
    for plugin in enabled(config):
        for key in PLUGIN_KEYS.get(plugin, frozenset()):
            found.setdefault(key, plugin)
    return found


__all__ = ["PLUGIN_KEYS", "enabled", "keys_read"]
