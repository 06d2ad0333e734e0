"""Running a whole lint: cache lookups, then the rest across processes, each page read once.

A site's index is built from what every file of the site contributes (its URL, its
anchors). When pages to lint are among the files the index has not got in its cache
(every page of a cold run, the changed page of a pre-commit run), they are not read
twice: in a first pass the workers read and parse them, run every rule that needs no
site index, and send back the page's contribution to the index; the parent completes
each index from those and from the files nobody lints (read by the workers too), sends
each worker the finished indexes once, and the workers run the site rules on the pages
they kept. Pages whose contribution was cached are linted in one go once the index is
complete, after their cached results are checked (those depend on the index).

Workers are processes forked after the parent has loaded every configuration, so they
inherit it; messages carry target numbers one way and diagnostics the other. Small runs
stay in the parent process, where forking would cost more than it saves.
"""

from __future__ import annotations

import gc
import os
import signal
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from naislint import child_process
from naislint.run.discover import relative_to
from naislint.registry import RuleContext
from naislint.run.options import default_jobs

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from naislint.config.loader import RuleSetting
    from naislint.run.discover import Target
    from naislint.page.document import Document
    from naislint.run.engine import Linter
    from naislint.run.results import FileResult, RunResult
    from naislint.site.index import SiteBuild

#: Below this many files to lint, one process is faster than a pool.
MIN_FILES_FOR_POOL = 24
#: With the default ``--jobs``, below this many bytes to read one process is as fast as a
#: pool: forking, handing the site index to each worker and collecting the results cost
#: what the workers save (on an idle 2-core machine, 30 pages of 143 KiB ran 10% faster
#: with two workers, 75 pages of 438 KiB 23% faster).
MIN_BYTES_FOR_POOL = 128 * 1024
#: A run linting at most this many pages of a site may take the site's files from the
#: index's cache without walking it (see :meth:`naislint.site.index.SiteIndex.begin`).
FEW_PAGES = 32
#: Pages read in a first pass between two freezes of the garbage collector's heap.
FREEZE_EVERY = 64


@dataclass
class Plan:
    """Every target's settings and site, and the site indexes still being built."""

    targets: "list[Target]"
    settings: "list[dict[str, RuleSetting]]"
    #: Root of the site index each target's rules need (``None``: no index needed).
    roots: list[str | None]
    builds: "dict[str, SiteBuild]" = field(default_factory=dict)
    #: Target number -> its path relative to its site, for targets read in two passes.
    two_pass: dict[int, str] = field(default_factory=dict)
    #: Target number -> the stat stamp the site walk took of it before it was read.
    stamps: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: Wall clock before the site walks began (no later than any stamp in ``stamps``).
    started_ns: int = 0


def make_plan(linter: "Linter", targets: "list[Target]") -> Plan:
    """Settings for each target; start the index of each site some target needs."""
    from naislint.site.index import SiteIndex

    plan = Plan(targets, [], [], started_ns=time.time_ns())
    for target in targets:
        config = linter.config_for(target.site_root, target.path)
        settings = config.settings_for(relative_to(target.path, target.site_root or config.root))
        plan.settings.append(settings)
        root = target.site_root if target.site_root is not None and linter.needs_site(settings) else None
        if target.site_root is None:
            root = linter.repository_root(target, settings)  # a page read on GitHub: indexed at once
        plan.roots.append(root)
    # A run over a few pages of a site (a pre-commit hook, an editor's save) need not walk
    # the site when the index's cache shows no folder changed: those pages are named.
    few: dict[str, list[str]] = {}
    for target, root in zip(targets, plan.roots):
        if root is not None:
            few.setdefault(root, []).append(target.path)
    for i, target in enumerate(targets):
        root = plan.roots[i]
        if root is None or root in linter.sites:
            continue
        if root not in plan.builds:
            reading = few[root] if len(few[root]) <= FEW_PAGES else None
            plan.builds[root] = SiteIndex.begin(root, linter.site_cache_dir(root), reading)
        build = plan.builds[root]
        if build.pending:
            rel = build.index.rel(target.path)
            if rel is not None and rel in build.pending:
                plan.two_pass[i] = rel
                plan.stamps[i] = build.pending[rel][1]
    linter.prepare_rules(targets, plan.settings)
    return plan


