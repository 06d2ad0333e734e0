"""On-disk memory of what each file contributed to the site index.

Stored as JSON (never pickle: a cache folder is a file an attacker could commit) under
``.naislint_cache/site-facts.json``, keyed by the site's configuration and naislint's
code, and per file by size and modification time; a page whose stamp changed but whose
content did not (a checkout, a touch) keeps its facts by the digest of its content. A missing, corrupt or foreign cache
is rebuilt; one that cannot be written is simply not kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from naislint.safeopen import read_head, read_regular

FILE_NAME = "site-facts.json"
#: Pages up to this size keep a content digest (the index reads no more of a page).
MAX_DIGESTED = 8 * 1024 * 1024


class FactsCache:
    def __init__(self, cache_dir: str | None, root: str, settings: list[Any]) -> None:
        from naislint.cache import CACHE_DIR_NAME, code_fingerprint

        self.path = os.path.join(cache_dir, CACHE_DIR_NAME, FILE_NAME) if cache_dir else None
        self.root = root
        basis = json.dumps([root, settings, code_fingerprint()], sort_keys=True, default=str)
        self.key = hashlib.blake2b(basis.encode(), digest_size=12).hexdigest()
        self.old: dict[str, list] = {}
        self.new: dict[str, list] = {}
        self.changed = False
        self.stored_fingerprint: str | None = None
        self.computed: str | None = None
        if self.path:
            self._load()

    def _load(self) -> None:
        try:
            # Only a regular file, opened without blocking: a pipe committed in its place
            # must not hang the run.
            data = json.loads(read_regular(self.path).decode("utf-8"))  # type: ignore[arg-type]
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            self.old = data["files"]
            stored = data.get("fingerprint")
            self.stored_fingerprint = stored if isinstance(stored, str) else None

    def get(self, rel: str, stamp: tuple[int, int], full: str | None = None) -> list | None:
        entry = self.old.get(rel)
        if not isinstance(entry, list) or len(entry) != 4:
            return None
        if entry[0] == stamp[0] and entry[1] == stamp[1]:
            self.new[rel] = entry
            return entry[2]
        if full is not None and isinstance(entry[3], str) and entry[1] == stamp[1] and entry[1] <= MAX_DIGESTED:
            from naislint.cache import content_hash

            try:
                same = content_hash(read_head(full, MAX_DIGESTED + 1, self.root)) == entry[3]
            except OSError:
                return None
            if same:
                self.put(rel, stamp, entry[2], entry[3])
                return entry[2]
        return None

    def put(self, rel: str, stamp: tuple[int, int], facts: list, digest: str | None = None) -> None:
        self.new[rel] = [stamp[0], stamp[1], facts, digest]
        self.changed = True
        self.computed = None

    def fingerprint(self) -> str:
        """Digest of every file's facts (not of stamps: touching a file changes nothing);
        the stored one while every file's facts came from the cache unchanged."""
        if self.stored_fingerprint and not self.changed and len(self.new) == len(self.old):
            return self.stored_fingerprint
        if self.computed is not None:
            return self.computed
        digest = hashlib.blake2b(digest_size=12)
        for rel in sorted(self.new):
            digest.update(rel.encode("utf-8", "surrogatepass"))
            digest.update(json.dumps(self.new[rel][2], separators=(",", ":")).encode("utf-8", "surrogatepass"))
        self.computed = digest.hexdigest()
        return self.computed

    def save(self) -> None:
        if not self.path or (not self.changed and len(self.new) == len(self.old) and self.stored_fingerprint):
            return
        from naislint.cache import write_cache_file

        try:
            payload = json.dumps(
                {"key": self.key, "fingerprint": self.fingerprint(), "files": self.new}, separators=(",", ":")
            )
        except ValueError:
            return
        write_cache_file(self.path, payload)
