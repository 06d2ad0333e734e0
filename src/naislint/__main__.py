"""``python -m naislint`` and the ``naislint`` command.

The common options of ``naislint check`` (those a pre-commit hook, an editor or a CI step
passes) are read here without click, whose import and option objects cost a one-page run
about 20 ms of its start-up. Anything else goes to click (:mod:`naislint.cli`): another
command, ``--help``, an option this reader does not know, and every value it cannot
accept as it is, so that usage errors and help read exactly as before.
"""

from __future__ import annotations

import errno
import os
import sys

#: Left out of a run: ``typing`` costs a hook 10 ms to import (type checkers read the block).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Flag options of ``check`` this reader knows -> the parameter each sets.
FLAGS = {"-q": "quiet", "--quiet": "quiet", "--no-color": "no_color", "--no-cache": "no_cache",
         "--statistics": "statistics", "--fix": "fix", "--unsafe-fixes": "unsafe_fixes", "--diff": "diff"}
#: Options of ``check`` with a value -> the parameter it sets.
VALUES = {"--format": "output_format", "--select": "select", "--extend-select": "extend_select",
          "--ignore": "ignore", "--fail-on": "fail_on", "--config": "config_path", "--jobs": "jobs",
          "-j": "jobs", "--cache-dir": "cache_dir"}
#: Options that may be given more than once (their values add up).
MULTIPLE = {"select", "extend_select", "ignore"}


def quick_check(argv: list[str]) -> dict[str, Any] | None:
    """The parameters of ``naislint check`` for ``argv`` when only the common options are
    used, each with a value click would take as it is; ``None`` for anything else."""
    from naislint.run.command import FAIL_ON_CHOICES, FORMAT_CHOICES

    if not argv or argv[0] != "check":
        return None
    found: dict[str, Any] = {"select": [], "extend_select": [], "ignore": []}
    paths: list[str] = []
    args = iter(argv[1:])
    only_paths = False
    for arg in args:
        if only_paths or not arg.startswith("-"):
            paths.append(arg)
            continue
        if arg == "--":
            only_paths = True
            continue
        if arg in FLAGS:
            found[FLAGS[arg]] = True
            continue
        if arg.startswith("--") and "=" in arg:
            name, _, value = arg.partition("=")
        elif arg.startswith("-j") and len(arg) > 2:
            name, value = "-j", arg[2:]
        else:
            name, value = arg, next(args, None)  # type: ignore[assignment]
        if name not in VALUES or value is None:
            return None
        key = VALUES[name]
        if key in MULTIPLE:
            found[key].append(value)
        else:
            found[key] = value
    if "-" in paths:
        return None  # standard input and its options: click
    output_format = found.get("output_format", "text")
    fail_on = found.get("fail_on")
    if output_format not in FORMAT_CHOICES or (fail_on is not None and fail_on not in FAIL_ON_CHOICES):
        return None
    if found.get("statistics") and output_format not in ("text", "json"):
        return None
    jobs = found.get("jobs")
    if jobs is not None:
        try:
            jobs = int(jobs)
        except ValueError:
            return None
        if jobs < 1:
            return None
    config_path = found.get("config_path")
    cache_dir = found.get("cache_dir", os.environ.get("NAISLINT_CACHE_DIR") or None)
    if (config_path is not None and os.path.isdir(config_path)) or (cache_dir is not None and os.path.isfile(cache_dir)):
        return None  # click's own message says why
    return {
        "paths": tuple(paths), "output_format": output_format, "select": tuple(found["select"]),
        "extend_select": tuple(found["extend_select"]), "ignore": tuple(found["ignore"]), "fail_on": fail_on,
        "output_file": None, "statistics": bool(found.get("statistics")), "quiet": bool(found.get("quiet")),
        "no_color": bool(found.get("no_color")), "config_path": config_path, "site_root": None,
        "stdin_filename": None, "fix": bool(found.get("fix")), "unsafe_fixes": bool(found.get("unsafe_fixes")),
        "diff": bool(found.get("diff")), "changed_since": None, "changed_lines": False, "baseline_path": None,
        "write_baseline_path": None, "jobs": jobs, "no_cache": bool(found.get("no_cache")), "cache_dir": cache_dir,
        "external": False, "external_allow_private": False, "report_edit_url": None,
    }


def main() -> None:
    """Run ``naislint``: by a warm process when one is there (:mod:`naislint.warm`), else
    in this process."""
    from naislint.warm.client import run_warm

    code = run_warm(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    run_here()


def run_here() -> None:
    """Run ``naislint`` in this process: the common ``check`` here, everything else through
    click."""
    params = quick_check(sys.argv[1:])
    if params is None:
        from naislint.cli import main as click_main

        click_main()
        return
    from naislint.run.command import EXIT_INTERRUPTED, check, echo, report_bug

    try:
        check(**params)
    except KeyboardInterrupt:
        echo("naislint: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug: say so briefly, exit 2 (as the click command does)
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            _reader_gone()
        report_bug(exc)
        sys.exit(2)


def _reader_gone() -> None:
    """The reader of standard output went away (``| head``): exit 1 quietly, as click does."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(1)


if __name__ == "__main__":
    main()
