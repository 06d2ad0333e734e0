"""``naislint move OLD NEW [--permalink URL]``: move a page or file and keep every link to it.

The same plan as the language server's file move (:func:`naislint.site.moves.plan_moves`),
written to disk for CI and scripts. All or nothing: when the plan has a refusal (the
target exists, a link is ambiguous or cannot be rewritten with certainty), or a file to
edit cannot be read, nothing is written and the refusals are the report. Otherwise the
file moves first (``git mv`` when git tracks it, so history follows it; a plain rename
otherwise), then each edited file is written through a temporary file and a rename, as
``--fix`` writes (and not when it changed on disk meanwhile).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from naislint.site.moves import Plan


class MoveError(Exception):
    """A move that cannot start (a usage problem): the message says why."""


@dataclass
class MoveResult:
    """What ``naislint move`` did (or would do, with ``dry_run``)."""

    root: str
    plan: "Plan"
    git: bool = False
    written: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def site_paths(old: str, new: str, site_root: str | None = None) -> tuple[str, str, str]:
    """The site root and the two paths relative to it (``new`` need not exist)."""
    from naislint import jekyll

    if not os.path.lexists(old):
        raise MoveError(f"{old} does not exist")
    if os.path.isdir(old):
        raise MoveError(f"{old} is a folder; move its pages one by one")
    if os.path.isdir(new):
        new = os.path.join(new, os.path.basename(old))  # as mv does
    root = os.path.realpath(site_root) if site_root else jekyll.find_site_root(old)
    if root is None:
        raise MoveError(f"{old} is in no Jekyll site (no _config.yml above it); give --site-root")
    rels = []
    for path in (old, new):
        rel = os.path.relpath(os.path.realpath(path), root)
        if rel == ".." or rel.startswith(".." + os.sep):
            raise MoveError(f"{path} is outside the site at {root}")
        rels.append(rel.replace(os.sep, "/"))
    return root, rels[0], rels[1]


def plan_move(root: str, old: str, new: str, permalink: str | None = None) -> "Plan":
    """The plan of moving ``old`` to ``new`` (paths relative to ``root``)."""
    from naislint.site.index import SiteIndex
    from naislint.site.moves import plan_moves
    from naislint.site.references import ReferenceIndex

    site = SiteIndex.build(root)
    refs = ReferenceIndex(site)  # no store: a move reads every linking file as it is now
    return plan_moves(refs, {old: new} if old != new else {}, {old: permalink} if permalink else None)


def apply(root: str, plan: "Plan", dry_run: bool = False) -> MoveResult:
    """Write a plan to disk (see the module doc); nothing when it has refusals."""
    from naislint.page.document import UnreadableFile, read_bytes
    from naislint.run.fix import FileChanged, encode, write_atomic
    from naislint.page.positions import LineTable
    from naislint.page.text import DecodeProblem, decode

    result = MoveResult(root, plan)
    if plan.refusals:
        return result
    new_contents: dict[str, tuple[bytes, bytes]] = {}
    for rel, edits in plan.by_file().items():
        path = os.path.join(root, rel)
        try:
            raw = read_bytes(path, within=root)
            decoded = decode(raw)
        except (UnreadableFile, DecodeProblem, OSError) as exc:
            result.problems.append(f"{rel}: cannot be read to edit its links: {getattr(exc, 'message', exc)}")
            continue
        text = decoded.text
        table = LineTable(text)
        for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
            start = table.offset_of(edit.line, edit.column)
            end = max(start, table.offset_of(edit.end_line, edit.end_column))
            text = text[:start] + edit.text + text[end:]
        new_contents[rel] = (raw, encode(text, decoded.has_bom))
    if result.problems or dry_run:
        return result
    moved = dict(plan.moves)
    result.git = bool(plan.moves) and all(_git_tracked(root, old) for old, _new in plan.moves)
    for old, new in plan.moves:
        target = os.path.join(root, new)
        os.makedirs(os.path.dirname(target) or root, exist_ok=True)
        if result.git:
            done = subprocess.run(["git", "mv", "--", old, new], cwd=root, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, check=False)
            if done.returncode != 0:
                raise MoveError(f"git mv {old} {new} failed: {done.stderr.strip()}")
        else:
            os.rename(os.path.join(root, old), target)
    for rel, (raw, data) in sorted(new_contents.items()):
        path = os.path.join(root, moved.get(rel, rel))
        try:
            write_atomic(path, data, raw)
        except (FileChanged, OSError) as exc:
            result.problems.append(f"{rel}: not written: {exc}")
            continue
        result.written.append(rel)
    return result


def _git_tracked(root: str, rel: str) -> bool:
    """Whether git tracks ``rel`` in a work tree holding the site (``git mv`` can move it)."""
    try:
        done = subprocess.run(["git", "ls-files", "--error-unmatch", "--", rel], cwd=root, capture_output=True,
                              stdin=subprocess.DEVNULL, check=False)
    except OSError:
        return False
    return done.returncode == 0


def report(result: MoveResult, dry_run: bool = False) -> str:
    """The move in words: the file, the URL, every link edited (or why nothing was)."""
    plan = result.plan
    lines = []
    if plan.refusals:
        lines.append("naislint: nothing moved or written:")
        for r in plan.refusals:
            where = f"{r.path}:{r.line}:{r.column}" if r.line else r.path or "move"
            lines.append(f"  {where}: {r.message}")
        return "\n".join(lines) + "\n"
    if result.problems:
        lines.append("naislint: " + ("nothing moved or written:" if not result.written else "some files were not written:"))
        lines.extend(f"  {p}" for p in result.problems)
    verb = "would move" if dry_run else "moved"
    for old, new in plan.moves:
        lines.append(f"{verb} {old} -> {new}" + (" (git mv)" if result.git else ""))
    for rel, (before, after) in sorted(plan.urls.items()):
        lines.append(f"URL of {rel}: {before} -> {after}")
    files = plan.by_file()
    links = [e for e in plan.edits if e.kind == "link"]
    lines.append(f"{'would update' if dry_run else 'updated'} {len(links)} link{'s' if len(links) != 1 else ''} "
                 f"in {len({e.path for e in links})} file{'s' if len({e.path for e in links}) != 1 else ''}")
    for rel, edits in files.items():
        for e in edits:
            what = "" if e.kind == "link" else e.kind + " "
            lines.append(f"  {rel}:{e.line}:{e.column}: {what}{e.old or '(new line)'} -> {e.text.rstrip()}")
    return "\n".join(lines) + "\n"
