"""Which files of a site link to a page, a heading or a file: the reverse link index.

The language server's "find references", its rename and file-move edits, and
``naislint move`` all ask the same question, so they share this one index. It is built on
demand and kept cheap: a query reads the site's files (a fraction of a second for a
1,300-page site), keeps only those whose text could hold a link to the target (the
filter of :mod:`naislint.site.backlinks`: the target's last URL segment or file name
where a link destination would hold it), and parses only those. What a file's links are
is remembered per file text, so the next query parses only what changed.

Links come from **link sources**, a small protocol (:class:`LinkSource`): a source names
the files it reads and lists the link occurrences of one file's text, each as
``file, line, column, end, target`` (:class:`LinkOccurrence`). Pages are one source
(:class:`PageLinks`: markdown, HTML ``href``/``src``, reference definitions, front matter
URL keys); data files are another (:mod:`naislint.site.datalinks`). A new kind of file
that holds links (another data file model) plugs in by passing its source to
:class:`ReferenceIndex`; nothing else changes.

Every occurrence is resolved with :func:`naislint.site.resolve.resolve_url`, the
resolver the link rules use, so a reference is exactly a link the rules would call
working and leading to the target.

With a :class:`~naislint.site.link_store.LinkStore`, the index is kept on disk between
runs: a page whose stamp proves it unchanged is filtered by its stored destination words
without being read, and its links are parsed once per text.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from naislint.site import urls
from naislint.site.linksource import DESTINATION_END, DESTINATION_START, LinkOccurrence, LinkSource

if TYPE_CHECKING:
    from naislint.site.index import SiteIndex
    from naislint.site.link_store import LinkStore
    from naislint.site.resolve import Resolution

#: Pages whose links the index reads (what naislint lints).
PAGE_SUFFIXES = (".md", ".markdown")
#: Files larger than this are not read for links (pages are far smaller).
MAX_READ = 8 * 1024 * 1024


class PageLinks:
    """The links of the site's markdown pages, found as the link rules find them."""

    def files(self, site: "SiteIndex") -> Iterable[str]:
        pages = list(site.pages) + [r for r in site.unpublished if r not in site.pages]
        return sorted(r for r in pages if r.lower().endswith(PAGE_SUFFIXES))

    def occurrences(self, site: "SiteIndex", rel: str, text: str) -> list[LinkOccurrence]:
        from naislint.jekyll import rendering
        from naislint.page.document import Document
        from naislint.page.links import page_links
        from naislint.site.resolve import page_context

        doc = Document.from_text(text, os.path.join(site.root, rel))
        doc.renderer = rendering.for_page(doc, site.root, None)
        _rel, page_url = page_context(doc, site)
        found = []
        for ref in page_links(doc):
            span = ref.span
            start = doc.offset(span.line, span.column)
            end = doc.offset(span.end_line, span.end_column)
            found.append(LinkOccurrence(
                rel, span.line, span.column, span.end_line, span.end_column, ref.url,
                ref.role, page_url, doc.text[start:end] == ref.url, ref.source,
            ))
        return found


@dataclass(frozen=True, slots=True)
class Reference:
    """A link occurrence that leads to the target, and how it names it.

    ``how`` is ``url`` (the target's URL, absolute or relative), ``redirect`` (a URL the
    target's ``redirect_from`` publishes), ``source`` (the markdown source file,
    ``page.md``), ``tag`` (``{% link %}`` or ``{% post_url %}``), ``fragment`` (``#id``
    alone, on the target page itself) or ``file`` (a file path of a data file).
    """

    occurrence: LinkOccurrence
    target: str
    how: str
    fragment: str | None
    url: str = ""


