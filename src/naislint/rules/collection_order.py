"""NL803 collection-order: a collection's ``order:`` that does not match its files.

``_<name>/collection.yml`` lists the collection's files under ``order:``. Jekyll 4 sorts
the collection's pages by it (``Collection#rearrange_docs!``): the listed pages first, in
that order, then every page the list leaves out, by path; Isomer's side navigation, navbar
dropdown and footer list all of them in that order. The Isomer CMS writes the list, and
builds its view of the folder from the list alone (``.keep`` entries place a
sub-collection's heading there). Reported: an entry naming no file of the folder (the
CMS wrote the list before the page, or the page was renamed or deleted; Jekyll drops it,
the CMS shows a page that cannot be opened), with the file probably meant; an entry
listed twice; and a published page of the collection that the list leaves out (editors
do not see it in the CMS, and visitors find it at the end of the side navigation, in an
order nobody chose). Entries match whole paths, case and spaces included: ``a.md`` does
not stand for ``data.md``.
"""

from __future__ import annotations

import difflib
import posixpath
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    site = ctx.site
    if site is None:
        return
    from naislint.jekyll import datafiles

    data = datafiles.load(doc)
    if data is None or data.kind != "collection" or data.yaml.root is None:
        return
    collections = datafiles.get(data.yaml.root, "collections")
    if collections is None:
        return
    for name_node, meta in datafiles.mapping_items(collections[1]):
        order = datafiles.get(meta, "order")
        if order is None:
            continue
        yield from _check_order(data, site, ctx.relpath, str(name_node.value), order)


def _check_order(data: Any, site: Any, rel: str, name: str, order: tuple[Any, Any]) -> Iterator[Finding]:
    from naislint.jekyll import datafiles

    folder = posixpath.dirname(rel)

    key_node, list_node = order
    prefix = folder + "/"
    own = rel
    files = sorted(r[len(prefix):] for r in site.all_files if r.startswith(prefix) and r != own)
    existing = set(files)
    seen: dict[str, int] = {}
    listed: set[str] = set()
    for item in datafiles.items(list_node):
        entry = datafiles.scalar(item)
        if entry is None:
            continue  # not text: data-file-schema reports it
        span = data.yaml.span_of(item)
        if item.style in ("'", '"') and span.line == span.end_line:
            span = type(span)(span.line, span.column + 1, span.end_line, max(span.column + 1, span.end_column - 1))
        if entry in seen:
            yield Finding(span, f"{entry!r} is listed twice in order (first on line {seen[entry]}); Jekyll keeps the first place, "
                                "and the Isomer CMS shows the list as written")
            continue
        seen[entry] = span.line
        listed.add(entry)
        if entry in existing:
            continue
        message = (f"order lists {entry!r}, which is not a file of {folder}/: Jekyll drops the entry, and the Isomer "
                   "CMS lists a page that cannot be opened")
        guess = _guess(entry, [f for f in files if f not in seen])
        if guess is not None:
            message += f"; did you mean {guess!r}?"
        yield Finding(span, message)
    key_span = data.yaml.span_of(key_node)
    unlisted = sorted(rel[len(prefix):] for rel in site.pages if rel.startswith(prefix) and rel[len(prefix):] not in listed
                      and rel not in site.redirecting)
    for page in unlisted:
        yield Finding(key_span, f"the page {folder}/{page} is not in the order of collection {name!r}: the Isomer "
                                "CMS builds the folder's list from order alone, so editors do not see the page "
                                "there, and the site shows it after the listed pages, in an order nobody chose")


def _guess(entry: str, candidates: list[str]) -> str | None:
    """The file an order entry probably means: another case, the same name in another
    folder, or a close spelling."""
    folded = entry.casefold()
    for c in candidates:
        if c.casefold() == folded:
            return c
    base = posixpath.basename(entry)
    moved = [c for c in candidates if posixpath.basename(c) == base]
    if moved:
        return moved[0]
    close = difflib.get_close_matches(entry, candidates, n=1, cutoff=0.75)
    return close[0] if close else None


RULE = Rule(
    code="NL803",
    name="collection-order",
    summary="A collection.yml order entry naming no file, listed twice, or a page the order leaves out",
    check=check,
    default_severity=Severity.WARNING,
    needs_site=True,
    files=frozenset({"data"}),
)
