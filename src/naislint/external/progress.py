"""A progress bar on stderr while external links are checked, only where someone watches.

Shown when stderr is a terminal, the run is not ``--quiet`` and the ``CI`` environment
variable is not set to a true value (CI logs are not terminals, but some CI runners
fake one). click, already a dependency, draws it.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

_FALSE_WORDS = {"", "0", "false", "no", "off"}


def wanted(quiet: bool = False, stream=None) -> bool:
    """Whether a progress bar should be drawn for this run."""
    if quiet:
        return False
    if os.environ.get("CI", "").strip().lower() not in _FALSE_WORDS:
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


@contextmanager
def progress_bar(total: int, enabled: bool) -> Iterator[Callable[[object], None]]:
    """Yield a callback to call once per checked URL; a no-op when not ``enabled``."""
    if not enabled or total <= 0:
        yield lambda _result: None
        return
    import click

    with click.progressbar(length=total, label="Checking external links", file=sys.stderr,
                           show_pos=True, show_eta=False) as bar:
        yield lambda _result: bar.update(1)
