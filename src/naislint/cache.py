"""The results cache: a run with nothing changed re-lints nothing.

One JSON file per site root under ``.naislint_cache/`` (like ruff's ``.ruff_cache``).
An entry is valid while the file's size, modification time or content hash, the
configuration, naislint's version and the site index's fingerprint are what they were.
Size and mtime let a warm run skip reading unchanged files; the hash catches a file that
was touched but not changed. A corrupt, foreign or unwritable cache is ignored and
rebuilt, never an error: the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from typing import Any

from naislint import __version__
from naislint.diagnostics import Diagnostic

CACHE_DIR_NAME = ".naislint_cache"
FORMAT = 1


def code_fingerprint() -> str:
    """Identifies the code that produced cached results: naislint's version, the stat
    stamps of its own modules and shipped data, and the registered rules (plugins too),
    so that upgrading naislint or a plugin, or editing a checkout, invalidates the cache."""
    global _CODE_FINGERPRINT
    if _CODE_FINGERPRINT is None:
        from naislint.registry import all_rules

        package = os.path.dirname(os.path.abspath(__file__))
        parts = [__version__]
        for folder in (package, os.path.join(package, "rules"), os.path.join(package, "data", "schemas")):
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                continue
            for name in names:
                if name.endswith((".py", ".json")):
                    st = os.stat(os.path.join(folder, name))
                    parts.append(f"{name}:{st.st_mtime_ns}:{st.st_size}")
        parts.extend(f"{r.code}:{r.name}:{getattr(r.check, '__module__', '')}" for r in all_rules().values())
        _CODE_FINGERPRINT = hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
    return _CODE_FINGERPRINT


_CODE_FINGERPRINT: str | None = None


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Stamp:
    """What identifies one file's content cheaply (stat) and surely (hash)."""

    mtime_ns: int
    size: int


def stamp(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return Stamp(st.st_mtime_ns, st.st_size)


class ResultCache:
    """Cached diagnostics of one site root (or folder) for one configuration."""

    def __init__(self, folder: str, config_fingerprint: str) -> None:
        self.folder = folder
        self.key = f"{code_fingerprint()}:{FORMAT}:{config_fingerprint}"
        self.path = os.path.join(folder, CACHE_DIR_NAME, f"results-{config_fingerprint}.json")
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            self.entries = data["files"]

    def lookup(self, rel: str, current: Stamp, site_fingerprint: str, read: Any) -> list[dict] | None:
        """Cached diagnostics (as JSON objects) for ``rel``, or ``None`` on a miss.

        ``read`` returns the file's bytes; it is called only when the stat stamp changed,
        to tell a touched file from an edited one.
        """
        entry = self.entries.get(rel)
        if not isinstance(entry, dict) or entry.get("site") != site_fingerprint:
            return None
        if entry.get("mtime") == current.mtime_ns and entry.get("size") == current.size:
            return entry.get("diagnostics")
        try:
            raw = read()
        except OSError:
            return None
        if entry.get("hash") != content_hash(raw):
            return None
        entry["mtime"], entry["size"] = current.mtime_ns, current.size
        self.dirty = True
        return entry.get("diagnostics")

    def store(self, rel: str, current: Stamp, raw_hash: str, site_fingerprint: str, diagnostics: list[Diagnostic]) -> None:
        items = []
        for d in diagnostics:
            item = d.to_json()
            del item["path"]
            items.append(item)
        self.entries[rel] = {
            "mtime": current.mtime_ns,
            "size": current.size,
            "hash": raw_hash,
            "site": site_fingerprint,
            "diagnostics": items,
        }
        self.dirty = True

    def save(self) -> None:
        """Write the cache atomically; failures (read-only site, full disk) are ignored."""
        if self.dirty:
            write_cache_file(self.path, json.dumps({"key": self.key, "files": self.entries}, separators=(",", ":")))


def write_cache_file(path: str, payload: str) -> bool:
    """Write one file of a ``.naislint_cache`` folder atomically (temporary file and
    rename), creating the folder with a ``.gitignore`` that keeps it out of git.

    Every cache of naislint writes through here. A failure (read-only site, full disk)
    leaves no temporary file behind and is not an error: a cache only ever saves time.
    """
    folder = os.path.dirname(path)
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        gitignore = os.path.join(folder, ".gitignore")
        if not os.path.exists(gitignore):
            with open(gitignore, "w", encoding="utf-8") as handle:
                handle.write("# Created by naislint\n*\n")
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, path)
        return True
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(exc, OSError):
            return False
        raise


def restore(items: list[dict], display: str) -> list[Diagnostic]:
    return [Diagnostic.from_json(item, display) for item in items]
