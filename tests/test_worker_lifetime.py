"""Worker processes never outlive the run that started them, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process parents from /proc")

#: Enough pages that a two-process run is still going when the workers are first seen.
PAGES = 2500


def make_big_site(root: Path) -> None:
    (root / "_config.yml").write_text("title: t\npermalink: none\n")
    section = "\n".join(f"## Part {k}\n\nSee [next](/p{{nxt}}/#part-{k}) and [up](#part-{k}).\n" for k in range(12))
    for i in range(PAGES):
        body = section.replace("{nxt}", str((i + 1) % PAGES))
        (root / f"p{i:04}.md").write_text(f"---\ntitle: Page {i}\npermalink: /p{i}/\n---\n{body}")


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie nobody reaps, as in a container without an init, is dead)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


#: The command line, run with ``prctl`` out of reach: the workers must then notice alone.
WITHOUT_PRCTL = (
    "import sys, naislint.child_process as p; p._PRCTL = False; from naislint.cli import main; "
    "sys.argv[0] = 'naislint'; main()"
)


@pytest.mark.slow
@pytest.mark.parametrize("prctl", [True, False], ids=["pdeathsig", "without-prctl"])
def test_workers_die_when_the_main_process_is_killed(tmp_path: Path, prctl: bool) -> None:
    make_big_site(tmp_path)
    start = [sys.executable, "-m", "naislint"] if prctl else [sys.executable, "-c", WITHOUT_PRCTL]
    command = [*start, "check", "-j", "2", "--no-cache", "--format", "json", str(tmp_path)]
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and parent.poll() is None:
            workers = children_of(parent.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.01)
        assert len(workers) >= 2, "the run ended before its workers were seen; make the site bigger"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(alive(w) for w in workers):
            time.sleep(0.05)
        assert [w for w in workers if alive(w)] == []
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=10)
        for w in workers:  # a failed run must not leave them behind either
            if alive(w):
                os.kill(w, signal.SIGKILL)
