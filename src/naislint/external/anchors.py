"""Fragment targets of an external HTML page, and whether a ``#fragment`` finds one.

A browser scrolls to the element whose ``id`` equals the fragment, else to an ``<a>``
whose ``name`` does (HTML living standard, "find a potential indicated element"). The
standard library's tolerant parser is enough to list them; no DOM is built.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote


class _AnchorCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)

    handle_startendtag = handle_starttag


def page_anchors(html: str) -> frozenset[str]:
    """Every ``id`` and ``<a name>`` of a page; never raises on malformed HTML."""
    parser = _AnchorCollector()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError, IndexError):
        pass
    return frozenset(parser.ids)


def fragment_is_checkable(fragment: str) -> bool:
    """False for fragments that name no element by design.

    ``#`` and ``#top`` scroll to the top of any page; ``#/path`` and ``#!path`` are
    client-side routes of script-driven pages; ``#:~:text=`` is a text fragment.
    """
    if not fragment or fragment.lower() == "top":
        return False
    if fragment[0] in "/!" or fragment.startswith(":~:"):
        return False
    return True


def fragment_found(fragment: str, anchors: frozenset[str]) -> bool:
    """Whether a page with ``anchors`` has the element ``#fragment`` points at.

    The fragment is tried as written and percent-decoded (as browsers do). Pages rendered
    by GitHub prefix heading ids with ``user-content-`` and map the bare fragment in
    script, so the prefixed id counts too. A text directive after ``:~:`` is ignored.
    """
    fragment = fragment.split(":~:", 1)[0]
    if not fragment_is_checkable(fragment):
        return True
    for candidate in (fragment, unquote(fragment)):
        if candidate in anchors or f"user-content-{candidate}" in anchors:
            return True
    return False
