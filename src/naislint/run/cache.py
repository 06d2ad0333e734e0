"""The results cache: a run with nothing changed re-lints nothing.

One JSON file per site root under ``.naislint_cache/`` (like ruff's ``.ruff_cache``).
An entry is valid while the file's content digest, the configuration, naislint's version
and the site index's fingerprint are what they were. The stat stamp (modification and
change times, size, inode) lets a warm run skip reading a file only when it can prove the
content unchanged, by git's racy-clean rule: the stamp is the same and the file last
changed well before the entry was taken (see :func:`stat_proves_unchanged`). Otherwise
the file is read and its digest compared, so a same-size edit whose modification time
was put back (``cp -p``, ``rsync -a``, ``touch -r``) is never served stale.

A cache is a file anyone could have written (committed to the repository, planted by a
pull request), so everything read from it is checked: a corrupt, foreign, malformed or
unwritable cache is ignored and rebuilt, never an error; a cache folder git tracks, or
one that is a symbolic link, is not used at all. The cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat as stat_mod
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable

from naislint import __version__
from naislint.diagnostics import Diagnostic, Edit, Fix, Severity, Span

CACHE_DIR_NAME = ".naislint_cache"
FORMAT = 2
#: The coarsest timestamp step of the file systems a site may live on (FAT keeps
#: modification times to 2 s, ext3 and HFS+ to 1 s; finer ones are stamped from a clock
#: that ticks every few milliseconds). A file changed less than this before its cache
#: entry was taken may change again without its stamp moving, so it is re-read.
TIMESTAMP_GRANULARITY_NS = 2_000_000_000
#: Bound on how long git may take to say whether it tracks a cache folder.
GIT_TIMEOUT = 10.0


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


# -- stat stamps ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stamp:
    """What identifies one file's content cheaply, and when that was looked at.

    The change time (``ctime``) is what makes the stamp hard to fake: tools that put a
    modification time back cannot put it back, and neither can a rename over the file
    (a new inode). ``taken_ns`` is the wall clock no later than the stat call, and so
    no later than any read of the content that follows it.
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
    return type(value) is list and len(value) == 4 and all(type(v) is int for v in value)


# -- the results cache ---------------------------------------------------------------------


class ResultCache:
    """Cached diagnostics of one site root (or folder) for one configuration."""

    def __init__(self, folder: str, config_fingerprint: str) -> None:
        self.folder = folder
        self.key = f"{code_fingerprint()}:{FORMAT}:{config_fingerprint}"
        self.path = os.path.join(folder, CACHE_DIR_NAME, f"results-{config_fingerprint}.json")
        self.entries: dict[str, Any] = {}
        self.dirty = False
        self._load()

    def _load(self) -> None:
        data = read_cache_json(self.path)
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            self.entries = data["files"]

    def lookup(
        self, rel: str, current: Stamp, site_fingerprint: str, read: Callable[[], bytes], display: str
    ) -> list[Diagnostic] | None:
        """Cached diagnostics for ``rel`` (reported at ``display``), or ``None`` on a miss.

        ``read`` returns the file's bytes; it is called unless the stat stamp proves the
        content unchanged. A malformed entry is a miss, dropped so that it is rebuilt.
        """
        entry = self.entries.get(rel)
        if not isinstance(entry, dict) or entry.get("site") != site_fingerprint:
            return None
        if not isinstance(entry.get("hash"), str):
            return None
        diagnostics = restore(entry.get("diagnostics"), display)
        if diagnostics is None:
            del self.entries[rel]
            self.dirty = True
            return None
        if stat_proves_unchanged(entry.get("stat"), entry.get("at"), current):
            return diagnostics
        try:
            raw = read()
        except OSError:
            return None
        if entry["hash"] != content_hash(raw):
            return None
        entry["stat"], entry["at"] = current.key(), current.taken_ns
        self.dirty = True
        return diagnostics

    def store(
        self, rel: str, current: Stamp, raw_hash: str, site_fingerprint: str, diagnostics: list[Diagnostic]
    ) -> None:
        items = []
        for d in diagnostics:
            item = d.to_json()
            del item["path"]
            items.append(item)
        self.entries[rel] = {
            "stat": current.key(),
            "at": current.taken_ns,
            "hash": raw_hash,
            "site": site_fingerprint,
            "diagnostics": items,
        }
        self.dirty = True

    def save(self) -> None:
        """Write the cache atomically; failures (read-only site, full disk) are ignored."""
        if self.dirty:
            try:
                payload = json.dumps({"key": self.key, "files": self.entries}, separators=(",", ":"))
            except (ValueError, TypeError, RecursionError):
                return
            write_cache_file(self.path, payload)


def restore(items: Any, display: str) -> list[Diagnostic] | None:
    """The diagnostics a cache entry holds, or ``None`` when any of them is not exactly
    what :meth:`ResultCache.store` writes (a reporter must never meet a line that is a
    string, a severity that does not exist or a rule that is not registered)."""
    if not isinstance(items, list):
        return None
    out = []
    for item in items:
        diagnostic = _diagnostic(item, display)
        if diagnostic is None:
            return None
        out.append(diagnostic)
    return out


