"""Which pages link to which URL and anchor: the site index read backwards.

Linting only what changed (``--changed-since``, the pre-commit hook) misses what a change
breaks elsewhere: a page whose permalink moved, that was renamed or deleted, or whose
heading ids changed leaves every page that links to its old URL or anchor broken, though
those pages did not change. This module finds them.

:func:`vanished` compares the previous version of each changed file (from git) with the
site index as it is now: which URL keys no longer lead to a page, and which anchors a URL
still leading to a page lost. :func:`dependents` asks the site's reverse link index
(:class:`naislint.site.references.ReferenceIndex`, the one the language server and
``naislint move`` ask, kept on disk by :mod:`naislint.site.link_store`) which files link
there: pages and the site's data files (the navbar in ``_data/navigation.yml``, the
footer ...). Only files whose text holds a vanished URL's last segment (or source file
name) where a link destination would are parsed, and a file unchanged since the last run
is filtered by its stored words without being read.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from naislint.site import urls

if TYPE_CHECKING:
    from naislint.site.index import SiteIndex
    from naislint.site.linksource import LinkOccurrence
    from naislint.site.references import Needles

#: Markdown sources, which a ``[x](page.md)`` link names by file.
SOURCE_SUFFIXES = (".md", ".markdown")


@dataclass
class Vanished:
    """What a change took away: URL keys (and page sources, by rel path) mapped to the
    anchors they lost, or to ``None`` when they no longer lead to a page at all."""

    keys: dict[str, frozenset[str] | None] = field(default_factory=dict)
    sources: dict[str, frozenset[str] | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.keys or self.sources)

    def needles(self) -> "Needles | None":
        """What a file linking here must hold (see :class:`Needles`), or ``None`` when
        any file may (a vanished URL at the site's root)."""
        from naislint.site.references import Needles

        return Needles.for_targets(self.keys, self.sources)


def vanished(site: "SiteIndex", previous: dict[str, bytes | None]) -> Vanished:
    """What the files in ``previous`` (rel path -> their content before the change, or
    ``None`` for a file that is not a page) no longer provide in ``site`` as it is now."""
    gone = Vanished()
    for rel, raw in previous.items():
        old = _old_facts(site, rel, raw)
        if old[0] == "file":
            key = urls.key("/" + old[1])
            if key not in site.targets:
                gone.keys[key] = None
            continue
        if old[0] != "page" or old[4] is not None:
            continue  # not published before: links to it were reported already
        old_url, old_anchors = old[1], old[3] or []
        for table, where, now in (
            (gone.keys, urls.key(old_url), site.lookup(old_url)),
            (gone.sources, rel, _page_target(site, rel)),
        ):
            if now is None:
                table[where] = None
            elif now.kind == "page":
                lost = frozenset(old_anchors) - frozenset(site.anchors_of(now.rel))
                if lost:
                    table[where] = lost
    return gone


def dependents(
    site: "SiteIndex", previous: dict[str, bytes | None], exclude: Iterable[str] = (),
    cache_dir: str | None = None,
) -> dict[str, set[int]]:
    """Pages and data files (rel path -> lines of the links concerned) whose links a change
    broke: they link to a URL or anchor one of the ``previous`` files provided before the
    change. The site's reverse link index answers (:mod:`naislint.site.references`), kept
    in ``cache_dir`` between runs when given."""
    from naislint.site.link_store import LinkStore
    from naislint.site.references import ReferenceIndex

    lost = vanished(site, previous)
    if not lost:
        return {}
    refs = ReferenceIndex(site, store=LinkStore.for_site(site, cache_dir) if cache_dir else None)
    needles = lost.needles()
    skip = set(exclude)
    found: dict[str, set[int]] = {}
    for rel, source, text in refs.candidates(needles):
        if rel in skip:
            continue
        for occ in refs.occurrences(rel, source, text):
            if _breaks(site, occ, lost):
                found.setdefault(rel, set()).add(occ.line)
    refs.save()
    return found


def _breaks(site: "SiteIndex", occ: "LinkOccurrence", lost: Vanished) -> bool:
    """Whether a link leads to a URL, page source or anchor the change took away: where
    the link rules would look for it, without asking the index whether it is there."""
    from naislint.site.resolve import expand_tags

    if occ.kind == "file":
        path = posixpath.normpath(posixpath.join(occ.base, occ.target)).lstrip("/")
        return path in lost.sources and lost.sources[path] is None
    expanded, reason = expand_tags(occ.target, site)
    if reason is not None:
        return False
    link = urls.classify(expanded, site.baseurl)
    if link.kind != "internal":
        return False

    def cut(anchors: frozenset[str] | None) -> bool:
        return anchors is None or (link.fragment is not None and link.fragment in anchors)

    key = urls.key(urls.resolve(occ.base, link.path))
    if key in lost.keys and cut(lost.keys[key]):
        return True
    if not link.path.lower().endswith(SOURCE_SUFFIXES):
        return False
    folder = occ.path.rsplit("/", 1)[0] if occ.path.lower().endswith(SOURCE_SUFFIXES) and "/" in occ.path else ""
    source = urls.resolve("/" + folder + "/" if folder else "/", link.path).lstrip("/")
    return source in lost.sources and cut(lost.sources[source])


def _page_target(site: "SiteIndex", rel: str) -> "object | None":
    from naislint.site.index import Target

    return Target("page", rel) if rel in site.pages else None


def _old_facts(site: "SiteIndex", rel: str, raw: bytes | None) -> list:
    """The index's facts of a file's previous version (see ``SiteIndex._facts``)."""
    if raw is None or not _front_matter_head(raw):
        return site._static_facts(rel, site.collections)
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return site._page_facts(rel, text, True, site.collections)


def _front_matter_head(raw: bytes) -> bool:
    from naislint.site.index import _FRONT_MATTER_HEAD_RE

    head = raw[3:67] if raw.startswith(b"\xef\xbb\xbf") else raw[:64]
    return _FRONT_MATTER_HEAD_RE.match(head) is not None
