"""Front matter checked against a JSON Schema, with every problem at its key's line.

jsonschema reports paths into the data; the parsed front matter keeps the YAML node of
every key and value, so each error lands on the key (a missing or unexpected key) or on
the value (a wrong value). Messages come from the schema itself: naislint's schemas
carry ``x-message`` (or ``x-<keyword>-message``) in plain words next to each check, and
``x-severity`` when a check is a warning; ``x-messages`` on an object names the message
of each required key. A user schema without them still gets readable messages.

jsonschema is imported only when a schema is checked, and compiled validators are kept
for the life of the process. Front matter that fits its schema is recognised by
predicates compiled from the schema (:mod:`naislint.schema.fast`) without jsonschema's
error collection, which only the rest pays for.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator

from naislint.diagnostics import Severity, Span

if TYPE_CHECKING:
    from naislint.page.document import Document
    from naislint.page.frontmatter import FrontMatter
    from naislint.jekyll.pagekinds import SchemaChoice

BASE_URI = "https://naislint.dev/schemas/"
#: Keywords whose failure is an error unless the schema says otherwise.
ERROR_KEYWORDS = frozenset({"type", "required"})


class SchemaLoadError(Exception):
    """A user schema that cannot be read or is not a valid JSON Schema."""


@dataclass(frozen=True)
class Problem:
    span: Span
    message: str
    severity: Severity


# -- loading ----------------------------------------------------------------------------


def _builtin_dir() -> str:
    from naislint.resources import data_dir

    return str(data_dir("schemas"))


@lru_cache(maxsize=None)
def load_builtin(filename: str) -> dict:
    """A shipped schema by file name (``isomer-post.schema.json``)."""
    with open(os.path.join(_builtin_dir(), filename), encoding="utf-8") as handle:
        return json.load(handle)


def builtin_names() -> list[str]:
    return sorted(n for n in os.listdir(_builtin_dir()) if n.endswith(".schema.json"))


#: A user schema larger than this is refused (the shipped ones are a few kilobytes).
MAX_SCHEMA_BYTES = 1024 * 1024


def _read_user(path: str, within: tuple[str, ...] = ()) -> dict:
    """A user schema: a regular file inside ``within`` (the site root and the config's
    folder; no bound when empty), read without blocking; anything else is a
    :class:`SchemaLoadError`."""
    from naislint.page.safeopen import Refused, read_regular

    try:
        raw = read_regular(path, within, MAX_SCHEMA_BYTES)
    except Refused as exc:
        if exc.kind == "outside":
            raise SchemaLoadError(
                f"front matter schema {path} is outside the site and the config's folder "
                f"({', '.join(within)}); a schema must be a file inside them"
            ) from None
        raise SchemaLoadError(f"front matter schema {path} cannot be read: {exc.message}") from None
    except IsADirectoryError:
        raise SchemaLoadError(f"front matter schema {path} is a folder, not a file") from None
    except OSError as exc:
        raise SchemaLoadError(f"front matter schema {path} cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaLoadError(f"front matter schema {path} is not UTF-8: {exc}") from None
    if path.endswith((".yml", ".yaml")):
        from naislint.page import yamlfile

        data, problem = yamlfile.parse(text, "the schema")
        if problem is not None:
            raise SchemaLoadError(
                f"front matter schema {path} is not valid YAML: line {problem.line}, column {problem.column}: {problem.message}"
            )
    else:
        try:
            data = json.loads(text)
        except Exception as exc:  # JSON syntax: say which file
            raise SchemaLoadError(f"front matter schema {path} is not valid JSON: {exc}") from None
    if not isinstance(data, (dict, bool)):
        raise SchemaLoadError(f"front matter schema {path} must be a JSON object")
    return data


def _uri_of(choice_schema: str, builtin: bool) -> str:
    if builtin:
        return BASE_URI + choice_schema
    from pathlib import Path

    return Path(choice_schema).resolve().as_uri()


def _retrieve(uri: str) -> Any:
    """A built-in schema referenced by its URI; nothing else (see :func:`_user_retrieve`)."""
    from referencing import Resource
    from referencing.exceptions import NoSuchResource

    if uri.startswith(BASE_URI):
        try:
            return Resource.from_contents(load_builtin(uri[len(BASE_URI):]))
        except (OSError, ValueError):
            raise NoSuchResource(ref=uri) from None
    raise NoSuchResource(ref=uri)


def _user_retrieve(within: tuple[str, ...]) -> Any:
    """What a user schema's ``$ref`` may reach: a built-in (by URI, or by its file name
    beside the schema), or a schema file inside ``within``. Any other URI (another
    folder, ``/etc/passwd``, http) is refused, so a schema can neither read nor fetch
    what lies outside the site."""
    from referencing import Resource
    from referencing.exceptions import NoSuchResource

    def retrieve(uri: str) -> Any:
        if uri.startswith(BASE_URI):
            return _retrieve(uri)
        if not uri.startswith("file://"):
            raise SchemaLoadError(f"only schema files inside {', '.join(within)} can be referenced")
        from urllib.parse import unquote, urlparse

        path = unquote(urlparse(uri).path)
        name = uri.rsplit("/", 1)[-1]
        if not os.path.lexists(path) and name in builtin_names():
            return Resource.from_contents(load_builtin(name))
        if not os.path.lexists(path):
            raise NoSuchResource(ref=uri)
        return Resource.from_contents(_with_id(_read_user(path, within), uri))

    return retrieve


def _with_id(schema: Any, uri: str) -> Any:
    if isinstance(schema, dict) and "$id" not in schema:
        schema = dict(schema, **{"$id": uri})
    if isinstance(schema, dict) and "$schema" not in schema:
        schema = dict(schema, **{"$schema": "https://json-schema.org/draft/2020-12/schema"})
    return schema


@lru_cache(maxsize=64)
def validator_for(schema: str, builtin: bool, within: tuple[str, ...] = ()) -> Any:
    """A compiled Draft 2020-12 validator for a built-in or user schema, cached.

    A user schema (and every schema its ``$ref`` reaches) must be a regular file inside
    ``within``: the site root and the config's folder."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    if builtin:
        return Draft202012Validator(load_builtin(schema), registry=_builtin_registry())
    uri = _uri_of(schema, builtin)
    contents = _with_id(_read_user(schema, within), uri)
    # The shipped schemas are checked by the test suite, not on every run.
    try:
        Draft202012Validator.check_schema(contents)
    except SchemaError as exc:
        raise SchemaLoadError(f"front matter schema {schema} is not a valid JSON Schema: {exc.message}") from None
    validator = Draft202012Validator(contents, registry=_user_registry(within))
    _resolve_refs(schema, validator)
    return validator


