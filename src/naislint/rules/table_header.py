"""NL603 table-header: a data table with no header cells.

WCAG 2.1 success criterion 1.3.1 (Info and Relationships). A screen reader announces a
cell's column (or row) header as the reader moves through a table; a table with no
``<th>`` has nothing to announce, and bold text in the first row looks like a header
without being one; nor does a first column of bold labels (WCAG failure F91), which
``<th scope="row">`` makes the headers of their rows (H63), even in a table that reads as
a definition list. A markdown table always has a header row, but converters often leave
it empty and put the real headings, in bold, in the first body row.

Layout tables are not data tables: one with ``role="presentation"``/``"none"``, a single
row or a single column is left alone. Nor is a table of labelled values, whose label
cells name the value beside them in words ("Date: | 12 Feb 2019", "Created: | 12 |
Closed: | 8"): a screen reader reading the row hears each label before its value, so
nothing is conveyed by position alone. A log of dated entries (meeting minutes, see
:mod:`naislint.page.dated_log`) is a record nobody edits and is left alone unless
``dated-logs`` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.html import Element, structure
from naislint.page.dated_log import is_dated_log
from naislint.page.reader import visible_text
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

_BOLD_CELL_RE = re.compile(
    r"^\s*(?:<p[^>]*>\s*)?<(strong|b)\b[^>]*>(?:(?!</?\1\b).)*</\1\s*>\s*(?:</p\s*>\s*)?$",
    re.IGNORECASE | re.DOTALL,
)
_MD_BOLD_RE = re.compile(r"^\s*(\*\*|__)(?=\S).*\S\1\s*$", re.DOTALL)


#: What a table's structure is read from, and what marks it as a layout table: cells
#: that hold images or headings lay out content (a QR code beside its caption, steps
#: with their screenshots) rather than hold data.
_TABLE_PARTS = frozenset({"tr", "td", "th", "img", "h1", "h2", "h3", "h4", "h5", "h6"})
_LAYOUT_CONTENT = frozenset({"img", "h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True)
class Options:
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records, not pages an editor edits.
    dated_logs: bool = False


def _labelled_values(texts: list[list[str]]) -> bool:
    """Whether a table's rows are label/value pairs whose labels end with a colon:
    ``Date: | Dec 18, 2018`` or ``Created: | 12 | Closed: | 8``. The cells at even
    positions of rows with an even number of cells are the labels; most of them (the
    filled ones) must end with ``:``, and every row must be such pairs."""
    labels: list[str] = []
    for row in texts:
        if len(row) % 2:
            return False
        labels.extend(cell for cell in row[0::2] if cell)
    with_colon = sum(1 for cell in labels if cell.rstrip().endswith((":", "：")))
    return bool(labels) and with_colon * 2 > len(labels)


def _cells_by_table(elements: tuple[Element, ...], tables: list[Element]) -> dict[int, list[Element]]:
    """The rows, cells, images and headings of each table (by index), not of tables
    nested in it."""
    out: dict[int, list[Element]] = {k: [] for k in range(len(tables))}
    index = {id(table): k for k, table in enumerate(tables)}
    open_tables: list[tuple[int, int]] = []  # (end offset, table index), innermost last
    for element in elements:  # in start order, tables among them
        at = element.start.start
        while open_tables and open_tables[-1][0] <= at:
            open_tables.pop()
        if element.name == "table":
            end = element.end.start if element.end is not None else 1 << 62
            open_tables.append((end, index[id(element)]))
            continue
        if element.name in _TABLE_PARTS and open_tables:
            out[open_tables[-1][1]].append(element)
    return out


def _shorten(text: str, limit: int = 40) -> str:
    """A cell's text for a message: its first ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _content(text: str, cell: Element, following: Element | None, limit: int) -> str:
    """The HTML inside a cell: up to its end tag, else up to the next cell or row."""
    end = cell.end.start if cell.end is not None else (following.start.start if following else limit)
    return text[cell.start.end : end]


def _html_tables(doc: Document) -> Iterator[Finding]:
    text = doc.text
    found = structure(doc)
    tables = [e for e in found.elements if e.name == "table"]
    if not tables:
        return
    cells = _cells_by_table(found.elements, tables)
    for k, table in enumerate(tables):
        role = table.start.attr("role")
        if role is not None and (role.value or "").strip().lower() in ("presentation", "none"):
            continue
        parts = cells[k]
        if any(e.name == "th" or e.name in _LAYOUT_CONTENT for e in parts):
            continue
        rows: list[list[Element]] = []
        for e in parts:
            if e.name == "tr":
                rows.append([])
            elif rows:
                rows[-1].append(e)
        rows = [row for row in rows if row]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            continue  # one row or one column: a layout table
        limit = table.end.start if table.end is not None else len(text)
        all_contents = [
            [
                _content(
                    text, cell,
                    row[i + 1] if i + 1 < len(row) else (rows[r + 1][0] if r + 1 < len(rows) else None),
                    limit,
                )
                for i, cell in enumerate(row)
            ]
            for r, row in enumerate(rows)
        ]
        if _labelled_values([[visible_text(c) for c in row] for row in all_contents]):
            continue
        first = rows[0]
        contents = all_contents[0]
        filled = [c for c in contents if visible_text(c)]
        span = doc.span(table.start.start, table.start.start + len("<table"))
        if filled and all(_BOLD_CELL_RE.match(c) for c in filled):
            heading = visible_text(filled[0])
            yield Finding(
                doc.span(first[0].start.start, first[0].start.end),
                "the table's first row is bold text in ordinary <td> cells, which a screen reader does "
                f"not announce as headings: change those cells to <th> and drop the bold, e.g. "
                f"<th>{_shorten(heading)}</th>",
            )
        elif _bold_label_column(all_contents):
            label = visible_text(all_contents[0][0]) or visible_text(all_contents[1][0])
            yield Finding(
                doc.span(first[0].start.start, first[0].start.end),
                "the table's first column is bold labels in ordinary <td> cells, which a screen reader "
                "does not announce as the headings of their rows: change those cells to "
                f'<th scope="row"> and drop the bold, e.g. <th scope="row">{_shorten(label)}</th>',
            )
        elif _label_column([[visible_text(c) for c in row] for row in all_contents]):
            label = visible_text(all_contents[0][0])
            yield Finding(
                span,
                "table has no header cells, so a screen reader cannot say which row a value belongs to: "
                "its first row holds values, and its labels are the first column; make those cells "
                f'<th scope="row"> instead of <td>, e.g. <th scope="row">{_shorten(label)}</th>',
            )
        else:
            yield Finding(
                span,
                "table has no header cells, so a screen reader cannot say which column a value "
                "belongs to: make the cells of its heading row <th> instead of <td>, e.g. "
                f'{_heading_example(contents)}, or those of its label column <th scope="row">',
            )


