"""Child processes that end with the process that started them.

A worker blocked on a pipe never sees its parent die when it holds a copy of the pipe's
other end, so a SIGKILLed run would leave its workers running forever. On Linux the kernel
can be asked to kill a child when its parent dies (``PR_SET_PDEATHSIG``); everywhere, a
child that finds its parent already gone leaves at once.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

#: ``PR_SET_PDEATHSIG`` (linux/prctl.h): the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1
_PRCTL: Any = None


def prctl() -> Any:
    """libc's ``prctl`` on Linux (``False`` where there is none), looked up once."""
    global _PRCTL
    if _PRCTL is None:
        _PRCTL = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
            except (OSError, AttributeError):
                pass
    return _PRCTL


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this process when the parent dies (Linux), and leave at once
    if the parent died before that was asked for."""
    call = prctl()
    if call:
        call(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)
