"""Caches that cannot lie: what a cache serves is what linting the files now would give.

Edits a stat check cannot see, files that could not be read, caches committed to the
repository, and cache folders or files that are symbolic links.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from cli_in import run as cli
from naislint.run import cache as cache_mod
from naislint.store import stamps as stamps_mod
from naislint.run.engine import Linter, RunOptions
from naislint.site.index import SiteIndex

CACHE = ".naislint_cache"


def make_site(root: Path) -> None:
    """``a.md`` links to a heading of ``b.md`` and to ``c.md``; all resolve."""
    (root / "_config.yml").write_text("title: t\npermalink: none\n")
    (root / "a.md").write_text("---\ntitle: A\npermalink: /a/\n---\n## Heading A\n\nSee [b](/b/#part) and [c](/c/).\n")
    (root / "b.md").write_text("---\ntitle: B\npermalink: /b/\n---\n## Part\n\nText.\n")
    (root / "c.md").write_text("---\ntitle: C\npermalink: /c/\n---\nText.\n")


def lint(root: Path, use_cache: bool = True) -> list[tuple[str, str, int, int]]:
    linter = Linter(RunOptions(use_cache=use_cache, jobs=1))
    result = linter.run(linter.discover([str(root)]))
    assert result.internal_errors == []
    return [(Path(d.path).name, d.rule, d.line, d.column) for d in result.diagnostics]


def edit_keeping_stamp(path: Path, old: str, new: str) -> None:
    """A same-size edit whose modification time is put back, as ``cp -p``, ``rsync -a``
    or ``touch -r`` leave it."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def entries_taken_later(root: Path, seconds: int = 60) -> None:
    """Make every entry look taken ``seconds`` after it was: as if the files had last
    changed long before the run that cached them, so that a stat check alone may vouch
    for them."""
    shift = seconds * 1_000_000_000
    for path in (root / CACHE).glob("*.json"):
        data = json.loads(path.read_text())
        for entry in (data.get("files") or {}).values():
            if isinstance(entry, dict) and isinstance(entry.get("at"), int):
                entry["at"] += shift
            elif isinstance(entry, list) and len(entry) == 7:
                entry[4] += shift
        path.write_text(json.dumps(data))


# -- edits the stat stamp does not show --------------------------------------------------


@pytest.mark.parametrize("aged", [False, True], ids=["just-written", "old-cache"])
def test_same_size_edit_with_its_mtime_put_back_is_not_served_stale(tmp_path: Path, aged: bool) -> None:
    make_site(tmp_path)
    assert lint(tmp_path) == []
    if aged:
        entries_taken_later(tmp_path)
    # Another page's heading changes (the facts cache), and this page's own link (the
    # results cache), each keeping size and modification time.
    edit_keeping_stamp(tmp_path / "b.md", "## Part", "## Trap")
    edit_keeping_stamp(tmp_path / "a.md", "[c](/c/)", "[c](/x/)")
    expected = [("a.md", "broken-anchor", 7, 9), ("a.md", "broken-link", 7, 27)]
    assert lint(tmp_path, use_cache=False) == expected
    assert lint(tmp_path) == expected


def count_digests(monkeypatch) -> list[int]:
    calls: list[int] = []
    original = cache_mod.content_hash

    def counting(raw: bytes) -> str:
        calls.append(1)
        return original(raw)

    # The results cache and the site facts cache both digest files.
    monkeypatch.setattr(cache_mod, "content_hash", counting)
    monkeypatch.setattr(stamps_mod, "content_hash", counting)
    return calls


def test_an_old_entry_with_the_same_stamp_is_trusted_without_reading(tmp_path: Path, monkeypatch) -> None:
    make_site(tmp_path)
    lint(tmp_path)
    entries_taken_later(tmp_path)
    loads: list[int] = []
    original = Linter.load
    monkeypatch.setattr(Linter, "load", lambda self, *a, **k: loads.append(1) or original(self, *a, **k))
    digests = count_digests(monkeypatch)
    assert lint(tmp_path) == []
    assert loads == [] and digests == []


def test_an_entry_taken_within_the_timestamp_granularity_is_checked_by_content(tmp_path: Path, monkeypatch) -> None:
    make_site(tmp_path)
    lint(tmp_path)
    digests = count_digests(monkeypatch)
    loads: list[int] = []
    original = Linter.load
    monkeypatch.setattr(Linter, "load", lambda self, *a, **k: loads.append(1) or original(self, *a, **k))
    assert lint(tmp_path) == []
    # The pages were written just before the first run: each is read and its digest
    # compared (four results: three pages and the site's _config.yml, a data file linted
    # in every run; three index facts), but none is linted again.
    assert loads == [] and len(digests) == 7


# -- files that could not be read -----------------------------------------------------------


def make_faq_site(root: Path) -> None:
    (root / "_config.yml").write_text("title: t\npermalink: none\n")
    (root / "index.md").write_text("---\ntitle: Home\npermalink: /\n---\nRead the [FAQ](/faq/).\n")
    (root / "faq.md").write_text("---\ntitle: FAQ\npermalink: /faq/\n---\n## Questions\n")