_SEVERITIES = {s.value: s for s in Severity}


def _span(item: dict) -> Span | None:
    """The span of a stored diagnostic or edit: four integers from 1, end not before start."""
    line, column = item.get("line"), item.get("column")
    end_line, end_column = item.get("end_line"), item.get("end_column")
    if not (type(line) is int and type(column) is int and type(end_line) is int and type(end_column) is int):
        return None
    if line < 1 or column < 1 or (end_line, end_column) < (line, column):
        return None
    return Span(line, column, end_line, end_column)


def _diagnostic(item: Any, display: str) -> Diagnostic | None:
    from naislint.registry import all_rules

    if type(item) is not dict:
        return None
    span = _span(item)
    code, rule, message, url = item.get("code"), item.get("rule"), item.get("message"), item.get("url", "")
    if span is None or not (type(code) is str and type(rule) is str and type(message) is str and type(url) is str):
        return None
    registered = all_rules().get(rule)
    severity = _SEVERITIES.get(item.get("severity")) if type(item.get("severity")) is str else None
    if registered is None or registered.code != code or severity is None:
        return None
    fix = None
    raw_fix = item.get("fix")
    if raw_fix is not None:
        if not isinstance(raw_fix, dict) or not isinstance(raw_fix.get("safe"), bool):
            return None
        raw_edits = raw_fix.get("edits")
        if not isinstance(raw_edits, list) or not raw_edits:
            return None
        edits = []
        for raw_edit in raw_edits:
            edit_span = _span(raw_edit) if isinstance(raw_edit, dict) else None
            if edit_span is None or not isinstance(raw_edit.get("text"), str):
                return None
            edits.append(Edit(edit_span, raw_edit["text"]))
        fix = Fix(tuple(edits), raw_fix["safe"])
    return Diagnostic(display, span, code, rule, severity, message, fix, url)


# -- the cache folder ----------------------------------------------------------------------

#: Warnings already given in this process: each once, until what it is about changes.
_WARNED: set[tuple[str, str, Any]] = set()
#: Cache folder -> (the state of git's index then, why the folder is not to be used or
#: ``None``): the caches of a run ask about the same folder, and git is asked again only
#: once its index changed (a commit, an add, a checkout).
_TRUST: dict[str, tuple[Any, str | None]] = {}


