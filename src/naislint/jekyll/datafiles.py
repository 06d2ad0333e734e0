"""A site's YAML source that is not a page: ``_data/*.yml``, ``collection.yml``, ``_config.yml``.

An Isomer site's navbar (``_data/navigation.yml``), footer (``_data/footer.yml``), the
order of each collection's side navigation (``_<name>/collection.yml``) and the site's
settings (``_config.yml``) are edited through the CMS or by hand like the pages, and a
defect there shows on every page. Jekyll publishes none of these files: they are read
when the site is built. So they are linted as files of their own kind (``data``), with
their own rules, through the same run as the pages.

This module says which files those are and what kind each is, finds them in a site, and
reads one into a :class:`DataFile`: its YAML with every node's position (the guarded
loader front matter uses, :func:`naislint.yamlfile.document`), so that every report lands
on the YAML key or value it is about.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from naislint.frontmatter import FrontMatter

YAML_SUFFIXES = (".yml", ".yaml")
DATA_FOLDER = "_data"
COLLECTION_FILE = "collection.yml"
SITE_CONFIG = "_config.yml"

#: ``_data/<name>.yml`` files Isomer's theme reads, by kind.
ISOMER_DATA = {
    "navigation": "navigation",
    "footer": "footer",
    "homepage": "homepage",
    "contact-us": "contact-us",
}

#: Kind -> plain words for messages.
LABELS = {
    "navigation": "navigation bar (_data/navigation.yml)",
    "footer": "footer (_data/footer.yml)",
    "homepage": "homepage data (_data/homepage.yml)",
    "contact-us": "contact page data (_data/contact-us.yml)",
    "collection": "collection settings (collection.yml)",
    "config": "site configuration (_config.yml)",
    "data": "data file",
}

#: Keys whose value is a link in a file of one kind only (besides the url-like keys every
#: YAML file of the site has: ``url``, ``*_url``, ``image``, ``logo`` ...): the footer's
#: links to the contact, feedback, FAQ, privacy and terms pages.
EXTRA_LINK_KEYS: dict[str, frozenset[str]] = {
    "footer": frozenset({"contact_us", "feedback", "faq", "privacy", "privacy_policy", "terms_of_use"}),
}
#: Keys of ``_config.yml`` that hold a path on the site (the others are settings: its
#: ``url`` is the site's own address, not a link).
CONFIG_LINK_KEYS = frozenset({"favicon", "shareicon", "logo"})


def kind_of(rel: str) -> str | None:
    """The kind of the file at ``rel`` (``/``-separated, from the site root), or ``None``
    when it is not a data file of the site."""
    if rel == SITE_CONFIG:
        return "config"
    if not rel.endswith(YAML_SUFFIXES):
        return None
    parts = rel.split("/")
    if parts[0] == DATA_FOLDER and len(parts) >= 2:
        if any(p.startswith(".") for p in parts[1:]):
            return None
        if len(parts) == 2:
            stem = parts[1].rsplit(".", 1)[0]
            if stem in ISOMER_DATA:
                return ISOMER_DATA[stem]
        return "data"
    if len(parts) == 2 and parts[1] == COLLECTION_FILE and parts[0].startswith("_") and len(parts[0]) > 1:
        return "collection"
    return None


def kind_of_path(path: str, root: str | None) -> str | None:
    """:func:`kind_of` for a file system path in the site at ``root``."""
    if root is None:
        return None
    absolute = os.path.abspath(path)
    prefix = os.path.abspath(root).rstrip(os.sep) + os.sep
    if not absolute.startswith(prefix):
        real_prefix = os.path.realpath(root).rstrip(os.sep) + os.sep
        absolute = os.path.realpath(path)
        if not absolute.startswith(real_prefix):
            return None
        prefix = real_prefix
    return kind_of(absolute[len(prefix):].replace(os.sep, "/"))


def site_files(root: str) -> Iterator[str]:
    """The data files of the site at ``root`` (full paths), in a stable order:
    ``_config.yml``, each ``_<name>/collection.yml``, then ``_data`` (all its YAML files,
    its folders too, as Jekyll reads them). Only regular files, never through a link to a
    folder (the walk does not follow those)."""
    from naislint.jekyll.entries import walk

    config = os.path.join(root, SITE_CONFIG)
    if _regular(config):
        yield config
    try:
        names = sorted(os.listdir(root))
    except OSError:
        names = []
    for name in names:
        if name.startswith("_") and name != DATA_FOLDER and len(name) > 1:
            candidate = os.path.join(root, name, COLLECTION_FILE)
            if not os.path.islink(os.path.join(root, name)) and _regular(candidate):
                yield candidate
    data = os.path.join(root, DATA_FOLDER)
    if os.path.isdir(data) and not os.path.islink(data):
        for rel, entry in walk(data):
            if kind_of(DATA_FOLDER + "/" + rel) is not None and _regular(entry.path):
                yield entry.path


def _regular(path: str) -> bool:
    try:
        import stat

        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


@dataclass
class DataFile:
    """One data file, parsed: its kind, its YAML nodes with positions, and its data."""

    kind: str
    rel: str
    yaml: "FrontMatter"

    @property
    def data(self) -> Any:
        return self.yaml.data

    @property
    def ok(self) -> bool:
        return self.yaml.error is None

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, "data file")

    def link_keys(self) -> frozenset[str]:
        """Keys whose value is a link in this kind of file, beyond the common url keys."""
        return EXTRA_LINK_KEYS.get(self.kind, frozenset())


def load(doc: Any) -> DataFile | None:
    """The data file a document holds (computed once per document), or ``None`` when the
    document is a page. The engine marks a data file's document with its kind."""
    kind = getattr(doc, "data_kind", None)
    if kind is None:
        return None

    def compute() -> DataFile:
        from naislint import yamlfile

        rel = _rel_of(doc)
        return DataFile(kind, rel, yamlfile.document(doc.text))

    return doc.memo("jekyll.datafile", compute)


def _rel_of(doc: Any) -> str:
    root = getattr(doc, "site_root", None)
    if root:
        absolute = os.path.abspath(doc.path)
        prefix = os.path.abspath(root).rstrip(os.sep) + os.sep
        if absolute.startswith(prefix):
            return absolute[len(prefix):].replace(os.sep, "/")
    return os.path.basename(doc.path)


# -- walking the YAML nodes ------------------------------------------------------------------


def mapping_items(node: Any) -> list[tuple[Any, Any]]:
    """The (key node, value node) pairs of a mapping node (none for anything else)."""
    if type(node).__name__ != "MappingNode":
        return []
    return list(node.value)


def get(node: Any, key: str) -> tuple[Any, Any] | None:
    """The last (key node, value node) of ``key`` in a mapping node (YAML keeps the last)."""
    found = None
    for k, v in mapping_items(node):
        if getattr(k, "value", None) == key:
            found = (k, v)
    return found


def items(node: Any) -> list[Any]:
    """The item nodes of a sequence node (none for anything else)."""
    if type(node).__name__ != "SequenceNode":
        return []
    return list(node.value)


def scalar(node: Any) -> str | None:
    """A plain string scalar's text (not a number, boolean or null), else ``None``."""
    if type(node).__name__ != "ScalarNode" or node.tag != "tag:yaml.org,2002:str":
        return None
    return node.value
