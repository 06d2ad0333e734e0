"""The site index: every URL a Jekyll build would publish, without building the site.

Built once per run from each page's front matter and heading lines (never a full lint)
and every file path. It is plain data (dicts, lists and sets of strings), so worker
processes can share it after a fork or receive it pickled.

What Jekyll publishes, and at which URL, follows Jekyll's own rules:
- which files Jekyll reads is :meth:`naislint.jekyll.EntryFilter.reads` (special names,
  ``include``, ``exclude``, collection folders, ``_posts``), the same test discovery
  makes, over the same walk (:func:`naislint.jekyll.walk`);
- a file whose first line is ``---`` is a page (rendered), any other file is copied as is;
- a page's URL is its front matter ``permalink``, else the permalink style's default for
  pages (``/dir/name.html``, ``/dir/name/`` when ``pretty``, ``/dir/`` for ``index``);
- ``_<name>/`` is a collection when ``_config.yml`` or ``_<name>/collection.yml`` (Isomer)
  declares it; its documents are published only with ``output: true``, at
  ``/<name>/<path>.html`` by default;
- ``<dir>/_posts/YYYY-MM-DD-slug.md`` are posts, at ``/:categories/:title.html`` with the
  ``none`` style Isomer uses (the folders above ``_posts`` are the categories).
"""

from __future__ import annotations

import bisect
import difflib
import os
import posixpath
import re
import stat
from dataclasses import dataclass
from typing import Any

from naislint.store.stamps import walk_stamp
from naislint.site import urls

PAGE_EXTENSIONS = (".md", ".markdown", ".html", ".htm")
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mkdn", ".mdown")
POST_NAME_RE = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")
#: Pages bigger than this are indexed for their URL but not read for anchors.
MAX_READ = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Target:
    """What a URL resolves to: a page (``rel`` is its source) or a static file."""

    kind: str  # "page" | "file"
    rel: str


