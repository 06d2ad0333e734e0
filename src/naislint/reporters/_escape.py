"""Make file names and texts safe to print in any report format.

On POSIX a file name is bytes: it may hold an ESC, a newline, or bytes that are not
UTF-8, which Python gives back as lone surrogates (``os.fsdecode``: byte ``0xff`` becomes
``\\udcff``). Printed as they are, such names break every format: a surrogate cannot be
encoded as UTF-8 (SARIF crashed, JSON came out invalid), an ESC drives the terminal or
the CI log, and a newline splits a ``path:line:col:`` line or a workflow command in two.
So every reporter prints paths through :func:`path_text`, which spells what is not
printable the way Python's ``repr`` does, and other texts through :func:`plain_text`,
which keeps them as they are except for surrogates (never valid in UTF-8 output).
"""

from __future__ import annotations

import re
from typing import Any

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def path_text(path: str) -> str:
    """``path`` with every character that is not printable escaped.

    Control characters, newlines, invisible format characters (bidirectional overrides
    among them), separators other than the space, and bytes that were not UTF-8 become
    ``\\n``, ``\\x1b``, ``\\u202e``, ``\\xff``...; everything else is kept, so ordinary
    names (accented, CJK, with spaces) print unchanged.
    """
    if path.isprintable():
        return path
    return "".join(char if char.isprintable() else _escape(char) for char in path)


def plain_text(text: str) -> str:
    """``text`` with lone surrogates escaped (as :func:`path_text` does), all else kept."""
    if text.isascii():  # most messages: no surrogate, nothing to search
        return text
    return _SURROGATE.sub(lambda m: _escape(m.group()), text)


def plain_tree(value: Any) -> Any:
    """A JSON-ready structure with :func:`plain_text` applied to every string in it."""
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, dict):
        return {plain_text(k) if isinstance(k, str) else k: plain_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_tree(v) for v in value]
    return value
