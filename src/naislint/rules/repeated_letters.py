"""NL502 repeated-letters: a word with one letter three times in a row (``Commmunities``).

English has no word with a tripled letter, so one is almost always a typo. Left alone:
all-caps words (acronyms, ``AAA``), roman numerals (``xviii``), ``www``, words of one
or two distinct letters (``zzz``, ``hmmm``, ``ahhh``, ``xxxx`` placeholders), words with
a letter four or more times in a row (``waaaaay``, ``a looooot``: drawn out on purpose;
a slipped key doubles or triples a letter), words with
digits or underscores (IDs, hashes), a word that is the whole content of an element
(a user name in a table cell), camelCase joins whose triple spans the join (``freeEntry``,
``CoffeeEspresso``: two words, each spelt right), and text inside tags, URLs, link
destinations, code, comments and front matter.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.html import page_tags
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

TRIPLE_RE = re.compile(r"(\w)\1\1")
NON_ASCII_TRIPLE_RE = re.compile(r"([^\x00-\x7f])\1\1")
WORD_TAIL_RE = re.compile(r"\w*")
ROMAN_RE = re.compile(r"^m*(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$", re.IGNORECASE)
MASK_RES = (
    re.compile(r"\]\([^)\n]*\)"),  # link destinations
    re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//\S+|\bwww\.\S+|\b[\w.+-]+@[\w-]+\.[\w.]+", re.IGNORECASE),
    re.compile(r"\{[{%:#][^}\n]*\}?\}"),  # liquid and kramdown attribute lists
    re.compile(r"&#?\w+;"),  # entities
)


#: A letter four or more times in a row, case-blind: a word drawn out on purpose.
DRAWN_OUT_RE = re.compile(r"(\w)\1{3}", re.IGNORECASE)


def _ignored(word: str) -> bool:
    if any(c.isdigit() or c == "_" for c in word):
        return True
    if DRAWN_OUT_RE.search(word):
        return True
    if word.isupper() or word.lower() == "www" or ROMAN_RE.match(word):
        return True
    return len(set(word.lower())) <= 2


_CASE_BLIND_TRIPLE_RE = re.compile(r"(\w)\1\1", re.IGNORECASE)


def _camel_case_join(word: str) -> bool:
    """Whether every tripled letter of ``word`` spans a lower-to-upper case change
    (``freeEntry``): two words run together, neither misspelt."""
    triples = [m.group(0) for m in _CASE_BLIND_TRIPLE_RE.finditer(word)]
    return bool(triples) and all(
        any(a.islower() and b.isupper() for a, b in zip(t, t[1:])) for t in triples
    )


def _alone_in_element(text: str, start: int, end: int) -> bool:
    """A word that is the whole content of an element (``<td>eliotttanlyuzhe</td>``) is
    data (a user name, a code, an ID), not prose, and may spell anything."""
    before = text[max(0, start - 200) : start].rstrip(" \t")
    after = text[end : end + 200].lstrip(" \t")
    return before.endswith(">") and after.startswith("<")


def _candidates(prose: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, letter) of each word holding a tripled letter, its first triple only.

    Letters compare case-blind (``Ccc``), as in the lower-cased text, when lower-casing
    keeps the text's length (it nearly always does; offsets must stay file offsets), and
    as they are otherwise.
    """
    raw = prose.encode("ascii", "replace")  # one '?' for each other character
    if prose.isascii() or not (b"???" in raw or "\u0130" in prose or "\u212a" in prose):
        # Lower-casing maps ASCII to ASCII and other characters to others, but for U+212A
        # (Kelvin, to 'k') and U+0130 (two characters); no character changes whether it
        # is a word character. So without those two, and without three other characters
        # in a row (every '?' here), the triples of the lower-cased text are those of
        # ASCII letters compared case-blind, and words have the same bounds in ``prose``.
        text, starts, lower_letter = prose, _ascii_triples(raw), True
    else:
        lowered = prose.lower()
        if len(lowered) == len(prose):
            text, starts, lower_letter = lowered, _ascii_triples(lowered.encode("ascii", "replace")), False
            starts.extend(m.start() for m in NON_ASCII_TRIPLE_RE.finditer(text) if m.group(1).isalpha())
            starts.sort()
        else:
            text, lower_letter = prose, False
            starts = [m.start() for m in TRIPLE_RE.finditer(text) if m.group(1).isalpha()]
    last_end = -1
    for start in starts:
        if start < last_end:
            continue  # another triple of a word already reported
        letter = text[start].lower() if lower_letter else text[start]
        tail = WORD_TAIL_RE.match(text, start + 3)
        assert tail is not None  # \w* matches anywhere
        end = tail.end()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        last_end = end
        yield start, end, letter


