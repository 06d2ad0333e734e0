"""The pre-commit hook, with the real ``pre-commit``, as a user installs it.

The hook repository is a committed copy of this checkout's files (pre-commit clones a
repository at a commit, so uncommitted work would otherwise be invisible), the hook's
environment is built by pre-commit with pip, and a throwaway git repository holding a small
site is committed to: a bad page must stop the commit, a good one must not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PRE_COMMIT = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    PRE_COMMIT is None or shutil.which("git") is None, reason="needs git and pre-commit (the test extra)"
)]


def _env(tmp: Path) -> dict[str, str]:
    """The environment for git and pre-commit: no user git config, a private pre-commit home.

    Everything else (PATH, pip's settings and cache) is kept, so the hook's environment is
    built with pip as the user's own pre-commit would build it.
    """
    empty = tmp / "empty.gitconfig"
    empty.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PRE_COMMIT"}
    env.update(
        PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
        GIT_CONFIG_GLOBAL=str(empty),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.invalid",
        NO_COLOR="1",
    )
    return env


def _git(cwd: Path, env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def _hook_repo(dest: Path, env: dict[str, str]) -> str:
    """Commit this checkout's tracked and new (not ignored) files into ``dest``; return the sha."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        src = REPO / name
        if not os.path.lexists(src):
            continue  # deleted in the working tree
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), target)
        else:
            shutil.copy2(src, target)
    _git(dest, env, "init", "-q")
    _git(dest, env, "add", "-A")
    _git(dest, env, "commit", "-q", "--no-verify", "-m", "hook repository")
    return _git(dest, env, "rev-parse", "HEAD").stdout.strip()


ABOUT = "---\ntitle: About\npermalink: /about/\ndescription: Who we are.\n---\n## Who we are\n\nText.\n"
# The good page links to a page that is committed already and not part of this commit:
# it resolves only because the hook indexes the whole site, not just the named files.
GOOD = ("---\ntitle: Green plan\npermalink: /green/\ndescription: Our plan.\n---\n## The plan\n\n"
        "See [who we are](/about/#who-we-are).\n")
BAD = "---\ntitle: Green plan\ntitle: Blue plan\npermalink: /blue/\n---\nSee [nothing](/nowhere/).\n"


