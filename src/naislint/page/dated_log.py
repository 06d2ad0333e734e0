"""Whether a page is a log of dated entries: meeting minutes, agendas, CI or incident notes.

Minutes are a record of what was said on a date, kept as they were taken: each week's
entry is copied from an agenda template ("Note Taker: TBD", "[Please add any PRs here]"),
pasted from a shared document (a PR's address as its own link text, a statistics table
in bold ``<td>`` cells) and never edited once the meeting is over. A rule that asks an
editor to reword a page (a doubled word, a placeholder, link text, a header row) finds
plenty there and nobody to act on it; such rules leave these pages alone by default and
say so in their documentation.

A page is such a log when it is the record of one dated meeting (its title, an ``h1``,
opens with a date, ``# June 15, 2016``, or names minutes, notes or a retrospective with
``Date: 2019-11-06`` just under it), or when at least :data:`MIN_ENTRIES` of its sections open
with a date:
headings (``## Dec 6, 2022``, ``## Agenda (2019-12-12)``, ``# December 17th APAC
Biweekly Meeting``), empty headings with the date on the line under them (an export
that lost its heading text: ``##`` then ``        December 2, 2019 (recording)``), or
lines that are wholly bold (``**12/15/2020**``). A date inside a
heading's sentence ("Fines issued on 13 July 2021") or after a version number
(``## 4.4.1 / 2025-01-29``, a changelog, which is published and edited) does not count.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from naislint.page.document import Document

#: How many dated sections make a log: two could be a page about two events.
MIN_ENTRIES = 3

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?\b"  # Dec 6, December 17th
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MONTH}(?![a-z])"  # 27 February 2018
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b"  # 2022/12/14, 2019-12-12
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b)"  # 12/15/2020
)
#: A date at the start of a section's title, after at most two words ("Agenda",
#: "[NEXT] Triage") and an opening bracket, and after an optional weekday.
_DATED_TITLE_RE = re.compile(
    rf"^(?:\\?\[?[^\W\d_]+\\?\]?[ \t]+){{0,2}}[(\[]?[ \t]*"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+)?{_DATE}",
    re.IGNORECASE,
)
#: A text that is a date and nothing else ("June 2018", "Monday, 5 June 2023",
#: "12 March 2021", "2021-03-12"): a dateline, not a section's name.
_DATELINE_RE = re.compile(
    rf"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})$",
    re.IGNORECASE,
)
_BOLD_LINE_RE = re.compile(r"^(\*\*|__)(?=\S)((?:(?!\1).)+?)\1$")


def is_dateline(text: str) -> bool:
    """Whether a text (a bold line, a heading) is a date and nothing else."""
    return _DATELINE_RE.match(text.strip()) is not None


def dated_title(text: str) -> bool:
    """Whether a heading's (or bold line's) text opens with a date."""
    return _DATED_TITLE_RE.match(text.strip()) is not None


def _title(tokens: list[Any], i: int) -> str | None:
    """The text of the heading, or of the one-line bold paragraph, that opens at ``i``."""
    token, inline = tokens[i], tokens[i + 1]
    if token.type not in ("heading_open", "paragraph_open") or inline.type != "inline":
        return None
    content: str = inline.content.strip()
    if token.type == "heading_open":
        return content
    m = _BOLD_LINE_RE.match(content)
    return m.group(2) if m is not None and "\n" not in content else None


def _under_empty_heading(tokens: list[Any], i: int) -> tuple[str, int] | None:
    """The first line of the block right under the empty heading that opens at ``i``, and
    the index of the token after that block: a document export that lost its heading
    styles leaves ``## `` with the date on the next line, indented into a code block
    (``##`` then ``        December 2, 2019 (recording)``) or as a paragraph."""
    at = i + 3  # heading_open, inline, heading_close
    if at >= len(tokens):
        return None
    token = tokens[at]
    if token.type in ("code_block", "fence") and token.level == 0:
        return token.content.strip().split("\n", 1)[0], at + 1
    if token.type == "paragraph_open" and token.level == 0 and at + 1 < len(tokens):
        return tokens[at + 1].content.strip().split("\n", 1)[0], at + 3
    return None


def dated_entries(doc: "Document") -> int:
    """How many titles open with a date and have something under them before the next
    dated title (a date with nothing under it is a line of a revision list). An empty
    heading takes its title from the line under it (:func:`_under_empty_heading`)."""
    count = 0
    pending = False  # a dated title seen, nothing under it yet
    tokens = doc.tokens
    skip = 0  # the line under an empty heading, read as its title
    for i, token in enumerate(tokens[:-1]):
        if i < skip:
            continue
        if token.nesting < 0 or token.type == "inline" or (token.level != 0 and token.type != "heading_open"):
            continue
        title = _title(tokens, i)
        if title == "" and token.type == "heading_open":
            under = _under_empty_heading(tokens, i)
            if under is not None and dated_title(under[0]):
                title, skip = under
        if title is not None and dated_title(title):
            pending = True
        elif pending:
            count += 1
            pending = False
    return count


#: How many lines under a record's title may hold its date.
HEAD_LINES = 12
#: A title that names a record of a meeting.
_RECORD_TITLE_RE = re.compile(r"\b(?:minutes|notes|retrospective|retro)\b", re.IGNORECASE)
#: A date given as a label's value: ``Date: 2019-11-06``, ``**Date:** Nov 6, 2019``.
_DATE_LABEL_RE = re.compile(rf"(?<![\w-])date[ \t]*(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*{_DATE}", re.IGNORECASE)


def dated_page(doc: "Document") -> bool:
    """Whether the page is the record of one dated meeting: its title (its first heading,
    an ``h1``) opens with a date (``# June 15, 2016``, minutes kept a page per meeting), or
    names minutes, notes or a retrospective and the :data:`HEAD_LINES` lines under it state
    the date (``# Contributor Summit 2019 - Retrospective`` then ``Date: 2019-11-06``)."""
    tokens = doc.tokens
    heading = next((i for i, t in enumerate(tokens[:-1]) if t.type == "heading_open"), None)
    if heading is None or tokens[heading].tag != "h1":
        return False
    title = _title(tokens, heading) or ""
    if dated_title(title):
        return True
    line_map = tokens[heading].map
    if _RECORD_TITLE_RE.search(title) is None or not line_map:
        return False
    first = line_map[1]  # the 0-based line after the title
    lines = doc.lines
    head = "\n".join(doc.prose.split("\n")[first : first + HEAD_LINES]) if first < len(lines) else ""
    return _DATE_LABEL_RE.search(head) is not None


def is_dated_log(doc: "Document") -> bool:
    """Whether the page is a log of dated entries, or one entry of such a log kept as a
    page of its own (computed once per page)."""
    return doc.memo("page.dated_log", lambda: dated_entries(doc) >= MIN_ENTRIES or dated_page(doc))
