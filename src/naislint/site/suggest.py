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
``real_quick_ratio`` allows are skipped, and the exact ratios are computed best
``quick_ratio`` first, only while one can still win.

The work for one word is bounded (:data:`MAX_COMPARED` strings): on a site whose URLs
are made of the same few words, so that thousands of them share the word's bigrams, only
the strings holding its rarest bigrams are compared.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher
from typing import Iterable


#: At most this many strings are looked at for one word. While the strings that can
#: reach the cutoff are no more, the answer is exactly difflib's; on a site where they
#: are (thousands of URLs made of the same few words), only those holding the word's
#: rarest bigrams are, so that a broken link costs the same whatever the site's size.
MAX_COMPARED = 512


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
        #: word number -> its characters counted; bigram -> its postings as a set (made
        #: on first need).
        self.chars: dict[int, Counter] = {}
        self.posting_sets: dict[str, frozenset[int]] = {}
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
        sized = range(shortest, longest + 1)
        if least <= 0 and sum(len(self.by_length.get(length, ())) for length in sized) <= MAX_COMPARED:
            candidates = [n for length in sized for n in self.by_length.get(length, ())]
        else:
            by_rarity = sorted(grams, key=lambda g: len(self.postings.get(g, ())))
            rarest = set(by_rarity[: len(grams) - least + 1]) if least > 0 else set(grams)
            if sum(len(self.postings.get(g, ())) for g in rarest) > MAX_COMPARED:
                rarest = self._bounded(by_rarity)
            found: set[int] = set()
            for gram in rarest:
                found.update(self.postings.get(gram, ()))
            # At most how many of the word's bigrams each string shares: a bigram the
            # word holds k times counts k for every string that holds it at all.
            shared: Counter = Counter()
            for gram, count in Counter(grams).items():
                hits = found.intersection(self._posting_set(gram))
                for _ in range(count):
                    shared.update(hits)
            words = self.words
            candidates = [
                n for n in sorted(found)
                if shortest <= len(words[n]) <= longest and shared[n] >= needed[len(words[n])]
            ]
        return self._compare(word, cutoff, candidates)

    def _bounded(self, by_rarity: list[str]) -> set[str]:
        """The word's rarest bigrams that some string holds, as many as fit in
        :data:`MAX_COMPARED` strings (at least one)."""
        chosen: set[str] = set()
        total = 0
        for gram in by_rarity:
            size = len(self.postings.get(gram, ()))
            if not size or gram in chosen:
                continue
            if chosen and total + size > MAX_COMPARED:
                break
            chosen.add(gram)
            total += size
        return chosen

    def _compare(self, word: str, cutoff: float, candidates: Iterable[int]) -> str | None:
        """The best candidate as ``get_close_matches`` picks it: the highest ratio at or
        above the cutoff, the larger string on a tie. Each candidate's ``quick_ratio``
        (shared characters, counted with repeats) bounds its ratio from above, so the
        exact ratio is computed best bound first, and only while a bound can still win."""
        mine = Counter(word).items()
        bounded: list[tuple[float, str]] = []
        for n in candidates:
            other = self.words[n]
            total = len(word) + len(other)
            if total == 0:
                bounded.append((1.0, other))
                continue
            if 2.0 * min(len(word), len(other)) / total < cutoff:
                continue  # real_quick_ratio
            bound = 2.0 * _shared(mine, self._chars(n)) / total
            if bound >= cutoff:  # quick_ratio
                bounded.append((bound, other))
        bounded.sort(reverse=True)
        matcher = SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for bound, other in bounded:
            if best is not None and bound < best[0]:
                break  # no ratio left can reach the best one
            matcher.set_seq1(other)
            score = matcher.ratio()
            if score >= cutoff and (best is None or (score, other) > best):
                best = (score, other)
        return best[1] if best is not None else None

    def _chars(self, n: int) -> Counter:
        found = self.chars.get(n)
        if found is None:
            found = self.chars[n] = Counter(self.words[n])
        return found

    def _posting_set(self, gram: str) -> frozenset[int]:
        found = self.posting_sets.get(gram)
        if found is None:
            found = self.posting_sets[gram] = frozenset(self.postings.get(gram, ()))
        return found


def _shared(mine: "Iterable[tuple[str, int]]", other: Counter) -> int:
    """How many of ``mine`` (items of a Counter) ``other`` holds too, with repeats."""
    get = other.get
    total = 0
    for key, count in mine:
        have = get(key)
        if have:
            total += count if count < have else have
    return total


def _broken(size: int, length: int, cutoff: float) -> int:
    """At most how many of a ``size``-character word's bigrams a ``length``-character
    string with a ratio of at least ``cutoff`` can fail to share: ``M >= cutoff * T / 2``
    matched characters leave at most ``size - M`` deleted (two bigrams each) and
    ``length - M`` inserted (one each)."""
    matched = cutoff * (size + length) / 2
    deleted = max(0.0, size - matched)
    inserted = max(0.0, length - matched)
    return int(2 * deleted + inserted) + 1
