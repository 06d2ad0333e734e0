"""The results cache: a run with nothing changed re-lints nothing.

One JSON file per site root under ``.naislint_cache/`` (like ruff's ``.ruff_cache``).
An entry is valid while the file's content digest, the configuration, naislint's version
and the site index's fingerprint are what they were. The stat stamp (modification and
change times, size, inode) lets a warm run skip reading a file only when it can prove the
content unchanged, by git's racy-clean rule: the stamp is the same and the file last
changed well before the entry was taken (see :func:`stat_proves_unchanged`). Otherwise
the file is read and its digest compared, so a same-size edit whose modification time
was put back (``cp -p``, ``rsync -a``, ``touch -r``) is never served stale.

A cache is a file anyone could have written (committed to the repository, planted by a
pull request), so everything read from it is checked: a corrupt, foreign, malformed or
unwritable cache is ignored and rebuilt, never an error; a cache folder git tracks, or
one that is a symbolic link, is not used at all. The cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any, Callable

from naislint.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from naislint.store.folder import CACHE_DIR_NAME, read_cache_json, write_cache_file
from naislint.store.stamps import Stamp, content_hash, package_fingerprint, stat_proves_unchanged

if TYPE_CHECKING:
    from naislint.registry import RuleInfo

FORMAT = 3


def code_fingerprint() -> str:
    """Identifies the code that produced cached results: naislint's own files (see
    :func:`~naislint.store.stamps.package_fingerprint`) and the registered rules, plugins
    too, so that upgrading naislint or a plugin, or editing a checkout, invalidates the cache."""
    global _CODE_FINGERPRINT
    if _CODE_FINGERPRINT is None:
        from naislint.registry import rule_infos

        parts = [package_fingerprint()]
        parts.extend(f"{r.code}:{r.name}:{r.module}" for r in rule_infos().values())
        _CODE_FINGERPRINT = hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
    return _CODE_FINGERPRINT


_CODE_FINGERPRINT: str | None = None


# -- the results cache ---------------------------------------------------------------------


#: A journal holding more entries than this is folded into the results file.
JOURNAL_MAX = 256


class ResultCache:
    """Cached diagnostics of one site root (or folder) for one configuration.

    The entries live in ``results-<config>.json``. A run that only stores (a pre-commit
    hook linting the pages it changed: nothing to look up) does not read and rewrite the
    whole file for them: it writes them to a small journal, ``journal-<config>.json``,
    which every later read takes over the results file, and which a run that reads the
    results file folds into it.

    The results file is JSON with one entry to a line, so that a run looking up a few
    pages finds each one's line instead of parsing the entries of the whole site
    (:meth:`_line_entry`); a run that looks up more reads the file whole.
    """

    #: Lookups answered line by line before the results file is read whole.
    LINE_LOOKUPS = 8

    def __init__(self, folder: str, config_fingerprint: str) -> None:
        self.folder = folder
        self.key = f"{code_fingerprint()}:{FORMAT}:{config_fingerprint}"
        self.path = os.path.join(folder, CACHE_DIR_NAME, f"results-{config_fingerprint}.json")
        self.journal_path = os.path.join(folder, CACHE_DIR_NAME, f"journal-{config_fingerprint}.json")
        self._entries: dict[str, Any] | None = None
        self._journal: dict[str, Any] | None = None
        self._text: str | None = None
        #: Entries read line by line (``None``: the file has none for the page).
        self._lines: dict[str, Any] = {}
        #: Entries stored (or refreshed) by this run before (or without) reading the results file.
        self.fresh: dict[str, Any] = {}
        self.dirty = False
        #: The registered rules (a stored diagnostic must name one, with its code).
        self._rules: "dict[str, RuleInfo] | None" = None

    @property
    def entries(self) -> dict[str, Any]:
        """Every entry: the results file's, the journal's over them, this run's over both."""
        if self._entries is None:
            self._entries = self._read(self.path, self._text)
            self._entries.update(self._journal_entries())
            self._entries.update(self.fresh)
            self.fresh = {}
            self._text = None
            self._lines = {}
        return self._entries

    def _read(self, path: str, text: str | None = None) -> dict[str, Any]:
        """The entries of the file at ``path`` (its ``text``, when the line lookups have
        already read it: the file is not read twice)."""
        if text:
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                data = None
        else:
            data = read_cache_json(path)
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            return data["files"]
        return {}

    def _journal_entries(self) -> dict[str, Any]:
        if self._journal is None:
            self._journal = self._read(self.journal_path)
        return self._journal

    def _entry(self, rel: str) -> Any:
        """The entry of ``rel``: this run's, the journal's or the results file's."""
        if self._entries is not None:
            return self._entries.get(rel)
        if rel in self.fresh:
            return self.fresh[rel]
        journal = self._journal_entries()
        if rel in journal:
            return journal[rel]
        if rel in self._lines:
            return self._lines[rel]
        if len(self._lines) >= self.LINE_LOOKUPS:
            return self.entries.get(rel)
        entry = self._lines[rel] = self._line_entry(rel)
        return entry

    def _line_entry(self, rel: str) -> Any:
        """The entry of ``rel`` read from its line of the results file; the file read
        whole when it is not written one entry to a line (an older one)."""
        if self._text is None:
            from naislint.store.folder import read_cache_bytes

            raw = read_cache_bytes(self.path)
            try:
                self._text = raw.decode("utf-8") if raw is not None else ""
            except UnicodeDecodeError:
                self._text = ""
        text = self._text
        if not text:
            return None
        if not (text.startswith(self._head()) and text.endswith(_TAIL)):
            return self.entries.get(rel)
        start = text.find("\n" + json.dumps(rel) + ":")
        if start < 0:
            return None
        end = text.find("\n", start + 1)
        line = text[start + 1:end].rstrip(",")
        try:
            value = json.loads("{" + line + "}")
        except (ValueError, RecursionError):
            return None
        return value.get(rel) if isinstance(value, dict) else None

    def _head(self) -> str:
        return '{"key":' + json.dumps(self.key) + ',"files":{\n'

    def excerpts(self, rel: str) -> dict[int, str] | None:
        """The lines of the diagnostics of ``rel``'s entry (after a hit), or ``None``."""
        entry = self._entry(rel)
        lines = entry.get("lines") if isinstance(entry, dict) else None
        if not isinstance(lines, dict):
            return None
        out: dict[int, str] = {}
        for number, text in lines.items():
            if not (isinstance(number, str) and number.isdigit() and isinstance(text, str)):
                return None
            out[int(number)] = text
        return out

    def lookup(
        self, rel: str, current: Stamp, site_fingerprint: str, read: Callable[[], bytes], display: str
    ) -> list[Diagnostic] | None:
        """Cached diagnostics for ``rel`` (reported at ``display``), or ``None`` on a miss.

        ``read`` returns the file's bytes; it is called unless the stat stamp proves the
        content unchanged. A malformed entry is a miss, dropped so that it is rebuilt.
        """
        entry = self._entry(rel)
        if not isinstance(entry, dict) or entry.get("site") != site_fingerprint:
            return None
        if not isinstance(entry.get("hash"), str):
            return None
        if self._rules is None:
            from naislint.registry import rule_infos

            self._rules = rule_infos()
        diagnostics = restore(entry.get("diagnostics"), display, self._rules)
        if diagnostics is None:
            if self._entries is not None:
                del self._entries[rel]
                self.dirty = True
            return None  # read line by line: the page's new entry replaces it
        if stat_proves_unchanged(entry.get("stat"), entry.get("at"), current):
            return diagnostics
        try:
            raw = read()
        except OSError:
            return None
        if entry["hash"] != content_hash(raw):
            return None
        entry["stat"], entry["at"] = current.key(), current.taken_ns
        if self._entries is None:
            self.fresh[rel] = entry
        self.dirty = True
        return diagnostics

    def store(
        self, rel: str, current: Stamp, raw_hash: str, site_fingerprint: str, diagnostics: list[Diagnostic],
        excerpts: dict[int, str] | None = None,
    ) -> None:
        items = []
        for d in diagnostics:
            item = d.to_json()
            del item["path"]
            items.append(item)
        entry: dict[str, Any] = {
            "stat": current.key(),
            "at": current.taken_ns,
            "hash": raw_hash,
            "site": site_fingerprint,
            "diagnostics": items,
        }
        if excerpts:
            entry["lines"] = {str(n): text for n, text in excerpts.items()}
        (self._entries if self._entries is not None else self.fresh)[rel] = entry
        self.dirty = True

    def save(self) -> None:
        """Write the cache atomically; failures (read-only site, full disk) are ignored."""
        if not self.dirty:
            return
        if self._entries is None and _regular_file(self.path):
            journal = dict(self._journal_entries())
            journal.update(self.fresh)
            if len(journal) <= JOURNAL_MAX:
                self._write(self.journal_path, journal)
                return
        entries = self.entries
        if self._write(self.path, entries, by_line=True) and os.path.lexists(self.journal_path):
            self._write(self.journal_path, {})  # folded into the results file

    def _write(self, path: str, entries: dict[str, Any], by_line: bool = False) -> bool:
        try:
            if by_line:
                lines = [json.dumps(rel) + ":" + json.dumps(entry, separators=(",", ":")) for rel, entry in entries.items()]
                payload = self._head() + ",\n".join(lines) + _TAIL
            else:
                payload = json.dumps({"key": self.key, "files": entries}, separators=(",", ":"))
        except (ValueError, TypeError, RecursionError):
            return False
        return write_cache_file(path, payload)


