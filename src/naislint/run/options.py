"""How a run is asked to work: the command line's choices, and how many processes."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass
class RunOptions:
    """Everything from the command line that shapes a run."""

    config_path: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    site_root: str | None = None
    keep_documents: bool = False
    jobs: int | None = None
    use_cache: bool = False
    cache_dir: str | None = None
    quiet: bool = False
    #: ``--external-allow-private``: the external check may ask private addresses too.
    external_allow_private: bool = False


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
