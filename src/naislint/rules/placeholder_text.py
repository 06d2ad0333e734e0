"""NL509 placeholder-text: template text left on a published page.

"Lorem ipsum", "Insert image here", "TBD", "XXX" and "sample text" are what a template or
a draft holds until the real content arrives; on a published page they tell the reader
the page is unfinished. A page whose whole content is a placeholder ("# TO WRITE",
"Coming soon") is an unwritten page at a real URL, reported once at the placeholder. Pages with ``published: false`` are not published and are left
alone; so are code, comments and front matter. A page whose file name says it is a
template (``election-templates.md``) shows its blanks on purpose: there only "lorem
ipsum" is reported. A log of dated entries (meeting minutes, see
:mod:`naislint.page.dated_log`) copies its agenda template ("Note Taker: TBD",
"[Please add any PRs here]") into every week's entry and is a record nobody edits: it
is left alone unless ``dated-logs`` is set.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.dated_log import is_dated_log
from naislint.page.renderer import for_document
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: What a note to the editor asks done to the page, and the same as done ("to be added").
_EDITOR_TASKS = "hyperlink|link|insert|add|update|replace|upload|attach|embed"
_EDITOR_TASKS_DONE = "hyperlinked|linked|inserted|added|replaced|uploaded|attached|embedded"
#: The task of a note to the editor ("to add", "to be uploaded"): every note holds one.
_NOTE_TASK = r"to[ \t]+(?:" + _EDITOR_TASKS + r"|be[ \t]+(?:" + _EDITOR_TASKS_DONE + r"))\b"

#: (pattern, what it is, flags, needles): a pattern is tried only on a page whose text
#: holds one of its needles (lower-cased unless the pattern is case-sensitive), so most
#: pages cost one ``str.lower`` and a few substring searches. The reported text is the
#: pattern's first group when it has one.
_PATTERNS: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    (r"\blorem\s+ipsum\b", "dummy text", re.IGNORECASE, ("lorem",)),
    # "Insert image here" anywhere; "add/enter/put … here" only as a bracketed note to
    # the editor ("[Please add any design reviews here]"): in a sentence it is advice.
    (r"\binsert\s+(?:[\w’'-]+[ \t]+){0,4}?(?:here|below)\b", "an instruction to the editor", re.IGNORECASE,
     ("insert",)),
    (r"[\[(][ \t]*((?:please[ \t]+)?(?:add|enter|put|type|write)[ \t]+(?:[\w’'-]+[ \t]+){0,4}?(?:here|below))[ \t]*[\])]",
     "an instruction to the editor", re.IGNORECASE, ("here]", "here)", "below]", "below)")),
    (r"\b(?:your|some|sample|placeholder|dummy|filler)[ \t]+text(?:[ \t]+goes)?[ \t]+here\b", "a stand-in",
     re.IGNORECASE, ("text here", "text goes here")),
    # "Sample text" as the whole of a line, cell or element; in a sentence ("will PR some
    # sample text into the document") it is talk about text.
    (r"(?:^|(?<=[>|]))[ \t]*((?:sample|placeholder|dummy|filler)[ \t]+text)[ \t.]*(?=$|[<|])",
     "a stand-in", re.IGNORECASE | re.MULTILINE, ("sample text", "placeholder text", "dummy text", "filler text")),
    # TBD standing for a value: a table cell, after a label's colon, in brackets or alone
    # on a line ("Note Taker: TBD", "| TBD |", "(TBD)"); "details TBD" in a sentence is
    # ordinary English.
    # TBC ("to be confirmed") is the same blank.
    (r"(?<![\w-])TB[DC](?=[ \t]*(?:$|[|)\]]))", "a stand-in for content still to be decided", re.MULTILINE,
     ("TBD", "TBC")),
    # A bracketed note to whoever publishes the page, a task to do on it: "(IMDA to
    # hyperlink to album)", "[to insert photo]", "(photo to be added)". The one who is to
    # act is named in capitals or not at all, so "(see how to insert a row)" stays a
    # reader's aside. A status written for readers ("(to be confirmed)", "(to be
    # announced)" in a published schedule) asks no editor for anything: it is no note, and
    # a link's text ("[PR to update KEP template](…)") is none either.
    (r"[\[(][ \t]*((?:[A-Z][\w&’'-]*[ \t]+){0,3}" + _NOTE_TASK + r"[^\[\]()\n]{0,80})[\])](?![(\[])",
     "a note to the editor", 0, tuple(f"to {verb}" for verb in _EDITOR_TASKS.split("|")) + ("to be ",)),
    # XXX in capitals, as templates write it ("XXX total votes cast"); lower-case runs of
    # x are mostly masked data (an NRIC shown as xxxxxxxxx) or variables in examples.
    (r"(?<![\w\-+@#./])XXX(?![\w\-@.])", "a stand-in", 0, ("XXX",)),
)


#: For a pattern, a part every match of it holds, searched for before the pattern
#: itself: "to be " is on most pages, a note's task ("to be added") on few, and the
#: task is found by its leading "to" at C speed, where the whole pattern is tried at
#: every bracket of the page.
_CORES: dict[str, str] = {pattern: _NOTE_TASK for pattern, *_rest in _PATTERNS if _NOTE_TASK in pattern}

#: What an author writes as a page's whole content until it is written: "TO WRITE",
#: "TODO", "Coming soon", "Under construction" (compared without case, punctuation or
#: markup).
_PLACEHOLDER_PAGES = frozenset({
    "to write", "to be written", "todo", "to do", "tbd", "tba", "tbc", "coming soon",
    "content coming soon", "page coming soon", "more coming soon", "under construction",
    "page under construction", "work in progress", "wip", "placeholder", "to be added",
    "to be completed", "content to follow", "content to be added", "write me", "stub",
    "akan datang", "即将推出", "敬请期待", "建设中",
})
#: A body line's markdown around its words: a heading's hashes, emphasis, a list marker
#: or a quote, and what ends a note ("TODO.", "Coming soon!", "TO WRITE…").
_MARKUP_RE = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+>][ \t]+)?|[ \t]+#+[ \t]*$")
_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")


def placeholder_page(doc: Document) -> tuple[int, int] | None:
    """Where the placeholder is when a page's whole content is one ("# TO WRITE",
    "*Coming soon*"), as offsets in the file; ``None`` otherwise. Code, comments, Liquid,
    images and any HTML element are content, so a page with one of them is not only a
    placeholder."""
    prose = doc.prose
    body = prose[doc.body_start :]
    words = body.strip()
    if not words or "\n" in words or len(words) > 60 or any(c in words for c in "<{[|"):
        return None
    if doc.text[doc.body_start :].strip() != words:
        return None  # the body also holds code or a comment
    line = _MARKUP_RE.sub("", words)
    said = _EDGE_RE.sub("", line)
    if " ".join(said.casefold().split()) not in _PLACEHOLDER_PAGES:
        return None
    start = doc.body_start + body.index(words) + words.index(said)
    return start, start + len(said)


@dataclass(frozen=True)
class Options:
    #: More patterns (Python regular expressions, matched without case) that mark
    #: placeholder text on this site.
    extra_patterns: tuple[str, ...] = ()
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records, not pages an editor edits.
    dated_logs: bool = False
    #: Also report "TBD" in a repository's documents that GitHub shows (no Jekyll site),
    #: where it records a decision still open rather than a blank left on a web page.
    tbd_in_repositories: bool = False


Gate = Callable[[str], bool]


def _gate(needles: tuple[str, ...]) -> Gate:
    """Whether a text holds one of ``needles``, in as few passes over it as can be.

    Needles that share a beginning ("to add", "to update", … "to be "; "here]" and
    "here)") are looked for in one regex search, which finds the shared beginning at C
    speed and tries the rest only there: ten needles, one pass. Needles that all share
    an end ("sample text", "dummy text") are looked for only in a text that holds that
    end, which most pages lack."""
    if not needles:
        return lambda _text: True
    groups: dict[str, list[str]] = {}
    for needle in needles:
        groups.setdefault(needle[:2], []).append(needle)
    searches: list[Gate] = [_shared_start(group) for group in groups.values()]
    suffix = os.path.commonprefix([n[::-1] for n in needles])[::-1]
    if len(needles) > 1 and len(suffix) >= 2:
        return lambda text: suffix in text and any(search(text) for search in searches)
    if len(searches) == 1:
        return searches[0]
    return lambda text: any(search(text) for search in searches)


def _shared_start(group: list[str]) -> Gate:
    """Whether a text holds one of ``group``: one regex search when they share a
    beginning of two characters or more, else a substring search for each."""
    prefix = os.path.commonprefix(group)
    if len(group) > 1 and len(prefix) >= 2:
        rest = "|".join(re.escape(n[len(prefix) :]) for n in group)
        search = re.compile(re.escape(prefix) + "(?:" + rest + ")").search
        return lambda text: search(text) is not None
    return lambda text: any(n in text for n in group)


def _with_core(gate: Gate, core: str | None, flags: int) -> Gate:
    """``gate``, then, when it passes, whether the text holds the pattern's ``core``."""
    if core is None:
        return gate
    search = re.compile(core, flags).search
    return lambda text: gate(text) and search(text) is not None


