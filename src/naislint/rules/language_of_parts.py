"""NL606 language-of-parts: text in another script with no ``lang`` saying its language.

WCAG 2.1 success criterion 3.1.2 (Language of Parts). A screen reader reads a page in
the voice of the page's language; a Chinese or Tamil passage on an English page is read
by the English voice (letter names, silence or gibberish) unless an enclosing element
says ``lang="zh"``. Runs of Han, Tamil and other non-Latin scripts are found in the
page's prose (code, comments and front matter masked); a run is covered by a ``lang`` on
an enclosing HTML element, a kramdown attribute list on its block (``{: lang="zh"}``), or
a page or site language (``lang:`` in the front matter or ``_config.yml``) of that script.
Neighbouring runs of one script are reported together, once per passage. A page written
in that language, with English lines only a small minority (a translated page), gets one
report for the page; a bilingual page (each paragraph followed by its translation) gets
one per passage, with advice for the passage. The advice fits the renderer: kramdown
reads ``{: lang="zh"}`` and ``markdown="1"``, GitHub needs ``<div lang="zh">`` with blank
lines around its markdown.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.renderer import for_document
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df"
_KANA = "\u3040-\u30ff\u31f0-\u31ff"
#: A run of Han characters and kana is Japanese when it holds kana, else Chinese.
JAPANESE = ("ja", "Japanese", frozenset({"ja"}))

#: script -> (language code suggested, its name, character class, codes that fit it).
SCRIPTS: dict[str, tuple[str, str, str, frozenset[str]]] = {
    "han": ("zh", "Chinese", _HAN + _KANA,
            frozenset({"zh", "ja", "ko", "yue", "cmn", "hak", "nan", "wuu", "lzh", "gan", "hsn"})),
    "tamil": ("ta", "Tamil", "\u0b80-\u0bff", frozenset({"ta"})),
    "hangul": ("ko", "Korean", "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af", frozenset({"ko"})),
    "thai": ("th", "Thai", "\u0e00-\u0e7f", frozenset({"th"})),
    "devanagari": ("hi", "Hindi", "\u0900-\u097f", frozenset({"hi", "mr", "ne", "sa"})),
    "bengali": ("bn", "Bengali", "\u0980-\u09ff", frozenset({"bn", "as"})),
    "arabic": ("ar", "Arabic", "\u0600-\u06ff\u0750-\u077f", frozenset({"ar", "ms", "ur", "fa", "ps"})),
    "myanmar": ("my", "Burmese", "\u1000-\u109f", frozenset({"my"})),
}
#: What may sit between two characters of one run: spaces, digits and punctuation
#: (CJK and fullwidth punctuation included), never a newline or a Latin letter, nor an
#: ASCII comma or semicolon, which separate the names of a list ("神仙, 张君君").
_JOINERS = r" \t\d\u3000-\u303f\uff00-\uff20\uff3b-\uff40\uff5b-\uff65.!?:'\"()\[\]\-\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00b7%"


@lru_cache(maxsize=1)
def _patterns() -> "tuple[dict[str, re.Pattern[str]], dict[str, re.Pattern[str]], re.Pattern[str], re.Pattern[str]]":
    """Each script's run and character patterns, any script's character, and kana.

    Compiled on the first page that has text outside ASCII, not at import: these wide
    character classes take 15 ms to compile, which every run (a pre-commit hook on an
    English page) would pay.
    """
    runs = {
        name: re.compile(f"[{chars}](?:[{chars}{_JOINERS}]*[{chars}])?")
        for name, (_code, _label, chars, _fits) in SCRIPTS.items()
    }
    chars_of = {name: re.compile(f"[{chars}]") for name, (_c, _l, chars, _f) in SCRIPTS.items()}
    any_script = re.compile("[" + "".join(chars for _c, _l, chars, _f in SCRIPTS.values()) + "]")
    return runs, chars_of, any_script, re.compile(f"[{_KANA}]")


_IAL_LANG_RE = re.compile(r"""\blang\s*=\s*["']?([A-Za-z]{2,3})""")
_LATIN_RE = re.compile(r"[A-Za-z]")
#: What a reader does not see on a line: link destinations, addresses, tags, attribute lists.
_UNSEEN_RE = re.compile(r"\]\([^)\n]*\)|\S*://\S*|<[^<>\n]*>|\{:[^}\n]*\}")
#: Latin letters that make a line an English line (a name alone, "Ms Lee", is shorter).
_LATIN_LINE_LETTERS = 8
#: A translated page has at most one English line to this many lines in its language.
_TRANSLATED_RATIO = 4


