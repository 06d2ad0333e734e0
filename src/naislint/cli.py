"""The ``naislint`` command line (click).

Exit codes follow the output contract: 0 when nothing at or above ``--fail-on`` was found,
1 when something was, 2 for a usage or configuration error or a bug in naislint, 130 when
interrupted.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from typing import Any

import click

from naislint.version import __version__

FORMAT_CHOICES = ["text", "json", "sarif", "github", "junit", "html", "markdown"]


def _split_words(values: tuple[str, ...]) -> tuple[str, ...]:
    words: list[str] = []
    for value in values:
        words.extend(w for w in value.replace(",", " ").split() if w)
    return tuple(words)


#: Set (to anything but 0 or empty) to see the traceback of an internal error.
DEBUG_ENV = "NAISLINT_DEBUG"
#: The exit status of a run stopped by Ctrl-C (128 + SIGINT), as in ruff and the shells.
EXIT_INTERRUPTED = 130


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


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
            if debugging():
                import traceback

                traceback.print_exc()
            detail = str(exc).splitlines()[0] if str(exc) else ""
            click.echo(
                f"naislint: internal error: {type(exc).__name__}{': ' + detail if detail else ''}\n"
                f"This is a bug in naislint; please report it with the command you ran"
                f"{'' if debugging() else f' and the traceback ({DEBUG_ENV}=1 shows it)'}.",
                err=True,
            )
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
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
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
              help="Only the markdown files changed since this git ref (committed, staged, unstaged, untracked).")
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
    from naislint.config.loader import ConfigError
    from naislint.errors import BaselineError, GitError
    from naislint.run.engine import Linter, RunOptions, RunResult
    from naislint.registry import RegistryError

    options = RunOptions(
        config_path=config_path,
        select=_split_words(select) or None,
        ignore=_split_words(ignore),
        extend_select=_split_words(extend_select) + (("external-link",) if external else ()),
        site_root=site_root,
        keep_documents=False,
        jobs=jobs,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        quiet=quiet,
        external_allow_private=external_allow_private,
    )
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
    linter = Linter(options)
    result = RunResult()
    fixed = 0
    changes = None
    try:
        if paths == ("-",):
            fixed = _lint_stdin(linter, result, stdin_filename, fix or diff, unsafe_fixes, diff)
        else:
            targets = linter.discover(paths or (".",))
            if changed_since:
                from naislint.run.changed import add_dependents, find_changes

                changes = find_changes(changed_since, _git_folder(paths), changed_lines)
                add_dependents(linter, changes)
                targets = [t for t in targets if t.path in changes]
            elif paths and os.environ.get("PRE_COMMIT") == "1":
                targets = _with_dependents(linter, targets, paths)
            result = linter.run(targets)
            if fix or diff:
                for file_result in result.files:
                    if any(d.fix for d in file_result.diagnostics):
                        fixed += _fix_file(linter, file_result.target, file_result, unsafe_fixes, diff)
                result.diagnostics = [d for f in result.files for d in f.diagnostics]
    except ConfigError as exc:
        click.echo(f"naislint: configuration error: {exc}", err=True)
        sys.exit(2)
    except (RegistryError, GitError) as exc:
        click.echo(f"naislint: {exc}", err=True)
        sys.exit(2)
    result.internal_errors = linter.internal_errors
    if diff:
        _diff_summary(result, fixed, unsafe_fixes)
        _internal_errors(result.internal_errors)
        sys.exit(2 if result.internal_errors else 1 if fixed else 0)
    if changes is not None and changed_lines:
        _keep_changed_lines(result, changes)
    if write_baseline_path:
        from naislint.run.baseline import write

        try:
            count = write(write_baseline_path, result)
        except OSError as exc:
            click.echo(f"naislint: cannot write the baseline {write_baseline_path}: {exc.strerror or exc}", err=True)
            sys.exit(2)
        click.echo(f"naislint: wrote {count} diagnostic{'s' if count != 1 else ''} to the baseline {write_baseline_path}",
                   err=True)
        _internal_errors(result.internal_errors)
        sys.exit(2 if result.internal_errors else 0)
    baselined = 0
    if baseline_path:
        from naislint.run.baseline import filter_result

        try:
            baselined = filter_result(result, baseline_path)
        except BaselineError as exc:
            click.echo(f"naislint: {exc}", err=True)
            sys.exit(2)
    if fix and output_format != "text":
        _fix_summary_stderr(result, fixed)
    # With ``- --fix`` standard output carries the fixed text, so the report goes to stderr.
    _report(result, output_format, output_file, statistics, quiet, no_color, fixed, to_stderr=fix and paths == ("-",),
            extra={"edit_url": report_edit_url, "baseline": baseline_path, "baselined": baselined})
    _internal_errors(result.internal_errors)
    if result.internal_errors:
        sys.exit(2)
    threshold = fail_on or _configured_fail_on(linter) or "warning"
    sys.exit(_exit_code(result, threshold))


def _internal_errors(errors: list[str]) -> None:
    """Report what went wrong inside naislint (a rule that raised, a worker that died):
    one line each, the tracebacks only with NAISLINT_DEBUG=1."""
    if not errors:
        return
    hidden = False
    for error in errors:
        first, _, rest = error.partition("\n")
        click.echo(f"naislint: internal error: {error if debugging() else first}", err=True)
        hidden = hidden or bool(rest.strip())
    click.echo("This is a bug in naislint; please report it with the command you ran"
               f"{f' and the traceback ({DEBUG_ENV}=1 shows it)' if hidden and not debugging() else ''}.", err=True)


def _lint_stdin(linter: Any, result: Any, stdin_filename: str | None, fixing: bool, unsafe: bool, diff: bool) -> int:
    """Lint standard input as ``--stdin-filename``; with --fix, print the fixed text."""
    from naislint.run.discover import Target, display_path
    from naislint.run.fix import encode, fix_target, unified_diff

    path = stdin_filename or "<stdin>"
    root = linter.site_root_for(path) if stdin_filename else None
    target = Target(path, display_path(path) if stdin_filename else path, root)
    # max-file-size holds for standard input too: read one byte more than it allows and
    # no further (the engine reports the input as over the limit).
    limit = linter.config_for(root, path).max_file_size
    raw = sys.stdin.buffer.read(limit + 1)
    file_result = linter.lint_target(target, raw=raw)
    result.files.append(file_result)
    fixed = 0
    doc = file_result.document
    if fixing and doc is None and not diff:
        # Nothing to fix in input that cannot be linted; an editor replacing its buffer
        # with standard output must get the text back unchanged, not nothing.
        sys.stdout.buffer.write(raw)
        shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
        sys.stdout.flush()
    if fixing and doc is not None:
        outcome = fix_target(linter, target, file_result.diagnostics, doc.decoded, unsafe)
        fixed = outcome.applied
        file_result.diagnostics = outcome.diagnostics
        file_result.excerpts = None  # lines of the text before the fixes
        if diff:
            sys.stdout.write(unified_diff(target.display, outcome.original, outcome.fixed))
        else:
            sys.stdout.buffer.write(encode(outcome.fixed, doc.decoded.has_bom))
            sys.stdout.flush()
    result.diagnostics.extend(file_result.diagnostics)
    return fixed


def _fix_file(linter: Any, target: Any, file_result: Any, unsafe: bool, diff: bool) -> int:
    """Fix one file in place (or print its diff); returns how many fixes were applied."""
    from naislint.page.document import UnreadableFile, read_bytes
    from naislint.run.fix import FileChanged, encode, fix_target, unified_diff, write_atomic
    from naislint.page.text import DecodeProblem, decode

    from naislint.page.safeopen import is_inside, target_boundary

    within = target_boundary(target)
    try:
        raw = read_bytes(target.path, within=within)
        decoded = decode(raw)
    except (UnreadableFile, DecodeProblem):
        return 0
    first = file_result.diagnostics
    if file_result.content_hash is not None:
        from naislint.store.stamps import content_hash

        if content_hash(raw) != file_result.content_hash:
            # The diagnostics' positions describe the text that was linted, not this one.
            click.echo(f"naislint: {target.display}: file changed on disk since it was read; not written", err=True)
            return 0
    else:
        # Diagnostics from the results cache: lint what is on disk now, so every edit
        # applies to the text it was computed from.
        first = linter.lint_target(target, raw=raw).diagnostics
    outcome = fix_target(linter, target, first, decoded, unsafe)
    if not outcome.changed:
        return 0
    if diff:
        sys.stdout.write(unified_diff(target.display, outcome.original, outcome.fixed))
        return outcome.applied
    if not is_inside(os.path.realpath(target.path), (os.path.realpath(within),)):
        # Made a link out of the site since it was read: never write through it.
        click.echo(f"naislint: {target.display}: now leads outside {within}; not written", err=True)
        return 0
    try:
        write_atomic(target.path, encode(outcome.fixed, decoded.has_bom), raw)
    except FileChanged as exc:
        click.echo(f"naislint: {target.display}: {exc}", err=True)
        return 0
    except OSError as exc:
        click.echo(f"naislint: {target.display}: cannot write the fixes: {exc}", err=True)
        return 0
    file_result.diagnostics = outcome.diagnostics
    file_result.excerpts = None  # lines of the text before the fixes
    return outcome.applied


def _report(result: Any, output_format: str, output_file: str | None, statistics: bool, quiet: bool,
            no_color: bool, fixed: int, to_stderr: bool = False, extra: dict | None = None) -> None:
    from naislint.reporters import ReportContext, reporter

    stream = sys.stderr if to_stderr else sys.stdout
    color = output_file is None and not no_color and _color_wanted(stream)
    fixable = sum(1 for d in result.diagnostics if d.fix is not None and d.fix.safe)
    context = ReportContext(color=color, statistics=statistics, quiet=quiet, fixed=fixed, fixable_remaining=fixable,
                            **(extra or {}))
    rendered = reporter(output_format)(result, context)
    if output_file:
        try:
            with open(output_file, "w", encoding="utf-8") as handle:
                handle.write(rendered)
        except OSError as exc:
            click.echo(f"naislint: cannot write the report to {output_file}: {exc.strerror or exc}", err=True)
            sys.exit(2)
    else:
        stream.write(rendered)
        stream.flush()


def _color_wanted(stream: Any) -> bool:
    """Colour by the common conventions: ``NO_COLOR`` (non-empty) turns it off; else
    ``FORCE_COLOR`` (non-empty, not ``0``) or ``CLICOLOR_FORCE`` (not ``0``) turns it on
    (a CI log is no terminal but shows colours); else a terminal gets colours."""
    if os.environ.get("NO_COLOR"):
        return False
    forced = os.environ.get("FORCE_COLOR", "")
    if (forced and forced.lower() not in ("0", "false")) or os.environ.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    return stream.isatty()


def _git_folder(paths: tuple[str, ...]) -> str:
    """The folder whose repository --changed-since asks: the first path's, else the current one."""
    if not paths:
        return "."
    first = paths[0]
    return first if os.path.isdir(first) else (os.path.dirname(first) or ".")


