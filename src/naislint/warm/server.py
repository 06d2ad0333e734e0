"""The warm process: everything a run imports, loaded once, and a copy forked per run.

Each copy runs the command exactly as a ``naislint`` process would: it takes the client's
standard streams, folder, umask, environment and arguments, runs
:func:`naislint.__main__.run_here`, and sends the exit code back. A copy starts from the
state the warm process had after it warmed up, never from another run's, so no run sees
what an earlier one cached in memory; what runs share is only what is on disk (the
results and facts caches), as for separate processes.

The warm process exits after a quiet spell (``NAISLINT_DAEMON_IDLE`` seconds), when its
socket is removed or replaced (``naislint daemon stop``), and at the first run after
naislint or any module it imported changed on disk, so no run is served by old code. A run
whose Python was started differently (other flags, another ``PYTHONPATH``) is declined and
runs in its own process.
"""

from __future__ import annotations

import atexit
import io
import os
import signal
import socket
import struct
import sys
import time
from typing import Any

from naislint.warm import protocol
from naislint.warm.place import idle_seconds
from naislint.warm.warmup import warm_up

#: How often the accept loop wakes to reap finished copies and check its socket.
TICK_SECONDS = 1.0


def code_stamps() -> dict[str, tuple[int, int]]:
    """The stat stamp of every file whose change makes this process stale: the files of
    the modules it imported, naislint's own package (its schemas and rule documents too),
    and the folders of ``sys.path``, where installing a plugin adds a distribution."""
    paths: set[str] = set()
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if isinstance(name, str):
            paths.add(name)
    from naislint.store.stamps import package_files

    paths.update(package_files())
    paths.update(os.path.abspath(entry or ".") for entry in sys.path)
    paths.add(sys.executable)
    stamps: dict[str, tuple[int, int]] = {}
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            stamps[path] = (-1, -1)
        else:
            stamps[path] = (info.st_mtime_ns, info.st_size)
    return stamps


def is_stale(stamps: dict[str, tuple[int, int]]) -> bool:
    """Whether any file in ``stamps`` changed since they were taken."""
    for path, stamp in stamps.items():
        try:
            info = os.stat(path)
        except OSError:
            if stamp != (-1, -1):
                return True
            continue
        if (info.st_mtime_ns, info.st_size) != stamp:
            return True
    return False


def listen(path: str) -> socket.socket | None:
    """A listening socket at ``path``, or ``None`` when another warm process answers there
    (two started at once: the second leaves). A socket file nobody answers is left over
    from a process that died, and is replaced."""
    import fcntl

    lock = os.open(path + ".lock", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
        except OSError:
            pass
        else:
            return None
        finally:
            probe.close()
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_mask = os.umask(0o177)
        try:
            listener.bind(path)
        finally:
            os.umask(old_mask)
        listener.listen(16)
        return listener
    finally:
        os.close(lock)


def still_ours(path: str, inode: int) -> bool:
    """Whether ``path`` is still this process's socket (``daemon stop`` removes it)."""
    try:
        return os.lstat(path).st_ino == inode
    except OSError:
        return False


def peer_is_this_user(conn: socket.socket) -> bool:
    """Whether the connecting process runs as this user (the folder's permissions already
    keep others out; this holds even if they were loosened)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True  # no such question on this system (macOS): the folder's permissions decide
    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    except OSError:
        return False
    _pid, uid, _gid = struct.unpack("3i", creds)
    return bool(uid == os.getuid())


#: Environment variables Python reads once, at start-up: what it imports, and the locale
#: (the encoding of ``git``'s output, of files opened without one). A run whose values
#: differ from the warm process's would behave otherwise, so it runs in its own process.
IMPORT_SETTINGS = ("PYTHONPATH", "PYTHONHOME", "PYTHONNOUSERSITE", "PYTHONUSERBASE", "PYTHONSAFEPATH",
                   "PYTHONPLATLIBDIR", "PYTHONDONTWRITEBYTECODE", "PYTHONOPTIMIZE", "LC_ALL", "LC_CTYPE", "LANG")


def import_settings(environ: "dict[str, str] | os._Environ[str]") -> list[str | None]:
    return [environ.get(name) for name in IMPORT_SETTINGS]


#: The warm process's own import settings, taken before anything changes its environment.
_OWN_SETTINGS: list[str | None] = []


def same_interpreter_setup(request: dict[str, Any]) -> bool:
    """Whether the client's Python was started as this one was (its flags: UTF-8 mode,
    isolation, optimisation...; the folders it imports from; and the environment that
    decides imports and the locale)."""
    env = request.get("env")
    return (
        request.get("flags") == list(sys.flags)
        and request.get("path") == sys.path
        and isinstance(env, dict)
        and import_settings(env) == _OWN_SETTINGS
    )


def read_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]] | None:
    """The client's request and the file descriptors of its standard streams (none for a
    question about the warm process itself)."""
    conn.settimeout(10.0)
    data, fds, _flags, _addr = socket.recv_fds(conn, 65536, 3)
    if len(data) < protocol.LENGTH.size or len(fds) not in (0, 3):
        for fd in fds:
            os.close(fd)
        return None
    size = protocol.LENGTH.unpack(data[: protocol.LENGTH.size])[0]
    body = data[protocol.LENGTH.size:]
    if size > protocol.MAX_REQUEST:
        for fd in fds:
            os.close(fd)
        return None
    if len(body) < size:
        body += protocol.read_exactly(conn, size - len(body))
    request = protocol.decode(body)
    if request is None or len(body) != size or (len(fds) != 3 and not request.get("status")):
        for fd in fds:
            os.close(fd)
        return None
    conn.settimeout(None)
    return request, fds


def run_copy(request: dict[str, Any], fds: list[int], conn: socket.socket) -> int:
    """In the forked copy: become the client's process and run its command."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.umask(int(request["umask"]))
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    (in_enc, in_err), (out_enc, out_err), (err_enc, err_err) = request["streams"]
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(0, "r", closefd=False), encoding=in_enc, errors=in_err)
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(1, "w", closefd=False), encoding=out_enc, errors=out_err, line_buffering=os.isatty(1))
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(2, "w", closefd=False), encoding=err_enc, errors=err_err, line_buffering=True)
    sys.argv = [str(request["argv0"]), *map(str, request["argv"])]
    package = request.get("main_package")
    sys.modules["__main__"].__package__ = package if isinstance(package, str) else None
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from naislint.__main__ import run_here

    code = 0
    try:
        run_here()
    except SystemExit as exc:
        code = exit_code(exc)
    except KeyboardInterrupt:
        code = 130
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    return code


