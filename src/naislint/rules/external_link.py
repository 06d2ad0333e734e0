"""NL305 external-link: an http(s) link that answers an error, or nothing at all.

Off by default (it needs the network and time); turned on with ``--external``,
``links: {external: true}`` or the rule's own settings. The network work happens once
per run in :func:`naislint.external.prepare`; this module only turns its results into
findings, so ``check`` stays a pure function of the document and its options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.errors import ConfigError
from naislint.registry import Rule, RuleContext, RunEnvironment

if TYPE_CHECKING:
    from naislint.page.document import Document
    from naislint.external import ExternalResults


@dataclass(frozen=True)
class ExternalLinkOptions:
    """Options of ``external-link`` (kebab-case in config; also under ``links:``).

    ``prepared`` is not a setting: the engine fills it in with the run's network results
    (see :func:`prepare_run`).
    """

    anchors: bool = False
    accept: tuple[int | str, ...] = ("200-299",)
    exclude: tuple[str, ...] = ()
    timeout: float = 10.0
    max_concurrency: int = 32
    per_host_concurrency: int = 4
    max_redirects: int = 5
    retries: int = 2
    max_retry_after: float = 30.0
    cache_ttl: int = 86400
    allow_private: bool = False
    deadline: float = 180.0
    prepared: "ExternalResults | None" = field(default=None, compare=False, repr=False,
                                               metadata={"config": False})

    def __post_init__(self) -> None:
        import re

        from naislint.external.status import StatusSet

        problems = []
        try:
            StatusSet(self.accept)
        except ValueError as exc:
            problems.append(f"accept: {exc}")
        for pattern in self.exclude:
            try:
                re.compile(str(pattern))
            except re.error as exc:
                problems.append(f"exclude: {pattern!r} is not a valid regular expression ({exc})")
        for name in ("timeout", "max_concurrency", "per_host_concurrency", "deadline"):
            if getattr(self, name) <= 0:
                problems.append(f"{name.replace('_', '-')} must be greater than 0")
        for name in ("max_redirects", "retries", "max_retry_after", "cache_ttl"):
            if getattr(self, name) < 0:
                problems.append(f"{name.replace('_', '-')} must not be negative")
        if problems:
            raise ConfigError("rule 'external-link': " + "; ".join(problems))


#: ``links:`` config keys and the option each sets (``external`` turns the rule on).
LINKS_KEYS = {
    "external-anchors": "anchors",
    "accept": "accept",
    "exclude": "exclude",
    "timeout": "timeout",
    "max-concurrency": "max_concurrency",
    "per-host-concurrency": "per_host_concurrency",
    "max-redirects": "max_redirects",
    "retries": "retries",
    "max-retry-after": "max_retry_after",
    "cache-ttl": "cache_ttl",
    "external-allow-private": "allow_private",
    "deadline": "deadline",
}


def rule_config_from_links(links: dict[str, Any]) -> dict[str, Any]:
    """The ``links:`` section as a ``rules: {external-link: ...}`` entry (kebab-case).

    ``links: {external: true, timeout: 5}`` means ``rules: {external-link: {enabled: true,
    timeout: 5}}``; an explicit ``rules: external-link`` entry is applied after it.
    """
    entry: dict[str, Any] = {}
    if "external" in links:
        entry["enabled"] = bool(links["external"])
    for key, option in LINKS_KEYS.items():
        if key in links:
            entry[option.replace("_", "-")] = links[key]
    return entry


def prepare_run(items: "Iterable[tuple[Document, ExternalLinkOptions]]", env: RunEnvironment) -> "ExternalResults":
    """Ask every external URL of a run's pages once, in one batch (see
    :func:`naislint.external.prepare`): rules see one page at a time, and asking per page
    would ask a URL once per page that links it."""
    import os

    from naislint.external import CACHE_FOLDER, prepare

    cache_dir = os.path.join(env.cache_folder, CACHE_FOLDER) if env.cache_folder else None
    network = {"allow_private": True} if env.allow_private_addresses else None
    try:
        return prepare(items, cache_dir=cache_dir, quiet=env.quiet, network=network)
    except ImportError as exc:
        raise ConfigError(f"the external-link rule needs httpx ({exc}): pip install 'naislint[external]'") from None


def _places(count: int) -> str:
    return f"linked from {count} place" + ("" if count == 1 else "s")


def check(doc: Document, ctx: RuleContext, options: ExternalLinkOptions | None) -> Iterator[Finding]:
    options = options or ExternalLinkOptions()
    results = options.prepared
    if results is None:
        return
    from naislint.external import is_excluded
    from naislint.external.anchors import fragment_found, fragment_is_checkable
    from naislint.external.status import StatusSet
    from naislint.external.links import collect

    accept = StatusSet(options.accept)
    for link in collect(doc):
        if is_excluded(link.url, options.exclude):
            continue
        result = results.get(link.key)
        if result is None:
            continue
        count = results.places.get(link.key, 1)
        redirected = f" after redirecting to {result.final_url}" if result.final_url else ""
        if result.unchecked is not None:
            # A private address or the deadline: not known to be broken, so not a warning.
            yield Finding(link.span, f"{link.key}: {result.unchecked}{redirected} ({_places(count)})",
                          severity=Severity.INFO)
            continue
        if result.error is not None:
            yield Finding(link.span, f"{link.key}: {result.error}{redirected} ({_places(count)})")
            continue
        if result.status not in accept:
            status = f"{result.status} {result.reason}".strip()
            yield Finding(link.span, f"{link.key} answers {status}{redirected} ({_places(count)})")
            continue
        if (options.anchors and link.fragment and fragment_is_checkable(link.fragment)
                and result.anchors is not None and not fragment_found(link.fragment, result.anchors)):
            where = result.final_url or link.key
            count = results.fragment_places.get(link.url, 1)
            yield Finding(
                link.span,
                f"{link.url}: no element with id {link.fragment!r} on {where} ({_places(count)})",
            )


RULE = Rule(
    code="NL305",
    name="external-link",
    summary="an http(s) link that answers 4xx/5xx or not at all (opt-in: needs the network)",
    check=check,
    default_severity=Severity.WARNING,
    options=ExternalLinkOptions,
    default_enabled=False,
    config_section=("links", rule_config_from_links),
    prepare_run=prepare_run,
    cacheable=False,
    network=True,
)
