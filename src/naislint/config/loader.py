"""Configuration: found upward, validated with positions, resolved per file.

``.naislint.yml`` (or ``[tool.naislint]`` in ``pyproject.toml``) is searched from the site
root upward. It is validated against ``schemas/config.schema.json`` and against each
rule's options, and a mistake stops the run with exit 2 and a message naming the file,
the key and its line: a linter that silently ignores a misspelt setting is worse than one
that refuses to start.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from naislint.diagnostics import Severity
from naislint.errors import ConfigError as ConfigError
from naislint import registry
from naislint.registry import Rule, RuleInfo

CONFIG_FILES = (".naislint.yml", ".naislint.yaml", "pyproject.toml")
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
#: The bound of every numeric rule option (the schema bounds the documented keys more
#: tightly): YAML reads 1e400 as infinity and 99999999999999999999999 as an exact int,
#: and neither may reach a timer, a semaphore or a read.
MAX_OPTION_NUMBER = 1_000_000_000




@dataclass(frozen=True, init=False)
class RuleSetting:
    """What one rule does for one file: on or off, how loud, with which options.

    A setting made from the rule's metadata alone (:meth:`lazy`, for a rule the
    configuration gives no option) imports the rule's module, and makes its default
    options, only when ``rule`` or ``options`` is first read: a warm run reads neither.
    ``info`` is the metadata the run's plan reads (site index needed, cacheable, a
    ``prepare_run`` hook) either way.
    """

    rule: Rule
    enabled: bool
    severity: Severity
    options: Any
    severity_set: bool = False

    def __init__(self, rule: Rule, enabled: bool, severity: Severity, options: Any, severity_set: bool = False) -> None:
        self.__dict__.update(rule=rule, enabled=enabled, severity=severity, options=options, severity_set=severity_set)

    @classmethod
    def lazy(cls, info: RuleInfo, enabled: bool, severity: Severity, severity_set: bool = False) -> "RuleSetting":
        """A setting with the rule's default options, its rule loaded on first use."""
        setting = cls.__new__(cls)
        setting.__dict__.update(_info=info, enabled=enabled, severity=severity, severity_set=severity_set)
        return setting

    def __getattr__(self, name: str) -> Any:
        # Only reached for what a lazy setting has not loaded yet.
        state = self.__dict__
        if name == "rule" and "_info" in state:
            state["rule"] = registry.load(state["_info"].name)
            return state["rule"]
        if name == "options" and "_info" in state:
            state["options"] = self.rule.default_options()
            return state["options"]
        raise AttributeError(name)

    @property
    def info(self) -> RuleInfo:
        """The rule's metadata, without loading its module."""
        info = self.__dict__.get("_info")
        if info is None:
            info = self.__dict__["_info"] = RuleInfo.of(self.rule)
        return info


class PlanFlags(NamedTuple):
    """What the run's plan asks of a file's enabled rules: whether one needs the site
    index, whether all give answers the results cache may keep, whether one has a
    ``prepare_run`` hook."""

    needs_site: bool
    cacheable: bool
    prepares_run: bool


