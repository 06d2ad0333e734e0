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
    monkeypatch.setattr(fmschema, "_plain_for", lambda schema: None)
    assert run() == fast


# -- the shipped schemas compiled without jsonschema ---------------------------------------

#: Every shipped schema: page kinds, data files and the config.
SHIPPED = fmschema.builtin_names()


def test_the_plain_keywords_are_jsonschemas() -> None:
    assert fastschema.KEYWORDS_2020_12 == frozenset(Draft202012Validator.VALIDATORS)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_schema_compiles_without_jsonschema(name: str) -> None:
    assert fmschema._plain_for(name) is not None


def _plain_and_validator(name: str) -> tuple[fastschema.Compiled, Any]:
    plain = fmschema._plain_for(name)
    assert plain is not None
    return plain, fmschema.validator_for(name, True)


#: Front matter of each page kind, fitting and not (the cases the rule fixtures hold).
KIND_INSTANCES: list[dict] = [
    {"title": "T", "permalink": "/x/"},
    {"title": "T", "permalink": "/About us", "published": "no"},
    {"title": "", "permalink": "https://x.sg/a", "author": 5},
    {"permalink": "x", "date": "2020-5-6", "layout": "post", "author": [1]},
    {"title": "T", "layout": "post", "date": "2020-05-06", "permalink": "/news/x/"},
    {"title": "T", "layout": "file", "file_url": "/files/a.pdf", "tags": {"a": 1}},
    {"title": "T", "layout": "link", "external": "https://x.sg/", "permalink": "/x/"},
    {"layout": "contact_us", "title": "C", "permalink": "/contact-us/", "locations": [{"title": 1, "address": "x"}]},
    {"layout": "contact_us", "title": "C", "permalink": "/contact-us/", "contacts": [{"name": "A", "content": [{"phone": "1"}]}]},
    {"layout": "homepage", "title": "H", "permalink": "/", "sections": [{"hero": {"title": "x", "button": "Go"}}]},
    {"title": "T", "permalink": "/x/", "third_nav_title": 3, "description": True, "image": None},
    {"title": "T", "permalink": "/x/", "published": False, "sitemap": False, "variant": "tiptap"},
]


@pytest.mark.parametrize("name", SHIPPED)
def test_plain_predicates_agree_with_jsonschema_on_front_matter(name: str) -> None:
    plain, validator = _plain_and_validator(name)
    for instance in KIND_INSTANCES:
        assert plain.valid(instance) == validator.is_valid(instance), instance


@pytest.mark.slow
@settings(max_examples=max(300, settings().max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SHIPPED), INSTANCES | VALUES)
def test_plain_predicates_agree_with_jsonschema(name: str, instance: Any) -> None:
    plain, validator = _plain_and_validator(name)
    assert plain.valid(instance) == validator.is_valid(instance)


def _with_id(schema: Any) -> Any:
    return dict(schema, **{"$id": "https://example.com/s.json"}) if isinstance(schema, dict) else schema


@pytest.mark.parametrize("schema", [s for s in SUPPORTED if isinstance(s, dict)], ids=lambda s: json.dumps(s)[:40])
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=INSTANCES | VALUES)
def test_plain_predicates_of_every_keyword_agree_with_jsonschema(schema: dict, instance: Any) -> None:
    """Each keyword the predicates model, compiled without jsonschema: the same answer,
    or nothing compiled where an ``$id`` or anchor below the root needs ``referencing``."""
    schema = _with_id(schema)
    plain = fastschema.compile_plain(schema, fmschema.builtin_at)
    scoped = "inner.json" in json.dumps(schema) or "$anchor" in json.dumps(schema)
    assert (plain is None) == scoped
    if plain is not None:
        validator = Draft202012Validator(schema, registry=fmschema._builtin_registry())
        assert plain.valid(instance) == validator.is_valid(instance)


@given(VALUES, VALUES)
def test_plain_equality_is_jsonschemas(one: Any, two: Any) -> None:
    from jsonschema._utils import equal

    assert fastschema.plain_equal(one, two) == equal(one, two)
    assert fastschema.plain_equal(one, one) is True


@given(VALUES)
def test_plain_types_are_jsonschemas(value: Any) -> None:
    checker = Draft202012Validator.TYPE_CHECKER
    for name in ("string", "integer", "number", "object", "array", "boolean", "null"):
        assert fastschema._PlainTypes.is_type(value, name) == checker.is_type(value, name), name


