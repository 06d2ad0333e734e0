"""File watching on the server's side, for clients that do not watch files for it.

The server learns of a new page, a deleted file or a config edit from the client's
``workspace/didChangeWatchedFiles``. Several clients never send it (Neovim on Linux
before 0.10, older clients in general): a page created on disk would leave the links to
it broken until a restart, and ``.naislint.yml`` edits would never apply. Then the server
watches the site roots itself, and hands each batch of changed paths to the same code the
client's notifications go through.

Two backends, one interface (:class:`Watcher`):

- **inotify** through ``watchfiles`` (a small, well-kept Rust binding; the ``lsp`` extra
  installs it): events within a few hundred milliseconds and no cost while nothing
  changes;
- **polling**, when ``watchfiles`` is missing or the kernel refuses more watches: the
  roots are walked every :data:`POLL_INTERVAL` seconds and each file's size and
  modification time compared, at most :data:`MAX_POLLED` files per walk (a larger tree is
  watched in part, and the log says so).

Build output, tool and cache folders (``_site``, ``.git``, ``node_modules``,
``.naislint_cache`` ...) are never reported: the server writes its own cache while it
rebuilds an index, and a watcher that reported that write would rebuild for ever.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from typing import Callable, Iterable

log = logging.getLogger(__name__)

#: Seconds between two walks of the polling backend.
POLL_INTERVAL = 0.5
#: Most files one polling walk looks at.
MAX_POLLED = 50_000
#: Milliseconds watchfiles waits for a burst of events to end before reporting it.
DEBOUNCE_MS = 150
#: Folders whose changes are never reported (build output, tools, caches).
IGNORED_FOLDERS = frozenset({".git", "_site", "node_modules", ".naislint_cache", ".jekyll-cache", ".sass-cache",
                             ".jekyll-metadata", "__pycache__", ".hg", ".svn", ".venv", ".bundle"})

Callback = Callable[[list[str]], None]


def ignored(path: str, extra: Iterable[str] = ()) -> bool:
    """Whether a changed path is in a folder whose changes do not matter."""
    parts = path.replace(os.sep, "/").split("/")
    if any(p in IGNORED_FOLDERS for p in parts[:-1]):
        return True
    return any(path == e or path.startswith(e.rstrip(os.sep) + os.sep) for e in extra)


class Watcher:
    """Watches a set of folders on a daemon thread; ``callback`` gets changed paths.

    ``mode`` is ``auto`` (inotify through watchfiles, else polling) or ``poll``.
    ``skip`` names folders (absolute) whose changes are not reported (a cache folder).
    """

    def __init__(self, callback: Callback, mode: str = "auto", skip: Iterable[str] = ()) -> None:
        self.callback = callback
        self.mode = mode
        self.skip = tuple(os.path.realpath(s) for s in skip)
        self.roots: frozenset[str] = frozenset()
        self.backend = ""
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def watch(self, roots: Iterable[str]) -> None:
        """Watch these folders (with those watched already); restarts the thread when new."""
        with self._lock:
            wanted = frozenset(os.path.realpath(r) for r in roots if os.path.isdir(r)) | self.roots
            # A folder inside another watched one is watched already.
            wanted = frozenset(r for r in wanted if not any(r != o and r.startswith(o.rstrip(os.sep) + os.sep)
                                                             for o in wanted))
            if wanted == self.roots and self._thread is not None and self._thread.is_alive():
                return
            self._halt()
            self.roots = wanted
            if not wanted:
                return
            self._stop = threading.Event()
            target = self._run_watchfiles if self.mode == "auto" and _has_watchfiles() else self._run_polling
            self.backend = "inotify" if target == self._run_watchfiles else "polling"
            self._thread = threading.Thread(target=target, args=(sorted(wanted), self._stop),
                                            name="naislint-watch", daemon=True)
            self._thread.start()
            log.info("naislint server: watching %s (%s)", ", ".join(sorted(wanted)), self.backend)

    def stop(self) -> None:
        with self._lock:
            self._halt()
            self.roots = frozenset()

    def _halt(self) -> None:
        if self._stop is not None:
            self._stop.set()
        self._stop = None
        self._thread = None

    def _report(self, paths: Iterable[str]) -> None:
        wanted = sorted({p for p in paths if not ignored(p, self.skip)})
        if wanted:
            try:
                self.callback(wanted)
            except Exception:
                log.exception("naislint server: handling watched changes failed")

    # -- backends -------------------------------------------------------------------------

    def _run_watchfiles(self, roots: list[str], stop: threading.Event) -> None:
        import watchfiles

        def keep(_change: object, path: str) -> bool:
            return not ignored(path, self.skip)

        try:
            for batch in watchfiles.watch(*roots, watch_filter=keep, debounce=DEBOUNCE_MS, step=50, stop_event=stop,
                                          rust_timeout=1000, raise_interrupt=False, ignore_permission_denied=True):
                if stop.is_set():
                    return
                self._report(path for _change, path in batch)
        except Exception as exc:  # no inotify, or too many watches: poll instead
            if stop.is_set():
                return
            log.warning("naislint server: inotify watching failed (%s); polling instead", exc)
            self.backend = "polling"
            self._run_polling(roots, stop)

    def _run_polling(self, roots: list[str], stop: threading.Event) -> None:
        before = snapshot(roots, self.skip)
        while not stop.wait(POLL_INTERVAL):
            now = snapshot(roots, self.skip)
            changed = [p for p, s in now.items() if before.get(p) != s] + [p for p in before if p not in now]
            before = now
            if changed:
                self._report(changed)


_warned_bound = False


def snapshot(roots: list[str], skip: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """path -> (size, modification time) of the files under ``roots``, at most
    :data:`MAX_POLLED` of them; links are not followed."""
    global _warned_bound
    found: dict[str, tuple[int, int]] = {}
    stack = list(roots)
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                if entry.name not in IGNORED_FOLDERS and not ignored(entry.path + os.sep + "x", skip):
                    stack.append(entry.path)
                continue
            found[entry.path] = (st.st_size, st.st_mtime_ns)
            if len(found) >= MAX_POLLED:
                if not _warned_bound:
                    _warned_bound = True
                    log.warning("naislint server: over %d files to poll; the rest are not watched", MAX_POLLED)
                return found
    return found


def _has_watchfiles() -> bool:
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return False
    return True