class RuleSettings(dict):  # type: ignore[type-arg]
    """A file's rule settings by name. The same settings serve every file they apply to
    (:meth:`Config.settings_for` keeps them), so what the plan asks of them is worked out
    once per settings, not once per file."""

    __slots__ = ("flags",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.flags: PlanFlags | None = None


def plan_flags(settings: "dict[str, RuleSetting]") -> PlanFlags:
    """The :class:`PlanFlags` of a file's settings."""
    flags = settings.flags if isinstance(settings, RuleSettings) else None
    if flags is None:
        enabled = [s.info for s in settings.values() if s.enabled]
        flags = PlanFlags(any(i.needs_site for i in enabled), all(i.cacheable for i in enabled),
                          any(i.prepares_run for i in enabled))
        if isinstance(settings, RuleSettings):
            settings.flags = flags
    return flags


@dataclass
class Config:
    """A loaded configuration (possibly the defaults, when no file was found)."""

    path: str | None = None
    root: str = "."
    preset: str | None = None
    #: True when no ``preset:`` was written and the run chose one from the site.
    preset_chosen: bool = False
    exclude: list[str] = field(default_factory=list)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    fail_on: str | None = None
    rules: dict[str, Any] = field(default_factory=dict)
    overrides: list[tuple[list[str], dict[str, Any]]] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        """A stable digest of everything that changes diagnostics, for caches."""
        import hashlib

        payload = json.dumps(
            {"raw": self.raw, "select": self.select, "ignore": self.ignore,
             "extend": self.extend_select, "preset": self.preset, "files": self._referenced_files()},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def _referenced_files(self) -> list:
        """Stat stamps of files the config points at (user schemas), so that editing
        one invalidates cached results as editing the config itself does."""
        fm = self.front_matter or {}
        names = [item.get("schema") for item in fm.get("schemas", []) if isinstance(item, dict)]
        names += list((fm.get("kinds") or {}).values())
        stamps = []
        base = os.path.dirname(self.path) if self.path else self.root
        for name in names:
            if isinstance(name, str) and name.endswith((".json", ".yml", ".yaml")):
                try:
                    st = os.stat(os.path.join(base, name))
                    stamps.append([name, st.st_mtime_ns, st.st_size])
                except OSError:
                    stamps.append([name, None, None])
        return stamps

    def is_excluded(self, relpath: str) -> bool:
        """True when a path relative to the config root matches an ``exclude`` glob."""
        return _matches_any(relpath, self.exclude)

    def ignored_names(self) -> set[str]:
        return _names(self.ignore)

    def extended_names(self) -> set[str]:
        return _names(self.extend_select)

    def share_settings_with(self, twin: "Config") -> None:
        """Take ``twin``'s rule settings, as worked out and as they will be, when this
        config's could not differ from them: both read from no file (no override names a
        path, no rule is configured), with the same preset and the same command-line
        selection. A run over a repository gives each folder of pages in no site its own
        config (kubernetes/community: 194), and each worked out the same settings again."""
        if self.path is not None or twin.path is not None or self.rules or twin.rules:
            return
        if (self.preset, self.select, self.ignore, self.extend_select) != (
                twin.preset, twin.select, twin.ignore, twin.extend_select):
            return
        self.rules = twin.rules
        for cache in ("_settings_by_preset", "_settings_cache"):
            self.__dict__[cache] = twin.__dict__.setdefault(cache, {})

    def settings_for(self, relpath: str, preset: str | None = None) -> dict[str, RuleSetting]:
        """The rule settings for one file: the preset's (``preset``, else the config's),
        then ``rules``, then the overrides that match, in order."""
        if not self.overrides:
            # No override names a path: the settings depend on the preset alone, and a
            # warm run asks for every page's.
            quick = self.__dict__.setdefault("_settings_by_preset", {})
            key = (preset or self.preset, id(self.rules))
            found = quick.get(key)
            if found is None:
                found = quick[key] = self._settings_for(relpath, preset)
            return found
        return self._settings_for(relpath, preset)

    def _settings_for(self, relpath: str, preset: str | None) -> dict[str, RuleSetting]:
        from naislint.config.presets import rules_of

        layers = [rules_of(preset or self.preset), self.rules]
        layers += [rules for globs, rules in self.overrides if _matches_any(relpath, globs)]
        return _resolve(tuple(id(layer) for layer in layers), layers, self)


def _resolve(_key: tuple, layers: list[dict[str, Any]], config: Config) -> dict[str, RuleSetting]:
    cache = config.__dict__.setdefault("_settings_cache", {})
    if _key in cache:
        return cache[_key]
    selected = _selected_names(config)
    result = RuleSettings()
    for name, rule in registry.rule_infos().items():
        enabled = rule.default_enabled
        severity = rule.default_severity
        severity_set = False
        options: dict[str, Any] = {}
        for layer in layers:
            value = layer.get(name, layer.get(rule.code))
            if value is None:
                continue
            if isinstance(value, bool):
                enabled = value
            elif isinstance(value, str):
                if value == "off":
                    enabled = False
                else:
                    enabled, severity, severity_set = True, Severity(value), True
            elif isinstance(value, dict):
                if "enabled" in value:
                    enabled = bool(value["enabled"])
                else:
                    enabled = True
                if "severity" in value:
                    severity, severity_set = Severity(value["severity"]), True
                options.update({k: v for k, v in value.items() if k not in ("enabled", "severity")})
        if selected is not None:
            # The command line wins over the file, as in ruff: --select NAME turns a rule
            # on even where the config turned it off.
            enabled = name in selected
        if name in config.extended_names():
            enabled = True
        if name in config.ignored_names():
            enabled = False
        loaded = registry.loaded(name)
        if options or loaded is not None:
            # Options given are checked now (a mistake stops the run before any lint).
            loaded = loaded or registry.load(name)
            result[name] = RuleSetting(loaded, enabled, severity, build_options(loaded, options, config.path), severity_set)
        else:
            result[name] = RuleSetting.lazy(rule, enabled, severity, severity_set)
    cache[_key] = result
    return result


def _selected_names(config: Config) -> set[str] | None:
    return None if config.select is None else _names(config.select)


def _names(words: "tuple[str, ...]") -> set[str]:
    """Rule names selected by ``--select``-style words (names, codes, code prefixes)."""
    names: set[str] = set()
    for word in words:
        selected = registry.selected_names(word)
        if not selected:
            raise ConfigError(f"unknown rule or code {word!r} (see `naislint rules`)")
        names.update(selected)
    return names


def build_options(rule: Rule, values: dict[str, Any], config_path: str | None) -> Any:
    """Instantiate a rule's options dataclass from config values (kebab-case keys)."""
    if rule.options is None:
        if values:
            where = f" in {config_path}" if config_path else ""
            key = next(iter(values))
            raise ConfigError(f"rule {rule.name!r} has no option {key!r}{where}")
        return None
    fields = rule.option_names()
    kwargs = {}
    for key, value in values.items():
        f = fields.get(key) or fields.get(key.replace("_", "-"))
        if f is None:
            where = f" in {config_path}" if config_path else ""
            known = ", ".join(sorted(fields)) or "none"
            raise ConfigError(f"rule {rule.name!r} has no option {key!r}{where} (its options: {known})")
        kwargs[f.name] = _coerce(rule, key, value, f, config_path)
    return rule.options(**kwargs)


def _coerce(rule: Rule, key: str, value: Any, f: dataclasses.Field, config_path: str | None) -> Any:
    """Check an option value against the field's default's type, converting lists to tuples."""
    default = f.default if f.default is not dataclasses.MISSING else (
        f.default_factory() if f.default_factory is not dataclasses.MISSING else None  # type: ignore[misc]
    )
    where = f" in {config_path}" if config_path else ""
    if default is None:
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"option {key!r} of rule {rule.name!r} must be true or false{where}")
        return value
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"option {key!r} of rule {rule.name!r} must be a number{where}")
        if not -MAX_OPTION_NUMBER <= value <= MAX_OPTION_NUMBER:  # also false for NaN
            raise ConfigError(
                f"option {key!r} of rule {rule.name!r} must be a number from {-MAX_OPTION_NUMBER:,} "
                f"to {MAX_OPTION_NUMBER:,}{where}"
            )
        return value
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"option {key!r} of rule {rule.name!r} must be a string{where}")
        return value
    if isinstance(default, (tuple, list, frozenset, set)):
        if not isinstance(value, list):
            raise ConfigError(f"option {key!r} of rule {rule.name!r} must be a list{where}")
        return type(default)(value) if not isinstance(default, list) else list(value)
    return value


