"""The ``naislint`` command line (click).

Exit codes follow the output contract: 0 when nothing at or above ``--fail-on`` was found,
1 when something was, 2 for a usage or configuration error or a bug in naislint, 130 when
interrupted.
"""

from __future__ import annotations

import errno
import sys
from typing import Any

import click

from naislint.run.command import EXIT_INTERRUPTED, FAIL_ON_CHOICES, FORMAT_CHOICES, report_bug
from naislint.version import __version__

__all__ = ["EXIT_INTERRUPTED", "FORMAT_CHOICES", "main"]


class _Group(click.Group):
    """The command group, with naislint's exit codes for what click does not handle.

    An exception no command expected is a bug: exit 2 (the contract's "could not lint",
    never 1, which CI reads as "problems found") with a one-line message asking for a bug
    report; the traceback only with ``NAISLINT_DEBUG=1``. Ctrl-C exits 130 (click's own
    handling would print "Aborted!" and exit 1); temporary files are removed on the way
    out by the ``finally`` blocks of the writers.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("naislint: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # a bug: say so briefly, exit 2
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
                raise  # the reader went away (| head): click's own quiet handling
            report_bug(exc)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="naislint")
def main() -> None:
    """naislint: lint the markdown source of Jekyll and Isomer sites."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMAT_CHOICES), default="text", show_default=True,
              help="Output format.")
@click.option("--select", multiple=True, help="Only these rules (names, codes or code prefixes; comma-separated).")
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the configured ones.")
@click.option("--ignore", multiple=True, help="Rules to switch off (names, codes or code prefixes).")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default=None,
              help="Lowest severity that makes the exit code 1 [default: warning].")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@click.option("--statistics", is_flag=True, help="Count diagnostics per rule.")
@click.option("--quiet", "-q", is_flag=True, help="Only the diagnostic lines, no excerpts or summary.")
@click.option("--no-color", is_flag=True, help="Never colour the output (also: NO_COLOR).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file.")
@click.option("--site-root", type=click.Path(file_okay=False, exists=True), help="The site's root folder (default: found from _config.yml).")
@click.option("--stdin-filename", help="Path to lint standard input as, with PATH '-'.")
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Apply unsafe fixes too (with --fix or --diff).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing (exit 1 if any).")
@click.option("--changed-since", metavar="REF",
              help="Only the markdown and data files changed since this git ref (committed, staged, unstaged, untracked).")
@click.option("--changed-lines", is_flag=True, help="With --changed-since: only diagnostics on changed lines.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Report only diagnostics this baseline file does not record.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Record every current diagnostic in this baseline file and exit 0.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes to lint with [default: the number of cores].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="NAISLINT_CACHE_DIR",
              help="Keep the cache here instead of <site root>/.naislint_cache.")
@click.option("--external", is_flag=True,
              help="Also check http(s) links over the network (rule external-link; needs naislint[external]).")
@click.option("--external-allow-private", is_flag=True,
              help="Let --external ask loopback, private and link-local addresses too (an intranet site).")
@click.option("--report-edit-url", metavar="TEMPLATE",
              help="html/markdown: link each page to its editor; {path} or {permalink} is filled in.")
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...], extend_select: tuple[str, ...],
          ignore: tuple[str, ...], fail_on: str | None, output_file: str | None, statistics: bool, quiet: bool,
          no_color: bool, config_path: str | None, site_root: str | None, stdin_filename: str | None,
          fix: bool, unsafe_fixes: bool, diff: bool, changed_since: str | None, changed_lines: bool,
          baseline_path: str | None, write_baseline_path: str | None, jobs: int | None, no_cache: bool,
          cache_dir: str | None, external: bool, external_allow_private: bool,
          report_edit_url: str | None = None) -> None:
    """Lint markdown files and folders (default: the current folder)."""
    if statistics and output_format not in ("text", "json"):
        raise click.UsageError(f"--statistics works with --format text or json, not {output_format}")
    if report_edit_url:
        from naislint.reporters._pages import edit_template_error

        if (problem := edit_template_error(report_edit_url)) is not None:
            raise click.BadParameter(problem, param_hint="--report-edit-url")
    if changed_lines and not changed_since:
        raise click.UsageError("--changed-lines needs --changed-since REF")
    if changed_since and paths == ("-",):
        raise click.UsageError("--changed-since cannot be used with standard input")
    from naislint.run import command

    command.check(paths, output_format, select, extend_select, ignore, fail_on, output_file, statistics, quiet, no_color,
                  config_path, site_root, stdin_filename, fix, unsafe_fixes, diff, changed_since, changed_lines,
                  baseline_path, write_baseline_path, jobs, no_cache, cache_dir, external, external_allow_private,
                  report_edit_url)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def list_rules(output_format: str) -> None:
    """List every rule: code, name, default severity, fixable, summary."""
    import json

    from naislint.registry import all_rules

    rules = list(all_rules().values())
    if output_format == "json":
        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "severity": r.default_severity.value, "fixable": r.fixable,
             "fix": ("safe" if r.fix_safe else "unsafe") if r.fixable else None,
             "enabled": r.default_enabled, "summary": r.summary, "url": r.url} for r in rules
        ], indent=2))
        return
    width = max((len(r.name) for r in rules), default=10)
    click.echo(f"{'code':<6}  {'name':<{width}}  {'severity':<8}  {'fix':<6}  summary")
    for r in rules:
        fix = ("yes" if r.fix_safe else "unsafe") if r.fixable else ""
        fix = f"{fix:<6}"
        off = " (off by default)" if not r.default_enabled else ""
        click.echo(f"{r.code:<6}  {r.name:<{width}}  {r.default_severity.value:<8}  {fix}  {r.summary}{off}")


