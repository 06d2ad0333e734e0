#!/usr/bin/env python3
"""Coverage-guided fuzzing of page reading: bytes -> Document -> every shared analysis.

Run: ``python fuzz/fuzz_document.py -max_total_time=600 fuzz/corpus-document`` (see
fuzz/README.md). A crash is any exception other than the ``UnreadableFile`` a bad file
is meant to give, or a position outside the page.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["naislint", "markdown_it", "mdit_py_plugins", "yaml"]):
    from naislint.page import frontmatter, html
    from naislint.page.document import Document, UnreadableFile


def test_one_input(data: bytes) -> None:
    try:
        doc = Document.from_bytes(data, "fuzz.md")
    except UnreadableFile:
        return
    text = doc.text
    fm = doc.front_matter
    if fm is not None:
        lines = doc.index.line_count
        if fm.error is not None:
            assert 1 <= fm.error.line <= lines, (fm.error, lines)
        for entry in fm.entries.values():
            assert 1 <= entry.key_span.line <= entry.value_span.end_line <= lines, entry
    doc.tokens
    prose = doc.prose
    assert len(prose) == len(text)
    for tag in html.page_tags(doc):
        assert 0 <= tag.start <= tag.end <= len(text), tag
    # Front matter parsing on its own, with the fence added, reaches the YAML paths faster.
    frontmatter.parse("---\n" + text + "\n---\n")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
