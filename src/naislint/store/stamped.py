"""A cache file of per-file entries, each kept while its file's stat stamp proves the
file unchanged (git's racy-clean rule, :func:`naislint.store.stamps.stat_proves_unchanged`).

Such a file is ``{"key": ..., "files": {path: entry}}``: the key is a digest of what made
the entries (naislint's code, the settings), so a file written by other code or for other
settings is ignored and rebuilt; ``old`` is the table as loaded, ``new`` the one this run
builds, and entries of files a run no longer sees are dropped when it is written.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any


class StampedFiles:
    """The loaded and the new table of one such cache file (``path`` ``None``: no file)."""

    def __init__(self, path: str | None, basis: str) -> None:
        #: No later than every stamp this run takes (and so than every read after one).
        self.opened_ns = time.time_ns()
        self.path = path
        self.key = hashlib.blake2b(basis.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        self.old: dict[str, Any] = {}
        self.new: dict[str, list] = {}
        self.changed = False
        #: The whole file as loaded, when its key matched (for the tables a subclass keeps).
        self.loaded: dict | None = None
        if path:
            from naislint.store.folder import read_keyed_files

            self.loaded = read_keyed_files(path, self.key)
            if self.loaded is not None:
                self.old = self.loaded["files"]
