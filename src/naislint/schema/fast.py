"""A quick yes/no answer to "is this instance valid?", compiled once from a JSON Schema.

Most front matter fits its schema, and jsonschema pays for every subschema it visits
(a validator object per subschema, a registry look-up per ``$ref``) even when nothing
is wrong. So each schema is compiled once into plain Python predicates, one per
subschema, with jsonschema's own semantics for the keywords it supports; every
``$ref`` is resolved at compile time with the resolver jsonschema would hold at that
point. A valid instance is then known valid without jsonschema; an invalid one still
goes through jsonschema, which only descends into the subschemas the predicates do
not know to be valid (see :func:`skipping_validator`), so the errors, their order and
their messages stay jsonschema's.

The predicates only ever answer "valid" where jsonschema would yield no error:
a schema using a keyword outside :data:`_BUILDERS` (``unevaluatedProperties``,
``$dynamicRef``, ``uniqueItems`` ...) or a subschema of another dialect is not
compiled at all, and a predicate that raises counts as "not known valid".

naislint's own schemas are also compiled without jsonschema (:func:`compile_plain`):
their ``$ref`` are plain URIs and JSON pointers, which a few lines resolve as
``referencing`` does, so a run whose front matter fits never imports jsonschema (60 ms of
a one-page run's start-up). Where that resolution could differ from jsonschema's (an
``$id`` or an anchor below a document's root, an unknown ``$schema``, a value whose
equality is not plain), nothing is compiled, or the predicate raises, and jsonschema
decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import unquote, urldefrag, urljoin

Pred = Callable[[Any], bool]


class Unsupported(Exception):
    """The schema uses something the predicates do not model: use jsonschema alone."""


@dataclass
class Compiled:
    """The predicate of a root schema, and of every subschema jsonschema descends into.

    ``by_id`` is keyed by ``id()`` of the subschema dicts; ``keep`` holds the dicts so
    that no id is reused while the predicates live.
    """

    root: Pred
    by_id: dict[int, Pred] = field(default_factory=dict)
    keep: list[Any] = field(default_factory=list)
    #: ``(id(schema), base URI)`` of each ``$ref`` -> what it resolved to at compile time.
    refs: dict[tuple[int, str], Any] = field(default_factory=dict)

    def known_valid(self, subschema: Any, instance: Any) -> bool:
        """True only when ``subschema`` surely yields no error for ``instance``."""
        if subschema is True:
            return True
        pred = self.by_id.get(id(subschema)) if isinstance(subschema, dict) else None
        if pred is None:
            return False
        try:
            return pred(instance)
        except Exception:  # let jsonschema meet (and report) whatever went wrong
            return False

    def valid(self, instance: Any) -> bool:
        """True only when the root schema surely yields no error for ``instance``."""
        try:
            return self.root(instance)
        except Exception:
            return False


def _true(_: Any) -> bool:
    return True


def _false(_: Any) -> bool:
    return False


def compile_validator(validator: Any) -> Compiled | None:
    """Predicates for a Draft 2020-12 validator's schema, or ``None`` when unsupported."""
    from jsonschema import Draft202012Validator

    if type(validator) is not Draft202012Validator or validator.format_checker is not None:
        return None
    compiler = _Compiler()
    try:
        root = compiler.compile(validator.schema, validator._resolver, enter=False)
    except Exception:  # Unsupported, an unresolvable $ref, a bad pattern ...: jsonschema will say
        return None
    return Compiled(root, compiler.by_id, compiler.keep, compiler.refs)


def compile_plain(schema: Any, load: Callable[[str], Any]) -> Compiled | None:
    """Predicates for a Draft 2020-12 root ``schema`` with an absolute ``$id``, built
    without jsonschema; ``load(uri)`` gives the document a ``$ref`` names (``None`` when
    there is none). ``None`` when the schema, or a document it reaches, uses what
    :class:`_PlainResolver` does not resolve exactly as ``referencing`` would."""
    if not isinstance(schema, dict) or not _plain_document(schema):
        return None
    base = schema.get("$id")
    if not isinstance(base, str) or urldefrag(base)[1] or not urljoin(base, "x").startswith(("https:", "http:", "file:")):
        return None
    compiler = _Compiler(plain=True)
    try:
        root = compiler.compile(schema, plain_resolver(schema, load), enter=False)
    except Exception:  # Unsupported, a $ref leading nowhere, a bad pattern ...: jsonschema will say
        return None
    return Compiled(root, compiler.by_id, compiler.keep, compiler.refs)


