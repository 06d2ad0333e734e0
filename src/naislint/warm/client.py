"""The ``naislint`` process's side of a warm run: hand the command to the warm process.

Called first by every ``naislint`` run, so it imports only modules built into the
interpreter: ``_socket`` rather than :mod:`socket` (whose enums cost 10 ms to build) and
:mod:`marshal` rather than :mod:`json`. Any failure to reach a warm process means the run
happens in this process as if none existed.
"""

from __future__ import annotations

import os
import sys

from naislint.warm.place import ENV, policy, should_start, socket_path

TYPE_CHECKING = False  # ``typing`` is no built-in module; type checkers read the block anyway
if TYPE_CHECKING:
    import _socket

#: Commands a warm process runs: the short, repeated ones. The language server and the
#: warm process's own commands always run in the process the user started.
WARM_COMMANDS = frozenset({"check"})


def run_warm(argv: list[str]) -> int | None:
    """The exit code of ``naislint argv`` run by a warm process, or ``None`` when this
    process must run it (no warm process, a stale one, or a command it does not run)."""
    if not argv or argv[0] not in WARM_COMMANDS or policy(os.environ) == "off" or not hasattr(os, "fork"):
        return None  # and on Windows, which has neither fork nor Unix sockets for Python
    path = socket_path(os.environ)
    if path is None:  # no private folder yet: none is running
        _start_if_wanted()
        return None
    import _socket

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        _start_if_wanted()
        return None
    try:
        return _ask(sock, argv)
    finally:
        sock.close()


def _ask(sock: "_socket.socket", argv: list[str]) -> int | None:
    import _socket
    import struct

    from naislint.warm import protocol

    streams = (sys.stdin, sys.stdout, sys.stderr)
    try:
        fds = [stream.fileno() for stream in streams]
        for fd in fds:
            os.fstat(fd)
        cwd = os.getcwd()
    except (AttributeError, OSError, ValueError):
        return None  # a closed stream or a removed folder: the run here says what is wrong
    for stream in streams[1:]:
        stream.flush()
    mask = os.umask(0o022)
    os.umask(mask)
    request = {
        "argv0": sys.argv[0], "argv": list(argv), "cwd": cwd, "env": dict(os.environ), "umask": mask,
        "streams": [[getattr(s, "encoding", None) or "utf-8", getattr(s, "errors", None) or "strict"] for s in streams],
        "flags": list(sys.flags),
        # Where modules come from, past the folder of the script or of ``-m`` (sys.path[0])
        "path": sys.path[1:],
        # click names the program from ``__main__`` (``python -m naislint`` or ``naislint``)
        "main_package": getattr(sys.modules.get("__main__"), "__package__", None),
    }
    rights = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, struct.pack(f"{len(fds)}i", *fds))]
    try:
        sock.sendmsg([protocol.encode(request)], rights)
    except OSError:
        pass  # a stale warm process answers before it reads, and may have closed already
    try:
        answer = protocol.read_exactly(sock, 1)
        if answer != protocol.RUNNING:
            if answer == protocol.STALE:
                _start_if_wanted()
            return None
        pid = protocol.PID.unpack(protocol.read_exactly(sock, protocol.PID.size))[0]
    except Exception:  # noqa: BLE001 - the warm process failed before the run began: run it here
        return None
    return _wait(sock, pid)


def _wait(sock: "_socket.socket", pid: int) -> int:
    """The copy's exit code; Ctrl-C here is passed on to it, a second one kills it."""
    import signal

    from naislint.warm import protocol

    interrupted = False
    while True:
        try:
            data = protocol.read_exactly(sock, protocol.EXIT.size)
            break
        except KeyboardInterrupt:
            try:
                os.kill(pid, signal.SIGKILL if interrupted else signal.SIGINT)
            except OSError:
                pass
            interrupted = True
        except OSError:
            data = b""
            break
    if len(data) != protocol.EXIT.size:
        sys.stderr.write("naislint: the warm process stopped before the run ended; "
                         f"run again with {ENV}=off to run without it\n")
        return 2
    code: int = protocol.EXIT.unpack(data)[0]
    return code


def _start_if_wanted() -> None:
    """Start a warm process for the runs after this one when the policy asks for one."""
    if should_start(os.environ):
        start(os.environ)


def start(environ: "os._Environ[str] | dict[str, str]") -> None:
    """Start a warm process in the background for the runs after this one (it needs a
    second or so to import everything, which this run does not wait for)."""
    path = socket_path(environ, create=True)
    if path is None:
        return
    import subprocess

    try:
        subprocess.Popen(
            [sys.executable, "-m", "naislint.warm.server", path],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd="/", start_new_session=True, close_fds=True, env=dict(environ),
        )
    except OSError:
        pass


def status(environ: "os._Environ[str] | dict[str, str]") -> "dict[str, object] | None":
    """What the warm process for this installation says of itself (its pid, the runs it
    served, when it started), or ``None`` when none answers."""
    import socket

    from naislint.warm import protocol

    path = socket_path(environ)
    if path is None:
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5.0)
    try:
        sock.connect(path)
        sock.sendall(protocol.encode({"status": True}))
        sock.shutdown(socket.SHUT_WR)
        return protocol.decode(protocol.read_exactly(sock, protocol.MAX_REQUEST))
    except OSError:
        return None
    finally:
        sock.close()
