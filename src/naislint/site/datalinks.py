"""The links of a site's data files (``_data/*.yml``): a link source of the reverse index.

Isomer's navigation bar, footer and resource lists live in ``_data/``; a page that moves
must take its navigation entry with it. This source lists the URL-like values of those
files, as the link rules read them (``url``, ``*_url``, ``image-url``, ``logo`` ...,
and the keys of each kind of file, such as the footer's ``faq``), with the position of
each value, for find-references, the pages a change breaks and the edits of a rename
or a move. Data-file URLs are rendered by the theme from the
site root (``{{ site.baseurl }}{{ link.url }}``), so a relative value resolves from ``/``.

It implements :class:`naislint.site.linksource.LinkSource`; a fuller data-file model can
take its place by implementing the same two methods.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterable

from naislint.site.linksource import LinkOccurrence

if TYPE_CHECKING:
    from naislint.site.index import SiteIndex

DATA_FOLDER = "_data"
DATA_SUFFIXES = (".yml", ".yaml")


class DataFileLinks:
    """URL-like values of the site's data files: ``_data/`` (all of it, as Jekyll reads
    it), each collection's ``collection.yml`` and ``_config.yml``, read by the model the
    link rules use (:func:`naislint.page.links.data_links`: the keys every data file
    links with, and those of its kind, such as the footer's ``faq``)."""

    def files(self, site: "SiteIndex") -> Iterable[str]:
        from naislint.jekyll import datafiles

        return sorted(r for r in site.all_files if datafiles.kind_of(r) is not None)

    def occurrences(self, site: "SiteIndex", rel: str, text: str) -> list[LinkOccurrence]:
        from naislint.jekyll import datafiles, rendering
        from naislint.page.document import Document
        from naislint.page.links import data_links

        doc = Document.from_text(text, os.path.join(site.root, rel))
        doc.data_kind = datafiles.kind_of(rel)
        doc.renderer = rendering.for_page(doc, site.root, None)
        found = []
        for ref in data_links(doc):
            span = ref.span
            start, end = doc.offset(span.line, span.column), doc.offset(span.end_line, span.end_column)
            written = doc.text[start:end]
            editable = written == ref.url
            if not editable and span.line == span.end_line and written.strip() == ref.url:
                lead = len(written) - len(written.lstrip())
                column = span.column + lead
                span = type(span)(span.line, column, span.line, column + len(ref.url))
                editable = True
            found.append(LinkOccurrence(rel, span.line, span.column, span.end_line, span.end_column,
                                        ref.url, ref.role, "/", editable, "data"))
        return found