def plain_predicate(subschema: Any, resolver: Any) -> Pred:
    """The predicate of a subschema reached with the plain ``resolver`` (an ``if`` weighed
    without jsonschema); raises :class:`Unsupported` for what it does not model."""
    return _Compiler(plain=True).compile(subschema, resolver, enter=False)


def plain_resolver(schema: dict, load: Callable[[str], Any]) -> "_PlainResolver":
    """The resolver :func:`compile_plain` starts from for ``schema`` (at its ``$id``)."""
    return _PlainResolver(load, schema["$id"], {schema["$id"]: schema})


#: The URI by which a schema declares itself Draft 2020-12 (jsonschema's own spelling).
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
#: The keywords of Draft 2020-12 (jsonschema's ``Draft202012Validator.VALIDATORS``; a
#: test keeps the two equal). Any other key is an annotation, skipped by both.
KEYWORDS_2020_12 = frozenset({
    "$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains",
    "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum",
    "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
    "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern",
    "patternProperties", "prefixItems", "properties", "propertyNames", "required", "type",
    "unevaluatedItems", "unevaluatedProperties", "uniqueItems",
})
#: Keys that move the base URI or name a place below a document's root: with any of
#: them, resolving a ``$ref`` needs ``referencing`` itself.
_SCOPE_KEYS = frozenset({"$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveAnchor", "$recursiveRef"})


def _plain_document(document: Any) -> bool:
    """Whether a schema document has no scope key below its root (nor ``$schema`` of
    another dialect anywhere), so that every ``$ref`` in it resolves from its ``$id``."""
    if not isinstance(document, dict) or document.get("$schema", DRAFT_2020_12) != DRAFT_2020_12:
        return False
    todo: list[Any] = [v for k, v in document.items() if k != "$id"]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            if not _SCOPE_KEYS.isdisjoint(node) or node.get("$schema", DRAFT_2020_12) != DRAFT_2020_12:
                return False
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return True


class _Unknown(Exception):
    """A plain predicate cannot tell (a value whose JSON equality is not plain): the
    whole answer is "not known valid" (see :meth:`Compiled.valid`)."""


@dataclass(frozen=True)
class _PlainResolved:
    contents: Any
    resolver: "_PlainResolver"


class _PlainResolver:
    """What :class:`_Compiler` asks of a ``referencing`` resolver, for documents whose
    only ``$id`` is at their root: the base URI (``_base_uri``, as ``referencing`` names
    it), a ``$ref`` looked up as a URI joined to it and a JSON pointer, and entering a
    subschema, which changes nothing without an ``$id``."""

    def __init__(self, load: Callable[[str], Any], base: str, documents: dict[str, Any]) -> None:
        self._load = load
        self._base_uri = base
        self._documents = documents

    def in_subresource(self, subschema: Any) -> "_PlainResolver":
        if isinstance(subschema, dict) and not _SCOPE_KEYS.isdisjoint(subschema):
            raise Unsupported("a scope key below a document's root")
        return self

    def lookup(self, ref: str) -> _PlainResolved:
        if ref.startswith("#"):
            uri, fragment = self._base_uri, ref[1:]
        else:
            uri, fragment = urldefrag(urljoin(self._base_uri, ref))
        document = self._documents.get(uri)
        if document is None:
            document = self._load(uri)
            if not isinstance(document, dict) or document.get("$id") != uri or not _plain_document(document):
                raise Unsupported(f"no plain schema document at {uri}")
            self._documents[uri] = document
        resolver = self if uri == self._base_uri else _PlainResolver(self._load, uri, self._documents)
        if not fragment:
            return _PlainResolved(document, resolver)
        if not fragment.startswith("/"):
            raise Unsupported("an anchor")
        contents = document
        for segment in unquote(fragment[1:]).split("/"):
            if isinstance(contents, list):
                contents = contents[int(segment)]
            elif isinstance(contents, dict):
                contents = contents[segment.replace("~1", "/").replace("~0", "~")]
            else:
                raise Unsupported(f"a pointer into a scalar: {ref}")
        return _PlainResolved(contents, resolver)


def _plain_validator_for(schema: Any, default: Any = None) -> Any:
    """The dialect of a subschema, as jsonschema's ``validator_for`` tells it apart:
    the default unless ``$schema`` names another (documents were checked for it)."""
    if isinstance(schema, dict) and schema.get("$schema", DRAFT_2020_12) != DRAFT_2020_12:
        return None
    return default


