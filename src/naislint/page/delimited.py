"""Delimited stretches of text (``<!-- … -->``, ``{% … %}``) found in linear time.

A lazy pattern such as ``<!--.*?-->`` scans to the end of the text from every opener that
is never closed, so a page of 20,000 unclosed ``<!--`` costs 20,000 scans of the page.
Here each closer is looked for once past any position already searched: a closer that
is not found after one opener is not there after a later one either.
"""

from __future__ import annotations

from typing import Iterator


class NextOccurrence:
    """Where ``needle`` next occurs in ``text`` at or after a position.

    Asked at positions that do not decrease (as a left-to-right scan does), all the
    answers together cost one pass over the text.
    """

    __slots__ = ("text", "needle", "_asked", "_found")

    def __init__(self, text: str, needle: str) -> None:
        self.text = text
        self.needle = needle
        self._asked = -1
        self._found = -1

    def at_or_after(self, pos: int) -> int:
        """The offset of the next ``needle`` at or after ``pos``, or -1 when there is none."""
        if 0 <= self._asked <= pos and (self._found < 0 or self._found >= pos):
            return self._found
        self._asked = pos
        self._found = self.text.find(self.needle, pos)
        return self._found


def delimited_spans(text: str, pairs: tuple[tuple[str, str], ...], start: int = 0,
                    stop: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each closed stretch between one of ``pairs``' opener and its
    closer, leftmost first and not overlapping, as ``re.finditer`` with the alternation of
    the lazy patterns ``opener.*?closer`` (DOTALL) finds them between ``start`` and
    ``stop``. An opener without a closer is skipped, as the pattern skips it."""
    stop = len(text) if stop is None else stop
    live = [(NextOccurrence(text, opener), NextOccurrence(text, closer), len(opener), len(closer))
            for opener, closer in pairs]
    pos = start
    while live and pos < stop:
        best: tuple[int, int] | None = None
        for index, (openers, _closers, _o, _c) in enumerate(live):
            at = openers.at_or_after(pos)
            if 0 <= at < stop and (best is None or at < best[0]):
                best = (at, index)
        if best is None:
            return
        at, index = best
        _openers, closers, opener_size, closer_size = live[index]
        end = closers.at_or_after(at + opener_size)
        if end < 0 or end + closer_size > stop:
            del live[index]  # no later opener of this kind is closed either
            continue
        yield at, end + closer_size
        pos = end + closer_size
