"""Count diagnostics per site and per rule on the real-site corpus.

    python tools/corpus_counts.py [CORPUS] [--write tests/corpus_snapshot.json]

Prints a table (rules as rows, sites as columns). With ``--write`` it records the counts
as the snapshot that ``tests/test_corpus.py`` compares against: update it on purpose,
with the reason in the commit message, when a rule change moves a count.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def site_folders(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if (p / "_config.yml").is_file())


def count(corpus: Path, jobs: int | None = None) -> tuple[dict[str, dict[str, int]], list[str]]:
    """{site: {rule: count}} and the internal errors met on the way."""
    from naislint.run.engine import Linter, RunOptions

    counts: dict[str, dict[str, int]] = {}
    errors: list[str] = []
    for site in site_folders(corpus):
        linter = Linter(RunOptions(use_cache=False, jobs=jobs))
        result = linter.run(linter.discover([str(site)]))
        counts[site.name] = dict(sorted(Counter(d.rule for d in result.diagnostics).items()))
        errors.extend(result.internal_errors)
    return counts, errors


def table(counts: dict[str, dict[str, int]]) -> str:
    sites = list(counts)
    rules = sorted({r for c in counts.values() for r in c})
    short = [s.replace("isomerpages__", "")[:12] for s in sites]
    lines = [f"{'rule':<28}" + "".join(f"{s:>13}" for s in short) + f"{'total':>8}"]
    for rule in rules:
        row = [counts[s].get(rule, 0) for s in sites]
        lines.append(f"{rule:<28}" + "".join(f"{n:>13}" for n in row) + f"{sum(row):>8}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--write", metavar="FILE", help="write the counts as a JSON snapshot")
    args = ap.parse_args()
    counts, errors = count(Path(args.corpus))
    print(table(counts))
    for error in errors:
        print(f"internal error: {error}", file=sys.stderr)
    if args.write:
        Path(args.write).write_text(json.dumps(counts, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"snapshot written to {args.write}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
