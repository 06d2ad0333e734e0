"""The built-in rules' metadata is known without importing their modules, and it is the
rules' own: a run resolves its configuration from ``naislint/builtin_rules.py`` and
imports a rule's module only when it runs the rule (or reads its options or docs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from naislint import registry
from naislint.builtin_rules import RULES
from naislint.config.loader import Config, RuleSetting
from naislint.diagnostics import Severity
from small_site import make_site

REPO = Path(__file__).resolve().parent.parent


def _rule_catalog_tool():
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import rule_catalog
    finally:
        sys.path.remove(str(REPO / "tools"))
    return rule_catalog


def test_the_catalog_says_what_each_rule_module_says() -> None:
    """Each entry equals the metadata of the rule its entry point loads, and the
    catalog lists exactly the entry points ``pyproject.toml`` declares."""
    tool = _rule_catalog_tool()
    assert [(name, value) for name, value, _ in RULES] == tool.entry_points()
    for name, value, values in RULES:
        rule = registry._load_checked(name, value)
        assert registry.RuleInfo.of(rule).to_catalog() == values, name
        assert rule.name == name
    assert (REPO / "src" / "naislint" / "builtin_rules.py").read_text(encoding="utf-8") == tool.render()


@pytest.fixture
def fresh_registry(monkeypatch):
    """A registry that has loaded no rule yet (as in a new process), restored after."""
    monkeypatch.setattr(registry, "_LOADED", {})
    monkeypatch.setattr(registry, "_all_loaded", lambda: False)
    registry._registered.cache_clear()
    yield
    registry._registered.cache_clear()


def test_a_rule_that_differs_from_the_catalog_is_refused(fresh_registry, monkeypatch) -> None:
    import naislint.builtin_rules as catalog

    stale = [
        (name, value, {**values, "default_severity": "info"} if name == "heading-increment" else values)
        for name, value, values in RULES
    ]
    monkeypatch.setattr(catalog, "RULES", tuple(stale))
    assert registry.rule_infos()["heading-increment"].default_severity is Severity.INFO
    with pytest.raises(registry.RegistryError, match="heading-increment.*tools/rule_catalog.py"):
        registry.load("heading-increment")
    assert registry.load("empty-heading").name == "empty-heading"


def test_settings_are_resolved_without_loading_a_rule(fresh_registry, monkeypatch) -> None:
    """Every setting of a file is made from the catalog; its rule and default options,
    read later, are the rule module's own."""
    loads: list[str] = []
    load_checked = registry._load_checked
    monkeypatch.setattr(registry, "_load_checked", lambda name, value: loads.append(name) or load_checked(name, value))
    config = Config(root=".", preset="jekyll", rules={"doubled-word": "error"})
    settings = config.settings_for("a.md")
    assert loads == []
    assert list(settings) == list(registry.rule_infos())
    assert (settings["stray-html"].enabled, settings["doubled-word"].severity) == (False, Severity.ERROR)
    setting = settings["heading-increment"]
    assert setting.options == setting.rule.default_options()
    assert loads == ["heading-increment"]
    assert setting.info == registry.RuleInfo.of(setting.rule)
    # A rule given options is loaded at once, so that a wrong option stops the run first.
    config = Config(root=".", rules={"doubled-word": {"severity": "info"}, "front-matter-unknown-key": {"allow": ["here"]}})
    settings = config.settings_for("a.md")
    assert loads == ["heading-increment", "front-matter-unknown-key"]
    assert settings["front-matter-unknown-key"].options.allow == ("here",)


def test_a_lazy_setting_equals_one_made_from_the_loaded_rule(fresh_registry) -> None:
    lazy = Config(root=".").settings_for("a.md")["list-numbering"]
    rule = registry.load("list-numbering")
    assert lazy == RuleSetting(rule, rule.default_enabled, rule.default_severity, rule.default_options())


