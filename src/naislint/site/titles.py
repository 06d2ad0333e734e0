"""Page titles, for an editor's link completion ("/about-us/ — About Us").

The site index keeps no titles (link checking needs none), and reading every page's
front matter with YAML would cost a second on a large site. A title is nearly always one
plain ``title: ...`` line near the top of the front matter, so this reads the first few
kilobytes of each page and takes that line; only a quoted or unusual value goes through
the YAML parser. A page whose title cannot be found has none (its completion shows no
title), which costs nothing else.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from naislint.site.index import SiteIndex

#: How much of a page is read for its title.
HEAD = 4096
TITLE_RE = re.compile(r"^title[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
FENCE_RE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def title_of(text: str) -> str | None:
    """The front matter ``title`` of a page's text (its start is enough)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return None
    text = text.replace("\r\n", "\n")
    close = FENCE_RE.search(text, 4)
    block = text[4 : close.start()] if close else text[4:]
    m = TITLE_RE.search(block)
    if m is None:
        return None
    value = m.group(1)
    if not value:
        return None
    if value[0] in "'\"|>&*!%@`{[" or " #" in value:
        import yaml

        try:
            loaded = yaml.safe_load("title: " + value)
        except yaml.YAMLError:
            return None
        found = loaded.get("title") if isinstance(loaded, dict) else None
        return str(found).strip() if isinstance(found, (str, int, float)) else None
    return value


def page_titles(site: "SiteIndex", rels: Iterable[str] | None = None) -> dict[str, str]:
    """rel path -> title of the site's pages (of ``rels`` when given)."""
    from naislint.page.safeopen import read_head

    titles: dict[str, str] = {}
    for rel in rels if rels is not None else list(site.pages) + list(site.unpublished):
        try:
            head = read_head(os.path.join(site.root, rel), HEAD, site.root)
        except OSError:
            continue
        title = title_of(head.decode("utf-8", errors="replace"))
        if title:
            titles[rel] = title
    return titles