class SiteIndex:
    """Pages, files, permalinks and anchors of one Jekyll site.

    Paths (``rel``) are relative to :attr:`root` with ``/`` separators. URLs are
    percent-decoded absolute paths (``/files/a b.pdf``).
    """

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self.baseurl = ""
        self.permalink_style = "date"
        #: rel path of every published page -> its URL.
        self.pages: dict[str, str] = {}
        #: rel path -> line of its ``permalink`` key (pages that declare one).
        self.permalink_lines: dict[str, int] = {}
        #: rel path of pages that exist but are not published (``published: false``).
        self.unpublished: dict[str, str] = {}
        #: rel path of every published static file.
        self.files: set[str] = set()
        #: rel path of every file under the root (published or not), for ``.md`` links.
        self.all_files: set[str] = set()
        #: rel path -> anchors of the page (heading ids, explicit ids, HTML ids).
        self.anchors: dict[str, list[str]] = {}
        #: URL key -> rel paths of the pages and files published there.
        self.targets: dict[str, list[str]] = {}
        #: case-folded URL key -> URL keys, for "did you mean".
        self.folded: dict[str, list[str]] = {}
        #: case-folded last URL segment -> URL keys; parent URL key -> child URL keys.
        self.segments: dict[str, list[str]] = {}
        self.children: dict[str, list[str]] = {}
        #: rel path of an unpublished page -> why it is not published.
        self.unpublished_reason: dict[str, str] = {}
        #: URL key -> rel path of an unpublished page there.
        self.unpublished_keys: dict[str, str] = {}
        #: collection name -> its metadata (``output``, ``permalink``).
        self.collections: dict[str, dict] = {}
        #: Digest of everything link resolution depends on; cached lint results of pages
        #: that use the index are valid only while it is unchanged.
        self.fingerprint = ""
        #: rel path of every file Jekyll reads (its entry filter passes it).
        self.entries: set[str] = set()
        #: rel path of every folder that could not be listed ("" for the root): the
        #: index is blind there, so links into it are not known to be broken.
        self.unreadable: set[str] = set()
        #: The site's ``defaults:`` sets (front matter every page in their scope gets).
        self.defaults: list[dict] = []
        #: rel path of a page -> the URLs jekyll-redirect-from publishes for it
        #: (``redirect_from``); a page with ``redirect_to`` is a redirect (no anchors).
        self.redirects: dict[str, list[str]] = {}
        self.redirecting: set[str] = set()
        #: rel path of a published static file's source -> the path it is published at.
        self.static_sources: dict[str, str] = {}
        #: rel path of a published page -> its title (pages that have one).
        self.titles: dict[str, str] = {}
        #: Folder -> its path relative to the root ("." for the root, None outside).
        self._folders: dict[str, str | None] = {}

    def __getstate__(self) -> dict:
        """What a worker process receives: not the URLs kept for the pages this process
        read (:meth:`document_facts`), which are keyed by this process's documents."""
        state = dict(self.__dict__)
        state.pop("_urls", None)
        return state

    def adopt_urls(self, other: "SiteIndex") -> None:
        """Take the page URLs ``other`` (this site's index as this process began it)
        worked out from the pages this process read (see :meth:`document_facts`).

        A worker receives the finished index pickled, without them; adopted, its second
        pass finds each page's own URL instead of working it out again. They hold for
        this index too: a URL depends only on the page's path and front matter and on
        the site's settings, which both indexes share."""
        urls_seen = other.__dict__.get("_urls")
        if urls_seen:
            self.__dict__.setdefault("_urls", {}).update(urls_seen)

    # -- building -----------------------------------------------------------------------

    @classmethod
    def build(cls, root: str, config: Any = None, cache_dir: str | None = None, jobs: int = 1) -> "SiteIndex":
        """Index the site under ``root``; ``config`` (naislint's Config) may be ``None``.

        With ``cache_dir``, what was learnt of each file (its URL, anchors, whether it is a
        page) is kept on disk by size and modification time, so a run after one change
        reads one file again instead of the whole site. With ``jobs`` above 1, the files
        not in the cache are read by that many processes when there are enough of them.
        """
        building = cls.begin(root, cache_dir)
        building.read_pending(jobs)
        return building.finish()

    @classmethod
    def begin(cls, root: str, cache_dir: str | None = None, reading: "list[str] | None" = None) -> "SiteBuild":
        """Start indexing: walk the site and take every file's facts the cache still holds.

        The files left in :attr:`SiteBuild.pending` must be given their facts before
        :meth:`SiteBuild.finish`: a run that lints some of them takes their facts from
        the pages it has already read (:meth:`document_facts`), so no page is read twice.

        ``reading`` (a run over a few pages: their paths) lets the index skip the walk:
        when the facts cache shows that no folder of the site changed since the last walk
        (:meth:`~naislint.site.facts_cache.FactsCache.tree_unchanged`), every other file
        keeps its cached facts without a ``stat``, and only these pages are looked at.
        """
        building = cls._begin(root, cache_dir, reading)
        if building is None:
            building = cls._begin(root, cache_dir, None)
        assert building is not None
        return building

    @classmethod
    def from_cache(cls, root: str, cache_dir: str) -> "SiteIndex | None":
        """The index as the facts cache holds it, when no folder of the site changed since
        the walk that filled it (see :meth:`begin`); ``None`` otherwise. Costs a read of
        the cache and a ``stat`` per folder: an editor's first diagnostics use it while
        the real index is built."""
        building = cls._begin(root, cache_dir, [])
        return building.finish() if building is not None else None

    @classmethod
    def _begin(cls, root: str, cache_dir: str | None, reading: "list[str] | None") -> "SiteBuild | None":
        from naislint import jekyll

        index = cls(root)
        site_config = jekyll.load(index.root)
        site = site_config.raw
        index.baseurl = str(site.get("baseurl") or "").rstrip("/")
        index.permalink_style = str(site.get("permalink") or "date")
        collections = {name: dict(meta) for name, meta in site_config.collections.items()}
        index.collections = collections
        from naislint.jekyll import defaults as jekyll_defaults

        index.defaults = jekyll_defaults.valid_sets(site)
        entry_filter = jekyll.entry_filter(index.root)
        from naislint.site.facts_cache import FactsCache

        facts_cache = FactsCache(cache_dir, index.root, [site, collections, index.permalink_style])
        building = SiteBuild(index, facts_cache)
        if reading is not None:
            return building if building.from_tree(reading) else None

        def unreadable(rel: str, _path: str, _error: OSError) -> None:
            index.unreadable.add(rel)

        folders: dict[str, list[int]] = {}

        def listing(rel: str, path: str) -> None:
            # Taken before the folder is listed: a change after this moves the stamp.
            try:
                st = os.lstat(path)
            except OSError:
                return
            folders[rel] = [st.st_mtime_ns, st.st_ino]
            newest[0] = max(newest[0], st.st_mtime_ns, st.st_ctime_ns)

        #: The latest change of any folder listed (see ``FactsCache.settled_tree``).
        newest = [0]

        for rel, entry in jekyll.walk(index.root, unreadable=unreadable, listing=listing):
            try:
                st = entry.stat()
            except OSError:
                continue
            stamp = walk_stamp(st)
            full = entry.path
            index.all_files.add(rel)
            if not entry_filter.reads(rel):
                continue
            index.entries.add(rel)
            facts = facts_cache.get(rel, stamp, full)
            if facts is None:
                building.pending[rel] = (full, stamp)
            building.order.append(rel)
            building.facts[rel] = facts
        if not index.unreadable:
            facts_cache.tree = facts_cache.settled_tree({
                "at": facts_cache.opened_ns,
                "folders": folders,
                "others": sorted(index.all_files - index.entries),
            }, newest[0])
        return building

    def _register(self, key: str, rel: str) -> None:
        entries = self.targets.setdefault(key, [])
        if rel not in entries:
            entries.append(rel)
        folded = self.folded.setdefault(key.casefold(), [])
        if key not in folded:
            folded.append(key)
            parent, _, last = key.rpartition("/")
            self.segments.setdefault(last.casefold(), []).append(key)
            self.children.setdefault(parent or "/", []).append(key)

    def _facts(self, rel: str, full: str, collections: dict[str, dict]) -> "tuple[list, str | None]":
        """What one file contributes to the index, as JSON-able data, and for a page the
        digest of its content (a page merely touched keeps its cached facts).

        ``["skip"]``, ``["file", published_rel]``, or ``["page", url, permalink_line,
        anchors, unpublished_reason]``. Kept per file in the facts cache, so it must
        depend only on the file itself and the site's configuration.
        """
        from naislint.page.safeopen import read_head
        from naislint.site.facts_cache import UNREADABLE

        head = _has_front_matter(full, self.root)
        if not head:
            return self._static_facts(rel, collections), UNREADABLE if head is None else None
        try:
            raw = read_head(full, MAX_READ + 1, self.root)
        except OSError:
            return ["skip"], UNREADABLE
        text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        from naislint.store.stamps import content_hash

        digest = content_hash(raw) if len(raw) <= MAX_READ else None
        return self._page_facts(rel, text, len(raw) <= MAX_READ, collections), digest

    def document_facts(self, rel: str, doc: Any) -> "tuple[list, str | None] | None":
        """The same as :meth:`_facts`, from a page the run has already read and parsed
        (a :class:`~naislint.page.document.Document`; its anchors are shared with the rules);
        ``None`` when the read file cannot stand in for the index's own reading."""
        raw = doc.raw or b""
        if len(raw) > MAX_READ:
            return None
        head = raw[3:67] if raw.startswith(b"\xef\xbb\xbf") else raw[:64]
        if not _FRONT_MATTER_HEAD_RE.match(head):
            return self._static_facts(rel, self.collections), None
        if doc.text.startswith("\ufeff"):
            return None
        from naislint.page.anchors import document_anchors

        fm = doc.front_matter
        facts = self._page_facts(rel, doc.text, True, self.collections, fm, lambda: document_anchors(doc))
        if fm is not None:
            # The page's own URL, asked again by its link rules (``url_of(rel, doc.meta)``).
            self.__dict__.setdefault("_urls", {})[rel] = (fm.mapping, facts[1] if facts[0] == "page" else None)
        return facts, doc.digest

    def _static_facts(self, rel: str, collections: dict[str, dict]) -> list:
        """Facts of a file without front matter: copied as is, unless Jekyll skips it."""
        parts = rel.split("/")
        if "_posts" in parts[:-1]:
            return ["skip"]
        if parts[0].startswith("_") and parts[0][1:] in collections and len(parts) > 1:
            if collections[parts[0][1:]].get("output"):
                return ["file", parts[0][1:] + "/" + "/".join(parts[1:])]
            return ["skip"]
        return ["file", rel]

    def _page_facts(
        self, rel: str, text: str, with_anchors: bool, collections: dict[str, dict], fm: Any = False, anchors_of: Any = None
    ) -> list:
        """Facts of a page (a file with front matter) from its text (``fm`` and
        ``anchors_of`` when the caller already has, or will share, those)."""
        from naislint.page import frontmatter

        parts = rel.split("/")
        in_posts = "_posts" in parts[:-1]
        collection = None
        if parts[0].startswith("_") and parts[0][1:] in collections and len(parts) > 1:
            collection = parts[0][1:]
        if fm is False:
            fm = frontmatter.parse(text)
        meta = self.data_of(rel, fm.mapping if fm is not None else {}, collection, in_posts)
        body_start = fm.block.end_offset if fm is not None and fm.block.close_line is not None else 0
        url = self._url_for(rel, meta, collection, collections, in_posts)
        if url is None:
            return ["skip"]
        permalink_line = None
        if fm is not None and "permalink" in fm.entries and isinstance(meta.get("permalink"), str):
            permalink_line = fm.entries["permalink"].key_span.line
        anchors = None
        if anchors_of is not None:
            anchors = anchors_of()
        elif with_anchors:
            from naislint.page.anchors import html_page_anchors, is_html_page, page_anchors

            anchors = (html_page_anchors if is_html_page(rel) else page_anchors)(text, body_start)
        reason = None
        if collection is not None and not collections[collection].get("output"):
            reason = f"its collection {collection!r} has no 'output: true'"
        elif meta.get("published") is False:
            reason = "it has 'published: false'"
        redirect_to = meta.get("redirect_to")
        title = meta.get("title")
        return ["page", url, permalink_line, anchors, reason, _redirect_from(meta),
                isinstance(redirect_to, str) and bool(redirect_to.strip()),
                title.strip() if isinstance(title, str) and title.strip() else None]

    def _apply(self, rel: str, facts: list) -> None:
        """Add one file's facts to the index tables."""
        kind = facts[0]
        if kind == "file":
            self.files.add(facts[1])
            self.static_sources[rel] = facts[1]
            return
        if kind != "page":
            return
        _kind, url, permalink_line, anchors, reason, redirect_from, redirect_to, title = facts
        if title is not None and reason is None:
            self.titles[rel] = title
        if redirect_to:
            self.redirecting.add(rel)
        if redirect_from and reason is None:
            self.redirects[rel] = redirect_from
        if permalink_line is not None:
            self.permalink_lines[rel] = permalink_line
        if anchors is not None:
            self.anchors[rel] = anchors
        if reason is not None:
            self.unpublished[rel] = url
            self.unpublished_reason[rel] = reason
            return
        self.pages[rel] = url

    def data_of(self, rel: str, meta: dict, collection: str | None, in_posts: bool) -> dict:
        """A page's data as Jekyll sees it: its front matter over the ``defaults:`` whose
        scope takes in its path and type (``pages``, ``posts`` or the collection)."""
        if not self.defaults:
            return meta
        from naislint.jekyll import defaults as jekyll_defaults

        kind = "posts" if in_posts else collection or "pages"
        # A page's defaults depend on its path alone, and the rules ask for its data
        # several times (its URL, whether it is published): matched once per path.
        known = self.__dict__.setdefault("_defaults_of", {})
        found = known.get((rel, kind))
        if found is None:
            found = known[(rel, kind)] = jekyll_defaults.defaults_for(self.defaults, rel, kind)
        return jekyll_defaults.merge(found, meta)

    def url_of(self, rel: str, meta: dict) -> str | None:
        """The URL of a page at ``rel`` with front matter ``meta`` (it need not be on disk)."""
        known = self.__dict__.get("_urls", {}).get(rel)
        if known is not None and known[0] is meta:
            return known[1]  # worked out from this very front matter by document_facts
        parts = rel.split("/")
        collection = None
        if parts[0].startswith("_") and parts[0][1:] in self.collections and len(parts) > 1:
            collection = parts[0][1:]
        in_posts = "_posts" in parts[:-1]
        data = self.data_of(rel, meta, collection, in_posts)
        return self._url_for(rel, data, collection, self.collections, in_posts)

    def is_published(self, rel: str, meta: dict) -> bool:
        """Whether Jekyll publishes the page at ``rel`` with front matter ``meta``."""
        parts = rel.split("/")
        collection = None
        if parts[0].startswith("_") and parts[0][1:] in self.collections and len(parts) > 1:
            collection = parts[0][1:]
            if not self.collections[collection].get("output"):
                return False
        data = self.data_of(rel, meta, collection, "_posts" in parts[:-1])
        return data.get("published") is not False

    def link_tag_url(self, path: str) -> str | None:
        """The URL ``{% link path %}`` gives (``Jekyll::Tags::Link``): the published page,
        document, post or static file whose path from the site root is ``path`` (a static
        file's with or without a leading ``/``), with the base URL; ``None`` when none is."""
        if path in self.pages:
            return self.baseurl + self.pages[path]
        static = self.static_sources.get(path.lstrip("/") if path.startswith("/") else path)
        if static is not None:
            return self.baseurl + "/" + static
        return None

    def post_url(self, name: str) -> str | None:
        """The URL ``{% post_url name %}`` gives (``Jekyll::Tags::PostUrl``): the post
        ``[dir/]YYYY-MM-DD-slug`` under ``_posts``, or failing that (Jekyll warns but
        accepts it) any post with that date and slug; ``None`` when no post matches."""
        m = _POST_URL_NAME_RE.match(name.lstrip("/"))
        if m is None:
            return None
        folder, date, slug = m.group(1) or "", m.group(2), m.group(3)
        base = re.escape(date) + "-" + re.escape(slug) + r"\.[^./]+$"
        wanted = re.compile(r"^_posts/" + re.escape(folder) + base + "|^" + re.escape(folder) + r"_posts/?" + base)
        fallback = None
        for rel, url in self.pages.items():
            if "_posts/" not in rel:
                continue
            if wanted.match(rel):
                return self.baseurl + url
            post = POST_NAME_RE.match(rel.rsplit("/", 1)[-1])
            if fallback is None and post and post.group(2) == slug and _same_date(post.group(1), date):
                fallback = self.baseurl + url
        return fallback

    def pages_at(self, url: str) -> list[str]:
        """Published pages whose URL is ``url`` (trailing slash and ``.html`` aside)."""
        k = urls.key(url)
        return [r for r in self.targets.get(k, []) if r in self.pages and urls.key(self.pages[r]) == k]

    def _url_for(
        self, rel: str, meta: dict, collection: str | None, collections: dict[str, dict], in_posts: bool
    ) -> str | None:
        """The URL Jekyll gives a page, or ``None`` when Jekyll does not publish it.

        ``meta`` is the page's data (front matter over its ``defaults:``). Posts and
        collection documents fill their collection's ``permalink:`` (for posts, else the
        site's permalink style); a page's own ``permalink`` may use the same placeholders.
        """
        from naislint.jekyll import permalinks

        name = rel.rsplit("/", 1)[-1]
        stem, ext = posixpath.splitext(name)
        out_ext = ".html" if ext.lower() in MARKDOWN_EXTENSIONS + (".html", ".htm") else ext
        permalink = meta.get("permalink")
        own = permalink.strip() if isinstance(permalink, str) and permalink.strip() else None
        if in_posts or collection is not None:
            label = "posts" if in_posts else collection
            assert label is not None
            if in_posts and not POST_NAME_RE.match(name):
                return None  # Jekyll reads only dated files in _posts
            before = rel.split("/_posts/", 1)[0] if in_posts and not rel.startswith("_posts/") else ""
            path_categories = [c for c in before.split("/") if c]
            template = collections.get(label, {}).get("permalink")
            if not isinstance(template, str) or not template.strip():
                if label == "posts":
                    template = permalinks.style_template(self.permalink_style)
                else:
                    template = permalinks.add_suffix("/:collection/:path", self.permalink_style)
            wanted = permalinks.placeholders(own or template)
            values = permalinks.document_values(rel, label, meta, out_ext, path_categories, wanted)
            if in_posts and not rel.startswith("_posts/"):
                values["path"] = posixpath.splitext(rel)[0]
            url = permalinks.expand(own or template, values)
            if url is None:
                return _clean_permalink(own) if own else None
            return _clean_permalink(url)
        if own:
            values = permalinks.page_values(rel, out_ext)
            for key in ("path", "basename", "output_ext"):
                own = own.replace(":" + key, values[key])
            return _clean_permalink(own)
        folder = posixpath.dirname(rel)
        folder = "/" + folder + "/" if folder else "/"
        if stem == "index" and out_ext == ".html":
            return folder
        if out_ext != ".html":
            return folder + stem + out_ext
        style = self.permalink_style
        if style == "pretty" or (style not in ("date", "ordinal", "none", "weekdate") and style.endswith("/")):
            return folder + stem + "/"
        return folder + stem + ".html"

    # -- lookups ------------------------------------------------------------------------

    def rel(self, path: str) -> str | None:
        """``path`` relative to the site root, or ``None`` when it lies outside."""
        try:
            plain_file = stat.S_ISREG(os.lstat(path).st_mode)
        except OSError:
            plain_file = False
        if plain_file:
            # A regular file (not a link) is where its folder is: resolving the folder
            # once serves every file in it, and a run asks for each.
            folder, name = os.path.split(os.path.abspath(path))
            if folder not in self._folders:
                self._folders[folder] = self._resolved_rel(folder)
            parent = self._folders[folder]
            if parent is None:
                return None
            return name if parent == "." else parent + "/" + name
        return self._resolved_rel(path)

    def _resolved_rel(self, path: str) -> str | None:
        full = os.path.realpath(path)
        try:
            rel = os.path.relpath(full, self.root)
        except ValueError:
            return None
        if rel.startswith(".."):
            return None
        return rel.replace(os.sep, "/")

    def page_url(self, path: str) -> str | None:
        """The published URL of the page at ``path`` (a file system path)."""
        rel = self.rel(path)
        if rel is None:
            return None
        return self.pages.get(rel) or self.unpublished.get(rel)

    def conflicts(self, rel: str) -> list[str]:
        """Other published pages at the same URL as page ``rel``."""
        url = self.pages.get(rel)
        if url is None:
            return []
        k = urls.key(url)
        return [r for r in self.targets.get(k, []) if r != rel and r in self.pages and urls.key(self.pages[r]) == k]

    def lookup(self, url: str) -> Target | None:
        """What a decoded absolute URL path resolves to, or ``None``."""
        found = self.targets.get(urls.key(url))
        if not found:
            return None
        for rel in found:
            if rel in self.pages:
                return Target("page", rel)
        return Target("file", found[0])

    def source(self, page_rel: str | None, link_path: str) -> str | None:
        """A link to a markdown *source* file (``x.md``), as jekyll-relative-links reads it.

        Returns the rel path of the page it names, when that page exists.
        """
        decoded = urls.resolve("/" + (posixpath.dirname(page_rel) + "/" if page_rel and "/" in page_rel else ""),
                               link_path)
        rel = decoded.lstrip("/")
        if rel in self.pages:
            return rel
        return None

    def suggest(self, url: str) -> str | None:
        """The URL that was probably meant, or ``None`` when nothing is close enough.

        In order: the same URL in another case; a page or file with the same last
        segment elsewhere (the page moved); the same name with an extension; a close
        match among siblings; a close match anywhere.
        """
        memo = self.__dict__.setdefault("_suggested", {})
        if url not in memo:
            memo[url] = self._suggest(url)
        return memo[url]

    def _suggest(self, url: str) -> str | None:
        k = urls.key(url)
        same_case = [c for c in self.folded.get(k.casefold(), []) if c != k]
        if same_case:
            return self._display(same_case[0], url)
        parent, _, last = k.rpartition("/")
        if last:
            moved = [c for c in self.segments.get(last.casefold(), []) if c != k]
            if moved:
                exact = [c for c in moved if c.rpartition("/")[2] == last] or moved
                best = max(exact, key=lambda c: difflib.SequenceMatcher(None, k, c).ratio())
                return self._display(best, url)
        children = self.children.get(parent or "/", [])
        if last and len(children) > _SMALL_FOLDER and k not in self.targets:
            # A big folder: its names are indexed once, not gone through one by one.
            names, ordered = self._folder(parent or "/")
            at = bisect.bisect_left(ordered, last + ".")
            with_ext = []
            while at < len(ordered) and ordered[at].startswith(last + "."):
                with_ext.append(names[ordered[at]])
                at += 1
            if with_ext:
                return self._display(min(with_ext, key=children.index), url)
            if len(last) >= 6:
                close = self._matcher(parent or "/").best(last, 0.8)
                if close is not None:
                    return self._display(names[close], url)
        elif last:
            siblings = [c for c in children if c != k]
            with_ext = [c for c in siblings if c.rpartition("/")[2].startswith(last + ".")]
            if with_ext:
                return self._display(with_ext[0], url)
            if len(last) >= 6:
                names = {c.rpartition("/")[2]: c for c in siblings}
                found = difflib.get_close_matches(last, list(names), n=1, cutoff=0.8)
                if found:
                    return self._display(names[found[0]], url)
        close = self._matcher(None).best(k, 0.9)
        if close is not None and close != k:
            return self._display(close, url)
        if last:
            # An unpublished page with that name: worth naming, with its state.
            rel = self._unpublished_by_name().get(last.casefold())
            if rel is not None:
                return self.unpublished[rel]
        return None

    def _matcher(self, parent: str | None) -> Any:
        """The "did you mean" index of every URL key (``parent`` None) or of the last
        segments of a folder's children, built on first need and kept (see
        :mod:`naislint.site.suggest`)."""
        from naislint.site.suggest import CloseMatcher

        matchers = self.__dict__.setdefault("_matchers", {})
        if parent not in matchers:
            words = self.targets if parent is None else (c.rpartition("/")[2] for c in self.children.get(parent, []))
            matchers[parent] = CloseMatcher(words)
        return matchers[parent]

    def _folder(self, parent: str) -> tuple[dict[str, str], list[str]]:
        """A folder's children by last segment, and those segments sorted (made once)."""
        folders = self.__dict__.setdefault("_folders_named", {})
        if parent not in folders:
            names = {c.rpartition("/")[2]: c for c in self.children.get(parent, [])}
            folders[parent] = (names, sorted(names))
        return folders[parent]

    def _unpublished_by_name(self) -> dict[str, str]:
        """Case-folded last segment -> the first unpublished page with it."""
        if "_unpublished_names" not in self.__dict__:
            names: dict[str, str] = {}
            for key, rel in self.unpublished_keys.items():
                names.setdefault(key.rpartition("/")[2].casefold(), rel)
            self.__dict__["_unpublished_names"] = names
        return self.__dict__["_unpublished_names"]

    def _display(self, key: str, asked: str) -> str:
        """Show a suggested key the way the site writes it (the page URL or file path)."""
        rels = self.targets.get(key, [])
        for rel in rels:
            if rel in self.pages:
                return self.pages[rel]
        if rels:
            return "/" + rels[0]
        return key + ("/" if asked.endswith("/") else "")

    def is_blind(self, url: str) -> bool:
        """Whether a decoded absolute URL path may name something in a folder the index
        could not read (its own path, or a collection document's published path)."""
        if not self.unreadable:
            return False
        path = url.split("?", 1)[0].split("#", 1)[0].strip("/")
        for folder in self.unreadable:
            views = [folder]
            head, _, rest = folder.partition("/")
            if head.startswith("_") and head[1:] in self.collections:
                views.append(head[1:] + ("/" + rest if rest else ""))
            for view in views:
                if view == "" or path == view or path.startswith(view + "/"):
                    return True
        return False

    def same_title(self, rel: str, title: str) -> list[str]:
        """Other published pages in the folder of page ``rel`` whose title is ``title``
        (compared without case and extra spaces): the side navigation and the search
        results show them as one entry twice. Redirect pages show nowhere; posts are
        listed by date, and a ministry answers the same question in several years."""
        if _is_post(rel):
            return []
        groups = self.__dict__.get("_title_groups")
        if groups is None:
            groups = {}
            for page, page_title in self.titles.items():
                if page not in self.redirecting and not _is_post(page):
                    groups.setdefault((posixpath.dirname(page), _title_key(page_title)), []).append(page)
            self.__dict__["_title_groups"] = groups
        return [r for r in groups.get((posixpath.dirname(rel), _title_key(title)), []) if r != rel]

    def anchors_of(self, rel: str) -> list[str]:
        return self.anchors.get(rel, [])


