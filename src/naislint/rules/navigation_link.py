"""NL802 navigation-link: a navbar entry whose ``collection:`` or ``resource_room:`` leads nowhere.

A navbar link (``_data/navigation.yml``, or the footer's own ``navlinks``) written
``collection: <name>`` goes to the first page of that collection, and lists its pages
below it. The link leads nowhere when no collection has that name (a typo, a folder
renamed), when the collection has no ``output: true`` (Jekyll publishes none of its
pages), or when it has no published page at all. ``resource_room: true`` goes to the
resource room named by ``resources_name`` in ``_config.yml``: without that setting, or
without the folder, the link leads nowhere. (A link's ``url`` is checked by broken-link.)
"""

from __future__ import annotations

import difflib
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
    if data is None or data.kind not in ("navigation", "footer") or data.yaml.root is None:
        return
    key = "links" if data.kind == "navigation" else "navlinks"
    found = datafiles.get(data.yaml.root, key)
    if found is None:
        return
    for link in datafiles.items(found[1]):
        collection = datafiles.get(link, "collection")
        if collection is not None:
            name = datafiles.scalar(collection[1])
            if name is not None and name.strip():
                problem = _collection_problem(site, name.strip())
                if problem is not None:
                    yield Finding(data.yaml.span_of(collection[1]), problem)
            continue
        room = datafiles.get(link, "resource_room")
        if room is not None and room[1].value in ("true", "True", "TRUE") and getattr(room[1], "tag", "").endswith("bool"):
            problem = _resource_room_problem(site)
            if problem is not None:
                yield Finding(data.yaml.span_of(room[1]), problem)


def _collection_problem(site: Any, name: str) -> str | None:
    """Why a navbar link to collection ``name`` leads nowhere, or ``None``."""
    collections = {c: meta for c, meta in site.collections.items() if c != "posts"}
    if name not in collections:
        message = f"collection {name!r} is not a collection of this site (no _{name}/collection.yml, nor in _config.yml), so this navbar link leads nowhere"
        close = difflib.get_close_matches(name, list(collections), n=1, cutoff=0.6)
        if close:
            message += f"; did you mean {close[0]!r}?"
        return message
    if not collections[name].get("output"):
        return (f"collection {name!r} has no 'output: true', so Jekyll publishes none of its pages and this navbar "
                "link leads nowhere")
    prefix = f"_{name}/"
    if not any(rel.startswith(prefix) for rel in site.pages):
        return f"collection {name!r} has no published page, so this navbar link leads nowhere"
    return None


def _resource_room_problem(site: Any) -> str | None:
    from naislint import jekyll

    raw = jekyll.load(site.root).raw
    room = raw.get("resources_name")
    if not isinstance(room, str) or not room.strip():
        return "resource_room: true leads to the resource room, but _config.yml sets no resources_name"
    room = room.strip().strip("/")
    if not any(rel.startswith(room + "/") for rel in list(site.pages) + list(site.unpublished)):
        return f"resource_room: true leads to the resource room {room!r} (resources_name), but the site has no pages in {room}/"
    return None


RULE = Rule(
    code="NL802",
    name="navigation-link",
    summary="A navbar link whose collection is missing or not published, or whose resource room does not exist",
    check=check,
    default_severity=Severity.ERROR,
    needs_site=True,
    files=frozenset({"data"}),
)
