"""Opening a file under a site: only regular files, never blocking, never outside the site.

A pull request can add anything to a site's tree: a named pipe (``page.md``,
``pipe.png``), a link to ``/dev/stdin`` (git commits symbolic links), a link to
``/etc/passwd`` or to the CI runner's secrets. Reading any of these naively hangs the run
or prints another file's contents in a report, and writing through one (``--fix``)
changes a file outside the repository. Every place that opens a file of the site (pages,
the site index's readers, the facts cache, reporters' excerpts, fixes, user schemas)
goes through :func:`read_regular`, so the rules are the same everywhere:

- the last path component is opened with ``O_NOFOLLOW``; when it is a link, the link is
  followed only if where it leads is inside ``within`` (the site root, or the folder a
  page outside any site belongs to), and that resolved path is opened instead;
- the open never blocks (``O_NONBLOCK``: a pipe with no writer opens at once) and the
  open descriptor is checked with ``fstat``: anything but a regular file is refused,
  so a file swapped in after a check cannot slip through;
- where the file really is, folder links included, is checked on the open descriptor
  (``/proc/self/fd`` on Linux, else by resolving the path);
- at most ``limit`` + 1 bytes are read, however large the file claims or grows to be.

Refusals are :class:`Refused`, an ``OSError``, so readers that already treat an
unreadable file as absent need no new handling.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from functools import lru_cache
from typing import Iterable

#: How much is read at a time once a file turns out larger than its ``fstat`` size.
CHUNK = 1024 * 1024
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: What ``open(O_NOFOLLOW)`` of a symbolic link fails with (Linux, macOS: ELOOP; FreeBSD: EMLINK).
_LINK_ERRNOS = frozenset({errno.ELOOP, errno.EMLINK})


class Refused(OSError):
    """A file naislint will not read: not a regular file, outside the site, too large.

    ``message`` is a complete sentence for a diagnostic; ``kind`` is ``"outside"``,
    ``"special"`` or ``"size"``.
    """

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind

    def __str__(self) -> str:
        return self.message


@lru_cache(maxsize=256)
def _real(folder: str) -> str:
    """A boundary folder's resolved path (asked once per file, so remembered)."""
    return os.path.realpath(folder)


def _roots(within: "str | Iterable[str] | None") -> tuple[str, ...]:
    if within is None:
        return ()
    if isinstance(within, str):
        return (_real(within),)
    return tuple(_real(w) for w in within)


def is_inside(real_path: str, roots: tuple[str, ...]) -> bool:
    """Whether a resolved path is one of ``roots`` or below one of them."""
    for root in roots:
        top = root.rstrip(os.sep)
        if real_path == root or real_path.startswith(top + os.sep):
            return True
    return False


def _where_open(fd: int, path: str) -> str:
    """The resolved path of an open file: from the kernel where it says, else from the path."""
    try:
        found = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return os.path.realpath(path)
    return found if found.startswith(os.sep) else os.path.realpath(path)


def _outside(path: str, roots: tuple[str, ...], real: str) -> Refused:
    """The refusal of a path that leads outside ``roots``, naming the link and its target."""
    place = roots[0] if len(roots) == 1 else " or ".join(roots)
    try:
        target = os.readlink(path)
    except OSError:
        target = None
    if target is not None:
        shown = target if os.path.isabs(target) or target == real else f"{target} ({real})"
        message = f"{path} is a symbolic link to {shown}, outside {place}; not read"
    else:
        message = f"{path} leads to {real} through a linked folder, outside {place}; not read"
    return Refused(message, "outside")


def open_regular(path: str, within: "str | Iterable[str] | None" = None) -> int:
    """A read-only descriptor of the regular file at ``path``, or :class:`Refused` /
    ``OSError``. With ``within``, the file must really be inside one of those folders."""
    return _open(path, within)[0]


def _open(path: str, within: "str | Iterable[str] | None") -> "tuple[int, int]":
    """:func:`open_regular`, and the file's size from the same ``fstat``."""
    roots = _roots(within)
    try:
        fd = os.open(path, _FLAGS | _NOFOLLOW)
    except OSError as exc:
        if exc.errno not in _LINK_ERRNOS or not _NOFOLLOW:
            raise
        # The last component is a symbolic link: follow it only to a place inside.
        real = os.path.realpath(path)
        if roots and not is_inside(real, roots):
            raise _outside(path, roots, real) from None
        try:
            fd = os.open(real, _FLAGS | _NOFOLLOW)
        except OSError as again:
            if again.errno in _LINK_ERRNOS:
                raise OSError(errno.ELOOP, "symbolic link loop") from None
            raise
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", path)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not a regular file (a pipe, socket or device); not read", "special")
        if roots:
            real = _where_open(fd, path)
            if not is_inside(real, roots):
                raise _outside(path, roots, real)
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_regular(path: str, within: "str | Iterable[str] | None" = None, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (see the module's rules).

    With ``limit``, a file over ``limit`` bytes is :class:`Refused` (kind ``"size"``)
    after reading no more than ``limit`` + 1 bytes of it.
    """
    fd, size = _open(path, within)
    with open(fd, "rb", buffering=0, closefd=True) as handle:
        if limit is not None and size > limit:
            raise Refused(f"file is {size:,} bytes, over the max-file-size limit of {limit:,}; not read", "size")
        data = _read_up_to(handle, size, limit + 1 if limit is not None else None)
    if limit is not None and len(data) > limit:
        raise Refused(f"file is over the max-file-size limit of {limit:,} bytes; not read", "size")
    return data


def read_head(path: str, count: int, within: "str | Iterable[str] | None" = None) -> bytes:
    """The first ``count`` bytes of a regular file (the site index reads pages' heads)."""
    fd, size = _open(path, within)
    with open(fd, "rb", buffering=0, closefd=True) as handle:
        return _read_up_to(handle, size, count)


def _read_up_to(handle: "io.FileIO", size: int, cap: int | None) -> bytes:
    """Read to the end, or to ``cap`` bytes, of a file ``fstat`` says holds ``size``.

    Asks for ``size`` + 1 bytes first (a read of ``cap`` bytes would reserve that much
    memory whatever the file's size); only a file that grew meanwhile fills the request,
    and it is read on in chunks up to the cap.
    """
    ask = size + 1 if cap is None else min(size + 1, cap)
    parts: list[bytes] = []
    got = 0
    while ask > 0:
        chunk = handle.read(ask) or b""
        if chunk:
            parts.append(chunk)
            got += len(chunk)
        if len(chunk) < ask:  # a regular file reads short only at its end
            break
        ask = CHUNK if cap is None else min(CHUNK, cap - got)
    return b"".join(parts)


def boundary(site_root: str | None, walked_from: str | None, path: str) -> str:
    """The folder a page may not leave: its site root; for a page outside any site, the
    folder the run walked to find it, or the folder holding the path as given."""
    return site_root or walked_from or os.path.dirname(os.path.abspath(path))


def target_boundary(target: object) -> str:
    """:func:`boundary` of a :class:`naislint.run.discover.Target`."""
    return boundary(getattr(target, "site_root", None), getattr(target, "walked_from", None),
                    getattr(target, "path"))