@lru_cache(maxsize=16)
def _compiled(extra: tuple[str, ...]) -> list[tuple[re.Pattern[str], str, Gate, bool]]:
    """(pattern, what it is, whether the page may hold a match, whether that is asked
    of the lower-cased text)."""
    out = [
        (re.compile(pattern, flags), what, _with_core(_gate(needles), _CORES.get(pattern), flags),
         bool(flags & re.IGNORECASE))
        for pattern, what, flags, needles in _PATTERNS
    ]
    for pattern in extra:
        try:
            out.append((re.compile(pattern, re.IGNORECASE), "placeholder text", _gate(()), True))
        except re.error:
            continue  # a broken pattern of the config finds nothing rather than stopping the run
    return out


def _published(doc: Document) -> bool:
    value = doc.meta.get("published", True)
    return not (value is False or (isinstance(value, str) and value.strip().lower() == "false"))


def _jekyll_page(doc: Document, site_root: str | None) -> bool:
    """Whether Jekyll publishes the page (a site's page, or one whose front matter is
    Jekyll's), rather than GitHub showing a repository's file, which has no
    ``published:``."""
    return site_root is not None or for_document(doc).is_kramdown


def _advice(what: str, jekyll: bool) -> str:
    """What to write instead of a placeholder, for what it is and where the page is read."""
    if what.endswith("decided"):
        advice = (
            "write the value, or, while it is not decided, say so in words a reader understands "
            '(e.g. "to be announced in March")'
        )
    elif what == "a note to the editor":
        advice = "do what the note asks (add the link, the picture, the detail), then delete the note"
    else:
        advice = "replace it with the real content"
    if jekyll:
        advice += ", or keep the page unpublished (published: false) until it is ready"
    return advice


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    if not _published(doc):
        return
    if not options.dated_logs and is_dated_log(doc):
        return
    template = "template" in os.path.basename(doc.path).lower()
    jekyll = _jekyll_page(doc, ctx.site_root)
    whole = None if template else placeholder_page(doc)
    if whole is not None:
        found = doc.text[whole[0] : whole[1]]
        advice = "write the page"
        if jekyll:
            advice += ", or keep it unpublished (published: false) until it is written"
        yield Finding(
            doc.span(*whole),
            f"the page's whole content is {found!r}, a placeholder: the page is published with "
            f"nothing on it; {advice}",
        )
        return
    prose = doc.prose
    taken: list[tuple[int, int]] = []
    lines: set[int] = set()
    lower = prose.lower()
    url_ranges: dict[int, list[tuple[int, int]]] = {}
    for pattern, what, may_hold, folded in _compiled(options.extra_patterns):
        if template and what != "dummy text":
            continue  # a page that is a template: its blanks are what it shows
        if not may_hold(lower if folded else prose):
            continue
        if what.endswith("decided") and not jekyll and not options.tbd_in_repositories:
            continue  # a working document's open decision, not a web page's blank
        for m in pattern.finditer(prose, doc.body_start):
            start, end = m.span(1) if pattern.groups else m.span()
            if any(a < end and start < b for a, b in taken):
                continue
            line = doc.position(start)[0]
            if line in lines:
                continue  # one report a line: a table row of lorem ipsum is one problem
            if _in_url_or_tag(doc, start, url_ranges):
                continue
            if what.endswith("decided") and not _value_position(prose, start):
                continue
            taken.append((start, end))
            lines.add(line)
            found = prose[start:end]
            if found == "XXX" and _in_code(doc, found):
                continue  # the value the page's code uses ("-run=XXX"), named in the prose
            yield Finding(
                doc.span(start, end),
                f"{found!r} is placeholder text ({what}) on a published page: {_advice(what, jekyll)}",
            )


