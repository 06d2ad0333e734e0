"""The run: discover files, build what the rules need, lint each file, collect results.

One bad file never stops the run: a file that cannot be read becomes an
``unreadable-file`` diagnostic, and a rule that raises is recorded as an internal error
(reported by the CLI, exit 2) while every other rule and file goes on.
"""

from __future__ import annotations

import dataclasses
import os
import traceback
from typing import Any, Iterable

from naislint import jekyll
from naislint.jekyll import datafiles, rendering

from naislint.page import suppress
from naislint.config import presets
from naislint.config.loader import Config, ConfigError, RuleSetting, config_for_root, plan_flags
from naislint.diagnostics import Diagnostic, Finding, Span
from naislint.run.discover import Target, display_path, relative_to, walk_markdown
from naislint.page.document import Document, UnreadableFile
from naislint.page.protected import guard_fixes
from naislint.jekyll import pagekinds
from naislint.jekyll.pagekinds import PagePlace
from naislint.registry import PREPARED_FIELD, Rule, RuleContext, RunEnvironment, keep_scan_in, lookup
from naislint.page.safeopen import target_boundary
from naislint.run.options import RunOptions, default_jobs
from naislint.run.results import FileResult, RunResult, excerpts_of
from naislint.page.renderer import is_jekyll_page
from naislint.store.parsed import configure as keep_parsed_files

