"""NL404 inline-style: formatting pasted from a word processor, in ``style=`` attributes.

A ``style=`` written on purpose (an image's width, a table's borders, a column's padding,
the markup of an Instagram or YouTube embed) does what its author meant, and "use a class
instead" is no advice a CMS editor can follow: the theme's classes are a developer's. What
an editor can and would clean up is formatting that came in with text pasted from Word,
Outlook or Google Docs: the document's font (``font-family: Aptos``), point sizes and
colours, which replace the site's typography on that text only. Its signs are Office's
``mso-`` properties, a font that comes with a document (Aptos, Calibri, Cambria, Times New
Roman ...) and a text measure in fractional points (``font-size: 10.5pt``,
``margin-bottom: .0001pt``: Word's converted measures, which nobody types). A
``font-size: 8pt`` typed for a photo credit is a choice, not a paste. A paste is one
report per table (or per markdown block outside a table), at its first styled element,
with the number of elements that carry it: a pasted table repeats the same style on every
cell's ``<p>``, and the editor clears the table's formatting once.

One style written on purpose is still reported: a line height below 1.2 times the
element's font size on an element that holds enough text to wrap
(``font-size:15px; line-height:15px``). Wrapped lines then touch, descenders on
ascenders, which a reader sees; 1.2 is about what browsers use for ``normal``, and WCAG
1.4.12 (Text Spacing) counts 1.5 as the spacing some readers need.

The other styles written on purpose are the page's own look; with the ``on-purpose``
option they are one report per page, at info (off by default: an editor keeps them).

On a page read on GitHub every ``style`` is removed by GitHub's sanitizer, so nothing
a style does reaches the reader. What a reader then sees differently, and an editor can
mend, is an image the style sized (``<img style="width:300px">``): GitHub shows it at
its natural size, and a ``width`` attribute, which GitHub keeps, is the fix. Colours,
alignment and spacing the page loses are no defect an editor there acts on (with
``on-purpose`` they are one info report per page).

A log of dated entries (meeting minutes, :mod:`naislint.page.dated_log`) is a record
nobody edits and is left alone unless ``dated-logs`` is set.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.dated_log import is_dated_log
from naislint.page.html import HtmlTag, page_tags, structure
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: Fonts that only come with a document: Office's and Google Docs' defaults.
DOCUMENT_FONTS = frozenset({
    "aptos", "aptos display", "aptos narrow", "calibri", "calibri light", "cambria",
    "cambria math", "candara", "constantia", "corbel", "times new roman", "segoe ui",
    "book antiqua", "century gothic", "garamond", "arial narrow", "ms mincho", "ms gothic",
    "simsun", "mingliu", "pmingliu", "yu gothic", "malgun gothic", "microsoft yahei",
})
_DECLARATION_RE = re.compile(r"([-a-zA-Z]+)\s*:\s*([^;]*)")
#: A point length with a fraction (``10.5pt``, ``.0001pt``): Word's converted measures.
_FRACTIONAL_POINTS_RE = re.compile(r"(?<![\w.-])\d*\.\d+\s*pt\b", re.IGNORECASE)
#: Text properties Word writes in fractional points.
_TEXT_PROPERTIES = frozenset({
    "font-size", "line-height", "margin", "margin-top", "margin-bottom", "margin-left",
    "margin-right", "text-indent", "letter-spacing",
})


def pasted(style: str) -> list[str]:
    """The declarations of ``style`` that show a word processor's paste (``[]``: none)."""
    signs: list[str] = []
    for m in _DECLARATION_RE.finditer(style):
        name, value = m.group(1).lower(), m.group(2).strip()
        if name.startswith("mso-"):
            signs.append(f"{name}: {value}")
        elif name == "font-family" and value.split(",")[0].strip().strip("'\"").lower() in DOCUMENT_FONTS:
            signs.append(f"{name}: {value}")
        elif name in _TEXT_PROPERTIES and _FRACTIONAL_POINTS_RE.search(value):
            signs.append(f"{name}: {value}")
    return signs


