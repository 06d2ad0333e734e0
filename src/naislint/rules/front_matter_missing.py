"""NL101 front-matter-missing: a markdown page without a front matter block.

Jekyll renders a file only when it starts with a front matter block; without one the
markdown is copied to the site as a plain file, so the page the author wrote never
appears (and its URL serves raw markdown, or nothing).
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    if doc.front_matter is not None:
        return
    from naislint.jekyll import pagekinds

    if not pagekinds.is_page_path(ctx.relpath, ctx.place.isomer):
        return
    first = doc.line(1)
    span = Span(1, 1, 1, len(first) + 1)
    stripped = doc.text.lstrip()
    if stripped.startswith("---"):
        line, _col = doc.position(len(doc.text) - len(stripped))
        yield Finding(
            Span(line, 1, line, 4),
            "front matter must start on the very first line; with text or blank lines before "
            "'---' Jekyll does not see it and copies the page as a plain file",
        )
    elif _closing_fence_only(doc):
        yield Finding(
            span,
            "front matter has no opening '---' line; Jekyll sees no front matter and copies "
            "the page as a plain file (add '---' as the first line)",
        )
    elif not doc.text.strip():
        yield Finding(span, "page is empty: no front matter and no content; Jekyll copies it as an empty plain file")
    else:
        yield Finding(
            span,
            "page has no front matter; Jekyll copies it as a plain file instead of rendering it "
            "(start the file with a '---' block holding at least a title)",
        )


def _closing_fence_only(doc: Document) -> bool:
    """True when the page opens with ``key: value`` lines closed by a ``---`` line."""
    import re

    saw_key = False
    for line in doc.lines[:60]:
        if re.match(r"^---[ \t]*$", line):
            return saw_key
        if re.match(r"^[A-Za-z_][\w-]*:(\s|$)", line):
            saw_key = True
        elif line.strip() and not line.startswith((" ", "\t", "-", "#")):
            return False
    return False


RULE = Rule(
    code="NL101",
    name="front-matter-missing",
    summary="A markdown page with no front matter block (Jekyll does not render it)",
    check=check,
    default_severity=Severity.ERROR,
)