def test_facts_of_a_file_that_could_not_be_read_are_not_kept(tmp_path: Path, monkeypatch) -> None:
    from naislint.page import safeopen

    make_faq_site(tmp_path)
    real_read_head = safeopen.read_head

    def refusing(path, *args, **kwargs):
        if str(path).endswith("faq.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_head(path, *args, **kwargs)

    # Nothing about the file changes, not even its change time: only reading it fails.
    monkeypatch.setattr(safeopen, "read_head", refusing)
    blind = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert "faq.md" not in blind.pages
    monkeypatch.undo()
    seen = SiteIndex.build(str(tmp_path), cache_dir=str(tmp_path))
    assert seen.pages["faq.md"] == "/faq/" and seen.anchors["faq.md"] == ["questions"]
    assert seen.fingerprint != blind.fingerprint
    assert seen.fingerprint == SiteIndex.build(str(tmp_path)).fingerprint


NOBODY = 65534


@pytest.fixture
def shared_dir(tmp_path: Path):
    """A folder an unprivileged user may use (as root, pytest's own folders are not)."""
    if os.geteuid() != 0:
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="naislint-caches-"))
    folder.chmod(0o755)
    os.chown(folder, NOBODY, NOBODY)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def as_unprivileged(function, *args):
    """``function(*args)`` (JSON-able result) run as a user file permissions apply to:
    root reads a ``chmod 000`` file, so as root it runs in a child as nobody."""
    if os.geteuid() != 0:
        return function(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        code = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            payload = json.dumps(function(*args)).encode()
            while payload:
                payload = payload[os.write(write_end, payload):]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    chunks = []
    deadline = time.monotonic() + 60
    import select

    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], 1.0)
            if ready:
                chunk = os.read(read_end, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        else:
            os.kill(pid, 9)
    finally:
        os.close(read_end)
        _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the unprivileged run failed"
    return [tuple(x) for x in json.loads(b"".join(chunks))]


def lint_folder(root: str) -> list:
    return lint(Path(root))


def test_a_page_that_was_unreadable_is_linted_once_it_can_be_read(shared_dir: Path) -> None:
    site = shared_dir / "site"
    site.mkdir()
    make_faq_site(site)
    if os.geteuid() == 0:
        for path in [site, *site.iterdir()]:
            os.chown(path, NOBODY, NOBODY)
    faq = site / "faq.md"
    faq.chmod(0)
    try:
        first = as_unprivileged(lint_folder, str(site))
        assert ("faq.md", "unreadable-file", 1, 1) in first
    finally:
        faq.chmod(0o644)
    assert as_unprivileged(lint_folder, str(site)) == []


# -- caches that came with the repository ---------------------------------------------------


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=root, check=True, capture_output=True, timeout=30,
    )


