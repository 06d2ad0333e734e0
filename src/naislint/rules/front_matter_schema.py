"""NL104 front-matter-schema: front matter checked against its page kind's JSON Schema.

The page kind (simple page, collection page, resource post, homepage ...) comes from
the file's place in the site and its ``layout``; see :mod:`naislint.jekyll.pagekinds`. Each
problem points at its key (or value) and says what is wrong in plain words; missing or
ill-typed keys are errors, values that break the page in another way (a permalink that
is a full URL or holds ``?``/``#``, a date's spelling) warnings. A live permalink's form
(case, characters, slashes) is not checked by the built-in kinds: its address works, and
renaming it would break the links to it. A ``date`` is checked only where Jekyll parses
it, on a post or a collection's document (a page's it never reads). A resource post's
full-URL permalink is the link its card opens: it is an info report that says to let
``file_url`` or ``external`` link instead.

A page that is evidently a template (an editor's cheat sheet: no title and no permalink,
dummy text such as "Lorem ipsum" in its body) is still published by Jekyll, at its file's
address; filling in a title and permalink would publish the cheat sheet properly, so its
empty title and permalink get one report that says to keep it unpublished
(``published: false``).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None or not fm.ok:
        return
    from naislint.schema import frontmatter as fmschema
    from naislint.jekyll import pagekinds

    choice = pagekinds.choose(doc, ctx.place)
    if not isinstance(fm.data, dict):
        yield Finding(
            Span(fm.block.first_line, 1, fm.block.first_line, len(doc.line(fm.block.first_line)) + 1),
            "front matter must be a set of 'key: value' lines, not a single value or a list",
            severity=Severity.ERROR,
        )
        return
    try:
        problems = list(fmschema.check(doc, choice))
    except fmschema.SchemaLoadError as exc:
        yield Finding(Span(1, 1, 1, 4), f"{exc} (chosen by {choice.source})", severity=Severity.ERROR)
        return
    date_line = _line_of(fm, "date")
    link_line = _line_of(fm, "permalink")
    template = choice.builtin and _template(doc, fm.data)
    template_reported = False  # one report for the template's empty title and permalink
    for problem in problems:
        if template and problem.span.line in (_line_of(fm, "title"), link_line):
            if not template_reported:
                yield Finding(
                    problem.span,
                    "this page is a template (no title, no permalink, dummy text such as 'Lorem ipsum' in its "
                    "body), but Jekyll still publishes it at its file's address; keep it unpublished: "
                    "published: false",
                    severity=problem.severity,
                )
                template_reported = True
            continue
        if choice.builtin and problem.span.line == date_line and not _jekyll_document(choice.kind, ctx):
            continue  # Jekyll parses no page's date: nothing stops or changes
        if choice.builtin and problem.span.line == link_line and choice.kind == "isomer-post" \
                and _full_url(fm.data.get("permalink")):
            yield _linked_permalink(problem.span, fm.data)
            continue
        yield Finding(problem.span, problem.message, severity=problem.severity)


#: Dummy text: what a template holds where the real content goes.
_DUMMY_TEXT_RE = re.compile(r"\blorem ipsum\b", re.IGNORECASE)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _template(doc: Document, data: dict[str, Any]) -> bool:
    """Whether the page is evidently a template: its title and permalink empty, and
    dummy text in its body. Published without ``published: false``."""
    if not _blank(data.get("title")) or not _blank(data.get("permalink")) or "title" not in data:
        return False
    if data.get("published") is False:
        return False
    return _DUMMY_TEXT_RE.search(doc.prose, doc.body_start) is not None


def _line_of(fm: Any, key: str) -> int | None:
    entry = fm.entries.get(key)
    return entry.key_span.line if entry is not None else None


#: Isomer page kinds Jekyll reads as documents of a collection (``_posts`` included).
_DOCUMENT_KINDS = frozenset({"isomer-post", "isomer-collection-page", "isomer-subcollection-page"})


def _jekyll_document(kind: str, ctx: RuleContext) -> bool:
    """Whether Jekyll reads the file as a document (a post or a collection's), whose
    ``date`` it parses (a bad one stops the build: "Invalid date ... does not have a valid
    date in the YAML front matter"). A page's ``date`` Jekyll never parses, and Isomer's
    page layout does not print it: checked with Jekyll 4, ``date: 'soon'`` on a page builds."""
    if kind in _DOCUMENT_KINDS:
        return True
    if kind.startswith("isomer-"):
        return False
    parts = ctx.place.relpath.split("/")
    if "_posts" in parts[:-1] or "_drafts" in parts[:-1]:
        return True
    root = ctx.place.site_root
    if root is None or len(parts) < 2 or not parts[0].startswith("_"):
        return False
    from naislint import jekyll
    from naislint.jekyll.config import read_collections

    return parts[0][1:] in read_collections(root, jekyll.load(root).raw)


def _full_url(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def _linked_permalink(span: Span, data: dict[str, Any]) -> Finding:
    """A resource post's full-URL permalink: Isomer's resource card links
    ``{{ post.permalink | relative_url }}``, which leaves a full URL as it is, so the card
    opens that URL; only the post's own page goes to a junk path (Jekyll writes
    ``/http:/host/...``, checked with Jekyll 4). The fix is to let the keys meant for it
    do the linking, not to turn the permalink into a path (the card would then open an
    empty post)."""
    file_url = data.get("file_url")
    if isinstance(file_url, str) and file_url.strip():
        fix = f"remove the permalink line, and the card opens the post's file_url ({file_url.strip()}) instead"
    else:
        fix = ("link it the way Isomer's resource posts do: layout: file with file_url for a file of "
               "the site, layout: link with external for another site; then remove the permalink line")
    return Finding(span, "permalink is a full URL: the resource card opens that address, and Jekyll also writes "
                   f"the post's own page to a junk address under '/http:/'; {fix}", severity=Severity.INFO)


RULE = Rule(
    code="NL104",
    name="front-matter-schema",
    summary="Front matter that does not fit its page kind's JSON Schema (missing title, wrong type, malformed permalink or date)",
    check=check,
    default_severity=Severity.WARNING,
)
