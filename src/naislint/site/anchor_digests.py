"""On-disk memory of each markdown file's anchor digest in a repository read on GitHub.

A repository's fingerprint (:attr:`naislint.site.github.Repository.fingerprint`) holds
the digest of every markdown file's lines that could give it an anchor, so that cached
lint results are dropped when a heading changes anywhere. Working it out reads every
markdown file of the repository, which is most of a warm run's time on a large one
(kubernetes/community: half of it). This store keeps each file's digest by its stat
stamp, as the site facts cache does: a file whose stamp proves it unchanged (git's
racy-clean rule, :func:`naislint.store.stamps.stat_proves_unchanged`) is not read.

Stored as JSON (never pickle: a cache folder is a file anyone could have committed)
under ``.naislint_cache/``, one file per repository root, keyed by the root and
naislint's code (the digest's reading of a line changes with it). Only regular files'
digests are kept, and only digests of content actually read: a file that could not be
read, or is too large, is stamped afresh every run. A missing, corrupt or foreign file
is rebuilt; one that cannot be written is simply not kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from naislint.store.stamped import StampedFiles

FILE_PREFIX = "repo-anchors-"
FORMAT = 1


def _is_hex_digest(value: Any) -> bool:
    if type(value) is not str or len(value) != 32:
        return False
    try:
        int(value, 16)
    except ValueError:
        return False
    return True


class AnchorDigests(StampedFiles):
    """Each markdown file's anchor digest: ``old`` as loaded, ``new`` as this run found.

    An entry is ``[mtime_ns, ctime_ns, size, inode, taken_ns, digest_hex]``.
    """

    def __init__(self, cache_dir: str | None, root: str) -> None:
        from naislint.store.folder import CACHE_DIR_NAME
        from naislint.store.stamps import package_fingerprint

        name = hashlib.blake2b(root.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
        path = os.path.join(cache_dir, CACHE_DIR_NAME, f"{FILE_PREFIX}{name}.json") if cache_dir else None
        super().__init__(path, json.dumps([FORMAT, root, package_fingerprint()]))

    def get(self, rel: str, st: os.stat_result) -> bytes | None:
        """The digest kept for ``rel``, whose ``lstat`` (taken after :attr:`opened_ns`)
        is ``st``, when its stamp proves the file unchanged; else ``None``."""
        from naislint.store.stamps import Stamp, is_int, is_stamp_key, stat_proves_unchanged, walk_stamp

        entry = self.old.get(rel)
        if not isinstance(entry, list) or len(entry) != 6:
            return None
        stored, taken, digest = entry[:4], entry[4], entry[5]
        if not is_stamp_key(stored) or not is_int(taken) or not _is_hex_digest(digest):
            return None
        if not stat_proves_unchanged(stored, taken, Stamp.of(walk_stamp(st), self.opened_ns)):
            return None
        self.new[rel] = entry
        return bytes.fromhex(digest)

    def put(self, rel: str, st: os.stat_result, digest: bytes) -> None:
        """Keep ``digest``, worked out from content read after the stamp ``st`` was taken."""
        from naislint.store.stamps import walk_stamp

        mtime_ns, size, ctime_ns, ino = walk_stamp(st)
        self.new[rel] = [mtime_ns, ctime_ns, size, ino, self.opened_ns, digest.hex()]
        self.changed = True

    def save(self) -> None:
        """Write the entries of this run (those of files gone are dropped), when any
        differ from what was loaded."""
        if not self.path or (not self.changed and len(self.new) == len(self.old)):
            return
        from naislint.store.folder import write_cache_file

        write_cache_file(self.path, json.dumps({"key": self.key, "files": self.new}, separators=(",", ":")))
