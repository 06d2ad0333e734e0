"""What identifies a file's content cheaply: its digest, and its stat stamp.

Every cache naislint keeps (results, site facts, external links) asks the same question,
"is this file what it was?", and answers it the same way: a stamp that proves the file
unchanged by git's racy-clean rule, else the content digest.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any, NamedTuple

#: The coarsest timestamp step of the file systems a site may live on (FAT keeps
#: modification times to 2 s, ext3 and HFS+ to 1 s; finer ones are stamped from a clock
#: that ticks every few milliseconds). A file changed less than this before its cache
#: entry was taken may change again without its stamp moving, so it is re-read.
TIMESTAMP_GRANULARITY_NS = 2_000_000_000


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


class Stamp(NamedTuple):
    """What identifies one file's content cheaply, and when that was looked at.

    The change time (``ctime``) is what makes the stamp hard to fake: tools that put a
    modification time back cannot put it back, and neither can a rename over the file
    (a new inode). ``taken_ns`` is the wall clock no later than the stat call, and so
    no later than any read of the content that follows it.

    A named tuple, not a frozen dataclass: a warm run makes one for every page and every
    file of its sites, and a tuple is made in a third of the time.
    """

    mtime_ns: int
    size: int
    ctime_ns: int = 0
    ino: int = 0
    taken_ns: int = 0

    def key(self) -> list[int]:
        """The part compared with a cache entry's."""
        return [self.mtime_ns, self.ctime_ns, self.size, self.ino]

    @classmethod
    def of(cls, walked: tuple[int, ...], taken_ns: int) -> "Stamp":
        """The stamp of a site walk's ``(mtime_ns, size, ctime_ns, ino)`` tuple, taken
        no later than ``taken_ns``."""
        if len(walked) == 4:
            mtime_ns, size, ctime_ns, ino = walked
        else:
            mtime_ns, size, ctime_ns, ino = (tuple(walked) + (0, 0))[:4]
        return cls(mtime_ns, size, ctime_ns, ino, taken_ns)


def walk_stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    """The tuple the site walk keeps of each file (see :meth:`Stamp.of`)."""
    return (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)


def stamp(path: str) -> Stamp | None:
    taken = time.time_ns()
    try:
        st = os.stat(path)
    except OSError:
        return None
    return Stamp.of(walk_stamp(st), taken)


def stat_proves_unchanged(stored: Any, stored_taken: Any, current: Stamp) -> bool:
    """Whether an entry's stamp ``stored`` (taken at ``stored_taken``) proves the file is
    unchanged without reading it: git's racy-clean rule.

    The stamps must be equal, and the file's last change must lie more than the
    timestamp granularity before the entry was taken. A later edit then gets a change
    time after that, so it cannot leave the stamp as it was; an edit within the same
    clock tick could, so such an entry is checked by content instead.
    """
    if type(stored_taken) is not int or stored != current.key():
        return False
    return max(current.mtime_ns, current.ctime_ns) < stored_taken - TIMESTAMP_GRANULARITY_NS


def is_int(value: Any, low: int = 0) -> bool:
    """A JSON integer (never a boolean: its type is not ``int``) of at least ``low``."""
    return type(value) is int and value >= low


def is_stamp_key(value: Any) -> bool:
    """A stored stamp key: a list of four JSON integers."""
    return (type(value) is list and len(value) == 4 and type(value[0]) is int and type(value[1]) is int
            and type(value[2]) is int and type(value[3]) is int)


def package_folder() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def package_files() -> list[str]:
    """Every file of the installed package, in a stable order, the shipped schemas and rule
    docs included: in a checkout ``naislint/data/`` holds links to the top-level
    ``schemas/`` and ``rules/`` folders, which the walk follows."""
    found: list[str] = []
    for folder, dirs, names in os.walk(package_folder(), followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found.extend(os.path.join(folder, name) for name in sorted(names))
    return found


def package_fingerprint() -> str:
    """naislint's version and the stat stamps of every module and shipped schema of the
    installed package, so that what a cache holds is dropped when the code that made it
    changes (an upgrade, or an edit in a checkout)."""
    global _PACKAGE_FINGERPRINT
    if _PACKAGE_FINGERPRINT is None:
        from naislint.version import __version__

        package = package_folder()
        parts = [__version__]
        for path in package_files():
            if path.endswith((".py", ".json")):
                st = os.stat(path)
                parts.append(f"{os.path.relpath(path, package)}:{st.st_mtime_ns}:{st.st_size}")
        _PACKAGE_FINGERPRINT = hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
    return _PACKAGE_FINGERPRINT


_PACKAGE_FINGERPRINT: str | None = None
