""""Did you mean": the closest of many strings, without comparing with every one.

:func:`difflib.get_close_matches` compares a word with every possibility (a
``SequenceMatcher`` each); asked once per broken link over every URL of a site, that is
quadratic: 4,000 broken links on a large site took half a minute. :class:`CloseMatcher`
indexes the possibilities once by length and by their bigrams, and compares a word only
with the strings that can reach the cutoff, giving exactly what ``get_close_matches(word,
possibilities, n=1, cutoff)`` gives.

Why the bigrams find every such string: ``SequenceMatcher.ratio()`` is ``2*M/T`` (``M``
matched characters, ``T`` both lengths), and ``M`` is at most the longest common
subsequence, so a ratio of at least ``c`` leaves at most ``size - c*T/2`` characters
of the word deleted (each breaks at most two of its bigrams) and ``length - c*T/2``
inserted (each breaks one): a candidate shares at least ``g - broken`` of the word's
``g`` bigrams (counted with repeats). One that shares ``k`` of them must hold one of any
``g - k + 1``, so only the strings holding one of the word's rarest bigrams are looked
at, and only those sharing enough bigrams are compared. Lengths outside what
``real_quick_ratio`` allows are skipped.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher
from typing import Iterable


def _bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)]


class CloseMatcher:
    """The possibilities of a "did you mean", indexed once for many questions."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = list(dict.fromkeys(words))
        #: bigram -> numbers of the words holding it.
        self.postings: dict[str, list[int]] = {}
        #: length -> numbers of the words of that length.
        self.by_length: dict[int, list[int]] = {}
        for n, word in enumerate(self.words):
            self.by_length.setdefault(len(word), []).append(n)
            for gram in set(_bigrams(word)):
                self.postings.setdefault(gram, []).append(n)

    def best(self, word: str, cutoff: float) -> str | None:
        """``difflib.get_close_matches(word, words, n=1, cutoff)[0]``, or ``None``."""
        size = len(word)
        grams = _bigrams(word)
        if cutoff <= 0:
            return self._compare(word, cutoff, range(len(self.words)))
        # real_quick_ratio: 2 * min(a, b) / (a + b) >= cutoff bounds the other length.
        shortest = int(size * cutoff / (2 - cutoff))
        longest = int(size * (2 - cutoff) / cutoff) + 1
        needed = {length: len(grams) - _broken(size, length, cutoff) for length in range(shortest, longest + 1)}
        least = min(needed.values())
        if least <= 0:
            candidates = [n for length in range(shortest, longest + 1) for n in self.by_length.get(length, ())]
        else:
            rarest = sorted(grams, key=lambda g: len(self.postings.get(g, ())))[: len(grams) - least + 1]
            found: set[int] = set()
            for gram in set(rarest):
                found.update(self.postings.get(gram, ()))
            mine = Counter(grams)
            candidates = []
            for n in sorted(found):
                length = len(self.words[n])
                if shortest <= length <= longest and (
                    needed[length] <= 0 or sum((mine & Counter(_bigrams(self.words[n]))).values()) >= needed[length]
                ):
                    candidates.append(n)
        return self._compare(word, cutoff, candidates)

    def _compare(self, word: str, cutoff: float, candidates: Iterable[int]) -> str | None:
        matcher = SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for n in candidates:
            other = self.words[n]
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                score = matcher.ratio()
                if score >= cutoff and (best is None or (score, other) > best):
                    best = (score, other)
        return best[1] if best is not None else None


def _broken(size: int, length: int, cutoff: float) -> int:
    """At most how many of a ``size``-character word's bigrams a ``length``-character
    string with a ratio of at least ``cutoff`` can fail to share: ``M >= cutoff * T / 2``
    matched characters leave at most ``size - M`` deleted (two bigrams each) and
    ``length - M`` inserted (one each)."""
    matched = cutoff * (size + length) / 2
    deleted = max(0.0, size - matched)
    inserted = max(0.0, length - matched)
    return int(2 * deleted + inserted) + 1