class Work:
    """What a worker does with target numbers (the parent too, in a small run).

    ``read`` is the first pass of a two-pass target: the page is kept, its parse
    released, until ``finish`` runs the site rules on it.
    """

    def __init__(self, linter: "Linter", plan: Plan) -> None:
        self.linter = linter
        self.plan = plan
        self.held: "dict[int, tuple[Document, dict[str, RuleSetting], list[Any]]]" = {}
        self.reads = 0
        #: Set in worker processes: results then travel without their document.
        self.in_worker = False

    def handle(self, op: str, items: list) -> tuple[list, list[str]]:
        """Results of one batch, and the internal errors it recorded."""
        errors = self.linter.internal_errors
        before = len(errors)
        results = []
        for item in items:
            try:
                results.append(getattr(self, op)(item))
            except Exception:  # a bug must not lose the rest of the batch
                errors.append(f"naislint failed on {item!r} (this is a bug in naislint):\n{traceback.format_exc()}")
                results.append(None)
        found = errors[before:]
        del errors[before:]
        return results, found

    def read(self, i: int) -> "tuple[FileResult | None, tuple[list, str | None] | None]":
        """First pass: (the result, when the page cannot be read; its index facts and
        content digest, or ``None`` when the index must read the file itself)."""
        linter = self.linter
        target = self.plan.targets[i]
        loaded = linter.load(target)
        if not isinstance(loaded, tuple):
            return loaded, None
        doc, settings, place = loaded
        build = self.plan.builds[self.plan.roots[i]]  # type: ignore[index]
        facts = build.index.document_facts(self.plan.two_pass[i], doc)
        found = linter.run_rules(doc, target.display, settings, RuleContext(place), site_rules=False)
        linter.prepare_site_rules(doc, target.display, settings)
        if not linter.options.keep_documents:
            doc.release_parse()
        self.held[i] = (doc, settings, place, found)
        self._settle()
        return None, facts

    def _settle(self) -> None:
        """Keep the pages held between passes out of the cyclic garbage collector's sight.

        Held pages only grow the heap, and each full collection walks all of it: holding a
        site's pages made collections cost a tenth of the run. Young garbage is collected
        first, then everything alive is frozen (reference counting still frees the pages
        once the second pass is done with them; :func:`run` unfreezes at the end).
        """
        self.reads += 1
        if self.reads % FREEZE_EVERY == 0:
            gc.collect(1)
            gc.freeze()

    def finish(self, i: int) -> "FileResult":
        """Second pass: the site rules, now that the index is complete."""
        linter = self.linter
        target = self.plan.targets[i]
        doc, settings, place, found = self.held.pop(i)
        site = linter.sites.get(self.plan.roots[i])  # type: ignore[arg-type]
        found.extend(linter.run_rules(doc, target.display, settings, RuleContext(place, site), site_rules=True))
        return self._sendable(linter.result(target, doc, settings, found))

    def lint(self, i: int) -> "FileResult":
        return self._sendable(self.linter.lint_target(self.plan.targets[i]))

    def _sendable(self, result: "FileResult") -> "FileResult":
        if self.in_worker:
            result.document = None
        return result

    def facts(self, item: tuple[str, str]) -> "tuple[list, str | None]":
        """The index facts of a file nobody lints, and its digest."""
        root, rel = item
        build = self.plan.builds[root]
        full, _stamp = build.pending[rel]
        return build.index._facts(rel, full, build.index.collections)

    def sites(self, payload: bytes) -> None:
        """Take the finished indexes; each keeps the page URLs this process's first pass
        worked out (they do not travel: they are keyed by this process's documents)."""
        import pickle

        sites = pickle.loads(payload)
        for root, site in sites.items():
            build = self.plan.builds.get(root)
            if build is not None:
                site.adopt_urls(build.index)
        self.linter.sites.update(sites)


