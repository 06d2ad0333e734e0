"""Whole YAML files (``_config.yml``, ``collection.yml``, YAML schemas), read as safely as
front matter.

A site's YAML files come from the same authors and CMS as its pages, so they get the same
guarded loader (:func:`naislint.page.frontmatter._load`): aliases may not expand past a bound
(a "billion laughs" file would otherwise take minutes and gigabytes as soon as anything
walks or serialises the data), nesting may not pass a depth, and no tag runs code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from naislint.page.frontmatter import FrontMatter


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """Why a YAML file could not be read, at a 1-based line and column of the file."""

    message: str
    line: int
    column: int


def document(text: str) -> "FrontMatter":
    """A whole YAML file parsed as a front matter block that starts on line 1: its data,
    its error, and its nodes with their positions (for messages that name a line)."""
    from naislint.page import frontmatter

    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    fm = frontmatter.FrontMatter(block=frontmatter.Block(text, 0, 1, None, len(text)))
    frontmatter._load(fm, text)
    return fm


def parse(text: str, name: str) -> tuple[Any, YamlProblem | None]:
    """The data of a YAML document, or ``None`` and the problem; ``name`` is how messages
    call the file (``_config.yml``)."""
    fm = document(text)
    if fm.error is None:
        return fm.data, None
    message = fm.error.message.replace("; Jekyll will drop the whole block", "").replace("front matter", name)
    return None, YamlProblem(message, fm.error.line, fm.error.column)


#: A site's YAML file larger than this is not read (real ones are a few kilobytes).
MAX_BYTES = 4 * 1024 * 1024


def read(path: str, name: str, within: str | None = None) -> tuple[Any, YamlProblem | None]:
    """:func:`parse` of a file; a file that cannot be read or decoded is a problem at 1:1.

    Read through :func:`naislint.page.safeopen.read_regular`: a pipe or device in its place
    is refused without blocking, and with ``within`` (the site root) so is a link out of
    it."""
    from naislint.page.safeopen import read_regular

    try:
        text = read_regular(path, within, MAX_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return None, YamlProblem(f"{name} cannot be read: {reason}", 1, 1)
    return parse(text, name)
