"""What the reverse link index is built from: files that hold links, and each link in them.

A link source is a kind of file (markdown pages, data files ...) and a way to list the
links written in one of them with their positions; :mod:`naislint.site.references`
gathers every source's links into one reverse index, and the edits of a move or rename
are made at these positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Protocol

if TYPE_CHECKING:
    from naislint.site.index import SiteIndex


#: Where a link destination's last segment may start in a file's text (after ``/``, ``(``,
#: a quote, ``<``, ``=`` or ``]:``), and the characters that end it (besides white space
#: and a ``.`` before an extension): the one description of "could link to" that the
#: reference search's text filter and the kept index's destination words share.
DESTINATION_START = r"(?:[/(\"'<=]|\]:\s*)"
DESTINATION_END = "/#?)\"'>"


@dataclass(frozen=True, slots=True)
class LinkOccurrence:
    """One link written in a file of the site, as a link source reports it.

    ``path`` is the file (relative to the site root, ``/``-separated); ``line``,
    ``column``, ``end_line``, ``end_column`` the span of the link's text (1-based, columns
    in code points, end exclusive), and ``target`` that text: the link as the file writes
    it. ``kind`` is ``link`` or ``image`` (a URL) or ``file`` (a path to a file of the
    site, such as a ``collection.yml`` ``order:`` entry). ``base`` is where a relative
    target starts: for a URL, the URL it is read from (a page's own URL; ``/`` for a data
    file); for a ``file``, the folder (relative to the root) the path is relative to.
    ``editable`` is false when the text at the span is not ``target`` itself (an entity or
    a backslash escape in it): an edit could not rewrite it safely.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    target: str
    kind: str = "link"
    base: str = "/"
    editable: bool = True
    #: Where the link was written (``markdown``, ``definition``, ``html``, ``front-matter``,
    #: ``data``), for messages.
    source: str = ""


class LinkSource(Protocol):
    """A kind of file that holds links (pages, data files ...)."""

    def files(self, site: "SiteIndex") -> Iterable[str]:
        """The files (relative to the root) whose links this source reads."""
        ...

    def occurrences(self, site: "SiteIndex", rel: str, text: str) -> list[LinkOccurrence]:
        """Every link of file ``rel`` whose content is ``text``."""
        ...
