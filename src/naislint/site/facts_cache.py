"""On-disk memory of what each file contributed to the site index.

Stored as JSON (never pickle: a cache folder is a file an attacker could commit) under
``.naislint_cache/site-facts.json``, keyed by the site's configuration and naislint's
code. A file keeps its facts while its stat stamp proves it unchanged (git's racy-clean
rule, :func:`naislint.store.stamps.stat_proves_unchanged`), or else while the digest of its
content is the same (a checkout, a touch, an edit made in the same clock tick as the
last run). A file that could not be read is never kept: its facts (a static file, for
want of a front matter line) hold only until it can be read. A missing, corrupt, foreign
or malformed cache is rebuilt; one that cannot be written is simply not kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from naislint.page.safeopen import read_head
from naislint.store import stamps as _stamps
from naislint.store.stamped import StampedFiles
from naislint.store.stamps import Stamp, is_int, is_stamp_key, stat_proves_unchanged

FILE_NAME = "site-facts.json"
FORMAT = 4
#: The fingerprint is a sum of per-file digests modulo this, so that a run that changes a
#: few files' facts updates it without hashing the facts of every other file again.
_MODULUS = 1 << 96
#: Pages up to this size keep a content digest (the index reads no more of a page).
MAX_DIGESTED = 8 * 1024 * 1024
#: The digest the index gives a file it could not read: its facts are used for this run
#: and never stored.
UNREADABLE = "unreadable"


def valid_facts(facts: Any) -> bool:
    """Whether ``facts`` has the shape :meth:`SiteIndex._facts` gives (anything read from
    the cache file is checked before the index unpacks it)."""
    if not isinstance(facts, list) or not facts:
        return False
    kind = facts[0]
    if kind == "skip":
        return len(facts) == 1
    if kind == "file":
        return len(facts) == 2 and isinstance(facts[1], str)
    if kind != "page" or len(facts) != 8:
        return False
    _kind, url, permalink_line, anchors, reason, redirect_from, redirect_to, title = facts
    return (
        (title is None or type(title) is str)
        and type(redirect_from) is list
        and all(type(u) is str and u.startswith("/") for u in redirect_from)
        and type(redirect_to) is bool
        and isinstance(url, str)
        and url.startswith("/")
        and (permalink_line is None or is_int(permalink_line, 1))
        and (anchors is None or (type(anchors) is list and all(type(a) is str for a in anchors)))
        and (reason is None or isinstance(reason, str))
    )



def _digest(rel: str, facts: Any) -> int:
    """One file's share of the fingerprint."""
    digest = hashlib.blake2b(rel.encode("utf-8", "surrogatepass"), digest_size=12)
    digest.update(json.dumps(facts, separators=(",", ":")).encode("utf-8", "surrogatepass"))
    return int.from_bytes(digest.digest(), "big")


def _valid_tree(tree: Any) -> bool:
    """Whether ``tree`` has the shape :meth:`FactsCache.save` gives it."""
    from naislint.store.stamps import is_int

    if not isinstance(tree, dict) or not is_int(tree.get("at")):
        return False
    folders, others = tree.get("folders"), tree.get("others")
    return (
        isinstance(folders, dict)
        and all(type(v) is list and len(v) == 2 and all(is_int(x) for x in v) for v in folders.values())
        and isinstance(others, list)
        and all(isinstance(o, str) for o in others)
    )


