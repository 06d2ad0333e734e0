"""The ``github`` preset: a folder with no ``_config.yml`` is a repository read on GitHub."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from naislint.run.discover import Target
from naislint.page.document import Document
from naislint.run.engine import Linter, RunOptions
from naislint.site import github
from shared_data import CORPUS_PLAIN, mark_needs

KUBERNETES = CORPUS_PLAIN / "kubernetes__community"


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lint(folder: Path, **options: object) -> list[tuple[str, str, int, int]]:
    linter = Linter(RunOptions(use_cache=False, **options))  # type: ignore[arg-type]
    result = linter.run(linter.discover([str(folder)]))
    assert result.internal_errors == []
    return sorted((Path(d.path).relative_to(folder).as_posix(), d.rule, d.line, d.column) for d in result.diagnostics)


def messages(folder: Path, rule: str) -> list[str]:
    linter = Linter(RunOptions(use_cache=False))
    result = linter.run(linter.discover([str(folder)]))
    return [d.message for d in result.diagnostics if d.rule == rule]


def test_no_config_means_no_front_matter_required(tmp_path: Path) -> None:
    write(tmp_path / "repo", "page.md", "# A repository\n\nText.\n")
    assert lint(tmp_path / "repo") == []
    write(tmp_path / "site", "_config.yml", "title: a Jekyll site\n")
    write(tmp_path / "site", "page.md", "# A repository\n\nText.\n")
    assert ("page.md", "front-matter-missing", 1, 1) in lint(tmp_path / "site")


def test_preset_written_in_the_config_wins(tmp_path: Path) -> None:
    write(tmp_path, "page.md", "# A page\n\nText.\n")
    write(tmp_path, ".naislint.yml", "preset: jekyll\n")
    assert ("page.md", "front-matter-missing", 1, 1) in lint(tmp_path)


def test_a_jekyll_page_out_of_its_site_keeps_the_jekyll_rules(tmp_path: Path) -> None:
    write(tmp_path, "page.md", "---\ntitle: A page\npermalink: /page/\ndescription: ''\n---\nSee [the files](/files/a.pdf).\n")
    found = lint(tmp_path)
    assert ("page.md", "front-matter-empty", 4, 1) in found
    assert not [f for f in found if f[1] == "broken-link"]  # a URL of its site, not a path


def test_links_resolve_from_the_git_root(tmp_path: Path) -> None:
    """The repository's root is the git work tree above the folder linted: a leading '/'
    starts there and '../' may climb to it; above it are GitHub's own pages."""
    (tmp_path / ".git").mkdir()  # not a repository git can read: the folders are walked
    write(tmp_path, "c/d.md", "# D\n\n## Part\n")
    write(
        tmp_path, "a/b.md",
        "[root](/c/d.md#part) [up](../c/d.md) [folder](../c) [issues](../../issues)\n\n"
        "[gone](/c/missing.md) [anchor](../c/d.md#whole)\n",
    )
    found = lint(tmp_path / "a")
    assert found == [("b.md", "broken-anchor", 3, 32), ("b.md", "broken-link", 3, 8)]


