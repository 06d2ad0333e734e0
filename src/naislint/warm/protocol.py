"""What the client and the warm process say to each other over the socket.

The client sends one request: a 4-byte length and a :mod:`marshal`-ed dict (the arguments,
folder, environment, umask and the encodings of its standard streams; marshal because it
is built into the interpreter, where ``json`` costs a hook 9 ms to import, and both sides
are the same Python, which the socket's name ensures), with its standard input,
output and error attached as file descriptors (``SCM_RIGHTS``), so the run writes to the
user's terminal or pipe itself. The warm process answers ``R`` and the pid of the copy that
runs the command, then that copy sends the 4-byte exit code; or it answers ``S`` when it is
stale (naislint or a package it imported changed since it started) and exits, or ``N``
when the run needs a process started differently.
"""

from __future__ import annotations

import marshal
import struct

TYPE_CHECKING = False  # ``typing`` is no built-in module; type checkers read the block anyway
if TYPE_CHECKING:
    import _socket
    import socket

RUNNING = b"R"
STALE = b"S"
#: The request needs a process started differently (Python's UTF-8 mode): run it here.
DECLINED = b"N"
LENGTH = struct.Struct("!I")
PID = struct.Struct("!i")
EXIT = struct.Struct("!i")
#: Largest request accepted (the environment of a CI job can be tens of kilobytes).
MAX_REQUEST = 4 * 1024 * 1024


def read_exactly(sock: "socket.socket | _socket.socket", size: int) -> bytes:
    """``size`` bytes from the socket, or fewer when the other side closed it."""
    chunks: list[bytes] = []
    left = size
    while left:
        chunk = sock.recv(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def encode(request: "dict[str, object]") -> bytes:
    """A request (or an answer about the warm process) as the bytes sent: length, body."""
    body = marshal.dumps(request)
    return LENGTH.pack(len(body)) + body


def decode(body: bytes) -> "dict[str, object] | None":
    """The dict in ``body``, or ``None`` for anything else."""
    try:
        value = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    return value if isinstance(value, dict) else None
