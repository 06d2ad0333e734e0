"""Which kind of page a document is, and so which front matter schema applies.

Isomer decides what a page is by where it lives and by its ``layout``: a file in
``pages/`` is a simple page, ``_<collection>/x.md`` a collection page,
``_<collection>/<sub>/x.md`` a sub-collection page (grouped under ``third_nav_title``),
``<room>/<category>/_posts/YYYY-MM-DD-x.md`` a resource post, ``index.md`` with
``layout: homepage`` the homepage and ``layout: contact_us`` the contact page. A page
whose layout naislint does not model (``search``, a site's own layout) gets the generic
Jekyll schema, as does every page of a site that is not an Isomer site.

The config may override the choice per glob, or replace the schema of a kind::

    front-matter:
      schemas:
        - files: "news/**"            # glob(s), relative to the site root
          schema: my-news.schema.json # a file next to the config, or a built-in kind
      kinds:
        isomer-post: my-post.schema.json

A user schema may replace a built-in one outright, or extend it with
``{"allOf": [{"$ref": "isomer-post.schema.json"}], ...}``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from naislint.page.document import Document

#: Built-in kinds: name -> (schema file, plain words for messages).
KINDS: dict[str, tuple[str, str]] = {
    "isomer-page": ("isomer-page.schema.json", "simple page"),
    "isomer-collection-page": ("isomer-collection-page.schema.json", "collection page"),
    "isomer-subcollection-page": ("isomer-subcollection-page.schema.json", "sub-collection page"),
    "isomer-post": ("isomer-post.schema.json", "resource post"),
    "isomer-homepage": ("isomer-homepage.schema.json", "homepage"),
    "isomer-contact-page": ("isomer-contact-page.schema.json", "contact page"),
    "jekyll-page": ("jekyll-page.schema.json", "page"),
}

#: Layouts of the Isomer template whose front matter naislint models.
PAGE_LAYOUTS = frozenset({"page", "simple-page", "leftnav-page", "leftnav-page-content"})
POST_LAYOUTS = frozenset({"post", "file", "link"})
CONTACT_LAYOUTS = frozenset({"contact_us", "contact-us"})
#: Underscore folders that are not collections.
SPECIAL_FOLDERS = frozenset({"_posts", "_drafts", "_data", "_includes", "_layouts", "_sass", "_site", "_plugins"})
#: Folders whose markdown is never a page (fragments included by layouts, data).
NON_PAGE_FOLDERS = frozenset({"_includes", "_layouts", "_data", "_sass", "_plugins", "_site"})


@dataclass(frozen=True)
class SchemaChoice:
    """The schema for one document: a built-in file name or a user file's absolute path.

    ``kind`` is the detected page kind (a key of :data:`KINDS`) even when the config
    replaced its schema; ``source`` says why this schema was chosen, for messages.
    """

    kind: str
    schema: str
    builtin: bool
    source: str
    #: Where a user schema and what its ``$ref`` reaches must be: the site root and the
    #: config's folder (nothing is read outside them).
    within: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return KINDS.get(self.kind, ("", "page"))[1]


def user_schemas(front_matter: Any, base: str, root: str | None) -> list[tuple[list, SchemaChoice]]:
    """Every user schema file a ``front-matter`` config section names, with its key path
    (for messages): the config loader checks each once, before any page is linted."""
    if not isinstance(front_matter, dict):
        return []
    named: list[tuple[list, str]] = []
    for index, item in enumerate(front_matter.get("schemas") or []):
        if isinstance(item, dict) and isinstance(item.get("schema"), str):
            named.append((["front-matter", "schemas", index, "schema"], item["schema"]))
    kinds = front_matter.get("kinds") or {}
    if isinstance(kinds, dict):
        named.extend((["front-matter", "kinds", kind], value) for kind, value in kinds.items() if isinstance(value, str))
    found = []
    for keys, value in named:
        choice = _resolve(value, "jekyll-page", base, ".".join(map(str, keys[:-1] if keys[-1] == "schema" else keys)), root)
        if not choice.builtin:
            found.append((keys, choice))
    return found


def detect(relpath: str, layout: Any, isomer: bool) -> str:
    """The page kind of a file at ``relpath`` (relative to the site root, ``/``-separated)."""
    if not isomer:
        return "jekyll-page"
    layout = layout if isinstance(layout, str) else None
    parts = _parts(relpath)
    if layout == "homepage" or (relpath == "index.md" and layout in (None, "homepage")):
        return "isomer-homepage"
    if layout in CONTACT_LAYOUTS:
        return "isomer-contact-page"
    if "_posts" in parts[:-1]:
        return "isomer-post" if layout is None or layout.lower() in POST_LAYOUTS else "jekyll-page"
    if layout is not None and layout not in PAGE_LAYOUTS:
        return "jekyll-page"
    first = parts[0] if len(parts) > 1 else ""
    if first.startswith("_") and first not in SPECIAL_FOLDERS:
        return "isomer-collection-page" if len(parts) == 2 else "isomer-subcollection-page"
    return "isomer-page"


def _parts(relpath: str) -> tuple[str, ...]:
    """``PurePosixPath(relpath).parts``, without building a path for a plain relative one."""
    parts = relpath.split("/")
    if "" in parts or "." in parts:
        return PurePosixPath(relpath).parts
    return tuple(parts)


#: Isomer's media folders: what the CMS uploads there is served as is, never rendered.
ISOMER_MEDIA_FOLDERS = frozenset({"images", "files"})


def is_page_path(relpath: str, isomer: bool = False) -> bool:
    """False for markdown Jekyll never renders as a page (includes, layouts, data), and
    on Isomer sites for files in the media folders."""
    parts = _parts(relpath)
    if isomer and len(parts) > 1 and parts[0] in ISOMER_MEDIA_FOLDERS:
        return False
    return not any(part in NON_PAGE_FOLDERS for part in parts[:-1])


def site_root_of(doc: "Document") -> str | None:
    """The document's site root: set by the engine, else found from its path."""
    root = getattr(doc, "site_root", None)
    if root is not None:
        return root
    if doc.path in ("<stdin>", "") or not os.path.exists(doc.path):
        return None
    from naislint import jekyll

    return jekyll.find_site_root(doc.path)


