"""Which pages link to which URL and anchor: the site index read backwards.

Linting only what changed (``--changed-since``, the pre-commit hook) misses what a change
breaks elsewhere: a page whose permalink moved, that was renamed or deleted, or whose
heading ids changed leaves every page that links to its old URL or anchor broken, though
those pages did not change. This module finds them.

:func:`vanished` compares the previous version of each changed file (from git) with the
site index as it is now: which URL keys no longer lead to a page, and which anchors a URL
still leading to a page lost. :class:`LinkIndex` maps URL keys (and markdown source paths,
for ``[x](page.md)`` links) to the pages linking there, with the line and fragment of each
link, resolved exactly as the link rules resolve them (:func:`naislint.site.resolve.resolve`).
:func:`dependents` puts the two together.

The site's data files (the navbar in ``_data/navigation.yml``, the footer ...) link to
pages too, and are read the same way.

The reverse index is built from the pages' parsed links, so it is built only for the
pages that can link to a vanished URL at all: a page whose text holds none of the
vanished URLs' last segments (or source file names) where a link destination would (after
``/``, ``(``, a quote, ``<``, ``=`` or ``]:``, before ``/``, ``.``, ``#``, ``?``, a closing
bracket, quote or space) and no relative ``./`` path cannot resolve a link to them.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable
from urllib.parse import quote

from naislint.site import urls

if TYPE_CHECKING:
    from naislint.page.document import Document
    from naislint.site.index import SiteIndex

#: Pages a reverse index is built for (what naislint lints).
SOURCE_SUFFIXES = (".md", ".markdown")
#: Needles shorter than this would match nearly every page: the filter is then skipped.
MIN_NEEDLE = 2


@dataclass(frozen=True, slots=True)
class Backlink:
    """One link of page ``rel`` (at ``line``) to a URL, with its ``#fragment`` if any."""

    rel: str
    line: int
    fragment: str | None


@dataclass
class Vanished:
    """What a change took away: URL keys (and page sources, by rel path) mapped to the
    anchors they lost, or to ``None`` when they no longer lead to a page at all."""

    keys: dict[str, frozenset[str] | None] = field(default_factory=dict)
    sources: dict[str, frozenset[str] | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.keys or self.sources)

    def needles(self) -> "re.Pattern[str] | None":
        """What a page linking here must contain (a last URL segment where a link
        destination would hold it), or ``None`` when some vanished URL has no usable last
        segment (the site's root)."""
        found: set[str] = set()
        names = [k.rpartition("/")[2] for k in self.keys] + [posixpath.basename(r) for r in self.sources]
        for name in names:
            stem = posixpath.splitext(name)[0] if name.lower().endswith((".html", ".htm") + SOURCE_SUFFIXES) else name
            if len(stem) < MIN_NEEDLE:
                return None
            found.add(re.escape(stem))
            found.add(re.escape(quote(stem, safe="")))
        words = "|".join(sorted(found))
        return re.compile(rf"(?:[/(\"'<=]|\]:\s*)(?:{words})(?:[/.#?)\"'>\s]|$)", re.IGNORECASE | re.MULTILINE)


class LinkIndex:
    """URL key -> the links to it, and page rel -> the ``.md`` source links to it."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[Backlink]] = {}
        self.by_source: dict[str, list[Backlink]] = {}

    @classmethod
    def build(cls, site: "SiteIndex", rels: Iterable[str]) -> "LinkIndex":
        """The links of the pages ``rels`` (paths relative to the site root); a page that
        cannot be read is left out (the run reports it when it lints it)."""
        from naislint.page.document import Document, UnreadableFile

        from naislint.jekyll import datafiles, rendering

        index = cls()
        for rel in rels:
            try:
                doc = Document.load(os.path.join(site.root, rel), within=site.root)
            except (UnreadableFile, OSError):
                continue
            doc.renderer = rendering.for_page(doc, site.root, None)
            doc.data_kind = datafiles.kind_of(rel)  # a navbar's links are read as the rules read them
            index.add_page(site, rel, doc)
        return index

    def add_page(self, site: "SiteIndex", rel: str, doc: "Document") -> None:
        """Record every internal link of one page, where the link rules resolve it."""
        from naislint.page.links import page_links
        from naislint.site.resolve import page_context, resolve

        for ref in page_links(doc):
            if ref.role != "link":
                continue
            res = resolve(doc, site, ref)
            if res.link.kind != "internal" or not res.url:
                continue
            link = Backlink(rel, ref.span.line, res.link.fragment)
            self.by_key.setdefault(urls.key(res.url), []).append(link)
            if res.link.path.lower().endswith(SOURCE_SUFFIXES):
                page_rel, _ = page_context(doc, site)
                base = "/" + page_rel.rsplit("/", 1)[0] + "/" if page_rel and "/" in page_rel else "/"
                source = urls.resolve(base, res.link.path).lstrip("/")
                self.by_source.setdefault(source, []).append(link)

    def links_to(self, vanished: Vanished) -> list[Backlink]:
        """The recorded links that a vanished URL or anchor breaks."""
        hits: list[Backlink] = []
        for table, lost in ((self.by_key, vanished.keys), (self.by_source, vanished.sources)):
            for where, anchors in lost.items():
                for link in table.get(where, []):
                    if anchors is None or (link.fragment is not None and link.fragment in anchors):
                        hits.append(link)
        return hits


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
    site: "SiteIndex", previous: dict[str, bytes | None], exclude: Iterable[str] = ()
) -> dict[str, set[int]]:
    """Pages (rel path -> lines of the links concerned) whose links a change broke: they
    link to a URL or anchor one of the ``previous`` files provided before the change."""
    lost = vanished(site, previous)
    if not lost:
        return {}
    skip = set(exclude)
    candidates = [rel for rel in _linting_pages(site) if rel not in skip]
    needles = lost.needles()
    if needles is not None:
        candidates = [rel for rel in candidates if _may_link(os.path.join(site.root, rel), needles)]
    found: dict[str, set[int]] = {}
    for link in LinkIndex.build(site, candidates).links_to(lost):
        found.setdefault(link.rel, set()).add(link.line)
    return found


def _linting_pages(site: "SiteIndex") -> list[str]:
    """The pages naislint lints, and the site's data files (a navbar links to pages too)."""
    from naislint.jekyll import datafiles

    pages = list(site.pages) + [r for r in site.unpublished if r not in site.pages]
    found = sorted(r for r in pages if r.lower().endswith(SOURCE_SUFFIXES))
    for path in datafiles.site_files(site.root):
        rel = site.rel(path)
        if rel is not None and datafiles.kind_of(rel) is not None:
            found.append(rel)
    return found


def _page_target(site: "SiteIndex", rel: str) -> "object | None":
    from naislint.site.index import Target

    return Target("page", rel) if rel in site.pages else None


def _may_link(path: str, needles: "re.Pattern[str]") -> bool:
    """Whether a page's text could hold a link to one of the vanished URLs."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return False
    return "./" in text or needles.search(text) is not None


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
