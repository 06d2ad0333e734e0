"""NL401 stray-html: HTML tags and attributes outside the site's allowlist.

For Isomer sites the allowlist is what the CMS sanitizer keeps (see
:mod:`naislint.page.sanitizer`): anything else disappears the next time an editor saves the
page in the CMS, so the page changes without anyone having touched that part.

On any other kramdown site (the ``jekyll`` preset, where the rule is off unless the
configuration turns it on) the ``markdown`` attribute is kramdown's own: kramdown reads
it and leaves it out of the page, and no sanitizer is there to remove it first.

For a page read on GitHub (the ``github`` preset) it is what GitHub's sanitizer keeps
(:mod:`naislint.page.github_sanitizer`): the tag or attribute never reaches the reader.
A tag that is no HTML element at all (``<company>``) is a placeholder GitHub deletes with
the text it was meant to show; it is reported once per page, naming the others, each as
written (``<no value>``, not ``<no>``). Go's ``<no value>`` is a template's unfilled value:
escaping it would only show the placeholder, so the advice is to fill it in.

A tag inside a markdown link destination is no tag on any renderer: kramdown makes the
link and writes the tag into its ``href`` as text, and GFM makes no link of a destination
with a space (``[x](https://host/<no value>#y)``), which link-syntax reports with the
right advice. Such text is left to link-syntax: one defect, one report.

On an Isomer site only what the browser acts on today is reported, since only its removal changes the page:
an attribute that is no HTML attribute (``text-align=`` on a ``<td>``) is ignored by every
browser already, unless it is a misspelt allowed one (``sstyle=``), whose intent is lost
today; an element no browser knows (Word's ``<o:p>``) shows its content as plain text, which
the sanitizer keeps; a ``<meta>`` in the page body does nothing a reader sees (the layout's
``<head>`` carries the page's metadata), except ``http-equiv``, which browsers act on
anywhere.

A log of dated entries (meeting minutes, see :mod:`naislint.page.dated_log`) is a record
nobody edits: the ``<u>`` and ``<span class>`` a Google Docs export leaves in it stay.
Such pages are left alone unless ``dated-logs`` is set.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.dated_log import is_dated_log
from naislint.page.html import HtmlTag, page_tags
from naislint.page.renderer import for_document
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.page import sanitizer


@dataclass(frozen=True)
class Options:
    """``allowed-tags``/``allowed-attributes`` replace the preset lists; ``extra-*`` add to them.

    ``allow-svg``/``allow-mathml`` keep DOMPurify's SVG and MathML lists in the preset
    (DOMPurify keeps them by default); they do nothing when ``allowed-*`` is given.
    """

    allowed_tags: tuple[str, ...] | None = None
    allowed_attributes: tuple[str, ...] | None = None
    extra_tags: tuple[str, ...] = ()
    extra_attributes: tuple[str, ...] = ()
    allow_data_attributes: bool = True
    allow_aria_attributes: bool = True
    allow_svg: bool = True
    allow_mathml: bool = True
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records nobody edits once the meeting is over.
    dated_logs: bool = False


def _allowed(options: Options) -> tuple[frozenset[str], frozenset[str]]:
    """The allowed tag and attribute names for these options.

    Built once per distinct options, not per page (config may give lists: keyed by tuples).
    """
    def frozen(names: "tuple[str, ...] | None") -> "tuple[str, ...] | None":
        return None if names is None else tuple(names)

    return _allowlists(
        frozen(options.allowed_tags),
        frozen(options.allowed_attributes),
        tuple(options.extra_tags),
        tuple(options.extra_attributes),
        options.allow_svg,
        options.allow_mathml,
    )


@functools.lru_cache(maxsize=16)
def _allowlists(
    allowed_tags: tuple[str, ...] | None,
    allowed_attributes: tuple[str, ...] | None,
    extra_tags: tuple[str, ...],
    extra_attributes: tuple[str, ...],
    allow_svg: bool,
    allow_mathml: bool,
) -> tuple[frozenset[str], frozenset[str]]:
    tags = _allowlist(
        allowed_tags, extra_tags, sanitizer.ISOMER_TAGS,
        sanitizer.DOMPURIFY_SVG_TAGS if allow_svg else (), sanitizer.DOMPURIFY_MATHML_TAGS if allow_mathml else (),
    )
    attrs = _allowlist(
        allowed_attributes, extra_attributes, sanitizer.ISOMER_ATTRIBUTES,
        sanitizer.DOMPURIFY_SVG_ATTRIBUTES if allow_svg else (),
        sanitizer.DOMPURIFY_MATHML_ATTRIBUTES if allow_mathml else (),
    )
    return tags, attrs


def _allowlist(
    allowed: tuple[str, ...] | None, extra: tuple[str, ...], default: Iterable[str], *families: Iterable[str]
) -> frozenset[str]:
    """The configured list (lower-cased) or the default with the enabled families (SVG,
    MathML), plus the extras: the same recipe for tags and for attributes."""
    if allowed is None:
        names = set(default)
        for family in families:
            names.update(family)
    else:
        names = {n.lower() for n in allowed}
    names.update(n.lower() for n in extra)
    return frozenset(names)


#: Elements browsers know beyond DOMPurify's HTML list: removing one of these removes
#: what it does (a stylesheet, an embed, a redirect).
BROWSER_ELEMENTS = frozenset(
    """applet base basefont bgsound embed frame frameset head html iframe image isindex keygen
    link listing meta noembed noframes noscript object param plaintext rb rtc script search slot
    title xmp""".split()
)
#: Attributes browsers act on that DOMPurify's HTML list leaves out (the HTML standard's
#: attribute index, and the presentational attributes browsers still honour).
BROWSER_ATTRIBUTES = frozenset(
    """abbr accept-charset accesskey allow allowfullscreen allowtransparency as async autocorrect
    autofocus blocking bordercolor charset content contenteditable data defer dirname
    fetchpriority form formaction formenctype formmethod formnovalidate formtarget frameborder
    hspace http-equiv imagesizes imagesrcset is itemid itemprop itemref itemscope itemtype
    language longdesc manifest marginheight marginwidth nomodule ping referrerpolicy sandbox
    scrolling srcdoc target vspace""".split()
)


def _known_element(name: str) -> bool:
    return (
        name in sanitizer.DOMPURIFY_HTML_TAGS or name in BROWSER_ELEMENTS
        or name in sanitizer.DOMPURIFY_SVG_TAGS or name in sanitizer.DOMPURIFY_MATHML_TAGS
    )


def _known_attribute(name: str) -> bool:
    return (
        name in sanitizer.DOMPURIFY_HTML_ATTRIBUTES or name in BROWSER_ATTRIBUTES
        or name in sanitizer.ISOMER_EXTRA_ATTRIBUTES or name in sanitizer.DOMPURIFY_SVG_ATTRIBUTES
        or name in sanitizer.DOMPURIFY_MATHML_ATTRIBUTES
        or (name.startswith("on") and len(name) > 2)  # event handlers (unsafe-html's too)
        or name.startswith(("data-", "aria-"))
    )


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with one letter added, dropped, changed or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


#: The attribute names a misspelling is looked for among (SVG's one-letter names are no
#: likely target).
_SPELLED = sanitizer.DOMPURIFY_HTML_ATTRIBUTES | sanitizer.ISOMER_EXTRA_ATTRIBUTES


@functools.lru_cache(maxsize=1024)
def _misspelt(name: str, allowed: frozenset[str]) -> str | None:
    """The allowed HTML attribute ``name`` is one typing slip away from (``sstyle``);
    cached, since a page repeats its attributes."""
    for candidate in sorted(allowed & _SPELLED):
        if len(candidate) < 3 or not _one_edit(name, candidate):
            continue
        if len(candidate) == 3 and sorted(name) != sorted(candidate):
            continue  # a three-letter name is near many words: only swapped letters (atl)
        return candidate
    return None


def _styled(tag: HtmlTag) -> bool:
    return any(a.name in ("class", "style", "id") for a in tag.attrs)


def _tag_finding(doc: Document, tag: HtmlTag) -> Finding | None:
    """The report for a tag the sanitizer removes, or ``None`` when removing it changes
    nothing a reader sees."""
    span = doc.span(tag.start, tag.start + 1 + len(tag.name))
    if tag.name == "meta" and tag.attr("http-equiv") is None:
        return None  # the layout's <head> holds the page's metadata; a body copy does nothing
    if not _known_element(tag.name) and not _styled(tag):
        return None  # shown as plain text, which the sanitizer keeps (Word's <o:p>)
    if tag.name == "link":
        rel_attr = tag.attr("rel")
        rel = (rel_attr.value or "").lower() if rel_attr is not None else ""
        if "stylesheet" in rel.split():
            return Finding(span, (
                "<link> is not an allowed HTML tag on this site: the sanitizer removes it, and "
                "the styles it loads with it; load the stylesheet from the site's CSS "
                "(or an @import in a <style> block) instead"
            ))
    return Finding(span, f"<{tag.name}> is not an allowed HTML tag on this site: the sanitizer removes it")


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    options = options or Options()
    if not options.dated_logs and is_dated_log(doc):
        return
    from naislint.site.github import read_on_github

    if read_on_github(doc, ctx.preset):
        yield from _github(doc, options)
        return
    tags, attrs = _allowed(options)
    kramdown_owns_markdown = _kramdown_owns_markdown(doc, ctx)
    # kramdown reads markdown="1" before any browser: the sanitizer's removing it changes
    # what kramdown prints (on a GFM site nothing reads it).
    kramdown_reads_markdown = "markdown" in doc.text and for_document(doc).is_kramdown
    in_destination = _destinations(doc)
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend"):
            continue
        if in_destination(tag.start):
            continue  # URL text, or link-syntax's: no tag the sanitizer sees
        if tag.name not in tags:
            finding = _tag_finding(doc, tag)
            if finding is not None:
                yield finding
            continue
        for attr in tag.attrs:
            name = attr.name
            if name in attrs:
                continue
            if options.allow_data_attributes and name.startswith("data-") and len(name) > 5:
                continue
            if options.allow_aria_attributes and name.startswith("aria-") and len(name) > 5:
                continue
            if name == "markdown" and kramdown_owns_markdown:
                continue
            span = doc.span(attr.start, attr.start + len(name))
            if name == "markdown" and kramdown_reads_markdown:
                yield Finding(span, (
                    f"attribute 'markdown' on <{tag.name}> is not allowed on this site: the sanitizer "
                    "removes it, and kramdown then shows the markdown inside as typed"
                ))
                continue
            if _known_attribute(name):
                yield Finding(span, f"attribute {name!r} on <{tag.name}> is not allowed on this site: the sanitizer removes it")
                continue
            meant = _misspelt(name, attrs)
            if meant is not None:
                yield Finding(span, (
                    f"attribute {name!r} on <{tag.name}> is probably a misspelt {meant!r}: browsers "
                    f"ignore it as written (and the sanitizer removes it); write {meant!r}"
                ))
            # Otherwise no HTML attribute (text-align= on a <td>): browsers ignore it today,
            # so the sanitizer's removing it changes nothing.


def _kramdown_owns_markdown(doc: Document, ctx: RuleContext) -> bool:
    """Whether ``markdown="1"`` reaches kramdown as written: the page renders with
    kramdown and its site is no Isomer site (whose CMS sanitizer strips the attribute on
    the next save)."""
    if "markdown" not in doc.text:
        return False
    return for_document(doc).is_kramdown and not ctx.place.isomer


def _github(doc: Document, options: Options) -> Iterator[Finding]:
    """The page's HTML against GitHub's allowlist (``allowed-*``/``extra-*`` still apply).

    Each removed tag or attribute is reported once per page, at its first use, with the
    number of the others: a page of exported meeting notes repeats the same ``<u>`` on
    every line, and one change fixes them all."""
    from naislint.page import github_sanitizer as gh

    tags = _allowlist(
        None if options.allowed_tags is None else tuple(options.allowed_tags), tuple(options.extra_tags), gh.TAGS
    )
    extra_attrs = {a.lower() for a in options.extra_attributes}
    only_attrs = None if options.allowed_attributes is None else {a.lower() for a in options.allowed_attributes}
    placeholders: list[HtmlTag] = []
    #: (tag, attribute or "") -> (span of the first, message, count)
    removed: dict[tuple[str, str], list[Any]] = {}
    in_destination = _destinations(doc)
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend"):
            continue
        if in_destination(tag.start):
            continue  # GFM makes no link of it: link-syntax reports the link and what it holds
        if tag.name not in tags:
            if gh.is_placeholder(tag.name):
                placeholders.append(tag)
                continue
            key = (tag.name, "")
            if key in removed:
                removed[key][2] += 1
                continue
            content = "with its content" if tag.name in gh.REMOVED_WITH_CONTENT else "and keeps its content"
            removed[key] = [
                doc.span(tag.start, tag.start + 1 + len(tag.name)),
                f"<{tag.name}> is not in GitHub's HTML allowlist: GitHub removes the tag {content}",
                0,
            ]
            continue
        for attr in tag.attrs:
            name = attr.name
            if name == "style":
                continue  # inline-style says what GitHub does with it
            allowed = name in only_attrs if only_attrs is not None else gh.attribute_allowed(tag.name, name)
            if allowed or name in extra_attrs:
                continue
            key = (tag.name, name)
            if key in removed:
                removed[key][2] += 1
                continue
            removed[key] = [
                doc.span(attr.start, attr.start + len(name)),
                f"attribute {name!r} on <{tag.name}> is not in GitHub's HTML allowlist: GitHub removes it",
                0,
            ]
    for span, message, more in removed.values():
        yield Finding(span, message + (f" (and from {more} more on this page)" if more else ""))
    unfilled = [t for t in placeholders if _GO_NO_VALUE_RE.fullmatch(_as_written(doc, t))]
    typed = [t for t in placeholders if not _GO_NO_VALUE_RE.fullmatch(_as_written(doc, t))]
    if unfilled:
        written = _as_written(doc, unfilled[0])
        more = len(unfilled) - 1
        yield Finding(doc.span(unfilled[0].start, unfilled[0].end), (
            f"{written} is what a Go template prints for a value it was not given: GitHub removes "
            "it as a tag, so nothing shows there; fill in the value (or fix the generator that "
            "wrote the page)" + (f" (and {more} more on this page)" if more else "")
        ))
    if typed:
        first = typed[0]
        written = _as_written(doc, first)
        seen = {written.casefold()}
        others = []
        for t in typed[1:]:
            shown = _as_written(doc, t)
            if shown.casefold() not in seen:  # <NAME> and <name>: one placeholder
                seen.add(shown.casefold())
                others.append(shown)
        others.sort()
        more = len(typed) - 1
        message = (
            f"{written} is no HTML tag: GitHub removes it, so the text '{written}' does not show; "
            f"write it in backticks (`{written}`) or as &lt;{written[1:-1]}&gt;"
        )
        if more:
            message += f" (the same for {more} more such tag{'s' if more > 1 else ''} on this page"
            message += f": {', '.join(others[:5])}{' ...' if len(others) > 5 else ''})" if others else ")"
        yield Finding(doc.span(first.start, first.end), message)


#: Go's text/template output for a missing value, written where a value belonged.
_GO_NO_VALUE_RE = re.compile(r"<no value>", re.IGNORECASE)


def _as_written(doc: Document, tag: HtmlTag) -> str:
    """A placeholder tag as the page has it (``<no value>``, ``<COMPANY>``), its spaces
    folded and cut short: the tag's name alone (``<no>``) is not what the writer typed."""
    written = " ".join(doc.text[tag.start : tag.end].split())
    return written if len(written) <= 40 else written[:36] + "...>"


def _destinations(doc: Document) -> Callable[[int], bool]:
    """Whether an offset lies in a markdown link destination: part of the URL there
    (kramdown links ``[x](https://host/<no value>#y)`` and escapes the tag into its
    ``href``), or, where GFM makes no link of a destination with a space, link-syntax's
    to report with what the destination holds."""
    from naislint.page.links import page_links

    if "](" not in doc.text:
        return lambda offset: False
    ranges = sorted(
        (doc.offset(r.span.line, r.span.column), doc.offset(r.span.end_line, r.span.end_column))
        for r in page_links(doc) if r.source in ("markdown", "definition")
    )
    starts = [a for a, _b in ranges]

    def inside(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and ranges[i][0] <= offset < ranges[i][1]

    return inside


RULE = Rule(
    code="NL401",
    name="stray-html",
    summary="HTML tags or attributes outside the site's allowlist",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
