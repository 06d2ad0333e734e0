"""NL105 front-matter-empty: a front matter key that is present but empty.

``title:`` or ``layout: ""`` look like settings but set nothing: the page falls back to a
site default (or to nothing) while the author believes the value is there.

What an editor would act on decides what is reported. The Isomer CMS writes every field
its editors leave blank into the file as an empty value: ``description:``, ``image:`` and
``file_url:`` as null on posts, ``description: ""`` on every page it creates,
``feedback: ""`` on the contact page and ``notification: ""`` on the homepage. An editor
working in the CMS cannot remove them (the CMS writes them back), and the template copes:
no visible part of the page changes. Those are not reported; an empty value of a key a
page cannot do without, or of any other key on a site no CMS writes, is. A key the page
kind's built-in schema requires (an Isomer page's ``title`` and ``permalink``) is left to
front-matter-schema, whose report says what the page needs it for: one defect, one report.

An Isomer resource post with ``layout: file`` or ``layout: link`` is a card in the
resource room that opens its ``file_url`` (the PDF) or its ``external`` address: the
post's own page, whose meta description ``description: ""`` empties, is not where anyone
goes, and a link to it is not shared. Its empty description is left alone.
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
    #: string is reported for every key but :attr:`cms_blank_keys`; null only for these,
    #: because the Isomer CMS writes ``description:``, ``image:`` and ``file_url:`` empty
    #: into every new post, where they mean "not set" and the layout copes.
    null_keys: tuple[str, ...] = ("title", "permalink", "layout", "third_nav_title", "date")
    #: Keys whose empty string is the Isomer CMS's "left blank" on an Isomer site: its
    #: contact page editor writes ``feedback: ""``, its homepage editor
    #: ``notification: ""``, and the layouts show nothing for them (no feedback line, no
    #: notification bar). ``description: ""`` is not one: an empty string is true in
    #: Liquid, so Isomer's head (``{% if page.description %}``) writes an empty meta and
    #: og:description, where without a value it takes the page's first twenty words:
    #: link previews show no summary, and search engines make up their own snippet.
    cms_blank_keys: tuple[str, ...] = ("feedback", "notification")


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None or not fm.ok:
        return
    data = fm.mapping
    isomer: bool | None = None  # asked only when a CMS-blank key is met
    required: frozenset[str] | None = None  # asked only when an empty key is met
    for key, entry in fm.entries.items():
        if key in options.allow or key not in data:
            continue
        value = data[key]
        if value is None or (isinstance(value, str) and not value.strip()):
            if required is None:
                required = _schema_required(doc, ctx)
            if key in required:
                continue  # front-matter-schema reports it, with what the page kind needs it for
        if value is None:
            if key not in options.null_keys:
                continue
        elif not isinstance(value, str) or value.strip():
            continue
        elif key in options.cms_blank_keys and key not in options.null_keys:
            if isomer is None:
                isomer = ctx.place.isomer  # the Isomer CMS writes these blanks
            if isomer:
                continue
        shown = "null" if value is None else "an empty string"
        if key == "description" and value is not None and _card_post(doc, ctx):
            continue  # the resource card opens the file or the address, not this page
        if key == "description" and value is not None:
            yield Finding(entry.key_span, f"front matter key {key!r} is {shown}: the page's meta description is "
                          "empty (an empty text still counts as set), so link previews show no summary and "
                          "search engines pick their own snippet; write one sentence about the page")
            continue
        yield Finding(entry.key_span, f"front matter key {key!r} is {shown}; give it a value or remove it")


#: Isomer post layouts whose resource card links elsewhere (the file, the external address).
CARD_LAYOUTS = frozenset({"file", "link"})


def _card_post(doc: Document, ctx: RuleContext) -> bool:
    """Whether the page is an Isomer resource post whose card opens its file or link."""
    layout = doc.meta.get("layout")
    if not isinstance(layout, str) or layout.strip() not in CARD_LAYOUTS or not ctx.place.isomer:
        return False
    from naislint.jekyll import pagekinds

    return pagekinds.choose(doc, ctx.place).kind == "isomer-post"


def _schema_required(doc: Document, ctx: RuleContext) -> frozenset[str]:
    """The keys the page kind's built-in schema requires (an Isomer page's title and
    permalink): front-matter-schema reports an empty one as "title is empty; Isomer shows
    it as the page heading and browser title". One defect, one report, the one that says
    what the key is for."""
    from naislint.jekyll import pagekinds
    from naislint.schema.frontmatter import load_builtin

    choice = pagekinds.choose(doc, ctx.place)
    if not choice.builtin:
        return frozenset()
    schema = load_builtin(choice.schema)
    keys = set(schema.get("required") or ())
    for part in schema.get("allOf") or ():
        if isinstance(part, dict):
            keys.update(part.get("required") or ())
    return frozenset(k for k in keys if isinstance(k, str))


RULE = Rule(
    code="NL105",
    name="front-matter-empty",
    summary="A front matter key present but empty (title:, layout: \"\")",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
