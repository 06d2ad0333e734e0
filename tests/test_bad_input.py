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
from hostile import CASES, FRONT, PAYLOAD_MODULE, Case
from naislint import engine, html
from naislint.cli import main
from naislint.engine import Linter, RunOptions

HANG_GUARD_SECONDS = 300
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


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_survives(case: Case, tmp_path: Path, payload_env: Path) -> None:
    paths = case.build(tmp_path)
    started = time.perf_counter()
    with hang_guard():
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


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_engine_survives_every_analysis(case: Case, tmp_path: Path, payload_env: Path) -> None:
    if case.name == "just-under-limit":
        pytest.skip("linted through the CLI already; twice would double the suite's slowest 20 s")
    paths = case.build(tmp_path)
    linter = Linter(RunOptions(keep_documents=True, jobs=1, use_cache=False))
    started = time.perf_counter()
    with hang_guard():
        items = []
        for target in linter.discover(map(str, paths)):
            file_result = linter.lint_target(target)
            items.extend(d.to_json() for d in file_result.diagnostics)
            doc = file_result.document
            if doc is None:
                continue
            # What the rules share, forced even when no enabled rule asks for it.
            doc.front_matter, doc.tokens, doc.tree, doc.prose  # noqa: B018
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