def test_git_lists_the_files_github_has(tmp_path: Path) -> None:
    """In a git work tree a file that .gitignore keeps off GitHub is no link target."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=30)
    write(tmp_path, ".gitignore", "build/\n")
    write(tmp_path, "build/out.md", "# Out\n")
    write(tmp_path, "docs/in.md", "# In\n")
    write(tmp_path, "README.md", "[in](docs/in.md) [out](build/out.md)\n")
    repo = github.Repository.build(str(tmp_path))
    assert "docs/in.md" in repo.files and "docs" in repo.folders
    assert "build/out.md" not in repo.files
    found = [f for f in lint(tmp_path) if f[0] == "README.md"]
    assert found == [("README.md", "broken-link", 1, 24)]


def test_cached_results_see_a_linked_file_go(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "See [the guide](guide.md).\n")
    guide = write(tmp_path, "guide.md", "# Guide\n")

    def broken() -> list[str]:
        linter = Linter(RunOptions(use_cache=True, cache_dir=str(tmp_path / "cache")))
        result = linter.run(linter.discover([str(tmp_path)]))
        return [d.rule for d in result.diagnostics]

    assert broken() == []
    guide.unlink()
    assert broken() == ["broken-link"]


def test_messages_say_what_github_does(tmp_path: Path) -> None:
    write(
        tmp_path, "README.md",
        "# Help\n\nReplace <NAME> and <email> in <name>.\n\n<img src=\"a.png\" style=\"width: 300px\">\n\n"
        "[x](./docs/guide.md)\n",
    )
    write(tmp_path, "docs/guide.md", "# Guide\n")
    write(tmp_path, "docs/more.md", "[y](docs/guide.md)\n")
    (stray,) = messages(tmp_path, "stray-html")
    assert stray.startswith("<NAME> is no HTML tag: GitHub removes it")
    assert "(the same for 2 more such tags on this page: <email>)" in stray
    (style,) = messages(tmp_path, "inline-style")
    assert "GitHub removes style attributes" in style and "width: 300px" in style
    (link,) = messages(tmp_path, "broken-link")
    assert "resolves to /docs/docs/guide.md" in link and "did you mean 'guide.md' (/docs/guide.md)?" in link


def test_placeholders_are_named_as_written_and_links_are_left_to_link_syntax(tmp_path: Path) -> None:
    """``<no value>`` is named whole (not ``<no>``) with advice to fill it in, since
    escaping it shows only the placeholder; inside a link destination it is
    link-syntax's, which reports the link once."""
    write(
        tmp_path, "annual-report.md",
        "# Report\n\n- [proxy](https://git.k8s.io/community/<no value>#proxy)\n\n"
        "Owner: <no value>\n\nSend <your name> to us.\n",
    )
    unfilled, typed = messages(tmp_path, "stray-html")
    assert unfilled.startswith("<no value> is what a Go template prints for a value it was not given")
    assert "fill in the value" in unfilled and "backticks" not in unfilled
    assert typed.startswith("<your name> is no HTML tag") and "(`<your name>`) or as &lt;your name&gt;" in typed
    (link,) = messages(tmp_path, "link-syntax")
    assert "'<no value>', a template placeholder that was never filled in" in link


def test_same_page_anchors_use_github_ids_without_the_repository() -> None:
    """An editor buffer or standard input has no repository index: its own fragments are
    still checked, against GitHub's ids."""
    from naislint.run.engine import lint_text

    text = "# Help\n\n## A -- B\n\n[ok](#a----b) [kramdown's](#a---b)\n"
    found = [(d.rule, d.line, d.column) for d in lint_text(text, "<stdin>")]
    assert found == [("broken-anchor", 5, 28)]


def test_heading_ids_follow_github() -> None:
    doc = Document.from_text(
        "# Héllo, World!\n\n## A -- B\n\n## `code` and [link](x) ![img](y.png)\n\n## Notes\n\n## Notes\n\n"
        "## Title {#custom}\n\n## 日本語 テキスト\n"
    )
    assert github.heading_ids(doc) == [
        "héllo-world", "a----b", "code-and-link-", "notes", "notes-1", "title-custom", "日本語-テキスト",
    ]


# -- against real cmark-gfm output, with GitHub's slug computed by Ruby ------------------

_HEADING_RE = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")
#: GitHub's algorithm as html-pipeline's table-of-contents filter writes it, in Ruby, whose
#: \p{Word} is the class GitHub uses; repeats numbered per page.
_RUBY_SLUGS = r"""
require "json"
pages = JSON.parse(STDIN.read)
out = pages.map do |texts|
  seen = Hash.new(0)
  texts.map do |text|
    id = text.downcase.gsub(/[^\p{Word}\- ]/u, "").tr(" ", "-")
    n = seen[id]
    seen[id] += 1
    n > 0 ? "#{id}-#{n}" : id
  end
end
print JSON.generate(out)
"""