def _warn_once(folder: str, why: str) -> None:
    key = (folder, why, _TRUST.get(folder, (None, None))[0])
    if key in _WARNED:
        return
    _WARNED.add(key)
    try:
        sys.stderr.write(f"naislint: warning: {why}; running without the cache\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def folder_refusal(folder: str) -> str | None:
    """Why the cache folder ``folder`` must not be read or written, or ``None``.

    A symbolic link would send cache files (and a ``.gitignore``) wherever it points; a
    folder or file git tracks, or that the checked-out commit holds, came with the
    repository rather than from an earlier run, and whoever committed it chose what it
    says (a dead link cached as 200). Git is asked only when the folder exists inside a
    git work tree; when git cannot answer there, the folder is not trusted either.
    """
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot inspect the cache folder {folder} ({exc.strerror})"
    if stat_mod.S_ISLNK(info.st_mode):
        return f"the cache folder {folder} is a symbolic link"
    if not stat_mod.S_ISDIR(info.st_mode):
        return None  # writing fails and reading finds nothing: no cache, no warning needed
    parent = os.path.dirname(os.path.abspath(folder))
    dot_git = _find_dot_git(parent)
    if dot_git is None:
        return None
    state = _index_state(dot_git)
    known = _TRUST.get(folder)
    if known is not None and state is not None and known[0] == state:
        return known[1]
    why = _git_refusal(folder)
    _TRUST[folder] = (state, why)
    return why


def _find_dot_git(path: str) -> str | None:
    """The ``.git`` folder (or file, in a linked work tree) of the work tree holding
    ``path``; ``None`` outside any."""
    current = path
    while True:
        candidate = os.path.join(current, ".git")
        if os.path.lexists(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _index_state(dot_git: str) -> Any:
    """What changes whenever git's index does (git replaces the file to change it), or
    ``None`` when the index cannot be found."""
    index = os.environ.get("GIT_INDEX_FILE")
    if not index:
        git_dir = dot_git
        if os.path.isfile(dot_git):
            try:
                with open(dot_git, encoding="utf-8") as handle:
                    line = handle.readline().strip()
            except (OSError, UnicodeDecodeError):
                return None
            if not line.startswith("gitdir:"):
                return None
            git_dir = os.path.join(os.path.dirname(dot_git), line[len("gitdir:"):].strip())
        index = os.path.join(git_dir, "index")
    try:
        st = os.stat(os.path.abspath(index))
    except OSError:
        return None
    return (os.path.abspath(index), st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def _git_env() -> dict[str, str]:
    """The environment for git, with git's own path variables made absolute (a hook may
    set them relative to where it runs; git runs here from the cache's parent folder)."""
    env = dict(os.environ)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR"):
        value = env.get(name)
        if value and not os.path.isabs(value):
            env[name] = os.path.abspath(value)
    return env


def _git_refusal(folder: str) -> str | None:
    parent, name = os.path.split(os.path.abspath(folder))
    base = ["git", "-c", "core.fsmonitor=false", "ls-files", "-z"]
    outcome = None
    # With ``--with-tree=HEAD``, files the checked-out commit holds count even when they
    # were removed from the index; a repository without a commit yet has no HEAD.
    for extra in (["--with-tree=HEAD"], []):
        try:
            outcome = subprocess.run(
                [*base, *extra, "--", f":(literal){name}"],
                cwd=parent, capture_output=True, stdin=subprocess.DEVNULL,
                timeout=GIT_TIMEOUT, check=False, env=_git_env(),
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return f"cannot ask git whether it tracks the cache folder {folder} ({exc})"
        if outcome.returncode == 0:
            break
    assert outcome is not None
    if outcome.returncode != 0:
        message = outcome.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {outcome.returncode}"
        if "not a git repository" in detail:
            return None
        return f"cannot ask git whether it tracks the cache folder {folder} ({detail})"
    if outcome.stdout.strip(b"\0"):
        first = outcome.stdout.split(b"\0", 1)[0].decode("utf-8", "replace")
        return f"git tracks the cache folder {folder} ({first}); a committed cache is not trusted"
    return None


def _usable(folder: str) -> bool:
    why = folder_refusal(folder)
    if why is not None:
        _warn_once(folder, why)
        return False
    return True


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
#: Whether files can be opened relative to a folder's descriptor (Linux, macOS, BSDs).
_AT_FUNCTIONS = os.open in os.supports_dir_fd and os.replace in os.supports_dir_fd and bool(_NOFOLLOW)


def _open_folder(folder: str) -> int:
    """A descriptor of the cache folder itself, never of what a link there points to."""
    return os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)


def read_cache_json(path: str) -> Any:
    """The JSON in one cache file, or ``None`` when the folder may not be used, the file
    is missing, not a regular file (a link, a pipe) or not JSON."""
    folder, name = os.path.split(path)
    if not _usable(folder):
        return None
    try:
        if _AT_FUNCTIONS:
            dir_fd = _open_folder(folder)
            try:
                fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=dir_fd)
            finally:
                os.close(dir_fd)
        else:
            if os.path.islink(path):
                return None
            fd = os.open(path, os.O_RDONLY | _CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat_mod.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            raw = handle.read()
        return json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def write_cache_file(path: str, payload: str) -> bool:
    """Write one file of a ``.naislint_cache`` folder atomically (temporary file and
    rename), creating the folder with a ``.gitignore`` that keeps it out of git.

    Every cache of naislint writes through here. Nothing is written through a symbolic
    link: the folder is opened without following one, and each file is created anew
    (exclusively, next to its final name) and renamed over it, so a link planted in the
    folder is replaced, never written through. A failure (read-only site, full disk)
    leaves no temporary file behind and is not an error: a cache only ever saves time.
    """
    folder, name = os.path.split(path)
    if not _usable(folder):
        return False
    try:
        os.makedirs(os.path.dirname(folder) or ".", exist_ok=True)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        if not _usable(folder):  # it appeared as a link between the two looks
            return False
        if not _AT_FUNCTIONS:
            return _write_by_path(folder, name, payload)
        dir_fd = _open_folder(folder)
        try:
            try:
                existing = os.stat(".gitignore", dir_fd=dir_fd, follow_symlinks=False)
                keep = stat_mod.S_ISREG(existing.st_mode)
            except FileNotFoundError:
                keep = False
            if not keep:
                _replace_at(dir_fd, ".gitignore", "# Created by naislint\n*\n")
            _replace_at(dir_fd, name, payload)
        finally:
            os.close(dir_fd)
        return True
    except OSError:
        return False


def _replace_at(dir_fd: int, name: str, text: str) -> None:
    """Create ``name`` in the folder ``dir_fd`` with ``text``: a new temporary file
    (``O_EXCL``: never one that exists, never through a link) renamed over it."""
    tmp = f".{name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    fd = os.open(tmp, flags, 0o666, dir_fd=dir_fd)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=dir_fd)
        except OSError:
            pass
        raise


def _write_by_path(folder: str, name: str, payload: str) -> bool:
    """:func:`write_cache_file` where files cannot be opened relative to a folder."""
    for file_name, text in ((".gitignore", "# Created by naislint\n*\n"), (name, payload)):
        target = os.path.join(folder, file_name)
        if file_name == ".gitignore" and os.path.isfile(target) and not os.path.islink(target):
            continue
        tmp = os.path.join(folder, f".{file_name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o666)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    return True
