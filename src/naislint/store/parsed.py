"""A site's parsed YAML files (``_config.yml``, ``collection.yml``), kept between runs.

Every run reads each site's ``_config.yml`` before it can walk the site (its ``exclude``,
its collections, its theme choose the preset). Parsing them means importing PyYAML and
naislint's guarded loader: on a warm run over the Isomer corpus, a tenth of the run for a
handful of small files. This store keeps each file's data by its stat stamp, as the site
facts cache keeps a page's facts: a file whose stamp proves it unchanged (git's
racy-clean rule, :func:`naislint.store.stamps.stat_proves_unchanged`) is not read.

Kept only for a run that uses the results cache (:func:`configure`), in the same folder:
``.naislint_cache/parsed-<root digest>.json``, keyed by the root and naislint's code.
Only data JSON says exactly (mappings with string keys, lists, strings, finite numbers,
booleans, null) is kept, as JSON text decoded afresh on each read (no caller shares an
object with the cache); a file with a problem, a date or another YAML-only value is
parsed every time. A file anyone could have planted is only ever JSON: a corrupt or
foreign one is a miss and is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat as stat_mod
from typing import Any, Callable

from naislint.store.stamped import StampedFiles

FILE_PREFIX = "parsed-"
FORMAT = 1

#: Whether the current run keeps parsed files, and the ``--cache-dir`` it keeps them in
#: (``None``: each site root's own cache folder).
_ENABLED = False
_CACHE_DIR: str | None = None
#: (cache folder, site root) -> its table, loaded on first use.
_TABLES: dict[tuple[str, str], "ParsedFiles"] = {}


def configure(enabled: bool, cache_dir: str | None = None) -> None:
    """Keep parsed files (a run that uses the results cache: ``enabled``), in
    ``cache_dir`` when given, else in each site root's cache folder; or keep and read
    none (``--no-cache``). Each run says so as it starts."""
    global _ENABLED, _CACHE_DIR
    _ENABLED, _CACHE_DIR = enabled, cache_dir
    # Loaded afresh by each run: a table's clock (what it proves a file unchanged since)
    # is the time it was loaded.
    _TABLES.clear()


class ParsedFiles(StampedFiles):
    """The kept data of one site root's files, by path relative to the root.

    An entry is ``[mtime_ns, ctime_ns, size, inode, taken_ns, json_text]``.
    """

    def __init__(self, cache_dir: str, root: str) -> None:
        from naislint.store.folder import CACHE_DIR_NAME
        from naislint.store.stamps import package_fingerprint

        name = hashlib.blake2b(root.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
        super().__init__(os.path.join(cache_dir, CACHE_DIR_NAME, f"{FILE_PREFIX}{name}.json"),
                         json.dumps([FORMAT, root, package_fingerprint()]))

    def get(self, rel: str, st: os.stat_result) -> str | None:
        """The JSON text kept for ``rel`` when ``st`` (its ``lstat``, taken after
        :attr:`opened_ns`) proves it unchanged since; else ``None``."""
        from naislint.store.stamps import Stamp, is_int, is_stamp_key, stat_proves_unchanged, walk_stamp

        entry = self.old.get(rel)
        if type(entry) is not list or len(entry) != 6:
            return None
        stored, taken, text = entry[:4], entry[4], entry[5]
        if not is_stamp_key(stored) or not is_int(taken) or type(text) is not str:
            return None
        if not stat_proves_unchanged(stored, taken, Stamp.of(walk_stamp(st), self.opened_ns)):
            return None
        return text

    def put(self, rel: str, st: os.stat_result, text: str) -> None:
        """Keep ``text``, the data of content read after the stamp ``st`` was taken, and
        write the table (with the entries of this site's other files as loaded)."""
        from naislint.store.folder import write_cache_file
        from naislint.store.stamps import walk_stamp

        mtime_ns, size, ctime_ns, ino = walk_stamp(st)
        self.old[rel] = [mtime_ns, ctime_ns, size, ino, self.opened_ns, text]
        if self.path:
            write_cache_file(self.path, json.dumps({"key": self.key, "files": self.old}, separators=(",", ":")))


def read(root: str, rel: str, parse: Callable[[], tuple[Any, Any]]) -> tuple[Any, Any]:
    """``parse()`` of the file ``rel`` of the site at ``root``: ``(data, problem)``, the
    data kept from an earlier run when the file's stamp proves it unchanged."""
    if not _ENABLED:
        return parse()
    path = os.path.join(root, rel)
    try:
        st = os.lstat(path)  # before the read: what is kept was read after this stamp
    except OSError:
        return parse()
    if not stat_mod.S_ISREG(st.st_mode):
        return parse()  # a link's stamp is not its target's
    folder = _CACHE_DIR or root
    table = _TABLES.get((folder, root))
    if table is None:
        table = _TABLES[(folder, root)] = ParsedFiles(folder, root)
    text = table.get(rel, st)
    if text is not None:
        try:
            return json.loads(text), None
        except (ValueError, RecursionError):
            pass
    data, problem = parse()
    if problem is None and _plain(data):
        try:
            table.put(rel, st, json.dumps(data, separators=(",", ":"), allow_nan=False))
        except (ValueError, RecursionError):
            pass
    return data, problem


def _plain(value: Any, depth: int = 0) -> bool:
    """Whether JSON gives ``value`` back exactly (the same types, the same values)."""
    if depth > 64:
        return False
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is int:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(_plain(item, depth + 1) for item in value)
    if kind is dict:
        return all(type(key) is str and _plain(item, depth + 1) for key, item in value.items())
    return False
