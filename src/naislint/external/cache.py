"""Results of earlier external checks, kept on disk for a while.

One JSON file under the site's ``.naislint_cache/`` folder maps a requested URL to what
it answered and when. It is written atomically (temporary file, then rename) so an
interrupted run never leaves half a file; a file that cannot be read or parsed is treated
as empty, never as an error: a cache may always be thrown away.

The file is also something a pull request can commit, so it is read as naislint's other
caches are (:func:`naislint.store.folder.read_cache_json`: not from a folder git tracks or one
that is a link), and each entry is used only when it holds every field
:meth:`LinkResult.to_json` writes, each of the right type; any other entry is dropped
and the link asked again.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from naislint.external.checker import LinkResult

CACHE_FILE = "external-links.json"
FORMAT_VERSION = 1


class ResultCache:
    """URL → :class:`LinkResult`, with entries older than ``ttl`` seconds ignored."""

    def __init__(self, path: str | Path | None, ttl: float, now: float | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.ttl = ttl
        self.now = time.time() if now is None else now
        self.entries: dict[str, dict] = {}
        self.dirty = False
        if self.path is not None and ttl > 0:
            self.entries = self._read(self.path)

    @classmethod
    def in_folder(cls, folder: str | Path | None, ttl: float) -> "ResultCache":
        return cls(Path(folder) / CACHE_FILE if folder is not None else None, ttl)

    @staticmethod
    def _read(path: Path) -> dict[str, dict]:
        from naislint.store.folder import read_cache_json

        data = read_cache_json(str(path))
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            return {}
        entries = data.get("entries")
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, str) and valid_entry(v)}

    def get(self, key: str, need_anchors: bool) -> "LinkResult | None":
        """A fresh cached result for ``key``; ``None`` when unknown, stale or unusable."""
        from naislint.external.checker import LinkResult

        entry = self.entries.get(key)
        if entry is None:
            return None
        checked = entry.get("checked_at")
        if not isinstance(checked, (int, float)) or not (0 <= self.now - checked <= self.ttl):
            return None
        try:
            result = LinkResult.from_json(key, entry)
        except Exception:  # the entry was checked; a bug must still not end the run
            return None
        if result is None or result.url != key or (need_anchors and not result.body_read):
            return None
        return result

    def put(self, result: "LinkResult") -> None:
        if result.transient or self.ttl <= 0:
            return
        self.entries[result.url] = result.to_json()
        self.dirty = True

    def save(self) -> None:
        """Write the cache atomically, dropping stale entries; failures are ignored."""
        if self.path is None or not self.dirty:
            return
        fresh = {
            k: v
            for k, v in self.entries.items()
            if isinstance(v.get("checked_at"), (int, float)) and self.now - v["checked_at"] <= self.ttl
        }
        payload = json.dumps({"version": FORMAT_VERSION, "entries": fresh}, sort_keys=True)
        from naislint.store.folder import write_cache_file

        if not write_cache_file(str(self.path), payload):
            return
        self.dirty = False


#: The fields :meth:`LinkResult.to_json` writes (an entry may hold more: a newer naislint's).
_FIELDS = frozenset({"status", "reason", "final_url", "error", "anchors", "body_read", "checked_at"})


def _optional_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


def valid_entry(entry: Any) -> bool:
    """Whether a stored entry has the shape :meth:`LinkResult.to_json` writes: a status
    that is an HTTP status or nothing, text where text goes, a finite check time."""
    if not isinstance(entry, dict) or not _FIELDS <= entry.keys():
        return False
    status, checked, anchors = entry.get("status"), entry.get("checked_at"), entry.get("anchors")
    return (
        (status is None or (isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 999))
        and isinstance(checked, (int, float))
        and not isinstance(checked, bool)
        and math.isfinite(checked)
        and isinstance(entry["reason"], str)
        and _optional_str(entry.get("final_url"))
        and _optional_str(entry.get("error"))
        and (anchors is None or (isinstance(anchors, list) and all(isinstance(a, str) for a in anchors)))
        and isinstance(entry["body_read"], bool)
    )
