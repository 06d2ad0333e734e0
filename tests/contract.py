"""The JSON output contract, checked item by item against the file it describes.

Shared by the bad-input suite and the property tests: every key and type as the README
states it, and every position (diagnostic and fix edits) inside the file.
"""

from __future__ import annotations

import re

from naislint.page.text import NEWLINE_RE

CONTRACT_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message", "fix", "url"}
EDIT_KEYS = {"line", "column", "end_line", "end_column", "text"}
CODE_RE = re.compile(r"NL\d{3}")


def file_lines(raw: bytes) -> list[str]:
    """Lines as naislint counts them (``\\r\\n``, ``\\r``, ``\\n``), decoding leniently so
    that an unreadable file's diagnostic can be checked too."""
    text = raw.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return NEWLINE_RE.split(text)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_span(where: str, item: dict, lines: list[str] | None) -> None:
    for key in ("line", "column", "end_line", "end_column"):
        assert _is_int(item[key]) and item[key] >= 1, f"{where}: {key}={item[key]!r}"
    assert (item["line"], item["column"]) <= (item["end_line"], item["end_column"]), f"{where}: end before start"
    if lines is None:
        return
    for line_key, col_key in (("line", "column"), ("end_line", "end_column")):
        line, column = item[line_key], item[col_key]
        assert line <= len(lines), f"{where}: {line_key} {line} past the last line {len(lines)}"
        assert column <= len(lines[line - 1]) + 1, (
            f"{where}: {col_key} {column} past the end of line {line} ({len(lines[line - 1])} characters)"
        )


def check_item(item: dict, lines: list[str] | None = None) -> None:
    """Assert one JSON diagnostic follows the contract (and lies inside ``lines``)."""
    assert set(item) == CONTRACT_KEYS, sorted(item)
    where = f"{item.get('path')}:{item.get('line')}:{item.get('column')} {item.get('rule')}"
    assert isinstance(item["path"], str) and item["path"]
    assert isinstance(item["code"], str) and CODE_RE.fullmatch(item["code"]), where
    assert isinstance(item["rule"], str) and item["rule"], where
    assert item["severity"] in ("error", "warning", "info"), where
    assert isinstance(item["message"], str) and item["message"].strip(), where
    assert isinstance(item["url"], str), where
    check_span(where, item, lines)
    fix = item["fix"]
    if fix is None:
        return
    assert isinstance(fix, dict) and set(fix) == {"safe", "edits"}, where
    assert isinstance(fix["safe"], bool), where
    assert isinstance(fix["edits"], list) and fix["edits"], where
    for edit in fix["edits"]:
        assert isinstance(edit, dict) and set(edit) == EDIT_KEYS, where
        assert isinstance(edit["text"], str), where
        check_span(f"{where} (fix edit)", edit, lines)
