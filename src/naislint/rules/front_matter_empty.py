"""NL105 front-matter-empty: a front matter key that is present but empty.

``description: ""`` or ``title:`` look like settings but set nothing: the page falls back
to a site default (or to nothing) while the author believes the value is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext


@dataclass(frozen=True)
class Options:
    #: Keys that may stay empty on purpose (for example a template's placeholders).
    allow: tuple[str, ...] = ()
    #: Keys whose null value (``key:`` with nothing after it) is reported. An empty
    #: string is reported for every key; null only for these, because the Isomer CMS
    #: writes ``description:``, ``image:`` and ``file_url:`` empty into every new post,
    #: where they mean "not set" and the layout copes.
    null_keys: tuple[str, ...] = ("title", "permalink", "layout", "third_nav_title", "date")


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None or not fm.ok:
        return
    data = fm.mapping
    for key, entry in fm.entries.items():
        if key in options.allow or key not in data:
            continue
        value = data[key]
        if (value is None and key in options.null_keys) or (isinstance(value, str) and not value.strip()):
            shown = "null" if value is None else "an empty string"
            yield Finding(entry.key_span, f"front matter key {key!r} is {shown}; give it a value or remove it")


RULE = Rule(
    code="NL105",
    name="front-matter-empty",
    summary="A front matter key present but empty (description: \"\", image:)",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