def _matches_any(relpath: str, globs: list[str]) -> bool:
    """Whether a path relative to the config root matches any config glob (``**`` spans
    folders, a bare name matches at any depth, a folder matches what is under it)."""
    from naislint.globmatch import matches_any

    return matches_any(relpath.replace(os.sep, "/"), globs)


# -- finding and loading ------------------------------------------------------------------


def find_config_file(start: str, known: "dict[str, str | None] | None" = None) -> str | None:
    """The nearest config file at or above ``start`` (a folder).

    ``known`` (a run's) keeps the answer of every folder the search passed: a run over a
    repository asks from each folder of pages, and the folders share their parents."""
    folder = os.path.abspath(start)
    passed: list[str] = []
    found: str | None = None
    while True:
        if known is not None and folder in known:
            found = known[folder]
            break
        passed.append(folder)
        found = _config_file_in(folder)
        if found is not None:
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    if known is not None:
        known.update(dict.fromkeys(passed, found))
    return found


def _config_file_in(folder: str) -> str | None:
    for name in CONFIG_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            if name == "pyproject.toml" and not _pyproject_has_section(path):
                continue
            return path
    return None


def _pyproject_has_section(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "[tool.naislint" in f.read()
    except OSError:
        return False


def load_config(path: str | None, root: str) -> Config:
    """Load and validate a config file (``None`` gives the defaults)."""
    if path is None:
        return Config(root=root)
    raw, locate = _read_config(path)
    _validate(raw, path, locate)
    config_root = os.path.dirname(os.path.abspath(path))
    overrides = []
    for item in raw.get("overrides", []):
        files = item["files"]
        overrides.append(([files] if isinstance(files, str) else list(files), item.get("rules", {})))
    config = Config(
        path=path,
        root=config_root,
        preset=raw.get("preset"),
        exclude=list(raw.get("exclude", [])),
        max_file_size=raw.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
        fail_on=raw.get("fail-on"),
        rules=_rules_with_sections(raw),
        overrides=overrides,
        front_matter=dict(raw.get("front-matter", {})),
        links=dict(raw.get("links", {})),
        raw=raw,
    )
    _check_rule_names(config, path, locate)
    if config.front_matter:
        _check_user_schemas(config, root, locate)
    return config


def _check_user_schemas(config: Config, root: str, locate: Any) -> None:
    """Every schema file ``front-matter`` names must load, and its ``$ref`` resolve, inside
    the site and the config's folder: one configuration error, not one per page."""
    from naislint.schema import frontmatter as fmschema
    from naislint.jekyll import pagekinds

    for keys, choice in pagekinds.user_schemas(config.front_matter, config.root, root):
        try:
            fmschema.validator_for(choice.schema, False, choice.within)
        except fmschema.SchemaLoadError as exc:
            raise ConfigError(_where(str(config.path), locate(keys)) + f"key {'.'.join(map(str, keys))!r}: {exc}") from None


def _rules_with_sections(raw: dict) -> dict[str, Any]:
    """``rules``, with the settings rules take from their own top-level sections folded in.

    A rule may name a section (:attr:`naislint.registry.Rule.config_section`): ``links:
    {external: true, timeout: 5}`` is the documented spelling of ``rules: {external-link:
    {enabled: true, timeout: 5}}``. An explicit ``rules`` entry for the rule is applied on
    top of what its section says.
    """
    rules = dict(raw.get("rules", {}))
    for info in registry.rule_infos().values():
        if info.config_section is None:
            continue
        section = raw.get(info.config_section)
        if not isinstance(section, dict):
            continue
        rule = registry.load(info.name)
        assert rule.config_section is not None
        key, translate = rule.config_section
        entry = translate(section)
        if not entry:
            continue
        entry.setdefault("enabled", False)
        name = rule.name if rule.name in rules or rule.code not in rules else rule.code
        own = rules.get(name)
        if isinstance(own, dict):
            entry = {**entry, **({} if "enabled" in own else {"enabled": True}), **own}
        elif isinstance(own, bool):
            entry["enabled"] = own
        elif isinstance(own, str):
            entry.update({"enabled": False} if own == "off" else {"enabled": True, "severity": own})
        rules[name] = entry
    return rules


def _read_config(path: str) -> tuple[dict, Any]:
    """Read YAML or TOML; return the data and a function mapping a key path to a line."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None
    if path.endswith(".toml"):
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            at = _toml_patterns()[0].search(message)
            if at is None:
                raise ConfigError(f"{path}: not valid TOML: {message}") from None
            where = f"{path}:{at.group(1)}:{at.group(2)}"
            raise ConfigError(f"{where}: not valid TOML: {message[:at.start()].rstrip()}") from None
        section = data.get("tool", {}).get("naislint", {})
        lines = _toml_key_lines(text)

        def locate_toml(keys: list) -> int | None:
            for end in range(len(keys), -1, -1):  # the key, else the nearest table holding it
                line = lines.get(("tool", "naislint", *map(str, keys[:end])))
                if line is not None:
                    return line
            return None

        return section, locate_toml
    from naislint.page import yamlfile

    fm = yamlfile.document(text)
    if fm.error is not None:
        # Said of a configuration file, not of a page: Jekyll drops nothing here.
        message = fm.error.message.replace("; Jekyll will drop the whole block", "").replace("front matter", "configuration")
        raise ConfigError(f"{path}:{fm.error.line}:{fm.error.column}: {message}")
    if fm.duplicates:
        first, dup = fm.duplicates[0]
        raise ConfigError(f"{path}:{dup.key_span.line}: key {dup.key!r} is given twice (first on line {first.key_span.line})")
    data = fm.data if fm.data is not None else {}

    def locate(keys: list) -> int | None:
        if fm.root is None:
            return None
        node = fm.key_node_at(keys) if keys else None
        if node is None:
            node = fm.node_at(keys)
        return fm.span_of(node).line if node is not None else None

    return data, locate


@lru_cache(maxsize=1)
def _toml_patterns() -> "tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]":
    """Where tomllib says a syntax error is (``(at line 3, column 5)``), a table header
    and a key line: compiled when a ``pyproject.toml`` is read, not by every run."""
    return (
        re.compile(r"\(at line (\d+), column (\d+)\)"),
        re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$"),
        re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="),
    )


def _toml_key_lines(text: str) -> dict[tuple, int]:
    """Line of each table and key of a TOML file, by key path (array tables by index),
    for messages about ``[tool.naislint]`` that name a line. Keys inside inline tables
    and multi-line values are not listed: their messages name the enclosing key."""

    def parts(dotted: str) -> list[str]:
        return [p.strip().strip("\"'") for p in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", dotted)]

    _at, table_re, key_re = _toml_patterns()
    found: dict[tuple, int] = {}
    table: tuple = ()
    counts: dict[tuple, int] = {}
    in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        was_in_string = in_string
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_string = not in_string
        if was_in_string:
            continue  # inside a multi-line string, or the line that closes it
        header = table_re.match(line)
        if header:
            path = tuple(parts(header.group(2)))
            for array in sorted(counts, key=len, reverse=True):  # a sub-table of an array's last table
                if path[:len(array)] == array and len(path) > len(array):
                    path = array + (str(counts[array]),) + path[len(array):]
                    break
            if header.group(1) == "[[":
                counts[path] = counts.get(path, -1) + 1
                table = path + (str(counts[path]),)
                found.setdefault(path, number)
            else:
                table = path
            found.setdefault(table, number)
            continue
        key = key_re.match(line)
        if key:
            found.setdefault(table + tuple(parts(key.group(1))), number)
    return found


@lru_cache(maxsize=1)
def _config_schema() -> dict:
    from naislint.config.presets import PRESETS
    from naislint.resources import schema_path

    schema = json.loads(schema_path("config.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["preset"]["enum"] = list(PRESETS)  # the table is the one list
    return schema


@lru_cache(maxsize=1)
def _config_validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_config_schema())


@lru_cache(maxsize=1)
def _config_predicate() -> Any:
    """The config schema's validity predicate, compiled without jsonschema (see
    :func:`naislint.schema.fast.compile_plain`): a valid config, the usual case, is
    known valid without importing jsonschema."""
    from naislint.schema import fast
    from naislint.schema.frontmatter import builtin_at

    return fast.compile_plain(_config_schema(), builtin_at)


def _validate(raw: Any, path: str, locate: Any) -> None:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys to values")
    predicate = _config_predicate()
    if predicate is not None and predicate.valid(raw):
        return
    errors = sorted(_config_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    messages = []
    for error in errors:
        keys = list(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            for key in extra:
                line = locate(keys + [key])
                known = ", ".join(sorted(error.schema.get("properties", {})))
                messages.append(_where(path, line) + f"unknown key {'.'.join(map(str, keys + [key]))!r} (known keys: {known})")
            continue
        line = locate(keys)
        dotted = ".".join(map(str, keys)) or "(top level)"
        messages.append(_where(path, line) + f"key {dotted!r}: {_plain(error)}")
    raise ConfigError("\n".join(messages))


def _where(path: str, line: int | None) -> str:
    return f"{path}:{line}: " if line else f"{path}: "


def _plain(error: Any) -> str:
    if error.validator == "enum":
        return f"must be one of {', '.join(map(json.dumps, error.validator_value))}, not {json.dumps(error.instance, default=str)}"
    if error.validator == "type":
        return f"must be of type {error.validator_value}, not {type(error.instance).__name__}"
    if error.validator == "oneOf" and error.context:
        return "must be true/false, a severity (error, warning, info, off) or a table of settings"
    return error.message


def _check_rule_names(config: Config, path: str, locate: Any) -> None:
    """Every rule named in ``rules`` or ``overrides`` must exist; options must fit."""
    layers = [(["rules"], config.rules)] + [
        (["overrides", i, "rules"], rules) for i, (_globs, rules) in enumerate(config.overrides)
    ]
    for keys, layer in layers:
        for name, value in layer.items():
            rule = registry.lookup(name)
            if rule is None:
                from difflib import get_close_matches

                close = get_close_matches(name, list(registry.rule_infos()), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ConfigError(_where(path, locate(keys + [name])) + f"unknown rule {name!r}{hint}")
            if isinstance(value, dict):
                options = {k: v for k, v in value.items() if k not in ("enabled", "severity")}
                try:
                    build_options(rule, options, None)
                except ConfigError as exc:
                    raise ConfigError(_where(path, locate(keys + [name])) + str(exc)) from None


def config_for_root(root: str, explicit: str | None = None, known: "dict[str, str | None] | None" = None) -> Config:
    """The configuration that applies to a site root (or folder), cached per run
    (``known``: the run's config files by folder, see :func:`find_config_file`)."""
    path = explicit or find_config_file(root, known)
    config = load_config(path, root)
    if config.path is None:
        config.root = os.path.abspath(root)
    return config