@lru_cache(maxsize=64)
def _fast_for(schema: str, builtin: bool, within: tuple[str, ...] = ()) -> "tuple[Any, Any] | None":
    """The schema's compiled validity predicates and a validator that skips what they
    know to be valid (see :mod:`naislint.schema.fast`); ``None`` when the schema uses
    something the predicates do not model, and jsonschema alone is used."""
    from naislint.schema import fast as fastschema

    validator = validator_for(schema, builtin, within)
    compiled = fastschema.compile_validator(validator)
    if compiled is None:
        return None
    return compiled, fastschema.skipping_validator(validator, compiled)


@lru_cache(maxsize=64)
def _plain_for(schema: str) -> Any:
    """A shipped schema's validity predicates compiled without jsonschema (see
    :func:`naislint.schema.fast.compile_plain`), or ``None``."""
    from naislint.schema import fast as fastschema

    try:
        contents = load_builtin(schema)
    except (OSError, ValueError):
        return None
    return fastschema.compile_plain(contents, builtin_at)


def builtin_at(uri: str) -> Any:
    """The shipped schema at ``uri`` (``None`` for any other URI)."""
    if not uri.startswith(BASE_URI) or "/" in uri[len(BASE_URI):]:
        return None
    try:
        return load_builtin(uri[len(BASE_URI):])
    except (OSError, ValueError):
        return None


