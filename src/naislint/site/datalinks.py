"""The links of a site's data files (``_data/*.yml``): a link source of the reverse index.

Isomer's navigation bar, footer and resource lists live in ``_data/``; a page that moves
must take its navigation entry with it. This source lists the URL-like values of those
files (the keys the page rules read as links and images: ``url``, ``*_url``,
``image-url``, ``logo`` ...) with the position of each value, for find-references and
for the edits of a rename or a move. Data-file URLs are rendered by the theme from the
site root (``{{ site.baseurl }}{{ link.url }}``), so a relative value resolves from ``/``.

It implements :class:`naislint.site.linksource.LinkSource`; a fuller data-file model can
take its place by implementing the same two methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator

from naislint.site.linksource import LinkOccurrence

if TYPE_CHECKING:
    from naislint.site.index import SiteIndex

DATA_FOLDER = "_data"
DATA_SUFFIXES = (".yml", ".yaml")


class DataFileLinks:
    """URL-like values of the YAML files under ``_data/``."""

    def files(self, site: "SiteIndex") -> Iterable[str]:
        prefix = DATA_FOLDER + "/"
        return sorted(r for r in site.all_files if r.startswith(prefix) and r.lower().endswith(DATA_SUFFIXES))

    def occurrences(self, site: "SiteIndex", rel: str, text: str) -> list[LinkOccurrence]:
        from naislint.page import yamlfile
        from naislint.page.links import _is_image_key, _is_link_key

        fm = yamlfile.document(text)
        if fm.root is None:
            return []
        lines = fm.block.yaml_text.split("\n")
        found = []
        for key, node in _scalars(fm.root):
            role = "image" if _is_image_key(key) else "link" if _is_link_key(key) else None
            if role is None:
                continue
            value = node.value
            span = fm.span_of(node)
            if node.style in ("'", '"') and span.line == span.end_line:
                span = type(span)(span.line, span.column + 1, span.end_line, max(span.column + 1, span.end_column - 1))
            written = _written(lines, span)
            editable = written == value
            if not editable and written is not None and written.rstrip() == value.strip():
                span = type(span)(span.line, span.column, span.end_line, span.column + len(value.strip()))
                editable = True
            found.append(LinkOccurrence(rel, span.line, span.column, span.end_line, span.end_column,
                                        value.strip(), role, "/", editable, "data"))
        return found


def _scalars(root: Any) -> Iterator[tuple[str, Any]]:
    """(key, scalar value node) of every string value in the document, in order."""
    stack = [root]
    while stack:
        node = stack.pop()
        kind = type(node).__name__
        if kind == "SequenceNode":
            stack.extend(reversed(node.value))
            continue
        if kind != "MappingNode":
            continue
        children = []
        for key_node, value_node in node.value:
            if type(value_node).__name__ != "ScalarNode":
                children.append(value_node)
                continue
            key = getattr(key_node, "value", None)
            value = value_node.value
            if isinstance(key, str) and isinstance(value, str) and value.strip() and value_node.tag == "tag:yaml.org,2002:str":
                yield key, value_node
        stack.extend(reversed(children))


def _written(lines: list[str], span: Any) -> str | None:
    """The text of a one-line span (``None`` for a value over several lines)."""
    if span.line != span.end_line or not 1 <= span.line <= len(lines):
        return None
    return lines[span.line - 1][span.column - 1 : span.end_column - 1]
