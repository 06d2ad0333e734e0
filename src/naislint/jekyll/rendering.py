"""Which renderer a site's pages get: ``markdown:`` and ``kramdown:`` of ``_config.yml``,
or naislint's own ``renderer:`` setting over them.

The renderer model itself (:mod:`naislint.page.renderer`) knows nothing of sites; this is
where a site's configuration is read to choose one, and the engine gives each page the
renderer chosen here.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from typing import Any

from naislint.jekyll.config import SITE_CONFIG, load
from naislint.page.renderer import GFM, KRAMDOWN, Renderer, default_for, from_site_config


def for_site(site_root: str | None, override: str | None = None) -> Renderer:
    """The renderer of the site at ``site_root`` (``None``: a folder with no site).

    ``override`` is the ``renderer:`` value of naislint's configuration: ``kramdown`` or
    ``gfm`` win over ``_config.yml`` (kramdown keeps the site's kramdown options).
    """
    raw: dict | None = None
    if site_root is not None and os.path.isfile(os.path.join(site_root, SITE_CONFIG)):
        raw = load(site_root).raw
    if override in (KRAMDOWN, GFM):
        base = from_site_config(raw or {})
        if override == KRAMDOWN and base.is_kramdown:
            return replace(base, origin="naislint configuration: renderer: kramdown")
        return Renderer(override, origin=f"naislint configuration: renderer: {override}")
    return from_site_config(raw)


def override_of(config_raw: Any) -> str | None:
    """naislint's ``renderer:`` setting, when it names a renderer."""
    value = config_raw.get("renderer") if isinstance(config_raw, dict) else None
    return value if isinstance(value, str) and value in (KRAMDOWN, GFM) else None


def for_page(doc: Any, site_root: str | None, config_raw: Any) -> Renderer:
    """The renderer of a page found at ``site_root`` (``None``: in no site) under
    naislint's configuration ``config_raw``."""
    override = override_of(config_raw)
    if site_root is None and override is None:
        return default_for(doc)
    return for_site(site_root, override)


def cache_key(site_root: str | None, config_raw: dict | None) -> str:
    """A short digest of the site's renderer, for the results cache's key.

    Switching ``markdown:`` or a ``kramdown:`` option in ``_config.yml`` changes what
    pages show without changing any page, so cached results must not survive it.
    """
    renderer = for_site(site_root, override_of(config_raw))
    return hashlib.sha256(repr(renderer).encode()).hexdigest()[:8]