#: How a results file written one entry to a line ends.
_TAIL = "\n}}"


def _regular_file(path: str) -> bool:
    """Whether ``path`` is a regular file (not a link: one planted there is replaced)."""
    import stat

    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def restore(items: Any, display: str, registered: "dict[str, RuleInfo] | None" = None) -> list[Diagnostic] | None:
    """The diagnostics a cache entry holds, or ``None`` when any of them is not exactly
    what :meth:`ResultCache.store` writes (a reporter must never meet a line that is a
    string, a severity that does not exist or a rule that is not registered)."""
    if not isinstance(items, list):
        return None
    if registered is None:
        from naislint.registry import rule_infos

        registered = rule_infos()
    out = []
    for item in items:
        diagnostic = _diagnostic(item, display, registered)
        if diagnostic is None:
            return None
        out.append(diagnostic)
    return out


_SEVERITIES = {s.value: s for s in Severity}


def _span(item: dict) -> Span | None:
    """The span of a stored diagnostic or edit: four integers from 1, end not before start."""
    line, column = item.get("line"), item.get("column")
    end_line, end_column = item.get("end_line"), item.get("end_column")
    if not (type(line) is int and type(column) is int and type(end_line) is int and type(end_column) is int):
        return None
    if line < 1 or column < 1 or (end_line, end_column) < (line, column):
        return None
    return Span(line, column, end_line, end_column)