def _with_dependents(linter: Any, targets: list, paths: tuple[str, ...]) -> list:
    """Under pre-commit (which names the staged files): add the pages whose links the
    commit breaks without touching them (see :func:`naislint.run.changed.add_dependents`)."""
    from naislint.run.changed import ALL_LINES, add_dependents, hook_changes

    changes = hook_changes(_git_folder(paths))
    if changes is None:
        return targets
    changes.files = {os.path.realpath(t.path): ALL_LINES for t in targets}
    added = add_dependents(linter, changes)
    return targets + linter.discover(sorted(added)) if added else targets


def _keep_changed_lines(result: Any, changes: Any) -> None:
    """Drop diagnostics that are not on a line changed since the ref."""
    from naislint.run.changed import on_changed_lines

    paths = {f.target.display: f.target.path for f in result.files}

    def keep(d: Any) -> bool:
        lines = changes.lines_of(paths.get(d.path, d.path))
        return on_changed_lines(d.span.line, d.span.end_line, d.span.end_column, lines)

    result.diagnostics = [d for d in result.diagnostics if keep(d)]
    for f in result.files:
        f.diagnostics = [d for d in f.diagnostics if keep(d)]


def _counts(result: Any) -> tuple[int, int]:
    """Diagnostics with a safe fix, and with only an unsafe one."""
    safe = sum(1 for d in result.diagnostics if d.fix is not None and d.fix.safe)
    unsafe = sum(1 for d in result.diagnostics if d.fix is not None and not d.fix.safe)
    return safe, unsafe


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _diff_summary(result: Any, fixed: int, unsafe_fixes: bool) -> None:
    """After ``--diff``: what ``--fix`` would do, on stderr (stdout holds only the diff)."""
    safe, unsafe = _counts(result)
    parts = [f"Would fix {_plural(fixed, 'problem')}." if fixed else "No fixes to apply."]
    if not unsafe_fixes and unsafe:
        parts.append(f"{unsafe} more with --unsafe-fixes.")
    click.echo("naislint: " + " ".join(parts), err=True)


