"""Discovery and the site index read a site the way Jekyll does, and agree on every file.

Both ask :class:`naislint.jekyll.EntryFilter` over :func:`naislint.jekyll.walk`: what
Jekyll reads is linted and indexed, what it does not is neither. Checked against Jekyll
itself (its ``Site#read``), against every corpus site, and on small sites for the cases
that used to differ: a nested ``exclude``, ``vendor/``, ``include`` of a dot-folder, deep
folders, unreadable folders and a broken ``_config.yml``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from naislint import jekyll
from naislint.cli import main
from naislint.run.discover import relative_to
from naislint.run.engine import Linter, RunOptions
from naislint.site.index import SiteIndex
from shared_data import CORPUS, CORPUS_JEKYLL, CORPUS_PLAIN, need

REPO = Path(__file__).resolve().parents[1]
EMPTY_DESCRIPTION = "---\ntitle: x\ndescription: ''\n---\nText.\n"


def write(root: Path, name: str, text: str = EMPTY_DESCRIPTION) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(cwd: Path, *args: str) -> tuple[int, list[dict]]:
    """``naislint check --format json ARGS`` in ``cwd``: exit code and diagnostics."""
    old = os.getcwd()
    try:
        os.chdir(cwd)
        result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, json.loads(result.stdout)


def found(diags: list[dict]) -> list[tuple[str, str, int, int]]:
    return sorted((d["path"], d["rule"], d["line"], d["column"]) for d in diags)


def discovered(folder: Path) -> set[str]:
    """Markdown files a run on ``folder`` lints, relative to ``folder`` (the run lints the
    site's data files too, ``_config.yml`` ...: those are no pages, and no index entries)."""
    jekyll.clear_caches()
    return {
        relative_to(t.path, str(folder)) for t in Linter(RunOptions()).discover([str(folder)])
        if t.path.endswith((".md", ".markdown"))
    }


def indexed(folder: Path) -> set[str]:
    """Markdown files the index of ``folder`` holds as read by Jekyll."""
    jekyll.clear_caches()
    return {rel for rel in SiteIndex.begin(str(folder)).index.entries if rel.endswith((".md", ".markdown"))}


# -- Jekyll itself ----------------------------------------------------------------------

JEKYLL_READ = """
require "jekyll"
src = ARGV[0]
site = Jekyll::Site.new(Jekyll.configuration("source" => src, "destination" => File.join(src, "_site"), "quiet" => true))
site.reset
site.read
out = site.pages.map(&:relative_path) + site.static_files.map { |f| f.relative_path.sub(%r!\\A/!, "") }
site.collections.each_value { |c| out.concat(c.docs.map(&:relative_path)) }
puts out.uniq.sort
"""

SITE_FILES = [
    "index.md", "guides/docs/a.md", "docs/a.md", "docsite/a.md", "vendor/x/a.md", "vendor/bundle/a.md",
    "a/vendor/bundle/x.md", ".well-known/a.md", ".well-known/.b.md", "sub/.well-known/c.md",
    "_posts/2020-01-01-a.md", "x/_posts/2020-01-01-b.md", "x/_posts/sub/2020-01-01-c.md",
    "x/_posts/.h/2020-01-01-d.md", "x/_posts/_u/2020-01-01-e.md", "_drafts/a.md", "Gemfile", "sub/Gemfile",
    "a.md~", "_x.md", "file.", "pages/_keep.md", "pages/_skip.md", "#x.md", "~y.md", "_guides/a.md",
    "_guides/sub/_b.md", "_guides/_s/c.md", "_guides/sub/.d.md", "_guides/.e/f.md", "_guides/s/.g/h.md",
    "_hidden/a.md", "_other/a.md", "notes.txt", "notes/a.md", "notesx/a.md", "_redirects",
    "pages/a.markdown", "pages/sub/b.md", ".htaccess", "sub/.htaccess",
]
SITE_CONFIG = """\
exclude: [docs, "*.txt", "notes/", Gemfile]
include: [.well-known, "pages/_keep.md", "_redirects"]
collections:
  guides:
    output: true
  hidden: {}
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby is not installed")
def test_entry_filter_reads_what_jekyll_reads(tmp_path: Path) -> None:
    if subprocess.run(["ruby", "-e", "require 'jekyll'"], capture_output=True, timeout=60).returncode != 0:
        pytest.skip("the jekyll gem is not installed")
    write(tmp_path, "_config.yml", SITE_CONFIG)
    for name in SITE_FILES:
        write(tmp_path, name)
    done = subprocess.run(["ruby", "-e", JEKYLL_READ, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    by_jekyll = set(done.stdout.split())
    jekyll.clear_caches()
    entry_filter = jekyll.entry_filter(str(tmp_path))
    by_us = {rel for rel, _entry in jekyll.walk(str(tmp_path)) if entry_filter.reads(rel)}
    assert by_us == by_jekyll
    assert {"guides/docs/a.md", "vendor/x/a.md", ".well-known/a.md", "sub/.well-known/c.md"} <= by_us


# -- discovery and the index agree ------------------------------------------------------


def corpus_roots() -> list[Path]:
    roots = []
    for corpus in (CORPUS, CORPUS_JEKYLL):
        if corpus.is_dir():
            roots += sorted(p for p in corpus.iterdir() if (p / "_config.yml").is_file())
    return roots


@pytest.mark.corpus
def test_discovery_and_index_agree_on_every_corpus_site() -> None:
    need(CORPUS)
    need(CORPUS_JEKYLL)
    need(CORPUS_PLAIN)
    roots = corpus_roots()
    assert len(roots) == 7
    # corpus-plain has no _config.yml: its folder is the root, read with Jekyll's defaults.
    roots += sorted(p for p in CORPUS_PLAIN.iterdir() if p.is_dir())
    for root in roots:
        linted = discovered(root)
        assert linted, root
        assert linted == indexed(root), root


def test_nested_exclude_is_linted_walked_and_named(tmp_path: Path) -> None:
    """``exclude: [docs]`` is anchored at the root: ``guides/docs/a.md`` is published."""
    write(tmp_path, "_config.yml", "exclude: [docs]\n")
    write(tmp_path, "guides/docs/a.md")
    write(tmp_path, "docs/b.md")
    write(tmp_path, "index.md", "---\ntitle: Home\n---\n[a](/guides/docs/a.html)\n")
    assert discovered(tmp_path) == indexed(tmp_path) == {"guides/docs/a.md", "index.md"}
    expected = [("guides/docs/a.md", "front-matter-empty", 3, 1)]
    assert found(run(tmp_path, ".")[1]) == expected
    assert found(run(tmp_path, "guides/docs/a.md")[1]) == expected
    assert run(tmp_path, "docs/b.md")[1] == []


def test_vendor_folders_other_than_jekylls_are_linted(tmp_path: Path) -> None:
    write(tmp_path, "_config.yml", "title: t\n")
    for name in ("vendor/x/a.md", "guides/vendor/b.md", "vendor/bundle/c.md", "vendor/ruby/d.md", "vendor/gems/e.md"):
        write(tmp_path, name)
    assert discovered(tmp_path) == indexed(tmp_path) == {"vendor/x/a.md", "guides/vendor/b.md"}
    assert found(run(tmp_path, ".")[1]) == [
        ("guides/vendor/b.md", "front-matter-empty", 3, 1),
        ("vendor/x/a.md", "front-matter-empty", 3, 1),
    ]


def test_own_exclude_adds_to_jekylls_defaults(tmp_path: Path) -> None:
    """A site's ``exclude`` is merged with Jekyll's defaults, not put in their place."""
    write(tmp_path, "_config.yml", "exclude: [drafts]\n")
    for name in ("drafts/a.md", "vendor/cache/b.md", "node_modules/c.md", "pages/d.md"):
        write(tmp_path, name)
    assert discovered(tmp_path) == indexed(tmp_path) == {"pages/d.md"}


def test_include_of_a_dot_folder(tmp_path: Path) -> None:
    write(tmp_path, "_config.yml", "include: [.well-known]\n")
    write(tmp_path, ".well-known/a.md")
    write(tmp_path, ".other/b.md")
    assert discovered(tmp_path) == indexed(tmp_path) == {".well-known/a.md"}
    assert found(run(tmp_path, ".")[1]) == [(".well-known/a.md", "front-matter-empty", 3, 1)]
    assert found(run(tmp_path, ".well-known/a.md")[1]) == [(".well-known/a.md", "front-matter-empty", 3, 1)]


def remove_tree(top: str) -> None:
    """``shutil.rmtree`` without its recursion (pytest's clean-up of old temporary
    folders would fail on a tree 1000 folders deep)."""
    folders, stack = [], [top]
    while stack:
        folder = stack.pop()
        folders.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.remove(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)


@pytest.mark.slow
def test_thousand_nested_folders(tmp_path: Path) -> None:
    """No recursion: depth costs nothing but time."""
    write(tmp_path, "_config.yml", "title: t\n")
    deep = "/".join(["d"] * 1000)
    folder = str(tmp_path)
    try:
        for _ in range(1000):  # Path.mkdir(parents=True) itself recurses per level
            folder += "/d"
            os.mkdir(folder)
        Path(folder, "a.md").write_text(EMPTY_DESCRIPTION, encoding="utf-8")
        write(tmp_path, "index.md", f"---\ntitle: Home\n---\n[a](/{deep}/a.html)\n")
        assert discovered(tmp_path) == indexed(tmp_path) == {deep + "/a.md", "index.md"}
        code, diags = run(tmp_path, ".")
        assert found(diags) == [(deep + "/a.md", "front-matter-empty", 3, 1)]
    finally:
        remove_tree(str(tmp_path / "d"))


def test_walk_order_is_sorted_and_depth_first(tmp_path: Path) -> None:
    write(tmp_path, "_config.yml", "title: t\n")
    for name in ("b.md", "a/z.md", "a.md", "a/b/c.md", "c/a.md"):
        write(tmp_path, name)
    os.symlink(tmp_path / "a", tmp_path / "link")  # a link to a folder is not followed
    targets = Linter(RunOptions()).discover([str(tmp_path)])
    # The pages in the walk's order, then the site's data files.
    assert [relative_to(t.path, str(tmp_path)) for t in targets] == ["a/b/c.md", "a/z.md", "a.md", "b.md", "c/a.md",
                                                                   "_config.yml"]


# -- unreadable folders -----------------------------------------------------------------


@pytest.fixture
def refuse_mode_000(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a folder with mode 000 unlistable for root too (root reads any folder)."""
    if os.geteuid() != 0:
        return
    real = os.scandir

    def scandir(path: "str | os.PathLike[str]" = ".") -> "os.ScandirIterator[str]":  # type: ignore[name-defined]
        if stat.S_IMODE(os.stat(path).st_mode) == 0:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_folder_is_reported_once_and_links_into_it_are_not_broken(
    tmp_path: Path, refuse_mode_000: None
) -> None:
    write(tmp_path, "_config.yml", "title: t\n")
    write(tmp_path, "locked/page.md", "---\ntitle: Locked\n---\n")
    write(tmp_path, "files/secret/doc.pdf", "%PDF")
    write(tmp_path, "index.md", "---\ntitle: Home\n---\n[a](/locked/page.html)\n\n[b](/files/secret/doc.pdf)\n\n[c](/nowhere/)\n")
    os.chmod(tmp_path / "locked", 0)
    os.chmod(tmp_path / "files" / "secret", 0)
    try:
        code, diags = run(tmp_path, ".", "index.md", str(tmp_path))
    finally:
        os.chmod(tmp_path / "locked", 0o755)
        os.chmod(tmp_path / "files" / "secret", 0o755)
    assert found(diags) == [
        ("files/secret", "unreadable-file", 1, 1),
        ("index.md", "broken-link", 8, 5),
        ("locked", "unreadable-file", 1, 1),
    ]
    message = next(d["message"] for d in diags if d["path"] == "locked")
    assert "folder cannot be read" in message and "links into it cannot be checked" in message
    assert code == 1


# -- _config.yml ------------------------------------------------------------------------


def test_invalid_site_config_is_reported_once_and_defaults_apply(tmp_path: Path) -> None:
    write(tmp_path, "_config.yml", "title: t\nexclude: [pages\ncollections:\n  guides:\n    output: true\n")
    write(tmp_path, "pages/a.md")
    write(tmp_path, "pages/b.md", EMPTY_DESCRIPTION.replace("title: x", "title: y"))  # one title per folder
    write(tmp_path, "vendor/bundle/c.md")
    code, diags = run(tmp_path, ".", "pages/a.md")
    assert found(diags) == [
        ("_config.yml", "front-matter-syntax", 3, 12),
        ("pages/a.md", "front-matter-empty", 3, 1),
        ("pages/b.md", "front-matter-empty", 3, 1),
    ]
    message = next(d["message"] for d in diags if d["path"] == "_config.yml")
    assert message.startswith("_config.yml is not valid YAML") and "Jekyll's defaults" in message
    assert code == 1


def test_front_matter_syntax_rule_doc_covers_site_config() -> None:
    text = (REPO / "src" / "naislint" / "data" / "rules" / "front-matter-syntax.md").read_text(encoding="utf-8")
    assert "_config.yml" in text


BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip([""] + list("abcdefgh"), "abcdefghi")
)
DEEP = "deep: " + "[" * 50_000 + "]" * 50_000 + "\n"
HOSTILE = {
    "bomb": ("_config.yml", "title: t\n" + BOMB),
    "deep": ("_config.yml", "title: t\n" + DEEP),
    "collection bomb": ("_guides/collection.yml", BOMB + "collections:\n  guides:\n    output: true\n    x: *i\n"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_site_yaml_is_refused_quickly(tmp_path: Path, case: str) -> None:
    """A billion laughs or deep nesting in the site's YAML is refused, not expanded (it
    used to take more than 30 s and gigabytes when the facts cache wrote the config)."""
    name, text = HOSTILE[case]
    write(tmp_path, "_config.yml", "title: t\n")
    write(tmp_path, name, text)
    write(tmp_path, "index.md", "---\ntitle: Home\n---\n[a](/pages/a.html)\n")
    write(tmp_path, "pages/a.md", "---\ntitle: A\n---\nText.\n")
    done = subprocess.run(
        [sys.executable, "-m", "naislint", "check", "--format", "json", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    diags = json.loads(done.stdout)
    if name == "_config.yml":
        assert [(d["path"], d["rule"]) for d in diags] == [("_config.yml", "front-matter-syntax")]
    else:
        # The collection's file is linted as a data file: refused, with a diagnostic.
        assert [(d["path"], d["rule"]) for d in diags] == [("_guides/collection.yml", "data-file-schema")]
        assert "too many values" in diags[0]["message"]


def test_hostile_yaml_schema_is_refused(tmp_path: Path) -> None:
    from naislint.schema.frontmatter import SchemaLoadError, _read_user

    path = write(tmp_path, "schema.yml", "type: object\n" + BOMB)
    with pytest.raises(SchemaLoadError, match="too many values"):
        _read_user(str(path))


def test_hostile_naislint_config_is_refused(tmp_path: Path) -> None:
    """``.naislint.yml`` goes through the same guarded loader: a configuration error."""
    write(tmp_path, "_config.yml", "title: t\n")
    write(tmp_path, ".naislint.yml", "rules: {}\n" + BOMB)
    write(tmp_path, "index.md", "---\ntitle: Home\n---\n")
    done = subprocess.run(
        [sys.executable, "-m", "naislint", "check", "--format", "json", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert "too many values" in done.stderr