#: Two byte maps that agree on an ASCII letter (``A`` and ``a`` alike) and on nothing
#: else, so that ``_FOLD_1[x] == _FOLD_2[y]`` just when x and y are the same letter.
_ASCII_LETTERS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_FOLD_1 = bytes(b | 0x20 if b in _ASCII_LETTERS else 1 for b in range(256))
_FOLD_2 = bytes(b | 0x20 if b in _ASCII_LETTERS else 2 for b in range(256))


def _ascii_triples(raw: bytes) -> list[int]:
    """Offsets where an ASCII letter comes three times in a row (case-blind), in order,
    as ``(\\w)\\1\\1`` finds them: after a match the search goes on three characters
    later (``aaaaaa`` is two triples, at 0 and 3). ``raw`` is ASCII text.

    A back-reference regex tries a match at every offset of the page. Here the folded
    text is XORed with itself shifted by one, as two big integers: a zero byte marks a
    letter that repeats, and ``bytes.find`` finds two zeros in a row at C speed.
    """
    pairs = (
        int.from_bytes(raw.translate(_FOLD_1), "little")
        ^ (int.from_bytes(raw.translate(_FOLD_2), "little") >> 8)
    ).to_bytes(len(raw), "little")
    found = []
    at = pairs.find(b"\0\0")
    while at != -1:
        found.append(at)
        at = pairs.find(b"\0\0", at + 3)
    return found


def _inside(ranges: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def _masked_in_line(text: str, line_start: int, line_end: int, offset: int) -> bool:
    """Is ``offset`` inside a URL, link destination, entity or attribute list on its line?"""
    line = text[line_start:line_end]
    at = offset - line_start
    return any(m.start() <= at < m.end() for pattern in MASK_RES for m in pattern.finditer(line))


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    prose = doc.prose
    found = []
    for start, end, letter in _candidates(prose):
        word = prose[start:end]
        if not _ignored(word) and not _camel_case_join(word):
            found.append((start, end, letter, word))
    if not found:
        return
    tags = sorted((t.start, t.end) for t in page_tags(doc))
    tag_starts = [a for a, _b in tags]
    text = doc.text
    for start, end, letter, word in found:
        if _inside(tags, tag_starts, start):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if _masked_in_line(text, line_start, len(text) if line_end == -1 else line_end, start):
            continue
        if _alone_in_element(text, start, end):
            continue
        if _in_list_of_names(text, start, end):
            continue
        yield Finding(
            doc.span(start, end),
            f"{word!r} has {letter!r} three times in a row: a typo?",
        )


def _in_list_of_names(text: str, start: int, end: int) -> bool:
    """Whether the word is one item of a comma-separated list of names (a release's
    contributors: "Parker Moore, QuinnG8, halorrr, masaki"): an item of one or two words
    among at least five such items on its line, most of them capitalised. A list of
    names holds user names as their owners spell them, not words to correct."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    items = [item.strip() for item in line.split(",")]
    if len(items) < 5:
        return False
    short = [item for item in items if item and len(item.split()) <= 3]
    if len(short) < 0.6 * len(items):
        return False
    capitalised = sum(1 for item in short if item[0].isupper())
    at = start - line_start
    cursor = 0
    for item in line.split(","):
        if cursor <= at < cursor + len(item):
            return len(item.split()) <= 2 and capitalised >= len(short) / 2
        cursor += len(item) + 1
    return False


RULE = Rule(
    code="NL502",
    name="repeated-letters",
    summary="a word with a letter tripled (Commmunities)",
    check=check,
    default_severity=Severity.WARNING,
)
