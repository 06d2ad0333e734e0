"""Every glob naislint matches, in time linear in the pattern times the text.

Three dialects are in use, and they differ only in what ``*`` and ``?`` may cross:

- ``gitignore`` (``.naislint.yml``'s ``exclude``, ``overrides``, front matter schema
  ``files``): ``*`` and ``?`` stay inside one folder name, ``**`` crosses folders,
  ``**/`` is zero or more whole folders, a pattern without a slash matches at any depth,
  and a pattern that matches a folder matches everything below it;
- ``fnmatch`` (link ``ignore`` options): Python's :func:`fnmatch.fnmatchcase`, where
  ``*`` and ``?`` cross ``/``;
- ``ruby`` (``_config.yml``'s ``exclude`` and ``include``): Ruby's ``File.fnmatch`` with
  no flags, as Jekyll calls it: ``fnmatch`` plus ``\\`` escapes and ``[^...]``.

Translating a glob to a regular expression gives nested quantifiers (``.*a.*a.*b``) that
backtrack exponentially on a long name that almost matches; an ``exclude`` entry is
data from the site, so a hostile or careless one must not stall a run. Here a pattern
is compiled once into a list of steps, and matching runs every possible position in the
pattern at once over the text (a Thompson NFA), so each character of the text costs at
most one look at each step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

#: Step kinds.
_LITERAL, _ANY, _CLASS, _STAR, _SKIP = range(5)


@dataclass(frozen=True, slots=True)
class _Step:
    """One step of a compiled glob.

    ``_LITERAL`` matches ``char``; ``_ANY`` one character; ``_CLASS`` one character in
    (or with ``negate``, not in) ``ranges``; ``_STAR`` any run of characters. ``cross``
    says whether ``_ANY``, ``_CLASS`` and ``_STAR`` may match ``/``. ``_SKIP`` consumes
    nothing and lets the match go on at the next step or ``jump`` steps further (an
    optional group).
    """

    kind: int
    char: str = ""
    ranges: tuple[tuple[str, str], ...] = ()
    negate: bool = False
    cross: bool = True
    jump: int = 0

    def accepts(self, ch: str) -> bool:
        """Whether this (consuming) step matches the character ``ch``."""
        if self.kind == _LITERAL:
            return ch == self.char
        if not self.cross and ch == "/":
            return False
        if self.kind == _CLASS:
            inside = any(lo <= ch <= hi for lo, hi in self.ranges)
            return inside != self.negate
        return True  # _ANY and _STAR


class Glob:
    """A compiled glob: :meth:`match` tells whether it matches the whole text."""

    __slots__ = ("pattern", "_steps", "_closure", "_tables", "_literal")

    def __init__(self, pattern: str, steps: list[_Step]) -> None:
        self.pattern = pattern
        self._steps = steps
        n = len(steps)
        # The states reachable from each state without consuming a character.
        closure = [0] * (n + 1)
        for i in range(n, -1, -1):
            mask = 1 << i
            if i < n:
                step = steps[i]
                if step.kind == _STAR:
                    mask |= closure[i + 1]
                elif step.kind == _SKIP:
                    mask |= closure[i + 1] | closure[i + step.jump]
            closure[i] = mask
        self._closure = closure
        self._tables: dict[str, list[int]] = {}
        plain = all(s.kind == _LITERAL for s in steps)
        self._literal = "".join(s.char for s in steps) if plain else None

    def _table(self, ch: str) -> list[int]:
        """For each state, the states it moves to on ``ch`` (computed once per character)."""
        table = self._tables.get(ch)
        if table is None:
            table = []
            for i, step in enumerate(self._steps):
                moves = 0
                if step.kind != _SKIP and step.accepts(ch):
                    moves = self._closure[i] if step.kind == _STAR else self._closure[i + 1]
                table.append(moves)
            table.append(0)
            if len(self._tables) < 256:
                self._tables[ch] = table
        return table

    def match(self, text: str) -> bool:
        """Whether the glob matches all of ``text``."""
        if self._literal is not None:
            return text == self._literal
        current = self._closure[0]
        for ch in text:
            table = self._table(ch)
            following = 0
            while current:
                low = current & -current
                following |= table[low.bit_length() - 1]
                current ^= low
            if not following:
                return False
            current = following
        return bool(current >> len(self._steps) & 1)


def _class_at(pattern: str, i: int, ruby: bool) -> "tuple[_Step, int] | None":
    """The bracket expression starting at ``pattern[i] == '['`` and the index after it,
    or ``None`` when it is never closed (the ``[`` is then a plain character).

    Scanning follows :func:`fnmatch.translate`: a ``]`` right after ``[`` or ``[!`` is a
    member, ``a-z`` is a range, a range running backwards is dropped, a ``-`` first or
    last is a member. Ruby also negates with ``^``, lets ``\\`` escape a member, and
    closes the class at a ``]`` right after ``[`` (an empty class matches nothing).
    """
    n = len(pattern)
    j = i + 1
    if j < n and (pattern[j] == "!" or (ruby and pattern[j] == "^")):
        j += 1
    if j < n and pattern[j] == "]" and not ruby:
        j += 1
    while j < n and pattern[j] != "]":
        if ruby and pattern[j] == "\\" and j + 1 < n:
            j += 1
        j += 1
    if j >= n:
        return None
    body = pattern[i + 1 : j]
    negate = bool(body) and (body[0] == "!" or (ruby and body[0] == "^"))
    if negate:
        body = body[1:]
    members: list[str] = []
    escaped: list[bool] = []
    k = 0
    while k < len(body):
        if ruby and body[k] == "\\" and k + 1 < len(body):
            k += 1
            members.append(body[k])
            escaped.append(True)
        else:
            members.append(body[k])
            escaped.append(False)
        k += 1
    ranges: list[tuple[str, str]] = []
    k = 0
    while k < len(members):
        if k + 2 < len(members) and members[k + 1] == "-" and not escaped[k + 1]:
            lo, hi = members[k], members[k + 2]
            if lo <= hi:
                ranges.append((lo, hi))
            k += 3
        else:
            ranges.append((members[k], members[k]))
            k += 1
    if not ruby and not negate and ranges == [("!", "!")] and len(members) > 1:
        # fnmatch drops the backward range of "[z-a!]" and then reads what is left, "!",
        # as an empty negated class: any character. Kept, so both dialects agree.
        return _Step(_CLASS, negate=True), j + 1
    return _Step(_CLASS, ranges=tuple(ranges), negate=negate), j + 1


def _shell_steps(pattern: str, ruby: bool) -> list[_Step]:
    """Steps of an ``fnmatch`` / Ruby ``File.fnmatch`` pattern (``*`` crosses ``/``)."""
    steps: list[_Step] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if not steps or steps[-1].kind != _STAR:
                steps.append(_Step(_STAR))
            i += 1
        elif c == "?":
            steps.append(_Step(_ANY))
            i += 1
        elif c == "[":
            found = _class_at(pattern, i, ruby)
            if found is None and ruby:
                # Ruby: a bracket never closed matches no character.
                steps.append(_Step(_CLASS))
                i = n
            elif found is None:
                steps.append(_Step(_LITERAL, "["))
                i += 1
            else:
                steps.append(found[0])
                i = found[1]
        elif ruby and c == "\\":
            # Ruby: a backslash makes the next character plain; a last one is ignored.
            if i + 1 < n:
                steps.append(_Step(_LITERAL, pattern[i + 1]))
            i += 2
        else:
            steps.append(_Step(_LITERAL, c))
            i += 1
    return steps


def _folders_step() -> list[_Step]:
    """``(?:.*/)?``: nothing, or any text ending in ``/`` (zero or more whole folders)."""
    return [_Step(_SKIP, jump=3), _Step(_STAR), _Step(_LITERAL, "/")]


@lru_cache(maxsize=1024)
def compile_fnmatch(pattern: str) -> Glob:
    """A glob with :func:`fnmatch.fnmatchcase`'s meaning."""
    return Glob(pattern, _shell_steps(pattern, ruby=False))


@lru_cache(maxsize=1024)
def compile_ruby(pattern: str) -> Glob:
    """A glob with the meaning of Ruby's ``File.fnmatch(pattern, path)`` (no flags)."""
    return Glob(pattern, _shell_steps(pattern, ruby=True))


@lru_cache(maxsize=1024)
def compile_gitignore(glob: str) -> Glob:
    """A ``.naislint.yml`` glob: ``**`` spans folders, a bare name matches at any depth,
    and a pattern matching a folder matches everything under it."""
    g = glob.strip().lstrip("./") if glob.startswith("./") else glob.strip()
    anchored = g.startswith("/") or "/" in g.rstrip("/")
    g = g.strip("/")
    steps: list[_Step] = [] if anchored else _folders_step()
    i, n = 0, len(g)
    while i < n:
        if g.startswith("**/", i):
            steps.extend(_folders_step())
            i += 3
        elif g.startswith("**", i):
            steps.append(_Step(_STAR))
            i += 2
        elif g[i] == "*":
            steps.append(_Step(_STAR, cross=False))
            i += 1
        elif g[i] == "?":
            steps.append(_Step(_ANY, cross=False))
            i += 1
        elif g[i] == "[":
            # Here a class ends at the first "]" (so "[]" and "[!]" are plain text).
            end = g.find("]", i)
            found = _class_at(g[i : end + 1], 0, ruby=False) if end != -1 else None
            if found is None or found[1] != end + 1 - i:
                steps.extend(_Step(_LITERAL, c) for c in g[i : max(end + 1, i + 1)])
                i = max(end + 1, i + 1)
            else:
                steps.append(found[0])
                i = end + 1
        else:
            steps.append(_Step(_LITERAL, g[i]))
            i += 1
    # (?:/.*)?: the folder a pattern names holds everything below it.
    steps.extend([_Step(_SKIP, jump=3), _Step(_LITERAL, "/"), _Step(_STAR)])
    return Glob(glob, steps)


def fnmatch(text: str, pattern: str) -> bool:
    """:func:`fnmatch.fnmatchcase` in linear time."""
    return compile_fnmatch(pattern).match(text)


def ruby_fnmatch(pattern: str, text: str) -> bool:
    """Ruby's ``File.fnmatch(pattern, text)`` with no flags (argument order as Ruby's)."""
    return compile_ruby(pattern).match(text)


def matches_any(relpath: str, globs: "list[str] | tuple[str, ...]") -> bool:
    """Whether a ``/``-separated path matches any of the ``gitignore``-dialect globs."""
    return any(compile_gitignore(g).match(relpath) for g in globs)
