"""A run that uses the results cache keeps each site's parsed ``_config.yml`` and
``collection.yml`` by their stat stamps: a warm run reads none of them, an edited one is
read again, ``--no-cache`` keeps and reads nothing, and a broken or planted store is a
miss, never a wrong answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from naislint import jekyll
from naislint.page import yamlfile
from naislint.run.engine import Linter, RunOptions
from naislint.store import parsed

CACHE = ".naislint_cache"


@pytest.fixture(autouse=True)
def fine_clock(monkeypatch) -> None:
    """Trust what changed before the run however shortly before (see test_startup)."""
    from naislint.store import stamps

    monkeypatch.setattr(stamps, "TIMESTAMP_GRANULARITY_NS", 0)
    yield
    parsed.configure(False)
    jekyll.clear_caches()


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The YAML files parsed, by name."""
    seen: list[str] = []
    original = yamlfile.read

    def counting(path: str, name: str, within: str | None = None):
        seen.append(name)
        return original(path, name, within)

    monkeypatch.setattr(yamlfile, "read", counting)
    return seen


def make_site(root: Path) -> None:
    (root / "_config.yml").write_text("title: t\nremote_theme: isomerpages/isomerpages-template\n"
                                      "exclude: [drafts]\npermalink: none\n")
    (root / "_news").mkdir()
    (root / "_news" / "collection.yml").write_text("collections:\n  news:\n    output: true\n")
    (root / "_news" / "a.md").write_text("---\ntitle: A\npermalink: /news/a/\n---\nSee [b](/b/).\n")
    (root / "drafts").mkdir()
    (root / "drafts" / "d.md").write_text("---\ntitle: D\npermalink: /d/\n---\nSee [c](/c/).\n")


def lint(root: Path, **options) -> list[tuple[str, str, int, int]]:
    jekyll.clear_caches()  # as a new process would
    linter = Linter(RunOptions(jobs=1, **{"use_cache": True, **options}))
    result = linter.run(linter.discover([str(root)]))
    return [(Path(d.path).name, d.rule, d.line, d.column) for d in result.diagnostics]


def test_a_warm_run_parses_no_yaml_file(tmp_path: Path, reads: list[str]) -> None:
    make_site(tmp_path)
    expected = lint(tmp_path)
    assert expected == [("a.md", "broken-link", 5, 9)]  # drafts/ is excluded, _news is read
    assert reads == ["_config.yml", "_news/collection.yml"]
    assert lint(tmp_path) == expected
    assert reads == ["_config.yml", "_news/collection.yml"]
    assert list((tmp_path / CACHE).glob("parsed-*.json"))


def test_an_edited_config_is_read_again(tmp_path: Path, reads: list[str]) -> None:
    make_site(tmp_path)
    lint(tmp_path)
    config = tmp_path / "_config.yml"
    config.write_text(config.read_text().replace("exclude: [drafts]", "exclude: [other]"))
    assert lint(tmp_path) == [("a.md", "broken-link", 5, 9), ("d.md", "broken-link", 5, 9)]
    assert reads == ["_config.yml", "_news/collection.yml", "_config.yml"]
    assert lint(tmp_path) == [("a.md", "broken-link", 5, 9), ("d.md", "broken-link", 5, 9)]
    assert len(reads) == 3


def test_no_cache_keeps_and_reads_nothing(tmp_path: Path, reads: list[str]) -> None:
    make_site(tmp_path)
    lint(tmp_path)
    lint(tmp_path, use_cache=False)
    lint(tmp_path, use_cache=False)
    assert reads == ["_config.yml", "_news/collection.yml"] * 3
    (tmp_path / CACHE / "x").write_text("")  # the folder is there; nothing new in it
    assert [p.name for p in (tmp_path / CACHE).glob("parsed-*.json")] != []
    for kept in (tmp_path / CACHE).glob("parsed-*.json"):
        kept.unlink()
    lint(tmp_path, use_cache=False)
    assert list((tmp_path / CACHE).glob("parsed-*.json")) == []


@pytest.mark.parametrize("planted", [b"\x00{not json", b"[]", b'{"key": 1, "files": {}}', "wrong data"])
def test_a_broken_or_planted_store_is_a_miss(tmp_path: Path, reads: list[str], planted) -> None:
    make_site(tmp_path)
    expected = lint(tmp_path)
    [kept] = (tmp_path / CACHE).glob("parsed-*.json")
    if planted == "wrong data":
        # Entries of the right shape whose stamps are not the files' (a committed store).
        data = json.loads(kept.read_text())
        for entry in data["files"].values():
            entry[:4] = [1, 2, 3, 4]
            entry[5] = json.dumps({"exclude": ["_news"]})
        kept.write_text(json.dumps(data))
    else:
        kept.write_bytes(planted)
    assert lint(tmp_path) == expected
    assert reads == ["_config.yml", "_news/collection.yml"] * 2


def test_data_json_cannot_say_is_not_kept(tmp_path: Path, reads: list[str]) -> None:
    """A date (YAML reads it as one) would come back a string: such a file is parsed
    every time."""
    make_site(tmp_path)
    config = tmp_path / "_config.yml"
    config.write_text(config.read_text() + "started: 2024-01-02\n")
    lint(tmp_path)
    lint(tmp_path)
    assert reads.count("_config.yml") == 2 and reads.count("_news/collection.yml") == 1
    assert jekyll.load(str(tmp_path)).raw["started"].year == 2024