def test_a_plugin_is_described_by_its_own_rule(fresh_registry, monkeypatch) -> None:
    """An entry point the catalog does not list is loaded as before, at once."""
    builtin = [(name, value) for name, value, _ in RULES]
    monkeypatch.setattr(registry, "_entry_points", lambda: builtin + [("demo-nbsp", "demo_rules:DEMO_NBSP")])
    infos = registry.rule_infos()
    assert infos["demo-nbsp"].code == "NL990" and list(infos)[-1] == "demo-nbsp"
    assert list(registry._LOADED) == ["demo-nbsp"]
    # One rule registered twice is one rule; a plugin rule named as a built-in one clashes.
    monkeypatch.setattr(registry, "_entry_points", lambda: builtin + [("other", "demo_rules:DEMO_NBSP")] * 2)
    registry._registered.cache_clear()
    assert list(registry.rule_infos())[-1] == "demo-nbsp"
    monkeypatch.setattr(registry, "_entry_points", lambda: builtin + [("clash", "test_rule_catalog:CLASH")])
    registry._registered.cache_clear()
    with pytest.raises(registry.RegistryError, match="two rules are named 'heading-increment'"):
        registry.rule_infos()


#: A plugin rule named as a built-in one.
CLASH = registry.Rule(code="NL998", name="heading-increment", summary="clash", check=None)


@pytest.mark.parametrize("kind", ["site", "folder"])
def test_a_warm_run_imports_no_rule_module(tmp_path: Path, kind: str) -> None:
    """A run whose every result comes from the cache runs no rule: it imports none (nor
    pathlib or urllib.parse, 7 ms and 4 ms with the modules they import, nor
    importlib.metadata: the rules' entry points are kept with the results, also for a
    folder that is no Jekyll site)."""
    make_site(tmp_path, others=2)
    page = tmp_path / "pages" / "a.md"
    page.write_text(page.read_text().replace("/b/#part", "/b/#nowhere"))
    if kind == "folder":
        (tmp_path / "_config.yml").unlink()
        page.write_text("# A\n\nSee [b](b.md#nowhere).\n")
    wanted = ("pathlib", "urllib.parse", "importlib.metadata")
    code = (
        "import sys; sys.argv = ['naislint', 'check', '.']\n"
        "from naislint.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n"
        f"    print(exc.code, sorted(m for m in sys.modules if m.startswith('naislint.rules.') or m in {wanted!r}))\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                           env={**__import__("os").environ, "NAISLINT_DAEMON": "off"}) for _ in range(3)]
    assert "broken-anchor" in runs[0].stdout and "naislint.rules.broken_anchor" in runs[0].stdout
    assert runs[2].stdout.replace("\n", " ").endswith(" 1 [] "), runs[2].stdout + runs[2].stderr
    assert runs[2].stdout.splitlines()[:-1] == runs[0].stdout.splitlines()[:-1]


@pytest.mark.parametrize("rules", [{}, {"external-link": True}, {"broken-link": "off", "broken-anchor": "off",
                                                                   "missing-image": "off", "permalink-conflict": "off",
                                                                   "duplicate-title": "off", "navigation-link": "off",
                                                                   "data-file-schema": "off", "collection-order": "off"}])
def test_plan_flags_are_those_of_the_enabled_rules(rules) -> None:
    """What the plan asks of a file's settings is kept with them, worked out once: it is
    what the enabled rules themselves say."""
    from naislint.config.loader import plan_flags

    settings = Config(root=".", rules=rules).settings_for("a.md")
    enabled = [s.rule for s in settings.values() if s.enabled]
    expected = (any(r.needs_site for r in enabled), all(r.cacheable for r in enabled),
                any(r.prepare_run is not None for r in enabled))
    for _ in range(2):
        flags = plan_flags(settings)
        assert (flags.needs_site, flags.cacheable, flags.prepares_run) == expected
    assert plan_flags(dict(settings)) == flags
    assert expected == ((True, True, False) if not rules else (True, False, True) if "external-link" in rules
                        else (False, True, False)), expected


def test_settings_without_overrides_depend_on_the_preset_alone() -> None:
    """A config with no ``overrides`` gives every page of a preset the same settings,
    kept once; one with overrides still looks at the page's path."""
    config = Config(root=".", preset="isomer", rules={"doubled-word": "off"})
    first = config.settings_for("a.md")
    assert config.settings_for("deep/b.md") is first
    assert first == config._settings_for("deep/b.md", None)
    github = config.settings_for("a.md", preset="github")
    assert github is not first and github["front-matter-missing"].enabled is False
    assert first["front-matter-missing"].enabled is True and first["doubled-word"].enabled is False
    config = Config(root=".", preset="isomer", overrides=[(["drafts/**"], {"doubled-word": "off"})])
    assert config.settings_for("drafts/a.md")["doubled-word"].enabled is False
    assert config.settings_for("a.md")["doubled-word"].enabled is True
