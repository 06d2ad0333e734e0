"""NL403 markdown-in-html: markdown syntax inside an HTML block, printed literally.

Inside an HTML block (a block that starts with a block-level tag such as ``<div>`` or
``<p>``, up to the next blank line) neither CommonMark nor kramdown reads markdown:
``**bold**`` is printed with its asterisks, ``[text](url)`` as brackets. Text inside
tags (attribute values), comments and ``<script>``/``<style>``/``<pre>``/``<code>`` is
not looked at. Blocks that start with an inline tag (``<span>``, ``<b>``, ``<img>``) are
skipped: kramdown reads those lines as a paragraph, so their markdown works.
"""

from __future__ import annotations

import re
from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.html import VOID_ELEMENTS, INLINE_ELEMENTS, fragment_tags
from naislint.registry import Rule

RAW_CONTENT = frozenset({"script", "style", "pre", "code", "textarea", "kbd", "samp"})

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # bounded: a run longer than 300 characters is not taken for bold (keeps this linear)
    ("bold", re.compile(r"(?<![\w*\\])(\*\*|__)(?=[^\s*_])[^\n]{0,300}?(?<=[^\s*_\\])\1(?![\w*])")),
    ("italic", re.compile(r"(?<![\w*\\])\*(?=[^\s*])[^*\n]{0,300}?(?<=[^\s*\\])\*(?![\w*])")),
    # bounded too: a line of 40,000 unclosed '[' took 40 s unbounded
    ("link", re.compile(r"(?<!\\)!?\[[^\]\n]{1,300}\]\([^)\s]{1,2000}(?:[ \t]+\"[^\"\n]{0,300}\")?\)")),
)
LINE_START_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("list marker", re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+(?=\S)")),
    ("heading marker", re.compile(r"[ \t]*#{1,6}[ \t]+(?=\S)")),
)


def _masked(frag, tags) -> str:
    """The fragment's text with tags, comments and raw-content elements blanked."""
    chars = list(frag.text)
    base = frag.start

    def blank(a: int, b: int) -> None:
        for i in range(max(a - base, 0), min(b - base, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "

    open_raw: dict[str, int] = {}
    for tag in tags:
        blank(tag.start, tag.end)
        if tag.name in RAW_CONTENT:
            if tag.kind == "start":
                open_raw.setdefault(tag.name, tag.end)
            elif tag.kind == "end" and tag.name in open_raw:
                blank(open_raw.pop(tag.name), tag.start)
    for start in open_raw.values():
        blank(start, base + len(chars))
    return "".join(chars)


def check(doc, site, options) -> Iterator[Finding]:
    for frag, tags in fragment_tags(doc):
        if not frag.block or not tags:
            continue
        first = next((t for t in tags if t.kind != "comment"), None)
        if first is None or first.name in INLINE_ELEMENTS or first.name in VOID_ELEMENTS:
            continue
        masked = _masked(frag, tags)
        # Text before the block's first tag on its first line is the container's (a
        # list marker, a blockquote's ``>``), not the block's.
        skip = first.start - frag.start
        masked = " " * skip + masked[skip:] if "\n" not in masked[:skip] else masked
        line_offset = 0
        for line in masked.split("\n"):
            # one finding per line: the leftmost piece of markdown on it
            start = frag.start + line_offset
            found: list[tuple[int, int, str, str]] = []
            for kind, pattern in PATTERNS:
                m = pattern.search(line)
                if m:
                    found.append((start + m.start(), start + m.end(), kind, m.group(0)))
            if line_offset >= skip and line.strip():
                original = frag.text[line_offset : line_offset + len(line)]
                for kind, pattern in LINE_START_PATTERNS:
                    m = pattern.match(original)
                    if m and masked[line_offset : line_offset + m.end()].strip() == original[: m.end()].strip():
                        at = len(original[: m.end()]) - len(original[: m.end()].lstrip())
                        found.append((start + at, start + m.end(), kind, original[at : m.end()].strip()))
                        break
            if found:
                yield _finding(doc, *min(found))
            line_offset += len(line) + 1


def _finding(doc, a: int, b: int, kind: str, text: str) -> Finding:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return Finding(
        doc.span(a, b),
        f"markdown {kind} {shown!r} inside an HTML block is printed literally: use HTML, or leave a blank line around the markdown",
    )


RULE = Rule(
    code="NL403",
    name="markdown-in-html",
    summary="markdown syntax inside an HTML block, where it is output literally",
    check=check,
    default_severity=Severity.WARNING,
)
