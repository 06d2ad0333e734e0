"""Whether a style sheet hides an element: the few CSS facts a heading rule needs.

A page can hide what its layout prints: Isomer pages that draw their own hero banner
carry ``<style>.bp-section-pagetitle { display: none; }</style>``, which removes the
theme's title section, and the ``<h1>`` in it, from the page and from the accessibility
tree. A rule that counts on the layout's ``<h1>`` must then not count on it.

Only what is certain counts: a plain rule at the top level of the sheet (not inside
``@media`` or another at-rule, not nested in SCSS, not a ``:hover`` or other
pseudo-class), whose declarations hold ``display: none`` or ``visibility: hidden``,
and one of whose selectors ends in a compound selector that matches the element (its
type, if named, and every class it names are the element's, and it names at least one
class). Anything before that compound (``body .x``) must be bare type selectors, which
every page matches; a class or id there may match some pages only.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple


class Target(NamedTuple):
    """An element as a layout writes it: its tag name and its classes."""

    name: str
    classes: frozenset[str]


#: The front matter Jekyll needs on a Sass file it compiles (``---`` lines, often empty).
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(?:.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_COMMENT_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
_LINE_COMMENT_RE = re.compile(r"^[ \t]*//[^\n]*", re.MULTILINE)  # SCSS
_HIDING_RE = re.compile(
    r"(?:^|[;{\s])(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!\s*important\s*)?(?:;|$)",
    re.IGNORECASE,
)
_COMPOUND_RE = re.compile(r"^(?P<type>[a-zA-Z][\w-]*|\*)?(?P<classes>(?:\.[\w-]+)*)$")
_TYPE_RE = re.compile(r"^(?:[a-zA-Z][\w-]*|\*)$")
_COMBINATOR_RE = re.compile(r"\s*[>+~]\s*|\s+")


def _rules(css: str) -> Iterable[tuple[str, str]]:
    """``(selectors, declarations)`` of the plain rules at the sheet's top level."""
    text = _LINE_COMMENT_RE.sub("", _COMMENT_RE.sub(" ", _FRONT_MATTER_RE.sub("", css, count=1)))
    depth = 0
    start = 0  # where the current top-level prelude began
    open_at = -1
    nested = False
    for i, ch in enumerate(text):
        if ch == "{":
            if depth == 0:
                open_at = i
                nested = False
            else:
                nested = True
            depth += 1
        elif ch == "}":
            if depth == 0:
                start = i + 1  # a stray brace: skip it
                continue
            depth -= 1
            if depth == 0:
                prelude = text[start:open_at].strip()
                if not nested and prelude and not prelude.startswith("@"):
                    yield prelude, text[open_at + 1 : i]
                start = i + 1
        elif ch == ";" and depth == 0:
            start = i + 1  # @import ...; @charset ...;


def _matches(selector: str, target: Target) -> bool:
    """Whether one selector (no commas) surely selects ``target`` on every page."""
    parts = [p for p in _COMBINATOR_RE.split(selector.strip()) if p]
    if not parts:
        return False
    if any(_TYPE_RE.match(p) is None for p in parts[:-1]):
        return False
    m = _COMPOUND_RE.match(parts[-1])
    if m is None or not m.group("classes"):
        return False
    kind = m.group("type")
    if kind and kind != "*" and kind.lower() != target.name:
        return False
    classes = set(m.group("classes")[1:].split("."))
    return classes <= target.classes


def hides(css: str, targets: Iterable[Target]) -> bool:
    """Whether ``css`` hides any of ``targets`` (see the module's rules)."""
    wanted = list(targets)
    if not wanted or "{" not in css:
        return False
    for selectors, declarations in _rules(css):
        if _HIDING_RE.search(declarations) is None:
            continue
        for selector in selectors.split(","):
            if any(_matches(selector, target) for target in wanted):
                return True
    return False
