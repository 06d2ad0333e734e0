"""NL109 front-matter-lost-text: front matter text that YAML silently drops or reshapes.

The block parses, so nothing warns the author, but the page does not get the text that
was typed:

- ``#`` after a space starts a YAML comment. ``- #03-01 Mapletree Business City`` is an
  empty list item, and ``address: Blk 71 #03-01`` is just ``Blk 71``. Only a ``#``
  directly followed by text (``#03-01``, ``#careers``) is reported: a comment written as
  a comment (``weight: 2  # order``) has a space after its ``#``.
- An unquoted ``: `` inside a list item makes it a one-key mapping: in a list of strings,
  ``- Note: read this first`` becomes ``{"Note": "read this first"}``, which a layout
  prints as ``{"Note"=>"read this first"}`` or not at all. (The same ``: `` in a key's
  value is a YAML error: ``front-matter-syntax`` reports it.)

The fix puts the whole text in double quotes. It is safe when the whole value was lost
(``- #03-01 ...``: nobody writes an empty value with a comment glued to its ``#``) or the
item sits among strings, and YAML reads the quoted text back exactly; otherwise it is
offered as unsafe.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from naislint.diagnostics import Edit, Finding, Fix, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.page.yamlquote import quoted, reads_back

#: What follows a plain value on its line when YAML took the rest for a comment.
GLUED_COMMENT_RE = re.compile(r"^([ \t]+)#(\S.*?)\s*$")
MAX_NODES = 20000


def _kind(node: Any) -> str:
    return type(node).__name__


def _plain(node: Any) -> bool:
    return _kind(node) == "ScalarNode" and not node.style


def _values(root: Any) -> Iterator[tuple[Any, Any]]:
    """Every value node (not keys) with its parent, depth first, bounded."""
    stack = [(root, None)]
    seen = 0
    while stack and seen < MAX_NODES:
        node, parent = stack.pop()
        seen += 1
        yield node, parent
        kind = _kind(node)
        if kind == "MappingNode":
            stack.extend((value, node) for _key, value in reversed(node.value))
        elif kind == "SequenceNode":
            stack.extend((item, node) for item in reversed(node.value))


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None or not fm.ok or fm.root is None or "#" not in fm.block.yaml_text and ": " not in fm.block.yaml_text:
        return
    lines = fm.block.yaml_text.split("\n")
    first = fm.block.first_line
    for node, parent in _values(fm.root):
        if _plain(node):
            found = _glued_comment(node, lines, first)
        elif _kind(node) == "MappingNode" and _kind(parent) == "SequenceNode":
            found = _item_read_as_mapping(node, parent, lines, first)
        else:
            continue
        if found is not None:
            yield found


def _glued_comment(node: Any, lines: list[str], first: int) -> Finding | None:
    end = node.end_mark
    if end.line >= len(lines) or node.start_mark.line != end.line:
        return None
    line = lines[end.line]
    m = GLUED_COMMENT_RE.match(line[end.column :])
    if m is None:
        return None
    start_column = node.start_mark.column
    kept = node.value
    text = (line[start_column : end.column] + m.group(1) + "#" + m.group(2)).strip()
    prefix = line[:start_column]
    hash_column = end.column + len(m.group(1))
    span = Span(first + end.line, hash_column + 1, first + end.line, len(line.rstrip()) + 1)
    fix = None
    if reads_back(prefix if kept else prefix.rstrip() + " ", text):
        edit = Edit(Span(first + end.line, start_column + 1, first + end.line, len(line.rstrip()) + 1),
                    quoted(text) if kept else " " * (1 if not prefix.endswith((" ", "\t")) else 0) + quoted(text))
        fix = Fix((edit,), safe=not kept)
    if kept:
        message = (f"'#' after a space starts a YAML comment: the value is {kept!r}, without "
                   f"{'#' + m.group(2)!r}; put the whole text in quotes")
    else:
        message = (f"'#' after a space starts a YAML comment: this value is empty, and "
                   f"{'#' + m.group(2)!r} is lost; put the text in quotes")
    return Finding(span, message, fix=fix)


def _item_read_as_mapping(node: Any, parent: Any, lines: list[str], first: int) -> Finding | None:
    if len(node.value) != 1:
        return None
    key, value = node.value[0]
    if not (_plain(key) and _plain(value)) or key.start_mark.line != value.end_mark.line:
        return None
    if not any(_plain(item) and item.tag.endswith(":str") for item in parent.value):
        return None  # a list of mappings: the key is meant
    line = lines[key.start_mark.line]
    start, end = key.start_mark.column, value.end_mark.column
    text = line[start:end]
    if not value.value or " #" in line[end:]:
        return None
    row = first + key.start_mark.line
    fix = None
    if reads_back(line[:start], text):
        fix = Fix((Edit(Span(row, start + 1, row, end + 1), quoted(text)),), safe=True)
    colon = line.find(":", start + len(key.value))
    return Finding(
        Span(row, colon + 1, row, colon + 2),
        f"': ' makes this list item a mapping ({key.value!r} to {value.value!r}) among plain "
        "text items; a layout shows it as a hash or not at all: put the item in quotes",
        fix=fix,
    )


RULE = Rule(
    code="NL109",
    name="front-matter-lost-text",
    summary="front matter text YAML drops or reshapes (a '#' read as a comment, ': ' in a list item)",
    check=check,
    default_severity=Severity.WARNING,
    fixable=True,
)
