"""Hostile input never crashes naislint, never hangs it, and positions stay right.

Every case of ``tests/hostile.py`` runs through the real CLI (click's runner, with
exceptions not caught, so a traceback fails the test) and through the engine with every
analysis the rules share forced (tokens, tree, prose, HTML tags). Exit codes are 0 or 1,
the JSON output follows the contract, and what the case expects is reported. The time of
each run is recorded, not asserted: run with ``-s`` to see the table (or
``python bench/hostile_inputs.py``). A hang guard turns a run over five minutes into a
failure instead of a stuck CI job.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from contract import check_item, file_lines
from hostile import CASES, FRONT, OUTSIDE_SECRET, PAYLOAD_MODULE, Case
from naislint.run import engine
from naislint.page import html
from naislint.cli import main
from naislint.run.engine import Linter, RunOptions

HANG_GUARD_SECONDS = 300
#: What a run that used to hang (a pipe, /dev/stdin) is given before it counts as hung.
SUBPROCESS_TIMEOUT = 60
TIMINGS: dict[tuple[str, str], float] = {}


@pytest.fixture(scope="module", autouse=True)
def _timing_table() -> Iterator[None]:
    yield
    if TIMINGS:
        print("\n\nhostile input                  cli (s)  engine (s)")
        for case in CASES:
            cli = TIMINGS.get((case.name, "cli"))
            eng = TIMINGS.get((case.name, "engine"))
            fmt = lambda v: f"{v:8.2f}" if v is not None else "       -"  # noqa: E731
            print(f"{case.name:28} {fmt(cli)}  {fmt(eng)}")


@contextmanager
def hang_guard(seconds: int = HANG_GUARD_SECONDS) -> Iterator[None]:
    """Fail (not hang) when a run takes longer than ``seconds``; POSIX main thread only."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):  # noqa: ANN001
        raise TimeoutError(f"run did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def payload_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The payload module importable and its marker path set; yields the marker."""
    marker = tmp_path / "payload-marker"
    monkeypatch.setenv("NAISLINT_PAYLOAD_MARKER", str(marker))
    monkeypatch.syspath_prepend(str(tmp_path / "payload"))
    monkeypatch.delitem(sys.modules, PAYLOAD_MODULE, raising=False)
    return marker


def _assert_payload_inert(marker: Path) -> None:
    for suffix in ("", ".ran", ".system"):
        assert not Path(f"{marker}{suffix}").exists(), f"front matter ran code: {marker}{suffix} exists"
    assert PAYLOAD_MODULE not in sys.modules, "front matter imported a module named in a YAML tag"


def _files_under(paths: list[Path]) -> dict[str, Path]:
    """Every file a run over ``paths`` may report, keyed by absolute path."""
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            for sub in path.rglob("*"):
                found[os.path.abspath(sub)] = sub
        else:
            found[os.path.abspath(path)] = path
    return found


def _lines_of(path: Path) -> list[str] | None:
    try:
        return file_lines(path.read_bytes()) if path.is_file() and not path.is_fifo() else None
    except OSError:
        return None


def _check_expectations(case: Case, items: list[dict]) -> None:
    rules = {d["rule"] for d in items}
    expect = case.expect
    if expect.only is not None:
        assert rules == set(expect.only), items
    assert set(expect.rules) <= rules, items
    for rule, line, column in expect.positions:
        assert (rule, line, column) in [(d["rule"], d["line"], d["column"]) for d in items], items
    if expect.readable:
        assert "unreadable-file" not in rules, items


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_survives(case: Case, tmp_path: Path, payload_env: Path) -> None:
    paths = case.build(tmp_path)
    started = time.perf_counter()
    with hang_guard(SUBPROCESS_TIMEOUT if case.hang_prone else HANG_GUARD_SECONDS):
        result = CliRunner().invoke(
            main, ["check", "--format", "json", "--no-cache", *map(str, paths)], catch_exceptions=False
        )
    TIMINGS[(case.name, "cli")] = time.perf_counter() - started
    assert result.exit_code in (0, 1), result.output
    items = json.loads(result.stdout)
    files = _files_under(paths)
    lines: dict[str, list[str] | None] = {}
    for item in items:
        key = os.path.abspath(item["path"])
        if key not in lines:
            source = files.get(key)
            lines[key] = _lines_of(source) if source is not None else None
        check_item(item, lines[key])
    _check_expectations(case, items)
    _assert_payload_inert(payload_env)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_engine_survives_every_analysis(case: Case, tmp_path: Path, payload_env: Path) -> None:
    if case.name == "just-under-limit":
        pytest.skip("linted through the CLI already; twice would double the suite's slowest 20 s")
    paths = case.build(tmp_path)
    linter = Linter(RunOptions(keep_documents=True, jobs=1, use_cache=False))
    started = time.perf_counter()
    with hang_guard(SUBPROCESS_TIMEOUT if case.hang_prone else HANG_GUARD_SECONDS):
        items = []
        for target in linter.discover(map(str, paths)):
            file_result = linter.lint_target(target)
            items.extend(d.to_json() for d in file_result.diagnostics)
            doc = file_result.document
            if doc is None:
                continue
            # What the rules share, forced even when no enabled rule asks for it.
            doc.front_matter, doc.tokens, doc.prose  # noqa: B018
            html.page_tags(doc)
            if hasattr(html, "structure"):
                html.structure(doc)
    TIMINGS[(case.name, "engine")] = time.perf_counter() - started
    assert linter.internal_errors == []
    _check_expectations(case, items)
    _assert_payload_inert(payload_env)


def test_python_tags_are_inert_in_a_real_process(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "python-tags")
    paths = case.build(tmp_path)
    marker = tmp_path / "payload-marker"
    env = {**os.environ, "NAISLINT_PAYLOAD_MARKER": str(marker),
           "PYTHONPATH": os.pathsep.join([str(tmp_path / "payload"), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-m", "naislint", "check", "--format", "json", "--no-cache", *map(str, paths)],
                         capture_output=True, text=True, env=env, timeout=HANG_GUARD_SECONDS)
    assert out.returncode == 1, out.stderr
    assert [d["rule"] for d in json.loads(out.stdout)] == ["front-matter-syntax"]
    for suffix in ("", ".ran", ".system"):
        assert not Path(f"{marker}{suffix}").exists()


# -- files that vanish or cannot be read -----------------------------------------------

DROP_FILE_PERMISSION_OVERRIDE = r"""
import ctypes, sys
# Root reads any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH); drop both so that a
# chmod 000 file is as unreadable for this process as for an ordinary user.
libc = ctypes.CDLL(None, use_errno=True)
class Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
class Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]
header = Header(0x20080522, 0)
data = (Data * 2)()
if libc.capget(ctypes.byref(header), data) != 0:
    sys.exit(77)
keep = ~((1 << 1) | (1 << 2)) & 0xFFFFFFFF
data[0].effective &= keep
data[0].permitted &= keep
data[0].inheritable &= keep
if libc.capset(ctypes.byref(header), data) != 0:
    sys.exit(77)
try:
    open(sys.argv[1], "rb").close()
except PermissionError:
    pass
else:
    sys.exit(77)
sys.argv = ["naislint"] + sys.argv[2:]
from naislint.cli import main
main()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="drops Linux capabilities to test as root too")
def test_file_without_read_permission(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(FRONT + "Text\n")
    other = tmp_path / "other.md"
    other.write_text("---\ntitle: x\ndescription: ''\n---\n")
    (tmp_path / ".naislint.yml").write_text("preset: jekyll\n")  # Jekyll pages: front matter rules apply
    secret.chmod(0)
    try:
        out = subprocess.run(
            [sys.executable, "-c", DROP_FILE_PERMISSION_OVERRIDE, str(secret),
             "check", "--format", "json", "--no-cache", str(tmp_path)],
            capture_output=True, text=True, timeout=HANG_GUARD_SECONDS,
        )
    finally:
        secret.chmod(0o644)
    if out.returncode == 77:
        pytest.skip("this process can neither drop CAP_DAC_OVERRIDE nor be refused a chmod 000 file")
    assert out.returncode == 1, out.stderr
    found = {(Path(d["path"]).name, d["rule"], d["message"]) for d in json.loads(out.stdout)}
    assert ("secret.md", "unreadable-file", "file cannot be read: permission denied") in found
    assert any(name == "other.md" and rule == "front-matter-empty" for name, rule, _ in found)


@pytest.mark.parametrize("use_cache", [False, True])
def test_file_deleted_between_discovery_and_reading_engine(tmp_path: Path, use_cache: bool) -> None:
    (tmp_path / "a.md").write_text(FRONT + "A\n")
    (tmp_path / "b.md").write_text(FRONT + "B\n")
    linter = Linter(RunOptions(jobs=1, use_cache=use_cache, cache_dir=str(tmp_path / "cache")))
    if use_cache:  # a warm cache entry for the file about to vanish
        linter.run(linter.discover([str(tmp_path)]))
        linter = Linter(RunOptions(jobs=1, use_cache=True, cache_dir=str(tmp_path / "cache")))
    targets = linter.discover([str(tmp_path)])
    (tmp_path / "a.md").unlink()
    result = linter.run(targets)
    assert [(Path(d.path).name, d.rule, d.message) for d in result.diagnostics] == [
        ("a.md", "unreadable-file", "file disappeared before it could be read")
    ]
    assert linter.internal_errors == []


def test_file_deleted_between_discovery_and_reading_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.md").write_text(FRONT + "A\n")
    (tmp_path / "b.md").write_text(FRONT + "B\n")
    discover = engine.Linter.discover

    def discover_then_delete(self, paths):  # noqa: ANN001
        targets = discover(self, paths)
        (tmp_path / "a.md").unlink()
        return targets

    monkeypatch.setattr(engine.Linter, "discover", discover_then_delete)
    result = CliRunner().invoke(main, ["check", "--format", "json", "--no-cache", str(tmp_path)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert [(Path(d["path"]).name, d["rule"]) for d in json.loads(result.stdout)] == [("a.md", "unreadable-file")]


def test_missing_path_and_folder_named_md(tmp_path: Path) -> None:
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "folder.md" / "inner.md").write_text(FRONT + "Inner\n")
    result = CliRunner().invoke(
        main, ["check", "--format", "json", "--no-cache", str(tmp_path / "missing.md"), str(tmp_path / "folder.md")],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert [(Path(d["path"]).name, d["rule"]) for d in json.loads(result.stdout)] == [("missing.md", "unreadable-file")]


def test_max_file_size_boundary(tmp_path: Path) -> None:
    """A file of exactly max-file-size bytes is linted; one byte more is reported."""
    (tmp_path / ".naislint.yml").write_text("max-file-size: 4096\n")
    body = FRONT + "x" * (4096 - len(FRONT) - 1) + "\n"
    (tmp_path / "exact.md").write_text(body)
    (tmp_path / "over.md").write_text(body + "y")
    result = CliRunner().invoke(main, ["check", "--format", "json", "--no-cache", str(tmp_path)], catch_exceptions=False)
    found = [(Path(d["path"]).name, d["rule"]) for d in json.loads(result.stdout)]
    assert found == [("over.md", "unreadable-file")]


# -- nothing read or written outside the site; nothing hangs ---------------------------


def run_naislint(*args: str, cwd: Path | None = None, env: dict | None = None,
                 stdin: "int | None" = None) -> subprocess.CompletedProcess:
    """naislint in a real process, its standard input a pipe nobody closes (as a CI
    step's may be), so a read of /dev/stdin or a pipe would block: the timeout fails it."""
    read_end, write_end = os.pipe()
    try:
        return subprocess.run(
            [sys.executable, "-m", "naislint", *args], cwd=cwd, env=env, capture_output=True, text=True,
            stdin=read_end if stdin is None else stdin, timeout=SUBPROCESS_TIMEOUT,
        )
    finally:
        os.close(read_end)
        os.close(write_end)


HANG_PRONE = [c for c in CASES if c.hang_prone]


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
@pytest.mark.parametrize("case", HANG_PRONE, ids=[c.name for c in HANG_PRONE])
def test_hang_prone_case_in_a_subprocess(case: Case, output_format: str, tmp_path: Path) -> None:
    """A pipe (as a page, as an asset the site index opens) or a link to /dev/stdin is
    an unreadable-file diagnostic in every format, with the cache and without, and
    never a hang: the reporters' excerpts open files the way linting does."""
    paths = [str(p) for p in case.build(tmp_path)]
    for extra in (["--no-cache"], ["--cache-dir", str(tmp_path / "cache")], ["--cache-dir", str(tmp_path / "cache")]):
        out = run_naislint("check", "--format", output_format, *extra, *paths)
        assert out.returncode == 1, out.stderr
        assert "Traceback" not in out.stderr
        if output_format == "json":
            _check_expectations(case, json.loads(out.stdout))
        elif output_format == "sarif":
            results = json.loads(out.stdout)["runs"][0]["results"]
            assert [r["ruleId"] for r in results] == ["NL001"], results
        else:
            assert [line.split(": ", 2)[1].split()[:2] for line in out.stdout.splitlines() if ": NL" in line] == [
                ["NL001", "unreadable-file"]
            ], out.stdout


def test_link_out_of_the_site_is_never_read_nor_written(tmp_path: Path) -> None:
    """A page linked to a file outside the site: one unreadable-file naming the link and
    its target, no excerpt of the other file, and --fix leaves that file alone."""
    case = next(c for c in CASES if c.name == "links-out-of-site")
    (site,) = case.build(tmp_path)
    secret = tmp_path / "outside" / "secret.md"
    before = (secret.read_bytes(), secret.stat().st_mtime_ns)
    out = run_naislint("check", "--no-cache", "--fix", "site", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert "hunter2" not in out.stdout + out.stderr and "root:" not in out.stdout
    real_site = os.path.realpath(site)
    problems = [line for line in out.stdout.splitlines() if ": NL" in line]
    assert problems == [
        f"site/pages/passwd.md:1:1: NL001 unreadable-file site/pages/passwd.md is a symbolic link to /etc/passwd, "
        f"outside {real_site}; not linted",
        f"site/pages/secret.md:1:1: NL001 unreadable-file site/pages/secret.md is a symbolic link to "
        f"../../outside/secret.md ({os.path.realpath(secret)}), outside {real_site}; not linted",
    ]
    assert (secret.read_bytes(), secret.stat().st_mtime_ns) == before
    assert os.path.islink(site / "pages" / "secret.md")


@pytest.mark.slow
def test_page_outside_any_site_stays_in_the_walked_folder_or_its_own(tmp_path: Path) -> None:
    """Without a site, the boundary is the folder the run walked (or, for a file named
    alone, the folder holding it); a link that stays inside is followed."""
    loose = tmp_path / "loose"
    (loose / "sub").mkdir(parents=True)
    (tmp_path / "other.md").write_text(OUTSIDE_SECRET + "\n")
    (loose / "sub" / "real.md").write_text(FRONT + "Text\n")
    os.symlink("../other.md", loose / "out.md")
    os.symlink("sub/real.md", loose / "in.md")
    walked = run_naislint("check", "--no-cache", "--format", "json", "loose", cwd=tmp_path)
    found = [(d["path"], d["rule"], d["message"]) for d in json.loads(walked.stdout)]
    assert found == [(
        "loose/out.md", "unreadable-file",
        f"loose/out.md is a symbolic link to ../other.md ({tmp_path.resolve() / 'other.md'}), "
        f"outside {loose.resolve()}; not linted",
    )], walked.stderr
    named = run_naislint("check", "--no-cache", "--format", "json", "loose/out.md", "loose/in.md", cwd=tmp_path)
    assert [(d["path"], d["rule"]) for d in json.loads(named.stdout)] == [("loose/out.md", "unreadable-file")]
    # Inside the folder walked, but not inside the named file's own folder.
    (loose / "top.md").write_text(FRONT + "Top\n")
    os.symlink("../top.md", loose / "sub" / "up.md")
    again = run_naislint("check", "--no-cache", "--format", "json", "loose", cwd=tmp_path)
    assert [d["path"] for d in json.loads(again.stdout)] == ["loose/out.md"]
    up = run_naislint("check", "--no-cache", "--format", "json", "loose/sub/up.md", cwd=tmp_path)
    assert [(d["path"], d["rule"]) for d in json.loads(up.stdout)] == [("loose/sub/up.md", "unreadable-file")]


def test_site_root_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(FRONT + "[x](/elsewhere/)\n")
    missing = tmp_path / "sitte"
    result = CliRunner().invoke(main, ["check", "--site-root", str(missing), str(page)])
    assert result.exit_code == 2, result.output
    assert "'--site-root'" in result.output and "does not exist" in result.output
    assert not missing.exists()


def test_internal_error_exits_2_with_a_short_message(tmp_path: Path) -> None:
    """A crash is not "problems found" (1): it exits 2, asks for a bug report, and shows
    the traceback only with NAISLINT_DEBUG=1."""
    (tmp_path / "page.md").write_text(FRONT + "Text\n")
    crash = (
        "import sys\n"
        "from naislint.run import engine\n"
        "def boom(self, targets):\n"
        "    raise RuntimeError('boom in the engine')\n"
        "engine.Linter.run = boom\n"
        "sys.argv = ['naislint', 'check', '--no-cache', sys.argv[1]]\n"
        "from naislint.cli import main\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NAISLINT_DEBUG"}
    quiet = subprocess.run([sys.executable, "-c", crash, str(tmp_path)], capture_output=True, text=True,
                           env=env, timeout=SUBPROCESS_TIMEOUT)
    assert quiet.returncode == 2, quiet.stderr
    assert quiet.stderr.splitlines() == [
        "naislint: internal error: RuntimeError: boom in the engine",
        "This is a bug in naislint; please report it with the command you ran and the traceback "
        "(NAISLINT_DEBUG=1 shows it).",
    ]
    loud = subprocess.run([sys.executable, "-c", crash, str(tmp_path)], capture_output=True, text=True,
                          env={**env, "NAISLINT_DEBUG": "1"}, timeout=SUBPROCESS_TIMEOUT)
    assert loud.returncode == 2
    assert "Traceback (most recent call last)" in loud.stderr and "boom in the engine" in loud.stderr


def test_reader_that_goes_away_is_not_an_internal_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``naislint check | head -1``: a closed pipe (EPIPE) stays click's quiet exit 1, not
    an internal error asking for a bug report."""
    import errno

    (tmp_path / "page.md").write_text(FRONT + "Text\n")

    def closed_pipe(self, targets):  # noqa: ANN001
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr(engine.Linter, "run", closed_pipe)
    result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output


def _wait_until_blocked_reading(proc: subprocess.Popen) -> None:
    """Wait (at most the subprocess timeout) until the process sleeps in a pipe read."""
    deadline = time.monotonic() + SUBPROCESS_TIMEOUT
    wchan = Path(f"/proc/{proc.pid}/wchan")
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if "pipe" in wchan.read_text():
                return
        except OSError:
            time.sleep(3)  # no /proc: give the interpreter time to start
            return
        time.sleep(0.05)


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_exits_130(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "naislint", "check", "-", "--no-cache"], stdin=read_end,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
        try:
            _wait_until_blocked_reading(proc)
            proc.send_signal(signal.SIGINT)
            _out, err = proc.communicate(timeout=SUBPROCESS_TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    finally:
        os.close(read_end)
        os.close(write_end)
    assert proc.returncode == 130, err
    assert err.strip() == "naislint: interrupted"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_during_fix_leaves_no_temporary_files(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "pages").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n")
    # An Isomer site: target-blank (whose fix is interrupted here) is off on a plain Jekyll site.
    (site / ".naislint.yml").write_text("preset: isomer\n")
    body = FRONT + "".join(f'Line {i} <a href="https://example.com/{i}" target="_blank">x</a>\n\n' for i in range(300))
    pages = [site / "pages" / f"p{n:03}.md" for n in range(300)]
    for page in pages:
        page.write_text(body)
    proc = subprocess.Popen([sys.executable, "-m", "naislint", "check", "--fix", "-j", "1", "-q", "."], cwd=site,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + SUBPROCESS_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None and pages[0].read_text() == body:
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=SUBPROCESS_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert pages[0].read_text() != body and pages[-1].read_text() == body, "interrupted after the first fix"
    left = [os.path.join(d, f) for d, _dirs, files in os.walk(tmp_path) for f in files if f.endswith(".tmp")]
    assert left == []


def test_max_file_size_and_numbers_are_bounded(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(FRONT + "Text\n")
    for text, words in [
        ("max-file-size: 99999999999999999999999\n", "key 'max-file-size': 99999999999999999999999 is greater than the maximum of 1073741824"),
        ("links:\n  timeout: 100000.5\n", "key 'links.timeout': 100000.5 is greater than the maximum of 600"),
        ("links:\n  cache-ttl: 99999999999999999999\n", "key 'links.cache-ttl': 99999999999999999999 is greater than the maximum"),
        ("links:\n  deadline: 100000\n", "key 'links.deadline': 100000 is greater than the maximum of 86400"),
        ("links:\n  timeout: .nan\n", "option 'timeout' of rule 'external-link' must be a number from"),
        ("rules:\n  external-link:\n    max-concurrency: 99999999999999999999\n",
         "option 'max-concurrency' of rule 'external-link' must be a number from"),
    ]:
        (tmp_path / ".naislint.yml").write_text(text)
        result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path / "page.md")])
        assert result.exit_code == 2, (text, result.output)
        assert words in result.output, (text, result.output)


def test_standard_input_obeys_max_file_size(tmp_path: Path) -> None:
    """``check -`` reads at most max-file-size + 1 bytes, reports the input as too big,
    and with --fix gives it back unchanged."""
    (tmp_path / ".naislint.yml").write_text("max-file-size: 1000\n")
    big = tmp_path / "big.input"
    with open(big, "wb") as handle:
        handle.write((FRONT + "x" * 2000 + "\n").encode())
        handle.truncate(50 * 1024 * 1024)
    with open(big, "rb") as stdin:
        out = run_naislint("check", "-", "--stdin-filename", "page.md", "--format", "json", "--no-cache",
                           cwd=tmp_path, stdin=stdin.fileno())
        consumed = os.lseek(stdin.fileno(), 0, os.SEEK_CUR)
    assert out.returncode == 1, out.stderr
    assert [(d["rule"], d["line"], d["column"], d["message"]) for d in json.loads(out.stdout)] == [
        ("unreadable-file", 1, 1, "input is over the max-file-size limit of 1,000 bytes; not linted")
    ]
    assert consumed < 1024 * 1024, f"read {consumed:,} bytes of standard input"
    small = (FRONT + "y" * 1500 + "\n").encode()
    fixed = subprocess.run([sys.executable, "-m", "naislint", "check", "-", "--stdin-filename", "page.md", "--fix",
                            "--no-cache"], cwd=tmp_path, input=small, capture_output=True, timeout=SUBPROCESS_TIMEOUT)
    assert fixed.returncode == 1 and fixed.stdout == small, fixed.stderr


# -- user schemas: regular files inside the site or the config's folder -----------------


def _schema_site(tmp_path: Path, schema: str) -> Path:
    site = tmp_path / "site"
    (site / "pages").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n")
    (site / "pages" / "a.md").write_text(FRONT + "Text\n")
    (site / ".naislint.yml").write_text(f"front-matter:\n  schemas:\n    - files: '**'\n      schema: {schema}\n")
    return site


def _config_error(out: subprocess.CompletedProcess) -> str:
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("naislint: configuration error: "), out.stderr
    return lines[0]


def test_schema_path_of_dev_stdin_is_refused_not_read(tmp_path: Path) -> None:
    site = _schema_site(tmp_path, "/dev/stdin")
    line = _config_error(run_naislint("check", "--no-cache", str(site)))
    assert line.endswith(
        f".naislint.yml:4: key 'front-matter.schemas.0.schema': front matter schema /dev/stdin is outside the site "
        f"and the config's folder ({site}); a schema must be a file inside them"
    )


def test_schema_that_is_a_pipe_is_refused(tmp_path: Path) -> None:
    site = _schema_site(tmp_path, "pipe.json")
    os.mkfifo(site / "pipe.json")
    line = _config_error(run_naislint("check", "--no-cache", str(site)))
    assert line.endswith(f"front matter schema {site / 'pipe.json'} cannot be read: "
                         "not a regular file (a pipe, socket or device); not read")


@pytest.mark.slow
def test_schema_ref_outside_the_site_is_one_configuration_error(tmp_path: Path) -> None:
    site = _schema_site(tmp_path, "s.json")
    for n in range(5):
        (site / "pages" / f"p{n}.md").write_text(FRONT + "Text\n")
    (site / "s.json").write_text(json.dumps({"allOf": [{"$ref": "file:///etc/passwd"}]}))
    line = _config_error(run_naislint("check", "--no-cache", str(site)))
    assert line.endswith(
        f"front matter schema {site / 's.json'}: cannot follow $ref 'file:///etc/passwd': front matter schema "
        f"/etc/passwd is outside the site and the config's folder ({site}); a schema must be a file inside them"
    )
    (site / "s.json").write_text(json.dumps({"$ref": "http://127.0.0.1:9/x.json"}))
    line = _config_error(run_naislint("check", "--no-cache", str(site)))
    assert line.endswith(f"cannot follow $ref 'http://127.0.0.1:9/x.json': only schema files inside {site} can be referenced")
    os.symlink("/etc/passwd", site / "linked.json")
    (site / "s.json").write_text(json.dumps({"$ref": "linked.json"}))
    line = _config_error(run_naislint("check", "--no-cache", str(site)))
    assert "site/linked.json is a symbolic link to /etc/passwd" not in line  # the schema reader's own words:
    assert line.endswith(f"front matter schema {site / 'linked.json'} is outside the site and the config's folder "
                         f"({site}); a schema must be a file inside them")


def test_schema_ref_inside_the_site_still_works(tmp_path: Path) -> None:
    site = _schema_site(tmp_path, "schemas/s.json")
    (site / "schemas").mkdir()
    (site / "schemas" / "s.json").write_text(json.dumps({"allOf": [{"$ref": "isomer-page.schema.json"},
                                                                   {"$ref": "parts.json#/$defs/author"}]}))
    (site / "schemas" / "parts.json").write_text(json.dumps({"$defs": {"author": {"required": ["author"]}}}))
    out = run_naislint("check", "--no-cache", "--format", "json", str(site))
    assert out.returncode == 1, out.stderr
    assert [(d["rule"], d["line"], d["message"]) for d in json.loads(out.stdout)] == [
        ("front-matter-schema", 1, "front matter has no author; a page needs it")
    ]
