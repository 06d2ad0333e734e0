"""Running the command line inside a folder, as a user at a prompt there would."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner, Result

from naislint.cli import main


def run(cwd: Path, *args: str) -> Result:
    """``naislint ARGS`` run from ``cwd`` (relative paths and the cache resolve there)."""
    old = os.getcwd()
    try:
        os.chdir(cwd)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