def _diagnostic(item: Any, display: str, registered: "dict[str, RuleInfo]") -> Diagnostic | None:
    if type(item) is not dict:
        return None
    get = item.get
    line, column, end_line, end_column = get("line"), get("column"), get("end_line"), get("end_column")
    code, rule, message, url, severity = get("code"), get("rule"), get("message"), get("url", ""), get("severity")
    if not (type(line) is int and type(column) is int and type(end_line) is int and type(end_column) is int
            and type(code) is str and type(rule) is str and type(message) is str and type(url) is str
            and type(severity) is str):
        return None
    if line < 1 or column < 1 or (end_line, end_column) < (line, column):
        return None
    info = registered.get(rule)
    severity = _SEVERITIES.get(severity)
    if info is None or info.code != code or severity is None:
        return None
    fix = None
    raw_fix = get("fix")
    if raw_fix is not None:
        if not isinstance(raw_fix, dict) or not isinstance(raw_fix.get("safe"), bool):
            return None
        raw_edits = raw_fix.get("edits")
        if not isinstance(raw_edits, list) or not raw_edits:
            return None
        edits = []
        for raw_edit in raw_edits:
            edit_span = _span(raw_edit) if isinstance(raw_edit, dict) else None
            if edit_span is None or not isinstance(raw_edit.get("text"), str):
                return None
            edits.append(Edit(edit_span, raw_edit["text"]))
        fix = Fix(tuple(edits), raw_fix["safe"])
    return Diagnostic(display, Span(line, column, end_line, end_column), code, rule, severity, message, fix, url)
