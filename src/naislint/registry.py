"""Rules and how they are found.

A rule is a :class:`Rule` value: metadata plus a pure ``check(doc, site, options)``
function yielding :class:`~naislint.diagnostics.Finding`. Built-in rules register through
the same ``naislint.rules`` entry-point group as plugins, so a plugin is a first-class
rule: same config, same suppression comments, same docs lookup.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

from naislint.diagnostics import Finding, Severity

if TYPE_CHECKING:
    from naislint.document import Document

ENTRY_POINT_GROUP = "naislint.rules"
#: Where a rule's documentation is: its file in naislint's repository (``rules/<name>.md``,
#: relative to the repository's root; the same file ships in the package and
#: ``naislint rule NAME`` prints it). naislint has no documentation site, and a link to a
#: site that does not exist helps nobody: reporters that need an absolute URI (SARIF's
#: ``helpUri``, the editor's code description) use the shipped file or leave it out.
DOCS_URL = "rules/{name}.md"

CheckFunction = Callable[["Document", Any, Any], Iterable[Finding]]


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

    def option_names(self) -> dict[str, dataclasses.Field]:
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


class RegistryError(Exception):
    """A plugin or built-in rule that cannot be loaded or clashes with another."""


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every registered rule by name, ordered by code. Loaded once per process."""
    from importlib.metadata import entry_points

    rules: dict[str, Rule] = {}
    codes: dict[str, str] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            rule = ep.load()
        except Exception as exc:  # a broken plugin must say which one it is
            raise RegistryError(f"rule entry point {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
        if not isinstance(rule, Rule):
            raise RegistryError(f"rule entry point {ep.name!r} ({ep.value}) is not a naislint Rule")
        if rule.name in rules and rules[rule.name] is not rule:
            raise RegistryError(f"two rules are named {rule.name!r}")
        if rule.code in codes and codes[rule.code] != rule.name:
            raise RegistryError(f"rules {codes[rule.code]!r} and {rule.name!r} share the code {rule.code}")
        rules[rule.name] = rule
        codes[rule.code] = rule.name
    return dict(sorted(rules.items(), key=lambda item: item[1].code))


def lookup(name_or_code: str) -> Rule | None:
    """Find a rule by its name or its code (case-insensitive for codes)."""
    rules = all_rules()
    if name_or_code in rules:
        return rules[name_or_code]
    wanted = name_or_code.upper()
    for rule in rules.values():
        if rule.code == wanted:
            return rule
    return None


def resolve_selector(selector: str) -> list[Rule]:
    """Rules matched by a ``--select``/``--ignore`` word: a name, a code or a code prefix.

    ``NL2`` selects the list family, ``NL`` or ``ALL`` every rule, as in ruff.
    """
    rules = all_rules()
    if selector in rules:
        return [rules[selector]]
    wanted = selector.upper()
    if wanted == "ALL":
        return list(rules.values())
    return [r for r in rules.values() if r.code.startswith(wanted)]