def run(linter: "Linter", targets: "list[Target]") -> "RunResult":
    from naislint.run.results import RunResult

    plan = make_plan(linter, targets)
    lookups = _CacheLookups(linter, plan)
    slots: "list[FileResult | None]" = [None] * len(targets)
    first: list[tuple[str, Any]] = []
    later: list[int] = []
    for i in range(len(targets)):
        if i in plan.two_pass:
            first.append(("read", i))
        elif plan.roots[i] in plan.builds:
            later.append(i)  # its cached result depends on the index being built
        else:
            hit = lookups.lookup(i, linter.sites.get(plan.roots[i]) if plan.roots[i] else None)
            if hit is not None:
                slots[i] = hit
            else:
                first.append(("lint", i))
    covered = {(plan.roots[i], rel) for i, rel in plan.two_pass.items()}
    for root, build in plan.builds.items():
        first.extend(("facts", (root, rel)) for rel in build.pending if (root, rel) not in covered)

    jobs = linter.options.jobs or default_jobs()
    with _workers(linter, plan, jobs) as pool:
        held_by: dict[int, int] = {}
        for (op, item), (result, worker) in zip(first, pool.run(first)):
            if op == "lint":
                if result is None:
                    later.append(item)  # its worker failed: try again
                else:
                    slots[item] = result
            elif op == "facts":
                if result is not None:
                    plan.builds[item[0]].add(item[1], *result)
            elif result is None:
                later.append(item)  # the first pass failed: lint it whole
            else:
                unreadable, facts = result
                if unreadable is not None:
                    slots[item] = unreadable
                else:
                    held_by[item] = worker
                    if facts is not None:
                        plan.builds[plan.roots[item]].add(plan.two_pass[item], *facts)  # type: ignore[index]
        sites = {root: build.finish() for root, build in plan.builds.items()}
        linter.sites.update(sites)
        second: list[tuple[str, Any]] = [("finish", i) for i in sorted(held_by)]
        for i in later:
            hit = lookups.lookup(i, linter.sites.get(plan.roots[i]))  # type: ignore[arg-type]
            if hit is not None:
                slots[i] = hit
            else:
                second.append(("lint", i))
        if second and sites and any(pool.alive):
            # Workers forked later inherit the finished index with the parent's memory.
            import pickle

            pool.broadcast("sites", pickle.dumps(sites, protocol=pickle.HIGHEST_PROTOCOL))
        pinned = [held_by.get(item) if op == "finish" else None for op, item in second]
        for (op, item), (result, _worker) in zip(second, pool.run(second, pinned)):
            # A page whose worker failed or died is linted here, whole.
            slots[item] = result if result is not None else linter.lint_target(targets[item])

    for i, file_result in enumerate(slots):
        if file_result is not None:
            lookups.store(i, file_result)
    lookups.save()
    outcome = RunResult()
    for file_result in slots:
        assert file_result is not None
        outcome.files.append(file_result)
        outcome.diagnostics.extend(file_result.diagnostics)
    outcome.internal_errors = linter.internal_errors
    return outcome


