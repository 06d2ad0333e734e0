"""NL402 unclosed-html: HTML tags that do not pair, reported for what the reader sees.

What an unpaired tag does depends on who reads it first. On a kramdown site (Jekyll's
default, every Isomer site) kramdown pairs the tags strictly and writes what the browser
gets (:mod:`naislint.page.kramdown_tags`): an end tag out of place is printed as text,
an element left open in a paragraph ends with the paragraph, and one left open in block
HTML ends with the page's content, before the layout. On a GFM site the HTML goes to the
browser as written, which pairs it across the whole page by the HTML5 rules
(:func:`naislint.page.html.structure`).

Only what changes the page for a reader is reported: text that shows ``</div>``, the rest
of a paragraph in italics, a repeated component nested in the previous one. An element
that kramdown closes where the author would have (a page-wide wrapper, a last section, a
``<p>`` or ``<li>`` the browser closes anyway) and a stray ``</p>`` after
``<p><h5>..</h5></p>`` (an empty paragraph, which has no height) are not.

The advice names the fix: the end tags that belong before an end tag shown as text, or,
when the element still open is a ``<p>`` typed at the end of a paragraph's line where
``</p>`` was meant (``...flats.<p>``), to turn that ``<p>`` into ``</p>``.

A log of dated entries (meeting minutes, see :mod:`naislint.page.dated_log`) is a record
nobody edits: a Google Docs export's ``**<code>x</code></strong>`` stays as it was
taken. Such pages are left alone unless ``dated-logs`` is set.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator, Sequence

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.document import Document
from naislint.page.dated_log import is_dated_log
from naislint.page.github_sanitizer import is_placeholder
from naislint.page.html import OPTIONAL_END_TAGS, VOID_ELEMENTS, HtmlTag, Unclosed, page_tags, structure
from naislint.page.kramdown_tags import CLOSES_P, LeftOpen, Pairing, pairing, styled
from naislint.page.renderer import for_document
from naislint.registry import Rule, RuleContext

#: What the rest of a paragraph looks like when one of these is left open in it.
FORMATTING = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "cite": "italic",
    "dfn": "italic", "var": "italic", "u": "underlined", "ins": "underlined",
    "s": "struck through", "strike": "struck through", "del": "struck through",
    "sup": "superscript", "sub": "subscript", "small": "in small type", "big": "in large type",
    "mark": "highlighted", "tt": "in a monospace font", "code": "in a monospace font",
    "kbd": "in a monospace font", "samp": "in a monospace font", "q": "in quotation marks",
}
#: Elements an embed wrapper (``<div class="bp-youtube">``) is written around.
MEDIA = frozenset("iframe video audio embed object img picture".split())
_TAGS_RE = re.compile(r"<[^>]*>")
#: HTML5's formatting elements: a browser reopens them in every later paragraph.
_REOPENED = frozenset("a b big code em font i nobr s small strike strong tt u".split())


@dataclass(frozen=True)
class Options:
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records nobody edits once the meeting is over.
    dated_logs: bool = False


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    if options is not None and not options.dated_logs and is_dated_log(doc):
        return
    if for_document(doc).is_kramdown:
        yield from _kramdown(doc, pairing(doc))
    else:
        yield from _browser(doc, ctx)


# -- kramdown ------------------------------------------------------------------------------


def _kramdown(doc: Document, found: Pairing) -> Iterator[Finding]:
    accounted: set[int] = set()  # elements an end-tag-shown-as-text report already names
    for item in found.text_end_tags:
        tag = item.tag
        span = doc.span(tag.start, tag.start + 2 + len(tag.name))
        where = "in the paragraph" if not item.block else "on the page"
        if item.meant_for is not None:
            if any(t.start in accounted for t in item.inside):
                continue  # shown as text only because an earlier end tag was: one defect
            accounted.add(item.meant_for.start)
            accounted.update(t.start for t in item.inside)
            inside = item.inside
            rest = "" if not item.block else " (until then, everything after it stays raw HTML)"
            still_open = ", ".join(f"<{t.name}> ({_where(doc, t, tag)})" for t in inside)
            if item.more:
                still_open += f" and {item.more} more"
            typo = _typed_for_end_tag(doc, inside)
            if typo is not None and not item.more:
                rest = "".join(f"</{t.name}>" for t in reversed(inside[:-2]))
                line, column = doc.position(typo.start)
                also = f", and add {rest} before this </{tag.name}>" if rest else ""
                yield Finding(span, (
                    f"</{tag.name}> shows as text {where}: the <{typo.name}> at the end of line {line} "
                    f"(column {column}) is probably meant to be </{typo.name}>: as written it opens a "
                    f"<{typo.name}> inside the <{typo.name}> before it, and kramdown closes elements only "
                    f"in order, so both are still open here; turn it into </{typo.name}>{also}"
                ))
                continue
            ends = "".join(f"</{t.name}>" for t in reversed(inside))
            yield Finding(span, (
                f"</{tag.name}> shows as text {where}: kramdown closes elements only in order, "
                f"and inside the <{tag.name}> {'this is' if len(inside) == 1 else 'these are'} "
                f"still open: {still_open}; "
                f"add {ends} before it{rest}"
            ))
        else:
            yield Finding(span, (
                f"</{tag.name}> closes nothing here: kramdown shows it as text {where}; remove it"
            ))
    in_paragraph = [o for o in found.left_open if o.in_paragraph and o.start.start not in accounted]
    yield from _left_open_in_paragraphs(doc, in_paragraph)
    first_content: int | None = None  # looked for only when an element left open asks
    components: dict[tuple[str, str], list[int]] | None = None
    for left in found.left_open:
        start = left.start
        if left.in_paragraph or start.start in accounted or start.name in OPTIONAL_END_TAGS:
            continue
        if first_content is None:
            first_content = _first_content(doc)
        if start.start < first_content:
            continue  # opened before any content: meant to hold the whole page, as it does
        if _class_key(start) is None:
            continue  # a bare <div> only groups: what follows it looks the same
        if components is None:
            components = _components(found)
        finding = _nested_component(doc, found, start, components) or _media_wrapper(doc, found, start)
        if finding is not None:
            yield finding
    for paragraph, block in found.out_of_paragraph:
        yield _styled_paragraph(doc, paragraph, block)


def _typed_for_end_tag(doc: Document, inside: Sequence[HtmlTag]) -> HtmlTag | None:
    """The innermost of the still-open elements when it is an end tag typed as a start
    tag (``...from their flats.<p>``): a start tag of the same name as the element it
    sits in, after text of that element on the same line, with nothing after it on its
    line. ``None`` otherwise: then the end tags the message asks for are the fix."""
    if len(inside) < 2:
        return None
    outer, inner = inside[-2], inside[-1]
    if outer.name != inner.name:
        return None
    text = doc.text
    line_end = text.find("\n", inner.end)
    line_end = len(text) if line_end == -1 else line_end
    if text[inner.end:line_end].strip():
        return None
    before = text[outer.end:inner.start]
    if "\n" in before or not _TAGS_RE.sub("", before).strip():
        return None
    return inner


def _where(doc: Document, opened: HtmlTag, at: HtmlTag) -> str:
    """Where an element opened, as seen from a tag after it: its line, or its column on
    the same line."""
    line, column = doc.position(opened.start)
    here, _ = doc.position(at.start)
    return f"column {column}" if line == here else f"line {line}"


def _left_open_in_paragraphs(doc: Document, items: list[LeftOpen]) -> Iterator[Finding]:
    """Formatting left open in a paragraph: kramdown ends it with the paragraph, so the
    rest of the paragraph takes it. ``<i>..<i>`` (an end tag typed as a start tag) is
    one report, at the second tag."""
    inner_of: dict[int, LeftOpen] = {}
    for outer, inner in zip(items, items[1:]):
        if outer.start.name == inner.start.name and outer.closed_at == inner.closed_at:
            inner_of[outer.start.start] = inner
    typos = {id(v) for v in inner_of.values()}
    for item in items:
        tag = item.start
        effect = _effect(tag)
        if effect is None or tag.start in inner_of:
            continue
        span = doc.span(tag.start, tag.start + 1 + len(tag.name))
        if id(item) in typos:
            yield Finding(span, (
                f"<{tag.name}> here is probably meant to be </{tag.name}>: as written, neither "
                f"<{tag.name}> is closed and the rest of the paragraph is {effect}"
            ), severity=Severity.WARNING)
            continue
        if not _TAGS_RE.sub("", doc.text[item.opened_at:tag.start]).strip():
            continue  # the whole paragraph takes it, as was likely meant
        yield Finding(span, (
            f"<{tag.name}> is never closed: kramdown ends it at the end of the paragraph, "
            f"so the rest of the paragraph is {effect}; add </{tag.name}> where it should end"
        ), severity=Severity.WARNING)


def _effect(tag: HtmlTag) -> str | None:
    """How the text after a left-open element looks, or ``None`` when it looks the same
    (a link still goes where it should and only takes in more words; a bare ``<span>``)."""
    if tag.name in FORMATTING:
        return FORMATTING[tag.name]
    if tag.name != "a" and any(a.name in ("style", "class") and (a.value or "").strip() for a in tag.attrs):
        return f"styled by the <{tag.name}>"
    if tag.name == "font" and tag.attrs:
        return "styled by the <font>"
    return None


#: What shows nothing before a page-wide wrapper, each as its opening and the text that
#: ends it: comments, style and script blocks, Liquid tags; and any other tag.
_INVISIBLE_SPANS = (("<!--", "-->"), ("{%", "%}"))
_BLOCK_OPEN_RE = re.compile(r"<(style|script)\b", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_SPACES_RE = re.compile(r"\s+")


def _first_content(doc: Document) -> int:
    """Where the page's first content is (after front matter, comments, ``<style>`` and
    ``<script>`` blocks, Liquid tags and tags): an element opened before it wraps the page,
    and kramdown closing it at the end is what was meant.

    Each end is looked for with ``str.find`` once and remembered: a page of thousands of
    unclosed ``<!--`` must not be scanned to its end once per opening."""
    text = doc.text
    lowered: list[str] = []  # the page in lower case, made when a <style>/<script> asks
    pos = doc.body_start
    ends: dict[str, int] = {}  # closing text -> where it next occurs (-1: nowhere after)

    def end_of(closing: str, after: int, haystack: str | None) -> int:
        at = ends.get(closing)
        if at is None or (at != -1 and at < after):
            if haystack is None:
                if not lowered:
                    lowered.append(text.lower())
                haystack = lowered[0]
            at = ends[closing] = haystack.find(closing, after)
        return at

    while pos < len(text):
        if text[pos].isspace():
            pos = _SPACES_RE.match(text, pos).end()  # type: ignore[union-attr]  # one at least
            continue
        for opening, closing in _INVISIBLE_SPANS:
            if text.startswith(opening, pos):
                at = end_of(closing, pos + len(opening), text)
                if at != -1:
                    pos = at + len(closing)
                    break
        else:
            block = _BLOCK_OPEN_RE.match(text, pos)
            if block is not None:
                closing = "</" + block.group(1).lower()
                at = end_of(closing, block.end(), None)
                close = _TAG_RE.match(text, at) if at != -1 else None
                if close is not None and re.fullmatch(r"</(?:style|script)\s*>", close.group(), re.IGNORECASE):
                    pos = close.end()
                    continue
            m = _TAG_RE.match(text, pos)
            if m is None:
                return pos
            pos = m.end()
    return pos


def _class_key(tag: HtmlTag) -> str | None:
    for name in ("class", "style"):
        attr = tag.attr(name)
        if attr is not None and (attr.value or "").strip():
            return f'{name}="{" ".join((attr.value or "").split())}"'
    return None


def _components(found: Pairing) -> dict[tuple[str, str], list[int]]:
    """The start offsets of the styled elements of block HTML, by name and class."""
    index: dict[tuple[str, str], list[int]] = {}
    for tag in found.tags:
        if tag.kind == "start":
            key = _class_key(tag)
            if key is not None:
                index.setdefault((tag.name, key), []).append(tag.start)
    return index


#: How far up from the next component its chain of open elements is followed.
_MAX_CHAIN = 50


def _nested_component(doc: Document, found: Pairing, start: HtmlTag,
                      components: dict[tuple[str, str], list[int]]) -> Finding | None:
    """A styled element left open to the page's end, followed by another with the same
    name and class: the author wrote them as siblings, kramdown nests each in the one
    before (accordion items inside accordion items).

    The end tag belongs before the next one, and before an empty ``<p>`` still open
    there (kramdown needs it closed first). When anything else is still open inside it
    there, where each end tag belongs is the author's call (the element inside may be
    what styles what follows, a paragraph left open may hold a section the author meant
    in it), so nothing is reported.
    """
    key = _class_key(start)
    assert key is not None
    offsets = components.get((start.name, key), [])
    at = bisect.bisect_right(offsets, start.start)
    if at >= len(offsets):
        return None
    parent = found.parent.get(offsets[at])
    inside: list[HtmlTag] = []
    while parent is not None and parent is not start and len(inside) < _MAX_CHAIN:
        inside.append(parent)
        parent = found.parent.get(parent.start)
    if parent is not start:
        return None  # not inside it (or too deep inside to say where its end tag goes)
    following = offsets[at]
    outermost = inside[-1] if inside else None
    if outermost is not None and _TAGS_RE.sub("", doc.text[outermost.start:following]).strip():
        return None
    line, _ = doc.position(following)
    before, _ = doc.position(outermost.start if outermost is not None else following)
    return Finding(doc.span(start.start, start.start + 1 + len(start.name)), (
        f"<{start.name} {key}> is never closed, so the next <{start.name} {key}> "
        f"(line {line}) and everything after it end up inside it; "
        f"add </{start.name}> before line {before}"
    ), severity=Severity.WARNING)


def _media_wrapper(doc: Document, found: Pairing, start: HtmlTag) -> Finding | None:
    """A styled element around an embed (its first child is a video, iframe or image),
    left open to the page's end with more content after the embed: the rest of the page
    is laid out as part of the embed's frame."""
    at = bisect.bisect_right(found.tags, start.start, key=lambda t: t.start)
    if at >= len(found.tags):
        return None
    media = found.tags[at]
    if media.kind not in ("start", "startend") or media.name not in MEDIA:
        return None
    end = media.end
    if media.kind == "start" and media.name not in ("img", "embed"):
        closing = found.end_of.get(media.start)
        if closing is None:
            return None
        end = closing.end
    if not doc.text[end:].strip():
        return None
    line, _ = doc.position(end - 1)
    return Finding(doc.span(start.start, start.start + 1 + len(start.name)), (
        f"<{start.name} {_class_key(start)}> around the <{media.name}> is never closed, so "
        f"everything after the {media.name} ends up inside it; add </{start.name}> after line {line}"
    ), severity=Severity.WARNING)


