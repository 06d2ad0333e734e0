"""The site as Jekyll would publish it: URLs, files and anchors, for the link rules.

``SiteIndex.build(root, config)`` indexes a site once per run; :mod:`.urls` says what a
link means, :mod:`.anchors` which ids a page has, :mod:`.links` where a page links to.
"""

from __future__ import annotations

from naislint.site.index import SiteIndex, Target

__all__ = ["SiteIndex", "Target"]
