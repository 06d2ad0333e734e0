"""naislint: a site-aware linter for the markdown source of Jekyll and Isomer sites.

The public API is small on purpose: :func:`lint_text` for one buffer (editors, tests)
and :func:`lint_paths` for files and folders (the CLI). Both import their machinery
lazily so that ``import naislint`` stays cheap in a pre-commit hook.
"""

from __future__ import annotations

from naislint.version import __version__

#: ``typing`` costs a pre-commit run 10 ms to import; type checkers read this block anyway.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from naislint.diagnostics import Diagnostic


def lint_text(text: str, path: str = "<stdin>", **options: Any) -> "list[Diagnostic]":
    """Lint one markdown buffer as if it were the file at ``path``."""
    from naislint.run.engine import lint_text as _lint_text

    return _lint_text(text, path, **options)


def lint_paths(paths: "list[str]", **options: Any) -> "list[Diagnostic]":
    """Lint files and folders; folders are searched for markdown files."""
    from naislint.run.engine import lint_paths as _lint_paths

    return _lint_paths(paths, **options).diagnostics


__all__ = ["__version__", "lint_text", "lint_paths"]