@pytest.mark.slow
@pytest.mark.corpus
@mark_needs(KUBERNETES)
def test_heading_ids_match_cmark_gfm_on_the_corpus() -> None:
    pages = sorted(KUBERNETES.rglob("*.md"))
    texts: list[list[str]] = []
    ours: list[list[str]] = []
    for page in pages:
        try:
            source = page.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        doc = Document.from_text(source, str(page))
        # GitHub shows front matter as a table and renders only what follows it.
        rendered = subprocess.run(
            ["cmark-gfm", "-e", "table", "-e", "autolink", "-e", "strikethrough", "--unsafe"],
            input=doc.text[doc.body_start:].encode("utf-8"), capture_output=True, timeout=60, check=True,
        ).stdout.decode("utf-8")
        texts.append([html.unescape(_TAG_RE.sub("", m.group(2))) for m in _HEADING_RE.finditer(rendered)])
        ours.append(github.heading_ids(doc))
    slugs = json.loads(
        subprocess.run(["ruby", "-e", _RUBY_SLUGS], input=json.dumps(texts).encode(), capture_output=True,
                       timeout=120, check=True).stdout
    )
    differ = [(str(p.relative_to(KUBERNETES)), a, b) for p, a, b in zip(pages, slugs, ours) if a != b]
    assert sum(len(s) for s in slugs) > 5000
    assert differ == []


@pytest.mark.corpus
@mark_needs(KUBERNETES)
def test_the_two_broken_links_of_the_issue_are_found() -> None:
    linter = Linter(RunOptions(use_cache=False))
    found = []
    for rel in ("sig-docs/annual-activities.md", "elections/steering/documentation/README.md"):
        path = str(KUBERNETES / rel)
        found += [
            (rel, d.line, d.rule)
            for d in linter.lint_target(Target(path, rel, None, str(KUBERNETES))).diagnostics
            if d.rule == "broken-link"
        ]
    assert ("sig-docs/annual-activities.md", 3, "broken-link") in found
    assert ("elections/steering/documentation/README.md", 17, "broken-link") in found


def test_every_rule_selected_on_a_repository(tmp_path: Path) -> None:
    """Rules the preset turns off may be selected by hand; the Jekyll site rules then get
    no index (a repository has no permalinks, titles or navigation) and say nothing."""
    write(tmp_path, "README.md", "---\ntitle: x\npublished: true\n---\n# Readme\n\n[a](docs/a.md)\n")
    write(tmp_path, "docs/a.md", "# A\n")
    found = lint(tmp_path, extend_select=("permalink-conflict", "front-matter-schema", "liquid-syntax"))
    assert [f for f in found if f[1] == "permalink-conflict"] == []


def test_front_matter_that_does_not_parse_says_what_github_shows(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "---\ndescription: one: two\n---\n# Readme\n")
    (message,) = messages(tmp_path, "front-matter-syntax")
    assert "GitHub shows an error box instead of it" in message and "Jekyll" not in message


@pytest.mark.parametrize("edit, changes", [
    ("Other text, same headings.\n", False),
    ("## A new heading\n", True),
    ("> ### Quoted heading\n", True),
    ("- # A heading in a list item\n", True),
    ("New heading\nwritten setext\n===\n", True),
    ('<a name="here"></a>\n', True),
    ("[^note]: a footnote\n", True),
])
def test_repository_fingerprint_follows_anchors_not_text(tmp_path: Path, edit: str, changes: bool) -> None:
    """Cached results that used the repository stay valid while no anchor could have
    changed: an edit of a page's text leaves the fingerprint as it was."""
    write(tmp_path, "README.md", "# Project\n\nSee [the guide](docs/guide.md#setup).\n")
    guide = write(tmp_path, "docs/guide.md", "# Guide\n\n## Setup\n\nText.\n")
    before = github.Repository.build(str(tmp_path)).fingerprint
    guide.write_text(guide.read_text() + "\n" + edit)
    assert (github.Repository.build(str(tmp_path)).fingerprint != before) is changes


