"""How much of a lint the site index costs: build time against a full lint of a site.

Usage: python bench/site_index.py [SITE]   (default: ../shared/corpus/isomerpages__mse)

Prints the index build time (best of 3), the time to lint the whole site (default rules,
index included, one process) and their ratio. The design target is a ratio under 1/3.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> int:
    default = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "isomerpages__mse"
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    if not (site / "_config.yml").is_file():
        print(f"no site at {site} (a folder with _config.yml)", file=sys.stderr)
        return 2
    from naislint.run.engine import lint_paths
    from naislint.site.index import SiteIndex

    SiteIndex.build(str(site))  # warm imports and the OS file cache
    builds = []
    for _ in range(3):
        start = time.perf_counter()
        index = SiteIndex.build(str(site))
        builds.append(time.perf_counter() - start)
    build = min(builds)
    start = time.perf_counter()
    result = lint_paths([str(site)])
    lint = time.perf_counter() - start
    print(f"site: {site.name}: {len(index.pages)} pages, {len(index.files)} static files")
    print(f"index build (best of 3): {build:.3f} s")
    print(f"full lint ({len(result.files)} files, {len(result.diagnostics)} diagnostics): {lint:.3f} s")
    ratio = build / lint if lint else float("inf")
    print(f"index / lint: {ratio:.2f} ({'under' if ratio < 1 / 3 else 'OVER'} the 1/3 target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
