"""Rules and how they are found.

A rule is a :class:`Rule` value: metadata plus a pure ``check(doc, ctx, options)``
function (``ctx``: a :class:`RuleContext`) yielding :class:`~naislint.diagnostics.Finding`. Built-in rules register through
the same ``naislint.rules`` entry-point group as plugins, so a plugin is a first-class
rule: same config, same suppression comments, same docs lookup.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple

from naislint.diagnostics import Finding, Severity

if TYPE_CHECKING:
    from naislint.jekyll.pagekinds import PagePlace
    from naislint.page.document import Document
    from naislint.site.view import SiteView

ENTRY_POINT_GROUP = "naislint.rules"
#: Where a rule's documentation is: its file in naislint's repository (``rules/<name>.md``,
#: relative to the repository's root; the same file ships in the package and
#: ``naislint rule NAME`` prints it). naislint has no documentation site, and a link to a
#: site that does not exist helps nobody: reporters that need an absolute URI (SARIF's
#: ``helpUri``, the editor's code description) use the shipped file or leave it out.
DOCS_URL = "rules/{name}.md"

@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may know besides the page itself.

    ``site`` is the site index (``None`` for a page in no site, or when no enabled rule
    needs the index); ``place`` is where the page sits: its site root, its path relative
    to it, the site's preset and the configuration's front matter settings. A rule never
    reads a configuration or searches the disk for these: the engine found them once.
    """

    place: "PagePlace"
    site: "SiteView | None" = None

    @property
    def site_root(self) -> str | None:
        return self.place.site_root

    @property
    def relpath(self) -> str:
        return self.place.relpath

    @property
    def preset(self) -> str | None:
        return self.place.preset

    @classmethod
    def alone(cls, path: str, site: "SiteView | None" = None) -> "RuleContext":
        """The context of a page linted by itself, outside a run (tests, the API): its
        site found from its path, no configuration."""
        from naislint.jekyll.pagekinds import PagePlace

        return cls(PagePlace.of_path(path), site)


