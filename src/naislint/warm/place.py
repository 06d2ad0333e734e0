"""Where the warm process listens, and whether a run uses one or starts one.

This module is imported by every ``naislint`` run before anything else, so it imports only
what Python has already loaded at start-up.
"""

from __future__ import annotations

import os
import stat
import sys

#: ``NAISLINT_DAEMON``: ``off`` never uses a warm process, ``on`` starts one for any
#: ``naislint check``, ``auto`` (the default) uses one that is running and starts one only
#: for a pre-commit hook on a developer's machine.
ENV = "NAISLINT_DAEMON"
OFF_WORDS = frozenset({"0", "off", "no", "false"})
ON_WORDS = frozenset({"1", "on", "yes", "true"})
#: Seconds a warm process waits for a run before it exits (``NAISLINT_DAEMON_IDLE``).
IDLE_ENV = "NAISLINT_DAEMON_IDLE"
DEFAULT_IDLE_SECONDS = 900.0
#: The version of :mod:`naislint.warm.protocol`, part of the socket's name.
PROTOCOL = 2


def policy(environ: "os._Environ[str] | dict[str, str]") -> str:
    """``off``, ``on`` or ``auto`` from ``NAISLINT_DAEMON`` (an unknown word reads as ``auto``)."""
    word = environ.get(ENV, "").strip().lower()
    if word in OFF_WORDS:
        return "off"
    if word in ON_WORDS:
        return "on"
    return "auto"


def should_start(environ: "os._Environ[str] | dict[str, str]") -> bool:
    """Whether a run with no warm process to use starts one for the runs after it.

    ``auto`` starts one under pre-commit (which sets ``PRE_COMMIT=1``), where the same short
    run repeats at every commit, and never in CI (``CI`` set), where nothing runs twice and a
    process left behind would only hold the job's resources.
    """
    mode = policy(environ)
    if mode == "on":
        return True
    if mode == "off":
        return False
    ci = environ.get("CI", "").strip().lower()
    return environ.get("PRE_COMMIT") == "1" and ci in ("", "0", "false", "no")


def idle_seconds(environ: "os._Environ[str] | dict[str, str]") -> float:
    """How long a warm process waits for a run before it exits."""
    try:
        seconds = float(environ.get(IDLE_ENV, ""))
    except ValueError:
        return DEFAULT_IDLE_SECONDS
    return seconds if seconds > 0 else DEFAULT_IDLE_SECONDS


def private_folder(environ: "os._Environ[str] | dict[str, str]", create: bool) -> str | None:
    """The folder for the socket, readable by this user alone, or ``None`` when there is
    none that is safe: ``$XDG_RUNTIME_DIR/naislint`` (a per-user folder the system makes
    private), else ``naislint-<uid>`` in the temporary folder. A folder that is a symbolic
    link, belongs to someone else or is open to others is never used: another user could
    otherwise put a socket there and run whatever they like as this one."""
    uid = os.getuid()
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and _owned_private(runtime, uid):
        folder = os.path.join(runtime, "naislint")
    else:
        base = environ.get("TMPDIR", "") or "/tmp"
        folder = os.path.join(base, f"naislint-{uid}")
    if create:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return None
    return folder if _owned_private(folder, uid) else None


def _owned_private(folder: str, uid: int) -> bool:
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077


def socket_name() -> str:
    """The socket's file name: one warm process per Python and naislint installation (and
    version of what client and warm process say to each other), so a run never reaches a
    process that imported another copy of naislint."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    key = f"{PROTOCOL}\0{sys.prefix}\0{os.path.realpath(sys.executable)}\0{here}\0{sys.version}"
    digest = 0xCBF29CE484222325
    for byte in key.encode("utf-8", "surrogateescape"):
        digest = ((digest ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF  # FNV-1a, 64 bits
    return f"{digest:016x}.sock"


def socket_path(environ: "os._Environ[str] | dict[str, str]", create: bool = False) -> str | None:
    """The socket's path, or ``None`` when no private folder can hold it."""
    folder = private_folder(environ, create)
    if folder is None:
        return None
    path = os.path.join(folder, socket_name())
    return path if len(path.encode()) < 104 else None  # sun_path holds 104 to 108 bytes
