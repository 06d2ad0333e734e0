"""The thread the language server lints on, so that its event loop never waits for a lint.

Linting a big page takes seconds; on the event loop it held up every hover, code action
and keystroke behind it. Jobs run here one at a time, in the order given, and hand their
results back to the loop as futures. All of the session's linting state (configs, the
Linter and its caches) is touched from this thread only, so that it needs no locks.

A job may carry a ``stale`` check, asked just before it starts: a lint of a version of the
buffer that a newer one has replaced meanwhile is not run at all. A running job cannot be
stopped (Python threads cannot be interrupted safely); the server discards its result.

The thread is a daemon: a server told to exit does not wait for a lint nobody will read.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from typing import Any, Callable

log = logging.getLogger(__name__)

#: The result of a job skipped because its ``stale`` check said so.
SKIPPED = object()


class LintWorker:
    """One daemon thread running jobs in order; results come back as asyncio futures."""

    def __init__(self, name: str = "naislint-lint") -> None:
        self.name = name
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def submit(self, func: Callable[..., Any], *args: Any, stale: Callable[[], bool] | None = None) -> asyncio.Future:
        """Run ``func(*args)`` on the thread; a future of the running loop gets its result."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._start()
        self.jobs.put((loop, future, func, args, stale))
        return future

    def _start(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self.thread.start()

    def _run(self) -> None:
        while True:
            loop, future, func, args, stale = self.jobs.get()
            try:
                if stale is not None and stale():
                    result, error = SKIPPED, None
                else:
                    result, error = func(*args), None
            except BaseException as exc:  # handed to the awaiting coroutine
                result, error = None, exc
            _settle_soon(loop, future, result, error)
            # Do not keep a finished job's text and results alive until the next job.
            del loop, future, func, args, stale, result, error


def _settle_soon(loop: asyncio.AbstractEventLoop, future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    try:
        loop.call_soon_threadsafe(_settle, future, result, error)
    except RuntimeError:  # the loop is closed: the server is exiting
        pass


def _settle(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    if future.done():  # cancelled by a coroutine that stopped waiting
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
