"""Inline suppression comments, and the report of those that suppressed nothing.

``<!-- naislint-disable rule ... -->`` ... ``<!-- naislint-enable rule ... -->`` switch rules
off for a stretch of lines; ``naislint-disable-next-line`` and ``naislint-disable-line``
for one line; ``naislint-disable-file`` for the whole page. With no rule named, all rules.
Rules may be named by name or code. A suppression that suppressed nothing is reported as
``unused-suppression``: stale suppressions hide the next real problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from naislint.diagnostics import Diagnostic, Span

if TYPE_CHECKING:
    from naislint.page.document import Document

DIRECTIVE_RE = re.compile(
    r"<!--\s*naislint-(disable-next-line|disable-line|disable-file|disable|enable)\b([^>]*?)\s*-->"
)
ALL = "*"


@dataclass
class Directive:
    """One suppression comment: what it does, which rules, where, and what it matched."""

    kind: str
    rules: tuple[str, ...]
    span: Span
    used: set[str] = field(default_factory=set)
    unknown: tuple[str, ...] = ()


@dataclass
class Suppressions:
    directives: list[Directive]
    # (first line, last line, rule or ALL, directive), inclusive line ranges
    ranges: list[tuple[int, int, str, Directive]]

    def suppressor(self, diagnostic: Diagnostic) -> Directive | None:
        """The directive that silences this diagnostic, or ``None``."""
        line = diagnostic.span.line
        for first, last, rule, directive in self.ranges:
            if first <= line <= last and (rule == ALL or rule == diagnostic.rule):
                return directive
        return None


def parse(doc: "Document", resolve: Callable[[str], str | None]) -> Suppressions:
    """Find the directives of a page, outside code blocks and code spans.

    ``resolve`` maps a word (rule name or code) to a rule name, or ``None`` if unknown.
    """
    code_lines = _code_lines(doc)
    directives: list[Directive] = []
    ranges: list[tuple[int, int, str, Directive]] = []
    open_since: dict[str, tuple[int, Directive]] = {}
    last_line = doc.index.line_count
    for m in DIRECTIVE_RE.finditer(doc.text, doc.body_start):
        start_line, _ = doc.position(m.start())
        if start_line in code_lines:
            continue
        span = doc.span(m.start(), m.end())
        words = [w for w in re.split(r"[\s,]+", m.group(2).strip()) if w]
        names, unknown = [], []
        for word in words:
            name = resolve(word)
            (names.append(name) if name else unknown.append(word))
        kind = m.group(1)
        targets = tuple(names) if words else (ALL,)
        directive = Directive(kind, targets, span, unknown=tuple(unknown))
        directives.append(directive)
        if kind == "disable-file":
            for rule in targets:
                ranges.append((1, last_line, rule, directive))
        elif kind == "disable-line":
            for rule in targets:
                ranges.append((span.line, span.end_line, rule, directive))
        elif kind == "disable-next-line":
            for rule in targets:
                ranges.append((span.end_line + 1, span.end_line + 1, rule, directive))
        elif kind == "disable":
            for rule in targets:
                open_since[rule] = (span.line, directive)
        elif kind == "enable":
            closing = list(open_since) if targets == (ALL,) else [t for t in targets if t in open_since]
            for rule in closing:
                first, opener = open_since.pop(rule)
                ranges.append((first, span.line, rule, opener))
    for rule, (first, opener) in open_since.items():
        ranges.append((first, last_line, rule, opener))
    return Suppressions(directives, ranges)


def _code_lines(doc: "Document") -> set[int]:
    lines: set[int] = set()
    for token in doc.tokens:
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0] + 1, token.map[1] + 1))
    return lines


def apply(diagnostics: Iterable[Diagnostic], suppressions: Suppressions) -> list[Diagnostic]:
    """Drop suppressed diagnostics and record which directive matched which rule."""
    kept = []
    for diagnostic in diagnostics:
        directive = suppressions.suppressor(diagnostic)
        if directive is None:
            kept.append(diagnostic)
        else:
            directive.used.add(diagnostic.rule)
    return kept


def unused(suppressions: Suppressions, enabled: "set[str]") -> list[tuple[Span, str]]:
    """(span, message) for every directive, or named rule of one, that suppressed nothing.

    A rule switched off for this file cannot produce anything to suppress, so naming it
    is not reported as unused: the comment may be there for another configuration.
    """
    found = []
    for directive in suppressions.directives:
        if directive.kind == "enable":
            continue
        for word in directive.unknown:
            found.append((directive.span, f"suppression names {word!r}, which is not a naislint rule"))
        if directive.rules == (ALL,):
            if not directive.used:
                found.append((directive.span, f"naislint-{directive.kind} suppresses nothing here; remove it"))
            continue
        for rule in directive.rules:
            if rule not in directive.used and rule in enabled:
                found.append((directive.span, f"naislint-{directive.kind} {rule} suppresses nothing here; remove it"))
    return found