@dataclass(frozen=True)
class Options:
    #: Shortest run (in characters of the script) that is reported. Five keeps out most
    #: personal names ("Serene Keen (黄金红)"), which WCAG exempts from this criterion.
    min_length: int = 5
    #: Latin letters that may stand between two runs of one passage (an English term in
    #: brackets inside a Chinese paragraph) before the passage is taken to end.
    max_gap_letters: int = 40


def _primary(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-", 1)[0]


def _declared(doc: Document, root: str | None) -> str | None:
    """The page's language: ``lang``/``language`` in its front matter, else the site's."""
    for key in ("lang", "language", "locale"):
        value = doc.meta.get(key)
        if isinstance(value, str) and value.strip():
            return value
    from naislint import jekyll

    if root is not None:
        value = jekyll.load(root).raw.get("lang")
        if isinstance(value, str) and value.strip():
            return value
    return None


def _html_langs(doc: Document) -> list[tuple[int, int, str]]:
    """(start, end, lang) of every HTML element with a ``lang``, in start order."""
    if "lang" not in doc.text:
        return []
    from naislint.page.html import structure

    out = []
    for element in structure(doc).elements:
        attr = element.start.attr("lang") or element.start.attr("xml:lang")
        if attr is None or attr.value is None:
            continue
        end = element.end.end if element.end is not None else len(doc.text)
        out.append((element.start.start, end, attr.value))
    return out


def _ial_langs(doc: Document) -> list[tuple[int, int, str]]:
    """(start, end, lang) of markdown blocks given a language by a kramdown attribute
    list: in the block (``Text {: lang="zh"}``, or on its last line) or standing alone
    just before it."""
    if "lang" not in doc.text:
        return []
    out = []
    pending: str | None = None
    tokens = doc.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.map or not token.children:
            continue
        ials = [c.content for c in token.children if c.type == "kramdown_ial"]
        langs = [m.group(1) for ial in ials for m in [_IAL_LANG_RE.search(ial)] if m]
        src = doc.source_of(token)
        start, end = src.start, src.start + len(src.text)
        only_ial = langs and all(c.type in ("kramdown_ial", "softbreak") or not c.content.strip() for c in token.children)
        if pending is not None:
            out.append((start, end, pending))
            pending = None
        if only_ial:
            pending = langs[0]  # a block attribute list on its own line applies to the next block
            out.append((start, end, langs[0]))
        elif langs:
            out.append((start, end, langs[0]))
    return out


def _rendered(doc: Document) -> list[tuple[int, int]]:
    """Offsets of the page's rendered blocks (paragraphs, headings, table cells, HTML):
    not reference definitions, which markdown keeps out of the page."""
    out = []
    for token in doc.tokens:
        if token.type in ("inline", "html_block") and token.map:
            src = doc.source_of(token)
            out.append((src.start, src.start + len(src.text)))
    from naislint.page.html import fragments

    out.extend((f.start, f.start + len(f.text)) for f in fragments(doc) if f.block)
    return sorted(out)


def _runs(doc: Document, prose: str, min_length: int) -> list[tuple[int, int, tuple[str, str, frozenset[str]]]]:
    """(start, end, (code, language, fitting codes)) of each run long enough to report
    and inside a rendered block, in order."""
    blocks = _rendered(doc)
    block_starts = [b[0] for b in blocks]
    run_res, char_res, any_script, kana = _patterns()
    # The page's distinct characters of these scripts, found in one pass: a script none
    # of them belongs to has no run (each run starts with one of its characters), and
    # the page is not searched again for it.
    present = "".join(set(any_script.findall(prose, doc.body_start)))
    # Han characters on a page that also writes kana are Japanese kanji.
    japanese = bool(kana.search(present))
    runs = []
    for name, pattern in run_res.items():
        code, label, _chars, fits = SCRIPTS[name]
        if not char_res[name].search(present):
            continue
        for m in pattern.finditer(prose, doc.body_start):
            if _letters(char_res[name].findall(m.group(0))) < min_length:
                continue
            k = bisect.bisect_right(block_starts, m.start()) - 1
            if k < 0 or not any(blocks[j][0] <= m.start() < blocks[j][1] for j in range(max(0, k - 3), k + 1)):
                continue
            language = JAPANESE if name == "han" and japanese else (code, label, fits)
            runs.append((m.start(), m.end(), language))
    runs.sort(key=lambda r: (r[0], r[1]))
    return runs


def _letters(chars: list[str]) -> int:
    """How many of a script's characters are letters: vowel signs and viramas are marks
    of their own (``हिन्दी`` is six code points and three letters), which a reader does not
    count as characters."""
    return sum(1 for ch in chars if unicodedata.category(ch)[0] == "L")


def _covering_lang(ranges: list[tuple[int, int, str]], starts: list[int], offset: int) -> str | None:
    """The ``lang`` of the innermost range around ``offset``."""
    best = None
    for k in range(bisect.bisect_right(starts, offset) - 1, -1, -1):
        start, end, lang = ranges[k]
        if start <= offset < end and (best is None or start > best[0]):
            best = (start, lang)
    return best[1] if best else None


def _mostly(doc: Document, prose: str, groups: list[Any]) -> str | None:
    """The language code of the unmarked passages when the page is written in it (a
    translated page): at least five lines hold it, and lines of English (Latin letters
    and none of these scripts) are at most a quarter as many. A bilingual page, each
    paragraph followed by its translation, is not."""
    if not groups:
        return None
    lines_by_code: dict[str, set[int]] = {}
    for group in groups:
        for start, _end, language in group:
            lines_by_code.setdefault(language[0], set()).add(doc.position(start)[0])
    code, lines = max(lines_by_code.items(), key=lambda item: len(item[1]))
    if len(lines) < 5:
        return None
    body_line = doc.body_first_line
    any_script = _patterns()[2]
    english = 0
    for n, line in enumerate(prose.split("\n"), 1):
        if n < body_line or n in lines:
            continue
        seen = _UNSEEN_RE.sub(" ", line)
        if len(_LATIN_RE.findall(seen)) >= _LATIN_LINE_LETTERS and not any_script.search(seen):
            english += 1
    return code if english * _TRANSLATED_RATIO <= len(lines) else None


def _english_line_between(prose: str, start: int, end: int) -> bool:
    """Whether a whole line of Latin text stands between two runs ("Mr Goh Sin Teck,
    Editor at Lianhe Zaobao" after a Chinese greeting): the passage ended before it."""
    lines = prose[start:end].split("\n")[1:-1]
    any_script = _patterns()[2]
    return any(
        _LATIN_RE.search(seen) and not any_script.search(seen)
        for seen in (_UNSEEN_RE.sub(" ", line) for line in lines)
    )


def _holder(doc: Document, start: int, end: int) -> str | None:
    """The name of the innermost HTML element that holds the text from ``start`` to ``end``."""
    if "<" not in doc.text:
        return None
    from naislint.page.html import structure

    best = None
    for element in structure(doc).elements:
        if element.start.start > start:
            break
        if element.end is not None and element.start.end <= start and end <= element.end.start:
            best = element.name
    return best


def _page_advice(code: str, kramdown: bool) -> str:
    if kramdown:
        return (
            f"set the page's language (lang: {code} in the front matter, where the layout uses it) "
            f'or wrap the content in <div lang="{code}" markdown="1">…</div>'
        )
    return (
        f'wrap the content in <div lang="{code}"> and </div>, each on a line of its own with a blank '
        "line between it and the text (GitHub then still reads the markdown inside)"
    )


#: Elements too wide to take a passage's lang: it would cover the English around it.
_WIDE = frozenset({"div", "body", "html", "main", "section", "article", "table", "tbody", "tr", "ul", "ol", "dl"})


def _passage_advice(
    code: str, label: str, kramdown: bool, holders: tuple[str | None, str | None], lines: int
) -> str:
    """What to write for one passage: on the HTML element that holds it (or its first
    part), after its paragraphs (kramdown), or around it."""
    whole, first = holders
    if whole is not None and whole not in _WIDE:
        return f'set lang="{code}" on the <{whole}> that holds it (<{whole} lang="{code}" …>)'
    if first is not None and first not in _WIDE:
        return (
            f'set lang="{code}" on the <{first}> that holds its first part (<{first} lang="{code}" …>), '
            f'and wrap the {label} text after it in <span lang="{code}">…</span>'
        )
    if kramdown:
        if lines > 1:
            return (
                f'put {{: lang="{code}"}} on the line after each {label} paragraph, or wrap the passage '
                f'in <div lang="{code}" markdown="1">…</div>; for a phrase in an English sentence, '
                f'<span lang="{code}">…</span>'
            )
        return (
            f'wrap the phrase in <span lang="{code}">…</span>, or, for a paragraph of its own, put '
            f'{{: lang="{code}"}} on the line after it'
        )
    if lines > 1:
        return (
            f'wrap the passage in <div lang="{code}"> and </div>, each on a line of its own with a blank '
            f'line between it and the text; for a phrase in an English sentence, <span lang="{code}">…</span>'
        )
    return f'wrap it in <span lang="{code}">…</span>'


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    prose = doc.prose
    if prose.isascii() or not _patterns()[2].search(prose, doc.body_start):
        return
    runs = _runs(doc, prose, max(1, options.min_length))
    if not runs:
        return
    page_lang = _declared(doc, ctx.site_root)
    kramdown = for_document(doc).reads_attribute_lists
    # GitHub prints an attribute list as text: there it marks nothing
    ranges = sorted(_html_langs(doc) + (_ial_langs(doc) if kramdown else []))
    starts = [r[0] for r in ranges]
    groups: list[list[tuple[int, int, tuple[str, str, frozenset[str]]]]] = []
    for start, end, language in runs:
        lang = _covering_lang(ranges, starts, start) or page_lang
        if lang is not None and _primary(lang) in language[2]:
            continue
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last[2][0] == language[0]
            and len(_LATIN_RE.findall(prose, last[1], start)) <= options.max_gap_letters
            and not _english_line_between(prose, last[1], start)
        ):
            groups[-1].append((start, end, language))
        else:
            groups.append([(start, end, language)])
    whole = _mostly(doc, prose, groups)
    if whole is not None:
        groups = [[run for group in groups if group[0][2][0] == whole for run in group]]
    for group in groups:
        start, end, (code, label, _fits) = group[0]
        first_line = doc.position(start)[0]
        last_line = doc.position(group[-1][1])[0]
        where = f"lines {first_line}-{last_line} hold" if last_line > first_line else "this line holds"
        if whole is not None:
            yield Finding(
                doc.span(start, end),
                f"this page is written in {label} (lines {first_line}-{last_line}) with no lang saying so, "
                f"so a screen reader reads it with the {'site' if kramdown else 'page'}'s voice: "
                f"{_page_advice(code, kramdown)}",
            )
            return
        lang = _covering_lang(ranges, starts, start) or page_lang
        marked = f" (it is marked lang=\"{lang}\")" if lang else ""
        holders = (_holder(doc, start, group[-1][1]), _holder(doc, start, end))
        advice = _passage_advice(code, label, kramdown, holders, last_line - first_line + 1)
        yield Finding(
            doc.span(start, end),
            f"{where} {label} text with no lang saying so{marked}, so a screen reader reads it with the "
            f"page's voice: {advice}",
        )


RULE = Rule(
    code="NL606",
    name="language-of-parts",
    summary="Chinese, Tamil or other non-Latin text with no lang",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
