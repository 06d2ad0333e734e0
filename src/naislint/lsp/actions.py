"""Code actions as buffer edits: apply a fix, fix the whole file, disable a rule on a line.

Edits are ``(start, end, text)`` code-point offsets into the editor's buffer; the server
turns them into LSP ranges with :class:`~naislint.page.positions.LineTable`. Pure Python,
no pygls.

Disabling a rule must not change what the page renders, and a comment line is not
neutral everywhere in markdown:

- on a line that starts a block (or a list item), the comment goes on its own line
  above, with the line's indentation (a list item's content indentation, so that the list
  is not cut in two);
- on a line in the middle of a paragraph, table, heading or block quote, a comment line
  would end that block, so ``<!-- naislint-disable-line RULE -->`` goes at the end of the
  line instead;
- inside front matter an HTML comment cannot stand at all: the action disables the rule
  for the file, with ``<!-- naislint-disable-file RULE -->`` on the line after the
  closing ``---`` (nothing is offered when the front matter is never closed);
- inside a code block a comment would be shown as code: nothing is offered.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from naislint.diagnostics import Diagnostic
from naislint.page.document import Document
from naislint.page.positions import LineTable
from naislint.page.text import dominant_newline

BufferEdit = tuple[int, int, str]

#: Rules a suppression comment makes no sense for.
NOT_DISABLED = frozenset({"unused-suppression", "unreadable-file"})
LIST_MARKER_RE = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
SPLIT_BY_COMMENT = frozenset({"paragraph_open", "table_open", "heading_open", "blockquote_open"})
CODE = frozenset({"fence", "code_block"})


@dataclass(frozen=True)
class Disable:
    title: str
    edit: BufferEdit


def fix_edits(table: LineTable, diagnostic: Diagnostic) -> list[BufferEdit]:
    """The buffer edits of a diagnostic's fix, newlines in the buffer's own style."""
    if diagnostic.fix is None:
        return []
    newline = dominant_newline(table.text)
    edits = []
    for edit in diagnostic.fix.edits:
        start = table.offset_of(edit.span.line, edit.span.column)
        end = max(start, table.offset_of(edit.span.end_line, edit.span.end_column))
        text = edit.text.replace("\n", newline) if newline != "\n" else edit.text
        edits.append((start, end, text))
    return edits


def diff_edits(before: str, after: str) -> list[BufferEdit]:
    """Line-level edits that turn ``before`` into ``after``.

    Fix-all may take several rounds of fixes, so its result is not a list of edits of the
    original; a line diff gives the editor small edits (cursor and folds stay put) rather
    than one replacement of the whole buffer.
    """
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    edits = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            edits.append((starts[i1], starts[i2], "".join(b[j1:j2])))
    return edits


def disable_edit(doc: Document, table: LineTable, diagnostic: Diagnostic) -> Disable | None:
    """The edit that silences ``diagnostic`` with a suppression comment (see module doc)."""
    rule = diagnostic.rule
    if rule in NOT_DISABLED:
        return None
    line = diagnostic.span.line
    newline = dominant_newline(table.text)
    fm = doc.front_matter
    if fm is not None and (fm.block.close_line is None or line <= fm.block.close_line):
        if fm.block.close_line is None:
            return None
        comment = f"<!-- naislint-disable-file {rule} -->"
        after = fm.block.close_line + 1
        if after > table.line_count:
            at = len(table.text)
            return Disable(f"Disable {rule} for this file", (at, at, newline + comment))
        at = table.offset_of(after, 1)
        return Disable(f"Disable {rule} for this file", (at, at, comment + newline))
    blocks = _blocks_at(doc, line - 1)
    if any(t.type in CODE for t in blocks):
        return None
    if any(t.type in SPLIT_BY_COMMENT and t.map[0] < line - 1 for t in blocks):
        end = table.offset_of(line, len(doc.line(line)) + 1)
        return Disable(f"Disable {rule} on this line", (end, end, f" <!-- naislint-disable-line {rule} -->"))
    text = doc.line(line)
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    if any(t.type == "list_item_open" and t.map[0] == line - 1 for t in blocks):
        m = LIST_MARKER_RE.match(text)
        if m:
            indent = " " * len(m.group(0).expandtabs(4))
    at = table.offset_of(line, 1)
    comment = f"{indent}<!-- naislint-disable-next-line {rule} -->{newline}"
    return Disable(f"Disable {rule} on this line", (at, at, comment))


def _blocks_at(doc: Document, index: int) -> list:
    """Block tokens whose line map covers the 0-based line ``index``."""
    found = []
    for token in doc.tokens:
        if token.map and token.nesting >= 0 and token.map[0] <= index < token.map[1]:
            if token.nesting == 1 or token.type in CODE or token.type == "html_block":
                found.append(token)
    return found