UNREADABLE = "unreadable-file"
UNUSED_SUPPRESSION = "unused-suppression"
class Linter:
    """Holds per-run state: configs per root, site indexes per root."""

    def __init__(self, options: RunOptions | None = None) -> None:
        self.options = options or RunOptions()
        # A run that uses the results cache keeps each site's parsed _config.yml too.
        keep_parsed_files(self.options.use_cache, self.options.cache_dir)
        self._configs: dict[str, Config] = {}
        #: Preset -> the first config read from no file with it, whose rule settings the
        #: other such configs share (see :meth:`Config.share_settings_with`).
        self._fileless: dict[str | None, Config] = {}
        #: Folder -> the config file that applies to it (see :func:`find_config_file`).
        self._config_files: dict[str, str | None] = {}
        #: Site root -> its site index, built on first need (the workers receive them).
        self.sites: dict[str, Any] = {}
        self._prepared: dict[tuple[str, str], Any] = {}
        #: (folder, folder walked) -> the repository root of the pages in that folder.
        self._repository_roots: dict[tuple[str, str | None], str] = {}
        self.internal_errors: list[str] = []
        #: Folder (absolute) -> (shown path, site root, error) of each folder a walk
        #: could not list.
        self.unreadable_folders: dict[str, tuple[str, str | None, OSError]] = {}
        #: id of a settings dict -> that dict and its enabled rules (see :meth:`_active`).
        self._actives: dict[int, tuple[dict[str, RuleSetting], ActiveRules]] = {}
        #: (site root, id of its config) -> the site's renderer (see :meth:`load`).
        self._renderers: dict[tuple[str, int], Any] = {}

    # -- configuration -----------------------------------------------------------------

    def config_for(self, site_root: str | None, file_path: str | None = None) -> Config:
        base = site_root or (os.path.dirname(os.path.abspath(file_path)) if file_path else os.getcwd())
        if base not in self._configs:
            if self.options.use_cache:
                # The rules are first needed while this config is read: their scan is
                # kept with the results cache.
                keep_scan_in(self.options.cache_dir or site_root)
            config = config_for_root(base, self.options.config_path, self._config_files)
            config.select = self.options.select
            config.ignore = self.options.ignore
            config.extend_select = self.options.extend_select
            if config.preset is None:
                config.preset = presets.automatic(site_root)
                config.preset_chosen = True
            if config.path is None:
                twin = self._fileless.setdefault(config.preset, config)
                if twin is not config:
                    config.share_settings_with(twin)
            self._configs[base] = config
        return self._configs[base]

    def site_root_for(self, path: str) -> str | None:
        if self.options.site_root:
            return os.path.abspath(self.options.site_root)
        return jekyll.find_site_root(path)

    # -- discovery ---------------------------------------------------------------------

    def discover(self, paths: Iterable[str]) -> list[Target]:
        """Targets for the given files and folders, each once, in a stable order.

        Folders that cannot be listed are kept in :attr:`unreadable_folders`, for
        :meth:`run` to report."""
        seen: set[str] = set()
        targets: list[Target] = []
        for given in paths:
            if os.path.isdir(given):
                # A folder may hold several sites (or be inside one): each file's site
                # is the nearest _config.yml above it. What depends on the folder alone
                # (site root, shown path, absolute path) is worked out once per folder.
                folders: dict[str, tuple[str | None, str, str]] = {}
                walked_from = os.path.abspath(given)

                def unreadable(_rel: str, path: str, error: OSError) -> None:
                    key = os.path.abspath(path)
                    if key not in self.unreadable_folders:
                        self.unreadable_folders[key] = (display_path(path), self.site_root_for(path), error)

                for path in walk_markdown(given, self._excluder(given), unreadable):
                    folder, name = os.path.split(path)
                    known = folders.get(folder)
                    if known is None:
                        shown = display_path(folder)
                        known = folders[folder] = (
                            self.site_root_for(folder),
                            "" if shown == "." else shown + os.sep,
                            os.path.join(os.path.abspath(folder), ""),
                        )
                    root, shown_prefix, absolute = known
                    key = absolute + name
                    if key not in seen:
                        seen.add(key)
                        targets.append(Target(path, shown_prefix + name, root, walked_from))
                roots = {known[0] for known in folders.values()} | {self.site_root_for(given)}
                if self.options.use_cache:
                    # Pages in no site keep the rules' scan where their results are cached
                    # (a site's root, when the walk met one first, keeps it instead).
                    keep_scan_in(self.options.cache_dir or walked_from)
                self._add_data_files(targets, seen, given, sorted(r for r in roots if r is not None))
            else:
                root = self.site_root_for(given)
                config = self.config_for(root, given)
                rel = relative_to(given, root or config.root)
                if given.endswith(datafiles.YAML_SUFFIXES):
                    # A site's data file is linted; any other YAML file (a CI workflow,
                    # the linter's own config) is not a page and not a data file.
                    if datafiles.kind_of_path(given, root) is None or config.is_excluded(rel):
                        continue
                elif config.is_excluded(rel) or self._site_skips(relative_to(given, root), root):
                    continue
                self._add(targets, seen, given, display_path(given), root)
        return targets

    def _add_data_files(self, targets: list[Target], seen: set[str], folder: str, roots: list[str]) -> None:
        """Add the data files (:mod:`naislint.jekyll.datafiles`) of each site in
        ``roots`` that lie in the walked ``folder`` and the config does not exclude."""
        top = os.path.abspath(folder).rstrip(os.sep) + os.sep
        for root in roots:
            config = self.config_for(root)
            for path in datafiles.site_files(root):
                absolute = os.path.abspath(path)
                if not absolute.startswith(top) or config.is_excluded(relative_to(path, root)):
                    continue
                self._add(targets, seen, path, display_path(os.path.join(folder, absolute[len(top):])), root)

    @staticmethod
    def _site_skips(rel: str, root: str | None) -> bool:
        """Whether a folder walk would skip this file: Jekyll does not read it (its entry
        filter: ``exclude``, ``_site``, dot folders ...), or it lies in a folder never
        walked. Named files obey the same rules, because a pre-commit hook names every
        changed file, and a README.md that ``_config.yml`` excludes is not a page."""
        if root is None:
            return False
        return jekyll.never_walked(rel) or not jekyll.entry_filter(root).reads(rel)

    def _excluder(self, folder: str) -> Any:
        """``excluded(path, is_dir)`` for a walk of ``folder``: the config's ``exclude``,
        and Jekyll's entry filter of the path's site (of ``folder`` itself, with Jekyll's
        defaults, for paths in no site)."""
        top = os.path.abspath(folder)
        cache: dict[str | None, tuple[Config, Any, str]] = {}
        #: Folder -> its context, its path below the config's base and below the site's
        #: root (each with a trailing "/", or empty).
        folders: dict[str, tuple[tuple[Config, Any, str], str, str]] = {}

        def context(path: str) -> tuple[tuple[Config, Any, str], str]:
            root = self.site_root_for(path)
            if root not in cache:
                cache[root] = (self.config_for(root, path), jekyll.entry_filter(root or top), root or top)
            return cache[root], root or cache[root][0].root

        def excluded(path: str, is_dir: bool) -> bool:
            if is_dir:
                (config, entry_filter, site_base), base = context(path)
                if config.is_excluded(relative_to(path, base)):
                    return True
                if os.path.abspath(path) == site_base:
                    return False  # a site's own root (a site inside the walked folder)
                return not entry_filter.may_hold(relative_to(path, site_base))
            parent, name = os.path.split(path)
            known = folders.get(parent)
            if known is None:
                found, base = context(parent)
                known = folders[parent] = (found, _folder_prefix(parent, base), _folder_prefix(parent, found[2]))
            (config, entry_filter, _site_base), prefix, site_prefix = known
            return config.is_excluded(prefix + name) or not entry_filter.reads(site_prefix + name)

        return excluded

    @staticmethod
    def _add(targets: list[Target], seen: set[str], path: str, display: str, root: str | None) -> None:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            targets.append(Target(path, display, root))

    # -- site index ----------------------------------------------------------------------

    def needs_site(self, settings: dict[str, RuleSetting]) -> bool:
        """Whether any enabled rule needs the site index."""
        # From the rules' metadata: a warm run asks of every page and loads no rule.
        return plan_flags(settings).needs_site

    def _active(self, settings: dict[str, RuleSetting]) -> "ActiveRules":
        """The enabled rules of a settings dict, sorted once per dict rather than once
        per page: a run has a handful of settings dicts (one per set of overrides that
        match, shared by every page they match) and thousands of pages."""
        known = self._actives.get(id(settings))
        if known is not None and known[0] is settings:
            return known[1]
        if len(self._actives) >= 256:
            self._actives.clear()  # dicts made per page (a rule's prepared data) do not pile up
        active = ActiveRules(settings)
        # The dict is kept with its rules, so its id cannot be reused while it is a key.
        self._actives[id(settings)] = (settings, active)
        return active

    def site_cache_dir(self, root: str) -> str | None:
        """Where the site index keeps its facts between runs (none without the cache)."""
        return (self.options.cache_dir or root) if self.options.use_cache else None

    def site_for(self, root: str | None, settings: dict[str, RuleSetting]) -> Any:
        """The site index for a root, built on first need by an enabled rule."""
        if root is None or not self.needs_site(settings):
            return None
        if root not in self.sites:
            from naislint.site.index import SiteIndex

            self.sites[root] = SiteIndex.build(
                root, self._configs.get(root), cache_dir=self.site_cache_dir(root), jobs=self.options.jobs or default_jobs()
            )
        return self.sites[root]

    def repository_root(self, target: Target, settings: dict[str, RuleSetting]) -> str | None:
        """For a page in no Jekyll site, judged by the ``github`` preset: the root of the
        repository its relative links resolve in, indexed on first need (a walk of file
        names, no file read), or ``None`` when it needs none."""
        if target.site_root is not None or not self.needs_site(settings):
            return None
        if self.config_for(None, target.path).preset != "github":
            return None
        from naislint.site import github

        # Every page of a folder has the same root: looked for once per folder and run.
        key = (os.path.dirname(os.path.abspath(target.path)), target.walked_from)
        root = self._repository_roots.get(key)
        if root is None:
            root = self._repository_roots[key] = github.repository_root(target.path, target.walked_from)
        if root not in self.sites:
            self.sites[root] = github.Repository.build(root, self._repository_cache_dir(target))
        return root

    def _repository_cache_dir(self, target: Target) -> str | None:
        """Where a repository keeps its anchor digests: where the results of the page
        that asked for it are cached (see ``parallel._CacheLookups._slot``)."""
        if not self.options.use_cache:
            return None
        config = self.config_for(None, target.path)
        return self.options.cache_dir or (os.path.dirname(config.path) if config.path else None) or target.walked_from

    # -- run-wide preparation (rules with a prepare_run hook) ---------------------------

    def prepare_rules(self, targets: Iterable[Target], settings: "Iterable[dict[str, RuleSetting]]") -> None:
        """Run each ``prepare_run`` hook once for every site's pages where its rule is on.

        Rules see one file at a time; some need the whole run first (a network check
        asks each URL once per run, not once per page linking it). This pass reads the
        pages first; it runs in the parent process before workers fork, so they inherit
        what it prepared. Targets not prepared here (stdin, ``lint_text``) are prepared
        alone when linted.
        """
        by_rule: dict[tuple[str, str | None], list[tuple[Target, Any]]] = {}
        for target, target_settings in zip(targets, settings):
            if not plan_flags(target_settings).prepares_run:
                continue
            for name, setting in target_settings.items():
                if setting.enabled and setting.info.prepares_run:
                    by_rule.setdefault((name, target.site_root), []).append((target, setting))
        for (name, root), items in by_rule.items():
            config = self.config_for(root, items[0][0].path)

            def documents(items: list[tuple[Target, Any]] = items, config: Config = config) -> Iterable[Any]:
                for target, setting in items:
                    try:
                        yield Document.load(target.path, config.max_file_size, target_boundary(target)), setting.options
                    except UnreadableFile:
                        continue

            prepared = self._prepare(items[0][1].rule, documents(), root, config)
            for target, _setting in items:
                self._prepared[(name, os.path.abspath(target.path))] = prepared

    def _prepare(self, rule: Rule, items: Iterable[Any], root: str | None, config: Config) -> Any:
        # Rules keep what they prepare beside the results cache (site root, or beside the
        # config file; none for a loose page), and only when that cache is in use.
        folder = root or (os.path.dirname(config.path) if config.path else None)
        base = (self.options.cache_dir or folder) if self.options.use_cache else None
        env = RunEnvironment(cache_folder=base, quiet=self.options.quiet,
                             allow_private_addresses=self.options.external_allow_private)
        assert rule.prepare_run is not None
        return rule.prepare_run(items, env)

    def cacheable(self, settings: dict[str, RuleSetting]) -> bool:
        """Whether a file's diagnostics depend only on the file (and the site): not when
        an enabled rule's answers change on their own (the network's)."""
        return plan_flags(settings).cacheable

    def _with_prepared(self, target: Target, doc: Document, settings: dict[str, RuleSetting]) -> dict[str, RuleSetting]:
        """Settings whose options carry what each enabled rule's ``prepare_run`` made."""
        import dataclasses

        updated = dict(settings)
        for name, setting in settings.items():
            if not setting.enabled or not setting.info.prepares_run:
                continue
            prepared = self._prepared.get((name, os.path.abspath(target.path)))
            if prepared is None:
                config = self.config_for(target.site_root, target.path)
                prepared = self._prepare(setting.rule, [(doc, setting.options)], target.site_root, config)
            options = dataclasses.replace(setting.options, **{PREPARED_FIELD: prepared})
            updated[name] = dataclasses.replace(setting, options=options)
        return updated

    # -- linting ---------------------------------------------------------------------------

    def lint_target(self, target: Target, text: str | None = None, raw: bytes | None = None) -> FileResult:
        """Lint one file: from disk, or from ``text`` / ``raw`` bytes given for that path."""
        loaded = self.load(target, text, raw)
        if isinstance(loaded, FileResult):
            return loaded
        doc, settings, place = loaded
        if target.site_root is None:
            # A Jekyll page out of its site links by URL: no repository for its rules.
            root = None if is_jekyll_page(doc) else self.repository_root(target, settings)
            site = self.sites.get(root) if root is not None else None
        else:
            site = self.site_for(target.site_root, settings)
        found = self.run_rules(doc, target.display, settings, RuleContext(place, site))
        return self.result(target, doc, settings, found, keep=text is not None or raw is not None)

    def load(
        self, target: Target, text: str | None = None, raw: bytes | None = None
    ) -> "tuple[Document, dict[str, RuleSetting], PagePlace] | FileResult":
        """The target's document, rule settings and place in its site, or its result when
        it cannot be read."""
        config = self.config_for(target.site_root, target.path)
        rel = relative_to(target.path, target.site_root or config.root)
        settings = config.settings_for(rel)
        try:
            if text is not None:
                doc = Document.from_text(text, target.path)
            elif raw is not None:
                if len(raw) > config.max_file_size:  # standard input: the same limit as a file
                    raise UnreadableFile(f"input is over the max-file-size limit of {config.max_file_size:,} bytes; not linted")
                doc = Document.from_bytes(raw, target.path)
            else:
                doc = Document.load(target.path, config.max_file_size, target_boundary(target))
        except UnreadableFile as exc:
            diags = []
            setting = settings.get(UNREADABLE)
            if setting is not None and setting.enabled:
                span = Span.point(exc.line, exc.column)
                message = exc.message
                from_disk = text is None and raw is None
                if from_disk and target.walked_from is None and not os.path.lexists(target.path):
                    message = "no such file or folder"  # a name given that never existed, likely mistyped
                diags.append(_diagnostic(target.display, setting, Finding(span, message)))
            return FileResult(target, diags, readable=exc.read)
        # Rules that depend on where a page sits (its page kind, the front matter schema
        # the config picks for it) read its place instead of searching for it again.
        preset = config.preset
        if preset == "github" and config.preset_chosen and is_jekyll_page(doc):
            # A page copied out of its site (it sets permalink or layout) is still a
            # Jekyll page, as the renderer model says: the jekyll preset judges it, or the
            # isomer preset when its front matter is the Isomer CMS's own.
            preset = "isomer" if pagekinds.written_by_isomer_cms(doc.meta) else "jekyll"
            settings = config.settings_for(rel, preset=preset)
        place = PagePlace(
            target.site_root,
            relative_to(target.path, target.site_root),
            preset,
            config.front_matter or {},
            os.path.dirname(os.path.abspath(config.path)) if config.path else None,
            isinstance(config.raw, dict) and config.raw.get("preset") is not None,
        )
        if target.site_root is None:
            doc.renderer = rendering.for_page(doc, None, config.raw)
        else:
            # In a site the renderer is the site's (its _config.yml and naislint's
            # ``renderer:``), the same for each page: asked once per site and config.
            key = (target.site_root, id(config))
            renderer = self._renderers.get(key)
            if renderer is None:
                renderer = self._renderers[key] = rendering.for_page(doc, target.site_root, config.raw)
            doc.renderer = renderer
        if plan_flags(settings).prepares_run:
            settings = self._with_prepared(target, doc, settings)
        doc.data_kind = datafiles.kind_of(rel) if target.site_root is not None else None
        return doc, settings, place

    def result(
        self, target: Target, doc: Document, settings: dict[str, RuleSetting], found: list[Diagnostic], keep: bool = False
    ) -> FileResult:
        """The file's result from every rule's findings: suppressions applied, sorted."""
        diags = self.finish_findings(doc, target.display, settings, found)
        keep = keep or self.options.keep_documents
        excerpts = excerpts_of(doc.lines, {d.span.line for d in diags}) if diags else {}
        return FileResult(target, diags, doc if keep else None, doc.digest, excerpts=excerpts)

    # -- whole runs --------------------------------------------------------------------

    def run(self, targets: list[Target]) -> RunResult:
        """Lint targets: cached results where valid, the rest in parallel processes."""
        from naislint.run import parallel

        outcome = parallel.run(self, targets)
        for notice in self.site_notices(targets):
            outcome.files.append(notice)
            outcome.diagnostics.extend(notice.diagnostics)
        return outcome

    def site_notices(self, targets: list[Target]) -> list[FileResult]:
        """Problems of the run's sites rather than of a page, each once: a
        ``_config.yml`` that does not parse (front-matter-syntax), a folder a walk
        could not list (unreadable-file)."""
        notices: list[FileResult] = []
        roots = sorted({t.site_root for t in targets if t.site_root is not None})
        for root in roots:
            problem = jekyll.load(root).error
            if problem is None:
                continue
            path = os.path.join(root, jekyll.SITE_CONFIG)
            message = f"{problem.message}; naislint goes on with Jekyll's defaults (no exclude, collections or theme)"
            notice = self._notice(path, root, "front-matter-syntax", Span.point(problem.line, problem.column), message)
            if notice is not None:
                notices.append(notice)
        for folder, (shown, root, error) in sorted(self.unreadable_folders.items()):
            reason = error.strerror or str(error)
            message = f"folder cannot be read ({reason}): its files are not checked, and links into it cannot be checked"
            notice = self._notice(folder, root, UNREADABLE, Span.point(1, 1), message, shown)
            if notice is not None:
                notices.append(notice)
        return notices

    def _notice(
        self, path: str, root: str | None, rule: str, span: Span, message: str, shown: str | None = None
    ) -> FileResult | None:
        """A result of one diagnostic for a file or folder that is not a page, when the
        rule is on for it."""
        config = self.config_for(root, path)
        setting = config.settings_for(relative_to(path, root or config.root)).get(rule)
        if setting is None or not setting.enabled:
            return None
        display = shown if shown is not None else display_path(path)
        return FileResult(Target(path, display, root), [_diagnostic(display, setting, Finding(span, message))])

    def run_rules(
        self,
        doc: Document,
        display: str,
        settings: dict[str, RuleSetting],
        ctx: RuleContext,
        site_rules: bool | None = None,
    ) -> list[Diagnostic]:
        """The findings of the enabled rules: all of them, or (``site_rules`` True/False)
        only those that do / do not need the site index, for a run that lints a page
        before its site's index is complete and finishes it after."""
        found: list[Diagnostic] = []
        # A repository read on GitHub answers the link rules only; the Jekyll site rules
        # (permalinks, titles, navigation) get no index there.
        from naislint.site import github

        no_site = dataclasses.replace(ctx, site=None) if github.is_repository(ctx.site) else None
        active = self._active(settings)
        checks = active.checks if site_rules is None else active.site_checks if site_rules else active.page_checks
        for name, setting, rule in checks:
            if not rule.reads(doc):
                continue
            rule_ctx = no_site if no_site is not None and name not in github.RULES else ctx
            try:
                for finding in rule.check(doc, rule_ctx, setting.options):
                    found.append(_diagnostic(display, setting, finding))
            except RecursionError:
                self.internal_errors.append(f"{display}: rule {name} gave up: the page nests too deeply")
            except Exception:  # a rule bug must not stop the run; it is reported loudly
                self.internal_errors.append(
                    f"{display}: rule {name} failed (this is a bug in naislint):\n{traceback.format_exc()}"
                )
        # No fix may edit code, Liquid, comments or escapes, whichever rule offers it.
        return guard_fixes(doc, found)

    def prepare_site_rules(self, doc: Document, display: str, settings: dict[str, RuleSetting]) -> None:
        """Let the enabled site rules take what they need from the page's parse, so that
        the parse can be released while the site index is completed."""
        for rule in self._active(settings).site_prepares:
            if rule.reads(doc):
                try:
                    rule.prepare(doc)
                except Exception:  # the check will meet the same problem and report it
                    continue

    def finish_findings(
        self, doc: Document, display: str, settings: dict[str, RuleSetting], found: list[Diagnostic]
    ) -> list[Diagnostic]:
        """Apply suppression comments and put the diagnostics in order."""
        if "naislint-" in doc.text:
            found = self._suppress(doc, display, settings, found)
        found.sort(key=_order)
        return found

    def _suppress(
        self, doc: Document, display: str, settings: dict[str, RuleSetting], found: list[Diagnostic]
    ) -> list[Diagnostic]:
        def resolve(word: str) -> str | None:
            rule = lookup(word)
            return rule.name if rule else None

        parsed = suppress.parse(doc, resolve)
        if not parsed.directives:
            return found
        kept = suppress.apply(found, parsed)
        setting = settings.get(UNUSED_SUPPRESSION)
        if setting is not None and setting.enabled:
            enabled = {name for name, s in settings.items() if s.enabled}
            for span, message in suppress.unused(parsed, enabled):
                kept.append(_diagnostic(display, setting, Finding(span, message)))
        return kept


