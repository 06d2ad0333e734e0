"""Time the three list rules on pages with 10,000-item lists.

Prints, for each page shape, the time to parse the page (the markdown-it floor), to
tokenize its HTML (``html.page_tags``, shared with the HTML rules), and the extra time to
build the logical lists and run duplicate-list-item, list-numbering and pseudo-list over
it. Each figure is the best of --repeat runs.

    python bench/lists.py [--items 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from naislint.page.document import Document
from naislint.page.html import page_tags
from naislint.page.lists import logical_lists
from naislint.rules import duplicate_list_item, list_numbering, pseudo_list


def pages(n: int) -> dict[str, str]:
    """Page shapes that exercise each part of the model: markdown, HTML, paragraphs."""
    return {
        "markdown list, all items distinct": "".join(f"{i}. Item number {i} with **bold** text\n" for i in range(1, n + 1)),
        "markdown list, every item the same": "".join("1. The same item\n" for _ in range(n)),
        "HTML <ul>": "<ul>\n" + "".join(f"<li>Item <b>{i}</b>&nbsp;here</li>\n" for i in range(n)) + "</ul>\n",
        "hand-numbered paragraphs": "".join(f"{i}\\. Paragraph {i}\n\n" for i in range(1, n + 1)),
    }


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _time_tags(text: str) -> float:
    """Time to tokenize a parsed page's HTML (``page_tags`` memoises per document)."""
    doc = Document.from_text(text, "bench.md")
    doc.tokens
    start = time.perf_counter()
    page_tags(doc)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules = (duplicate_list_item.check, list_numbering.check, pseudo_list.check)
    print(f"{'page':36} {'parse':>8} {'html tags':>10} {'lists+rules':>12} {'findings':>9}")
    for name, text in pages(args.items).items():
        parse = best(args.repeat, lambda: Document.from_text(text, "bench.md").tokens)
        tags = min(_time_tags(text) for _ in range(args.repeat))

        def lint() -> int:
            doc = Document.from_text(text, "bench.md")
            doc.tokens  # parsed and HTML tokenized outside the timing below
            page_tags(doc)
            start = time.perf_counter()
            logical_lists(doc)
            found = sum(1 for check in rules for _ in check(doc, None, None))
            lint.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]
            return found

        found = lint()
        elapsed = min((lint(), lint.elapsed)[1] for _ in range(args.repeat))  # type: ignore[attr-defined]
        print(f"{name:36} {parse:7.3f}s {tags:9.3f}s {elapsed:11.3f}s {found:9}")


if __name__ == "__main__":
    main()