class SiteBuild:
    """A site index being built: the facts the cache held, and the files still unread.

    Every file in :attr:`pending` gets its facts through :meth:`add` (read by the index
    itself, or taken from a page the run has linted) before :meth:`finish` assembles the
    index in the walk's order, so the result does not depend on who read what.
    """

    def __init__(self, index: SiteIndex, facts_cache: Any) -> None:
        self.index = index
        self.facts_cache = facts_cache
        #: rel path -> (full path, stat stamp) of files whose facts are still unknown.
        self.pending: dict[str, tuple[str, tuple[int, int]]] = {}
        self.order: list[str] = []
        self.facts: dict[str, list | None] = {}

    def add(self, rel: str, facts: list, digest: str | None = None) -> None:
        full_stamp = self.pending.pop(rel, None)
        if full_stamp is None:
            return
        self.facts[rel] = facts
        self.facts_cache.put(rel, full_stamp[1], facts, digest)

    def from_tree(self, reading: "list[str]") -> bool:
        """Take the site's files from the facts cache instead of a walk, when no folder
        changed since the last one (see :meth:`SiteIndex.begin`); ``False`` when the
        cache cannot stand in for a walk."""
        cache = self.facts_cache
        index = self.index
        if not cache.tree_unchanged(index.root):
            return False
        wanted = {index.rel(path) for path in reading}
        for rel in cache.old:
            full = os.path.join(index.root, rel)
            if rel in wanted:
                try:
                    stamp = walk_stamp(os.stat(full))
                except OSError:
                    return False
                facts = cache.get(rel, stamp, full)
                if facts is None:
                    self.pending[rel] = (full, stamp)
            else:
                facts = cache.trusted(rel)
                if facts is None:
                    return False
            self.order.append(rel)
            self.facts[rel] = facts
        tree = cache.old_tree
        assert tree is not None
        index.entries = set(self.order)
        index.all_files = index.entries | set(tree["others"])
        if not all(rel is None or rel in index.all_files for rel in wanted):
            return False  # a page the last walk did not see
        cache.tree = tree
        return True

    def read_pending(self, jobs: int = 1) -> None:
        """Read every file still pending (those the run did not lint)."""
        pending = [(rel, full) for rel, (full, _stamp) in self.pending.items()]
        for (rel, _full), (facts, digest) in zip(pending, _compute_facts(self.index, pending, jobs)):
            self.add(rel, facts, digest)

    def finish(self) -> SiteIndex:
        self.read_pending()
        index = self.index
        for rel in self.order:
            index._apply(rel, self.facts[rel])  # type: ignore[arg-type]
        self.facts_cache.save(self.order)
        index.fingerprint = self.facts_cache.fingerprint()
        for rel, url in index.pages.items():
            index._register(urls.key(url), rel)
        for rel, url in index.unpublished.items():
            index.unpublished_keys.setdefault(urls.key(url), rel)
        for rel, redirects in index.redirects.items():
            for url in redirects:
                index._register(urls.key(url), rel)
        for rel in index.files:
            index._register(urls.key("/" + rel), rel)
        return index