class ActiveRules:
    """The enabled rules of one settings dict, as each page's run needs them: the checks
    in the settings' order (all, those that need no site index, those that do) and the
    site rules' ``prepare`` hooks. (What the plan asks of the settings as a whole is
    :func:`~naislint.config.loader.plan_flags`, read without loading a rule.)"""

    __slots__ = ("checks", "page_checks", "site_checks", "site_prepares")

    def __init__(self, settings: dict[str, RuleSetting]) -> None:
        enabled = [(name, s, s.rule) for name, s in settings.items() if s.enabled]
        self.checks = [item for item in enabled if item[2].check is not None]
        self.page_checks = [item for item in self.checks if not item[2].needs_site]
        self.site_checks = [item for item in self.checks if item[2].needs_site]
        self.site_prepares = [rule for _n, _s, rule in enabled if rule.needs_site and rule.prepare is not None]


def _folder_prefix(folder: str, base: str) -> str:
    """What :func:`relative_to` puts before the name of a file in ``folder``: the
    folder's path below ``base`` and a slash, or nothing (in ``base``, or outside it)."""
    absolute = os.path.abspath(folder)
    top = base.rstrip(os.sep)
    if absolute == top or not absolute.startswith(top + os.sep):
        return ""
    return absolute[len(top) + 1:].replace(os.sep, "/") + "/"


