"""The reverse link index kept on disk: what each file of a site links to, by its stamp.

A reference search (the language server's "find references", ``naislint move``) and the
pages a change breaks (``--changed-since``, the pre-commit hook) ask which files link to
a URL. Answering from the files themselves means reading every page of the site to find
the few that could link there, then parsing those. This store keeps, per file:

- the **destination words** of its text: every run of characters where a link
  destination's last segment could stand (after ``/``, ``(``, a quote, ``<``, ``=`` or
  ``]:``, up to ``/``, ``#``, ``?``, a closing bracket, a quote or white space, and each
  of its prefixes that ends before a ``.``), in lower case, and whether it holds a
  relative ``./`` path or a Liquid tag. A search's text filter
  (:class:`naislint.site.references.Needles`) is then a set lookup, and a file whose
  stamp proves it unchanged is not read at all;
- the **links** of files that were parsed (:class:`~naislint.site.linksource.LinkOccurrence`
  as the link source gave them), by the digest of the text they came from.

Entries are valid while the file's stat stamp proves it unchanged (git's racy-clean rule,
as for the site facts), and are keyed by the site's configuration and naislint's code, on
which a page's URL and the reading of its links depend. Stored as JSON under
``.naislint_cache/site-links.json``; a missing, corrupt or foreign file is rebuilt, one
that cannot be written is not kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from typing import TYPE_CHECKING, Any

from naislint.site.linksource import DESTINATION_END, DESTINATION_START, LinkOccurrence
from naislint.store.stamps import is_int, is_stamp_key, stamp, stat_proves_unchanged

if TYPE_CHECKING:
    from naislint.store.stamps import Stamp

FILE_NAME = "site-links.json"
FORMAT = 1

#: A place where a link destination's last segment may start, and the run of characters
#: from there up to where such a segment must end (a lookahead, so runs may overlap).
_DESTINATION_WORD_RE = re.compile(rf"(?={DESTINATION_START}([^{re.escape(DESTINATION_END)}\s]+))")
#: Text that may hold a link no word names: a relative path or a Liquid tag.
_OPEN_MARKERS = ("./", "{%")
#: The JSON type of each field of a :class:`LinkOccurrence`, in order.
_OCCURRENCE_TYPES = (str, int, int, int, int, str, str, str, bool, str)


def destination_words(text: str) -> tuple[str, bool]:
    """The destination words of ``text`` (see the module doc), each on a line of its own
    and the whole framed by newlines (no word holds white space, so looking one up is a
    substring test of the word between two newlines),
    and whether it holds a relative path or a Liquid tag (a file that may link anywhere)."""
    words: set[str] = set()
    for match in _DESTINATION_WORD_RE.finditer(text.lower()):
        word = match.group(1)
        words.add(word)
        dot = word.find(".")
        while dot > 0:
            words.add(word[:dot])
            dot = word.find(".", dot + 1)
    joined = "\n" + "\n".join(sorted(words)) + "\n" if words else "\n"
    return joined, any(marker in text for marker in _OPEN_MARKERS)


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class LinkStore:
    """Per-file destination words and links of one site, kept between runs.

    An entry is ``[mtime_ns, ctime_ns, size, inode, taken_ns, digest, words, open,
    links]``; ``links`` is ``[digest, [occurrence fields ...]]`` or ``None``.
    """

    def __init__(self, cache_dir: str | None, root: str, settings: Any) -> None:
        from naislint.store.folder import CACHE_DIR_NAME
        from naislint.store.stamps import package_fingerprint

        self.root = root
        self.opened_ns = time.time_ns()
        self.path = os.path.join(cache_dir, CACHE_DIR_NAME, FILE_NAME) if cache_dir else None
        basis = json.dumps([FORMAT, root, settings, package_fingerprint()], sort_keys=True, default=str)
        self.key = hashlib.blake2b(basis.encode(), digest_size=12).hexdigest()
        self.entries: dict[str, Any] = {}
        #: Entries already checked for their shape (see :meth:`_entry`).
        self._checked: set[str] = set()
        self.changed = False
        if self.path:
            self._load()

    @classmethod
    def for_site(cls, site: Any, cache_dir: str | None) -> "LinkStore":
        """The store of ``site`` (a :class:`~naislint.site.index.SiteIndex`) in
        ``cache_dir`` (``None``: kept for this process only)."""
        from naislint import jekyll

        settings = [jekyll.load(site.root).raw, site.collections, site.permalink_style, site.baseurl]
        return cls(cache_dir, site.root, settings)

    def _load(self) -> None:
        from naislint.store.folder import read_cache_json

        data = read_cache_json(self.path)  # type: ignore[arg-type]
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            self.entries = data["files"]

    # -- destination words ----------------------------------------------------------------

    def words(self, rel: str) -> tuple[str, bool] | None:
        """The destination words of ``rel`` when its stamp proves it unchanged since they
        were taken; ``None`` when the file must be read."""
        entry = self._entry(rel)
        if entry is None:
            return None
        current = stamp(os.path.join(self.root, rel))
        if current is None or not stat_proves_unchanged(entry[:4], entry[4], current):
            return None
        return entry[6], entry[7]

    def remember_text(self, rel: str, text: str, before: "Stamp") -> tuple[str, bool]:
        """Record the destination words of ``rel``, whose text on disk is ``text``, read
        after its stamp ``before`` was taken, and return them."""
        found = destination_words(text)
        digest = text_digest(text)
        old = self._entry(rel)
        links = old[8] if old is not None and old[8] is not None and old[8][0] == digest else None
        self.entries[rel] = [*before.key(), before.taken_ns, digest, found[0], found[1], links]
        self._checked.add(rel)
        self.changed = True
        return found

    # -- links ----------------------------------------------------------------------------

    def links(self, rel: str, text: str) -> list[LinkOccurrence] | None:
        """The links recorded for ``rel`` when they were read from this very ``text``."""
        entry = self._entry(rel)
        if entry is None or entry[8] is None or entry[8][0] != text_digest(text):
            return None
        try:
            return [LinkOccurrence(*fields) for fields in entry[8][1]]
        except TypeError:
            return None

    def remember_links(self, rel: str, text: str, found: list[LinkOccurrence]) -> None:
        """Record the links read from ``rel``'s ``text`` (an editor's unsaved buffer too:
        they are used only while the text is the same)."""
        digest = text_digest(text)
        entry = self._entry(rel)
        rows = [[getattr(o, name) for name in LinkOccurrence.__dataclass_fields__] for o in found]
        if entry is None:
            words, open_ = destination_words(text)
            # No stamp: the words are used only after a stamp is taken with the text.
            entry = [0, 0, -1, 0, 0, digest, words, open_, None]
        entry[8] = [digest, rows]
        self.entries[rel] = entry
        self._checked.add(rel)
        self.changed = True

    def _entry(self, rel: str) -> list | None:
        """``rel``'s entry, checked on first use (a file from the cache folder is never
        trusted; checking only what a search uses keeps a large site's load cheap)."""
        entry = self.entries.get(rel)
        if entry is None or rel in self._checked:
            return entry
        if not _valid_entry(entry):
            del self.entries[rel]
            return None
        self._checked.add(rel)
        return entry

    def save(self) -> None:
        if not self.path or not self.changed:
            return
        from naislint.store.folder import write_cache_file

        try:
            payload = json.dumps({"key": self.key, "files": self.entries}, separators=(",", ":"))
        except (ValueError, TypeError, RecursionError):
            return
        if write_cache_file(self.path, payload):
            self.changed = False


def _valid_entry(entry: Any) -> bool:
    """Whether an entry read from the cache file has the shape this store writes."""
    if not isinstance(entry, list) or len(entry) != 9:
        return False
    stamp_key, taken, digest, words, open_, links = entry[:4], entry[4], entry[5], entry[6], entry[7], entry[8]
    if not is_stamp_key(stamp_key) or not is_int(taken):
        return False
    if not isinstance(digest, str) or type(open_) is not bool:
        return False
    if not isinstance(words, str) or not words.startswith("\n") or not words.endswith("\n"):
        return False
    if links is None:
        return True
    return (
        isinstance(links, list) and len(links) == 2 and isinstance(links[0], str)
        and isinstance(links[1], list)
        and all(_valid_row(row) for row in links[1])
    )


def _valid_row(row: Any) -> bool:
    return (
        isinstance(row, list) and len(row) == len(_OCCURRENCE_TYPES)
        and all(type(value) is kind for value, kind in zip(row, _OCCURRENCE_TYPES))
    )
