"""The warm process: a run it serves is the run naislint would do in its own process.

Every test starts a real warm process (``python -m naislint.warm.server``) with its socket
in the test's own private folder, drives it through the real ``naislint`` command, and
stops it at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from naislint.warm import place

pytestmark = pytest.mark.slow

PAGE = "---\ntitle: \n---\n# Title\n\nSee [missing](/nowhere/) and <font color=red>old</font>.\n\n1. one\n3. three\n"


#: Each test's runtime folder, kept short: a socket's path holds at most 104 to 108 bytes,
#: which pytest's own temporary folders come close to.
_RUNTIMES: dict[Path, Path] = {}


@pytest.fixture(autouse=True)
def _remove_runtime_folders():
    yield
    for folder in _RUNTIMES.values():
        shutil.rmtree(folder, ignore_errors=True)
    _RUNTIMES.clear()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    if tmp_path not in _RUNTIMES:
        _RUNTIMES[tmp_path] = Path(tempfile.mkdtemp(prefix="nlw-", dir="/tmp"))  # mode 0700
    runtime = _RUNTIMES[tmp_path]
    env = {k: v for k, v in os.environ.items() if k not in ("PRE_COMMIT", "CI", "NAISLINT_DAEMON")}
    env.update({"XDG_RUNTIME_DIR": str(runtime), "NAISLINT_DAEMON_IDLE": "60", "NO_COLOR": "1"})
    env.update(extra)
    return env


def _naislint(args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "naislint", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, input=stdin, timeout=120)


def _status(env: dict[str, str]) -> dict | None:
    from naislint.warm.client import status

    return status(env)


def _wait_for(env: dict[str, str], runs: int | None = None, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _status(env)
        if found is not None and (runs is None or found.get("runs") == runs):
            return found
        time.sleep(0.1)
    raise AssertionError(f"no warm process answered within {timeout} s")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "_data").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Test\n", encoding="utf-8")
    (root / "index.md").write_text(PAGE, encoding="utf-8")
    (root / "other page.md").write_text("---\ntitle: Other\n---\nSee [home](/) and [gone](gone.md).\n", encoding="utf-8")
    return root


@pytest.fixture
def warm(tmp_path: Path):
    """The environment of a run with a warm process on; the process is stopped after."""
    env = _env(tmp_path, NAISLINT_DAEMON="on")
    yield env
    subprocess.run([sys.executable, "-m", "naislint", "daemon", "stop"], env=env, capture_output=True, timeout=60)


def test_a_served_run_prints_and_exits_as_a_run_in_its_own_process(site: Path, warm: dict[str, str], tmp_path: Path) -> None:
    """The first run starts the warm process; later ones are served by it, and each prints
    the same report, to the same streams, with the same exit code as ``NAISLINT_DAEMON=off``."""
    off = _env(tmp_path, NAISLINT_DAEMON="off")
    first = _naislint(["check", "--no-cache", "index.md"], warm, site)
    _wait_for(warm, runs=0)
    cases = [
        ["check", "--no-cache", "index.md"],
        ["check", "--no-cache", "--format", "json", "."],
        ["check", "--no-cache", "--statistics", "."],
        ["check", "--no-cache", "-q", "other page.md"],
        ["check", "--no-cache", "--format", "bogus", "."],  # a usage error, from click
        ["check", "--no-cache", "--select", "list-numbering", "index.md"],
    ]
    for served, args in enumerate(cases, start=1):
        expected = _naislint(args, off, site)
        got = _naislint(args, warm, site)
        assert (got.returncode, got.stdout, got.stderr) == (expected.returncode, expected.stdout, expected.stderr), args
        assert _status(warm)["runs"] == served  # served by the warm process, not run here
    assert first.returncode == 1 and "broken-link" in first.stdout
    json_report = json.loads(_naislint(["check", "--no-cache", "--format", "json", "."], warm, site).stdout)
    assert {d["rule"] for d in json_report} >= {"broken-link", "front-matter-empty"}


def test_standard_input_the_folder_and_fixes_are_the_clients(site: Path, warm: dict[str, str]) -> None:
    """The copy reads the client's standard input, resolves paths from the client's folder
    and writes fixes there (as the client's user, with its umask)."""
    _naislint(["check", "--no-cache", "index.md"], warm, site)
    _wait_for(warm, runs=0)
    text = "# Title\n\nA line with trailing&nbsp;space.\n"
    piped = _naislint(["check", "--no-cache", "--format", "json", "-", "--stdin-filename", "piped.md"], warm, site,
                      stdin=text)
    assert _status(warm)["runs"] == 1
    assert json.loads(piped.stdout) and all(d["path"].endswith("piped.md") for d in json.loads(piped.stdout))
    original = "---\ntitle: Fix\n---\nThe **resilie****nce** of it.\n"
    (site / "warm.md").write_text(original, encoding="utf-8")
    (site / "own.md").write_text(original, encoding="utf-8")
    fixed = _naislint(["check", "--no-cache", "--fix", "warm.md"], warm, site)
    assert _status(warm)["runs"] == 2
    own = _naislint(["check", "--no-cache", "--fix", "own.md"], {**warm, "NAISLINT_DAEMON": "off"}, site)
    assert fixed.returncode == own.returncode
    assert (site / "warm.md").read_text(encoding="utf-8") == (site / "own.md").read_text(encoding="utf-8") != original
    assert (site / "warm.md").stat().st_mode == (site / "own.md").stat().st_mode


def test_a_change_to_what_it_imported_retires_it(site: Path, tmp_path: Path) -> None:
    """A file added to a folder on its import path makes the warm process stale: the next
    run is done in its own process, and a new warm process replaces the old one."""
    extra = tmp_path / "extra"
    extra.mkdir()
    env = _env(tmp_path, NAISLINT_DAEMON="on", PYTHONPATH=str(extra))
    try:
        _naislint(["check", "--no-cache", "index.md"], env, site)
        old = _wait_for(env, runs=0)
        _naislint(["check", "--no-cache", "index.md"], env, site)
        assert _status(env)["runs"] == 1
        time.sleep(0.05)
        (extra / "new_plugin.py").write_text("X = 1\n", encoding="utf-8")
        after = _naislint(["check", "--no-cache", "index.md"], env, site)
        assert after.returncode == 1 and "broken-link" in after.stdout
        new = _wait_for(env, runs=0)
        assert new["pid"] != old["pid"]
    finally:
        subprocess.run([sys.executable, "-m", "naislint", "daemon", "stop"], env=env, capture_output=True, timeout=60)


def test_a_run_whose_python_imports_differently_is_declined(site: Path, warm: dict[str, str], tmp_path: Path) -> None:
    _naislint(["check", "--no-cache", "index.md"], warm, site)
    _wait_for(warm, runs=0)
    other = tmp_path / "other-path"
    other.mkdir()
    declined = _naislint(["check", "--no-cache", "index.md"], {**warm, "PYTHONPATH": str(other)}, site)
    assert declined.returncode == 1 and "broken-link" in declined.stdout
    assert _status(warm)["runs"] == 0
    other_locale = "C" if warm.get("LC_ALL") != "C" else "C.UTF-8"
    declined = _naislint(["check", "--no-cache", "index.md"], {**warm, "LC_ALL": other_locale}, site)
    assert declined.returncode == 1 and "broken-link" in declined.stdout
    assert _status(warm)["runs"] == 0
    extra_path = tmp_path / "extra-path"
    extra_path.mkdir()
    code = (f"import sys; sys.path.insert(1, {str(extra_path)!r}); sys.argv = ['naislint', 'check', '--no-cache', "
            f"'index.md']; from naislint.__main__ import main; main()")
    moved = subprocess.run([sys.executable, "-c", code], cwd=site, env=warm, capture_output=True, text=True, timeout=120)
    assert moved.returncode == 1 and "broken-link" in moved.stdout
    assert _status(warm)["runs"] == 0  # another import path: run in its own process
    same = subprocess.run([sys.executable, "-c", code.replace(f"sys.path.insert(1, {str(extra_path)!r}); ", "")],
                          cwd=site, env=warm, capture_output=True, text=True, timeout=120)
    assert same.returncode == 1 and _status(warm)["runs"] == 1  # the same one: served
    utf8 = subprocess.run([sys.executable, "-X", "utf8", "-m", "naislint", "check", "--no-cache", "index.md"], cwd=site,
                          env=warm, capture_output=True, text=True, timeout=120)
    assert utf8.returncode == 1
    assert _status(warm)["runs"] == 1


def test_stop_and_idle_end_it(site: Path, tmp_path: Path) -> None:
    env = _env(tmp_path, NAISLINT_DAEMON="on", NAISLINT_DAEMON_IDLE="1")
    started = subprocess.run([sys.executable, "-m", "naislint", "daemon", "start"], env=env, capture_output=True,
                             text=True, timeout=90)
    assert started.returncode == 0 and started.stdout.startswith("running (pid ")
    socket_file = Path(place.socket_path(env))
    assert socket_file.exists()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _status(env) is not None:
        time.sleep(0.2)
    assert _status(env) is None  # it left after a second without a run (questions are no runs)
    assert not socket_file.exists()
    stopped = subprocess.run([sys.executable, "-m", "naislint", "daemon", "status"], env=env, capture_output=True,
                             text=True, timeout=60)
    assert (stopped.returncode, stopped.stdout) == (1, "not running\n")
    env = _env(tmp_path, NAISLINT_DAEMON="on")
    subprocess.run([sys.executable, "-m", "naislint", "daemon", "start"], env=env, capture_output=True, timeout=90)
    assert _status(env) is not None
    stop = subprocess.run([sys.executable, "-m", "naislint", "daemon", "stop"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert stop.stdout.startswith("stopped (pid ")
    assert _status(env) is None


def test_auto_starts_one_under_pre_commit_only(tmp_path: Path) -> None:
    assert place.should_start({"PRE_COMMIT": "1"})
    assert not place.should_start({"PRE_COMMIT": "1", "CI": "true"})
    assert not place.should_start({})
    assert not place.should_start({"PRE_COMMIT": "1", "NAISLINT_DAEMON": "off"})
    assert place.should_start({"NAISLINT_DAEMON": "on", "CI": "true"})


def test_the_socket_folder_must_be_private_and_this_users(tmp_path: Path) -> None:
    """A folder others can enter, or a symbolic link in its place, is never used: another
    user could put a socket there and be handed this user's runs."""
    runtime = Path(_env(tmp_path)["XDG_RUNTIME_DIR"])  # short: a socket's path is bounded
    env = {"XDG_RUNTIME_DIR": str(runtime)}
    assert place.socket_path(env, create=True) == str(runtime / "naislint" / place.socket_name())
    (runtime / "naislint").chmod(0o755)
    assert place.socket_path(env) is None
    (runtime / "naislint").rmdir()
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    (runtime / "naislint").symlink_to(target)
    assert place.socket_path(env, create=True) is None
    open_runtime = tmp_path / "open"
    open_runtime.mkdir(mode=0o777)
    open_runtime.chmod(0o777)
    fallback = place.private_folder({"XDG_RUNTIME_DIR": str(open_runtime), "TMPDIR": str(tmp_path)}, create=True)
    assert fallback == str(tmp_path / f"naislint-{os.getuid()}")


def test_under_pre_commit_the_first_run_starts_it_and_the_next_is_served(site: Path, tmp_path: Path) -> None:
    """``auto``: the hook's first run starts the warm process, the next one is served."""
    env = _env(tmp_path, PRE_COMMIT="1")
    try:
        first = _naislint(["check", "index.md"], env, site)
        _wait_for(env, runs=0)
        second = _naislint(["check", "index.md"], env, site)
        assert _status(env)["runs"] == 1
        assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    finally:
        subprocess.run([sys.executable, "-m", "naislint", "daemon", "stop"], env=env, capture_output=True, timeout=60)


def test_a_socket_left_by_a_dead_process_is_replaced_and_kill_removes_its_own(site: Path, tmp_path: Path) -> None:
    import signal
    import socket

    env = _env(tmp_path, NAISLINT_DAEMON="on")
    path = place.socket_path(env, create=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)
    dead.close()  # the file stays; nobody answers there
    try:
        first = _naislint(["check", "--no-cache", "index.md"], env, site)
        assert first.returncode == 1 and "broken-link" in first.stdout
        pid = _wait_for(env, runs=0)["pid"]
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and os.path.exists(path):
            time.sleep(0.05)
        assert not os.path.exists(path)
    finally:
        subprocess.run([sys.executable, "-m", "naislint", "daemon", "stop"], env=env, capture_output=True, timeout=60)


WARM_UP_SCRIPT = """
import sys
from naislint.warm.warmup import warm_up
from naislint.registry import rule_infos

warm_up()
modules = sorted({info.module for info in rule_infos().values() if info.module})
print(len(modules), [m for m in modules if m not in sys.modules])
"""


def test_the_warm_state_holds_every_rule_module() -> None:
    """A served run starts from the warm state: a rule its configuration turns on that the
    sample sites do not run (external-link) is imported already, not once per run."""
    done = subprocess.run([sys.executable, "-c", WARM_UP_SCRIPT], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NAISLINT_DAEMON": "off"})
    assert done.returncode == 0, done.stderr
    count, missing = done.stdout.split(" ", 1)
    assert int(count) >= 40
    assert missing.strip() == "[]"