class FactsCache(StampedFiles):
    """Each file's index facts: ``old`` as loaded, ``new`` as this run found them.

    An entry is ``[mtime_ns, ctime_ns, size, inode, taken_ns, facts, digest]``. Beside
    the entries the cache keeps the site's tree as the walk saw it (``tree``): each
    folder's modification time and inode, and the files that are not entries, so that a
    run over a few pages can trust the set of files without walking the site again
    (see :meth:`tree_unchanged`).
    """

    def __init__(self, cache_dir: str | None, root: str, settings: list[Any]) -> None:
        from naislint.store.folder import CACHE_DIR_NAME
        from naislint.store.stamps import package_fingerprint

        path = os.path.join(cache_dir, CACHE_DIR_NAME, FILE_NAME) if cache_dir else None
        super().__init__(path, json.dumps([FORMAT, root, settings, package_fingerprint()], sort_keys=True, default=str))
        self.root = root
        #: Facts of files that could not be read: part of this run's index, never stored.
        self.volatile: dict[str, list] = {}
        self.stored_fingerprint: str | None = None
        self.computed: str | None = None
        #: The tree the last walk saw (see :func:`_valid_tree`), and the one this run saw.
        self.old_tree: dict | None = None
        self.tree: dict | None = None
        data = self.loaded
        if data is not None:
            stored = data.get("fingerprint")
            self.stored_fingerprint = stored if isinstance(stored, str) and _is_hex(stored) else None
            tree = data.get("tree")
            self.old_tree = tree if _valid_tree(tree) else None

    def tree_unchanged(self, root: str) -> bool:
        """Whether no file was added to, removed from or renamed in any folder of the
        site since the last walk: every folder it listed still has the modification
        time and inode it had, and had changed last well before that walk (git's
        racy-clean rule). One ``stat`` per folder instead of one per file.

        Files edited in place do not move their folder's time: a run that trusts the
        tree keeps their previous facts (its own pages it reads anyway).
        """
        from naislint.store.stamps import TIMESTAMP_GRANULARITY_NS

        tree = self.old_tree
        if tree is None or not self.old:
            return False
        latest = tree["at"] - TIMESTAMP_GRANULARITY_NS
        for rel, (mtime_ns, ino) in tree["folders"].items():
            try:
                st = os.lstat(os.path.join(root, rel) if rel else root)
            except OSError:
                return False
            if st.st_mtime_ns != mtime_ns or st.st_ino != ino or max(st.st_mtime_ns, st.st_ctime_ns) >= latest:
                return False
        return True

    def settled_tree(self, tree: dict, newest_ns: int) -> dict:
        """The tree to keep for the one this run's walk saw (``tree``, whose folders
        last changed at ``newest_ns``): the last walk's when it is the same tree and no
        folder changed within the timestamp granularity before that walk, so that
        :meth:`tree_unchanged` trusts it already. Its time is then the only difference,
        and a warm run would rewrite the whole cache for it."""
        from naislint.store.stamps import TIMESTAMP_GRANULARITY_NS

        old = self.old_tree
        if (
            old is not None
            and old["folders"] == tree["folders"]
            and old["others"] == tree["others"]
            and newest_ns < old["at"] - TIMESTAMP_GRANULARITY_NS
        ):
            return old
        return tree

    def trusted(self, rel: str) -> list | None:
        """The cached facts of ``rel`` taken as they are (the tree is unchanged and the
        file is not one the run reads), or ``None`` when there are none."""
        # Called for every file of the site on a run over a few pages, so the shape checks
        # are written out here (a static file's facts, most of a site, checked inline).
        entry = self.old.get(rel)
        if type(entry) is not list or len(entry) != 7:
            return None
        mtime, ctime, size, ino, taken, facts, digest = entry
        if not (
            type(mtime) is int and type(ctime) is int and type(size) is int and type(ino) is int
            and type(taken) is int and taken >= 0 and (digest is None or type(digest) is str)
        ):
            return None
        if not (type(facts) is list and len(facts) == 2 and facts[0] == "file" and type(facts[1]) is str):
            if not valid_facts(facts):
                return None
        self.new[rel] = entry
        return facts

    def get(self, rel: str, walked: tuple[int, ...], full: str | None = None) -> list | None:
        """The cached facts of ``rel`` (stamped ``walked`` by the site walk), or ``None``
        when they must be read again."""
        # The names are the module's: a warm run asks of every file, and an import
        # statement per call cost it more than the checks.
        entry = self.old.get(rel)
        if not isinstance(entry, list) or len(entry) != 7 or not valid_facts(entry[5]):
            return None
        stored, taken, facts, digest = entry[:4], entry[4], entry[5], entry[6]
        if not is_stamp_key(stored) or not is_int(taken) or not (digest is None or isinstance(digest, str)):
            return None
        current = Stamp.of(walked, self.opened_ns)
        if stat_proves_unchanged(stored, taken, current):
            self.new[rel] = entry
            return facts
        if full is None or digest is None or digest == UNREADABLE:
            return None
        if stored[2] != current.size or current.size > MAX_DIGESTED:
            return None
        try:
            same = _stamps.content_hash(read_head(full, MAX_DIGESTED + 1, self.root)) == digest
        except OSError:
            return None
        if same:
            self.put(rel, walked, facts, digest)
            return facts
        return None

    def put(self, rel: str, walked: tuple[int, ...], facts: list, digest: str | None = None) -> None:
        """Record ``rel``'s facts, found from content read after its stamp ``walked``
        was taken (for a file that could not be read, for this run only)."""
        if digest == UNREADABLE:
            self.volatile[rel] = facts
            self.new.pop(rel, None)
        else:
            self.new[rel] = [*Stamp.of(walked, self.opened_ns).key(), self.opened_ns, facts, digest]
            self.volatile.pop(rel, None)
        self.changed = True
        self.computed = None

    def _all_unchanged(self) -> bool:
        return not self.changed and not self.volatile and len(self.new) == len(self.old)

    def fingerprint(self) -> str:
        """Digest of every file's facts (not of stamps: touching a file changes nothing);
        the stored one while every file's facts came from the cache unchanged, else the
        stored one corrected for the files whose facts differ."""
        if self.stored_fingerprint and self._all_unchanged():
            return self.stored_fingerprint
        if self.computed is not None:
            return self.computed
        current: dict[str, Any] = {rel: entry[5] for rel, entry in self.new.items()}
        current.update(self.volatile)
        if self.stored_fingerprint is None:
            total = sum(_digest(rel, facts) for rel, facts in current.items())
        else:
            total = int(self.stored_fingerprint, 16)
            old = self.old
            for rel, entry in old.items():
                now = current.get(rel, _MISSING)
                stored = entry[5] if isinstance(entry, list) and len(entry) == 7 else _MISSING
                if stored is _MISSING or now is stored or now == stored:
                    continue
                total -= _digest(rel, stored)
            for rel, facts in current.items():
                entry = old.get(rel)
                stored = entry[5] if isinstance(entry, list) and len(entry) == 7 else _MISSING
                if facts is not stored and facts != stored:
                    total += _digest(rel, facts)
        self.computed = f"{total % _MODULUS:024x}"
        return self.computed

    def save(self, order: "list[str] | None" = None) -> None:
        """Write the cache: the entries (in ``order``, the walk's, when given) and the
        tree this run saw (the one the last walk saw, for a run that trusted it)."""
        if not self.path or (self.stored_fingerprint and self._all_unchanged() and self.tree == self.old_tree):
            return
        from naislint.store.folder import write_cache_file

        # With unreadable files left out, the fingerprint of this run's index is not the
        # one of the files stored: the next run computes its own.
        fingerprint = None if self.volatile else self.fingerprint()
        files = self.new if order is None else {rel: self.new[rel] for rel in order if rel in self.new}
        try:
            payload = json.dumps(
                {"key": self.key, "fingerprint": fingerprint, "files": files, "tree": self.tree},
                separators=(",", ":"),
            )
        except (ValueError, TypeError, RecursionError):
            return
        write_cache_file(self.path, payload)


_MISSING: Any = object()


def _is_hex(value: str) -> bool:
    try:
        int(value, 16)
    except ValueError:
        return False
    return len(value) == 24
