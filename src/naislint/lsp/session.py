"""What the language server knows between requests: configs, site indexes, what changed.

Kept apart from the pygls wiring so that it can be tested without a client. The engine's
:class:`~naislint.run.engine.Linter` does the linting; this module decides which Linter (a new
one when a config file changes), which site index (built in the background, replaced
when files change, the previous one used meanwhile), and what a file event invalidates.

Site indexes are rebuilt whole, on a background thread, and lints keep using the previous
index until the new one is ready; with the site index's facts cache (on unless
``--no-cache``) a rebuild re-reads only the files that changed on disk.
Each root has a generation number that every invalidating event bumps; a build that
finishes after another event is discarded and started again, so a finished index is never
older than the last event the server saw.

The server lints on one worker thread (see :mod:`naislint.lsp.worker`) and calls
everything here that reads configs or lints from that thread; the index bookkeeping
(``generations``, ``sites``, ``built``) is also read from the event loop and is guarded by
a lock. A buffer larger than the ``max-file-size`` of its config is not linted (as the CLI
does not lint such a file): it gets one diagnostic saying why.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Any

from naislint import jekyll
from naislint.jekyll import datafiles
from naislint.config.loader import CONFIG_FILES, ConfigError
from naislint.diagnostics import Diagnostic, Span
from naislint.run.discover import MARKDOWN_SUFFIXES, Target, relative_to
from naislint.page.document import Document
from naislint.run.engine import Linter, RunOptions
from naislint.registry import RegistryError, lookup

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """The result of linting one buffer."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    document: Document | None = None
    #: A configuration problem that stopped linting (shown to the author instead).
    error: str | None = None
    config_path: str | None = None
    #: Why the buffer was not linted, when no rule reports it (unreadable-file is off).
    skipped: str | None = None


@dataclass
class Changes:
    """What a batch of file events invalidated."""

    config: bool = False
    roots: set[str] = field(default_factory=set)

    @property
    def any(self) -> bool:
        return self.config or bool(self.roots)


class ServerLinter(Linter):
    """A Linter whose site indexes come from the session, never built on the lint path."""

    def __init__(self, session: "Session", options: RunOptions) -> None:
        super().__init__(options)
        self.session = session

    def site_for(self, root: str | None, settings: dict) -> Any:
        if root is None or not self.needs_site(settings):
            return None
        return self.session.site_index(root) or self.session.cached_index(root)

    def repository_root(self, target: Any, settings: dict) -> str | None:
        """No repository index in the editor: it would go stale as files come and go.
        Pages read on GitHub still get their same-page anchors checked."""
        return None


