"""Results of earlier external checks, kept on disk for a while.

One JSON file under the site's ``.naislint_cache/`` folder maps a requested URL to what
it answered and when. It is written atomically (temporary file, then rename) so an
interrupted run never leaves half a file; a file that cannot be read or parsed is treated
as empty, never as an error: a cache may always be thrown away.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

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
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return {}
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            return {}
        entries = data.get("entries")
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, dict)}

    def get(self, key: str, need_anchors: bool) -> "LinkResult | None":
        """A fresh cached result for ``key``; ``None`` when unknown, stale or unusable."""
        from naislint.external.checker import LinkResult

        entry = self.entries.get(key)
        if entry is None:
            return None
        checked = entry.get("checked_at")
        if not isinstance(checked, (int, float)) or not (0 <= self.now - checked <= self.ttl):
            return None
        result = LinkResult.from_json(key, entry)
        if result is None or (need_anchors and not result.body_read):
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
        from naislint.cache import write_cache_file

        if not write_cache_file(str(self.path), payload):
            return
        self.dirty = False
