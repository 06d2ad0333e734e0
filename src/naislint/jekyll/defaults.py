"""Front matter defaults (``defaults:`` in ``_config.yml``), as Jekyll applies them.

Jekyll merges the ``values`` of every default set whose ``scope`` applies to a file under
the file's own front matter (``Jekyll::FrontmatterDefaults#all``), so a ``permalink``,
``layout`` or ``published`` given there counts as if the page said it. A scope applies when

- its ``type`` is absent or names the file's type (``pages``, ``posts``, ``drafts`` or a
  collection label; the old singular ``page``/``post``/``draft`` too), and
- its ``path`` is absent or empty, or the file's path starts with it (a string prefix,
  not a folder test, as Jekyll's ``path_is_subpath?``), or, when it holds ``*``, the
  file's path starts with one of the paths the glob finds (``Dir.glob``: ``*`` stays
  within a folder, ``**`` spans folders).

A more specific scope wins: a longer path, then one with a type (``has_precedence?``).
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

_DEPRECATED_TYPES = {"page": "pages", "post": "posts", "draft": "drafts"}


def valid_sets(site: dict) -> list[dict]:
    """The usable default sets of a site's raw config (Jekyll warns about and skips the rest)."""
    sets = site.get("defaults")
    if not isinstance(sets, list):
        return []
    found = []
    for entry in sets:
        if isinstance(entry, dict) and isinstance(entry.get("values"), dict):
            scope = entry.get("scope")
            found.append({"scope": scope if isinstance(scope, dict) else None, "values": entry["values"]})
    return found


def defaults_for(sets: list[dict], rel: str, kind: str) -> dict[str, Any]:
    """The merged default values for the file at ``rel`` (from the site root) of type
    ``kind``: what Jekyll puts under the file's own front matter."""
    merged: dict[str, Any] = {}
    old_scope: dict | None = None
    for entry in sets:
        scope = entry["scope"]
        if scope is not None and not _applies(scope, rel, kind):
            continue
        if scope is None or _has_precedence(old_scope, scope):
            merged = _deep_merge(merged, entry["values"])
            old_scope = scope if scope is not None else {}
        else:
            merged = _deep_merge(entry["values"], merged)
    return merged


def merge(defaults: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """A page's data: its front matter over its defaults (``Utils.deep_merge_hashes``)."""
    if not defaults:
        return meta
    return _deep_merge(defaults, meta)


def _deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _applies(scope: dict, rel: str, kind: str) -> bool:
    if "type" in scope:
        wanted = str(scope["type"])
        if _DEPRECATED_TYPES.get(wanted, wanted) != kind:
            return False
    path = scope.get("path")
    if not isinstance(path, str) or not path:
        return True
    path = _sanitize(path)
    if "*" in path:
        return _glob_prefix(path, rel)
    return rel.startswith(path)


def _sanitize(path: Any) -> str:
    """Jekyll's ``sanitize_path``: a leading ``/`` and a trailing one after it dropped."""
    if not isinstance(path, str) or not path:
        return ""
    if path.startswith("/"):
        return re.sub(r"\A/|(?<=[^/])/\Z", "", path)
    return path


def _has_precedence(old: dict | None, new: dict) -> bool:
    if old is None:
        return True
    new_path, old_path = _sanitize(new.get("path")), _sanitize(old.get("path"))
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    if "type" in new:
        return True
    return "type" not in old


def _glob_prefix(pattern: str, rel: str) -> bool:
    """Whether ``rel`` starts with a path that ``Dir.glob(pattern)`` lists: some leading
    run of its folders (or the whole path) matches the pattern segment by segment."""
    parts = rel.split("/")
    segments = [s for s in pattern.strip("/").split("/") if s]
    for n in range(1, len(parts) + 1):
        if _match_segments(segments, parts[:n]):
            return True
    return False


def _match_segments(pattern: list[str], parts: list[str]) -> bool:
    if not pattern:
        return not parts
    head = pattern[0]
    if head == "**":
        return any(_match_segments(pattern[1:], parts[i:]) for i in range(len(parts) + 1)
                   if all(not p.startswith(".") for p in parts[:i]))
    if not parts:
        return False
    part = parts[0]
    if part.startswith(".") and not head.startswith("."):
        return False  # Dir.glob lists no hidden entry unless the pattern names it
    return fnmatch.fnmatchcase(part, head) and _match_segments(pattern[1:], parts[1:])