def _builtin_resources() -> list:
    from referencing import Resource

    return [(BASE_URI + name, Resource.from_contents(load_builtin(name))) for name in builtin_names()]


@lru_cache(maxsize=1)
def _builtin_registry() -> Any:
    """Every built-in schema, loaded and crawled once.

    A registry only learns a retrieved resource for the one validation that asked, so
    without this every page's validation would read and crawl the shared schemas again.
    """
    from referencing import Registry

    return Registry(retrieve=_retrieve).with_resources(_builtin_resources()).crawl()


@lru_cache(maxsize=16)
def _user_registry(within: tuple[str, ...]) -> Any:
    """The built-ins, and user schema files inside ``within`` on demand (nothing else)."""
    from referencing import Registry

    return Registry(retrieve=_user_retrieve(within)).with_resources(_builtin_resources()).crawl()


def _resolve_refs(schema: str, validator: Any) -> None:
    """Resolve every ``$ref`` a user schema holds, once, when it is loaded: a reference
    that leads nowhere (or outside the site) is one clear error about the schema, not a
    failure while validating each page."""
    from referencing.exceptions import Unresolvable

    seen: set[int] = set()

    def walk(node: Any, resolver: Any, depth: int) -> None:
        if depth > 50 or id(node) in seen:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, resolver, depth + 1)
            return
        if not isinstance(node, dict):
            return
        seen.add(id(node))
        if isinstance(node.get("$id"), str) and depth:
            resolver = resolver.in_subresource(_resource(node))
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                resolved = resolver.lookup(ref)
            except Unresolvable as exc:
                cause: Any = exc
                while cause is not None and not isinstance(cause, SchemaLoadError):
                    cause = cause.__cause__
                why = str(cause) if cause is not None else "it leads to no schema"
                raise SchemaLoadError(f"front matter schema {schema}: cannot follow $ref {ref!r}: {why}") from None
            walk(resolved.contents, resolved.resolver, depth + 1)
        for key, value in node.items():
            if key not in ("const", "enum", "examples", "default") and isinstance(value, (dict, list)):
                walk(value, resolver, depth + 1)

    base = validator._resolver.in_subresource(_resource(validator.schema)) if isinstance(validator.schema, dict) else validator._resolver
    walk(validator.schema, base, 0)


# -- the data jsonschema sees -------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """YAML data as JSON data; a YAML date becomes its ISO text, so that a real date
    passes the date pattern while a quoted non-ISO string does not."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def instance_of(fm: "FrontMatter") -> tuple[dict, set[str]]:
    """Top-level data without empty values (front-matter-empty reports those), and the
    names of the keys so dropped."""
    data = fm.mapping
    blank = {str(k) for k, v in data.items() if _is_blank(v)}
    return {str(k): _jsonable(v) for k, v in data.items() if str(k) not in blank}, blank


# -- checking -----------------------------------------------------------------------------


def check(doc: "Document", choice: "SchemaChoice") -> Iterator[Problem]:
    """Every schema problem of the document's front matter, grouped per key."""
    fm = doc.front_matter
    if fm is None or not fm.ok or not isinstance(fm.data, dict):
        return
    yield from check_yaml(fm, choice, len(doc.line(1)))