@pytest.mark.parametrize(
    "schema",
    [
        {"$id": "https://example.com/s.json", "$defs": {"a": {"$id": "a.json"}}},
        {"$id": "https://example.com/s.json", "$defs": {"a": {"$anchor": "x"}}},
        {"$id": "https://example.com/s.json", "properties": {"a": {"$schema": "http://json-schema.org/draft-07/schema#"}}},
        {"$id": "https://example.com/s.json", "$schema": "http://json-schema.org/draft-07/schema#"},
        {"$id": "https://example.com/s.json", "properties": {"a": {"$ref": "missing.json"}}},
        {"$id": "https://example.com/s.json", "properties": {"a": {"$ref": "#/$defs/none"}}},
        {"$id": "https://example.com/s.json#frag", "type": "object"},
        {"$id": "s.json", "type": "object"},
        {"type": "object"},
    ],
)
def test_what_plain_resolution_cannot_follow_is_left_to_jsonschema(schema: dict) -> None:
    assert fastschema.compile_plain(schema, fmschema.builtin_at) is None


def test_a_value_of_no_json_type_is_not_taken_for_valid() -> None:
    import datetime

    schema = {"$id": "https://example.com/s.json", "properties": {"a": {"not": {"const": "x"}}}}
    plain = fastschema.compile_plain(schema, fmschema.builtin_at)
    assert plain is not None
    assert plain.valid({"a": "y"}) is True
    assert plain.valid({"a": datetime.date(2020, 1, 1)}) is False


#: Front matter the ``if`` of a schema's known keys is weighed against, both ways.
CONDITION_SAMPLES = [{}, {"layout": "leftnav-page"}, {"layout": "leftnav-page-content"}, {"layout": 3}, []]


@pytest.mark.parametrize("name", SHIPPED)
def test_known_keys_are_the_same_without_jsonschema(name: str, monkeypatch: Any) -> None:
    """The same keys, mode and conditional keys; each ``if`` weighed the same on samples."""

    def comparable(found: Any) -> Any:
        keys, mode, conditions = found
        weighed = [
            (then_keys, else_keys, [condition.is_valid(sample) for sample in CONDITION_SAMPLES])
            for condition, then_keys, else_keys in conditions
        ]
        return keys, mode, weighed

    plain = comparable(fmschema._known_keys(name, True))
    fmschema._known_keys.cache_clear()
    monkeypatch.setattr(fmschema, "_plain_for", lambda schema: None)
    try:
        assert comparable(fmschema._known_keys(name, True)) == plain
    finally:
        fmschema._known_keys.cache_clear()


def test_front_matter_that_fits_is_checked_without_importing_jsonschema(tmp_path: Any) -> None:
    """A page whose front matter fits its shipped schema (the common case of a one-page
    run) never imports jsonschema; one that does not still gets jsonschema's report."""
    import subprocess
    import sys

    (tmp_path / "_config.yml").write_text("remote_theme: isomerpages/isomerpages-template@next-gen\n")
    (tmp_path / "good.md").write_text("---\ntitle: Good\npermalink: /good/\n---\n\nText.\n")
    (tmp_path / "bad.md").write_text("---\ntitle: Bad\npermalink: 5\n---\n\nText.\n")
    code = (
        "import sys\n"
        "from naislint.run.engine import lint_text\n"
        "path = sys.argv[1]\n"
        "found = lint_text(open(path).read(), path, select=('front-matter-schema', 'front-matter-unknown-key'))\n"
        "print([(d.rule, d.span.line) for d in found], 'jsonschema' in sys.modules)\n"
    )
    def run(name: str) -> str:
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run("good.md") == "[] False"
    assert run("bad.md") == "[('front-matter-schema', 3)] True"


def test_a_valid_config_is_checked_without_importing_jsonschema(tmp_path: Any) -> None:
    """The config schema (its preset list filled in) compiles without jsonschema; a
    valid config loads without importing it, and a wrong one gets jsonschema's message."""
    import subprocess
    import sys

    (tmp_path / "good").mkdir()
    (tmp_path / "good" / ".naislint.yml").write_text("preset: isomer\nrules:\n  doubled-word: off\nexclude: ['drafts/**']\n")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / ".naislint.yml").write_text("preset: isomer\nexclude: 5\n")
    code = (
        "import sys\n"
        "from naislint.config.loader import ConfigError, load_config\n"
        "try:\n"
        "    load_config(sys.argv[1] + '/.naislint.yml', sys.argv[1])\n"
        "    print('ok', 'jsonschema' in sys.modules)\n"
        "except ConfigError as exc:\n"
        "    print('error', 'jsonschema' in sys.modules)\n"
    )

    def run(name: str) -> str:
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run("good") == "ok False"
    assert run("bad") == "error True"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["preset", "rules", "exclude", "include", "extends", "front-matter", "links", "x"]), VALUES, max_size=4))
def test_the_config_predicate_agrees_with_jsonschema(raw: dict) -> None:
    from naislint.config import loader

    predicate = loader._config_predicate()
    assert predicate is not None
    assert predicate.valid(raw) == loader._config_validator().is_valid(raw)