def exit_code(exc: SystemExit) -> int:
    """The exit status Python gives ``sys.exit(value)``, printing a message as it does."""
    value = exc.code
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    try:
        print(value, file=sys.stderr)
    except (OSError, ValueError):
        pass
    return 1


def serve(path: str) -> None:
    """Warm up, listen at ``path`` and run each request in a forked copy until idle,
    stale or told to stop."""
    _OWN_SETTINGS[:] = import_settings(os.environ)
    signal.signal(signal.SIGTERM, _leave)  # ``kill``: remove the socket on the way out
    os.chdir("/")
    warm_up()
    import gc

    # What the warm-up built stays as it is: frozen out of the collector, a copy's
    # collections neither walk it nor touch its pages (which fork shares until written).
    gc.collect()
    gc.freeze()
    stamps = code_stamps()
    listener = listen(path)
    if listener is None:
        return
    inode = os.lstat(path).st_ino
    idle = idle_seconds(os.environ)
    listener.settimeout(TICK_SECONDS)
    last = time.monotonic()
    started = time.time()
    runs = 0
    try:
        while still_ours(path, inode):
            _reap()
            if time.monotonic() - last > idle:
                break
            try:
                conn, _addr = listener.accept()
            except (socket.timeout, InterruptedError):
                continue
            with conn:
                outcome = _answer(conn, listener, stamps, {"pid": os.getpid(), "runs": runs, "started": started,
                                                           "idle_seconds": idle})
            if outcome == STALE:
                break
            if outcome == RAN:
                runs += 1
                last = time.monotonic()
    finally:
        listener.close()
        if still_ours(path, inode):
            try:
                os.unlink(path)
            except OSError:
                pass


#: What answering one connection came to (:func:`_answer`).
RAN, STALE, ANSWERED = "ran", "stale", "answered"


def _answer(conn: socket.socket, listener: socket.socket, stamps: dict[str, tuple[int, int]],
            status: dict[str, object]) -> str:
    """Answer one connection: run its command in a copy (``RAN``), tell it this process
    is stale (``STALE``: the process must leave), or answer without a run (``ANSWERED``:
    a question about this process, a declined run, or a request that cannot be read)."""
    if not peer_is_this_user(conn):
        return ANSWERED
    stale = is_stale(stamps)
    try:
        received = read_request(conn)  # read first: closing on unread data resets the client
    except OSError:
        received = None
    if stale:
        if received is not None:
            _close_all(received[1])
        _send(conn, protocol.STALE)
        return STALE
    if received is None:
        return ANSWERED
    request, fds = received
    if request.get("status"):
        _send(conn, protocol.encode(status)[protocol.LENGTH.size:])
        return ANSWERED
    if not same_interpreter_setup(request):
        _close_all(fds)
        _send(conn, protocol.DECLINED)
        return ANSWERED
    _fork_run(listener, conn, request, fds)
    return RAN


def _fork_run(listener: socket.socket, conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    pid = os.fork()
    if pid == 0:  # the copy
        code = 2
        try:
            listener.close()
            _send(conn, protocol.RUNNING + protocol.PID.pack(os.getpid()))
            code = run_copy(request, fds, conn)
        except BaseException:  # noqa: BLE001 - the copy never returns into the accept loop
            code = 2
        finally:
            _send(conn, protocol.EXIT.pack(code))
            os._exit(code)
    _close_all(fds)


def _leave(_signum: int, _frame: Any) -> None:
    raise SystemExit(0)


def _send(conn: socket.socket, data: bytes) -> None:
    try:
        conn.sendall(data)
    except OSError:
        pass


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def _reap() -> None:
    """Collect the copies that have finished (their exit codes went to the clients)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main() -> None:
    """``python -m naislint.warm.server SOCKET``. The folder it was started in is no place
    to import from (``python -P`` from Python 3.11 on)."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    serve(sys.argv[1])


if __name__ == "__main__":
    main()
