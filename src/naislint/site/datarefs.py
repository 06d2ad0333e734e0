"""Where a data file's url-like value goes: the site's Liquid decides, not the value.

Isomer's theme prints the values of its own data files (the navbar, the footer, the
homepage and contact data, and the first template's team, board, milestones, programmes
and social links) from the site's root (``{{ site.baseurl }}{{ link.url }}``), so a
value there is a path of the site, read from ``/``. Any other ``_data`` file is the
site's own, and so is the Liquid that prints it: jekyll docs' ``pages/showcase.html``
prints ``image: siteleaf.png`` as ``{{ site.cloudinary_url }}/showcase/siteleaf.png``, a
CDN's address. So for such a file the link rules ask :mod:`naislint.jekyll.templates`
how the files that read it (``site.data.<name>``) print the key:

- whole, where a URL goes (``src="{{ x.image }}"``, ``{{ site.baseurl }}{{ x.image }}``):
  a value from ``/`` is a path of the site; a relative one is read from the page that
  prints it, when that is one page;
- after literal text (``src="/images/{{ x.image }}"``): that text and the value;
- through ``relative_url`` or ``absolute_url``: a path from the site's root;
- joined to another value, changed by a filter, or printed as text: not a path of the
  site, not checked;
- only in tags (a condition, an ``assign``, an include's parameter), or by a file that
  reads every data file (``site.data[page.x]``), or by a theme naislint cannot read: a
  value from ``/`` is checked, a relative one is not (its base is not known);
- by no file at all, or never this key: a value from ``/`` is still checked (a dead path
  in the site's data is something to clean up), but the report says that no page shows
  it today, at a lower severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from naislint.site import urls

if TYPE_CHECKING:
    from naislint.page.document import Document
    from naislint.page.links import LinkRef
    from naislint.site.view import SiteView
    from naislint.site.resolve import Resolution


@dataclass(frozen=True)
class Placement:
    """How a data value is read: whether it is a path of the site at all (``check``),
    the URL to resolve (the value, after what the template writes before it), the page
    it is read from when relative (``page_rel``/``page_url``), how the site prints it
    (``shown``, words for a message) and, when no page shows it, why (``unseen``)."""

    check: bool
    url: str = ""
    page_rel: str | None = None
    page_url: str = "/"
    shown: str | None = None
    unseen: str | None = None


_SKIP = Placement(False)


def placement(doc: "Document", site: "SiteView", isomer: bool, ref: "LinkRef") -> Placement:
    """How the site prints the value of ``ref``, a url-like value of data file ``doc``."""
    value = ref.url.strip()
    kind = getattr(doc, "data_kind", None)
    rel = site.rel(doc.path) if kind == "data" else None
    if kind != "data" or rel is None:
        return Placement(True, value)  # navbar, footer, collection.yml, _config.yml: Isomer's and Jekyll's own
    from naislint.jekyll import datafiles

    if isomer and datafiles.isomer_theme_reads(rel):
        return Placement(True, value)
    rooted = "{%" in value or urls.classify(value, site.baseurl).path.startswith("/")
    context = _context(doc, site, rel, isomer)
    name = datafiles.data_name(rel)
    liquid = context["liquid"]
    uses = liquid.uses(name, ref.attr)
    printed = [u for u in uses if u.how in ("root", "path")]
    if printed:
        return _printed(site, value, rooted, printed)
    if any(u.how in ("built", "text") for u in uses):
        return _SKIP  # the site builds another address from it, or prints it as text
    unknown = (
        bool(uses)  # used in tags only
        or context["hidden_theme"]
        or bool(liquid.computed_data_reads())
        or bool(liquid.printed_whole(name))
    )
    if not rooted:
        return _SKIP  # its base is not known: not a path naislint can read
    if unknown:
        return Placement(True, value)
    readers = liquid.data_readers(name)
    if readers:
        named = ", ".join(readers[:3]) + (f" and {len(readers) - 3} more" if len(readers) > 3 else "")
        one = len(readers) == 1
        unseen = f"{named} read{'s' if one else ''} {rel} but never print{'s' if one else ''} its {ref.attr!r}"
    else:
        unseen = f"no layout, include or page of this site reads {rel} (site.data.{'.'.join(name)})"
    return Placement(True, value, unseen=unseen)


def _printed(site: "SiteView", value: str, rooted: bool, printed: list) -> Placement:
    """The placement of a value the site prints where a URL goes (``root`` or ``path`` uses)."""
    for use in printed:
        if use.how == "root":
            return Placement(True, use.base + value, shown=f"{use.rel} prints it with relative_url")
    for use in printed:
        if use.base.startswith("/"):
            return Placement(True, use.base + value, shown=f"{use.rel} prints it after {use.base!r}")
    if rooted:
        return Placement(True, value, shown=f"{printed[0].rel} prints it")
    for use in printed:
        page_url = site.pages.get(use.rel)
        if page_url is not None:
            how = f"after {use.base!r} " if use.base else ""
            return Placement(True, use.base + value, use.rel, page_url,
                             shown=f"{use.rel} prints it {how}on {page_url}")
    return _SKIP  # a relative value a layout or include prints: read from whichever page shows it


def _context(doc: "Document", site: "SiteView", rel: str, isomer: bool) -> dict[str, Any]:
    """What every value of one data file needs: the site's Liquid, read once per file."""

    def compute() -> dict[str, Any]:
        from naislint import jekyll
        from naislint.jekyll import templates

        raw = jekyll.load(site.root).raw
        theme = any(isinstance(raw.get(k), str) and raw.get(k).strip() for k in ("theme", "remote_theme"))
        return {"liquid": templates.sources(site.root), "hidden_theme": theme and not isomer}

    return doc.memo("site.datarefs", compute)


def resolve(doc: "Document", site: "SiteView", isomer: bool, ref: "LinkRef") -> "tuple[Resolution, Placement] | None":
    """Resolve a data file's value as the site prints it; ``None`` when it is no path of
    the site (an external URL, a value the site builds another address from)."""
    from naislint.site.resolve import resolve_url

    if urls.classify(ref.url, site.baseurl).kind != "internal" and "{%" not in ref.url:
        return None  # external, a fragment alone, Liquid naislint cannot evaluate
    where = placement(doc, site, isomer, ref)
    if not where.check:
        return None
    return resolve_url(site, where.url, where.page_rel, where.page_url), where


def unresolved(
    doc: "Document", site: "SiteView", isomer: bool, role: str, ignore: "tuple[str, ...]"
) -> "Iterator[tuple[LinkRef, Resolution, Placement]]":
    """A data file's values of one role that resolve to nothing, as the site prints them
    (:func:`naislint.site.resolve.unresolved` for pages)."""
    from naislint.globmatch import fnmatch
    from naislint.page.links import page_links

    for ref in page_links(doc):
        if ref.role != role:
            continue
        found = resolve(doc, site, isomer, ref)
        if found is None:
            continue
        res, where = found
        if res.status in ("ok", "skip") or any(fnmatch(res.url, p) for p in ignore):
            continue
        yield ref, res, where


def describe(ref: "LinkRef", res: "Resolution", where: Placement) -> str:
    """A data value as written, plus where the site's Liquid sends it when that is not
    the value itself."""
    shown = f"'{ref.url.strip()}'"
    if where.shown is not None and (where.url != ref.url.strip() or where.page_rel is not None):
        return f"{shown} ({where.shown}: {res.url})"
    if not res.link.path.startswith("/") or "%" in res.link.path:
        shown += f" (resolves to {res.url})"
    return shown


__all__ = ["Placement", "describe", "placement", "resolve", "unresolved"]
