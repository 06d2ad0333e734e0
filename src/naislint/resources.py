"""Where the shipped schemas and rule docs are at run time.

The top-level ``schemas/`` and ``rules/`` folders are the source of truth; the package
reaches them through ``naislint/data/`` (links in a checkout, copies in a built wheel), so
``pip install .``, editable installs and the pre-commit hook all find the same files.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """The folder of shipped data ``name`` (``schemas`` or ``rules``)."""
    candidate = _DATA / name
    if candidate.is_dir():
        return candidate
    fallback = Path(__file__).resolve().parents[2] / name
    return fallback


def schema_path(filename: str) -> Path:
    return data_dir("schemas") / filename


def rule_doc_path(rule_name: str) -> Path:
    return data_dir("rules") / f"{rule_name}.md"