def _diagnostic(display: str, setting: RuleSetting, finding: Finding) -> Diagnostic:
    rule = setting.rule
    severity = setting.severity
    if finding.severity is not None and not setting.severity_set:
        severity = finding.severity
    return Diagnostic(
        path=display,
        span=finding.span,
        code=rule.code,
        rule=rule.name,
        severity=severity,
        message=finding.message,
        fix=finding.fix,
        url=rule.url,
    )


def _order(d: Diagnostic) -> tuple:
    return (d.span.line, d.span.column, d.code, d.message)


def lint_paths(paths: list[str], options: RunOptions | None = None, **kwargs: Any) -> RunResult:
    """Lint files and folders; the result holds diagnostics sorted by path and position."""
    options = options or RunOptions(**kwargs)
    linter = Linter(options)
    return linter.run(linter.discover(paths))


def lint_text(text: str, path: str = "<stdin>", options: RunOptions | None = None, **kwargs: Any) -> list[Diagnostic]:
    """Lint a buffer as the file ``path`` (its site is found from that path)."""
    options = options or RunOptions(**kwargs)
    linter = Linter(options)
    root = linter.site_root_for(path) if path != "<stdin>" else None
    target = Target(path, display_path(path) if path != "<stdin>" else path, root)
    return linter.lint_target(target, text=text).diagnostics


__all__ = ["ConfigError", "Linter", "RunOptions", "RunResult", "lint_paths", "lint_text"]
