"""The cache folder: where naislint keeps what it learned, and when it must not.

A cache is a file anyone could have written (committed to the repository, planted by a
pull request), so a folder git tracks, or one that is a symbolic link, is never used,
and every file is read and written without following links out of it.
"""

from __future__ import annotations

import json
import os
import stat as stat_mod
import sys
from typing import Any

CACHE_DIR_NAME = ".naislint_cache"
#: Bound on how long git may take to say whether it tracks a cache folder.
GIT_TIMEOUT = 10.0


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
    import subprocess  # only when a cache folder is made: not in every run

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
    raw = read_cache_bytes(path)
    if raw is None:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


def read_keyed_files(path: str, key: str) -> dict | None:
    """The ``files`` table of a cache file written as ``{"key": ..., "files": {...}}``, when
    its key is ``key`` (the code and settings that made it); else ``None``, and the
    caller starts afresh."""
    data = read_cache_json(path)
    if isinstance(data, dict) and data.get("key") == key and isinstance(data.get("files"), dict):
        return data
    return None


def read_cache_bytes(path: str) -> bytes | None:
    """The bytes of one cache file, or ``None`` when the folder may not be used, the file
    is missing or not a regular file (a link, a pipe)."""
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
            return handle.read()
    except OSError:
        return None


def _token() -> str:
    """Twelve random hex digits for a temporary file's name: ``secrets.token_hex(6)``
    without importing :mod:`secrets` (and :mod:`random`), which a run does not need else."""
    return os.urandom(6).hex()


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
    tmp = f".{name}.{_token()}.tmp"
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
        tmp = os.path.join(folder, f".{file_name}.{_token()}.tmp")
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
