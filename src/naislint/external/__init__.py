"""External link checking (rule ``external-link``, NL305): the batch the engine runs first.

Rules are pure per-file functions, but asking the network one page at a time would ask
the same URL once per page that links to it. So the engine calls one hook before the
rules run, for the whole run:

    results = prepare([(doc, options), ...], cache_dir=..., quiet=...)

``prepare`` collects the http(s) links of every document (:func:`links.collect`), asks
each unique URL once (fragment dropped; ``GET`` when a fragment is to be checked), with
cached answers reused, and returns an :class:`ExternalResults`. The engine then hands the
results to the rule through its options (:func:`attach`), and the rule's
``check(doc, site, options)`` only maps results to findings. Without results (a caller
that never ran ``prepare``), the rule reports nothing.

Nothing here imports httpx until a check actually runs.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    from naislint.page.document import Document
    from naislint.external.checker import LinkResult

__all__ = ["ExternalResults", "is_excluded", "prepare", "CACHE_FOLDER"]

#: The folder, at the site root, where naislint keeps what it may throw away.
CACHE_FOLDER = ".naislint_cache"


@dataclass(frozen=True)
class ExternalResults:
    """What every external URL of a run answered, and how often each is linked.

    ``results`` is keyed by the requested URL (:attr:`ExternalLink.key`, no fragment).
    ``places`` counts the links to each key across the run and ``fragment_places`` the
    links to each full URL (with its fragment), for "linked from N places".
    ``requested`` URLs were asked over the network, ``cached`` came from the cache.
    """

    results: Mapping[str, "LinkResult"] = field(default_factory=dict)
    places: Mapping[str, int] = field(default_factory=dict)
    fragment_places: Mapping[str, int] = field(default_factory=dict)
    requested: int = 0
    cached: int = 0

    def get(self, key: str) -> "LinkResult | None":
        return self.results.get(key)


def is_excluded(url: str, patterns: Iterable[str]) -> bool:
    """True when a URL matches one of the ``exclude`` regular expressions (searched)."""
    return any(_compiled(p).search(url) for p in patterns)


_PATTERNS: dict[str, "re.Pattern[str]"] = {}


def _compiled(pattern: str) -> "re.Pattern[str]":
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = re.compile(pattern)
    return compiled


def prepare(
    items: "Iterable[tuple[Document, Any]]",
    *,
    cache_dir: "str | os.PathLike[str] | None" = None,
    quiet: bool = False,
    progress: bool | None = None,
    network: Mapping[str, Any] | None = None,
) -> ExternalResults:
    """Check the external links of a run in one batch; the engine's hook.

    ``items`` pairs each document where ``external-link`` is enabled with the rule's
    options for it: ``exclude`` and ``anchors`` apply per document; the network settings
    (``timeout``, ``max-concurrency``, ``per-host-concurrency``, ``max-redirects``,
    ``retries``, ``max-retry-after``, ``accept`` for when to stop asking, ``cache-ttl``,
    ``allow-private``, ``deadline``) are the run's and come from the first item. ``cache_dir`` is the folder for the
    results cache (normally ``<site root>/.naislint_cache``; ``None``: no cache).
    ``progress`` forces the progress bar on or off; by default it shows on a terminal
    unless ``quiet`` or ``CI`` is set. ``network`` overrides
    :class:`~naislint.external.checker.CheckSettings` fields (tests use it to turn off
    proxies from the environment and shorten the backoff; the command line's
    ``--external-allow-private`` arrives here as ``allow_private``).

    Never raises for what a page or a server does: failures become results.
    """
    from naislint.external import progress as progress_mod
    from naislint.external.cache import ResultCache
    from naislint.external.links import collect
    from naislint.external.checker import CheckSettings, run_checks
    from naislint.external.status import StatusSet

    places: dict[str, int] = {}
    fragment_places: dict[str, int] = {}
    need_body: set[str] = set()
    run_options = None
    for doc, options in items:
        if run_options is None:
            run_options = options
        for link in collect(doc):
            if is_excluded(link.url, options.exclude):
                continue
            places[link.key] = places.get(link.key, 0) + 1
            fragment_places[link.url] = fragment_places.get(link.url, 0) + 1
            if options.anchors and link.fragment:
                from naislint.external.anchors import fragment_is_checkable

                if fragment_is_checkable(link.fragment):
                    need_body.add(link.key)
    if run_options is None or not places:
        return ExternalResults(places=places, fragment_places=fragment_places)

    cache = ResultCache.in_folder(cache_dir, run_options.cache_ttl)
    results: dict[str, LinkResult] = {}
    to_ask: list[str] = []
    for key in places:
        hit = cache.get(key, key in need_body)
        if hit is not None:
            results[key] = hit
        else:
            to_ask.append(key)

    settings = CheckSettings(
        timeout=float(run_options.timeout),
        max_concurrency=int(run_options.max_concurrency),
        per_host_concurrency=int(run_options.per_host_concurrency),
        max_redirects=int(run_options.max_redirects),
        retries=int(run_options.retries),
        max_retry_after=float(run_options.max_retry_after),
        accept=StatusSet(run_options.accept),
        allow_private=bool(run_options.allow_private),
        deadline=float(run_options.deadline),
    )
    if network:
        settings = dataclasses.replace(settings, **dict(network))
    show = progress_mod.wanted(quiet) if progress is None else progress
    with progress_mod.progress_bar(len(to_ask), show) as tick:
        fresh = run_checks(to_ask, need_body, settings, on_done=tick)
    for key, result in fresh.items():
        results[key] = result
        cache.put(result)
    cache.save()
    return ExternalResults(
        results=results,
        places=places,
        fragment_places=fragment_places,
        requested=len(to_ask),
        cached=len(places) - len(to_ask),
    )
