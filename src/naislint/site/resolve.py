"""Where a page's links go: the one place the link rules ask "does this resolve?".

A rule gets, for a :class:`~naislint.page.links.LinkRef`, a :class:`Resolution` saying
whether its URL names a published page or file, which one, and what was probably meant.
The page's own URL comes from its current front matter (an unsaved buffer in an editor
resolves its relative links from the permalink it has now).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from naislint.site import urls

if TYPE_CHECKING:
    from naislint.page.document import Document
    from naislint.site.index import Target
    from naislint.site.view import SiteView
    from naislint.page.links import LinkRef

SOURCE_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class Resolution:
    """``status``: ``ok``, ``missing``, ``unpublished`` or ``skip`` (not checkable)."""

    status: str
    link: urls.Link
    url: str = ""
    target: "Target | None" = None
    suggestion: str | None = None
    unpublished: str | None = None
    #: Why a ``{% link %}`` or ``{% post_url %}`` tag names nothing (its own message).
    reason: str | None = None


def page_context(doc: "Document", site: "SiteView") -> tuple[str | None, str]:
    """(rel path, URL) of the page being linted, from its current front matter."""

    def compute() -> tuple[str | None, str]:
        if getattr(doc, "data_kind", None):
            # A data file is no page: the theme prints its links on pages all over the
            # site, and a relative one is read from the site's root (the homepage).
            return None, "/"
        rel = site.rel(doc.path)  # resolves symbolic links: the dearest step, taken once
        if rel is None:
            return None, "/"
        # site.page_url(doc.path) without finding ``rel`` again.
        url = site.url_of(rel, doc.meta) or site.pages.get(rel) or site.unpublished.get(rel) or "/" + rel
        return rel, url

    return doc.memo("site.page_context", compute)


def page_published(doc: "Document", site: "SiteView") -> bool:
    """Whether Jekyll publishes the page being linted (not with ``published: false``, nor
    in a collection without ``output: true``); a page outside the index counts as published."""
    rel, _url = page_context(doc, site)
    return rel is None or site.is_published(rel, doc.meta)


def resolve(doc: "Document", site: "SiteView", ref: "LinkRef") -> Resolution:
    """Resolve one link of ``doc`` against the site."""
    rel, page_url = page_context(doc, site)
    return resolve_url(site, ref.url, rel, page_url,
                       lambda: rel is not None and not site.is_published(rel, doc.meta))


def resolve_url(
    site: "SiteView", written: str, rel: str | None, page_url: str, unpublished: "Callable[[], bool]" = lambda: False
) -> Resolution:
    """Resolve a link written ``written`` in the file ``rel`` published at ``page_url``.

    The one resolver: :func:`resolve` calls it for a page being linted, and the reverse
    link index for links it read without a :class:`Document` (data files, pages found by
    a reference search). ``unpublished`` says whether the linking page is unpublished
    (asked only for a link to an unpublished page)."""
    from naislint.site.index import Target

    expanded, reason = expand_tags(written, site)
    if reason is not None:
        return Resolution("missing", urls.Link("liquid"), written.strip(), reason=reason)
    link = urls.classify(expanded, site.baseurl)
    if link.kind != "internal":
        return Resolution("skip", link)
    url = urls.resolve(page_url, link.path)
    if url.startswith("/.."):
        return Resolution("missing", link, url)
    target = site.lookup(url)
    if target is not None:
        return Resolution("ok", link, url, target)
    decoded = urls.resolve("/", link.path) if link.path.startswith("/") else None
    if link.path.lower().endswith(SOURCE_SUFFIXES):
        # A link to a markdown source, as jekyll-relative-links rewrites it.
        base = "/" + rel.rsplit("/", 1)[0] + "/" if rel and "/" in rel else "/"
        source = (decoded or urls.resolve(base, link.path)).lstrip("/")
        if source in site.pages:
            return Resolution("ok", link, url, Target("page", source))
    if rel is not None and urls.key(url) == urls.key(page_url):
        return Resolution("ok", link, url, Target("page", rel))  # the page itself
    if site.is_blind(url):
        return Resolution("skip", link, url)  # into a folder the index could not read
    hidden = site.unpublished_keys.get(urls.key(url))
    if hidden is not None:
        if unpublished():
            # Both pages are unpublished alike: the link works wherever they are built.
            return Resolution("ok", link, url, Target("page", hidden))
        return Resolution("unpublished", link, url, unpublished=hidden)
    return Resolution("missing", link, url, suggestion=site.suggest(url))


def expand_tags(url: str, site: "SiteView") -> tuple[str, str | None]:
    """``url`` with each ``{% link %}`` and ``{% post_url %}`` replaced by the URL of the
    file it names, and ``None``; or, when a tag names no file, the reason (Jekyll stops
    the build there). A tag whose argument is itself Liquid is left alone (unknown)."""
    if "{%" not in url:
        return url, None
    out: list[str] = []
    cursor = 0
    for m in urls.LINK_TAG_RE.finditer(url):
        arg = m.group("arg").strip()
        if not arg:
            continue
        found = site.link_tag_url(arg) if m.group("tag") == "link" else site.post_url(arg)
        if found is None:
            what = "file" if m.group("tag") == "link" else "post"
            return url, (f"{{% {m.group('tag')} {arg} %}} names no {what} of this site "
                         f"(Jekyll stops the build: it could not find '{arg}')")
        out.append(url[cursor:m.start()])
        out.append(found)
        cursor = m.end()
    out.append(url[cursor:])
    return "".join(out), None


def unresolved(
    doc: "Document", site: "SiteView", role: str, ignore: "tuple[str, ...]"
) -> "Iterator[tuple[LinkRef, Resolution]]":
    """The page's references of one role (``link`` or ``image``) that resolve to nothing,
    minus those whose resolved path matches an ``ignore`` glob; shared by broken-link and
    missing-image, which differ only in the role they look at and how they say it."""
    from naislint.globmatch import fnmatch
    from naislint.page.links import page_links

    for ref in page_links(doc):
        if ref.role != role:
            continue
        res = resolve(doc, site, ref)
        if res.status in ("ok", "skip"):
            continue
        if any(fnmatch(res.url, p) for p in ignore):
            continue
        yield ref, res


def describe(ref: "LinkRef", res: Resolution) -> str:
    """The link as written, plus where it resolves when that is not obvious."""
    shown = f"'{ref.url.strip()}'"
    path = res.link.path
    if not path.startswith("/") or "%" in path:
        shown += f" (resolves to {res.url})"
    return shown


def anchor_suggestion(fragment: str, anchors: list[str]) -> str | None:
    """The id that was probably meant: another case, the same with dashes, or close."""
    if not anchors:
        return None
    folded = fragment.casefold()
    for a in anchors:
        if a.casefold() == folded:
            return a
    squeezed = _squeeze(folded)
    for a in anchors:
        if _squeeze(a.casefold()) == squeezed:
            return a
    # The closest id, when one is closer than every other: of ids equally close
    # (``#sph`` among ``#sph1`` ... ``#sph8``) any pick would be a guess.
    best = difflib.get_close_matches(fragment, anchors, n=2, cutoff=0.75)
    if not best:
        return None
    if len(best) == 2 and _ratio(fragment, best[0]) == _ratio(fragment, best[1]):
        return None
    return best[0]


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(a)
    matcher.set_seq1(b)
    return matcher.ratio()


def _squeeze(text: str) -> str:
    return re.sub(r"-+", "-", text)


def dashes_differ(a: str, b: str) -> bool:
    return a != b and _squeeze(a) == _squeeze(b)