# -- helpers ----------------------------------------------------------------------------


#: A folder with more children than this gets its names indexed for "did you mean".
_SMALL_FOLDER = 64
#: Below this many files to read, one process is faster than starting a pool.
MIN_FILES_FOR_POOL = 300
_BUILDING: "SiteIndex | None" = None


def _compute_facts(index: SiteIndex, pending: list[tuple[str, str]], jobs: int) -> "list[tuple[list, str | None]]":
    """Facts of the files not in the cache, read by ``jobs`` forked processes when many.

    Workers inherit the half-built index (its settings are all ``_facts`` needs) through
    the fork and return plain lists.
    """
    collections = index.collections
    if jobs > 1 and len(pending) >= MIN_FILES_FOR_POOL:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            global _BUILDING
            _BUILDING = index
            try:
                from naislint import child_process

                pool_context = multiprocessing.get_context("fork")
                with pool_context.Pool(jobs, initializer=child_process.die_with_parent, initargs=(os.getpid(),)) as pool:
                    return pool.map(_facts_in_worker, pending, chunksize=32)
            finally:
                _BUILDING = None
    return [index._facts(rel, full, collections) for rel, full in pending]


def _facts_in_worker(item: tuple[str, str]) -> "tuple[list, str | None]":
    assert _BUILDING is not None
    return _BUILDING._facts(item[0], item[1], _BUILDING.collections)