@dataclass
class ReferenceIndex:
    """Links of a site's files, read on demand and kept per file text.

    ``read`` gives a file's text by its path relative to the root (an editor's open
    buffer before the file on disk); ``None`` for a file that cannot be read.
    """

    site: "SiteIndex"
    sources: list = field(default_factory=list)
    read: "Callable[[str], str | None] | None" = None
    #: The index as the last run left it (``None``: read every file).
    store: "LinkStore | None" = None
    #: rel -> (text, its occurrences).
    _seen: dict[str, tuple[str, list[LinkOccurrence]]] = field(default_factory=dict)
    #: rel -> (stat stamp, text) of files read from disk.
    _texts: dict[str, tuple[tuple[int, int, int], str]] = field(default_factory=dict)
    #: rel -> (text, the text in lower case), for the needle filter.
    _lowered: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.sources:
            from naislint.site.datalinks import DataFileLinks

            self.sources = [PageLinks(), DataFileLinks()]

    # -- reading -------------------------------------------------------------------------

    def text_of(self, rel: str) -> str | None:
        """A file's text: the editor's buffer, else the file as it is on disk (read
        again only when its size or modification time changed)."""
        if self.read is not None:
            text = self.read(rel)
            if text is not None:
                return text
        path = os.path.join(self.site.root, rel)
        try:
            st = os.lstat(path)
        except OSError:
            return None
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        kept = self._texts.get(rel)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        text = read_site_file(self.site.root, rel)
        if text is not None:
            self._texts[rel] = (stamp, text)
        return text

    def occurrences(self, rel: str, source: "LinkSource | None" = None, text: str | None = None) -> list[LinkOccurrence]:
        """The links of one file (parsed once per text)."""
        if text is None:
            text = self.text_of(rel)
        if text is None:
            return []
        seen = self._seen.get(rel)
        if seen is not None and seen[0] == text:
            return seen[1]
        if source is None:
            source = self._source_of(rel)
        if source is None:
            return []
        stored = self.store.links(rel, text) if self.store is not None else None
        if stored is not None:
            self._seen[rel] = (text, stored)
            return stored
        try:
            found = source.occurrences(self.site, rel, text)
        except Exception:  # one bad file never stops a search
            found = []
        else:
            if self.store is not None:
                self.store.remember_links(rel, text, found)
        self._seen[rel] = (text, found)
        return found

    def _source_of(self, rel: str) -> "LinkSource | None":
        for source in self.sources:
            if rel in set(source.files(self.site)):
                return source
        return None

    def candidates(self, needles: "Needles | None") -> Iterable[tuple[str, "LinkSource", str]]:
        """(rel, source, text) of every file that could hold a link matching ``needles``
        (every file when ``needles`` is ``None``)."""
        for source in self.sources:
            filtered = not isinstance(source, PageLinks)
            for rel in source.files(self.site):
                if not filtered and needles is not None and not self._may_link(rel, needles):
                    continue
                text = self.text_of(rel)
                if text is not None:
                    yield rel, source, text

    def _may_link(self, rel: str, needles: "Needles") -> bool:
        """Whether page ``rel`` could hold a link matching ``needles``: from the store's
        destination words while the file is unchanged, else from its text."""
        buffer = self.read(rel) if self.read is not None else None
        if buffer is not None or self.store is None:
            text = buffer if buffer is not None else self.text_of(rel)
            return text is not None and needles.may_link(text, self._lower(rel, text))
        words = self.store.words(rel)
        if words is None:
            from naislint.store.stamps import stamp

            before = stamp(os.path.join(self.site.root, rel))
            text = self.text_of(rel)
            if text is None or before is None:
                return False
            words = self.store.remember_text(rel, text, before)
        return needles.may_have(*words)

    def save(self) -> None:
        """Keep what this index learnt for the next run (with a store)."""
        if self.store is not None:
            self.store.save()

    def _lower(self, rel: str, text: str) -> str:
        kept = self._lowered.get(rel)
        if kept is not None and kept[0] is text:
            return kept[1]
        lower = text.lower()
        self._lowered[rel] = (text, lower)
        return lower

    # -- queries -------------------------------------------------------------------------

    def resolve(self, occ: LinkOccurrence) -> "Resolution | None":
        """Where an occurrence leads now (``None`` for a ``file`` occurrence)."""
        from naislint.site.resolve import resolve_url

        if occ.kind == "file":
            return None
        page = occ.path if occ.path.lower().endswith(PAGE_SUFFIXES) else None
        return resolve_url(self.site, occ.target, page, occ.base)

    def reference(self, occ: LinkOccurrence) -> Reference | None:
        """The reference an occurrence makes, or ``None`` when it leads nowhere known."""
        site = self.site
        if occ.kind == "file":
            path = _join_file(occ.base, occ.target)
            if path in site.pages or path in site.static_sources or path in site.unpublished:
                return Reference(occ, path, "file", None)
            return None
        res = self.resolve(occ)
        if res is None:
            return None
        if res.status == "skip" and res.link.kind == "fragment" and occ.path.lower().endswith(PAGE_SUFFIXES):
            return Reference(occ, occ.path, "fragment", res.link.fragment)
        if res.status != "ok" or res.target is None:
            return None
        target = res.target.rel
        how = link_form(occ.target)
        if how == "url":
            own = site.pages.get(target)
            if own is None and res.target.kind == "file":
                own = "/" + site.static_sources.get(target, target)
            if own is not None and urls.key(own) != urls.key(res.url):
                if res.link.path.lower().endswith(PAGE_SUFFIXES) and site.lookup(res.url) is None:
                    how = "source"
                else:
                    how = "redirect"
        return Reference(occ, target, how, res.link.fragment, res.url)

    def references(self, target: str, fragment: str | None = None) -> list[Reference]:
        """Every link in the site to the page or file ``target`` (relative to the root),
        to its heading or element ``fragment`` when given."""
        found = []
        for rel, source, text in self.candidates(self.needles_for([target])):
            for occ in self.occurrences(rel, source, text):
                ref = self.reference(occ)
                if ref is None or ref.target != target:
                    continue
                if fragment is not None and ref.fragment != fragment:
                    continue
                found.append(ref)
        return found

    def needles_for(self, targets: Iterable[str]) -> "Needles | None":
        """What a file linking to one of ``targets`` must contain; ``None`` when any
        file may (a target at the site's root)."""
        keys: list[str] = []
        sources: list[str] = []
        for rel in targets:
            url = self.site.pages.get(rel) or self.site.unpublished.get(rel)
            if url is None and rel in self.site.static_sources:
                url = "/" + self.site.static_sources[rel]
            if url is not None:
                keys.append(urls.key(url))
            keys.extend(urls.key(redirect) for redirect in self.site.redirects.get(rel, []))
            sources.append(rel)
        return Needles.for_targets(keys, sources)


