"""NL403 markdown-in-html: markdown syntax inside an HTML block, printed literally.

Inside an HTML block (a block that starts with a block-level tag such as ``<div>`` or
``<p>``, up to the next blank line) neither CommonMark nor kramdown reads markdown:
``**bold**`` is printed with its asterisks, ``[text](url)`` as brackets. Text inside
tags (attribute values), comments and ``<script>``/``<style>``/``<pre>``/``<code>`` is
not looked at. Blocks that start with an inline tag (``<span>``, ``<b>``, ``<img>``) are
skipped: kramdown reads those lines as a paragraph, so their markdown works.
"""

from __future__ import annotations

import bisect
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


#: Characters without which a pattern cannot match: most HTML blocks have none of them
#: outside their tags, and skip the pattern.
_TRIGGERS = {"bold": ("**", "__"), "italic": ("*",), "link": ("](",)}
#: The start of a line that can start with a list or heading marker (checked in full by
#: LINE_START_PATTERNS): the first line, and any after a newline (a pattern that starts
#: with a newline is found several times faster than one anchored with ``^``).
_MARKER_FIRST_LINE_RE = re.compile(r"[ \t]*(?:[-+*#]|\d)")
_MARKER_LINE_RE = re.compile(r"\n[ \t]*(?:[-+*#]|\d)")


def _masked(frag, tags) -> str:
    """The fragment's text with tags, comments and raw-content elements blanked."""
    text = frag.text
    base = frag.start
    size = len(text)
    spans: list[tuple[int, int]] = []
    open_raw: dict[str, int] = {}
    for tag in tags:
        spans.append((tag.start - base, tag.end - base))
        if tag.name in RAW_CONTENT:
            if tag.kind == "start":
                open_raw.setdefault(tag.name, tag.end - base)
            elif tag.kind == "end" and tag.name in open_raw:
                spans.append((open_raw.pop(tag.name), tag.start - base))
    spans.extend((start, size) for start in open_raw.values())
    spans.sort()
    pieces: list[str] = []
    cursor = 0
    for a, b in spans:
        a = max(a, cursor, 0)
        b = min(b, size)
        if b <= a:
            continue
        pieces.append(text[cursor:a])
        pieces.append("\n".join(" " * len(part) for part in text[a:b].split("\n")))
        cursor = b
    pieces.append(text[cursor:])
    return "".join(pieces)


def check(doc, site, options) -> Iterator[Finding]:
    for frag, tags in fragment_tags(doc):
        if not frag.block or not tags:
            continue
        first = next((t for t in tags if t.kind != "comment"), None)
        if first is None or first.name in INLINE_ELEMENTS or first.name in VOID_ELEMENTS:
            continue
        for found in _line_findings(frag, tags, first):
            yield _finding(doc, *found)


def _line_findings(frag, tags, first) -> list[tuple[int, int, str, str]]:
    """One finding per line of the fragment: the leftmost piece of markdown on it."""
    text = frag.text
    # Blanking tags only removes characters: a trigger the source lacks is not there.
    patterns = [(kind, p) for kind, p in PATTERNS if any(t in text for t in _TRIGGERS[kind])]
    marker_lines = [0] if _MARKER_FIRST_LINE_RE.match(text) else []
    marker_lines.extend(m.start() + 1 for m in _MARKER_LINE_RE.finditer(text))
    if not patterns and not marker_lines:
        return []
    masked = _masked(frag, tags)
    # Text before the block's first tag on its first line is the container's (a
    # list marker, a blockquote's ``>``), not the block's.
    skip = first.start - frag.start
    masked = " " * skip + masked[skip:] if "\n" not in masked[:skip] else masked
    base = frag.start
    line_starts = [0]
    at = text.find("\n")
    while at != -1:
        line_starts.append(at + 1)
        at = text.find("\n", at + 1)
    found: dict[int, list[tuple[int, int, str, str]]] = {}
    # No pattern matches across a line break, and at a line's ends the text around it
    # looks like a string's ends to the patterns' look-arounds: the first match of each
    # pattern on a line is the first match in the whole text that starts on that line.
    for kind, pattern in patterns:
        if not any(trigger in masked for trigger in _TRIGGERS[kind]):
            continue
        lines_done: set[int] = set()
        for m in pattern.finditer(masked):
            line = bisect.bisect_right(line_starts, m.start()) - 1
            if line not in lines_done:
                lines_done.add(line)
                found.setdefault(line, []).append((base + m.start(), base + m.end(), kind, m.group(0)))
    for line_offset in marker_lines:
        if line_offset < skip:
            continue
        line = bisect.bisect_right(line_starts, line_offset) - 1
        line_end = line_starts[line + 1] - 1 if line + 1 < len(line_starts) else len(text)
        if not masked[line_offset:line_end].strip():
            continue
        original = text[line_offset:line_end]
        for kind, pattern in LINE_START_PATTERNS:
            m = pattern.match(original)
            if m and masked[line_offset : line_offset + m.end()].strip() == original[: m.end()].strip():
                at = len(original[: m.end()]) - len(original[: m.end()].lstrip())
                found.setdefault(line, []).append(
                    (base + line_offset + at, base + line_offset + m.end(), kind, original[at : m.end()].strip())
                )
                break
    return [min(found[line]) for line in sorted(found)]


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
