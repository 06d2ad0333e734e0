"""The site as Jekyll would publish it: URLs, files and anchors, for the link rules.

``SiteIndex.build(root, config)`` indexes a site once per run, from what each page says
of itself (:mod:`naislint.page.links` where it links to, :mod:`naislint.page.anchors`
which ids it has); :mod:`.urls` says what a link means, :mod:`.resolve` where it lands.
"""

from __future__ import annotations

from naislint.site.index import SiteIndex, Target

__all__ = ["SiteIndex", "Target"]
