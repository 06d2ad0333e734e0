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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

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


class _Compiler:
    def __init__(self) -> None:
        from jsonschema import Draft202012Validator
        from jsonschema.validators import validator_for
        from referencing.jsonschema import DRAFT202012

        self.memo: dict[tuple[int, str], Pred] = {}
        self.by_id: dict[int, Pred] = {}
        self.scope_of: dict[int, str] = {}
        self.keep: list[Any] = []
        self.refs: dict[tuple[int, str], Any] = {}
        self.dialect = Draft202012Validator
        self.validator_for = validator_for
        self.type_checker = Draft202012Validator.TYPE_CHECKER
        self.keywords = Draft202012Validator.VALIDATORS
        self.create_resource = DRAFT202012.create_resource

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
    equal = _equal()
    options = list(value)
    return lambda x: any(equal(option, x) for option in options)


def _const(c: _Compiler, value: Any, schema: dict, resolver: Any) -> Pred:
    equal = _equal()
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
