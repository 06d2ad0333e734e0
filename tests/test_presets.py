"""Presets: the Isomer CMS's rules and heuristics are not every Jekyll site's.

A preset is the bottom layer of a page's rule settings (rule defaults, preset, ``rules:``,
``overrides:``, command line). The ``jekyll`` preset turns off the rules that judge HTML
by the Isomer CMS's sanitizer and host lists, and gives the CMS converter's leftovers at
info; ``isomer`` is every rule at its own default. The preset is chosen from
``_config.yml`` and can be named with ``preset:``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from naislint.config.presets import ISOMER, JEKYLL, PRESETS, VALUES, automatic, rules_of
from naislint.diagnostics import Severity
from naislint.jekyll import find_site_root
from naislint.registry import all_rules
from naislint.resources import rule_doc_path
from naislint.run.discover import Target
from naislint.run.engine import Linter, RunOptions

ROOT = Path(__file__).resolve().parent.parent

#: What a Jekyll theme's own documentation writes (the issue's docs theme site): a
#: markdown="1" callout with markdown and a code span in it, the maintainers' demo
#: script, target="_blank", an inline style with &nbsp;, an empty paragraph
#: and an empty <div>.
THEME_PAGE = """---
title: Demo
---
## Usage

<div class="note" markdown="1">
Use **bold** and a `<code>` span, and [a link](https://example.com/).
</div>

<script>
  console.log("demo");
</script>

<a href="https://example.com/" target="_blank">Example</a>

<p style="font-family: Calibri">Red&nbsp;&nbsp;text</p>

<p></p>

<div class="col"></div>
"""
ISOMER_THEME = "remote_theme: isomerpages/isomerpages-template@next-gen\n"


def lint_site(root: Path, page: str = THEME_PAGE, config: str | None = None, name: str = "page.md",
              **options: object) -> list[tuple[str, int, int, Severity]]:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    if config is not None:
        (root / ".naislint.yml").write_text(config, encoding="utf-8")
    linter = Linter(RunOptions(use_cache=False, **options))  # type: ignore[arg-type]
    target = Target(str(path), str(path), find_site_root(str(path)))
    return [(d.rule, d.line, d.column, d.severity) for d in linter.lint_target(target).diagnostics]


@pytest.fixture
def jekyll_site(tmp_path: Path) -> Path:
    (tmp_path / "_config.yml").write_text("title: A theme's docs\ntheme: minima\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def isomer_site(tmp_path: Path) -> Path:
    (tmp_path / "_config.yml").write_text(ISOMER_THEME, encoding="utf-8")
    return tmp_path


def test_a_jekyll_site_gets_no_cms_sanitizer_and_the_converter_heuristics_at_info(jekyll_site: Path) -> None:
    assert lint_site(jekyll_site) == [
        # "Example" says nothing of where the link goes: link-text is no CMS heuristic.
        ("link-text", 14, 48, Severity.WARNING),
        ("nbsp-entity", 16, 36, Severity.INFO),
        ("empty-html", 20, 1, Severity.INFO),
    ]


def test_an_isomer_site_keeps_every_rule_at_its_default(isomer_site: Path) -> None:
    found = lint_site(isomer_site)
    assert ("stray-html", 6, 19, Severity.WARNING) in found  # markdown="1": the CMS removes it
    assert ("unsafe-html", 10, 1, Severity.ERROR) in found
    assert ("target-blank", 14, 32, Severity.INFO) in found
    assert ("inline-style", 16, 4, Severity.WARNING) in found  # Word's font
    assert ("nbsp-entity", 16, 36, Severity.WARNING) in found
    assert not any(rule == "empty-html" and line == 18 for rule, line, *_ in found)  # a spacer shows nothing
    assert ("empty-html", 20, 1, Severity.WARNING) in found


def test_preset_names_the_preset_whatever_the_theme(jekyll_site: Path, isomer_site: Path) -> None:
    assert ("stray-html", 6, 19, Severity.WARNING) in lint_site(jekyll_site, config="preset: isomer\n")
    (isomer_site / "_config.yml").write_text(ISOMER_THEME, encoding="utf-8")
    assert not any(rule == "stray-html" for rule, *_ in lint_site(isomer_site, config="preset: jekyll\n"))


def test_the_users_rules_and_overrides_apply_on_top_of_the_preset(jekyll_site: Path) -> None:
    config = (
        "rules:\n  target-blank: warning\n  nbsp-entity: {enabled: true}\n"
        "overrides:\n  - files: ['news/**']\n    rules:\n      inline-style: info\n      empty-html: off\n"
    )
    page_found = lint_site(jekyll_site, config=config)
    assert ("target-blank", 14, 32, Severity.WARNING) in page_found
    assert ("nbsp-entity", 16, 36, Severity.INFO) in page_found  # no severity given: the preset's
    assert not any(rule == "inline-style" for rule, *_ in page_found)
    news_found = lint_site(jekyll_site, name="news/a.md")
    assert ("inline-style", 16, 4, Severity.INFO) in news_found
    assert not any(rule == "empty-html" for rule, *_ in news_found)


def test_the_command_line_wins_over_the_preset(jekyll_site: Path) -> None:
    found = lint_site(jekyll_site, select=("unsafe-html",))
    assert found == [("unsafe-html", 10, 1, Severity.ERROR)]


def test_the_preset_is_chosen_from_config_yml(tmp_path: Path, jekyll_site: Path) -> None:
    isomer = tmp_path / "isomer"
    isomer.mkdir()
    (isomer / "_config.yml").write_text(ISOMER_THEME, encoding="utf-8")
    assert automatic(str(isomer)) == "isomer"
    assert automatic(str(jekyll_site)) == "jekyll"


def test_an_unknown_preset_is_a_configuration_error_naming_the_presets(jekyll_site: Path) -> None:
    from naislint.config.loader import ConfigError

    with pytest.raises(ConfigError, match=r"\.naislint\.yml:1: key 'preset': must be one of \"isomer\", \"jekyll\""):
        lint_site(jekyll_site, config="preset: jekyl\n")


def test_the_table_names_real_rules_with_values_a_config_may_give() -> None:
    assert set(PRESETS) >= {"isomer", "jekyll"}
    for preset in PRESETS.values():
        for name, value in preset.rules.items():
            assert name in all_rules(), f"preset {preset.name!r}: no rule {name!r}"
            assert value in VALUES, f"preset {preset.name!r}: {name}: {value!r}"
    assert dict(ISOMER.rules) == {}  # today's behaviour: every rule at its default
    assert rules_of(None) is rules_of(None) and rules_of("jekyll") is JEKYLL.rules


def test_the_jekyll_preset_is_as_documented() -> None:
    assert dict(JEKYLL.rules) == {
        "stray-html": "off", "unsafe-html": "off", "target-blank": "off", "inline-style": "off",
        "nbsp-entity": "info", "emphasis-as-heading": "info", "empty-html": "info",
    }


@pytest.mark.parametrize("preset", list(PRESETS.values()), ids=list(PRESETS))
def test_every_preset_setting_is_in_the_readme_and_the_rule_doc(preset) -> None:
    """The README's table of presets and each rule's doc say what the preset does."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next((line for line in readme.splitlines() if line.startswith(f"| `{preset.name}` |")), None)
    assert row is not None, f"README.md has no row for preset {preset.name!r}"
    for name, value in preset.rules.items():
        assert f"`{name}`" in row, f"README.md's {preset.name} row does not name {name}"
        doc = rule_doc_path(name).read_text(encoding="utf-8")
        said = re.search(rf"^Preset `{preset.name}`: \*\*(\w+)\*\*", doc, re.MULTILINE)
        assert said is not None, f"rules/{name}.md does not say what preset {preset.name!r} does"
        assert said.group(1) == value, f"rules/{name}.md says {said.group(1)}, the preset table {value}"


@pytest.mark.parametrize("rule", list(all_rules()), ids=list(all_rules()))
def test_no_rule_doc_claims_a_preset_setting_the_table_lacks(rule: str) -> None:
    doc = rule_doc_path(rule).read_text(encoding="utf-8")
    for name, value in re.findall(r"^Preset `([\w-]+)`: \*\*(\w+)\*\*", doc, re.MULTILINE):
        assert name in PRESETS, f"rules/{rule}.md names a preset {name!r} that does not exist"
        assert PRESETS[name].rules.get(rule) == value, (
            f"rules/{rule}.md says preset {name!r} makes it {value}; the table says {PRESETS[name].rules.get(rule)}"
        )
