"""NL503 emphasis-as-heading: a paragraph that is one bold line, used as a heading.

It looks like a heading but is not one: it is missing from the page outline that screen
readers navigate by, from the table of contents, and it has no anchor to link to. Like
markdownlint's MD036, a line ending in punctuation (``**Note:**``, ``**Done.**``) is
taken for emphasis, not a heading; so is a bold list item, table cell or quote. Italic
lines are left alone: on these sites they are captions and credits (``_(Photo credit: ...)_``).

A bold line right above a code block or a table is that block's caption (``**YAML**``
over a YAML example, ``**Result**`` over the rendered result): it names the block below
it, it does not open a section, and a heading there would fill the outline with one
"YAML" / "Liquid" / "Result" per example. So is a bold line that names the language of a
code block one short paragraph below it (``**Liquid**``, a sentence saying where the file
goes, then a ```` ```liquid ```` block): a caption with a word of introduction, not a
section. A bold first line that types the page title
again, under a layout that prints the title as the ``<h1>``, is a duplicate of that
heading, not a missing one, and is left alone. The heading suggested is one level below
the heading the bold line sits under (``##`` when none is above it: the layout prints the
page title as the ``<h1>``), or below the bold line reported right above it (a section
and its first sub-section, with nothing between).

A log of dated entries (meeting minutes, :mod:`naislint.page.dated_log`, whose dates and
times are bold lines: ``**12/15/2020**``, ``**10:30am Pacific**``) is a record nobody
restructures: it is left alone unless ``dated-logs`` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.dated_log import is_dated_log, is_dateline
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

if TYPE_CHECKING:
    from markdown_it.token import Token

PUNCTUATION = ".,;:!?。，；：！？"
CONTAINERS = {"list_item_open", "blockquote_open", "footnote_open"}
CONTAINER_CLOSES = {"list_item_close", "blockquote_close", "footnote_close"}
#: Blocks a bold line above names: code and tables.
CAPTIONED = {"fence", "code_block", "table_open"}
#: An HTML block that is code or a table: ``<pre>``, ``<table>``, or an element of class
#: ``highlight`` (what Jekyll's highlighters, Rouge and Pygments, wrap code in, and what
#: a page copies to show code or its rendered result).
HTML_CAPTIONED_RE = re.compile(
    r"\s*<(?:pre|table)\b|\s*<[a-z][a-z0-9-]*\b[^>]*?\bclass\s*=\s*[\"']?(?:[^\"'>]*\s)?highlight\b",
    re.IGNORECASE,
)
#: An HTML block that prints nothing: a ``<style>`` or ``<script>`` element, a comment.
HTML_SILENT_RE = re.compile(
    r"(?:\s*(?:<style\b.*?</style\s*>|<script\b.*?</script\s*>|<!--.*?-->))+\s*", re.IGNORECASE | re.DOTALL
)
#: A paragraph of Liquid tags alone, which print nothing (``{% raw %}``, ``{% endraw %}``,
#: ``{% assign %}``): Jekyll removes it, so the block after it is the block after the
#: bold line. ``{% highlight %}`` opens a code block of its own.
LIQUID_ONLY_RE = re.compile(r"(?:\s*\{%-?\s*\w+[^%]*?-?%\})+\s*")
LIQUID_HIGHLIGHT_RE = re.compile(r"\s*\{%-?\s*highlight\b")
LIQUID_TAG_NAME_RE = re.compile(r"\{%-?\s*(\w+)")
LIQUID_PRINTING_TAGS = frozenset({"include", "include_relative", "link", "post_url", "render", "echo", "cycle"})


def _whole_emphasis(children: list[Token]) -> tuple[str, str] | None:
    """The text and markup when the inline is exactly one emphasis run wrapping everything."""
    items = list(children)
    while items and items[0].type == "text" and not items[0].content:
        items.pop(0)
    while items and (items[-1].type in ("softbreak", "hardbreak") or (items[-1].type == "text" and not items[-1].content.strip())):
        items.pop()
    if len(items) < 3 or items[0].type != "strong_open":
        return None
    close = items[0].type.replace("_open", "_close")
    if items[-1].type != close:
        return None
    depth = 0
    for i, child in enumerate(items):
        if child.type == items[0].type:
            depth += 1
        elif child.type == close:
            depth -= 1
            if depth == 0 and i != len(items) - 1:
                return None
    parts = []
    for child in items[1:-1]:
        if child.type in ("softbreak", "hardbreak", "image", "html_inline"):
            return None
        if child.type in ("link_open",):
            return None
        parts.append(child.content)
    return "".join(parts), items[0].markup


@dataclass(frozen=True)
class Options:
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records kept as they were taken.
    dated_logs: bool = False


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    if not options.dated_logs and is_dated_log(doc):
        return
    tokens = doc.tokens
    depth_in_container = 0
    last = len(tokens) - 1
    previous: tuple[int, int] | None = None  # (token index of paragraph_close, level) of the last report
    for i, token in enumerate(tokens):
        kind = token.type
        if kind != "paragraph_open":
            if kind in CONTAINERS:
                depth_in_container += 1
            elif kind in CONTAINER_CLOSES:
                depth_in_container -= 1
            continue
        if depth_in_container or i >= last:
            continue
        inline = tokens[i + 1]
        children = inline.children
        if not children or inline.type != "inline" or not inline.map:
            continue
        if inline.map[1] - inline.map[0] != 1:
            continue
        if children[0].type == "text" and children[0].content:
            continue  # a paragraph that starts with text, as nearly all do
        if not _starts_bold(children):
            continue
        found = _whole_emphasis(children)
        if found is None:
            continue
        text, markup = found
        if not text.strip() or text.strip()[-1] in PUNCTUATION:
            continue
        if _is_caption(tokens, i + 3) or _names_code_below(tokens, i + 3, text):
            continue
        if is_dateline(text) or _labels_a_list(tokens, i + 3, text):
            continue
        if i == 0 and _repeats_title(doc, ctx, text):
            continue
        span = _markup_span(doc, inline.map[0] + 1, markup)
        if span is None:
            continue
        if previous is not None and previous[0] == i - 1:
            level = min(previous[1] + 1, 6)  # right under another bold heading: its sub-section
        else:
            level = _suggested_level(doc, doc.index.line_start(inline.map[0] + 1))
        previous = (i + 2, level)
        hashes = "#" * level
        # The whole text: a suggestion cut mid-phrase is not a heading anyone would write.
        yield Finding(span, f"bold line used as a heading: make it a markdown heading ({hashes} {' '.join(text.split())})")


#: A bold label over the list it names ("Table of Contents" over a generated list of
#: links): a caption of the list, as "YAML" is of the code below it.
LIST_LABELS = frozenset({"table of contents", "contents", "toc", "on this page", "in this page", "in this article"})


def _labels_a_list(tokens: list[Token], at: int, text: str) -> bool:
    """Whether the bold line is a list label and the block right after it is that list."""
    if " ".join(text.split()).casefold().rstrip(":") not in LIST_LABELS:
        return False
    return at < len(tokens) and tokens[at].type in ("bullet_list_open", "ordered_list_open")


#: How much of the title's words a bold first line must hold to be the title typed again
#: (the rest may be reworded or left out), and how many words the title must have for
#: that to say anything.
TITLE_COVER = 0.8
TITLE_MIN_WORDS = 3
_WORD_RE = re.compile(r"\w+")


def _repeats_title(doc: Document, ctx: RuleContext, text: str) -> bool:
    """Whether a bold first line is the page title typed again, under a layout that
    prints the title as the ``<h1>`` right above it (mse's posts open with the title in
    bold, sometimes reworded: "Written Reply by Ms X to Parliamentary Question on Y" under
    "Written Reply to Parliamentary Question on Y by Ms X", or with the speaker's office
    added: "Speech by Dr X, Senior Minister of State for ..., at Y" under "Y - Dr X"). It
    is a duplicate of the heading, not a missing one: ``##`` would only repeat the
    ``<h1>`` in the outline."""
    title = doc.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        return False
    own = set(_WORD_RE.findall(text.casefold()))
    wanted = set(_WORD_RE.findall(title.casefold()))
    if len(wanted) < TITLE_MIN_WORDS or len(own & wanted) < TITLE_COVER * len(wanted):
        return False
    from naislint.jekyll.layouts import title_h1

    return title_h1(doc, ctx.place) is not None


def _is_caption(tokens: list[Token], at: int) -> bool:
    """Whether the block starting at token ``at`` (the one after the bold paragraph) is
    code or a table, looking past blocks that print nothing (Liquid tags alone, a
    ``<style>`` element)."""
    while at < len(tokens):
        token = tokens[at]
        if token.type in CAPTIONED:
            return True
        if token.type == "html_block":
            if HTML_SILENT_RE.fullmatch(token.content):
                at += 1
                continue
            return HTML_CAPTIONED_RE.match(token.content) is not None
        if token.type != "paragraph_open" or at + 1 >= len(tokens):
            return False
        content = tokens[at + 1].content
        if LIQUID_HIGHLIGHT_RE.match(content):
            return True  # {% highlight lang %} ... {% endhighlight %}: a code block
        if LIQUID_ONLY_RE.fullmatch(content) is None:
            return False
        if LIQUID_PRINTING_TAGS.intersection(LIQUID_TAG_NAME_RE.findall(content)):
            return False
        at += 3  # paragraph_open, inline, paragraph_close
    return False


#: The most words of the paragraph between a caption and the code block it names.
CAPTION_GAP_WORDS = 60
#: Other names of code languages, as fences write them.
_LANGUAGE_NAMES = {"yml": "yaml", "js": "javascript", "sh": "shell", "bash": "shell", "console": "shell",
                   "htm": "html", "md": "markdown", "rb": "ruby", "py": "python"}


def _language(name: str) -> str:
    word = name.strip().casefold()
    return _LANGUAGE_NAMES.get(word, word)


def _names_code_below(tokens: list[Token], at: int, text: str) -> bool:
    """Whether the bold line is the caption of a code block one short paragraph below it
    (at most :data:`CAPTION_GAP_WORDS` words, past Liquid tags that print nothing), whose
    fence names the bold line's language: ``**Liquid**`` over a sentence and a
    ```` ```liquid ```` block."""
    if at + 2 >= len(tokens) or tokens[at].type != "paragraph_open":
        return False
    gap = tokens[at + 1].content
    if LIQUID_ONLY_RE.fullmatch(gap) is not None or len(gap.split()) > CAPTION_GAP_WORDS:
        return False
    at += 3
    while at + 1 < len(tokens) and tokens[at].type == "paragraph_open" \
            and LIQUID_ONLY_RE.fullmatch(tokens[at + 1].content) is not None \
            and not LIQUID_PRINTING_TAGS.intersection(LIQUID_TAG_NAME_RE.findall(tokens[at + 1].content)):
        at += 3  # {% raw %} around the example
    if at >= len(tokens) or tokens[at].type != "fence":
        return False
    info = tokens[at].info.split()
    return bool(info) and _language(info[0]) == _language(text)


def _suggested_level(doc: Document, offset: int) -> int:
    """One level below the heading the bold line sits under (markdown or HTML, as the
    renderer makes them), at most 6; 2 at the top of the page, under the layout's h1."""
    from naislint.rules.heading_increment import section_headings

    level = 1
    for at, _end, heading_level in section_headings(doc):
        if at >= offset:
            break
        level = heading_level
    return min(level + 1, 6)


def _markup_span(doc: Document, line: int, markup: str) -> Span | None:
    """Where ``markup`` first appears on ``line``: ``doc.find`` for a one-line paragraph,
    without copying the line (this rule reports thousands on some sites)."""
    start = doc.index.line_start(line)
    at = doc.text.find(markup, start, doc.index.line_end(line))
    if at == -1:
        return None
    column = at - start + 1
    return Span(line, column, line, column + len(markup))


def _starts_bold(children: list[Token]) -> bool:
    """Whether the first child that is not empty text opens bold: a cheap test that
    rules out nearly every paragraph before :func:`_whole_emphasis` copies its children."""
    for child in children:
        if child.type != "text" or child.content:
            return child.type == "strong_open"
    return False


RULE = Rule(
    code="NL503",
    name="emphasis-as-heading",
    summary="a bold line standing as a heading",
    check=check,
    default_severity=Severity.INFO,
    options=Options,
)