@main.command("rule")
@click.argument("name")
def show_rule(name: str) -> None:
    """Print a rule's documentation (by name or code)."""
    from naislint.registry import lookup
    from naislint.resources import rule_doc_path

    rule = lookup(name)
    if rule is None:
        import difflib

        from naislint.registry import all_rules

        known = {r.name: r.name for r in all_rules().values()} | {r.code.lower(): r.name for r in all_rules().values()}
        close = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.6)
        hint = f"; did you mean {known[close[0]]!r}?" if close else ""
        click.echo(f"naislint: no rule named {name!r}{hint} (see `naislint rules`)", err=True)
        sys.exit(2)
    path = rule_doc_path(rule.name)
    try:
        click.echo(path.read_text(encoding="utf-8"), nl=False)
    except OSError:
        click.echo(f"naislint: the documentation of {rule.name} is missing ({path})", err=True)
        sys.exit(2)


@main.command("move")
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--permalink", metavar="URL", help="Also give the page this permalink (its front matter).")
@click.option("--site-root", type=click.Path(file_okay=False, exists=True), help="The site's root folder (default: found from _config.yml).")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
def move(old: str, new: str, permalink: str | None, site_root: str | None, dry_run: bool) -> None:
    """Move a page or file and update every link to it (git mv in a git work tree).

    Nothing is written when NEW exists or a link cannot be updated with certainty.
    Exit 0 when moved, 1 when refused, 2 for a usage error.
    """
    from naislint.run.move import MoveError, apply, plan_move, report, site_paths

    try:
        root, old_rel, new_rel = site_paths(old, new, site_root)
        if old_rel == new_rel and not permalink:
            raise MoveError("OLD and NEW are the same file; give a new path or --permalink")
        plan = plan_move(root, old_rel, new_rel, permalink)
        result = apply(root, plan, dry_run)
    except MoveError as exc:
        click.echo(f"naislint: {exc}", err=True)
        sys.exit(2)
    text = report(result, dry_run)
    refused = bool(plan.refusals) or (bool(result.problems) and not result.written)
    click.echo(text, nl=False, err=refused)
    sys.exit(1 if refused or result.problems else 0)


@main.command("server")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file for every page.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the server's log here (stdout is the protocol).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the site index's cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="NAISLINT_CACHE_DIR",
              help="Keep the cache here instead of <site root>/.naislint_cache.")
@click.option("--watch", "watch_mode", type=click.Choice(["auto", "server", "poll", "off"]), default="auto",
              show_default=True,
              help="Watch the site's files on the server's side: auto (when the editor does not), server "
                   "(always), poll (always, by polling), off.")
def server(config_path: str | None, log_file: str | None, no_cache: bool, cache_dir: str | None,
           watch_mode: str = "auto") -> None:
    """Run the language server on stdin/stdout (for editors; see README, Editors)."""
    import logging

    try:
        import pygls  # noqa: F401
    except ImportError:
        click.echo("naislint: the language server needs pygls: pip install 'naislint[lsp]'", err=True)
        sys.exit(2)
    if log_file:
        try:
            handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            click.echo(f"naislint: cannot write the log file {log_file}: {exc.strerror or exc}", err=True)
            sys.exit(2)
        logging.basicConfig(handlers=[handler], level=logging.INFO)
    from naislint.lsp.server import serve
    from naislint.registry import network_rules
    from naislint.run.options import RunOptions

    # Rules that ask the network never run on every keystroke (naislint check --external does it).
    serve(RunOptions(config_path=config_path, ignore=network_rules(), use_cache=not no_cache, cache_dir=cache_dir),
          watch_mode)


@main.group("daemon")
def daemon() -> None:
    """The warm process that runs `naislint check` without Python's start-up (see README,
    Pre-commit)."""


@daemon.command("start")
def daemon_start() -> None:
    """Start the warm process now (pre-commit starts it by itself)."""
    import os
    import time

    from naislint.warm.client import start, status

    found = status(os.environ)
    if found is None:
        start(os.environ)
        deadline = time.monotonic() + 60
        while found is None and time.monotonic() < deadline:
            time.sleep(0.1)
            found = status(os.environ)
        if found is None:
            click.echo("naislint: the warm process did not start (no private folder for its socket, "
                       "or it failed; `python -m naislint.warm.server PATH` shows why)", err=True)
            sys.exit(2)
    click.echo(f"running (pid {found.get('pid')})")


@daemon.command("stop")
def daemon_stop() -> None:
    """Stop the warm process: its socket is removed and it exits within a second."""
    import os
    import time

    from naislint.warm.client import status
    from naislint.warm.place import socket_path

    found = status(os.environ)
    path = socket_path(os.environ)
    if found is None or path is None:
        click.echo("not running")
        return
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    pid = found.get("pid")
    deadline = time.monotonic() + 10
    while isinstance(pid, int) and time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    click.echo(f"stopped (pid {pid})")


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@daemon.command("status")
def daemon_status() -> None:
    """Whether the warm process runs; exit 1 when it does not."""
    import os
    import time

    from naislint.warm.client import status

    found = status(os.environ)
    if found is None:
        click.echo("not running")
        sys.exit(1)
    started = found.get("started")
    since = f", for {time.time() - started:.0f} s" if isinstance(started, (int, float)) else ""
    click.echo(f"running (pid {found.get('pid')}, {found.get('runs')} runs served{since})")


if __name__ == "__main__":
    main()
