"""Moving a page, changing a permalink, renaming a heading: the reverse link index, the
plans of edits, and ``naislint move`` on disk (with git)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from naislint.site.index import SiteIndex
from naislint.site.moves import plan_heading_rename, plan_moves, split_written
from naislint.site.references import ReferenceIndex

GIT = shutil.which("git")


def page(title: str, permalink: str | None, body: str) -> str:
    link = f"permalink: {permalink}\n" if permalink else ""
    return f"---\ntitle: {title}\n{link}---\n{body}"


def make_site(root: Path, files: dict[str, str | bytes], config: str = "title: T\n") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def refs_of(root: Path) -> ReferenceIndex:
    return ReferenceIndex(SiteIndex.build(str(root)))


def edits(plan) -> list[tuple[str, int, int, str, str]]:
    return [(e.path, e.line, e.column, e.old, e.text) for e in plan.edits]


# -- the reverse index ---------------------------------------------------------------------


def test_references_find_every_form_of_link_and_a_navigation_entry(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "about/team.md": page("Team", "/about/team/", "## Who\n\n[self](#who)\n"),
        "a.md": page("A", "/a/", "[1](/about/team/) [2](../about/team/#who) [3]({{ site.baseurl }}/about/team)\n"
                                  '<a href="/about/team/index.html">4</a>\n\n[5]: /about/team/\n'),
        "about/b.md": page("B", "/about/b/", "[6](team.md) [7]({% link about/team.md %})\n"),
        "c.md": page("C", "/c/", "`[not](/about/team/)` and [other](/a/)\n"),
        "_data/navigation.yml": "links:\n  - title: Team\n    url: /about/team/\n  - title: Ext\n    url: https://x.gov.sg/\n",
    })
    refs = refs_of(root)
    found = sorted((r.occurrence.path, r.occurrence.line, r.occurrence.column, r.how) for r in refs.references("about/team.md"))
    assert found == [
        ("_data/navigation.yml", 3, 10, "url"),
        ("a.md", 5, 5, "url"), ("a.md", 5, 23, "url"), ("a.md", 5, 47, "url"),
        ("a.md", 6, 10, "url"), ("a.md", 8, 6, "url"),
        ("about/b.md", 5, 5, "source"), ("about/b.md", 5, 18, "tag"),
        ("about/team.md", 7, 8, "fragment"),
    ]
    assert sorted((r.occurrence.path, r.occurrence.line) for r in refs.references("about/team.md", "who")) == [
        ("a.md", 5), ("about/team.md", 7)]


# -- moves -----------------------------------------------------------------------------------


SITE = {
    "about/team.md": page("Team", None, "# Team\n\n## Who\n\nSee [news](../news/) and [home](../index.md).\n"),
    "index.md": page("Home", "/", "[a](/about/team.html) [b]({{ site.baseurl }}/about/team.html#who) "
                                   "[c](about/team.md) [d]({% link about/team.md %}#who)\n"
                                   '<a href="about/team">e</a> [f](./about/team.html?x=1)\n'),
    "news/index.md": page("News", "/news/", "[g](../about/team.html#who) [h](../about/team.md)\n"),
    "_data/navigation.yml": "links:\n  - title: Team\n    url: /about/team\n",
}


def test_a_move_rewrites_each_link_in_its_own_form(tmp_path: Path) -> None:
    root = make_site(tmp_path, SITE)
    plan = plan_moves(refs_of(root), {"about/team.md": "people/our-team.md"})
    assert plan.refusals == []
    assert plan.urls == {"about/team.md": ("/about/team.html", "/people/our-team.html")}
    assert sorted(edits(plan)) == [
        ("_data/navigation.yml", 3, 10, "/about/team", "/people/our-team"),
        ("index.md", 5, 5, "/about/team.html", "/people/our-team.html"),
        ("index.md", 5, 27, "{{ site.baseurl }}/about/team.html#who", "{{ site.baseurl }}/people/our-team.html#who"),
        ("index.md", 5, 71, "about/team.md", "people/our-team.md"),
        ("index.md", 5, 90, "{% link about/team.md %}#who", "{% link people/our-team.md %}#who"),
        ("index.md", 6, 10, "about/team", "people/our-team"),
        ("index.md", 6, 32, "./about/team.html?x=1", "./people/our-team.html?x=1"),
        ("news/index.md", 5, 5, "../about/team.html#who", "../people/our-team.html#who"),
        ("news/index.md", 5, 33, "../about/team.md", "../people/our-team.md"),
    ]


def test_the_moved_pages_own_relative_links_follow_it(tmp_path: Path) -> None:
    root = make_site(tmp_path, SITE)
    plan = plan_moves(refs_of(root), {"about/team.md": "people/staff/team.md"})
    own = [e for e in edits(plan) if e[0] == "about/team.md"]
    assert own == [("about/team.md", 8, 12, "../news/", "../../news/"),
                   ("about/team.md", 8, 33, "../index.md", "../../index.md")]


def test_a_new_permalink_rewrites_links_by_url_only(tmp_path: Path) -> None:
    root = make_site(tmp_path, SITE)
    plan = plan_moves(refs_of(root), {}, {"about/team.md": "/people/"})
    assert plan.refusals == []
    got = edits(plan)
    assert ("about/team.md", 3, 1, "", "permalink: /people/\n") in got
    # Source links and {% link %} name the file, which stays: untouched.
    assert not any(e[3] in ("about/team.md", "../about/team.md") or "{% link" in e[3] for e in got)
    assert ("index.md", 5, 5, "/about/team.html", "/people/") in got
    assert ("index.md", 6, 10, "about/team", "people") in got
    assert ("_data/navigation.yml", 3, 10, "/about/team", "/people") in got
    # The page's own relative link is read from /people/ now.
    assert not any(e[0] == "about/team.md" and e[3] == "../news/" for e in got)


def test_a_page_with_a_permalink_moves_without_url_edits(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "pages/faq.md": page("FAQ", "/faq/", "Hi.\n"),
        "a.md": page("A", "/a/", "[faq](/faq/) [src](pages/faq.md)\n"),
    })
    plan = plan_moves(refs_of(root), {"pages/faq.md": "help/faq.md"})
    assert plan.urls == {}
    assert edits(plan) == [("a.md", 5, 20, "pages/faq.md", "help/faq.md")]


def test_a_static_file_move(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "files/form.pdf": b"%PDF",
        "a.md": page("A", "/a/", '[form](/files/form.pdf) <img src="../files/form.pdf">\n'),
    })
    plan = plan_moves(refs_of(root), {"files/form.pdf": "files/2024/form one.pdf"})
    assert edits(plan) == [("a.md", 5, 8, "/files/form.pdf", "/files/2024/form%20one.pdf"),
                           ("a.md", 5, 35, "../files/form.pdf", "../files/2024/form%20one.pdf")]


@pytest.mark.parametrize("files, moves, permalinks, message", [
    ({"a.md": page("A", "/a/", ""), "b.md": page("B", "/b/", "")}, {"a.md": "b.md"}, None, "b.md already exists"),
    ({"a.md": page("A", "/a/", "")}, {"gone.md": "x.md"}, None, "gone.md is not a file of the site"),
    ({"a.md": page("A", "/a/", ""), "a2.md": page("A2", "/a/", ""), "c.md": page("C", "/c/", "[a](/a/)\n")},
     {}, {"a.md": "/new-a/"}, "also the URL of a2.md"),
    ({"a.md": page("A", None, ""), "c.md": page("C", "/c/", "[a]({{ page.base }}/a.html) [b](/a.html)\n")},
     {"a.md": "b/a.md"}, None, None),
    ({"a.md": page("A", None, ""), "c.md": page("C", "/c/", '<a href="/a.html?x=1&amp;y=2">a</a>\n')},
     {"a.md": "b/a.md"}, None, "holds escapes or entities"),
    ({"_posts/2020-01-01-a.md": page("A", None, ""),
      "c.md": page("C", "/c/", "[a]({% post_url 2020-01-01-a %})\n")},
     {"_posts/2020-01-01-a.md": "_posts/2020-01-01-b.md"}, None, "post_url"),
])
def test_refusals(tmp_path: Path, files, moves, permalinks, message) -> None:
    root = make_site(tmp_path, files)
    plan = plan_moves(refs_of(root), moves, permalinks)
    if message is None:
        # Liquid that is not the base URL is no resolvable link at all: nothing to edit.
        assert plan.refusals == [] and [e[3] for e in edits(plan)] == ["/a.html"]
    else:
        assert plan.refusals and message in plan.refusals[0].message


def test_split_written() -> None:
    assert split_written("{{ '/a/b/' | relative_url }}#x") == ("{{ '", "/a/b/", "' | relative_url }}#x")
    assert split_written("{{site.baseurl}}/a?x#y") == ("{{site.baseurl}}", "/a", "?x#y")
    assert split_written("/base/a/", "/base") == ("/base", "/a/", "")
    assert split_written("{{ page.x }}/a") is None


# -- headings -----------------------------------------------------------------------------


def test_heading_rename_renumbers_the_repeats(tmp_path: Path) -> None:
    team = page("Team", "/team/", "## Who\n\n## Who\n\n[first](#who) [second](#who-1)\n")
    root = make_site(tmp_path, {"team.md": team,
                                "a.md": page("A", "/a/", "[1](/team/#who) [2](/team/#who-1) [3](team.md#who-1)\n")})
    plan = plan_heading_rename(refs_of(root), "team.md", team, 5, "Where")
    assert plan.refusals == []
    assert sorted(edits(plan)) == [
        ("a.md", 5, 5, "/team/#who", "/team/#where"), ("a.md", 5, 21, "/team/#who-1", "/team/#who"),
        ("a.md", 5, 39, "team.md#who-1", "team.md#who"),
        ("team.md", 5, 4, "Who", "Where"),
        ("team.md", 9, 9, "#who", "#where"), ("team.md", 9, 24, "#who-1", "#who"),
    ]


def test_heading_rename_keeps_an_explicit_id(tmp_path: Path) -> None:
    team = page("Team", "/team/", "## Who {#people}\n")
    root = make_site(tmp_path, {"team.md": team, "a.md": page("A", "/a/", "[1](/team/#people)\n")})
    plan = plan_heading_rename(refs_of(root), "team.md", team, 5, "Staff")
    assert edits(plan) == [("team.md", 5, 4, "Who", "Staff")]


# -- naislint move ---------------------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=60).stdout


def _commit_all(root: Path) -> None:
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-qm", "site")


def _naislint(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "naislint", *args], cwd=root, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_move_command_git_mv_edits_and_report(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", SITE)
    _commit_all(root)
    done = _naislint(root, "move", "about/team.md", "people/team.md", "--permalink", "/people/")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:3] == [
        "moved about/team.md -> people/team.md (git mv)",
        "URL of about/team.md: /about/team.html -> /people/",
        "updated 9 links in 3 files",
    ]
    status = _git(root, "status", "--porcelain").splitlines()
    # The move is staged (git mv); the moved page's new permalink and the links are not.
    assert sorted(status) == [" M _data/navigation.yml", " M index.md", " M news/index.md",
                              "RM about/team.md -> people/team.md"]
    assert "permalink: /people/\n" in (root / "people" / "team.md").read_text()
    check = _naislint(root, "check", "--no-cache", "--format", "json", ".")
    assert [d["rule"] for d in json.loads(check.stdout)] == []


def test_move_command_refuses_and_writes_nothing(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {**SITE, "people/team.md": page("Other", "/other/", "x\n")})
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    done = _naislint(root, "move", "about/team.md", "people/team.md")
    assert done.returncode == 1
    assert "people/team.md already exists" in done.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_move_command_dry_run_and_usage_errors(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", SITE)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    done = _naislint(root, "move", "--dry-run", "about/team.md", "people/team.md")
    assert done.returncode == 0 and done.stdout.startswith("would move about/team.md -> people/team.md\n")
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    into = _naislint(root, "move", "--dry-run", "about/team.md", "news")
    assert into.returncode == 0 and into.stdout.startswith("would move about/team.md -> news/team.md\n")
    assert _naislint(root, "move", "missing.md", "x.md").returncode == 2
    assert _naislint(root, "move", "index.md", "../outside.md").returncode == 2
