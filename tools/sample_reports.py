"""Print a reproducible random sample of diagnostics with their source lines, for review.

    python tools/sample_reports.py RULE [--n 20] [--seed 1] [CORPUS]

The review of each rule's precision in docs/real-sites.md was made from these samples
(the seed is given there), so anyone can look at the same reports again.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rule")
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--context", type=int, default=1, help="lines shown around the reported line")
    args = ap.parse_intermixed_args()  # the corpus may follow the options
    from naislint.run.engine import Linter, RunOptions

    linter = Linter(RunOptions(use_cache=False, extend_select=(args.rule,)))
    result = linter.run(linter.discover([args.corpus]))
    found = [d for d in result.diagnostics if d.rule == args.rule or d.code == args.rule]
    sample = random.Random(args.seed).sample(found, min(args.n, len(found)))
    print(f"{len(found)} reports of {args.rule}; {len(sample)} shown (seed {args.seed})\n")
    corpus = Path(args.corpus).resolve()
    for n, d in enumerate(sample, 1):
        path = Path(d.path).resolve()
        shown = path.relative_to(corpus) if corpus in path.parents else path
        print(f"[{n}] {shown}:{d.line}:{d.column}: {d.message}")
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        except OSError:
            lines = []
        for i in range(max(0, d.line - 1 - args.context), min(len(lines), d.line + args.context)):
            mark = ">>" if i == d.line - 1 else "  "
            print(f"   {mark} {i + 1:>4} | {lines[i][:160]}")
        print()


if __name__ == "__main__":
    sys.exit(main())