class _CacheLookups:
    """The results caches of a run: lookups before linting, stores after."""

    def __init__(self, linter: "Linter", plan: Plan) -> None:
        self.linter = linter
        self.plan = plan
        self.caches: dict[tuple[str, str], Any] = {}
        self.fingerprints: dict[int, str] = {}
        #: Site root -> the digest of its templates' stamps (see :meth:`_templates_digest`).
        self.templates: dict[str, str] = {}
        self.misses: dict[int, tuple[Any, str, Any, str]] = {}

    def lookup(self, i: int, site: Any) -> "FileResult | None":
        """Target ``i``'s cached result, or ``None`` (and its slot noted for :meth:`store`)."""
        from naislint.run.results import FileResult
        from naislint.page.safeopen import target_boundary

        slot = self._slot(i, site)
        if slot is None:
            return None
        results, cache_rel, current, site_fp = slot
        target = self.plan.targets[i]
        hit = results.lookup(cache_rel, current, site_fp, lambda t=target: _read(t.path, target_boundary(t)), target.display)
        if hit is not None:
            return FileResult(target, hit, excerpts=results.excerpts(cache_rel))
        self.misses[i] = slot
        return None

    def _slot(self, i: int, site: Any, current: Any = None) -> "tuple[Any, str, Any, str] | None":
        """Where target ``i``'s result is cached: its cache, key, stat stamp (``current``
        when given) and the site fingerprint; ``None`` when it is not cached at all."""
        linter = self.linter
        target = self.plan.targets[i]
        if not linter.options.use_cache or not linter.cacheable(self.plan.settings[i]):
            # A rule whose answers change without the file changing (external-link's
            # network answers, which have their own cache): lint afresh.
            return None
        from naislint.run import cache as cache_mod
        from naislint.store import stamps

        config = linter.config_for(target.site_root, target.path)
        # The cache lives at the site root, else beside the config, else in the folder
        # the run walked; a loose page named alone gets none rather than a cache folder
        # next to it.
        folder = (
            linter.options.cache_dir
            or target.site_root
            or (os.path.dirname(config.path) if config.path else None)
            or target.walked_from
        )
        if folder is None:
            return None
        fingerprint = self.fingerprints.get(id(config))
        if fingerprint is None:
            from naislint.jekyll.rendering import cache_key

            # What the site's renderer is (read from _config.yml) changes what a page shows.
            fingerprint = self.fingerprints[id(config)] = config.fingerprint() + cache_key(target.site_root, config.raw)
        key = (folder, fingerprint)
        if key not in self.caches:
            self.caches[key] = cache_mod.ResultCache(folder, key[1])
        if current is None:
            current = stamps.stamp(target.path)
            if current is None:
                return None
        site_fp = getattr(site, "fingerprint", "") if site is not None else "-"
        if site is not None and target.site_root:
            site_fp += ":" + self._templates_digest(target.site_root)
        return self.caches[key], os.path.abspath(target.path), current, site_fp

    def _templates_digest(self, root: str) -> str:
        """The stamps of the site's layouts, includes and plugins, once per run: a result
        that depends on what the layout prints is stale when a layout changes."""
        digest = self.templates.get(root)
        if digest is None:
            from naislint.jekyll.templates import templates_digest

            digest = self.templates[root] = templates_digest(root)
        return digest

    def store(self, i: int, file_result: "FileResult") -> None:
        if file_result.content_hash is None:
            return
        slot = self.misses.get(i)
        if slot is None and i in self.plan.two_pass:
            # Read in two passes (its file changed), so never looked up; its stamp is the
            # one the site walk took before the file was read.
            from naislint.store.stamps import Stamp

            site = self.linter.sites.get(self.plan.roots[i])  # type: ignore[arg-type]
            slot = self._slot(i, site, Stamp.of(self.plan.stamps[i], self.plan.started_ns))
        if slot is not None:
            results, cache_rel, current, site_fp = slot
            results.store(cache_rel, current, file_result.content_hash, site_fp, file_result.diagnostics,
                          file_result.excerpts)

    def save(self) -> None:
        for results in self.caches.values():
            results.save()


def _read(path: str, within: str) -> bytes:
    """The file's bytes for the cache's hash check; a pipe, a device or a link out of
    ``within`` is refused (as linting would), never waited on or read."""
    from naislint.page.document import UnreadableFile, read_bytes

    try:
        return read_bytes(path, within=within)
    except UnreadableFile as exc:
        raise OSError(exc.message) from None


# -- workers -----------------------------------------------------------------------------


#: The worker number of work done in the parent process.
PARENT = -1
#: The tasks that read and lint a page (their time grows with its size).
_PAGE_OPS = frozenset({"read", "lint", "finish"})