class Needles:
    """The text filter of a reference search: a file can link to a target only if its
    text holds one of the target's names (its URL's last segment, or its source file's
    name, without a page extension) where a link destination would: after ``/``, ``(``,
    a quote, ``<``, ``=`` or ``]:``, before ``/``, ``.``, ``#``, ``?``, a closing bracket,
    a quote or white space. A file with a relative ``./`` path or a Liquid tag may link
    anywhere. A plain substring test of the names comes before the regex (a regex with
    alternatives is tried at every character of every page; ``in`` is not)."""

    #: Names shorter than this would match nearly every page: the filter is then skipped.
    MIN_NAME = 2

    def __init__(self, pattern: "re.Pattern[str]", words: Iterable[str]) -> None:
        self.pattern = pattern
        self.words = sorted(set(words))

    @classmethod
    def for_targets(cls, keys: Iterable[str], sources: Iterable[str]) -> "Needles | None":
        """The filter for URL ``keys`` and page ``sources`` (paths relative to the
        root); ``None`` when one of them has no usable name (the site's root)."""
        from urllib.parse import quote

        escaped: set[str] = set()
        words: set[str] = set()
        names = [k.rpartition("/")[2] for k in keys] + [r.rpartition("/")[2] for r in sources]
        for name in names:
            stem = name.rsplit(".", 1)[0] if name.lower().endswith((".html", ".htm") + PAGE_SUFFIXES) else name
            if len(stem) < cls.MIN_NAME:
                return None
            for form in (stem, quote(stem, safe="")):
                escaped.add(re.escape(form))
                words.add(form.lower())
        if not names:
            return None
        alternatives = "|".join(sorted(escaped))
        ends = re.escape("." + DESTINATION_END)
        pattern = re.compile(rf"{DESTINATION_START}(?:{alternatives})(?:[{ends}\s]|$)", re.IGNORECASE | re.MULTILINE)
        return cls(pattern, words)

    def may_have(self, words: str, open_: bool) -> bool:
        """:meth:`may_link` from a file's destination words (one per line, see
        :func:`naislint.site.link_store.destination_words`) instead of its text."""
        return open_ or any(f"\n{w}\n" in words for w in self.words)

    def may_link(self, text: str, lower: str) -> bool:
        if "./" in text or "{%" in text:
            return True  # a relative path, or a Liquid tag naming a post by date and slug
        if not any(w in lower for w in self.words):
            return False
        return self.pattern.search(text) is not None


def link_form(written: str) -> str:
    """How a link names its target: ``tag`` (a Liquid tag that names a file), ``source``
    (a markdown source path) or ``url``."""
    if "{%" in written and urls.LINK_TAG_RE.search(written):
        return "tag"
    link = urls.classify(urls.strip_liquid(written))
    if link.kind == "internal" and link.path.lower().endswith(PAGE_SUFFIXES):
        return "source"
    return "url"


def read_site_file(root: str, rel: str) -> str | None:
    """A file of the site as text, read only if it is a regular file inside the site."""
    from naislint.page.safeopen import read_regular

    try:
        raw = read_regular(os.path.join(root, rel), root, MAX_READ)
    except OSError:
        return None
    if len(raw) >= MAX_READ:
        return None
    text = raw.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def _join_file(base: str, path: str) -> str:
    import posixpath

    joined = posixpath.normpath(posixpath.join(base, path)) if base else posixpath.normpath(path)
    return joined.lstrip("/")
