"""NL502 repeated-letters: a word with one letter three times in a row (``Commmunities``).

English has no word with a tripled letter, so one is almost always a typo. Left alone:
all-caps words (acronyms, ``AAA``), roman numerals (``xviii``), ``www``, words of one
or two distinct letters (``zzz``, ``hmmm``, ``ahhh``, ``xxxx`` placeholders), words with
digits or underscores (IDs, hashes), a word that is the whole content of an element
(a user name in a table cell), and text inside tags, URLs, link destinations,
code, comments and front matter.
"""

from __future__ import annotations

import re
from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.html import page_tags
from naislint.registry import Rule

WORD_WITH_TRIPLE_RE = re.compile(r"\w*?([^\W\d_])\1\1\w*", re.IGNORECASE)
TRIPLE_RE = re.compile(r"([^\W\d_])\1\1", re.IGNORECASE)
ROMAN_RE = re.compile(r"^m*(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$", re.IGNORECASE)
MASK_RES = (
    re.compile(r"\]\([^)\n]*\)"),  # link destinations
    re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//\S+|\bwww\.\S+|\b[\w.+-]+@[\w-]+\.[\w.]+", re.IGNORECASE),
    re.compile(r"\{[{%:#][^}\n]*\}?\}"),  # liquid and kramdown attribute lists
    re.compile(r"&#?\w+;"),  # entities
)


def _masked(doc) -> str:
    chars = list(doc.prose)
    for tag in page_tags(doc):
        for i in range(tag.start, min(tag.end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    text = "".join(chars)
    for pattern in MASK_RES:
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return text


def _ignored(word: str) -> bool:
    if any(c.isdigit() or c == "_" for c in word):
        return True
    if word.isupper() or word.lower() == "www" or ROMAN_RE.match(word):
        return True
    return len(set(word.lower())) <= 2


def _alone_in_element(text: str, start: int, end: int) -> bool:
    """A word that is the whole content of an element (``<td>eliotttanlyuzhe</td>``) is
    data (a user name, a code, an ID), not prose, and may spell anything."""
    before = text[max(0, start - 200) : start].rstrip(" \t")
    after = text[end : end + 200].lstrip(" \t")
    return before.endswith(">") and after.startswith("<")


def check(doc, site, options) -> Iterator[Finding]:
    text = doc.prose
    if not TRIPLE_RE.search(text):
        return
    text = _masked(doc)
    # One pass finds only the words that hold a tripled letter; a match never starts in
    # the middle of a word because the character before it is checked.
    for m in WORD_WITH_TRIPLE_RE.finditer(text):
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue
        word = m.group(0)
        if _ignored(word) or _alone_in_element(doc.text, m.start(), m.end()):
            continue
        letter = m.group(1)
        yield Finding(
            doc.span(m.start(), m.end()),
            f"{word!r} has {letter!r} three times in a row: a typo?",
        )


RULE = Rule(
    code="NL502",
    name="repeated-letters",
    summary="a word with a letter tripled (Commmunities)",
    check=check,
    default_severity=Severity.WARNING,
)
