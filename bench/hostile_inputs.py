"""Time naislint on every hostile input of tests/hostile.py, as a real user would run it.

For each case: the real CLI in a fresh process (``python -m naislint check --format json
--no-cache``, start-up included), its exit code and what it reported, and the engine in
this process with every shared analysis forced (tokens, tree, prose, HTML tags and
structure). Prints a table; nothing is asserted (tests/test_bad_input.py does that).

    python bench/hostile_inputs.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hostile import CASES  # noqa: E402


def run_cli(paths: list[Path], folder: Path) -> tuple[float, int, str]:
    env = {**os.environ, "NAISLINT_PAYLOAD_MARKER": str(folder / "payload-marker")}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "naislint", "check", "--format", "json", "--no-cache",
                          *map(str, paths)], capture_output=True, text=True, env=env, timeout=900)
    elapsed = time.perf_counter() - started
    try:
        rules = sorted({d["rule"] for d in json.loads(out.stdout)})
        counts = json.loads(out.stdout)
        summary = ", ".join(f"{r}×{sum(1 for d in counts if d['rule'] == r)}" for r in rules) or "nothing"
    except ValueError:
        summary = "NOT JSON: " + out.stderr.strip().splitlines()[-1][:60] if out.stderr.strip() else "no output"
    return elapsed, out.returncode, summary


def run_engine(paths: list[Path]) -> tuple[float, int]:
    from naislint.page import html
    from naislint.run.engine import Linter, RunOptions

    linter = Linter(RunOptions(keep_documents=True, jobs=1, use_cache=False))
    started = time.perf_counter()
    for target in linter.discover(map(str, paths)):
        doc = linter.lint_target(target).document
        if doc is not None:
            doc.front_matter, doc.tokens, doc.tree, doc.prose  # noqa: B018
            html.page_tags(doc)
            if hasattr(html, "structure"):
                html.structure(doc)
    return time.perf_counter() - started, len(linter.internal_errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="case names")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or c.name in args.only]
    print(f"{'input':24} {'size':>10} {'cli s':>7} {'exit':>4} {'engine s':>8} {'int.err':>7}  reported")
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            paths = case.build(folder)
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
            cli_s, code, summary = run_cli(paths, folder)
            eng_s, errors = run_engine(paths)
        print(f"{case.name:24} {size:>10,} {cli_s:7.2f} {code:>4} {eng_s:8.2f} {errors:>7}  {summary[:70]}", flush=True)


if __name__ == "__main__":
    main()