def check_yaml(fm: "FrontMatter", choice: "SchemaChoice", first_line_length: int) -> Iterator[Problem]:
    """Every schema problem of parsed YAML (front matter, or a whole data file read by
    :func:`naislint.page.yamlfile.document`), grouped per key; a problem of the whole block
    is shown on line 1 (``first_line_length`` long)."""
    if not fm.ok or not isinstance(fm.data, dict):
        return
    instance, blank = instance_of(fm)
    if choice.builtin:
        plain = _plain_for(choice.schema)
        if plain is not None and plain.valid(instance):
            return  # fits a shipped schema: known without importing jsonschema
    validator = validator_for(choice.schema, choice.builtin, choice.within)
    fast = _fast_for(choice.schema, choice.builtin, choice.within)
    if fast is not None:
        compiled, validator = fast
        if compiled.valid(instance):
            return  # most front matter fits: no need to collect errors
    groups: dict[tuple, list[tuple[str, Severity, bool]]] = {}
    spans: dict[tuple, Span] = {}
    for error in validator.iter_errors(instance):
        for path, message, severity, stop in _explain(error, instance, blank, choice.label):
            groups.setdefault(path, []).append((message, severity, stop))
            if path not in spans:
                spans[path] = _span_for(first_line_length, fm, path)
    for path, items in groups.items():
        stops = [item for item in items if item[2]]
        if stops:
            items = stops[:1]
        seen: list[str] = []
        for message, _sev, _stop in items:
            if message not in seen:
                seen.append(message)
        severity = max((s for _m, s, _x in items), key=lambda s: s.rank)
        yield Problem(spans[path], "; ".join(seen), severity)


def _span_for(first_line_length: int, fm: "FrontMatter", path: tuple) -> Span:
    """Where a problem is shown: ``('missing', key)`` on the opening fence or the object,
    ``('key', *path)`` on a key, ``('value', *path)`` on a value."""
    kind, *rest = path
    if not rest:  # the block as a whole (keys missing together): its opening fence
        return Span(1, 1, 1, first_line_length + 1)
    if kind == "missing":
        obj_path = rest[:-1]
        if not obj_path:
            return Span(1, 1, 1, first_line_length + 1)
        return fm.span_of(fm.node_at(obj_path))
    if kind == "key":
        node = fm.key_node_at(rest)
        return fm.span_of(node) if node is not None else fm.span_of(fm.node_at(rest))
    return fm.span_of(fm.node_at(rest))


def _dotted(path: "list[Any]") -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front matter"


def _explain(error: Any, instance: dict, blank: set[str], label: str) -> Iterator[tuple[tuple, str, Severity, bool]]:
    """Turn one jsonschema error into (where, message, severity, stop) items."""
    path = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    severity = _severity(schema, keyword)
    stop = bool(schema.get("x-stop"))
    if keyword == "required":
        have = error.instance if isinstance(error.instance, dict) else {}
        messages = schema.get("x-messages") or {}
        for key in error.validator_value:
            if key in have:
                continue
            where = path + [key]
            if not path and key in blank:
                detail = messages.get(key, "")
                tail = detail.split("; ", 1)[1] if "; " in detail else f"a {label} needs it"
                yield ("key", *where), f"{key} is empty; {tail}", Severity.ERROR, False
            else:
                text = messages.get(key) or f"{_dotted(path) + ' has' if path else 'front matter has'} no {key}; a {label} needs it"
                yield ("missing", *where), text, Severity.ERROR, False
        return
    if keyword == "additionalProperties" or keyword == "unevaluatedProperties":
        extra = [k for k in (error.instance or {}) if k not in schema.get("properties", {})]
        for key in extra:
            yield ("key", *path, key), _message(schema, keyword, path + [key], error), severity, stop
        return
    if keyword == "dependentRequired":
        # Shown on the key that needs another (the button without its url).
        have = error.instance if isinstance(error.instance, dict) else {}
        for key, needed in (error.validator_value or {}).items():
            if key in have and any(n not in have for n in needed):
                yield ("key", *path, key), _message(schema, keyword, path, error), severity, stop
        return
    if keyword == "propertyNames":
        yield ("key", *path), _message(schema, keyword, path, error), severity, stop
        return
    yield ("value", *path), _message(schema, keyword, path, error), severity, stop