def relpath_of(doc: "Document", root: str | None) -> str:
    from naislint.jekyll.entries import relative_to

    return relative_to(doc.path, root)


def config_of(doc: "Document", root: str | None) -> Any:
    """The run's Config for the document (set by the engine), else the one found upward."""
    config = getattr(doc, "config", None)
    if config is not None:
        return config
    return _config_for(root or os.getcwd())


def _config_for(base: str) -> Any:
    cache = _CONFIG_CACHE
    if base not in cache:
        from naislint.config.loader import ConfigError, config_for_root

        try:
            cache[base] = config_for_root(base)
        except ConfigError:
            cache[base] = None
    return cache[base]


_CONFIG_CACHE: dict[str, Any] = {}


def is_isomer(config: Any, root: str | None) -> bool:
    preset = getattr(config, "preset", None)
    if preset is not None:
        return preset == "isomer"
    if root is None:
        return False
    from naislint import jekyll

    return jekyll.load(root).isomer


def choose(doc: "Document") -> SchemaChoice:
    """The schema that applies to ``doc``: config glob, config kind, or the built-in.

    Worked out once per document: more than one rule asks."""
    return doc.memo("pagekinds.choose", lambda: _choose(doc))


def _choose(doc: "Document") -> SchemaChoice:
    root = site_root_of(doc)
    rel = relpath_of(doc, root)
    config = config_of(doc, root)
    kind = detect(rel, doc.meta.get("layout"), is_isomer(config, root))
    settings = getattr(config, "front_matter", None) or {}
    for index, item in enumerate(settings.get("schemas") or []):
        if not isinstance(item, dict) or "schema" not in item:
            continue
        files = item.get("files", "**")
        globs = [files] if isinstance(files, str) else list(files)
        from naislint.config.loader import _matches_any

        if _matches_any(rel, globs):
            return _resolve(str(item["schema"]), kind, _config_base(config, root), f"front-matter.schemas[{index}]", root)
    kinds = settings.get("kinds") or {}
    if isinstance(kinds, dict) and kind in kinds:
        return _resolve(str(kinds[kind]), kind, _config_base(config, root), f"front-matter.kinds.{kind}", root)
    return _BUILTIN_CHOICES[kind]


#: The choice of each kind when the config does not override it.
_BUILTIN_CHOICES = {kind: SchemaChoice(kind, schema, True, "built-in") for kind, (schema, _label) in KINDS.items()}


def _config_base(config: Any, root: str | None) -> str:
    """The folder a config's schema paths are relative to."""
    return os.path.dirname(os.path.abspath(config.path)) if getattr(config, "path", None) else (root or os.getcwd())


def schema_folders(root: str | None, base: str) -> tuple[str, ...]:
    """The folders a user schema may be in: the site root and the config's folder."""
    return tuple(dict.fromkeys(os.path.abspath(f) for f in (root, base) if f))


def _resolve(value: str, kind: str, base: str, source: str, root: str | None = None) -> SchemaChoice:
    """A config value names a built-in kind (``isomer-post``) or a schema file."""
    if value in KINDS:
        return SchemaChoice(value, KINDS[value][0], True, source)
    path = value if os.path.isabs(value) else os.path.normpath(os.path.join(base, value))
    return SchemaChoice(kind, path, False, source, schema_folders(root, base))
