"""NL508 doubled-word: the same word twice in a row ("the the").

A doubled word is a typo a reader stumbles on and a screen reader reads out twice. The
page's prose is searched (code, code spans, comments and front matter masked); text
inside tags, URLs and Liquid is left alone, and so are doublings English and Malay use on
purpose ("had had", "that that", "bye bye", "a big big thank you", a quoted “unknown
unknown”) and names, which Singapore doubles often
("Ng Ling Ling", "Zam Zam Restaurant": both words capitalised). A log of dated entries
(meeting minutes, see :mod:`naislint.page.dated_log`) is a record kept as it was taken,
and is left alone unless ``dated-logs`` is set.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity
from naislint.page.html import page_tags
from naislint.page.dated_log import is_dated_log
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: A word, blanks (at most one line break: a paragraph, not two) and the same word.
DOUBLED_RE = re.compile(r"(?<![\w'’&#@/.<>-])([^\W\d_]+)([ \t]+(?:\n[ \t]*)?|\n[ \t]*)(\1)(?![\w'’-])", re.IGNORECASE)
#: The characters that may stand before a doubled word, as :data:`DOUBLED_RE`'s
#: lookbehind allows them: ASCII ones listed (a bitmap the regex engine tests without
#: asking Unicode's categories), any other one not a word character nor ’.
_BEFORE_WORD = r"[\x00-\x1f !\"$%()*+,:;=?\[\\\]^`{|}~\x7f\x80-\U0010ffff](?<![\w’])"
#: :data:`DOUBLED_RE` as it is searched, the same matches in half the time: the
#: character before the word is matched, not looked behind at, so the engine skips the
#: insides of words by the first character's class instead of trying a match at each
#: letter; the word is taken whole at once (a lookahead's group, then that group, since
#: no shorter piece of it can be followed by a blank), as ASCII letters when it is made
#: of them; only the second word is compared without case.
_DOUBLED_SCAN_RE = re.compile(
    _BEFORE_WORD
    + r"(?=([a-zA-Z]+(?![^\W\d_])|[^\W\d_]+))\1([ \t]+(?:\n[ \t]*)?|\n[ \t]*)(?i:(\1))(?![\w'’-])"
)

_URLISH_RE = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//\S+|\bwww\.\S+|\{\{.*?\}\}|\{%.*?%\}|\]\([^)\n]*\)", re.IGNORECASE)
#: Words whose doubling is always a slip: the fix that drops one is certain.
_FUNCTION_WORDS = frozenset(
    "a an the to of in on at for from by with and or but is are was be as it its this into "
    "our your their we you they he she his her dan di ke yang untuk".split()
)


#: Particles that end a phrasal verb and may start the next phrase: "check in in the hall".
_PARTICLES = frozenset({"in", "on", "up", "out", "off", "down", "over", "back"})
#: Verbs whose particle is often followed by the same word as a preposition.
_PHRASAL_VERBS = frozenset(
    "check log sign plug drop fill hand opt phase clock dial tune cash chime zoom pitch join sit "
    "step move walk call turn hold hang log carry catch count stand look come go get set put take "
    "bring send keep break give".split()
)
_PREVIOUS_WORD_RE = re.compile(r"([^\W\d_]+)[ \t]+$")


def _phrasal(text: str, start: int, word: str) -> bool:
    """Whether a doubled particle follows a phrasal verb: its first copy ends the verb
    ("check in", "logged on") and its second begins a phrase ("in the Staff Room")."""
    if word.casefold() not in _PARTICLES:
        return False
    m = _PREVIOUS_WORD_RE.search(text, max(0, start - 40), start)
    if m is None:
        return False
    verb = m.group(1).casefold()
    for ending in ("", "s", "es", "ed", "d", "ing"):
        stem = verb[: len(verb) - len(ending)] if ending and verb.endswith(ending) else verb
        if stem in _PHRASAL_VERBS or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in _PHRASAL_VERBS):
            return True
    return False


def _emphasis(first: str, second: str) -> bool:
    """"OFFICIAL official": one copy in capitals and the other not is a deliberate echo."""
    return len(first) > 1 and first.isupper() != second.isupper()


@dataclass(frozen=True)
class Options:
    #: Doublings that are meant (compared without case).
    allow: tuple[str, ...] = (
        "had", "that", "is", "bye", "very", "so", "no", "ha", "haha", "hey", "ho", "yeah",
        "bora", "walla", "sing", "baden", "duran", "tut", "chop", "can", "knock", "bla",
        "blah", "rah", "pom", "tsk", "mahi", "agar", "ylang", "kuku", "muah", "sama",
        "jalan", "kawan", "hati", "bon", "poco", "beri", "orang", "ramai", "rama",
        # said twice for emphasis, mostly in informal notes ("a big big thank you")
        "big", "late", "real", "really", "new", "long", "far", "good", "bad", "little",
        "old", "hot", "cold", "fast", "slow", "high", "low", "more", "much", "many", "super",
        "huge", "tiny", "critical", "woot", "womp", "yum", "yummy", "etc", "ok", "okay",
        "tick", "ding", "boo", "aye", "nah", "oh", "ah", "uh", "hmm", "go", "wow",
    )
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records kept as they were taken.
    dated_logs: bool = False


def doubled(text: str, start: int) -> Iterator[re.Match[str]]:
    """The matches of :data:`DOUBLED_RE` in ``text`` from ``start`` on (group 1 is the
    word, 2 the blanks, 3 the second word), found by :data:`_DOUBLED_SCAN_RE`, whose
    match also holds the character before the word: only a word at the very start of the
    text has none."""
    if start <= 0:
        first = DOUBLED_RE.match(text, 0)
        if first is not None:
            yield first
        start = first.end() if first is not None else 0
    else:
        start -= 1
    yield from _DOUBLED_SCAN_RE.finditer(text, start)


@lru_cache(maxsize=8)
def _allowed(allow: tuple[str, ...]) -> frozenset[str]:
    """The allowed doublings compared without case, once per configuration, not per page."""
    return frozenset(w.casefold() for w in allow)


def _inside(ranges: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def _same_block(blocks: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    """Whether two offsets lie in one paragraph (or heading, or table cell) of markdown."""
    i = bisect.bisect_right(starts, a) - 1
    return i >= 0 and blocks[i][0] <= a and b < blocks[i][1]


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    if not options.dated_logs and is_dated_log(doc):
        return
    prose = doc.prose
    allowed = _allowed(tuple(options.allow))
    found = [m for m in doubled(prose, doc.body_start) if m.group(1).casefold() not in allowed]
    if not found:
        return
    blocks = sorted(
        (src.start, src.start + len(src.text))
        for src in (doc.source_of(t) for t in doc.tokens if t.type == "inline" and t.map)
    )
    block_starts = [a for a, _b in blocks]
    tags = sorted((t.start, t.end) for t in page_tags(doc))
    tag_starts = [a for a, _b in tags]
    text = doc.text
    heading_lines = {
        line for t in doc.tokens if t.type == "heading_open" and t.map
        for line in range(t.map[0] + 1, t.map[1] + 1)
    }
    url_ranges: dict[int, list[tuple[int, int]]] = {}
    for m in found:
        word = m.group(1)
        first = m.start(1)
        if len(word) == 1 and word.casefold() not in ("a",):
            continue  # "x x", "I I", list markers and initials
        second = m.group(3)
        if word[0].isupper() and second[0].isupper() and word.casefold() not in _FUNCTION_WORDS:
            continue  # names: "Ng Ling Ling", "Zam Zam Restaurant", "Sungei Api Api", "AA AA"
        if _emphasis(word, second) or _phrasal(text, first, word):
            continue
        if m.end() < len(text) and unicodedata.category(text[m.end()])[0] == "M":
            continue  # the second word goes on with a combining mark: "पर परीक्षण"
        if first > 0 and text[first - 1] in "\"“‘'":
            continue  # a quoted term: the “unknown unknown” issues
        if _inside(tags, tag_starts, first):
            continue
        gap = text[m.start(2) : m.end(2)]
        if gap.strip():
            continue  # code masked between them: "`NodePorts` and `ClusterIPs` and"
        if "\n" in gap and not _same_block(blocks, block_starts, first, m.start(3)):
            continue  # a heading's last word and the next paragraph's first
        line_start = text.rfind("\n", 0, first) + 1
        urls = url_ranges.get(line_start)
        if urls is None:  # each line's URLs once: a long line may hold many doubles
            line_end = text.find("\n", line_start)
            line = text[line_start : len(text) if line_end == -1 else line_end]
            urls = url_ranges[line_start] = [(u.start(), u.end()) for u in _URLISH_RE.finditer(line)]
        at = first - line_start
        if any(a <= at < b for a, b in urls):
            continue
        # In a heading, the renderer's automatic id is made from its text: dropping a
        # word changes the anchor that links to the heading may use.
        safe = word.casefold() in _FUNCTION_WORDS and doc.position(first)[0] not in heading_lines
        if second[0].isupper() and not word[0].isupper():
            # "at the The Local Farm Festival": the capital starts a name, keep that copy
            kept, removed = second, (m.start(1), m.start(3))
        else:
            kept, removed = word, (m.start(2), m.end(3))
        fix = Fix((Edit(doc.span(*removed), ""),), safe=safe)
        # a doubled content word may hide another slip ("One one hand", "What what be useful")
        other = "" if word.casefold() in _FUNCTION_WORDS else ", or, if one of them was meant to be another word, write that word"
        yield Finding(
            doc.span(first, m.end()),
            f"{word!r} is written twice in a row: delete one ({word} {second} → {kept}){other}",
            fix=fix,
        )


RULE = Rule(
    code="NL508",
    name="doubled-word",
    summary='the same word twice in a row ("the the")',
    check=check,
    default_severity=Severity.WARNING,
    fixable=True,
    options=Options,
)