def test_cached_results_of_a_repository_survive_an_edit_of_another_page(tmp_path: Path) -> None:
    """One page's text edited: the other pages' cached results are used, not re-linted."""
    write(tmp_path, "README.md", "# Project\n\nSee [the guide](docs/guide.md#setup).\n")
    guide = write(tmp_path, "docs/guide.md", "# Guide\n\n## Setup\n\nText.\n")
    for i in range(3):
        write(tmp_path, f"notes/n{i}.md", f"# Note {i}\n\nSee [setup](../docs/guide.md#setup).\n")

    def run() -> list[str]:
        linter = Linter(RunOptions(use_cache=True, jobs=1))
        loaded: list[str] = []
        original = linter.load

        def counting(target, *args, **kwargs):  # type: ignore[no-untyped-def]
            loaded.append(Path(target.path).relative_to(tmp_path).as_posix())
            return original(target, *args, **kwargs)

        linter.load = counting  # type: ignore[method-assign]
        result = linter.run(linter.discover([str(tmp_path)]))
        assert result.diagnostics == []
        return loaded

    assert len(run()) == 5
    guide.write_text(guide.read_text() + "\nMore text.\n")
    assert run() == ["docs/guide.md"]  # the others' results came from the cache


def test_a_repository_copied_without_git_is_found_below_the_folder_walked(tmp_path: Path) -> None:
    """A copy of a repository with no ``.git``, walked from the folder holding it: links
    from the repository's root (``/README.md``) resolve in the repository, not in the
    folder walked; a sub-project with its own licence stays part of it."""
    repo = tmp_path / "copies" / "project"
    write(repo, "LICENSE", "licence\n")
    write(repo, "README.md", "# Project\n")
    write(repo, "tools/LICENSE", "its own licence\n")
    write(repo, "tools/guide.md", "# Guide\n\nSee [the readme](/README.md) and [nothing](/missing.md).\n")
    write(repo, "docs/page.md", "# Page\n\nSee [the readme](/README.md) and [the guide](/tools/guide.md).\n")
    found = lint(tmp_path / "copies")
    assert [f for f in found if f[1] == "broken-link"] == [("project/tools/guide.md", "broken-link", 3, 44)]
    assert github.repository_root(str(repo / "docs" / "page.md"), str(tmp_path / "copies")) == str(repo)
    assert github.repository_root(str(repo / "docs" / "page.md"), str(repo)) == str(repo)
    # Nothing marks a repository: the folder walked is the root, as before.
    write(tmp_path / "plain", "a/page.md", "# A\n")
    assert github.repository_root(str(tmp_path / "plain" / "a" / "page.md"), str(tmp_path / "plain")) == str(tmp_path / "plain")


def test_the_repository_root_is_looked_for_once_per_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page of a folder has the same repository root: the folders above are probed
    for ``.git`` and root files once per folder, not once per page."""
    write(tmp_path, "LICENSE", "licence\n")
    for i in range(4):
        write(tmp_path, f"docs/p{i}.md", f"# Page {i}\n\n[readme](/README.md)\n")
        write(tmp_path, f"notes/n{i}.md", f"# Note {i}\n\n[gone](/missing.md)\n")
    write(tmp_path, "README.md", "# Readme\n")
    asked: list[str] = []
    original = github.repository_root

    def counting(path: str, walked_from: str | None = None) -> str:
        asked.append(Path(path).parent.name)
        return original(path, walked_from)

    monkeypatch.setattr(github, "repository_root", counting)
    found = lint(tmp_path)
    assert [f for f in found if f[1] == "broken-link"] == [(f"notes/n{i}.md", "broken-link", 3, 8) for i in range(4)]
    assert sorted(asked) == sorted(["docs", "notes", tmp_path.name])