class _Pool:
    """Forked workers fed batches of tasks through pipes, two batches ahead each; started
    only when a pass has enough tasks to be worth it (else the parent does them).

    A task may be pinned to the worker that holds its page (or to the parent). A worker
    that dies (killed, out of memory) loses its batches and the pages it held: their
    tasks get no result (``None``), the caller does them itself, and the death is
    reported.
    """

    def __init__(self, work: Work, jobs: int) -> None:
        self.work = work
        self.jobs = jobs
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        self.alive: list[bool] = []

    def __enter__(self) -> "_Pool":
        return self

    def __exit__(self, *exc: object) -> None:
        for w, conn in enumerate(self.conns):
            if self.alive[w]:
                try:
                    conn.send(("stop", None))
                except OSError:
                    pass
            conn.close()
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
        gc.unfreeze()

    def _can_fork(self, tasks: list[tuple[str, Any]]) -> bool:
        if self.conns:
            return True
        if self.jobs <= 1 or len(tasks) < MIN_FILES_FOR_POOL:
            return False
        if self.work.linter.options.jobs is None and self._bytes(tasks) < MIN_BYTES_FOR_POOL:
            return False  # the default chooses by the work, not by the count of files
        import multiprocessing

        return "fork" in multiprocessing.get_all_start_methods()

    def _bytes(self, tasks: list[tuple[str, Any]]) -> int:
        """The bytes the tasks read, counted only up to the point where a pool pays."""
        total = 0
        for op, item in tasks:
            total += self._size(op, item)
            if total >= MIN_BYTES_FOR_POOL:
                break
        return total

    def _size(self, op: str, item: Any) -> int:
        """The bytes one task reads: from the stamp the site walk took, else a stat."""
        plan = self.work.plan
        if op == "facts":
            return plan.builds[item[0]].pending.get(item[1], ("", (0, 0)))[1][1]
        if item in plan.stamps:
            return plan.stamps[item][1]
        try:
            return os.stat(plan.targets[item].path).st_size
        except OSError:
            return 0

    def _largest_first(self, tasks: list[tuple[str, Any]], numbers: list[int]) -> list[int]:
        """The task numbers in the order they are handed out: pages to lint or read, the
        largest first, then the rest (the index facts of files nobody lints, a few bytes
        read each) in their own order.

        A page's time is about proportional to its size (0.97 correlated on a site of
        meeting notes). Handed out in walk order, a folder of the largest pages met at
        the end kept one worker busy long after the other had run out of work; largest
        first, the last tasks are the smallest, and both workers finish together.
        """
        sizes = {n: self._size(*tasks[n]) for n in numbers if tasks[n][0] in _PAGE_OPS}
        return sorted(numbers, key=lambda n: (0, -sizes[n]) if n in sizes else (1, 0))

    def _start(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        parent_pid = os.getpid()
        child_process.prctl()  # looked up once here rather than in every worker
        for _ in range(self.jobs):
            parent_end, child_end = context.Pipe()
            # The worker's copies of the parent's ends (its own and the earlier workers'):
            # it closes them, or it would hold its own pipe open and never see the EOF
            # that tells it the parent is gone.
            inherited = [parent_end, *self.conns]
            proc = context.Process(target=_serve, args=(child_end, self.work, inherited, parent_pid), daemon=True)
            proc.start()
            child_end.close()
            self.conns.append(parent_end)
            self.procs.append(proc)
            self.alive.append(True)

    def broadcast(self, op: str, payload: Any) -> None:
        """Send every worker the same message (all first, so they unpack it together)."""
        told = []
        for w, conn in enumerate(self.conns):
            if self.alive[w]:
                try:
                    conn.send((op, [payload]))
                    told.append(w)
                except OSError:
                    self._died(w)
        for w in told:
            try:
                self.conns[w].recv()
            except (OSError, EOFError):
                self._died(w)

    def run(self, tasks: list[tuple[str, Any]], pinned: list[int | None] | None = None) -> list[tuple[Any, int | None]]:
        """(result, worker number) of each task, in order; ``(None, None)`` when lost."""
        out: list[tuple[Any, int | None]] = [(None, None)] * len(tasks)
        local = [n for n in range(len(tasks)) if pinned and pinned[n] == PARENT]
        remote = [n for n in range(len(tasks)) if not (pinned and pinned[n] == PARENT)]
        if remote and not self._can_fork([tasks[n] for n in remote]):
            local, remote = sorted(local + remote), []
        for n in local:
            op, item = tasks[n]
            results, errors = self.work.handle(op, [item])
            self.work.linter.internal_errors.extend(errors)
            out[n] = (results[0], PARENT)
        if remote:
            if not self.conns:
                self._start()
            self._dispatch(tasks, remote, pinned, out)
        return out

    def _dispatch(
        self, tasks: list[tuple[str, Any]], numbers: list[int], pinned: list[int | None] | None, out: list
    ) -> None:
        from multiprocessing.connection import wait

        jobs = len(self.conns)
        numbers = self._largest_first(tasks, numbers)
        size = max(1, min(16, len(numbers) // (jobs * 8)))
        free: deque[list[int]] = deque()
        own: list[deque[list[int]]] = [deque() for _ in range(jobs)]
        groups: dict[tuple[str, int | None], list[int]] = {}
        for n in numbers:
            op = tasks[n][0]
            owner = pinned[n] if pinned else None
            if owner is not None and not self.alive[owner]:
                continue
            batch = groups.setdefault((op, owner), [])
            batch.append(n)
            if len(batch) >= size:
                (own[owner] if owner is not None else free).append(batch)
                groups[(op, owner)] = []
        for (_op, owner), batch in groups.items():
            if batch:
                (own[owner] if owner is not None else free).append(batch)
        sent: list[deque[list[int]]] = [deque() for _ in range(jobs)]

        def feed(w: int) -> None:
            while self.alive[w] and len(sent[w]) < 2:
                queue = own[w] if own[w] else free
                if not queue:
                    return
                batch = queue.popleft()
                try:
                    self.conns[w].send((tasks[batch[0]][0], [tasks[n][1] for n in batch]))
                except OSError:
                    queue.appendleft(batch)
                    self._died(w)
                    return
                sent[w].append(batch)

        for w in range(jobs):
            feed(w)
        while any(sent):
            busy = {self.conns[w]: w for w in range(jobs) if sent[w]}
            for conn in wait(list(busy)):
                w = busy[conn]
                try:
                    results, errors = conn.recv()
                except (EOFError, OSError):
                    sent[w].clear()
                    own[w].clear()
                    self._died(w)
                    for v in range(jobs):
                        feed(v)
                    continue
                batch = sent[w].popleft()
                self.work.linter.internal_errors.extend(errors)
                for n, result in zip(batch, results):
                    out[n] = (result, w)
                feed(w)

    def _died(self, w: int) -> None:
        if not self.alive[w]:
            return
        self.alive[w] = False
        self.procs[w].join(timeout=1)
        code = self.procs[w].exitcode
        self.work.linter.internal_errors.append(
            f"a worker process ended unexpectedly (exit code {code}); the main process linted its files"
        )


#: Seconds between two looks of an idle worker at whether its parent is still there.
PARENT_CHECK = 1.0
def _serve(conn: "Connection", work: Work, inherited: "list[Connection]", parent_pid: int) -> None:
    """A worker's loop: batches in, results out, until told to stop or the parent is gone.

    A worker never outlives the run: the kernel kills it with its parent (Linux), and an
    idle worker sees its pipe close (it holds no copy of the parent's ends) or its parent
    change. Ctrl-C is the parent's to handle (it stops the workers); a worker ignores it
    rather than print a traceback of its own.
    """
    child_process.die_with_parent(parent_pid)
    for other in inherited:
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    work.in_worker = True
    while True:
        try:
            while not conn.poll(PARENT_CHECK):
                if os.getppid() != parent_pid:
                    return
            op, items = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if op == "stop":
            return
        try:
            conn.send(work.handle(op, items))
        except (OSError, KeyboardInterrupt):
            return


def _workers(linter: "Linter", plan: Plan, jobs: int) -> _Pool:
    return _Pool(Work(linter, plan), jobs)
