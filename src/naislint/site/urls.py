"""URLs as a Jekyll site serves them: classify a link, strip Liquid, resolve, normalise.

Everything here is a pure function of strings, so the rules and the index agree on one
meaning of "the same URL": percent-decoded, without query string, with or without the
trailing slash, ``/x/index.html`` the same as ``/x/``, and ``/x.html`` the same as ``/x``
(Jekyll writes a permalink ``/x`` to ``x.html`` and the hosts Isomer uses serve it at both).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

#: ``scheme:`` at the start of a URL (``mailto:``, ``tel:``, ``https:``, ``javascript:`` ...).
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
#: ``{{ site.baseurl }}`` (also ``site.url``), which Isomer sites set to "" or the host.
BASEURL_RE = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
#: ``{{ '/x' | relative_url }}``, ``{{ "/x" | absolute_url }}``, ``{{ '/x' | prepend: site.baseurl }}``.
FILTER_RE = re.compile(
    r"\{\{-?\s*(['\"])(?P<url>[^'\"]*)\1\s*\|\s*"
    r"(?P<filter>relative_url|absolute_url|prepend:\s*site\.baseurl)\s*-?\}\}"
)
#: ``{% link path %}`` and ``{% post_url name %}``: Jekyll tags that name a file of the
#: site and give its URL (the build stops when there is none).
LINK_TAG_RE = re.compile(r"\{%-?[ \t]*(?P<tag>link|post_url)[ \t]+(?P<arg>[^%{}]*?)[ \t]*-?%\}")
LIQUID_RE = re.compile(r"\{\{|\{%")

#: Fragments the browser handles without an element: the top of the page.
SPECIAL_FRAGMENTS = frozenset({"", "top"})


@dataclass(frozen=True, slots=True)
class Link:
    """A link split for checking.

    ``kind`` is ``internal`` (a path on this site, maybe with a fragment), ``fragment``
    (only ``#x``, on the same page), ``external`` (a scheme or ``//host``), ``liquid``
    (a template expression we cannot evaluate) or ``empty``. ``path`` is the raw path
    part (not decoded), ``fragment`` the decoded fragment or ``None`` when absent.
    """

    kind: str
    path: str = ""
    fragment: str | None = None


def classify(url: str, baseurl: str = "") -> Link:
    """Split a link destination as written in the source into what the index checks."""
    url = url.strip()
    if not url:
        return Link("empty")
    url = strip_liquid(url)
    if LIQUID_RE.search(url):
        return Link("liquid")
    if url.startswith("//") or SCHEME_RE.match(url):
        return Link("external")
    fragment: str | None = None
    if "#" in url:
        url, fragment = url.split("#", 1)
        fragment = percent_decode(fragment)
    if "?" in url:
        url = url.split("?", 1)[0]
    if baseurl and baseurl != "/" and (url == baseurl or url.startswith(baseurl.rstrip("/") + "/")):
        url = url[len(baseurl.rstrip("/")):] or "/"
    if not url:
        return Link("fragment", "", fragment) if fragment is not None else Link("empty")
    return Link("internal", url, fragment)


def strip_liquid(url: str) -> str:
    """Remove the Liquid that only prefixes the site's base URL."""
    if "{" not in url:
        return url
    url = FILTER_RE.sub(_filtered, url)
    return BASEURL_RE.sub("", url)


def _filtered(m: re.Match) -> str:
    """What a URL filter makes of a quoted path. ``relative_url`` and ``absolute_url``
    join the base URL and the path each with a leading slash (a path without one is
    from the site root, not the page); ``prepend`` only puts the base URL before it."""
    url = m.group("url")
    if m.group("filter").startswith("prepend") or url.startswith("//") or SCHEME_RE.match(url):
        return url
    return "/" + url.lstrip("/") if not url.startswith("/") else url


def resolve(page_url: str, path: str) -> str:
    """The absolute, percent-decoded path a link points to from a page at ``page_url``.

    Relative links resolve against the page's URL as a browser does: from ``/a/b/`` the
    link ``c`` is ``/a/b/c``; from ``/a/b`` (served as ``b.html``) it is ``/a/c``.
    """
    path = percent_decode(path)
    if not path.startswith("/"):
        base = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
        path = base + path
    trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
    norm = posixpath.normpath(path)
    if norm.startswith("//"):
        norm = "/" + norm.lstrip("/")
    if trailing and norm != "/":
        norm += "/"
    return norm


def key(url: str) -> str:
    """The lookup key of a decoded absolute path: the forms a server treats as one page.

    ``/a/``, ``/a``, ``/a/index.html`` and ``/a.html`` all become ``/a``; the root is ``/``.
    """
    if url.endswith("/index.html"):
        url = url[: -len("index.html")]
    elif url.endswith(".html"):
        url = url[: -len(".html")]
    url = url.rstrip("/")
    return url or "/"


def page_dir_url(page_url: str) -> str:
    """The folder URL relative links start from."""
    return page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"


def percent_decode(text: str) -> str:
    """``urllib.parse.unquote(text, errors="replace")``, imported only for a text with a
    ``%`` (the module costs a warm run, which resolves no link, 4 ms to import)."""
    if "%" not in text:
        return text  # what unquote gives back too
    from urllib.parse import unquote

    return unquote(text, errors="replace")