_FRONT_MATTER_HEAD_RE = re.compile(rb"---[ \t]*\r?\n")


def _has_front_matter(full: str, root: str | None = None) -> bool | None:
    """Jekyll's test: the first line is ``---`` (trailing blanks allowed); ``None`` when
    the file cannot be read (its facts then hold for this run only).

    Every file of the site is asked, images too: only a regular file inside ``root`` is
    opened (without blocking), so a named pipe or a link to ``/dev/stdin`` is not a page.
    """
    from naislint.page.safeopen import read_head

    try:
        head = read_head(full, 64, root)
    except OSError:
        return None
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return _FRONT_MATTER_HEAD_RE.match(head) is not None



_POST_URL_NAME_RE = re.compile(r"^((?:.+/)*)(\d+-\d+-\d+)-(.*)$")


def _is_post(rel: str) -> bool:
    return rel.startswith("_posts/") or "/_posts/" in rel


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _same_date(a: str, b: str) -> bool:
    try:
        return [int(x) for x in a.split("-")] == [int(x) for x in b.split("-")]
    except ValueError:
        return False


def _redirect_from(meta: dict) -> list[str]:
    """The URLs jekyll-redirect-from publishes a redirect page at for a page's
    ``redirect_from`` (a string or a list of them; Liquid in one is not evaluated)."""
    value = meta.get("redirect_from")
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [_clean_permalink(v) for v in items if isinstance(v, str) and v.strip() and "{" not in v]


def _clean_permalink(permalink: str) -> str:
    """Jekyll's URL sanitising: one leading slash, no ``//``, decoded for comparison."""
    from urllib.parse import unquote

    url = "/" + permalink.strip().lstrip("/")
    url = re.sub(r"/{2,}", "/", url.replace("/./", "/"))
    return unquote(url, errors="replace")