def test_hook_fails_a_bad_page_and_passes_a_good_one(tmp_path: Path) -> None:
    env = _env(tmp_path)
    hooks = tmp_path / "naislint-hooks"
    sha = _hook_repo(hooks, env)

    site_repo = tmp_path / "site-repo"
    (site_repo / "site" / "pages").mkdir(parents=True)
    (site_repo / "site" / "_config.yml").write_text("title: Test site\nexclude: [README.md]\n")
    (site_repo / "site" / "pages" / "about.md").write_text(ABOUT)
    (site_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks.as_posix()}\n    rev: {sha}\n    hooks:\n      - id: naislint\n"
    )
    _git(site_repo, env, "init", "-q")
    _git(site_repo, env, "add", "-A")
    _git(site_repo, env, "commit", "-q", "--no-verify", "-m", "site")
    installed = subprocess.run([PRE_COMMIT, "install"], cwd=site_repo, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    bad = site_repo / "site" / "pages" / "bad.md"
    bad.write_text(BAD)
    _git(site_repo, env, "add", "-A")
    refused = _git(site_repo, env, "commit", "-m", "a bad page", check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "front-matter-duplicate-key" in output, output
    assert "site/pages/bad.md:3:1" in output, output
    assert "broken-link" in output and "site/pages/bad.md:6:" in output, output

    bad.write_text(GOOD)
    (site_repo / "site" / "README.md").write_text("# Not a page: _config.yml excludes it\n")
    _git(site_repo, env, "add", "-A")
    accepted = _git(site_repo, env, "commit", "-m", "a good page", check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "naislint" in accepted.stdout + accepted.stderr  # the hook ran, and passed


def test_hook_definition_matches_the_cli() -> None:
    """The hook's entry is a command this package installs, for markdown and YAML files
    (the site's data files: the navbar, the footer, collection.yml, _config.yml)."""
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "naislint"
    assert hook["entry"] == "naislint check"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["markdown", "yaml"]
    assert "types" not in hook
    assert hook.get("pass_filenames", True) is True


def test_named_files_skip_what_the_site_skips(tmp_path: Path) -> None:
    """The hook names files; those Jekyll does not build are not linted (as in a folder walk)."""
    import json

    from click.testing import CliRunner

    from naislint.cli import main

    (tmp_path / "_config.yml").write_text("exclude: [README.md, drafts]\n")
    for name in ("README.md", "drafts/a.md", ".github/b.md", "_site/c.md", "vendor/bundle/d.md", "pages/e.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("No front matter.\n")
    names = ["README.md", "drafts/a.md", ".github/b.md", "_site/c.md", "vendor/bundle/d.md", "pages/e.md"]
    old = os.getcwd()
    try:
        os.chdir(tmp_path)
        named = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", *names])
        walked = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "."])
    finally:
        os.chdir(old)
    assert {d["path"] for d in json.loads(named.stdout)} == {"pages/e.md"}
    assert json.loads(named.stdout) == json.loads(walked.stdout)


def test_hook_reports_pages_a_commit_breaks_elsewhere(tmp_path: Path) -> None:
    """The hook is given the staged files; pages that link to what the commit moves or
    deletes are not among them, yet their broken links must stop the commit."""
    import re

    import moved_pages

    env = _env(tmp_path)
    sha = _hook_repo(tmp_path / "naislint-hooks", env)
    site_repo = tmp_path / "site-repo"
    moved_pages.write(site_repo, moved_pages.BEFORE)
    (site_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {(tmp_path / 'naislint-hooks').as_posix()}\n    rev: {sha}\n    hooks:\n"
        "      - id: naislint\n        args: [--select, 'broken-link,broken-anchor', --quiet]\n"
    )
    _git(site_repo, env, "init", "-q")
    _git(site_repo, env, "add", "-A")
    _git(site_repo, env, "commit", "-q", "--no-verify", "-m", "site")
    installed = subprocess.run([PRE_COMMIT, "install"], cwd=site_repo, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    moved_pages.change(site_repo)
    _git(site_repo, env, "add", "-A")
    refused = _git(site_repo, env, "commit", "-m", "move pages", check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    found = {(m.group(1), int(m.group(2))) for m in re.finditer(r"^(site/[\w/.-]+\.md):(\d+):\d+:", output, re.M)}
    assert found == moved_pages.BROKEN, output


NAVIGATION = "links:\n  - title: About\n    url: /about/\n"


def test_hook_blocks_a_commit_that_breaks_a_navbar_link(tmp_path: Path) -> None:
    """The navbar (``_data/navigation.yml``) is the site's most visible link: a commit that
    breaks one of its links is stopped, whether it edits the navbar or moves the page."""
    env = _env(tmp_path)
    sha = _hook_repo(tmp_path / "naislint-hooks", env)
    site_repo = tmp_path / "site-repo"
    (site_repo / "site" / "pages").mkdir(parents=True)
    (site_repo / "site" / "_data").mkdir()
    (site_repo / "site" / "_config.yml").write_text("title: Test site\n")
    (site_repo / "site" / "pages" / "about.md").write_text(ABOUT)
    (site_repo / "site" / "_data" / "navigation.yml").write_text(NAVIGATION)
    (site_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {(tmp_path / 'naislint-hooks').as_posix()}\n    rev: {sha}\n    hooks:\n"
        "      - id: naislint\n        args: [--select, broken-link]\n"
    )
    _git(site_repo, env, "init", "-q")
    _git(site_repo, env, "add", "-A")
    _git(site_repo, env, "commit", "-q", "--no-verify", "-m", "site")
    installed = subprocess.run([PRE_COMMIT, "install"], cwd=site_repo, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    # The navbar edited: its link now goes nowhere.
    nav = site_repo / "site" / "_data" / "navigation.yml"
    nav.write_text(NAVIGATION.replace("/about/", "/abuot/"))
    _git(site_repo, env, "add", "-A")
    refused = _git(site_repo, env, "commit", "-m", "navbar typo", check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "site/_data/navigation.yml:3:10: NL301 broken-link url '/abuot/'" in output, output
    nav.write_text(NAVIGATION)
    _git(site_repo, env, "add", "-A")

    # The page moved: only about.md is staged, yet the navbar's link to it broke.
    (site_repo / "site" / "pages" / "about.md").write_text(ABOUT.replace("/about/", "/about-us/"))
    _git(site_repo, env, "add", "-A")
    refused = _git(site_repo, env, "commit", "-m", "move about", check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "site/_data/navigation.yml:3:10: NL301 broken-link url '/about/'" in output, output

    nav.write_text(NAVIGATION.replace("/about/", "/about-us/"))
    _git(site_repo, env, "add", "-A")
    accepted = _git(site_repo, env, "commit", "-m", "move about, navbar too", check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
