"""What rules may ask of a site: the queries of the site index, declared in one place.

Rules receive the index through :class:`naislint.registry.RuleContext` typed as this
protocol, so the questions a rule can ask are written down, and a test double or another
index (the language server's) only has to answer these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from naislint.site.index import Target


class SiteView(Protocol):
    """The published site as Jekyll would build it: URLs, files, anchors, redirects."""

    #: The site's folder (real path).
    root: str
    #: ``baseurl`` of ``_config.yml`` ("" when unset).
    baseurl: str
    #: rel path of every published page -> its URL.
    pages: dict[str, str]
    #: rel path of a page that declares ``permalink`` -> the line of that key.
    permalink_lines: dict[str, int]
    #: rel path of a page that exists but is not published -> its URL.
    unpublished: dict[str, str]
    #: rel path of an unpublished page -> why Jekyll does not publish it.
    unpublished_reason: dict[str, str]
    #: URL key -> rel path of the unpublished page there.
    unpublished_keys: dict[str, str]
    #: rel paths of pages that redirect elsewhere (``redirect_to``).
    redirecting: set[str]
    #: rel path of a published page -> the URLs jekyll-redirect-from writes a redirect
    #: page at for it (its ``redirect_from``).
    redirects: dict[str, list[str]]
    #: rel path of every file under the root, published or not.
    all_files: set[str]
    #: collection name -> its metadata (``output``, ``permalink``).
    collections: dict[str, dict]

    def url_of(self, rel: str, meta: dict) -> str | None:
        """The URL page ``rel`` is published at, given its front matter."""

    def is_published(self, rel: str, meta: dict) -> bool:
        """Whether Jekyll publishes page ``rel`` with this front matter."""

    def link_tag_url(self, path: str) -> str | None:
        """The URL ``{% link path %}`` gives, or ``None`` when Jekyll would fail the build."""

    def post_url(self, name: str) -> str | None:
        """The URL ``{% post_url name %}`` gives."""

    def pages_at(self, url: str) -> list[str]:
        """rel paths of the published pages at ``url``."""

    def rel(self, path: str) -> str | None:
        """A file system path relative to the site, or ``None`` outside it."""

    def page_url(self, path: str) -> str | None:
        """The URL of the page at a file system path."""

    def lookup(self, url: str) -> "Target | None":
        """What a decoded absolute URL path resolves to."""

    def source(self, page_rel: str | None, link_path: str) -> str | None:
        """The source file a link to a ``.md`` path names, relative to the linking page."""

    def suggest(self, url: str) -> str | None:
        """The nearest published URL, for "did you mean"."""

    def is_blind(self, url: str) -> bool:
        """Whether the URL lies in a folder the index could not read."""

    def anchors_of(self, rel: str) -> list[str]:
        """The anchors page ``rel`` has."""

    def same_title(self, rel: str, title: str) -> list[str]:
        """Other published pages of page ``rel``'s collection or folder with this title."""
