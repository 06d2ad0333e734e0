"""Does naislint stay linear? Times for growing inputs, printed as a curve.

    python bench/scaling.py [--steps 4] [--base 1]

For each shape (a long page, a long list, a page full of links, a site with many
pages) the input doubles at every step, up to a 1 MiB page, 10,000 items, 50,000 links
and 10,000 pages with the defaults (``--scale 2`` reaches 20,000 pages); the last column,
time per unit of input, should stay flat. Runs the engine in-process with every default rule, no cache, one job.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

PARAGRAPH = (
    "The council runs **community gardens** and [recycling drives](/recycling/) across "
    "the town; residents can&nbsp;apply <b>online</b> or at any service centre.\n\n"
)


def long_page(root: Path, n: int) -> int:
    """About n KiB of mixed prose, HTML and lists in one page."""
    unit = PARAGRAPH + "<div class=\"row\"><p>Block of HTML</p></div>\n\n1. one\n2. two\n\n"
    text = "---\ntitle: Long\npermalink: /long/\n---\n" + unit * (n * 1024 // len(unit))
    (root / "long.md").write_text(text)
    return n


def long_list(root: Path, n: int) -> int:
    """A list of n items."""
    items = "".join(f"{i}. Item number {i} of the list\n" for i in range(1, n + 1))
    (root / "list.md").write_text("---\ntitle: List\npermalink: /list/\n---\n" + items)
    return n


def many_links(root: Path, n: int) -> int:
    """A page with n links, half to pages of the site, half broken."""
    (root / "pages").mkdir(exist_ok=True)
    for i in range(50):
        (root / "pages" / f"t{i}.md").write_text(f"---\ntitle: T{i}\npermalink: /t{i}/\n---\n## Part {i}\n")
    links = "".join(f"[link {i}](/t{i % 100}/#part-{i % 50}) " for i in range(n))
    (root / "links.md").write_text("---\ntitle: Links\npermalink: /links/\n---\n" + links + "\n")
    return n


def many_pages(root: Path, n: int) -> int:
    """A site of n small pages linking to each other."""
    (root / "pages").mkdir(exist_ok=True)
    count = n
    for i in range(count):
        (root / "pages" / f"p{i}.md").write_text(
            f"---\ntitle: Page {i}\npermalink: /p{i}/\n---\n## Section {i}\n\nSee [next](/p{(i + 1) % count}/).\n"
        )
    return count


#: name, unit, maker, size of the first step
SHAPES: list[tuple[str, str, Callable[[Path, int], int], int]] = [
    ("page size", "KiB", long_page, 128),
    ("list items", "item", long_list, 1250),
    ("links on a page", "link", many_links, 6250),
    ("pages in a site", "page", many_pages, 1250),
]


WORDS = ["grant", "garden", "recycling", "notice", "tender", "report", "school", "transport", "water", "energy",
         "housing", "health", "library", "parks", "budget", "permit", "careers", "events", "media", "contact"]


def slug(i: int) -> str:
    return f"{WORDS[i % 20]}-{WORDS[(i // 20) % 20]}-{WORDS[(i // 400) % 20]}-{i}"


def typo(i: int) -> str:
    """The URL of page ``i`` as a broken link writes it: in the wrong folder, with one
    letter of its name dropped (neither a sibling nor the same name elsewhere is close,
    so "did you mean" searches the whole site)."""
    name = slug(i)
    return f"/section-{(i + 1) % 30}/{name[:3]}{name[4:]}/"


def broken_link_site(root: Path, pages: int, broken: int) -> None:
    """A site of ``pages`` pages in 30 folders, the first ``broken`` of them with a link
    to a page whose URL has one letter wrong (a typo "did you mean" should correct)."""
    for i in range(pages):
        folder = root / f"section-{i % 30}"
        folder.mkdir(exist_ok=True)
        other = (i * 7919 + 1) % pages
        target = typo(other) if i < broken else f"/section-{other % 30}/{slug(other)}/"
        (folder / f"{slug(i)}.md").write_text(
            f"---\ntitle: Page {i}\npermalink: /section-{i % 30}/{slug(i)}/\n---\nSee [the page]({target}).\n"
        )


def broken_links_curve(pages: int, steps: int, whole_site: bool) -> None:
    """Time per broken link as broken links double on one large site: "did you mean"
    asked of the site index (in-process), and with ``whole_site`` a cold lint of the site
    with one broken link per page."""
    from naislint.site import urls
    from naislint.site.index import SiteIndex

    index = SiteIndex("/nonexistent-site")
    for i in range(pages):
        url = f"/section-{i % 30}/{slug(i)}/"
        rel = f"section-{i % 30}/{slug(i)}.md"
        index.pages[rel] = url
        index._register(urls.key(url), rel)
    print(f"{'broken links x site size':<26} {'links':>7} {'seconds':>9} {'ms per link':>12}")
    broken = 1000
    for _ in range(steps):
        wrong = [typo(i) for i in range(0, pages, max(1, pages // broken))][:broken]
        fresh = SiteIndex("/nonexistent-site")
        fresh.__dict__.update({k: v for k, v in index.__dict__.items() if not k.startswith("_s") and k != "_matchers"})
        start = time.perf_counter()
        found = sum(1 for url in wrong if fresh.suggest(url))
        seconds = time.perf_counter() - start
        print(f"suggestions, {pages:,} pages {len(wrong):>10,} {seconds:9.3f} {seconds / len(wrong) * 1000:12.4f}"
              f"  ({found:,} found)")
        broken *= 2
    if whole_site:
        from naislint.run.engine import Linter, RunOptions

        folder = Path(tempfile.mkdtemp(prefix="naislint-scale-"))
        try:
            (folder / "_config.yml").write_text("title: scale\npermalink: none\n")
            broken_link_site(folder, pages, pages)
            linter = Linter(RunOptions(use_cache=False))
            targets = linter.discover([str(folder)])
            start = time.perf_counter()
            result = linter.run(targets)
            seconds = time.perf_counter() - start
            count = sum(1 for d in result.diagnostics if d.rule == "broken-link")
            print(f"cold lint, {pages:,} pages, one broken link each ({count:,} reported): {seconds:.1f} s")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size by this")
    ap.add_argument("--only", help="one shape: page, list, links, site or broken")
    ap.add_argument("--pages", type=int, default=30000, help="site size of the broken links curve")
    ap.add_argument("--whole-site", action="store_true",
                    help="broken links: also lint the whole site cold, one broken link per page")
    args = ap.parse_args()
    if args.only in (None, "broken"):
        broken_links_curve(args.pages, 5, args.whole_site)
        if args.only == "broken":
            return
    from naislint.run.engine import Linter, RunOptions

    print(f"{'shape':<18} {'size':>10} {'seconds':>9} {'ms per unit':>12}")
    for name, unit, make, first in SHAPES:
        if args.only and args.only not in name:
            continue
        for step in range(args.steps):
            n = max(1, int(first * args.scale)) * 2**step
            folder = Path(tempfile.mkdtemp(prefix="naislint-scale-"))
            try:
                (folder / "_config.yml").write_text("title: scale\npermalink: none\n")
                units = make(folder, n)
                linter = Linter(RunOptions(use_cache=False, jobs=1))
                targets = linter.discover([str(folder)])
                start = time.perf_counter()
                linter.run(targets)
                seconds = time.perf_counter() - start
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            print(f"{name:<18} {units:>7,} {unit:<4}{seconds:7.3f} {seconds / units * 1000:12.4f}")
        print()


if __name__ == "__main__":
    main()
