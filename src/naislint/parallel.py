"""Running a whole lint: cache lookups, then the misses across processes.

Workers are forked after the parent has loaded every configuration and built every site
index the run needs, so they inherit them (copy-on-write) instead of receiving them
pickled with each file; each worker returns only diagnostics. Small runs (a pre-commit
hook with one file) stay in-process: forking would cost more than it saves.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from naislint.discover import relative_to

if TYPE_CHECKING:
    from naislint.discover import Target
    from naislint.engine import FileResult, Linter, RunResult

#: Below this many files to lint, one process is faster than a pool.
MIN_FILES_FOR_POOL = 24
_WORKER: "Linter | None" = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run(linter: "Linter", targets: "list[Target]") -> "RunResult":
    from naislint.engine import FileResult, RunResult

    options = linter.options
    caches: dict[str, Any] = {}
    slots: list[FileResult | None] = [None] * len(targets)
    todo: list[int] = []
    fingerprints: dict[int, tuple[Any, str, Any, str]] = {}

    for i, target in enumerate(targets):
        config = linter.config_for(target.site_root, target.path)
        rel = relative_to(target.path, target.site_root or config.root)
        settings = config.settings_for(rel)
        site = linter.site_for(target.site_root, settings)
        if not options.use_cache or linter.external_enabled(settings):
            # external-link answers change without the file changing: lint afresh (the
            # network answers have their own cache, with a time to live).
            todo.append(i)
            continue
        from naislint import cache as cache_mod

        # The cache lives at the site root (or beside the config); a loose page outside
        # any site or configured project gets none, rather than a cache folder next to it.
        folder = options.cache_dir or target.site_root or (os.path.dirname(config.path) if config.path else None)
        if folder is None:
            todo.append(i)
            continue
        key = (folder, config.fingerprint())
        if key not in caches:
            caches[key] = cache_mod.ResultCache(folder, config.fingerprint())
        results = caches[key]
        current = cache_mod.stamp(target.path)
        site_fp = getattr(site, "fingerprint", "") if site is not None else "-"
        cache_rel = os.path.abspath(target.path)
        if current is not None:
            hit = results.lookup(cache_rel, current, site_fp, lambda p=target.path: _read(p))
            if hit is not None:
                slots[i] = FileResult(target, cache_mod.restore(hit, target.display))
                continue
            fingerprints[i] = (results, cache_rel, current, site_fp)
        todo.append(i)

    for i, file_result in zip(todo, _lint_many(linter, [targets[i] for i in todo])):
        slots[i] = file_result
        if i in fingerprints and file_result.content_hash is not None:
            results, cache_rel, current, site_fp = fingerprints[i]
            results.store(cache_rel, current, file_result.content_hash, site_fp, file_result.diagnostics)
    for results in caches.values():
        results.save()

    outcome = RunResult()
    for file_result in slots:
        assert file_result is not None
        outcome.files.append(file_result)
        outcome.diagnostics.extend(file_result.diagnostics)
    outcome.internal_errors = linter.internal_errors
    return outcome


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _lint_many(linter: "Linter", targets: "list[Target]") -> "list[FileResult]":
    jobs = linter.options.jobs or default_jobs()
    if jobs <= 1 or len(targets) < MIN_FILES_FOR_POOL:
        return [linter.lint_target(t) for t in targets]
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return [linter.lint_target(t) for t in targets]
    global _WORKER
    _WORKER = linter
    try:
        context = multiprocessing.get_context("fork")
        chunk = max(1, min(16, len(targets) // (jobs * 8)))
        with context.Pool(jobs) as pool:
            pairs = pool.map(_lint_in_worker, targets, chunksize=chunk)
    finally:
        _WORKER = None
    results = []
    for file_result, errors in pairs:
        linter.internal_errors.extend(errors)
        results.append(file_result)
    return results


def _lint_in_worker(target: "Target") -> "tuple[FileResult, list[str]]":
    linter = _WORKER
    assert linter is not None
    before = len(linter.internal_errors)
    result = linter.lint_target(target)
    result.document = None
    return result, linter.internal_errors[before:]