@pytest.fixture
def no_proxy(monkeypatch):
    """The command line reads proxies from the environment: requests stay on 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


def external_messages(output: str) -> list[tuple[str, int, int, str]]:
    return [
        (Path(d["path"]).name, d["line"], d["column"], d["message"])
        for d in json.loads(output)
        if d["rule"] == "external-link"
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_committed_external_link_cache_is_ignored_with_a_warning(tmp_path: Path, no_proxy) -> None:
    from external_server import LinkServer
    from naislint.external.cache import CACHE_FILE

    with LinkServer() as server:
        dead = server.url("/missing")
        (tmp_path / "_config.yml").write_text("title: t\n")
        (tmp_path / "page.md").write_text(f"---\ntitle: P\n---\nSee [this]({dead}).\n")
        planted = {
            "version": 1,
            "entries": {
                dead: {"status": 200, "reason": "OK, trust me", "final_url": None, "error": None,
                       "anchors": None, "body_read": False, "checked_at": time.time()},
            },
        }
        (tmp_path / CACHE).mkdir()
        (tmp_path / CACHE / CACHE_FILE).write_text(json.dumps(planted))
        git(tmp_path, "init", "-q")
        # Untracked (as a previous run leaves it): the cache is used, so the entry above
        # is one the checker would serve.
        trusted = cli(tmp_path, "check", "--external", "--external-allow-private", "--format", "json", ".")
        assert external_messages(trusted.stdout) == [] and server.total == 0
        assert "running without the cache" not in trusted.stderr

        (tmp_path / CACHE / CACHE_FILE).write_text(json.dumps(planted))
        git(tmp_path, "add", "-f", ".")
        git(tmp_path, "commit", "-qm", "site")
        result = cli(tmp_path, "check", "--external", "--external-allow-private", "--format", "json", ".")
        [(name, line, column, message)] = external_messages(result.stdout)
        assert (name, line, column) == ("page.md", 4, 12)
        assert message.startswith(f"{dead} answers 404 Not Found")
        assert "trust me" not in result.stdout and server.total > 0
        warnings = [line for line in result.stderr.splitlines() if "git tracks the cache folder" in line]
        assert len(warnings) == 1 and warnings[0].endswith("running without the cache")
        assert json.loads((tmp_path / CACHE / CACHE_FILE).read_text()) == planted  # nor written

        # Removed from the index but still in the commit checked out: the same.
        git(tmp_path, "rm", "-q", "-r", "--cached", CACHE)
        again = cli(tmp_path, "check", "--external", "--external-allow-private", "--format", "json", ".")
        assert external_messages(again.stdout) == external_messages(result.stdout)
        assert "git tracks the cache folder" in again.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_results_and_facts_caches_in_a_tracked_folder_are_not_used(tmp_path: Path) -> None:
    make_site(tmp_path)
    (tmp_path / "a.md").write_text((tmp_path / "a.md").read_text().replace("/c/", "/x/"))
    expected = [("a.md", "broken-link", 7, 27)]
    assert lint(tmp_path) == expected
    # The committed cache says the page is clean (its digest still matches the page).
    [results] = (tmp_path / CACHE).glob("results-*.json")
    data = json.loads(results.read_text())
    for entry in data["files"].values():
        entry["diagnostics"] = []
    results.write_text(json.dumps(data))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-f", ".")
    git(tmp_path, "commit", "-qm", "site")
    before = {p.name: p.read_bytes() for p in (tmp_path / CACHE).iterdir()}
    assert lint(tmp_path) == expected
    assert {p.name: p.read_bytes() for p in (tmp_path / CACHE).iterdir()} == before  # nor written


# -- symbolic links ---------------------------------------------------------------------------


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(tmp_path: Path, capsys) -> None:
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    site.mkdir()
    elsewhere.mkdir()
    make_site(site)
    (site / CACHE).symlink_to(elsewhere, target_is_directory=True)
    (site / "b.md").write_text((site / "b.md").read_text().replace("## Part", "## Trap"))
    expected = [("a.md", "broken-anchor", 7, 9)]
    assert lint(site) == expected
    assert lint(site) == expected
    assert list(elsewhere.iterdir()) == []
    warnings = [line for line in capsys.readouterr().err.splitlines() if "is a symbolic link" in line]
    assert len(warnings) == 1 and "running without the cache" in warnings[0]


def test_links_inside_the_cache_folder_are_replaced_not_followed(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    site.mkdir()
    outside.mkdir()
    make_site(site)
    lint(site)
    (site / CACHE / ".gitignore").unlink()
    (site / CACHE / ".gitignore").symlink_to(outside / "created-by-a-link")
    victim = outside / "victim.json"
    victim.write_text("keep me")
    results = next((site / CACHE).glob("results-*.json"))
    results.unlink()
    results.symlink_to(victim)
    facts = site / CACHE / "site-facts.json"
    facts.unlink()
    facts.symlink_to(outside / "facts-through-a-link")
    (site / "c.md").write_text((site / "c.md").read_text() + "More.\n")  # something to store
    assert lint(site) == []
    assert sorted(p.name for p in outside.iterdir()) == ["victim.json"]
    assert victim.read_text() == "keep me"
    for path in (site / CACHE / ".gitignore", results, facts):
        assert path.is_file() and not path.is_symlink()
    assert (site / CACHE / ".gitignore").read_text() == "# Created by naislint\n*\n"
    assert lint(site) == []


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_cache_git_cannot_vouch_for_is_not_used(tmp_path: Path, monkeypatch, capsys) -> None:
    make_site(tmp_path)
    (tmp_path / "a.md").write_text((tmp_path / "a.md").read_text().replace("/c/", "/x/"))
    git(tmp_path, "init", "-q")
    expected = [("a.md", "broken-link", 7, 27)]
    assert lint(tmp_path) == expected
    before = {p.name: p.read_bytes() for p in (tmp_path / CACHE).iterdir()}
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # inside a work tree, but git cannot be run
    loads: list[int] = []
    original = Linter.load
    monkeypatch.setattr(Linter, "load", lambda self, *a, **k: loads.append(1) or original(self, *a, **k))
    assert lint(tmp_path) == expected
    assert loads == [1, 1, 1, 1]  # every page (and the site's _config.yml) linted afresh
    assert {p.name: p.read_bytes() for p in (tmp_path / CACHE).iterdir()} == before
    assert "cannot ask git whether it tracks the cache folder" in capsys.readouterr().err


def test_the_code_fingerprint_covers_the_shipped_schemas_and_rule_docs() -> None:
    """A schema edited in a checkout (where ``naislint/data/`` links to the top-level
    ``schemas/`` and ``rules/``) drops the cached results and retires a warm process: the
    package's files, which both are stamped from, include them."""
    import os

    from naislint.resources import data_dir
    from naislint.store.stamps import package_files

    files = {os.path.realpath(p) for p in package_files()}
    for name in ("schemas", "rules"):
        shipped = {os.path.realpath(p) for p in data_dir(name).iterdir() if p.is_file()}
        assert shipped and shipped <= files, name
