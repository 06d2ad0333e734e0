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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from naislint.globmatch import matches_any

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
        from pathlib import PurePosixPath  # rare: pathlib costs a warm run 7 ms to import

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


#: Front matter only the Isomer CMS writes: ``variant`` names the editor it opens the page
#: in (``markdown`` or ``tiptap``), ``third_nav_title`` a sub-collection's heading.
ISOMER_CMS_VARIANTS = frozenset({"markdown", "tiptap"})


def written_by_isomer_cms(meta: Any) -> bool:
    """Whether a page's front matter is the Isomer CMS's own, so that a page linted away
    from its site (downloaded, pasted into an issue) is still judged as an Isomer page."""
    if not isinstance(meta, dict):
        return False
    return meta.get("variant") in ISOMER_CMS_VARIANTS or "third_nav_title" in meta


@dataclass(frozen=True)
class PagePlace:
    """Where a page sits, as the run found it: its site root (``None``: in no site), its
    path relative to that root (or to the configuration's folder), the preset of its site,
    and the configuration's ``front-matter`` section with the folder its paths are
    relative to. Rules get it through their context; nothing here reads a config."""

    site_root: str | None
    relpath: str
    preset: str | None = None
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    config_folder: str | None = None
    #: Whether the configuration names the preset (``preset:``), rather than the run
    #: choosing it for the site: a page in no site is a Jekyll page only when it does.
    preset_named: bool = False

    @property
    def isomer(self) -> bool:
        """An Isomer site: the preset says so, else its ``_config.yml`` does."""
        if self.preset is not None:
            return self.preset == "isomer"
        if self.site_root is None:
            return False
        from naislint.jekyll.config import load

        return load(self.site_root).isomer

    @classmethod
    def of_path(cls, path: str) -> "PagePlace":
        """The place of a file linted on its own, outside a run: its site found upward
        from its path, with no configuration."""
        from naislint.jekyll.config import find_site_root
        from naislint.jekyll.entries import relative_to

        root = None if path in ("<stdin>", "") or not os.path.exists(path) else find_site_root(path)
        return cls(root, relative_to(path, root))


def choose(doc: "Document", place: PagePlace) -> SchemaChoice:
    """The schema that applies to ``doc``: config glob, config kind, or the built-in.

    Worked out once per document: more than one rule asks."""
    return doc.memo("pagekinds.choose", lambda: _choose(doc, place))


def _choose(doc: "Document", place: PagePlace) -> SchemaChoice:
    root, rel = place.site_root, place.relpath
    kind = detect(rel, doc.meta.get("layout"), place.isomer)
    settings = place.front_matter or {}
    base = place.config_folder or root or os.getcwd()
    for index, item in enumerate(settings.get("schemas") or []):
        if not isinstance(item, dict) or "schema" not in item:
            continue
        files = item.get("files", "**")
        globs = [files] if isinstance(files, str) else list(files)
        if matches_any(rel.replace(os.sep, "/"), globs):
            return _resolve(str(item["schema"]), kind, base, f"front-matter.schemas[{index}]", root)
    kinds = settings.get("kinds") or {}
    if isinstance(kinds, dict) and kind in kinds:
        return _resolve(str(kinds[kind]), kind, base, f"front-matter.kinds.{kind}", root)
    return _BUILTIN_CHOICES[kind]


#: The choice of each kind when the config does not override it.
_BUILTIN_CHOICES = {kind: SchemaChoice(kind, schema, True, "built-in") for kind, (schema, _label) in KINDS.items()}


def schema_folders(root: str | None, base: str) -> tuple[str, ...]:
    """The folders a user schema may be in: the site root and the config's folder."""
    return tuple(dict.fromkeys(os.path.abspath(f) for f in (root, base) if f))


def _resolve(value: str, kind: str, base: str, source: str, root: str | None = None) -> SchemaChoice:
    """A config value names a built-in kind (``isomer-post``) or a schema file."""
    if value in KINDS:
        return SchemaChoice(value, KINDS[value][0], True, source)
    path = value if os.path.isabs(value) else os.path.normpath(os.path.join(base, value))
    return SchemaChoice(kind, path, False, source, schema_folders(root, base))
