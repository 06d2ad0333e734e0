"""What the engine works out once per settings dict or site, instead of once per page,
gives each page what working it out for that page gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from naislint.run.engine import Linter, RunOptions


def _settings(tmp_path: Path) -> dict:
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\nText.\n")
    linter = Linter(RunOptions(use_cache=False))
    config = linter.config_for(str(tmp_path), str(tmp_path / "a.md"))
    return config.settings_for("a.md")


def test_the_checks_of_a_settings_dict_are_its_enabled_rules_in_order(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    linter = Linter(RunOptions(use_cache=False))
    active = linter._active(settings)
    expected = [name for name, s in settings.items() if s.enabled and s.rule.check is not None]
    assert [name for name, _s, _r in active.checks] == expected
    assert [name for name, _s, _r in active.page_checks] == [n for n in expected if not settings[n].rule.needs_site]
    assert [name for name, _s, _r in active.site_checks] == [n for n in expected if settings[n].rule.needs_site]
    assert linter.needs_site(settings) and linter.cacheable(settings)
    assert linter._active(settings) is active  # worked out once


def test_a_different_dict_gets_its_own_answer(tmp_path: Path) -> None:
    """Dicts made per page (a rule's prepared data in its options) are not confused with
    the dict they were copied from, nor with a dict made later at the same address."""
    settings = _settings(tmp_path)
    linter = Linter(RunOptions(use_cache=False))
    assert "broken-link" in [name for name, _s, _r in linter._active(settings).site_checks]
    for _ in range(300):
        off = dict(settings)
        off["broken-link"] = dataclasses.replace(settings["broken-link"], enabled=False)
        assert "broken-link" not in [name for name, _s, _r in linter._active(off).site_checks]
        del off
    assert len(linter._actives) <= 256
    assert "broken-link" in [name for name, _s, _r in linter._active(settings).site_checks]


def test_each_site_of_a_run_gets_its_own_renderer(tmp_path: Path) -> None:
    """The renderer is asked once per site: two sites of one run keep theirs."""
    kramdown, gfm = tmp_path / "k", tmp_path / "g"
    for root, converter in ((kramdown, "kramdown"), (gfm, "CommonMarkGhPages")):
        root.mkdir()
        (root / "_config.yml").write_text(f"title: t\nmarkdown: {converter}\n")
        for name in ("a.md", "b.md"):
            (root / name).write_text("---\ntitle: T\n---\nText.\n")
    linter = Linter(RunOptions(use_cache=False, keep_documents=True, jobs=1))
    result = linter.run(linter.discover([str(tmp_path)]))
    names = {Path(f.target.path).parent.name + "/" + Path(f.target.path).name: f.document.renderer.name
             for f in result.files if f.document is not None and f.target.path.endswith(".md")}
    assert names == {"k/a.md": "kramdown", "k/b.md": "kramdown", "g/a.md": "gfm", "g/b.md": "gfm"}
