"""Baselines: record today's diagnostics, later report only the new ones.

A diagnostic is recognised by what it is about, not where it is: its rule, its file (as a
path relative to the baseline file, so any working folder gives the same key) and the
whitespace-normalised text of its line and of the nearest non-blank line above and below.
Line numbers are kept in the file for people to read but never matched, so inserting or
deleting lines elsewhere in a page does not make old diagnostics look new.

Identical fingerprints (the same ``&nbsp;`` twice on one line) are told apart by an
occurrence counter, so a third copy added later is new. Matching is two-pass: first on the
line with its neighbours, then, for what is left, on the line alone, so editing the line
next to an old diagnostic does not resurrect it either.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from naislint.errors import BaselineError

if TYPE_CHECKING:
    from naislint.diagnostics import Diagnostic
    from naislint.run.results import RunResult

VERSION = 1
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Key:
    """How one diagnostic is recognised: with its neighbours, and by its line alone."""

    rule: str
    path: str
    context: str
    line: str


def _normalise(line: str) -> str:
    return _SPACE_RE.sub(" ", line).strip()


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:20]


def _neighbour(lines: list[str], index: int, step: int) -> str:
    index += step
    while 0 <= index < len(lines):
        text = _normalise(lines[index])
        if text:
            return text
        index += step
    return ""


def key_for(d: "Diagnostic", lines: list[str], path: str) -> Key:
    """The key of one diagnostic, given its file's lines and its baseline-relative path."""
    i = d.line - 1
    own = _normalise(lines[i]) if 0 <= i < len(lines) else ""
    context = _digest(d.rule, path, _neighbour(lines, i, -1), own, _neighbour(lines, i, 1))
    return Key(d.rule, path, context, _digest(d.rule, path, own))


def relative_path(path: str, base_dir: str) -> str:
    """``path`` relative to ``base_dir`` in POSIX form (absolute when on another drive)."""
    absolute = os.path.abspath(path)
    try:
        return Path(os.path.relpath(absolute, base_dir)).as_posix()
    except ValueError:
        return Path(absolute).as_posix()


def keys(result: "RunResult", base_dir: str) -> list[tuple["Diagnostic", Key]]:
    """Every diagnostic of ``result`` with its key, in the result's order."""
    by_display = {f.target.display: f for f in result.files}
    cache: dict[str, tuple[list[str], str]] = {}
    out = []
    for d in result.diagnostics:
        if d.path not in cache:
            f = by_display.get(d.path)
            if f is None:
                cache[d.path] = ([], relative_path(d.path, base_dir))
            else:
                cache[d.path] = (f.source_lines(), relative_path(f.target.path, base_dir))
        lines, path = cache[d.path]
        out.append((d, key_for(d, lines, path)))
    return out


def fingerprints(result: "RunResult", base_dir: str | None = None) -> list[str]:
    """A stable fingerprint per diagnostic (context digest plus occurrence number)."""
    seen: Counter[str] = Counter()
    out = []
    for _, key in keys(result, base_dir or os.getcwd()):
        seen[key.context] += 1
        out.append(f"{key.context}:{seen[key.context]}")
    return out


def write(path: str, result: "RunResult") -> int:
    """Write the baseline of ``result`` to ``path``; returns how many entries it holds."""
    base_dir = os.path.dirname(os.path.abspath(path))
    seen: Counter[str] = Counter()
    entries = []
    for d, key in keys(result, base_dir):
        seen[key.context] += 1
        entries.append({
            "rule": key.rule,
            "path": key.path,
            "fingerprint": key.context,
            "line_fingerprint": key.line,
            "occurrence": seen[key.context],
            "line": d.line,
            "message": d.message,
        })
    entries.sort(key=lambda e: (e["path"], e["line"], e["rule"], e["occurrence"]))
    data = {"naislint-baseline": VERSION, "entries": entries}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return len(entries)


def load(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"the baseline {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("naislint-baseline") != VERSION or not isinstance(data.get("entries"), list):
        raise BaselineError(f"{path} is not a naislint baseline (version {VERSION})")
    entries = []
    for entry in data["entries"]:
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) for k in ("rule", "path", "fingerprint", "line_fingerprint")
        ):
            raise BaselineError(f"the baseline {path} has a malformed entry: {entry!r:.200}")
        entries.append(entry)
    return entries


def new_only(result: "RunResult", path: str) -> list["Diagnostic"]:
    """The diagnostics of ``result`` that the baseline at ``path`` does not account for."""
    base_dir = os.path.dirname(os.path.abspath(path))
    budget_context: Counter[tuple[str, str, str]] = Counter()
    budget_line: Counter[tuple[str, str, str]] = Counter()
    entries = load(path)
    for e in entries:
        budget_context[(e["rule"], e["path"], e["fingerprint"])] += 1
    keyed = keys(result, base_dir)
    unmatched: list[int] = []
    for i, (_, key) in enumerate(keyed):
        k = (key.rule, key.path, key.context)
        if budget_context[k] > 0:
            budget_context[k] -= 1
        else:
            unmatched.append(i)
    # Baseline entries not matched with their neighbours may still match by line alone.
    left: dict[tuple[str, str, str], int] = defaultdict(int)
    for e in entries:
        k = (e["rule"], e["path"], e["fingerprint"])
        if budget_context[k] > 0:
            budget_context[k] -= 1
            left[(e["rule"], e["path"], e["line_fingerprint"])] += 1
    budget_line.update(left)
    new = []
    for i in unmatched:
        d, key = keyed[i]
        k = (key.rule, key.path, key.line)
        if budget_line[k] > 0:
            budget_line[k] -= 1
        else:
            new.append(d)
    return new


def filter_result(result: "RunResult", path: str) -> int:
    """Drop baselined diagnostics from ``result`` (and its files); returns how many."""
    new = new_only(result, path)
    keep = {id(d) for d in new}
    dropped = len(result.diagnostics) - len(new)
    result.diagnostics = new
    for f in result.files:
        f.diagnostics = [d for d in f.diagnostics if id(d) in keep]
    return dropped


__all__ = ["BaselineError", "filter_result", "fingerprints", "load", "new_only", "write"]
