"""A data file as a document: a site's YAML source that is not a page (``_data/*.yml``,
``collection.yml``, ``_config.yml``), read with every node's position.

Which files are data files, and of which kind, is Jekyll's knowledge
(:mod:`naislint.jekyll.datafiles`); the engine marks a data file's document with its kind
(``doc.data_kind``). This module reads such a document into a :class:`DataFile` (the
guarded loader front matter uses, :func:`naislint.page.yamlfile.document`), so that every
report lands on the YAML key or value it is about, and says which of its keys hold links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from naislint.page.document import Document
    from naislint.page.frontmatter import FrontMatter

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


@dataclass
class DataFile:
    """One data file, parsed: its kind, its YAML nodes with positions, and its data."""

    kind: str
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


def load(doc: Document) -> DataFile | None:
    """The data file a document holds (computed once per document), or ``None`` when the
    document is a page. The engine marks a data file's document with its kind."""
    kind = getattr(doc, "data_kind", None)
    if kind is None:
        return None

    def compute() -> DataFile:
        from naislint.page import yamlfile

        return DataFile(kind, yamlfile.document(doc.text))

    return doc.memo("page.datafile", compute)


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
    value: str = node.value
    return value
