"""Which emphasis markers a renderer leaves as text, following each renderer's own algorithm.

kramdown and CommonMark match ``*``/``_`` differently. kramdown opens at any ``*``,
``**``, ``_`` or ``__`` that is not followed by white space (an ``_`` not right after a
letter), looks ahead for the first equal marker not preceded by white space, and prints
the opener as text when there is none (a failed ``**`` first retries as ``*``).
CommonMark pairs delimiter runs by their flanking (the characters on either side) with
the "rule of 3". ``**SIWW2021 **`` prints its asterisks in both, ``**a**b`` in neither.

Both functions take the text of one block (a paragraph, a heading, a table cell) in
which everything that is not text to the emphasis parser (code spans, HTML tags, link
destinations, escapes, autolinks) has been replaced by :data:`OPAQUE`, a character both
algorithms treat as punctuation that is not white space. They return the
``(offset, marker)`` pairs left as text; ``None`` when a pathological block would take
too long (no answer is better than a slow one).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

OPAQUE = "\x01"
#: Work allowed per block, in delimiter visits: far above any real paragraph.
BUDGET = 200_000
_MARKER_RE = re.compile(r"[*_]")


class _OutOfBudget(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Stop:
    delim: str
    element: str  # "strong" or "em"


def kramdown_literals(text: str) -> list[tuple[int, str]] | None:
    """The markers kramdown 2's ``parse_emphasis`` prints as text, in order."""
    state = {"budget": BUDGET}
    try:
        found, _pos, literals = _kd_spans(text, 0, None, (), state)
    except (_OutOfBudget, RecursionError):
        return None
    return literals


def _kd_spans(text: str, pos: int, stop: _Stop | None, ancestors: tuple[str, ...], state: dict[str, int]
              ) -> tuple[bool, int, list[tuple[int, str]]]:
    """kramdown's ``parse_spans`` restricted to emphasis: scan until ``stop`` closes."""
    literals: list[tuple[int, str]] = []
    start = pos
    size = len(text)
    while True:
        m = _MARKER_RE.search(text, pos)
        if m is None:
            return False, size, literals
        i = m.start()
        state["budget"] -= 1
        if state["budget"] < 0:
            raise _OutOfBudget
        if stop is not None and text.startswith(stop.delim, i) and _kd_closes(text, i, stop, start):
            return True, i, literals
        char = text[i]
        run = char * 2 if text.startswith(char * 2, i) else char
        element = "strong" if len(run) == 2 else "em"
        after = i + len(run)
        if (
            (char == "_" and _after_letter(text, i))
            or (after < size and text[after].isspace())
            or element in ancestors
        ):
            literals.append((i, run))
            pos = after
            continue
        found, end, inner = _kd_spans(text, after, _Stop(run, element), ancestors + (element,), state)
        if not found and element == "strong" and (not ancestors or ancestors[-1] != "em"):
            # kramdown skips the first character and tries the second as an em opener
            found, end, inner = _kd_spans(text, i + 1, _Stop(char, "em"), ancestors + ("em",), state)
            if found:
                literals.extend(inner)
                pos = end + 1
                continue
        if found:
            literals.extend(inner)
            pos = end + len(run)
            continue
        literals.append((i, run))
        pos = after


def _kd_closes(text: str, i: int, stop: _Stop, start: int) -> bool:
    """kramdown's closing test: not after white space, not empty, em not at a ``**``."""
    if i == start or (i > 0 and text[i - 1].isspace()):
        return False
    d = stop.delim
    if stop.element == "em" and text.startswith(d * 2, i) and not text.startswith(d * 3, i):
        return False
    if d[0] == "_":
        j = i + len(d)
        if j < len(text) and text[j].isalnum():
            return False
    return True


def _after_letter(text: str, i: int) -> bool:
    """kramdown's ``pre_match =~ /[[:alpha:]]-?[[:alpha:]]*\\z/``: a letter, or letter and ``-``."""
    if i >= 1 and text[i - 1].isalpha():
        return True
    return i >= 2 and text[i - 1] == "-" and text[i - 2].isalpha()


# -- CommonMark -------------------------------------------------------------------------------


def _is_punct(ch: str) -> bool:
    return ch == OPAQUE or unicodedata.category(ch)[0] in "PS"


def commonmark_literals(text: str) -> list[tuple[int, str]] | None:
    """The markers CommonMark's "process emphasis" leaves unmatched, in order."""
    runs: list[_Run] = []
    size = len(text)
    for m in _RUN_RE.finditer(text):
        a, b = m.start(), m.end()
        before = text[a - 1] if a > 0 else " "
        after = text[b] if b < size else " "
        left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
        right = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
        char = text[a]
        if char == "*":
            can_open, can_close = left, right
        else:
            can_open = left and (not right or _is_punct(before))
            can_close = right and (not left or _is_punct(after))
        runs.append(_Run(char, a, b - a, can_open, can_close))
    bottom: dict[tuple[str, bool, int], int] = {}
    steps = 0
    closer = 0
    while closer < len(runs):
        c = runs[closer]
        if not c.can_close or not c.active or c.left == 0:
            closer += 1
            continue
        key = (c.char, c.can_open, c.length % 3)
        opener = closer - 1
        floor = bottom.get(key, -1)
        while opener > floor:
            steps += 1
            if steps > BUDGET:
                return None
            o = runs[opener]
            if o.active and o.char == c.char and o.can_open and o.left > 0:
                odd = (o.can_close or c.can_open) and (o.length + c.length) % 3 == 0 and not (
                    o.length % 3 == 0 and c.length % 3 == 0)
                if not odd:
                    break
            opener -= 1
        if opener > floor:
            o = runs[opener]
            used = 2 if o.left >= 2 and c.left >= 2 else 1
            o.left -= used
            c.left -= used
            c.front += used
            for between in runs[opener + 1 : closer]:
                between.active = False
            if o.left == 0:
                o.active = False
            if c.left == 0:
                c.active = False
                closer += 1
            continue
        bottom[key] = closer - 1
        if not c.can_open:
            c.active = False
        closer += 1
    # Openers give up characters from their end, closers from their start.
    return [(r.start + r.front, r.char * r.left) for r in runs if r.left > 0]


_RUN_RE = re.compile(r"\*+|_+")


class _Run:
    """A delimiter run: its character, where it starts, and how much of it is still text."""

    __slots__ = ("char", "start", "length", "left", "front", "can_open", "can_close", "active")

    def __init__(self, char: str, start: int, length: int, can_open: bool, can_close: bool) -> None:
        self.char = char
        self.start = start
        self.length = length
        self.left = length
        self.front = 0
        self.can_open = can_open
        self.can_close = can_close
        self.active = True
