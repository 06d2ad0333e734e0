"""Quoting a front matter value that YAML would otherwise cut: the shared repair of
``front-matter-syntax`` (an unquoted ``: ``) and ``front-matter-lost-text`` (a ``#``
read as a comment, a list item read as a mapping)."""

from __future__ import annotations

import json
from typing import Any


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def reads_back(prefix: str, text: str) -> bool:
    """Whether the line ``prefix`` + ``quoted(text)`` (``prefix`` being what stands before
    the value: ``key: ``, ``  - ``, ``- key: ``) is read by YAML as the string ``text``:
    the check that makes a quoting fix certain."""
    import yaml

    try:
        data = yaml.safe_load(prefix.lstrip() + quoted(text) + "\n")
    except yaml.YAMLError:
        return False
    return _innermost(data) == text


def _innermost(data: Any) -> object:
    """Down through one-element lists and one-key mappings to the value."""
    for _ in range(8):
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        elif isinstance(data, dict) and len(data) == 1:
            data = next(iter(data.values()))
        else:
            break
    return data