class _PlainTypes:
    """Draft 2020-12's type checks, as jsonschema's ``TYPE_CHECKER`` makes them (a bool
    is neither an integer nor a number; 1.0 is an integer)."""

    @staticmethod
    def is_type(instance: Any, name: str) -> bool:
        if name == "integer":
            return not isinstance(instance, bool) and (
                isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
            )
        if name == "number":
            return not isinstance(instance, bool) and isinstance(instance, (int, float))
        simple = _SIMPLE_TYPES.get(name)
        if simple is None:
            raise Unsupported(f"type {name!r}")
        return simple(instance)


#: The JSON types a plain comparison knows (what YAML front matter becomes).
_PLAIN_VALUES = (str, int, float, bool, type(None), list, dict)


def plain_equal(one: Any, two: Any) -> bool:
    """JSON Schema equality as jsonschema's ``_utils.equal`` has it (``True`` is not
    ``1``, ``1`` is ``1.0``, lists and objects compared member by member); raises
    :class:`_Unknown` for a value of any other type."""
    if not isinstance(one, _PLAIN_VALUES) or not isinstance(two, _PLAIN_VALUES):
        raise _Unknown(type(one).__name__)
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(plain_equal(a, b) for a, b in zip(one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return len(one) == len(two) and all(k in two and plain_equal(v, two[k]) for k, v in one.items())
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return bool(one == two)


class _Compiler:
    def __init__(self, plain: bool = False) -> None:
        self.memo: dict[tuple[int, str], Pred] = {}
        self.by_id: dict[int, Pred] = {}
        self.scope_of: dict[int, str] = {}
        self.keep: list[Any] = []
        self.refs: dict[tuple[int, str], Any] = {}
        if plain:
            self.dialect: Any = DRAFT_2020_12
            self.validator_for: Any = _plain_validator_for
            self.type_checker: Any = _PlainTypes
            self.keywords: Any = KEYWORDS_2020_12
            self.create_resource: Any = lambda contents: contents
            self.equal: Callable[[Any, Any], bool] = plain_equal
            return
        from jsonschema import Draft202012Validator
        from jsonschema.validators import validator_for
        from referencing.jsonschema import DRAFT202012

        self.dialect = Draft202012Validator
        self.validator_for = validator_for
        self.type_checker = Draft202012Validator.TYPE_CHECKER
        self.keywords = Draft202012Validator.VALIDATORS
        self.create_resource = DRAFT202012.create_resource
        self.equal = _equal()

    def compile(self, schema: Any, resolver: Any, enter: bool) -> Pred:
        """The predicate of ``schema`` as jsonschema evaluates it: ``enter`` when reached
        through ``descend`` (which enters the subschema's own ``$id``), not when reached
        through ``evolve`` (``not``, ``if``) or a resolved ``$ref``."""
        if schema is True:
            return _true
        if schema is False:
            return _false
        if not isinstance(schema, dict):
            raise Unsupported("a schema that is neither an object nor a boolean")
        if self.validator_for(schema, default=self.dialect) is not self.dialect:
            raise Unsupported("a subschema of another dialect")
        if enter:
            resolver = resolver.in_subresource(self.create_resource(schema))
        scope = _scope(resolver)
        key = (id(schema), scope)
        if enter:
            if self.scope_of.setdefault(id(schema), scope) != scope:
                raise Unsupported("one subschema entered under two base URIs")
        if key in self.memo:
            return self.memo[key]
        cell: list[Pred] = []
        self.memo[key] = lambda instance: cell[0](instance)  # a recursive $ref lands here
        self.keep.append(schema)
        checks: list[Pred] = []
        for keyword, value in schema.items():
            if keyword not in self.keywords:
                continue  # an annotation or unknown keyword: jsonschema ignores it too
            build = _BUILDERS.get(keyword)
            if build is None:
                raise Unsupported(keyword)
            check = build(self, value, schema, resolver)
            if check is not None:
                checks.append(check)
        pred = _all(checks)
        cell.append(pred)
        self.memo[key] = pred
        if enter:
            self.by_id[id(schema)] = pred
        return pred

    def is_type(self, name: str) -> Pred:
        simple = _SIMPLE_TYPES.get(name)
        if simple is not None:
            return simple
        checker = self.type_checker
        checker.is_type(None, name)  # an unknown type name raises here, not per page
        return lambda instance: checker.is_type(instance, name)


def _scope(resolver: Any) -> str:
    """The base URI a referencing resolver resolves against (no public accessor)."""
    return str(getattr(resolver, "_base_uri"))


#: jsonschema's checks for these types are exactly these isinstance tests.
_SIMPLE_TYPES: dict[str, Pred] = {
    "string": lambda x: isinstance(x, str),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
}


def _all(checks: list[Pred]) -> Pred:
    if not checks:
        return _true
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda x: first(x) and second(x)
    checks_t = tuple(checks)

    def every(x: Any) -> bool:
        for check in checks_t:
            if not check(x):
                return False
        return True

    return every


# -- one builder per keyword: (compiler, keyword value, schema, resolver) -> check -------


def _type(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    names = [value] if isinstance(value, str) else list(value)
    tests = [c.is_type(name) for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda x: any(test(x) for test in tests)


def _equal() -> Callable[[Any, Any], bool]:
    from jsonschema._utils import equal

    return equal


def _enum(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    equal = c.equal
    options = list(value)
    return lambda x: any(equal(option, x) for option in options)


def _const(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    equal = c.equal
    return lambda x: equal(x, value)


def _pattern(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    search = re.compile(value).search  # jsonschema calls re.search(pattern, instance)
    return lambda x: not isinstance(x, str) or search(x) is not None


def _string_length(compare: Callable[[int, Any], bool]) -> Callable[..., Pred]:
    def build(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
        return lambda x: not isinstance(x, str) or compare(len(x), value)

    return build


def _number_bound(compare: Callable[[Any, Any], bool]) -> Callable[..., Pred]:
    def build(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
        is_number = c.is_type("number")
        return lambda x: not is_number(x) or compare(x, value)

    return build


def _count(kind: str, compare: Callable[[int, Any], bool]) -> Callable[..., Pred]:
    def build(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
        is_kind = _SIMPLE_TYPES[kind]
        return lambda x: not is_kind(x) or compare(len(x), value)

    return build


def _required(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    keys = tuple(value)
    return lambda x: not isinstance(x, dict) or all(key in x for key in keys)


def _properties(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    pairs = tuple((key, c.compile(sub, resolver, enter=True)) for key, sub in value.items())

    def check(x: Any) -> bool:
        if not isinstance(x, dict):
            return True
        for key, pred in pairs:
            if key in x and not pred(x[key]):
                return False
        return True

    return check


def _pattern_properties(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    pairs = tuple((re.compile(p).search, c.compile(sub, resolver, enter=True)) for p, sub in value.items())
    return lambda x: not isinstance(x, dict) or all(
        pred(v) for search, pred in pairs for k, v in x.items() if search(k)
    )


def _additional_properties(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    known = schema.get("properties", {})
    patterns = "|".join(schema.get("patternProperties", {}))
    search = re.compile(patterns).search if patterns else None

    def extras(x: dict) -> list:
        return [k for k in x if k not in known and not (search is not None and search(k))]

    if isinstance(value, dict):
        pred = c.compile(value, resolver, enter=True)
        return lambda x: not isinstance(x, dict) or all(pred(x[k]) for k in extras(x))
    if not value:
        return lambda x: not isinstance(x, dict) or not extras(x)
    return _true


def _items(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    prefix = len(schema.get("prefixItems", []))
    if value is False:
        return lambda x: not isinstance(x, list) or len(x) <= prefix
    pred = c.compile(value, resolver, enter=True)
    return lambda x: not isinstance(x, list) or all(pred(item) for item in x[prefix:])


def _prefix_items(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    preds = [c.compile(sub, resolver, enter=True) for sub in value]
    return lambda x: not isinstance(x, list) or all(pred(item) for pred, item in zip(preds, x))


def _all_of(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    return _all([c.compile(sub, resolver, enter=True) for sub in value])


def _any_of(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    preds = [c.compile(sub, resolver, enter=True) for sub in value]
    return lambda x: any(pred(x) for pred in preds)


def _one_of(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    preds = [c.compile(sub, resolver, enter=True) for sub in value]
    return lambda x: sum(1 for pred in preds if pred(x)) == 1


def _not(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    pred = c.compile(value, resolver, enter=False)  # jsonschema evolves, it does not descend
    return lambda x: not pred(x)


def _if(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    test = c.compile(value, resolver, enter=False)
    then = c.compile(schema["then"], resolver, enter=True) if "then" in schema else _true
    else_ = c.compile(schema["else"], resolver, enter=True) if "else" in schema else _true
    return lambda x: then(x) if test(x) else else_(x)


def _ref(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    resolved = resolver.lookup(value)
    c.refs[(id(schema), _scope(resolver))] = resolved
    return c.compile(resolved.contents, resolved.resolver, enter=False)


def _dependent_required(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    pairs = tuple((key, tuple(needs)) for key, needs in value.items())
    return lambda x: not isinstance(x, dict) or all(
        need in x for key, needs in pairs if key in x for need in needs
    )


def _dependent_schemas(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    pairs = tuple((key, c.compile(sub, resolver, enter=True)) for key, sub in value.items())
    return lambda x: not isinstance(x, dict) or all(pred(x) for key, pred in pairs if key in x)


def _property_names(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    pred = c.compile(value, resolver, enter=True)
    return lambda x: not isinstance(x, dict) or all(pred(key) for key in x)


def _format(c: _Compiler, value: Any, schema: dict, resolver: Any) -> None:
    return None  # an annotation: the validators are built without a format checker


_BUILDERS: dict[str, Callable[..., Pred | None]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minLength": _string_length(lambda n, v: not n < v),
    "maxLength": _string_length(lambda n, v: not n > v),
    "minimum": _number_bound(lambda x, v: not x < v),
    "maximum": _number_bound(lambda x, v: not x > v),
    "exclusiveMinimum": _number_bound(lambda x, v: not x <= v),
    "exclusiveMaximum": _number_bound(lambda x, v: not x >= v),
    "minItems": _count("array", lambda n, v: not n < v),
    "maxItems": _count("array", lambda n, v: not n > v),
    "minProperties": _count("object", lambda n, v: not n < v),
    "maxProperties": _count("object", lambda n, v: not n > v),
    "required": _required,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "items": _items,
    "prefixItems": _prefix_items,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
    "if": _if,
    "$ref": _ref,
    "dependentRequired": _dependent_required,
    "dependentSchemas": _dependent_schemas,
    "propertyNames": _property_names,
    "format": _format,
}


# -- jsonschema that skips what is known valid --------------------------------------------


def skipping_validator(validator: Any, compiled: Compiled) -> Any:
    """``validator`` rebuilt on a Draft 2020-12 class whose ``allOf`` and ``properties``
    do not descend into subschemas the predicates know to be valid, and whose ``$ref``
    reuses what the reference resolved to at compile time.

    A skipped descent is one that would have yielded nothing, and a reference resolves
    the same from the same base URI, so the errors and their order (and their paths,
    schema paths included) are exactly jsonschema's.
    """
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend

    known_valid = compiled.known_valid
    refs = compiled.refs
    plain_ref = Draft202012Validator.VALIDATORS["$ref"]

    def ref(validator: Any, ref: Any, instance: Any, schema: Any) -> Any:
        resolved = refs.get((id(schema), _scope(validator._resolver)))
        if resolved is None:
            yield from plain_ref(validator, ref, instance, schema)
        else:
            yield from validator.descend(instance, resolved.contents, resolver=resolved.resolver)

    def descend(validator: Any, instance: Any, subschema: Any, path: Any = None, schema_path: Any = None) -> Any:
        """``validator.descend``, straight into the target of a subschema that is only a
        ``$ref``: jsonschema adds nothing to an error at that level (no path, no schema
        path, and the details were set where the error was raised)."""
        if type(subschema) is dict and len(subschema) == 1 and "$ref" in subschema:
            resolved = refs.get((id(subschema), _scope(validator._resolver)))
            if resolved is not None:
                return validator.descend(
                    instance, resolved.contents, path=path, schema_path=schema_path, resolver=resolved.resolver
                )
        return validator.descend(instance, subschema, path=path, schema_path=schema_path)

    def all_of(validator: Any, all_of: Any, instance: Any, schema: Any) -> Any:
        for index, subschema in enumerate(all_of):
            if not known_valid(subschema, instance):
                yield from descend(validator, instance, subschema, schema_path=index)

    def properties(validator: Any, properties: Any, instance: Any, schema: Any) -> Any:
        if not validator.is_type(instance, "object"):
            return
        for name, subschema in properties.items():
            if name in instance and not known_valid(subschema, instance[name]):
                yield from descend(validator, instance[name], subschema, path=name, schema_path=name)

    cls = extend(Draft202012Validator, {"allOf": all_of, "properties": properties, "$ref": ref})
    return cls(validator.schema, registry=validator._registry, _resolver=validator._resolver)