def _severity(schema: dict, keyword: str) -> Severity:
    value = schema.get(f"x-{keyword}-severity", schema.get("x-severity"))
    if value in ("error", "warning", "info"):
        return Severity(value)
    return Severity.ERROR if keyword in ERROR_KEYWORDS else Severity.WARNING


def _message(schema: dict, keyword: str, path: list, error: Any) -> str:
    key = _dotted(path)
    template = schema.get(f"x-{keyword}-message") or schema.get("x-message")
    if isinstance(template, str):
        return template.replace("{key}", key)
    return _default_message(keyword, key, error)


_TYPE_WORDS = {
    "string": "text",
    "boolean": "true or false (unquoted)",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a table of keys",
    "null": "empty",
}


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table of keys"
    return json.dumps(value, default=str)


def _default_message(keyword: str, key: str, error: Any) -> str:
    """Plain words for a user schema's error that carries no x-message."""
    value = error.validator_value
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        return f"{key} must be {' or '.join(_TYPE_WORDS.get(t, t) for t in types)}, not {_shown(error.instance)}"
    if keyword == "enum":
        return f"{key} must be one of {', '.join(json.dumps(v) for v in value)}, not {_shown(error.instance)}"
    if keyword == "const":
        return f"{key} must be {json.dumps(value)}, not {_shown(error.instance)}"
    if keyword == "pattern":
        return f"{key} does not have the expected form (pattern {value})"
    if keyword == "minLength":
        return f"{key} must be at least {value} characters long" if value > 1 else f"{key} is empty"
    if keyword == "maxLength":
        return f"{key} must be at most {value} characters long"
    if keyword in ("minimum", "exclusiveMinimum"):
        return f"{key} must be at least {value}" if keyword == "minimum" else f"{key} must be more than {value}"
    if keyword in ("maximum", "exclusiveMaximum"):
        return f"{key} must be at most {value}" if keyword == "maximum" else f"{key} must be less than {value}"
    if keyword == "minItems":
        return f"{key} must list at least {value} item{'s' if value != 1 else ''}"
    if keyword == "maxItems":
        return f"{key} must list at most {value} item{'s' if value != 1 else ''}"
    if keyword == "additionalProperties" or keyword == "unevaluatedProperties":
        return f"{key} is not allowed here"
    if keyword == "format":
        return f"{key} must be a valid {value}"
    if keyword == "not":
        return f"{key} has a value this page's schema rules out"
    if keyword in ("anyOf", "oneOf"):
        return f"{key} matches none of the forms this page's schema allows"
    return f"{key}: {error.message}"


# -- which keys a schema knows ------------------------------------------------------------


def known_keys(choice: "SchemaChoice", data: Any = None) -> tuple[frozenset[str], str]:
    """Top-level keys a schema declares (through $ref, allOf, if/then ...), and its
    ``x-unknown-keys`` mode: ``report`` every other key, or only ``typos`` of known ones.

    With ``data`` (the page's front matter), the keys a ``then`` (``else``) declares count
    only when the page matches (does not match) its ``if``: a key only the old
    ``leftnav-page`` layout reads is known on a page with that layout, not on another
    (a condition inside a ``then`` is weighed on its own). Without ``data``, every key any
    branch declares."""
    keys, mode, conditions = _known_keys(choice.schema, choice.builtin, choice.within)
    if not conditions:
        return keys, mode
    extra: set[str] = set()
    for condition, then_keys, else_keys in conditions:
        if data is None:
            extra |= then_keys | else_keys
            continue
        try:
            holds = condition.is_valid(data)
        except Exception:  # a condition the data cannot be weighed against: count both
            extra |= then_keys | else_keys
            continue
        extra |= then_keys if holds else else_keys
    return keys | extra, mode


