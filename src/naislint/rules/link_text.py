"""NL602 link-text: link text that says nothing out of context.

WCAG 2.1 success criterion 2.4.4 (Link Purpose (In Context)). Screen reader users often
list a page's links, or tab from link to link, hearing only each link's text: "click
here", "more" or a lone "»" say nothing there, nor does a long bare URL read out
character by character. Two links with the same text to different places cannot be told
apart in that list either.

WCAG asks for a link's purpose *in context*: its sentence, list item or table cell may
say what the link's text does not. A long bare URL whose sentence names what it leads
to (a citation: "… Straits Times. Retrieved 2020, June 16 from https://…", a photo
credit) is read out once after its title and is left alone, and so are links with one
text for different addresses that their sentences tell apart ("Find technology in
[Water]" and "Connect with advisers in [Water]"). A noun for a kind of resource
("example", "website") is named by the words it belongs to when they say of what
("Added ``--config`` option ([example](…))", "the NParks [website]"). A log of dated entries (meeting
minutes, see :mod:`naislint.page.dated_log`) is a record nobody rewords: it is left
alone unless ``dated-logs`` is set.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from naislint.diagnostics import Finding, Severity
from naislint.page.dated_log import is_dated_log
from naislint.page.reader import Link, reading, visible_text
from naislint.page.document import Document
from naislint.page.regions import regions
from naislint.page.renderer import for_document
from naislint.registry import Rule, RuleContext

if TYPE_CHECKING:
    from markdown_it.token import Token

_PUNCT_RE = re.compile(r"[\s\W_]+")
_URL_TEXT_RE = re.compile(r"^(?:(?:https?|ftp)://|www\.)\S+$", re.IGNORECASE)
_LIQUID_RE = re.compile(r"\{\{[^}]*\}\}|\{%[^%]*%\}")
#: What is not a word a reader hears around a link: link destinations, reference
#: labels, footnote labels, tags, attribute lists, addresses and markdown punctuation.
_NOT_WORDS_RE = re.compile(
    r"\]\([^)\n]*\)|\]\[[^\]\n]*\]|\[\^[^\]\n]*\]:?|<[^<>]*>|\{:[^}\n]*\}"
    r"|\b[a-z][a-z0-9+.-]*://[^\s<>()\[\]]*|\bwww\.[^\s<>()\[\]]*|[\[\]*_`#>|~]"
)
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
#: Elements whose text is a link's context (WCAG's sentence, paragraph, list item,
#: table cell), besides markdown's paragraphs, headings and cells.
_CONTEXT_ELEMENTS = frozenset("p li td th dd dt h1 h2 h3 h4 h5 h6 caption figcaption blockquote".split())


@dataclass(frozen=True)
class Options:
    #: Link texts that say nothing out of context, compared without case, punctuation or
    #: surrounding spaces. English, Malay and Chinese by default.
    generic: tuple[str, ...] = (
        "click here", "click", "here", "more", "read more", "learn more", "find out more",
        "more info", "more information", "more details", "details", "link", "this link",
        "this", "this page", "see more", "view more", "continue", "continue reading",
        "much more", "and more", "example", "examples", "this guide", "this article",
        "this post", "this document", "this doc", "this website", "this site", "website",
        "klik di sini", "klik sini", "di sini", "sini", "klik", "baca lagi", "selanjutnya",
        "lagi", "pautan",
        "点击这里", "点击此处", "点击", "这里", "此处", "更多", "阅读更多", "了解更多", "详情",
        "链接", "按此", "請按此", "点此",
    )
    #: Words added to ``generic`` (so that a site can extend the list without repeating it).
    extra_generic: tuple[str, ...] = ()
    #: Report a long bare URL used as link text.
    bare_urls: bool = True
    #: A URL as link text at most this long (without ``https://`` and ``www.``) is short
    #: enough to hear, and is not reported.
    readable_url_length: int = 30
    #: Words around a long bare URL (in its sentence, list item or table cell) that
    #: name what it leads to, as a label, a citation or a credit does ("Kubelet:",
    #: "Photo credit:"; "see", "at", "here" name nothing): from this many on, the URL is
    #: not reported.
    naming_words: int = 1
    #: Report links with the same text that go to different places on one page (when
    #: their sentences do not tell them apart either).
    same_text: bool = True
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records, not pages an editor rewords.
    dated_logs: bool = False


def _norm(text: str) -> str:
    return _PUNCT_RE.sub(" ", text.casefold()).strip()


@lru_cache(maxsize=8)
def _generic(texts: tuple[str, ...]) -> frozenset[str]:
    """The generic texts as compared, once per configuration rather than once per page."""
    return frozenset(_norm(w) for w in texts)


#: Nouns that, right after a link, make a generic-looking text the name of the thing:
#: "the [examples] repository", "the [website] repo", "the [more] command".
_KIND_NOUNS = frozenset(
    "repository repositories repo repos project subproject package library module command "
    "directory folder organization org channel team label branch tool plugin".split()
)


#: Generic texts that are nouns for a kind of resource ("an example", "a website"): what
#: they are an example or the website of is said by the words they belong to, when those
#: words are the link's context (WCAG 2.4.4): an annotation in brackets after what it
#: illustrates ("Post excerpts ([example](…))"), a name right before the noun ("the
#: NParks [website]"), or the list item the link stands alone under ("3. Register the
#: metric …" then "[Example](…)"). "here", "more" or "this guide" point and name nothing.
_RESOURCE_NOUNS = frozenset("example examples website link details pautan".split())
#: The last word of a text, with a possessive ("NEA's").
_LAST_WORD_RE = re.compile(r"([^\W_][\w&'’-]*)$")
_SENTENCE_END_RE = re.compile(r"(?:^|[.!?:;])\W*$")


def _proper_name(said: str) -> bool:
    """Whether ``said`` (the text before a link) ends with a name: a word written with a
    capital inside it (``NParks``, ``GitHub``), all in capitals (``NEA``), possessive
    (``NEA's``), or capitalised where a sentence does not start (``the Jekyll``)."""
    m = _LAST_WORD_RE.search(said)
    if m is None:
        return False
    word = m.group(1)
    bare = re.sub(r"['’]s$", "", word)
    if not bare or bare.casefold() in _FILLER or len(bare) < 2:
        return False
    if bare != word:
        return True
    if any(ch.isupper() for ch in bare[1:]):
        return True
    return bare[0].isupper() and not _SENTENCE_END_RE.search(said[: m.start()])


def _named_by_context(text: str, link: Link, heard: "_Around") -> bool:
    """Whether a resource noun's words say what it is the resource of (see
    :data:`_RESOURCE_NOUNS`)."""
    before = text[: link.start].rstrip()
    if before.endswith("(") and text[link.end :].lstrip().startswith(")"):
        return _named(list(heard.before)) > 0  # "Post excerpts ([example](…))"
    if _proper_name(heard.said_before):
        return True  # "the NParks [website]"
    alone = _named(list(heard.before + heard.after)) == 0
    return alone and _named(list(heard.around)) > 0  # the list item it belongs to


def _slug(text: str) -> str:
    """A heading's text or an anchor, compared as a heading id is made: letters and
    digits, without case."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _written(link: Link, text: str) -> str:
    """A link with ``text`` as its text, in the link's own syntax."""
    return f'<a href="…">{text}</a>' if link.source == "html" else f"[{text}](…)"


def _same_key(text: str) -> str:
    """Link texts that sound the same: without case, surrounding punctuation or extra
    spaces ("eResources website." and "eResources website"), but with the punctuation
    inside, which tells "kubernetes/client-go" from "kubernetes-client/go"."""
    return " ".join(text.casefold().split()).strip(" .,;:!?()[]\"'“”‘’")


#: Ports a web address has when it names none.
_DEFAULT_PORTS = (":80", ":443")


def _target(href: str) -> str:
    """Where a link goes, for telling two links' targets apart: the forms of one address
    a web server answers alike are one target (``http`` and ``https``, a ``www.`` host or
    not, a default port, a trailing slash, ``index.html``; scheme and host without case),
    and so is Liquid left out (the site's base URL)."""
    href = _LIQUID_RE.sub("", href.strip())
    try:
        parts = urlsplit(href)
    except ValueError:
        return href
    scheme = parts.scheme.lower()
    host = parts.netloc.lower()
    if scheme in ("http", "https"):
        scheme = "https"
        host = host.removeprefix("www.")
        for port in _DEFAULT_PORTS:
            host = host.removesuffix(port)
    path = parts.path
    for tail in ("index.html", "index.htm"):
        if path.endswith("/" + tail):
            path = path[: -len(tail)]
    path = path.rstrip("/") or "/"
    return f"{scheme}://{host}{path}?{parts.query}#{parts.fragment}"


def _long_url(text: str, readable: int) -> bool:
    """A URL as link text that is too long to listen to: ``www.gogreen.gov.sg`` or
    ``http://localhost:4000`` is an address the reader may want to hear (or type), while
    ``https://github.com/kubernetes/kubernetes/pull/117793#issuecomment-1837400726`` is not."""
    if not _URL_TEXT_RE.match(text):
        return False
    bare = re.sub(r"^(?:(?:https?|ftp)://)?(?:www\.)?", "", text, flags=re.IGNORECASE).rstrip("/")
    return len(bare) > readable or "?" in bare


_PIPE_RE = re.compile(r"(?<!\\)\|")
_TOKEN_RE = re.compile(r"[^\W_]+")
#: A citation's number before its address: "[4] https://…", "(2) https://…", "³ https://…".
_CITATION_MARK_RE = re.compile(r"^\W*(?:\\?\[\d{1,3}\\?\]|\(\d{1,3}\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\W*$")
#: Headings of a list of references, whose entries are cited by their address.
_REFERENCE_HEADINGS = frozenset(
    "references reference sources source bibliography citations works cited further reading "
    "footnotes endnotes rujukan sumber 参考 参考文献 参考资料 资料来源 来源".split()
)


def _tokens(text: str) -> list[str]:
    """The words and numbers a reader hears in a piece of markdown or HTML, lower-cased:
    addresses, destinations and markup left out."""
    return _TOKEN_RE.findall(visible_text(_NOT_WORDS_RE.sub(" ", text)).casefold())


#: Words around a link that say nothing about what it is.
_FILLER = frozenset(
    "see visit at go to refer click tap please here there link links more info information "
    "details from via on in the a an and or also check out this that it is are can be found "
    "available for of by with you your our use using open".split()
)


def _named(tokens: list[str]) -> int:
    """How many of ``tokens`` are words that name something (numbers, single letters and
    words such as "see" or "at" name nothing)."""
    return sum(1 for t in tokens if _WORD_RE.fullmatch(t) and t not in _FILLER)


def _reference_heading(text: str) -> bool:
    return " ".join(_tokens(text)) in _REFERENCE_HEADINGS


@dataclass(frozen=True, slots=True)
class _Block:
    """A paragraph, heading, list item paragraph, table row or HTML element."""

    start: int
    end: int
    #: Words of the list items the block is nested in.
    around: tuple[str, ...] = ()
    #: The column headings of its markdown table, when the block is a body row.
    columns: tuple[tuple[str, ...], ...] | None = None
    #: In a footnote, or under a heading such as "References": a list of references.
    reference: bool = False


@dataclass(frozen=True, slots=True)
class _Around:
    """What a reader hears around one link."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    around: tuple[str, ...]
    reference: bool
    #: In a markdown table's body, under a column heading and beside words of its row
    #: (a "Recording" column's [link] in the "KubeCon Europe 2024" row).
    headed: bool = False
    #: The text heard before the link in its block, as written (case kept).
    said_before: str = ""

    def naming_words(self) -> int:
        return _named(list(self.before + self.after + self.around))


_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def _kramdown_paragraphs(doc: Document, token: "Token", html: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The paragraphs kramdown makes of an HTML block's lines (``(start, end)`` offsets).

    CommonMark runs an HTML block that opens with ``<p>`` or ``<h5>`` on to the next blank
    line; kramdown ends the element at its end tag and reads the lines after it as a
    paragraph, up to a blank line or the next line that opens block HTML. A reading list's
    ``<p class="end-note">…</p>`` line, the book's blurb and its "Borrow the eBook [online]"
    line are one ``<p>`` on the site: the link's context is all of it, not its line."""
    src = doc.source_of(token)
    pos, end = src.start, src.start + len(src.text)
    at = bisect.bisect_right(html, (pos, float("inf"))) - 1
    gaps: list[tuple[int, int]] = []
    for k in range(max(at, 0), len(html)):
        r_start, r_end = html[k]
        if r_start >= end:
            break
        if r_end <= pos:
            continue
        if r_start > pos:
            gaps.append((pos, r_start))
        pos = max(pos, r_end)
    if pos < end:
        gaps.append((pos, end))
    text = doc.text
    for g_start, g_end in gaps:
        piece = text[g_start:g_end]
        offset = 0
        for part in _BLANK_LINE_RE.split(piece):
            first = piece.index(part, offset)
            offset = first + len(part)
            if part.strip():
                lead = len(part) - len(part.lstrip())
                yield g_start + first + lead, g_start + first + len(part.rstrip())


class _Context:
    """The words a reader hears around each link (WCAG's "programmatically determined link
    context"): the innermost paragraph, list item, table row or HTML block element that
    holds it, without the link's own text, the text of the list items it is nested in
    and, in a markdown table, its column's heading. A heading above the link does not
    count: a reader listing the page's links does not hear it."""

    def __init__(self, doc: Document) -> None:
        self.text = doc.text
        blocks: dict[tuple[int, int], _Block] = {}
        items: list[tuple[str, ...] | None] = []  # the open list items' own text, outermost first
        headers: list[tuple[str, ...]] = []
        section = ""
        footnotes = 0
        references = False
        tokens = doc.tokens
        kramdown = for_document(doc).is_kramdown and "<" in self.text
        html_regions = sorted((r.start, r.end) for r in regions(doc)) if kramdown else []
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "list_item_open":
                items.append(None)
            elif kind == "list_item_close" and items:
                items.pop()
            elif kind == "footnote_open":
                footnotes += 1
            elif kind == "footnote_close":
                footnotes -= 1
            elif kind == "table_open":
                headers = []
            elif kind in ("thead_open", "tbody_open"):
                section = kind
            elif kind == "table_close":
                section = ""
            elif kind == "heading_open" and i + 1 < len(tokens):
                references = _reference_heading(tokens[i + 1].content)
            elif kind == "html_block" and token.map and kramdown:
                around = tuple(w for item in items if item for w in item)
                for start, end in _kramdown_paragraphs(doc, token, html_regions):
                    blocks.setdefault((start, end), _Block(start, end, around, None, footnotes > 0 or references))
            elif kind == "inline" and token.map:
                src = doc.source_of(token)
                key = (src.start, src.start + len(src.text))
                around = tuple(w for item in items if item for w in item)
                if items and items[-1] is None:
                    items[-1] = tuple(_tokens(token.content))
                if section == "thead_open":
                    headers.append(tuple(_tokens(token.content)))
                if key not in blocks:
                    blocks[key] = _Block(
                        key[0], key[1], around,
                        tuple(headers) if section == "tbody_open" else None,
                        footnotes > 0 or references,
                    )
                elif section == "tbody_open":  # every cell of a row: the headings are all known now
                    blocks[key] = _Block(key[0], key[1], around, tuple(headers), blocks[key].reference)
        ranges = list(blocks.values())
        if "<" in self.text:
            from naislint.page.html import structure

            ranges.extend(
                _Block(e.start.end, e.end.start)
                for e in structure(doc).elements
                if e.name in _CONTEXT_ELEMENTS and e.end is not None
            )
        ranges.sort(key=lambda b: (b.start, -b.end))
        self.ranges = ranges
        self.starts = [b.start for b in ranges]

    def _block(self, link: Link) -> _Block:
        """The innermost block holding the link (the one that starts last), else its line."""
        k = bisect.bisect_right(self.starts, link.start) - 1
        for j in range(k, max(-1, k - 64), -1):
            block = self.ranges[j]
            if block.start <= link.start and link.end <= block.end:
                return block
        text = self.text
        end = text.find("\n", link.end)
        return _Block(text.rfind("\n", 0, link.start) + 1, len(text) if end == -1 else end)

    def of(self, link: Link) -> _Around:
        """What is heard before and after the link in its block, and around the block."""
        block = self._block(link)
        around = block.around
        heading: tuple[str, ...] = ()
        if block.columns is not None:  # a markdown table's row: and its column's heading
            row = self.text[block.start : block.end]
            lead = 1 if row.lstrip().startswith("|") else 0
            column = sum(1 for m in _PIPE_RE.finditer(row, 0, link.start - block.start)) - lead
            if 0 <= column < len(block.columns):
                heading = block.columns[column]
                around = around + heading
        before = self.text[block.start : link.start]
        after = tuple(_tokens(self.text[link.end : block.end]))
        reference = block.reference or bool(_CITATION_MARK_RE.match(visible_text(before)))
        heard_before = tuple(_tokens(before))
        headed = bool(heading) and _named(list(heard_before + after)) > 0
        said = visible_text(_NOT_WORDS_RE.sub(" ", before))
        return _Around(heard_before, after, around, reference, headed, said)


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    if not options.dated_logs and is_dated_log(doc):
        return
    read = reading(doc)
    images = read.images
    generic = _generic(tuple(options.generic) + tuple(options.extra_generic))
    groups: dict[str, list[tuple[str, Link]]] = {}
    context: _Context | None = None
    for link in read.links:
        if link.labelled:
            continue
        text = link.text
        if not text:
            continue  # a link named by its image only: image-alt judges that
        has_named_image = any((images[k].alt or "").strip() for k in link.images)
        span = doc.span(link.text_start, link.text_end)
        key = _norm(text)
        href = link.href.strip()
        if key in generic and not has_named_image:
            if href.startswith("#") and _slug(text) == _slug(href[1:]):
                continue  # a table of contents: the text is the heading of the section it opens
            context = context or _Context(doc)
            heard = context.of(link)
            if heard.headed:
                continue  # a table's column heading and row say what it is ("Recording", "KubeCon 2024")
            if heard.after[:1] and heard.after[0] in _KIND_NOUNS:
                continue  # a name: "the [examples] repository", "the [website] repo"
            if key in _RESOURCE_NOUNS and _named_by_context(doc.text, link, heard):
                continue  # "Post excerpts ([example](…))", "the NParks [website]"
            yield Finding(
                span,
                f"link text {text!r} says nothing about where the link goes: write what the reader "
                f"will find there, e.g. {_written(link, 'Download the 2023 annual report')} instead of {text.strip()!r}",
            )
            continue
        if not key and not has_named_image:
            yield Finding(
                span,
                f"link text {text!r} is only a symbol, which a screen reader reads as nothing or as "
                f"its name: write what the reader will find there, e.g. {_written(link, 'Next: Eligibility')}",
            )
            continue
        if options.bare_urls and _long_url(text, options.readable_url_length):
            context = context or _Context(doc)
            heard = context.of(link)
            if not heard.reference and heard.naming_words() < options.naming_words:
                yield Finding(
                    span,
                    "link text is a long web address, which a screen reader reads out character by "
                    "character, and nothing around it says what it is: write the name of the page as "
                    f"the link text, e.g. {_written(link, 'Green Plan 2030')}, or name it before the address "
                    "(Green Plan 2030: https://…)",
                    severity=Severity.INFO,
                )
            continue
        if options.same_text and href and not href.startswith("#"):
            groups.setdefault(_same_key(text), []).append((_target(href), link))
    if groups:
        yield from _same_text(doc, groups, context)


def _same_text(doc: Document, groups: dict[str, list[tuple[str, Link]]], context: _Context | None) -> Iterator[Finding]:
    """One report per text used for several addresses in the same words (a page of 30
    book listings each saying "Borrow the eBook [online]" gets one report, not 29), at
    the first link that repeats an earlier one's text and context for another address.
    Links whose sentences tell them apart are told apart in context (WCAG 2.4.4)."""
    for uses in groups.values():
        if len({target for target, _link in uses}) < 2:
            continue
        seen: dict[tuple[tuple[str, ...], ...], str] = {}
        second: Link | None = None
        # The page's blocks are read only for a text used for two addresses: most pages
        # with links have none, and reading them is the rule's largest cost.
        context = context or _Context(doc)
        for target, link in uses:
            heard = context.of(link)
            words = (heard.before, heard.after, heard.around)
            if words in seen and seen[words] != target:
                second = link
                break
            seen.setdefault(words, target)
        if second is None:
            continue
        targets = {target for target, _link in uses}
        lines = sorted({doc.position(link.text_start)[0] for _t, link in uses})
        shown = ", ".join(str(n) for n in lines[:6]) + (", …" if len(lines) > 6 else "")
        yield Finding(
            doc.span(second.text_start, second.text_end),
            f"link text {second.text!r} goes to {len(targets)} different addresses on this page "
            f"(lines {shown}), and two of them stand in paragraphs (or list items, table rows) of "
            "the same words: a reader who lists the page's links, or hears only the paragraph, cannot "
            "tell them apart unless a heading above says which is which; make each text name its own "
            "destination, e.g. "
            '"Annual report 2022" and "Annual report 2023"',
            severity=Severity.INFO,
        )


RULE = Rule(
    code="NL602",
    name="link-text",
    summary='link text that says nothing out of context ("click here", a bare URL)',
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