def _styled_paragraph(doc: Document, paragraph: HtmlTag, block: HtmlTag) -> Finding:
    return Finding(doc.span(block.start, block.start + 1 + len(block.name)), (
        f"<{block.name}> inside a styled <p>: a paragraph cannot hold a <{block.name}>, so the "
        f"browser ends the paragraph before it and the <p>'s class or style does not apply to it; "
        f"put the class or style on the <{block.name}> and drop the <p>"
    ), severity=Severity.WARNING)


# -- browser (GFM) --------------------------------------------------------------------------


def _browser(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    from naislint.site.github import read_on_github

    found = structure(doc)
    github = read_on_github(doc, ctx.preset)
    tags = page_tags(doc)
    offsets = [t.start for t in tags]
    closed_by = {e.end.start: e.start for e in found.elements if e.end is not None}
    for item in found.unclosed:
        tag = item.start
        if github and is_placeholder(tag.name):
            continue  # GitHub removes a placeholder tag, open or not (stray-html says so)
        if _repaired(doc, item, closed_by, tags, offsets):
            continue  # <strong><em>x</strong></em>: the parser nests it as written
        span = doc.span(tag.start, tag.start + 1 + len(tag.name))
        if item.closed_by is not None:
            line, _ = doc.position(item.closed_by.start)
            message = f"<{tag.name}> is not closed before </{item.closed_by.name}> on line {line}"
        elif not tag.block and tag.name not in _REOPENED:
            message = f"<{tag.name}> is never closed: it runs to the end of its paragraph"
        else:
            message = f"<{tag.name}> is never closed: it runs to the end of the page"
        yield Finding(span, message)
    implicit_p = [e.start for e in found.elements if e.name == "p" and e.implicit]
    implicit_starts = [t.start for t in implicit_p]
    for tag in found.stray:
        span = doc.span(tag.start, tag.start + 2 + len(tag.name))
        if tag.name != "p":
            if github:
                yield _dropped_end_tag(doc, tag, span)
                continue
            yield Finding(span, (
                f"</{tag.name}> closes nothing: no <{tag.name}> is open here; it may close the "
                "page layout's own element"
            ))
            continue
        # <p><h2>..</h2></p>: the heading closed the paragraph and the stray </p> makes an
        # empty one, which has no height. Only a styled <p> loses something: its style.
        at = bisect.bisect_left(implicit_starts, tag.start) - 1
        if at < 0:
            continue
        paragraph = implicit_p[at]
        if not styled(paragraph):
            continue
        block = None
        for t in tags[bisect.bisect_left(offsets, paragraph.end):]:
            if t.start >= tag.start:
                break
            if t.kind == "start" and t.name in CLOSES_P:
                block = t
                break
        if block is not None:
            yield _styled_paragraph(doc, paragraph, block)


#: Markdown's delimiters for what an end tag was typed in place of: a Google Docs export
#: writes ``**<code>x</code></strong>``, opening bold in markdown and closing it in HTML.
_DELIMITERS: dict[str, tuple[str, ...]] = {
    "strong": ("**", "__"), "b": ("**", "__"), "del": ("~~",), "s": ("~~",), "strike": ("~~",),
}
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def _repaired(doc: Document, item: Unclosed, closed_by: dict[int, HtmlTag],
              tags: Sequence[HtmlTag], offsets: list[int]) -> bool:
    """Whether the browser's parser repairs a misnested formatting element as written.

    ``<strong><em>x</strong></em>``: the ``</strong>`` runs the HTML standard's adoption
    agency algorithm (tree construction, "in body", an end tag of a formatting element).
    With no block element open inside the ``<strong>`` it pops the ``<em>`` with it but
    keeps the ``<em>`` in the list of active formatting elements, so text after the
    ``</strong>`` gets a new ``<em>`` until the ``</em>``, and the ``</em>`` then ends it:
    every word is in the elements its tags surround in the source, and the page looks as
    meant. That holds when the element left open and every element opened inside the
    outer one after it are formatting elements, the end tag that shut them is a formatting
    element's, and the element's own end tag follows in the same paragraph.
    """
    tag, by = item.start, item.closed_by
    if by is None or tag.name not in _REOPENED or by.name not in _REOPENED:
        return False
    outer = closed_by.get(by.start)
    if outer is None:
        return False
    # What is still open inside the outer element when its end tag comes.
    open_inside: list[HtmlTag] = []
    for t in tags[bisect.bisect_right(offsets, outer.start):bisect.bisect_left(offsets, by.start)]:
        if t.kind == "start" and t.name not in VOID_ELEMENTS:
            open_inside.append(t)
        elif t.kind == "end":
            for i in range(len(open_inside) - 1, -1, -1):
                if open_inside[i].name == t.name:
                    del open_inside[i:]
                    break
    if any(t.name not in _REOPENED for t in open_inside):
        return False  # a block (or a <span>) inside: the parser moves or drops it
    own_end = None
    for t in tags[bisect.bisect_right(offsets, by.start):]:
        if t.name != tag.name:
            continue
        if t.kind == "end":
            own_end = t
        break  # another <em> before any </em>: not this one's end
    if own_end is None:
        return False
    return _BLANK_LINE_RE.search(doc.text, outer.start, own_end.start) is None


def _dropped_end_tag(doc: Document, tag: HtmlTag, span: Span) -> Finding:
    """An end tag that closes nothing on GitHub: its sanitizer drops it, so only what is
    around it can show. Typed for a markdown delimiter (``**<code>x</code></strong>``),
    the delimiter it should have closed shows as text: that is the report, a warning.
    Otherwise nothing on the page changes: information."""
    shown = _open_delimiter(doc, tag)
    if shown is not None:
        delimiter, at = shown
        line, column = doc.position(at)
        return Finding(span, (
            f"</{tag.name}> closes nothing and GitHub drops it, but the '{delimiter}' at line {line}, "
            f"column {column} is never closed: GitHub shows it as text; write {delimiter} in place of "
            f"this </{tag.name}>"
        ), severity=Severity.WARNING)
    return Finding(span, (
        f"</{tag.name}> closes nothing: no <{tag.name}> is open here; GitHub drops it, so nothing "
        "shows; remove it"
    ), severity=Severity.INFO)


def _open_delimiter(doc: Document, tag: HtmlTag) -> tuple[str, int] | None:
    """The markdown delimiter (``**``, ``~~``) left unclosed before an end tag of the
    same meaning, and its offset: markdown prints it as text (its paragraph's text
    before the tag still holds it after emphasis was matched)."""
    delimiters = _DELIMITERS.get(tag.name)
    if delimiters is None:
        return None
    closing = f"</{tag.name}"
    for token in doc.tokens:
        if token.type != "inline" or not token.map:
            continue
        src = doc.source_of(token)
        if not src.start <= tag.start < src.start + len(src.text):
            continue
        nth = src.text.lower().count(closing, 0, tag.start - src.start)
        before: list[str] = []
        for child in token.children or []:
            if child.type == "html_inline" and child.content.lower().startswith(closing):
                if nth == 0:
                    break
                nth -= 1
            if child.type == "text":
                before.append(child.content)
        shown = "".join(before)
        for delimiter in delimiters:
            if delimiter in shown:
                at = doc.text.rfind(delimiter, src.start, tag.start)
                return (delimiter, at) if at != -1 else None
        return None
    return None


RULE = Rule(
    code="NL402",
    name="unclosed-html",
    summary="HTML end tags shown as text, formatting or components left open",
    check=check,
    default_severity=Severity.ERROR,
    options=Options,
)