CheckFunction = Callable[["Document", RuleContext, Any], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule's identity and behaviour.

    ``check`` is ``None`` only for the rules the engine itself reports (a file that
    cannot be read, a suppression that suppressed nothing): they have codes, docs and
    config like any other rule, but no document to look at.
    ``options`` is a dataclass type whose fields (snake_case) are the rule's options
    (kebab-case in config files); its defaults are the documented defaults.
    ``fix_safe`` is ``False`` for a fixable rule whose only fix is unsafe.
    ``needs_site`` tells the engine to build the site index before running the rule.
    ``files`` says whether the rule reads pages, data files or both.
    ``prepare`` (site rules only) computes, through ``doc.memo``, what ``check`` will
    need from the page's parse: a run lints a page before its site's index is complete,
    releases the parse, and runs the site rules once the index is built.
    """

    code: str
    name: str
    summary: str
    check: CheckFunction | None
    default_severity: Severity = Severity.WARNING
    fixable: bool = False
    #: Whether the rule's fixes are safe (``--fix`` applies them); ``False`` for a rule
    #: whose only fix is unsafe (applied with ``--unsafe-fixes`` alone).
    fix_safe: bool = True
    options: type | None = None
    default_enabled: bool = True
    needs_site: bool = False
    prepare: "Callable[[Any], object] | None" = field(default=None, compare=False)
    family: str = field(default="", compare=False)
    #: A top-level config section that is another spelling of this rule's settings, and
    #: how to read it as a ``rules:`` entry (``links:`` for ``external-link``).
    config_section: "tuple[str, Callable[[dict[str, Any]], dict[str, Any]]] | None" = field(
        default=None, compare=False)
    #: Work done once per run, before any page is linted, for every page where the rule is
    #: on: given ``(document, options)`` pairs of one site and a :class:`RunEnvironment`,
    #: it returns what the rule's ``check`` needs, which the engine puts in the options'
    #: ``prepared`` field. ``external-link`` asks each URL of the run once this way,
    #: instead of once per page that links it.
    prepare_run: "Callable[[Iterable[tuple[Document, Any]], RunEnvironment], Any] | None" = field(
        default=None, compare=False)
    #: ``False`` when the rule's findings can change while the page does not (the network
    #: answers differently): a page where it is on is never served from the results cache.
    cacheable: bool = True
    #: The rule asks the network: ``naislint check --external`` turns on every such rule,
    #: and the language server never runs one (not on every keystroke).
    network: bool = False
    #: Which files the rule reads: ``page`` (markdown pages), ``data`` (a site's YAML
    #: source: ``_data/*.yml``, ``collection.yml``, ``_config.yml``), or both.
    files: frozenset[str] = field(default=frozenset({"page"}), compare=False)

    def reads(self, doc: "Document") -> bool:
        """Whether the rule runs on this document (a page, or a data file)."""
        return ("data" if getattr(doc, "data_kind", None) else "page") in self.files

    @property
    def url(self) -> str:
        return DOCS_URL.format(name=self.name)

    def default_options(self) -> Any:
        return self.options() if self.options is not None else None

    def option_names(self) -> dict[str, dataclasses.Field[Any]]:
        """Config spelling (kebab-case) of each option, mapped to its dataclass field.

        A field with ``metadata={"config": False}`` is filled in by the engine at run time
        (``external-link`` receives the run's network results that way), not by config.
        """
        if self.options is None:
            return {}
        return {
            f.name.replace("_", "-"): f
            for f in dataclasses.fields(self.options)
            if f.metadata.get("config", True)
        }


@dataclass(frozen=True)
class RunEnvironment:
    """What a rule's run-wide preparation may use besides the pages.

    ``cache_folder`` is where it may keep answers between runs (``None``: no cache, as
    with ``--no-cache``); ``quiet`` asks for no progress output; ``allow_private_addresses``
    lets a rule that reaches the network ask loopback and private addresses too.
    """

    cache_folder: str | None
    quiet: bool = False
    allow_private_addresses: bool = False


#: The options field a rule with ``prepare_run`` receives its preparation in.
PREPARED_FIELD = "prepared"


class RegistryError(Exception):
    """A plugin or built-in rule that cannot be loaded or clashes with another."""


#: The folder whose ``.naislint_cache`` keeps the scan of the rule entry points between
#: runs (the results cache's folder, set by the run before the rules are first needed);
#: ``None``: the installed packages are scanned again.
_SCAN_FOLDER: str | None = None
SCAN_FILE = "entry-points.json"


def keep_scan_in(folder: str | None) -> None:
    """Keep the entry-point scan in ``folder``'s cache (the first folder given wins)."""
    global _SCAN_FOLDER
    if _SCAN_FOLDER is None and folder:
        _SCAN_FOLDER = folder


def _installed_state() -> str:
    """A digest of what decides the entry points: the stamp of every folder on
    ``sys.path``. Installing, upgrading or removing a distribution adds or replaces its
    ``*.dist-info`` folder there, which moves the folder's modification time; a
    ``stat`` per folder costs far less than importing :mod:`importlib.metadata` (25 ms)."""
    import hashlib
    import os
    import sys

    parts: list[str] = [sys.version]
    for entry in sys.path:
        # ``python -c`` puts "" there and ``python -m`` the same folder spelt in full:
        # one folder, one key.
        folder = os.path.abspath(entry or ".")
        try:
            st = os.stat(folder)
            parts.append(f"{folder}:{st.st_mtime_ns}:{st.st_ino}")
        except OSError:
            parts.append(f"{folder}:-")
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _entry_points() -> list[tuple[str, str]]:
    """``(name, value)`` of every rule entry point: the cached scan while the installed
    distributions are what they were, else a scan by :mod:`importlib.metadata`."""
    import json
    import os

    path = None
    key = ""
    if _SCAN_FOLDER is not None:
        from naislint.store.folder import CACHE_DIR_NAME, read_cache_json

        key = _installed_state()
        path = os.path.join(_SCAN_FOLDER, CACHE_DIR_NAME, SCAN_FILE)
        data = read_cache_json(path)
        if isinstance(data, dict) and data.get("key") == key:
            found = data.get("entry_points")
            if isinstance(found, list) and all(
                isinstance(item, list) and len(item) == 2 and all(isinstance(v, str) for v in item) for item in found
            ):
                return [(name, value) for name, value in found]
    from importlib.metadata import entry_points

    scanned = [(ep.name, ep.value) for ep in entry_points(group=ENTRY_POINT_GROUP)]
    if path is not None:
        from naislint.store.folder import write_cache_file

        write_cache_file(path, json.dumps({"key": key, "entry_points": scanned}))
    return scanned


def _load_entry_point(value: str) -> Any:
    """What an entry point's ``module:attr.path`` names (as ``EntryPoint.load`` does)."""
    import functools
    import importlib

    module_name, _, attrs = value.partition(":")
    module = importlib.import_module(module_name.strip())
    attrs = attrs.split("[", 1)[0].strip()  # extras ("[name]") select nothing to load
    return functools.reduce(getattr, filter(None, attrs.split(".")), module)


class RuleInfo(NamedTuple):
    """What a run reads of a rule before it runs one: enough to resolve the configuration,
    plan the run and check a cached result, known without importing the rule's module.

    A warm run runs no rule: it needs each rule's name, code, defaults and a few flags,
    and importing the fifty rule modules for them would cost more than the rest of the
    run. The built-in rules' values are kept in :mod:`naislint.builtin_rules`; a rule
    module loaded later must agree with them (:func:`load`), and a plugin's are read from
    the plugin itself. (A named tuple: made at import in a tenth of a dataclass's time.)
    """

    name: str
    code: str
    default_severity: Severity
    default_enabled: bool
    needs_site: bool
    cacheable: bool
    network: bool
    #: Whether the rule has a ``prepare_run`` hook.
    prepares_run: bool
    #: The top-level config section of :attr:`Rule.config_section`, or ``None``.
    config_section: str | None
    #: The module of the rule's ``check`` ("" for none): part of the results cache's key.
    module: str

    @classmethod
    def of(cls, rule: Rule) -> "RuleInfo":
        """The metadata of a loaded rule."""
        return cls(
            rule.name, rule.code, rule.default_severity, rule.default_enabled, rule.needs_site, rule.cacheable,
            rule.network, rule.prepare_run is not None,
            rule.config_section[0] if rule.config_section is not None else None,
            getattr(rule.check, "__module__", "") if rule.check is not None else "",
        )

    def to_catalog(self) -> dict[str, Any]:
        """The entry of :data:`naislint.builtin_rules.RULES` that says the same."""
        values = self._asdict()
        values["default_severity"] = self.default_severity.value
        return values

    @classmethod
    def from_catalog(cls, values: dict[str, Any]) -> "RuleInfo":
        return cls(**{**values, "default_severity": Severity(values["default_severity"])})


#: Rules loaded one by one (by :func:`load`), by name.
_LOADED: dict[str, Rule] = {}


def _builtin_catalog() -> dict[str, tuple[str, dict[str, Any]]]:
    """Entry point name -> (entry point value, metadata) of every built-in rule."""
    from naislint.builtin_rules import RULES

    return {name: (value, values) for name, value, values in RULES}


@lru_cache(maxsize=1)
def _registered() -> "tuple[dict[str, RuleInfo], dict[str, str]]":
    """Every registered rule's metadata by name (ordered by code), and the entry point
    of each. A built-in rule is described by the catalog; a plugin (or a built-in whose
    entry point is not the catalog's) is loaded at once and described by itself."""
    catalog = _builtin_catalog()
    infos: dict[str, RuleInfo] = {}
    entry_points: dict[str, str] = {}
    codes: dict[str, str] = {}
    for name, value in _entry_points():
        known = catalog.get(name)
        rule: Rule | None = None
        if known is not None and known[0] == value:
            info = RuleInfo.from_catalog(known[1])
        else:
            rule = _load_checked(name, value)
            info = RuleInfo.of(rule)
        if info.name in infos:
            # One rule registered twice (the same entry point, or the same object) is one rule.
            same = entry_points[info.name] == value or (rule is not None and _LOADED.get(info.name) is rule)
            if not same:
                raise RegistryError(f"two rules are named {info.name!r}")
        if info.code in codes and codes[info.code] != info.name:
            raise RegistryError(f"rules {codes[info.code]!r} and {info.name!r} share the code {info.code}")
        if rule is not None:
            _LOADED[info.name] = rule
        infos[info.name] = info
        entry_points[info.name] = value
        codes[info.code] = info.name
    return dict(sorted(infos.items(), key=lambda item: item[1].code)), entry_points


def _load_checked(name: str, value: str) -> Rule:
    """The rule an entry point names, its check adapted to the current contract."""
    try:
        rule = _load_entry_point(value)
    except Exception as exc:  # a broken plugin must say which one it is
        raise RegistryError(f"rule entry point {name!r} ({value}) failed to load: {exc}") from exc
    if not isinstance(rule, Rule):
        raise RegistryError(f"rule entry point {name!r} ({value}) is not a naislint Rule")
    return _with_context_argument(rule)


def _all_loaded() -> bool:
    """Whether :func:`all_rules` has loaded every rule in this process (its table, which
    tests may patch, is then what every lookup reads)."""
    return all_rules.cache_info().currsize > 0


def rule_infos() -> dict[str, RuleInfo]:
    """Every registered rule's metadata by name, ordered by code, without loading a
    built-in rule's module (once every rule is loaded, read from :func:`all_rules`)."""
    if _all_loaded():
        rules = all_rules()
        key = tuple(map(id, rules.values()))
        cached = _INFOS_OF_LOADED.get(key)
        if cached is None:
            _INFOS_OF_LOADED.clear()
            cached = _INFOS_OF_LOADED[key] = {name: RuleInfo.of(rule) for name, rule in rules.items()}
        return cached
    return _registered()[0]


_INFOS_OF_LOADED: dict[tuple[int, ...], dict[str, RuleInfo]] = {}


def load(name: str) -> Rule:
    """The rule named ``name``, its module imported on first need. A built-in rule must
    say what the catalog says of it: a stale catalog is an error, not a wrong result."""
    if _all_loaded():
        return all_rules()[name]
    rule = _LOADED.get(name)
    if rule is not None:
        return rule
    infos, entry_points = _registered()
    rule = _load_checked(name, entry_points[name])
    if RuleInfo.of(rule) != infos[name]:
        raise RegistryError(
            f"rule {name!r} is not what naislint/builtin_rules.py says of it: "
            "run `python tools/rule_catalog.py --write`")
    _LOADED[name] = rule
    return rule


def loaded(name: str) -> Rule | None:
    """The rule named ``name`` when its module is already loaded, else ``None``."""
    if _all_loaded():
        return all_rules().get(name)
    return _LOADED.get(name)


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every registered rule by name, ordered by code. Loaded once per process."""
    return {name: load(name) for name in _registered()[0]}


def _with_context_argument(rule: Rule) -> Rule:
    """A plugin written for the first rule contract, ``check(doc, site, options)``, gets
    the site index it expects instead of the :class:`RuleContext` (for one release)."""
    import inspect

    check = rule.check
    if check is None:
        return rule
    try:
        names = list(inspect.signature(check).parameters)
    except (TypeError, ValueError):
        return rule
    if len(names) < 2 or names[1] != "site":
        return rule

    def adapted(doc: "Document", ctx: RuleContext, options: Any) -> Iterable[Finding]:
        return check(doc, ctx.site, options)  # type: ignore[arg-type]

    adapted.__module__ = getattr(check, "__module__", adapted.__module__)
    return dataclasses.replace(rule, check=adapted)


def network_rules() -> tuple[str, ...]:
    """The names of the rules that ask the network (:attr:`Rule.network`)."""
    return tuple(info.name for info in rule_infos().values() if info.network)


def find(name_or_code: str) -> RuleInfo | None:
    """A rule's metadata by its name or its code (case-insensitive for codes)."""
    infos = rule_infos()
    if name_or_code in infos:
        return infos[name_or_code]
    wanted = name_or_code.upper()
    for info in infos.values():
        if info.code == wanted:
            return info
    return None


def lookup(name_or_code: str) -> Rule | None:
    """Find a rule by its name or its code (case-insensitive for codes)."""
    info = find(name_or_code)
    return load(info.name) if info is not None else None


def selected_names(selector: str) -> list[str]:
    """Names of the rules a ``--select``/``--ignore`` word matches: a name, a code or a
    code prefix. ``NL2`` selects the list family, ``NL`` or ``ALL`` every rule, as in ruff."""
    infos = rule_infos()
    if selector in infos:
        return [selector]
    wanted = selector.upper()
    if wanted == "ALL":
        return list(infos)
    return [name for name, info in infos.items() if info.code.startswith(wanted)]


def resolve_selector(selector: str) -> list[Rule]:
    """Rules matched by a ``--select``/``--ignore`` word (see :func:`selected_names`)."""
    return [load(name) for name in selected_names(selector)]
