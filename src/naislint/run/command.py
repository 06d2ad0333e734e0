"""``naislint check`` as a function: lint, fix, report, exit; the command line's options
already parsed and validated (by click in :mod:`naislint.cli`, or by the quick parser of
:mod:`naislint.__main__` for the common options, which spares a pre-commit hook the
import of click).

Exit codes follow the output contract: 0 when nothing at or above ``--fail-on`` was found,
1 when something was, 2 for a configuration error or a bug in naislint.
"""

from __future__ import annotations

import os
import sys
from typing import Any

FORMAT_CHOICES = ["text", "json", "sarif", "github", "junit", "html", "markdown"]
FAIL_ON_CHOICES = ["error", "warning", "info", "never"]
#: Set (to anything but 0 or empty) to see the traceback of an internal error.
DEBUG_ENV = "NAISLINT_DEBUG"
#: The exit status of a run stopped by Ctrl-C (128 + SIGINT), as in ruff and the shells.
EXIT_INTERRUPTED = 130


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def report_bug(exc: BaseException) -> None:
    """Say briefly that naislint failed (the traceback only with ``NAISLINT_DEBUG=1``)."""
    if debugging():
        import traceback

        traceback.print_exc()
    detail = str(exc).splitlines()[0] if str(exc) else ""
    echo(
        f"naislint: internal error: {type(exc).__name__}{': ' + detail if detail else ''}\n"
        f"This is a bug in naislint; please report it with the command you ran"
        f"{'' if debugging() else f' and the traceback ({DEBUG_ENV}=1 shows it)'}.",
        err=True,
    )


def echo(message: str, err: bool = False) -> None:
    """A line to standard output or standard error, as ``click.echo`` writes it."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{message}\n")
    stream.flush()


def split_words(values: tuple[str, ...]) -> tuple[str, ...]:
    words: list[str] = []
    for value in values:
        words.extend(w for w in value.replace(",", " ").split() if w)
    return tuple(words)


def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...], extend_select: tuple[str, ...],
          ignore: tuple[str, ...], fail_on: str | None, output_file: str | None, statistics: bool, quiet: bool,
          no_color: bool, config_path: str | None, site_root: str | None, stdin_filename: str | None,
          fix: bool, unsafe_fixes: bool, diff: bool, changed_since: str | None, changed_lines: bool,
          baseline_path: str | None, write_baseline_path: str | None, jobs: int | None, no_cache: bool,
          cache_dir: str | None, external: bool, external_allow_private: bool,
          report_edit_url: str | None = None) -> None:
    """Lint ``paths`` as ``naislint check`` does, print the report and exit."""
    from naislint.config.loader import ConfigError
    from naislint.errors import BaselineError, GitError
    from naislint.run.engine import Linter, RunOptions, RunResult
    from naislint.registry import RegistryError, network_rules

    options = RunOptions(
        config_path=config_path,
        select=split_words(select) or None,
        ignore=split_words(ignore),
        extend_select=split_words(extend_select) + (network_rules() if external else ()),
        site_root=site_root,
        keep_documents=False,
        jobs=jobs,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        quiet=quiet,
        external_allow_private=external_allow_private,
    )
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
        echo(f"naislint: configuration error: {exc}", err=True)
        sys.exit(2)
    except (RegistryError, GitError) as exc:
        echo(f"naislint: {exc}", err=True)
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
            echo(f"naislint: cannot write the baseline {write_baseline_path}: {exc.strerror or exc}", err=True)
            sys.exit(2)
        echo(f"naislint: wrote {count} diagnostic{'s' if count != 1 else ''} to the baseline {write_baseline_path}",
                   err=True)
        _internal_errors(result.internal_errors)
        sys.exit(2 if result.internal_errors else 0)
    baselined = 0
    if baseline_path:
        from naislint.run.baseline import filter_result

        try:
            baselined = filter_result(result, baseline_path)
        except BaselineError as exc:
            echo(f"naislint: {exc}", err=True)
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
        echo(f"naislint: internal error: {error if debugging() else first}", err=True)
        hidden = hidden or bool(rest.strip())
    echo("This is a bug in naislint; please report it with the command you ran"
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
        import shutil

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
            echo(f"naislint: {target.display}: file changed on disk since it was read; not written", err=True)
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
        echo(f"naislint: {target.display}: now leads outside {within}; not written", err=True)
        return 0
    try:
        write_atomic(target.path, encode(outcome.fixed, decoded.has_bom), raw)
    except FileChanged as exc:
        echo(f"naislint: {target.display}: {exc}", err=True)
        return 0
    except OSError as exc:
        echo(f"naislint: {target.display}: cannot write the fixes: {exc}", err=True)
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
            echo(f"naislint: cannot write the report to {output_file}: {exc.strerror or exc}", err=True)
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
    echo("naislint: " + " ".join(parts), err=True)


def _fix_summary_stderr(result: Any, fixed: int) -> None:
    """After ``--fix`` with a machine-readable format: the fix summary goes to stderr."""
    safe, unsafe = _counts(result)
    echo(f"naislint: fixed {_plural(fixed, 'problem')}; {safe} remain fixable with --fix"
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
