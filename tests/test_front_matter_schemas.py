"""Page kinds, schema choice by config, user schemas, severities and laziness."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from naislint.run.engine import lint_text
from naislint.schema.frontmatter import builtin_names, load_builtin, validator_for
from naislint.jekyll.pagekinds import detect

ISOMER_CONFIG = "remote_theme: isomerpages/isomerpages-template@next-gen\n"


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def schema_diags(path: Path, text: str, rule: str = "front-matter-schema") -> list:
    return [d for d in lint_text(text, str(path), select=(rule,)) if d.rule == rule]


@pytest.mark.parametrize(
    "relpath, layout, kind",
    [
        ("pages/about.md", None, "isomer-page"),
        ("archives/old.md", "page", "isomer-page"),
        ("_services/overview.md", None, "isomer-collection-page"),
        ("_services/grants/calls.md", None, "isomer-subcollection-page"),
        ("news/press/_posts/2020-01-01-x.md", None, "isomer-post"),
        ("news/press/_posts/2020-01-01-x.md", "file", "isomer-post"),
        ("news/press/_posts/2020-01-01-x.md", "Link", "isomer-post"),
        ("news/press/_posts/2020-01-01-x.md", "custom", "jekyll-page"),
        ("index.md", "homepage", "isomer-homepage"),
        ("pages/contact.md", "contact_us", "isomer-contact-page"),
        ("_about/contact.md", "contact_us", "isomer-contact-page"),
        ("pages/search.md", "search", "jekyll-page"),
        ("_data/x.md", None, "isomer-page"),
    ],
)
def test_detect(relpath: str, layout: str | None, kind: str) -> None:
    assert detect(relpath, layout, isomer=True) == kind
    assert detect(relpath, layout, isomer=False) == "jekyll-page"


def test_builtin_schemas_are_valid_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    names = [n for n in builtin_names() if n != "config.schema.json"]
    assert len(names) >= 8
    for name in names:
        schema = load_builtin(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
        validator_for(name, True)  # every $ref resolves when compiled


def test_severities(tmp_path: Path) -> None:
    write(tmp_path, "_config.yml", ISOMER_CONFIG)
    path = tmp_path / "pages" / "x.md"
    text = "---\npermalink: /faq?topic=hawkers\npublished: 'no'\n---\n"
    got = {(d.line, d.severity.value) for d in schema_diags(path, text)}
    assert got == {(1, "error"), (2, "warning"), (3, "error")}


def test_real_date_and_datetime_pass(tmp_path: Path) -> None:
    write(tmp_path, "_config.yml", ISOMER_CONFIG)
    path = tmp_path / "pages" / "x.md"
    for date in ("2020-05-06", "2020-04-13T00:00:00.000Z", "2020-05-06 10:30:00 +08:00", "'2020-05-06'"):
        assert schema_diags(path, f"---\ntitle: T\npermalink: /x/\ndate: {date}\n---\n") == [], date
    # Jekyll parses a post's date (a bad one stops the build), never a page's.
    post = tmp_path / "news" / "_posts" / "2020-05-06-x.md"
    bad = schema_diags(post, "---\ntitle: T\npermalink: /x/\ndate: '2020-13-01'\n---\n")
    assert [(d.line, d.column) for d in bad] == [(4, 7)]
    assert schema_diags(path, "---\ntitle: T\npermalink: /x/\ndate: '2020-13-01'\n---\n") == []


def test_config_glob_picks_user_schema_that_extends_builtin(tmp_path: Path) -> None:
    write(tmp_path, "_config.yml", ISOMER_CONFIG)
    write(tmp_path, ".naislint.yml", "front-matter:\n  schemas:\n    - files: 'news/**'\n      schema: schemas/news.json\n")
    write(
        tmp_path,
        "schemas/news.json",
        json.dumps({
            "allOf": [{"$ref": "isomer-page.schema.json"}],
            "required": ["author"],
            "x-messages": {"author": "a news page names its author"},
            "properties": {"author": {"type": "string"}},
        }),
    )
    news = tmp_path / "news" / "a.md"
    got = schema_diags(news, "---\ntitle: T\npermalink: /x#y/\nauthor: 5\n---\n")
    assert [(d.line, d.column, d.message) for d in got] == [
        (3, 12, "permalink holds '?' or '#': a browser reads what follows as a query or a fragment, "
                "so the page cannot be reached at its own address"),
        (4, 9, "author must be text, not 5"),
    ]
    missing = schema_diags(news, "---\ntitle: T\npermalink: /x/\n---\n")
    assert [(d.line, d.message, d.severity.value) for d in missing] == [(1, "a news page names its author", "error")]
    # The extension's keys are known keys; elsewhere author is unknown.
    assert schema_diags(news, "---\ntitle: T\npermalink: /x/\nauthor: A\n---\n", "front-matter-unknown-key") == []
    other = tmp_path / "pages" / "b.md"
    assert len(schema_diags(other, "---\ntitle: T\npermalink: /x/\nauthor: A\n---\n", "front-matter-unknown-key")) == 1


def test_config_kind_replaces_builtin_and_names_builtin_kind(tmp_path: Path) -> None:
    write(tmp_path, "_config.yml", ISOMER_CONFIG)
    write(
        tmp_path,
        ".naislint.yml",
        "front-matter:\n  kinds:\n    isomer-post: post.yml\n  schemas:\n    - files: legacy/**\n      schema: jekyll-page\n",
    )
    write(tmp_path, "post.yml", "type: object\nrequired: [summary]\n")
    post = tmp_path / "news" / "c" / "_posts" / "2020-01-01-a.md"
    got = schema_diags(post, "---\ntitle: T\n---\n")
    assert [(d.line, d.message) for d in got] == [(1, "front matter has no summary; a resource post needs it")]
    legacy = tmp_path / "legacy" / "old.md"
    assert schema_diags(legacy, "---\nfoo: 1\n---\n") == []


def test_broken_user_schema_is_a_configuration_error(tmp_path: Path) -> None:
    """A schema the config names is checked when the config loads: one error naming the
    config key and its line (exit 2 from the CLI), not the same diagnostic on every page."""
    from naislint.config.loader import ConfigError

    write(tmp_path, "_config.yml", ISOMER_CONFIG)
    write(tmp_path, ".naislint.yml", "front-matter:\n  schemas:\n    - files: '**'\n      schema: bad.json\n")
    write(tmp_path, "bad.json", "{not json")
    with pytest.raises(ConfigError) as raised:
        schema_diags(tmp_path / "pages" / "x.md", "---\ntitle: T\n---\n")
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / '.naislint.yml'}:4: key 'front-matter.schemas.0.schema': ")
    assert f"front matter schema {tmp_path / 'bad.json'} is not valid JSON" in message


def test_jsonschema_is_not_imported_until_a_schema_is_checked() -> None:
    code = (
        "import sys\n"
        "from naislint.run.engine import lint_text\n"
        "lint_text('no front matter\\n', 'x.md', select=('front-matter-missing',))\n"
        "assert 'jsonschema' not in sys.modules\n"
        "lint_text('---\\ntitle: 1\\n---\\n', 'x.md', select=('front-matter-schema',))\n"
        "assert 'jsonschema' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