def _bold_label_column(rows: list[list[str]]) -> bool:
    """Whether a table's first column is bold labels beside plain values (a table of
    "**NLB Mobile app** | The app lets you: …" rows): headers of their rows to the eye
    only (WCAG failure F91), which ``<th scope="row">`` makes headers to a screen reader
    too (H63). Every filled first cell is bold, and the cells beside them are not all bold."""
    firsts = [row[0] for row in rows if row and visible_text(row[0])]
    if len(firsts) < 2 or not all(_BOLD_CELL_RE.match(c) for c in firsts):
        return False
    rest = [c for row in rows for c in row[1:] if visible_text(c)]
    return bool(rest) and not all(_BOLD_CELL_RE.match(c) for c in rest)


#: The most words a heading or a row label has; a cell with more holds a value.
_LABEL_WORDS = 4


def _holds_value(texts: list[list[str]], column: int) -> bool:
    """Whether the first row's cell in ``column`` reads as a value, not a heading: it has
    more words than a heading has, and the cells below it are values of its kind, at
    least half as wordy ("2 Hour (inclusive of a library tour)" above "National Library
    Building at 100 Victoria Street"). A long cell above short values is the heading that
    names them: "Size per etcd partition (2x)" above "256GB", "256GB", "?"."""
    words = len(texts[0][column].split())
    if words <= _LABEL_WORDS:
        return False
    below = [len(row[column].split()) for row in texts[1:] if len(row) > column and row[column].strip()]
    return any(2 * n >= words for n in below)


def _label_column(texts: list[list[str]]) -> bool:
    """Whether a table's headers can only be its first column: the first row holds a
    value (a cell beside the first that reads as one, see :func:`_holds_value`), so it is
    no heading row, and every filled first cell is a short label, none repeated
    ("Duration", "Venue", "Class Size")."""
    first_row = texts[0]
    if len(first_row) < 2 or not any(_holds_value(texts, i) for i in range(1, len(first_row))):
        return False
    labels = [row[0].strip() for row in texts if row and row[0].strip()]
    if len(labels) < 2 or any(len(label.split()) > _LABEL_WORDS for label in labels):
        return False
    return len({label.casefold() for label in labels}) == len(labels)


def _heading_example(first_row: list[str]) -> str:
    """The table's own first row written as headings (``<th>Exhibition</th><th>Date</th>``),
    or a stock example when that row is empty."""
    texts = [_shorten(visible_text(c), 24) for c in first_row if visible_text(c)][:3]
    if len(texts) < 2:
        return "<th>Date</th><th>Venue</th>"
    return "".join(f"<th>{t}</th>" for t in texts)


def _markdown_tables(doc: Document) -> Iterator[Finding]:
    tokens = doc.tokens
    for i, token in enumerate(tokens):
        if token.type != "table_open" or not token.map:
            continue
        header: list[str] = []
        first_body: list[str] = []
        j = i + 1
        section = ""
        rows_in_body = 0
        while j < len(tokens) and tokens[j].type != "table_close":
            t = tokens[j]
            if t.type in ("thead_open", "tbody_open"):
                section = t.type
            elif t.type == "tr_open" and section == "tbody_open":
                rows_in_body += 1
            elif t.type == "inline":
                if section == "thead_open":
                    header.append(t.content)
                elif section == "tbody_open" and rows_in_body == 1:
                    first_body.append(t.content)
            j += 1
        if any(cell.strip() for cell in header):
            continue
        line = token.map[0] + 1
        span = doc.line_span(line)
        text = doc.line(line)
        lead = len(text) - len(text.lstrip())
        span = doc.span(doc.offset(line, lead + 1), doc.offset(line, len(text.rstrip()) + 1))
        filled = [c for c in first_body if c.strip()]
        if filled and all(_MD_BOLD_RE.match(c) for c in filled):
            yield Finding(
                span,
                "the table's header row is empty and its first row is bold text: move that row up "
                "into the header row (the line above the |---| line) and drop the bold, so a screen "
                "reader announces its cells as headings",
            )
        else:
            yield Finding(
                span,
                "the table's header row is empty, so a screen reader cannot say which column a value "
                "belongs to: write the column headings in the first row, above the |---| line",
            )


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    if not options.dated_logs and is_dated_log(doc):
        return
    yield from _html_tables(doc)
    yield from _markdown_tables(doc)


RULE = Rule(
    code="NL603",
    name="table-header",
    summary="a data table with no header cells",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
