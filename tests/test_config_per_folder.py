"""A run over a repository looks up a config for each folder of pages in no site: the
folders share the search for config files above them, and those read from no file share
their rule settings."""

from __future__ import annotations

import random
from pathlib import Path

from naislint.config.loader import find_config_file
from naislint.run.engine import Linter
from naislint.run.options import RunOptions


def _tree(tmp_path: Path) -> list[Path]:
    """Folders, some under a config file, one under a pyproject.toml without naislint's
    section (which is no config file)."""
    folders = [tmp_path / p for p in ("a", "a/b", "a/b/c", "d", "d/e", "d/e/f", "g", "g/h")]
    for folder in folders:
        folder.mkdir(parents=True)
    (tmp_path / "d" / ".naislint.yml").write_text("rules:\n  doubled-word: off\n")
    (tmp_path / "g" / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    (tmp_path / "g" / "h" / "pyproject.toml").write_text("[tool.naislint]\npreset = 'jekyll'\n")
    return folders


def test_the_folders_answers_kept_equal_the_plain_search_in_any_order(tmp_path: Path) -> None:
    folders = _tree(tmp_path)
    plain = {folder: find_config_file(str(folder)) for folder in folders}
    assert plain[tmp_path / "d" / "e" / "f"] == str(tmp_path / "d" / ".naislint.yml")
    assert plain[tmp_path / "g"] != str(tmp_path / "g" / "pyproject.toml")
    assert plain[tmp_path / "g" / "h"] == str(tmp_path / "g" / "h" / "pyproject.toml")
    for seed in range(20):
        order = folders[:]
        random.Random(seed).shuffle(order)
        known: dict[str, str | None] = {}
        assert {folder: find_config_file(str(folder), known) for folder in order} == plain


def test_a_search_keeps_the_answer_of_every_folder_it_passed(tmp_path: Path) -> None:
    _tree(tmp_path)
    known: dict[str, str | None] = {}
    find_config_file(str(tmp_path / "d" / "e" / "f"), known)
    assert known == dict.fromkeys([str(tmp_path / "d" / "e" / "f"), str(tmp_path / "d" / "e"), str(tmp_path / "d")],
                                  str(tmp_path / "d" / ".naislint.yml"))


def test_folders_without_a_config_file_share_their_settings_and_one_with_a_file_does_not(tmp_path: Path) -> None:
    _tree(tmp_path)
    pages = {}
    for rel in ("a/b/c/x.md", "a/y.md", "d/e/f/z.md"):
        page = tmp_path / rel
        page.write_text("# Title\n\nthe the word\n")
        pages[rel] = str(page)
    linter = Linter(RunOptions(use_cache=False, jobs=1))
    settings = {rel: linter.config_for(None, path).settings_for(Path(path).name) for rel, path in pages.items()}
    assert settings["a/b/c/x.md"] is settings["a/y.md"]
    assert settings["a/b/c/x.md"]["doubled-word"].enabled
    assert not settings["d/e/f/z.md"]["doubled-word"].enabled
    result = linter.run(linter.discover([str(tmp_path / "a"), str(tmp_path / "d")]))
    assert sorted((Path(d.path).name, d.rule, d.line, d.column) for d in result.diagnostics
                  if d.rule == "doubled-word") == [("x.md", "doubled-word", 3, 1), ("y.md", "doubled-word", 3, 1)]