#: Below this many times the font size, wrapped lines of text touch (browsers' ``normal``
#: is about 1.2 for common fonts).
MIN_LINE_HEIGHT = 1.2
#: Text shorter than this fits on one line even on a phone: its line height packs nothing.
MIN_WRAPPING_TEXT = 40
_LENGTH_RE = re.compile(r"^([0-9]*\.?[0-9]+)\s*([a-z%]*)\s*(?:!important)?$", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
#: Properties that size an image, which GitHub's sanitizer drops with the style.
_IMAGE_SIZE = ("width", "height", "max-width", "max-height")
#: Absolute units a line height and a font size can be compared in directly.
_ABSOLUTE_UNITS = frozenset({"px", "pt", "pc", "cm", "mm", "in"})


@dataclass(frozen=True)
class Options:
    #: Also report, once per page at info, the styles written on purpose (padding,
    #: widths, alignment, colours): the page's own look instead of the theme's. Off by
    #: default: an editor keeps them, and many come from the CMS's own image tool.
    on_purpose: bool = False
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records kept as they were taken (a Google Docs export's image
    #: sizes and underlines), and nobody edits them.
    dated_logs: bool = False


def declarations(style: str) -> dict[str, str]:
    """The declarations of a ``style`` value, by lower-case property name (the last
    one wins, as in CSS)."""
    return {m.group(1).lower(): m.group(2).strip() for m in _DECLARATION_RE.finditer(style)}


def _length(value: str) -> tuple[float, str] | None:
    """A CSS length or number as (amount, lower-case unit; ``""`` for a number)."""
    m = _LENGTH_RE.match(value.strip())
    if m is None:
        return None
    return float(m.group(1)), m.group(2).lower()


def line_height_ratio(style: dict[str, str]) -> float | None:
    """The line height of a style as a multiple of its font size, where the style
    alone says it: a number, a percentage or ``em``, or an absolute length against a
    font size in the same unit (``font-size:15px; line-height:15px``). ``None`` when
    it cannot tell (``normal``, a font size in another unit or none, ``rem`` against
    the page's root size)."""
    height = _length(style.get("line-height", ""))
    if height is None:
        return None
    amount, unit = height
    if unit == "":
        return amount
    if unit == "%":
        return amount / 100
    if unit == "em":
        return amount
    size = _length(style.get("font-size", ""))
    if unit not in _ABSOLUTE_UNITS or size is None or size[1] != unit or size[0] <= 0:
        return None
    return amount / size[0]


def _holds_wrapping_text(doc: Document, tag: HtmlTag, ends: dict[int, int]) -> bool:
    """Whether the element that ``tag`` starts holds text long enough to wrap on a
    phone (an element with no end tag: no, as far as can be told)."""
    end = ends.get(tag.start)
    if end is None:
        return False
    text = " ".join(_TAG_RE.sub(" ", doc.text[tag.end:end]).split())
    return len(text) >= MIN_WRAPPING_TEXT


def _packed_lines(doc: Document, tag: HtmlTag, style: dict[str, str],
                  ends: dict[int, int]) -> str | None:
    """The message for a line height that packs wrapped lines together, or ``None``."""
    ratio = line_height_ratio(style)
    if ratio is None or ratio >= MIN_LINE_HEIGHT or ratio <= 0:
        return None  # 0 collapses a box around an image on purpose (embeds do it)
    if not _holds_wrapping_text(doc, tag, ends):
        return None
    size = f"font-size: {style['font-size']}; " if "font-size" in style else ""
    how = "equal to" if abs(ratio - 1) < 0.005 else f"{ratio:.2g} times"
    return (
        f"line height {how} the font size ({size}line-height: {style['line-height']}) on this "
        f"<{tag.name}>: wrapped lines of its text touch each other and are hard to read (browsers "
        "use about 1.2; WCAG 1.4.12 Text Spacing counts 1.5 as what some readers need); remove "
        "the line-height, or set it to 1.5"
    )


def _github_image(tag: HtmlTag, style: dict[str, str]) -> str | None:
    """The message for an image GitHub shows at another size than its style sets
    (none when a ``width``/``height`` attribute, which GitHub keeps, sizes it)."""
    if tag.name != "img":
        return None
    lost = [f"{name}: {style[name]}" for name in _IMAGE_SIZE if name in style]
    if not lost or tag.attr("width") is not None or tag.attr("height") is not None:
        return None
    return (
        f"GitHub removes style attributes, so this image loses its size ({'; '.join(lost)}) and "
        "shows at its natural size; give the size as a width=\"...\" attribute, which GitHub keeps"
    )


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    from naislint.site.github import read_on_github

    options = options if options is not None else Options()
    if not options.dated_logs and is_dated_log(doc):
        return
    github = read_on_github(doc, ctx.preset)
    others: list[tuple[Span, str]] = []
    ends: dict[int, int] | None = None
    pastes: _Pastes | None = None
    for tag in page_tags(doc):
        if tag.kind not in ("start", "startend"):
            continue
        attr = tag.attr("style")
        if attr is None or not attr.value:
            continue
        span = doc.span(attr.start, attr.start + len("style"))
        style = declarations(attr.value)
        if github:
            # GitHub's sanitizer removes every style attribute: none reaches the reader,
            # and only a lost image size changes what the reader sees.
            message = _github_image(tag, style)
            if message is not None:
                yield Finding(span, message)
            else:
                others.append((span, tag.name))
            continue
        signs = pasted(attr.value)
        if signs:
            if pastes is None:
                pastes = _Pastes(doc)
            pastes.add(tag, span, signs)
            continue
        if "line-height" in style:
            if ends is None:
                ends = {el.start.start: el.end.start for el in structure(doc).elements if el.end is not None}
            message = _packed_lines(doc, tag, style, ends)
            if message is not None:
                yield Finding(span, message)
                continue
        others.append((span, tag.name))
    if pastes is not None:
        yield from pastes.findings()
    if others and options.on_purpose:
        # Layout written inline (padding, sizes, alignment): each may be deliberate, but
        # together they are the page's own look, which the site's theme no longer sets and
        # which every future edit must copy. One report per page, at info.
        span, name = others[0]
        more = f" and {len(others) - 1} more on this page" if len(others) > 1 else ""
        if github:
            message = (f"inline style on <{name}>{more}: GitHub removes style attributes, so they "
                       "have no effect there")
        else:
            message = (f"inline style on <{name}>{more}: the page sets its own look instead of the "
                       "site's theme; keep the styles an editor needs, and move repeated ones to the site's CSS")
        yield Finding(span, message, severity=Severity.INFO)


class _Pastes:
    """Pasted formatting grouped by where an editor clears it: the outermost table
    around it, or else the page's top-level markdown block (an HTML block, a paragraph)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        tables = sorted(
            (el.start.start, el.end.end) for el in structure(doc).elements
            if el.name == "table" and el.end is not None
        )
        self.tables: list[tuple[int, int]] = []
        for start, end in tables:
            if self.tables and start < self.tables[-1][1]:
                continue  # a table inside a table: the outer one is cleared at once
            self.tables.append((start, end))
        self.table_starts = [a for a, _b in self.tables]
        self.blocks = sorted(
            (t.map[0] + 1, t.map[1]) for t in doc.tokens if t.level == 0 and t.nesting >= 0 and t.map
        )
        self.block_starts = [a for a, _b in self.blocks]
        #: group key -> [(tag, span, signs)], in page order
        self.groups: dict[tuple[str, int], list[tuple[HtmlTag, Span, list[str]]]] = {}

    def _key(self, offset: int) -> tuple[str, int]:
        i = bisect.bisect_right(self.table_starts, offset) - 1
        if i >= 0 and offset < self.tables[i][1]:
            return ("table", self.tables[i][0])
        line = self.doc.position(offset)[0]
        j = bisect.bisect_right(self.block_starts, line) - 1
        if j >= 0 and line <= self.blocks[j][1]:
            return ("block", self.blocks[j][0])
        return ("line", line)

    def add(self, tag: HtmlTag, span: Span, signs: list[str]) -> None:
        self.groups.setdefault(self._key(tag.start), []).append((tag, span, signs))

    def findings(self) -> Iterator[Finding]:
        for (kind, _at), items in self.groups.items():
            tag, span, _signs = items[0]
            signs: list[str] = []
            for _tag, _span, found in items:
                signs.extend(s for s in found if s not in signs)
            where = f"this <{tag.name}>"
            if len(items) > 1:
                first, last = span.line, self.doc.position(items[-1][0].start)[0]
                place = "table" if kind == "table" else "block"
                more = len(items) - 1
                lines = f"line {first}" if first == last else f"lines {first}-{last}"
                where += f" and {more} more element{'s' if more > 1 else ''} of this {place} ({lines})"
            clear = "the table's formatting" if kind == "table" and len(items) > 1 else "the formatting"
            yield Finding(span, (
                f"formatting pasted from a word processor ({'; '.join(signs[:3])}): it replaces "
                f"the site's font and sizes on {where}; clear {clear} (remove these styles)"
            ))


RULE = Rule(
    code="NL404",
    name="inline-style",
    summary="formatting pasted from a word processor (style= with document fonts, point sizes)",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