def _in_code(doc: Document, word: str) -> bool:
    """Whether ``word`` is written in the page's code (a code span or block), where the
    prose's mention of it names a value the code uses."""
    text, prose = doc.text, doc.prose
    at = text.find(word, doc.body_start)
    while at != -1:
        if prose[at : at + len(word)] != word:
            return True
        at = text.find(word, at + len(word))
    return False


_LIST_MARKER_RE = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])?[ \t]*$")


def _value_position(prose: str, start: int) -> bool:
    """Whether what starts at ``start`` stands where a value goes: first on its line (a
    list item's text included), or right after a label's colon, a table cell's bar or an
    opening bracket."""
    line_start = prose.rfind("\n", 0, start) + 1
    before = prose[line_start:start]
    if _LIST_MARKER_RE.fullmatch(before):
        return True
    return before.rstrip(" \t")[-1:] in (":", "|", "(", "[")


_URL_RE = re.compile(r"\S*(?://|www\.)\S*|\]\([^)\n]*\)")


def _in_url_or_tag(doc: Document, offset: int, url_ranges: dict[int, list[tuple[int, int]]]) -> bool:
    """``xxx`` in ``/files/xxx.pdf`` or in an attribute is not text a reader sees. The
    URLs of each line are found once (``url_ranges``, by line start)."""
    text = doc.text
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end == -1 else line_end
    urls = url_ranges.get(line_start)
    if urls is None:
        urls = url_ranges[line_start] = [m.span() for m in _URL_RE.finditer(text, line_start, line_end)]
    if any(a <= offset < b for a, b in urls):
        return True
    open_tag = text.rfind("<", line_start, offset)
    return (
        open_tag != -1
        and text.find(">", open_tag, offset) == -1
        and re.match(r"<[A-Za-z/!]", text[open_tag : open_tag + 2]) is not None
    )


RULE = Rule(
    code="NL509",
    name="placeholder-text",
    summary='placeholder text ("lorem ipsum", "insert … here", "TBD") on a published page',
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
