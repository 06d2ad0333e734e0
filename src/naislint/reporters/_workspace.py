"""Where CI formats' paths start: the repository's root, not the folder naislint ran in.

GitHub matches an annotation's ``file`` and a SARIF result's URI against paths from the
repository's root. A workflow step with ``working-directory: site`` runs naislint in a
sub-folder, and paths relative to it (``pages/a.md`` for ``site/pages/a.md``) point at no
file of the pull request. So the GitHub and SARIF reporters make paths relative to
``GITHUB_WORKSPACE`` when the current folder is inside it, else to the git work tree's
root (``git rev-parse --show-toplevel``), else leave them as they are.
"""

from __future__ import annotations

import os
import subprocess


def workspace_root() -> str | None:
    """The repository root that holds the current folder (a real path), or ``None``."""
    here = os.path.realpath(os.getcwd())
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        top = os.path.realpath(workspace)
        if _inside(here, top):
            return top
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], capture_output=True, stdin=subprocess.DEVNULL, timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    top = os.fsdecode(done.stdout.rstrip(b"\r\n"))
    return os.path.realpath(top) if top else None


def from_root(path: str, root: str | None) -> str:
    """``path`` (as the run shows it: relative to the current folder, or absolute)
    relative to ``root`` with ``/`` separators; unchanged when there is no root or the
    file lies outside it. The file itself is not resolved: a symbolic link inside the
    repository is where the repository has it."""
    if root is None:
        return path
    absolute = os.path.abspath(path)
    folder, name = os.path.split(absolute)
    located = os.path.join(os.path.realpath(folder), name)
    if not _inside(located, root):
        return path
    return os.path.relpath(located, root).replace(os.sep, "/")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