@lru_cache(maxsize=64)
def _known_keys(
    schema: str, builtin: bool, within: tuple[str, ...] = ()
) -> tuple[frozenset[str], str, tuple[tuple[Any, frozenset[str], frozenset[str]], ...]]:
    """The keys declared outside any ``then``/``else``, the mode, and each ``if`` (as an
    object with ``is_valid``) with the keys its ``then`` and its ``else`` declare."""
    if builtin:
        from naislint.schema import fast as fastschema

        contents = builtin_at(BASE_URI + schema)
        if _plain_for(schema) is not None:
            # Every document it reaches resolves plainly: no jsonschema needed.
            try:
                return _walk_known_keys(contents, fastschema.plain_resolver(contents, builtin_at), None)
            except fastschema.Unsupported:
                pass
    validator = validator_for(schema, builtin, within)
    resolver = validator._resolver  # the referencing resolver jsonschema built
    base = resolver
    schema_id = validator.schema.get("$id") if isinstance(validator.schema, dict) else None
    if schema_id:
        base = resolver.in_subresource(_resource(validator.schema))
    return _walk_known_keys(validator.schema, base, validator)


class _PlainCondition:
    """An ``if`` subschema weighed by naislint's own predicate (no jsonschema)."""

    def __init__(self, predicate: Any) -> None:
        self.predicate = predicate

    def is_valid(self, instance: Any) -> bool:
        return bool(self.predicate(instance))


def _walk_known_keys(
    root: Any, base: Any, validator: Any
) -> tuple[frozenset[str], str, tuple[tuple[Any, frozenset[str], frozenset[str]], ...]]:
    """The keys ``root`` declares, following ``$ref`` with ``base``: a ``referencing``
    resolver with jsonschema's ``validator``, or, with ``validator`` ``None``, a plain one
    whose failure to resolve (or to weigh an ``if``) is raised: jsonschema then decides."""
    from naislint.schema.fast import Unsupported, plain_predicate

    plain = validator is None
    keys: set[str] = set()
    conditions: list[tuple[Any, frozenset[str], frozenset[str]]] = []
    mode = root.get("x-unknown-keys", "report") if isinstance(root, dict) else "report"
    seen: set[int] = set()

    def condition_of(node: Any, resolver: Any) -> Any:
        if not plain:
            return validator.evolve(schema=node, _resolver=resolver)
        try:
            return _PlainCondition(plain_predicate(node, resolver))
        except Exception as error:  # whatever the predicates cannot weigh: jsonschema does
            raise Unsupported(f"cannot weigh an if plainly: {error}") from None

    def walk(node: Any, resolver: Any, depth: int, into: set[str]) -> None:
        if not isinstance(node, dict) or id(node) in seen or depth > 20:
            return
        seen.add(id(node))
        into.update(node.get("properties", {}) or {})
        into.update(k for k in node.get("required", []) or [] if isinstance(k, str))
        for word in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(word, []) or []:
                walk(sub, resolver, depth + 1, into)
        condition = node.get("if")
        if isinstance(condition, (dict, bool)):
            walk(condition, resolver, depth + 1, into)
            then_keys: set[str] = set()
            else_keys: set[str] = set()
            walk(node.get("then"), resolver, depth + 1, then_keys)
            walk(node.get("else"), resolver, depth + 1, else_keys)
            if then_keys or else_keys:
                conditions.append((condition_of(condition, resolver), frozenset(then_keys), frozenset(else_keys)))
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                resolved = resolver.lookup(ref)
            except Unsupported:
                raise
            except Exception:
                if plain:
                    raise Unsupported(f"cannot follow {ref!r} plainly") from None
                return
            walk(resolved.contents, resolved.resolver, depth + 1, into)

    walk(root, base, 0, keys)
    return frozenset(keys), mode if mode in ("report", "typos") else "report", tuple(conditions)


def _resource(contents: dict) -> Any:
    from referencing import Resource

    return Resource.from_contents(contents)
