#!/usr/bin/env python3
"""Coverage-guided fuzzing of the HTML tokenizer: every tag and attribute lies inside the
fragment, in order, tokenizing never raises, and the scanner gives exactly the tags the
standard library's parser gives (where this Python's parser is the one it mirrors; the
parser, driven for offsets, is the tests' oracle in tests/html_parser_oracle.py).

Run: ``python fuzz/fuzz_html.py -max_total_time=600 fuzz/corpus-html`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

with atheris.instrument_imports(include=["naislint", "html", "_markupbase"]):
    from html_parser_oracle import parse, parser_is_mirrored
    from naislint.page.html import _complete_prefix, tokenize
    from naislint.page.html_scan import scan

MIRRORED = parser_is_mirrored()


def test_one_input(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    base = 7
    tags = tokenize(text, base)
    last = base
    for tag in tags:
        assert base <= tag.start <= tag.end <= base + len(text), (tag, len(text))
        assert tag.start >= last or tag.kind == "end", (tag, last)
        last = tag.start
        for attr in tag.attrs:
            assert tag.start <= attr.start <= attr.end <= tag.end, (attr, tag)
            assert attr.start <= attr.value_start <= attr.value_end <= attr.end, (attr, tag)
    if MIRRORED:
        cut = _complete_prefix(text)
        assert tags == parse(text, cut, base, True, 0), text
        # an unfinished construct at the end: the parser's recovery, not the cut, decides
        assert scan(text, len(text), base, True, 0) == parse(text, len(text), base, True, 0), text


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