def _fix_summary_stderr(result: Any, fixed: int) -> None:
    """After ``--fix`` with a machine-readable format: the fix summary goes to stderr."""
    safe, unsafe = _counts(result)
    click.echo(f"naislint: fixed {_plural(fixed, 'problem')}; {safe} remain fixable with --fix"
               f"{f', {unsafe} with --unsafe-fixes' if unsafe else ''}.", err=True)


def _configured_fail_on(linter: Any) -> str | None:
    for config in linter._configs.values():
        if config.fail_on:
            return config.fail_on
    return None


def _exit_code(result: Any, threshold: str) -> int:
    if threshold == "never":
        return 0
    from naislint.diagnostics import Severity

    floor = Severity(threshold).rank
    return 1 if any(d.severity.rank >= floor for d in result.diagnostics) else 0


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


@main.command("server")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file for every page.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the server's log here (stdout is the protocol).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the site index's cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="NAISLINT_CACHE_DIR",
              help="Keep the cache here instead of <site root>/.naislint_cache.")
def server(config_path: str | None, log_file: str | None, no_cache: bool, cache_dir: str | None) -> None:
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
    from naislint.run.options import RunOptions
    from naislint.lsp.server import serve

    # external-link asks the network: not on every keystroke (naislint check --external does it).
    serve(RunOptions(config_path=config_path, ignore=("external-link",), use_cache=not no_cache, cache_dir=cache_dir))


if __name__ == "__main__":
    main()