class Session:
    """The workspace as the server sees it."""

    def __init__(self, options: RunOptions | None = None) -> None:
        self.options = options or RunOptions()
        self.options.keep_documents = True
        self.linter = ServerLinter(self, self.options)
        #: root -> the latest finished index (possibly older than the files on disk).
        self.sites: dict[str, Any] = {}
        #: root -> generation, bumped by every event that may change the index.
        self.generations: dict[str, int] = {}
        #: root -> generation of the index in ``sites``.
        self.built: dict[str, int] = {}
        #: root -> the index as the facts cache held it at start-up (``None``: none
        #: usable), used until the first build of that root is installed.
        self.cached: dict[str, Any] = {}
        #: Guards the dicts above, read by the event loop and the lint thread.
        self.lock = threading.RLock()

    # -- linting ---------------------------------------------------------------------------

    def lint(self, path: str, text: str, on_disk: bool = True) -> Outcome:
        """Lint an editor buffer as the file ``path``.

        ``on_disk`` is false for a buffer with no file behind it (an untitled page): it
        belongs to no site, and only the config of the current folder applies.
        """
        linter = self.linter
        try:
            root = linter.site_root_for(path) if on_disk else None
            config = linter.config_for(root, path)
        except (ConfigError, RegistryError) as exc:
            return Outcome(error=str(exc))
        rel = relative_to(path, root or config.root)
        if config.is_excluded(rel):
            return Outcome(config_path=config.path)
        size = utf8_size(text)
        if size > config.max_file_size:
            return self.too_large(path, config.settings_for(rel), size, config.max_file_size, config.path)
        result = linter.lint_target(Target(path, path, root), text=text)
        for error in linter.internal_errors:
            log.error("naislint internal error: %s", error)
        linter.internal_errors.clear()
        return Outcome(result.diagnostics, result.document, None, config.path)

    @staticmethod
    def too_large(path: str, settings: dict, size: int, limit: int, config_path: str | None) -> Outcome:
        """The outcome of a buffer over ``max-file-size``: one diagnostic, no lint.

        Reported by ``unreadable-file`` (as the CLI reports such a file on disk) unless
        that rule is off; then the server shows ``skipped`` on its own.
        """
        message = (f"page is {size:,} bytes, over the max-file-size limit of {limit:,}; "
                   "not linted (raise max-file-size in .naislint.yml to lint it)")
        setting = settings.get(UNREADABLE)
        rule = lookup(UNREADABLE)
        if setting is None or not setting.enabled or rule is None:
            return Outcome(config_path=config_path, skipped=message)
        diagnostic = Diagnostic(path, Span.point(1, 1), rule.code, rule.name,
                                setting.severity, message, None, rule.url)
        return Outcome([diagnostic], None, None, config_path)

    def fix_all(self, path: str, text: str, diagnostics: list[Diagnostic], on_disk: bool = True) -> str:
        """The buffer with every safe fix applied, re-linted until stable (as ``--fix``)."""
        from naislint.run.fix import fix_target
        from naislint.page.text import Decoded, dominant_newline

        # Positions do not count a BOM; edit the text after it and put it back.
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        text = text[len(bom):]
        root = self.linter.site_root_for(path) if on_disk else None
        decoded = Decoded(text=text, has_bom=False, newline=dominant_newline(text))
        return bom + fix_target(self.linter, Target(path, path, root), diagnostics, decoded, False).fixed

    # -- site indexes ------------------------------------------------------------------

    def site_index(self, root: str) -> Any:
        """The current index of ``root`` (``None`` until the first build finishes)."""
        with self.lock:
            self.generations.setdefault(root, 0)
            return self.sites.get(root)

    def cached_index(self, root: str) -> Any:
        """The site's index from the facts cache, while its first build runs: the first
        diagnostics of a page (broken links included) need not wait for the site to be
        walked and read. ``None`` without a cache, or when a folder of the site changed
        since the cache was filled (see :meth:`~naislint.site.index.SiteIndex.from_cache`)."""
        with self.lock:
            if root in self.cached:
                return self.cached[root]
        index = None
        if self.options.use_cache:
            from naislint.site.index import SiteIndex

            try:
                index = SiteIndex.from_cache(root, self.options.cache_dir or root)
            except Exception:  # only ever a shortcut: the build that follows says what is wrong
                log.exception("naislint server: reading the site index's cache of %s failed", root)
        with self.lock:
            self.cached.setdefault(root, index)
            return self.cached[root]

    def stale_roots(self) -> list[str]:
        """Roots some lint asked for whose index is missing or older than the last event."""
        with self.lock:
            return [r for r, g in self.generations.items() if self.built.get(r) != g]

    def build_job(self, root: str) -> tuple[int, Any, str | None] | None:
        """What a background build of ``root`` needs: generation, config, facts cache folder.

        Read here, on the server's thread; ``None`` when the config is broken (the lint
        already shows that error).
        """
        try:
            config = self.linter.config_for(root)
        except (ConfigError, RegistryError):
            return None
        cache_dir = (self.options.cache_dir or root) if self.options.use_cache else None
        with self.lock:
            return self.generations.get(root, 0), config, cache_dir

    @staticmethod
    def build(root: str, config: Any, cache_dir: str | None = None) -> Any:
        """Index a site (run on a worker thread; touches no session state).

        With the facts cache, a rebuild after a file event reads only the files whose
        size or modification time changed, not the whole site.
        """
        from naislint.site.index import SiteIndex

        return SiteIndex.build(root, config, cache_dir=cache_dir)

    def install(self, root: str, generation: int, index: Any) -> bool:
        """Use a finished index, unless an event arrived while it was being built."""
        with self.lock:
            if self.generations.get(root) != generation:
                return False
            self.sites[root] = index
            self.built[root] = generation
            return True

    # -- file events -------------------------------------------------------------------

    def files_changed(self, paths: list[str]) -> Changes:
        """Invalidate what files created, changed or deleted on disk may have changed.

        ``_config.yml`` changes site roots, excludes, collections and the preset: forget
        the Jekyll caches, the configs and every index. A naislint config file changes
        which rules run and how: a new Linter. Any other file under a site root that has an
        index may add or remove a URL, a permalink or an anchor: rebuild that index.
        """
        with self.lock:
            return self._files_changed(paths)

    def _files_changed(self, paths: list[str]) -> Changes:
        changes = Changes()
        for path in paths:
            name = os.path.basename(path)
            if name == jekyll.SITE_CONFIG:
                jekyll.clear_caches()
                changes.config = True
            elif name in CONFIG_FILES:
                changes.config = True
        if changes.config:
            self.linter = ServerLinter(self, self.options)
            self.cached.clear()
            for root in self.generations:
                self.generations[root] += 1
                changes.roots.add(root)
            return changes
        for path in paths:
            root = self.root_of(path)
            if root is not None and root in self.generations and not _ignored(path, root):
                if root not in changes.roots:
                    self.generations[root] += 1
                    changes.roots.add(root)
        return changes

    def root_of(self, path: str) -> str | None:
        try:
            return self.linter.site_root_for(path)
        except OSError:
            return None


UNREADABLE = "unreadable-file"


def utf8_size(text: str) -> int:
    """The size of ``text`` in UTF-8: the size the page has on disk, which the limit is for."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _ignored(path: str, root: str) -> bool:
    """Files whose changes no site index sees (tool folders, build output, dot-folders)."""
    rel = relative_to(path, root)
    parts = rel.split("/")
    if any(p in jekyll.ALWAYS_SKIPPED for p in parts[:-1]):
        return True
    return any(p.startswith(".") for p in parts) or parts[-1].endswith("~")


def is_markdown(path: str, language_id: str | None = None) -> bool:
    """Whether the server lints this document: markdown (by language or by name), or a
    site's data file (``_data/navigation.yml``, ``collection.yml``, ``_config.yml``)."""
    if language_id == "markdown" or path.endswith(MARKDOWN_SUFFIXES):
        return True
    if not path or not path.endswith(datafiles.YAML_SUFFIXES):
        return False
    return datafiles.kind_of_path(path, jekyll.find_site_root(path)) is not None
