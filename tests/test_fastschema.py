"""The compiled validity predicates agree with jsonschema, and the validator that skips
what they know to be valid yields exactly jsonschema's errors."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from naislint.schema import fast as fastschema

from naislint.schema import frontmatter as fmschema

from naislint.jekyll import pagekinds

BUILTIN = [schema for schema, _label in pagekinds.KINDS.values()]

#: Strings where Python's regex classes and JSON Schema habits part ways, and the forms
#: front matter values take.
TEXTS = st.sampled_from([
    "", " ", "x", "X", "/", "/about-us/", "/About us", "/a--b/", "about/", "https://x.sg/a",
    "/a\u00a0b/", "/a\x85b/", "\x1c", "\ufeff", "\u3000", "/x\n", "2020-05-06", "2020-5-6",
    "2020-05-06 10:30:00 +08:00", "post", "file", "link", "markdown", "tiptap", "Post",
    "١٢٣", "café", "a\tb", "\n",
]) | st.text(max_size=8)
KEYS = st.sampled_from([
    "title", "permalink", "layout", "date", "published", "description", "image", "variant",
    "file_url", "external", "categories", "tags", "third_nav_title", "locations", "contacts",
    "agency_name", "address", "content", "sitemap", "x", "a", "b", "c", "name", "items",
])
SCALARS = TEXTS | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, 2.5, -1.5, True, False, None])
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | TEXTS, inner, max_size=4),
    max_leaves=12,
)
INSTANCES = st.dictionaries(KEYS, VALUES, max_size=7)


def error_facts(errors: Any) -> list[tuple]:
    """What a diagnostic could be built from, identities included."""
    return [
        (e.message, list(e.absolute_path), list(e.absolute_schema_path), e.validator,
         id(e.validator_value), id(e.schema), json.dumps(e.instance, sort_keys=True, default=repr))
        for e in errors
    ]


def assert_agrees(validator: Any, compiled: fastschema.Compiled, instance: Any) -> None:
    assert compiled.valid(instance) == validator.is_valid(instance)
    skipping = fastschema.skipping_validator(validator, compiled)
    assert error_facts(skipping.iter_errors(instance)) == error_facts(validator.iter_errors(instance))


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_schemas_compile(name: str) -> None:
    assert fastschema.compile_validator(fmschema.validator_for(name, True)) is not None


@pytest.mark.slow
@settings(max_examples=max(200, settings().max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(BUILTIN), INSTANCES)
def test_builtin_predicates_agree_with_jsonschema(name: str, instance: dict) -> None:
    validator = fmschema.validator_for(name, True)
    assert_agrees(validator, fmschema._fast_for(name, True)[0], instance)


def _compiled(schema: Any, registry: Any = None) -> tuple[Any, fastschema.Compiled | None]:
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, registry=registry or Registry())
    return validator, fastschema.compile_validator(validator)


#: User schemas using every keyword the predicates model (each must compile).
SUPPORTED: list[Any] = [
    True,
    False,
    {"type": ["object", "null"], "minProperties": 1, "maxProperties": 3},
    {"properties": {"a": {"type": "integer"}, "b": {"type": "number", "minimum": 0, "exclusiveMaximum": 2}}},
    {"properties": {"a": {"maximum": 1, "exclusiveMinimum": -2}}, "required": ["a"]},
    {"properties": {"a": {"enum": [1, True, "x", None, [1], {"a": 1}]}, "b": {"const": 1}, "c": {"const": False}}},
    {"properties": {"a": {"minLength": 2, "maxLength": 3, "pattern": "^\\w+$"}, "b": {"pattern": "\\s"}}},
    {"properties": {"a": {"not": {"pattern": "\\d"}}, "b": {"format": "date"}}},
    {"patternProperties": {"^[ab]$": {"type": "string"}}, "additionalProperties": False},
    {"properties": {"a": True}, "patternProperties": {"^t": {"minLength": 1}}, "additionalProperties": {"type": "array"}},
    {"properties": {"a": {"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}, "minItems": 1, "maxItems": 3}}},
    {"properties": {"a": {"prefixItems": [True, {"type": "null"}], "items": False}}},
    {"anyOf": [{"required": ["a"]}, {"required": ["b"]}], "oneOf": [{"required": ["c"]}, {"required": ["x"]}, True]},
    {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"if": {"properties": {"layout": {"const": "post"}}, "required": ["layout"]}, "then": {"required": ["permalink"]}, "else": {"required": ["title"]}},
    {"if": {"required": ["a"]}, "then": False},
    {"else": {"required": ["a"]}, "then": False},
    {"dependentRequired": {"a": ["b", "c"]}, "dependentSchemas": {"b": {"required": ["x"]}}},
    {"propertyNames": {"pattern": "^[a-z]+$", "maxLength": 5}},
    {"$defs": {"t": {"type": "string", "$comment": "x", "x-message": "m"}}, "properties": {"a": {"$ref": "#/$defs/t"}, "b": {"$ref": "#/$defs/t", "minLength": 2}}},
    {"$defs": {"node": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/node"}}, "name": {"type": "string"}}}}, "$ref": "#/$defs/node"},
    {"$id": "https://example.com/root.json", "$defs": {"inner": {"$id": "inner.json", "$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s"}}, "properties": {"a": {"$ref": "inner.json"}, "b": {"not": {"$ref": "inner.json"}}}},
    {"$defs": {"a": {"$anchor": "text", "type": "string"}}, "properties": {"title": {"$ref": "#text"}}},
    {"allOf": [{"$ref": "https://naislint.dev/schemas/isomer-post.schema.json"}], "properties": {"layout": {"enum": ["post"]}}},
]


@pytest.mark.parametrize("schema", SUPPORTED, ids=range(len(SUPPORTED)))
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=INSTANCES | VALUES)
def test_user_schema_predicates_agree_with_jsonschema(schema: Any, instance: Any) -> None:
    validator, compiled = _compiled(schema, fmschema._builtin_registry())
    assert compiled is not None
    assert_agrees(validator, compiled, instance)


@pytest.mark.parametrize(
    "schema",
    [
        {"unevaluatedProperties": False},
        {"properties": {"a": {"uniqueItems": True}}},
        {"properties": {"a": {"multipleOf": 2}}},
        {"contains": {"type": "string"}},
        {"$dynamicAnchor": "x", "properties": {"a": {"$dynamicRef": "#x"}}},
        {"properties": {"a": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"}}},
    ],
)
def test_what_the_predicates_do_not_model_is_left_to_jsonschema(schema: dict) -> None:
    assert _compiled(schema)[1] is None


def test_unresolvable_reference_is_left_to_jsonschema() -> None:
    assert _compiled({"properties": {"a": {"$ref": "https://example.com/missing.json"}}})[1] is None


def test_a_predicate_that_fails_is_not_taken_for_valid() -> None:
    schema = {"properties": {"a": {"minimum": 1}}}
    validator, compiled = _compiled(schema)
    assert compiled is not None
    compiled.by_id[id(schema["properties"]["a"])] = lambda x: 1 / 0
    assert compiled.known_valid(schema["properties"]["a"], 5) is False


def test_reference_across_resources_resolves_from_its_own_base() -> None:
    other = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.com/other.json", "$defs": {"s": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/s"}}}
    registry = Registry().with_resource("https://example.com/other.json", Resource.from_contents(other))
    schema = {"$id": "https://example.com/main.json", "$defs": {"s": {"type": "integer"}}, "allOf": [{"$ref": "other.json"}], "properties": {"y": {"$ref": "#/$defs/s"}}}
    validator, compiled = _compiled(schema, registry)
    assert compiled is not None
    for instance in ({"x": "a", "y": 1}, {"x": 1, "y": "a"}, {"x": 1}, {"y": 1.0}):
        assert_agrees(validator, compiled, instance)


@given(st.text(alphabet="ab/._", max_size=10))
def test_path_parts_match_pathlib(relpath: str) -> None:
    assert pagekinds._parts(relpath) == PurePosixPath(relpath).parts


FRONT_MATTER = [
    "title: T\npermalink: /x/\n",
    "title: T\npermalink: /About us\npublished: 'no'\n",
    "title: ''\npermalink: https://x.sg/a\nauthor: 5\n",
    "permalink: x\ndate: 2020-5-6\nlayout: post\nauthor: [1]\n",
    "title: T\nlayout: file\ntags: {a: 1}\nsummary: S\nextra: 1\n",
    "layout: contact_us\ntitle: C\npermalink: /contact-us/\nlocations: [{title: 1, address: x}]\n",
    "title: T\npermalink: /x/\nauthor: A\nsummary: [S]\n",
]


@pytest.mark.parametrize("text", FRONT_MATTER)
def test_diagnostics_are_the_same_without_the_predicates(tmp_path: Any, monkeypatch: Any, text: str) -> None:
    """User schemas through the config (extending a built-in, referring to a second
    user file, using a keyword the predicates leave to jsonschema) and the built-ins
    report the same with and without the compiled predicates."""
    from naislint.run.engine import lint_text

    (tmp_path / "_config.yml").write_text("remote_theme: isomerpages/isomerpages-template@next-gen\n")
    (tmp_path / ".naislint.yml").write_text(
        "front-matter:\n  schemas:\n"
        "    - files: 'news/**'\n      schema: schemas/news.json\n"
        "    - files: 'odd/**'\n      schema: schemas/odd.json\n"
    )
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "news.json").write_text(json.dumps({
        "allOf": [{"$ref": "isomer-page.schema.json"}, {"$ref": "author.json"}],
        "properties": {"summary": {"type": "string", "x-message": "{key} must be text"}},
    }))
    (tmp_path / "schemas" / "author.json").write_text(json.dumps({
        "required": ["author"], "properties": {"author": {"type": "string", "minLength": 2}},
    }))
    (tmp_path / "schemas" / "odd.json").write_text(json.dumps({
        "properties": {"tags": {"uniqueItems": True}, "author": {"multipleOf": 2}}, "unevaluatedProperties": {"type": "string"},
    }))
    pages = ["news/a.md", "odd/b.md", "pages/c.md", "d/_posts/2020-01-01-e.md", "_things/f.md", "pages/contact.md"]

    def run() -> list:
        found = []
        for page in pages:
            for d in lint_text(f"---\n{text}---\n", str(tmp_path / page), select=("front-matter-schema",)):
                found.append((page, d.span, d.severity.value, d.message))
        return found

    fast = run()
    monkeypatch.setattr(fmschema, "_fast_for", lambda *schema_builtin_within: None)
    assert run() == fast
