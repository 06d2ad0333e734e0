"""Speed of naislint against the markdown-it-py parse floor and its peers.

Prints, for one corpus (default: ../shared/corpus, copied to a temporary folder so the
cache can be written): the parse floor with naislint's own parser settings at 1 and 2
processes (timed inside this process, and as a command that also pays for starting
Python, importing the parser and walking the folder, as naislint's command does); naislint cold (--no-cache) at 1 and 2 jobs; warm (nothing changed); after one
changed page (whole run, and the pre-commit case of linting that page alone); and
markdownlint-cli2 and rumdl when they are on PATH. Each figure is the best of --repeat
runs; peak memory is the largest resident set of the process tree during the run.

    python bench/speed.py [CORPUS] [--repeat 3] [--site isomerpages__mse]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def markdown_files(root: Path) -> list[Path]:
    skip = {"_site", ".git", "node_modules", "vendor", ".naislint_cache"}
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and not d.startswith("."))
        out.extend(Path(dirpath) / f for f in sorted(filenames) if f.endswith((".md", ".markdown")))
    return out


def _parse_one(path: Path) -> int:
    from naislint.page.markdown import parser

    text = path.read_bytes().decode("utf-8", errors="replace")
    return len(parser().parse(text))


def parse_floor(files: list[Path], processes: int) -> float:
    start = time.perf_counter()
    if processes == 1:
        for f in files:
            _parse_one(f)
    else:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pool.map(_parse_one, files, chunksize=16)
    return time.perf_counter() - start


FLOOR_COMMAND = """
import multiprocessing, sys
sys.path.insert(0, {bench!r})
from speed import _parse_one, markdown_files
from pathlib import Path
files = markdown_files(Path({corpus!r}))
if {processes} == 1:
    for f in files:
        _parse_one(f)
else:
    with multiprocessing.get_context("fork").Pool({processes}) as pool:
        pool.map(_parse_one, files, chunksize=16)
"""


def floor_command(corpus: Path, processes: int) -> list[str]:
    """The parse floor as a command, paying what a naislint command pays besides the
    rules: interpreter start, imports, walking the folder, reading the files."""
    code = FLOOR_COMMAND.format(bench=str(Path(__file__).parent), corpus=str(corpus), processes=processes)
    return [sys.executable, "-c", code]


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants, from /proc."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as handle:
                todo.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return total


#: Commands run as a user's would: with byte-code caching on (some sandboxes turn it off,
#: which makes every run compile naislint's modules again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall time and peak tree RSS (KiB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    proc.wait()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    return elapsed, peak


def best(cmd: list[str], repeat: int, before=None, cwd: Path | None = None) -> tuple[float, int]:
    results = []
    for _ in range(repeat):
        if before:
            before()
        results.append(timed(cmd, cwd))
    return min(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--site", default="isomerpages__mse", help="site (sub-folder) for the warm and one-change figures")
    args = ap.parse_args()
    source = Path(args.corpus).resolve()
    if not source.is_dir():
        sys.exit(f"no corpus at {source}")
    naislint = [sys.executable, "-m", "naislint", "check", "-q", "--fail-on", "never"]
    with tempfile.TemporaryDirectory(prefix="naislint-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(source, corpus, symlinks=True)
        for path in corpus.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        files = markdown_files(corpus)
        size = sum(f.stat().st_size for f in files)
        site = corpus / args.site if (corpus / args.site).is_dir() else corpus
        site_files = markdown_files(site)
        changed = max(site_files, key=lambda f: f.stat().st_size // 50 if "pages" in f.parts else 0)
        print(f"corpus: {source} ({len(files)} markdown files, {size / 2**20:.1f} MiB); repeat {args.repeat}")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
        rows: list[tuple[str, float, int | None]] = []
        import compileall

        compileall.compile_dir(str(REPO / "src"), quiet=1)
        floor1 = min(parse_floor(files, 1) for _ in range(args.repeat))
        floor2 = min(parse_floor(files, 2) for _ in range(args.repeat))
        rows.append(("parse floor, 1 process (in-process)", floor1, None))
        rows.append(("parse floor, 2 processes (in-process)", floor2, None))
        command1 = best(floor_command(corpus, 1), args.repeat)
        rows.append(("parse floor as a command, 1 process", *command1))
        command2 = best(floor_command(corpus, 2), args.repeat)
        rows.append(("parse floor as a command, 2 processes", *command2))

        def clear_cache() -> None:
            for c in corpus.rglob(".naislint_cache"):
                shutil.rmtree(c, ignore_errors=True)

        cold1 = best(naislint + ["--no-cache", "-j", "1", str(corpus)], args.repeat)
        rows.append(("naislint cold, 1 job", *cold1))
        cold2 = best(naislint + ["--no-cache", "-j", "2", str(corpus)], args.repeat)
        rows.append(("naislint cold, 2 jobs", *cold2))
        clear_cache()
        subprocess.run(naislint + [str(corpus)], stdout=subprocess.DEVNULL, check=False, env=ENV)
        warm = best(naislint + [str(corpus)], args.repeat)
        rows.append(("naislint warm, whole corpus", *warm))
        subprocess.run(naislint + [str(site)], stdout=subprocess.DEVNULL, check=False, env=ENV)
        warm_site = best(naislint + [str(site)], args.repeat)
        rows.append((f"naislint warm, {site.name}", *warm_site))
        counter = [0]

        def touch() -> None:
            counter[0] += 1
            with open(changed, "a", encoding="utf-8") as handle:
                handle.write(f"\nEdited paragraph {counter[0]}.\n")

        one_site = best(naislint + [str(site)], args.repeat, before=touch)
        rows.append((f"naislint, {site.name}, one page changed", *one_site))
        one_file = best(naislint + [str(changed)], args.repeat, before=touch)
        rows.append(("naislint, the changed page alone (pre-commit)", *one_file))
        peers: list[tuple[str, float]] = []
        for name, cmd in (("markdownlint-cli2", ["markdownlint-cli2", "**/*.md"]), ("rumdl", ["rumdl", "check", "."])):
            if shutil.which(cmd[0]):
                peer = best(cmd, args.repeat, cwd=corpus)
                rows.append((f"{name} (default rules)", *peer))
                peers.append((name, peer[0]))
            else:
                print(f"({name} not on PATH: skipped)")
        print(f"\n{'what':<52} {'seconds':>8} {'x floor(2p)':>11} {'peak MiB':>9}")
        for name, seconds, peak in rows:
            mem = f"{peak / 1024:9.0f}" if peak else f"{'':>9}"
            print(f"{name:<52} {seconds:8.3f} {seconds / floor2:11.2f} {mem}")
        print(f"\ncold 2 jobs / parse floor 2 processes: {cold2[0] / floor2:.2f}x in-process, "
              f"{cold2[0] / command2[0]:.2f}x as a command")
        print(f"warm / cold (2 jobs): {warm[0] / cold2[0]:.1%}")
        for name, seconds in peers:
            print(f"{name} / naislint cold (2 jobs): {seconds / cold2[0]:.1f}x")


if __name__ == "__main__":
    main()
