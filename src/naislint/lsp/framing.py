"""Cutting the client's byte stream into JSON-RPC message bodies, whatever it sends.

pygls's own reader trusts the headers it reads: ``Content-Length: 99999999999999999999``
raises an OverflowError out of its loop and the server dies, and a message without a
``Content-Length`` makes it take the body for headers and glue every later message to the
one before, so the server never answers again. :class:`Framer` checks each header block,
skips what is malformed (saying why), and finds the next message by its
``Content-Length`` header, so one bad message costs that message and no other.

Plain Python, no I/O: the server feeds it what it reads from stdin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: A header block longer than this is not a header block (real ones are under 100 bytes).
MAX_HEADER_BLOCK = 8 * 1024
#: The largest body read; a bigger Content-Length is taken for a malformed header. It is
#: far above any page's size limit: a page over ``max-file-size`` must still be read, to be
#: reported and to keep the stream in step.
MAX_BODY = 512 * 1024 * 1024
HEADER_END = b"\r\n\r\n"
#: What starts a real message's header block (matched without regard to case).
HEADER_START_RE = re.compile(rb"content-(?:length|type)\s*:", re.IGNORECASE)
HEADER_LINE_RE = re.compile(rb"[A-Za-z0-9][A-Za-z0-9_-]*[ \t]*:[^\r\n]*")
LENGTH_RE = re.compile(rb"[ \t]*([0-9]{1,15})[ \t]*")
LENGTH_MARKER_RE = re.compile(rb"content-length\s*:", re.IGNORECASE)
#: A whole header block with a Content-Length. Raw line breaks cannot be inside a JSON
#: string, so one of these inside a body is the next message's header.
HEADER_BLOCK_RE = re.compile(rb"content-length[ \t]*:[ \t]*[0-9]+\r\n(?:[^\r\n]*\r\n)*?\r\n", re.IGNORECASE)


@dataclass(frozen=True)
class Skipped:
    """Bytes dropped from the stream, and why (for the server's log)."""

    reason: str
    size: int


class Framer:
    """Message bodies out of a byte stream fed in chunks of any size."""

    def __init__(self, max_body: int = MAX_BODY, max_header: int = MAX_HEADER_BLOCK) -> None:
        self.max_body = max_body
        self.max_header = max_header
        self.buffer = bytearray()
        #: The length of the body being read, once its header block was accepted.
        self.body_length: int | None = None
        #: Bytes to skip before the next header (a body cut short).
        self.cut = 0

    def feed(self, data: bytes) -> Iterator[bytes | Skipped]:
        """Take more bytes; yield the bodies completed and the bytes skipped, in order.

        Lazily: a body is cut from the stream only when the one before was taken, so that
        :meth:`reject` of a body puts its bytes back right where they belong.
        """
        self.buffer += data
        return self._drain()

    def _drain(self) -> Iterator[bytes | Skipped]:
        while (item := self._next()) is not None:
            yield item

    def reject(self, body: bytes) -> None:
        """A body (the last one yielded) was not a message: read on from a header in it.

        A Content-Length that is too large swallows the start of the next message; its
        header is in the rejected body, and that message can still be read.
        """
        match = LENGTH_MARKER_RE.search(body, 1)
        if match is not None:
            self.buffer[:0] = body[match.start():]
            self.body_length = None

    def header_in_body(self) -> bool:
        """Whether the body being read, still short, holds a whole header block."""
        return self.body_length is not None and HEADER_BLOCK_RE.search(self.buffer) is not None

    def cut_short(self) -> bytes:
        """Give up the body being read at the header block in it (see :meth:`header_in_body`).

        For a Content-Length longer than its body, followed by a message whose sender waits
        for the reply: nothing more comes, and that message would never be read. The bytes
        before the header are skipped (:meth:`feed` reports them); returns ``b""`` to feed.
        """
        match = HEADER_BLOCK_RE.search(self.buffer) if self.body_length is not None else None
        if match is not None:
            self.body_length = None
            self.cut = match.start()
        return b""

    # -- one step -----------------------------------------------------------------------

    def _next(self) -> bytes | Skipped | None:
        buf = self.buffer
        if self.cut:
            size, self.cut = self.cut, 0
            del buf[:size]
            return Skipped("a message shorter than its Content-Length", size)
        if self.body_length is not None:
            if len(buf) < self.body_length:
                return None
            body = bytes(buf[: self.body_length])
            del buf[: self.body_length]
            self.body_length = None
            return body
        end = buf.find(HEADER_END)
        if end < 0 or end > self.max_header:
            return self._drop_garbage(end)
        block = bytes(buf[:end])
        start = _header_start(block)
        if start < 0:
            del buf[: end + len(HEADER_END)]
            return Skipped("bytes that are not a message header", end + len(HEADER_END))
        if start > 0:
            del buf[:start]
            return Skipped("bytes before a message header", start)
        skipped = self._accept(block, end + len(HEADER_END))
        return skipped if skipped is not None else self._next()

    def _accept(self, block: bytes, size: int) -> Skipped | None:
        """Start reading the body a valid header block announces, or skip the block."""
        del self.buffer[:size]
        length = None
        for line in block.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                match = LENGTH_RE.fullmatch(value)
                if match is None:
                    return Skipped(f"a Content-Length that is not a number: {value[:40]!r}", size)
                length = int(match.group(1))
        if length is None:
            return Skipped("a header block without Content-Length", size)
        if length > self.max_body:
            return Skipped(f"a Content-Length of {length:,} bytes, over the limit of {self.max_body:,}", size)
        self.body_length = length
        return None

    def _drop_garbage(self, end: int) -> Skipped | None:
        """No header block ends within reach: drop bytes up to what may start the next one.

        ``end`` is where the nearest header terminator is (-1: none yet). Without one,
        the buffer is kept while it may still become a header block; past that, only a
        tail that may hold a header's start. With one too far away, the bytes before the
        last header start within reach of it are dropped, or all of them up to it.
        """
        buf = self.buffer
        if end < 0:
            if len(buf) <= self.max_header:
                return None  # wait for more bytes
            reach = len(buf) - self.max_header
            starts = [m.start() for m in HEADER_START_RE.finditer(buf, max(1, reach))]
            # Else keep a tail that may hold the start of a header cut in two by a read.
            cut = starts[0] if starts else len(buf) - len(b"content-length:")
        else:
            reach = end - self.max_header
            starts = [m.start() for m in HEADER_START_RE.finditer(buf, max(1, reach), end)]
            cut = starts[0] if starts else end + len(HEADER_END)
        del buf[:cut]
        return Skipped("bytes that are not a message header", cut)


def _header_start(block: bytes) -> int:
    """Where the real header block begins in ``block`` (0 when it all is one), or -1.

    A block is real when each of its lines is a ``Name: value`` header; bytes before a
    ``Content-Length`` / ``Content-Type`` header that starts a real block are left over
    from a message whose header was bad.
    """
    if _all_headers(block):
        return 0
    for match in HEADER_START_RE.finditer(block, 1):
        if _all_headers(block[match.start():]):
            return match.start()
    return -1


def _all_headers(block: bytes) -> bool:
    return all(HEADER_LINE_RE.fullmatch(line) for line in block.split(b"\r\n"))
