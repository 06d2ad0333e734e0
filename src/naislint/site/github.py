"""A folder of markdown read on GitHub: what its relative links may name, and heading ids.

A folder with no ``_config.yml`` is no Jekyll site (the ``github`` preset): its pages are
read on GitHub, which publishes no permalinks. A link there is a path in the repository:

- relative to the folder of the file that holds it; a leading ``/`` starts from the
  repository's root (GitHub rewrites both to the file's ``blob`` or ``tree`` URL);
- to a file or to a folder (GitHub lists a folder and shows its README);
- a path that climbs above the root is one of GitHub's own pages (``../../issues`` from
  the root README goes to the repository's issues), so it is not checked;
- ``#fragment`` names a heading id or an HTML ``id``/``name`` of a markdown file, matched
  without regard to case (GitHub's page script looks the fragment up that way).

GitHub's heading ids follow its own algorithm, not kramdown's: the heading's *text* as
rendered (markup gone, code span and link text kept, images dropped), lower-cased, every
character that is not a letter, mark, digit, connector, ``-`` or space removed, each space
turned into ``-`` (so ``A -- B`` is ``a----b``: dashes are kept), and a repeat of the same
id numbered ``-1``, ``-2``. (cmark-gfm itself makes no ids; GitHub adds them with the
``user-content-`` prefix, which its page script adds to a fragment as it looks it up.)

The repository is indexed once per run: every file and folder name (cheap: no file is
read), while the anchors of a markdown file are read only when a link asks for them. The
repository's fingerprint, which cached results depend on, digests every markdown file's
heading lines: it is worked out only for a run that uses the cache, from digests kept by
each file's stat stamp (:mod:`naislint.site.anchor_digests`).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import stat
from functools import lru_cache
from typing import Any, Iterator, NamedTuple, TYPE_CHECKING, TypeGuard

from naislint.site import urls

if TYPE_CHECKING:
    from naislint.page.document import Document
    from naislint.site.anchor_digests import AnchorDigests
    from naislint.page.links import LinkRef

#: The kind a rule asks the index for (``getattr(site, "kind", None)``): a Jekyll
#: :class:`~naislint.site.index.SiteIndex` has none.
KIND = "github"
#: The rules that check a page against a repository (the others get no index there).
RULES = frozenset({"broken-link", "broken-anchor", "missing-image"})
#: Extensions GitHub renders as markdown (a fragment into one names a heading).
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mkdown", ".ron")
#: Folders not walked (outside a git work tree): git's own, and what a repository does
#: not commit.
SKIPPED_FOLDERS = frozenset({".git", "node_modules", ".naislint_cache"})
#: Markdown files over this size are not read for anchors (their fragments are not checked).
MAX_READ = 8 * 1024 * 1024


#: Files and folders a repository keeps at its root (GitHub shows them on its front
#: page): outside a git work tree, the topmost folder below the one walked that holds one
#: is taken for the repository.
ROOT_MARKERS = (".github", "LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md")


def repository_root(path: str, walked_from: str | None = None) -> str:
    """The root a page's links are resolved from: the git work tree holding it (the
    nearest folder above with ``.git``); else, below the folder the run walked, the
    topmost folder holding a file a repository keeps at its root (a copy of a repository
    without its ``.git``, walked from the folder that holds it); else the folder the run
    walked, else the page's own folder."""
    folder = os.path.dirname(os.path.abspath(path))
    probe = folder
    while True:
        if os.path.lexists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    if not walked_from:
        return folder
    top = os.path.abspath(walked_from)
    if folder != top and not folder.startswith(top.rstrip(os.sep) + os.sep):
        return top
    if _marked(top):
        return top
    marked = None
    probe = folder
    while probe != top and probe.startswith(top.rstrip(os.sep) + os.sep):
        if _marked(probe):
            marked = probe
        probe = os.path.dirname(probe)
    return marked or top


@lru_cache(maxsize=4096)
def _marked(folder: str) -> bool:
    """Whether ``folder`` holds a file a repository keeps at its root (asked once per
    folder and process: every page of a folder asks)."""
    return any(os.path.lexists(os.path.join(folder, name)) for name in ROOT_MARKERS)


def applies(doc: "Document") -> bool:
    """Whether a page is read on GitHub: not a Jekyll page copied out of its site (one
    that sets ``permalink:`` or ``layout:`` links by URL, not by path)."""
    from naislint.page.renderer import is_jekyll_page

    return not is_jekyll_page(doc)


class Repository:
    """Every file and folder of a repository, and the anchors of its markdown files.

    Plain data, like the site index: worker processes share it after a fork. Paths are
    relative to :attr:`root` with ``/`` separators (``""`` is the root folder).
    """

    kind = KIND

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self.files: set[str] = set()
        self.folders: set[str] = {""}
        #: Every path in the order it was added (:attr:`folded` and :attr:`names` are
        #: made from it when a broken link first asks "did you mean").
        self._added: list[str] = []
        self._suggestions: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
        self._anchors: dict[str, list[str] | None] = {}
        #: Digest of every path (see :attr:`fingerprint`).
        self._paths_digest = ""
        #: (rel, full path) of each markdown file, in the order of the walk.
        self._markdown: list[tuple[str, str]] = []
        #: Where the anchor digests are kept between runs (``None``: not kept).
        self._cache_dir: str | None = None
        self._fingerprint: str | None = None

    @classmethod
    def build(cls, root: str, cache_dir: str | None = None) -> "Repository":
        """Index the repository: in a git work tree, the files git tracks or would add
        (not what ``.gitignore`` keeps off GitHub); elsewhere, every file under the root
        (symbolic links are listed, never followed). No file is read: the markdown
        files are read for the :attr:`fingerprint` only when it is asked for (a run
        with the results cache), and not those whose digest ``cache_dir`` keeps."""
        repo = cls(root)
        repo._cache_dir = cache_dir
        digest = hashlib.sha256()
        listed = _git_files(repo.root) if os.path.lexists(os.path.join(repo.root, ".git")) else None
        walked = ((rel, full, None) for rel, full in listed) if listed is not None else _walk(repo.root)
        for rel, full, is_dir in walked:
            parent = rel.rpartition("/")[0]
            if parent not in repo.folders:
                # A folder is added after its own folders: when the parent is known, so
                # are all the folders above it (the walk lists a folder before its files).
                parts = rel.split("/")
                for depth in range(1, len(parts)):
                    folder = "/".join(parts[:depth])
                    if folder not in repo.folders:
                        repo._add(folder, folder=True)
                        digest.update(b"d" + folder.encode("utf-8", "surrogateescape") + b"\0")
            if rel in repo.files or rel in repo.folders:
                continue
            repo._add(rel, folder=os.path.isdir(full) if is_dir is None else is_dir)
            digest.update(b"f" + rel.encode("utf-8", "surrogateescape") + b"\0")
            if rel.lower().endswith(MARKDOWN_EXTENSIONS):
                repo._markdown.append((rel, full))
        repo._paths_digest = digest.hexdigest()
        return repo

    @property
    def fingerprint(self) -> str:
        """Digest of every path, and of each markdown file's lines that could give it an
        anchor: cached lint results that used the index are valid while it is unchanged
        (an edit of a page's text leaves the others' results cached). Worked out on
        first use: a run without the results cache never reads a file for it."""
        if self._fingerprint is None:
            self._fingerprint = self._work_out_fingerprint()
        return self._fingerprint

    def _work_out_fingerprint(self) -> str:
        import time

        # The whole fingerprint is kept with the stamps of every markdown file: while none
        # moved, it is taken as it is, without the digest of each file (a warm run).
        taken = time.time_ns()
        stamps = self._markdown_stamps() if self._cache_dir else None
        whole = _WholeFingerprint(self._cache_dir, self.root) if stamps is not None and self._cache_dir else None
        if whole is not None and stamps is not None:
            known = whole.get(*stamps)
            if known is not None:
                return known
        fingerprint = self._fingerprint_of_each_file()
        if whole is not None and stamps is not None:
            whole.put(stamps[0], taken, fingerprint)  # after the per-file store is written
        return fingerprint

    def _fingerprint_of_each_file(self) -> str:
        from naislint.site.anchor_digests import AnchorDigests

        kept = AnchorDigests(self._cache_dir, self.root)
        digest = hashlib.sha256(self._paths_digest.encode())
        for rel, full in self._markdown:
            digest.update(b"m" + rel.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(_kept_anchor_lines(self.root, rel, full, kept))
        kept.save()
        return "gh-" + digest.hexdigest()[:16]

    def _markdown_stamps(self) -> "tuple[str, int] | None":
        """The digest of every path and every markdown file's stat stamp, and the newest
        change time among those files; ``None`` when a markdown file is not a regular file
        or cannot be stat'ed (its anchor lines are read every time)."""
        digest = hashlib.blake2b(self._paths_digest.encode(), digest_size=16)
        newest = 0
        for rel, full in self._markdown:
            try:
                st = os.lstat(full)
            except OSError:
                return None
            if not stat.S_ISREG(st.st_mode):
                return None
            digest.update(f"{rel}\0{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_size}:{st.st_ino}\0"
                          .encode("utf-8", "surrogateescape"))
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
        return digest.hexdigest(), newest

    def _add(self, rel: str, folder: bool) -> None:
        (self.folders if folder else self.files).add(rel)
        self._added.append(rel)
        self._suggestions = None

    @property
    def folded(self) -> dict[str, list[str]]:
        """Lower-cased path -> the paths with that spelling, for "did you mean"."""
        return self._suggestion_tables()[0]

    @property
    def names(self) -> dict[str, list[str]]:
        """Last path segment -> the paths ending in it."""
        return self._suggestion_tables()[1]

    def _suggestion_tables(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        # Made on first need: a warm run, or a run with no broken link, asks for neither.
        if self._suggestions is None:
            folded: dict[str, list[str]] = {}
            names: dict[str, list[str]] = {}
            for rel in self._added:
                folded.setdefault(rel.casefold(), []).append(rel)
                names.setdefault(rel.rsplit("/", 1)[-1], []).append(rel)
            self._suggestions = (folded, names)
        return self._suggestions

    # -- lookups ------------------------------------------------------------------------

    def rel(self, path: str) -> str | None:
        """``path`` relative to the root, or ``None`` when it lies outside."""
        full = os.path.realpath(path)
        if full == self.root:
            return ""
        if not full.startswith(self.root.rstrip(os.sep) + os.sep):
            return None
        return os.path.relpath(full, self.root).replace(os.sep, "/")

    def exists(self, rel: str) -> bool:
        return rel in self.files or rel in self.folders

    def anchors_of(self, rel: str) -> list[str] | None:
        """The anchors of the markdown file ``rel`` (``None``: it cannot be read)."""
        if rel not in self._anchors:
            self._anchors[rel] = self._read_anchors(rel)
        return self._anchors[rel]

    def _read_anchors(self, rel: str) -> list[str] | None:
        from naislint.page.document import Document, UnreadableFile

        try:
            doc = Document.load(os.path.join(self.root, rel), MAX_READ, self.root)
        except (UnreadableFile, OSError):
            return None
        return page_anchors(doc)

    def suggest(self, rel: str) -> str | None:
        """The path that was probably meant: another case, the same path from the root,
        or the one file or folder of that name."""
        same_case = [p for p in self.folded.get(rel.casefold(), []) if p != rel]
        if same_case:
            return same_case[0]
        name = rel.rsplit("/", 1)[-1]
        # ``a/b/x.md`` written in ``a/b/`` as ``a/b/x.md`` again, or ``../x`` one level off:
        # the same tail that exists.
        parts = rel.split("/")
        for start in range(1, len(parts)):
            tail = "/".join(parts[start:])
            if self.exists(tail) and "/" in tail:
                return tail
        found = self.names.get(name, [])
        if len(found) == 1:
            return found[0]
        return None


class _WholeFingerprint:
    """A repository's fingerprint kept with the digest of its markdown files' stamps
    (``.naislint_cache/repo-fingerprint-<root digest>.json``, JSON only: a cache folder is
    a file anyone could have committed). It is taken as it is while the stamps are the
    same, every file last changed well before it was worked out (git's racy-clean rule,
    as :func:`naislint.store.stamps.stat_proves_unchanged`), and the per-file store it was
    worked out with is byte for byte as it was then (a store that was damaged or replaced
    since is checked entry by entry again); anything else in the file, or none, is a miss."""

    def __init__(self, cache_dir: str, root: str) -> None:
        from naislint.store.folder import CACHE_DIR_NAME
        from naislint.store.stamps import package_fingerprint

        name = hashlib.blake2b(root.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
        self.path = os.path.join(cache_dir, CACHE_DIR_NAME, f"repo-fingerprint-{name}.json")
        self.store_path = anchor_store_path(cache_dir, root)
        self.key = hashlib.blake2b(
            json.dumps([1, root, package_fingerprint()]).encode("utf-8", "surrogateescape"), digest_size=12
        ).hexdigest()

    def _store_digest(self) -> str | None:
        from naislint.store.folder import read_cache_bytes

        raw = read_cache_bytes(self.store_path)
        return None if raw is None else hashlib.blake2b(raw, digest_size=16).hexdigest()

    def get(self, stamps: str, newest: int) -> str | None:
        from naislint.store import stamps as stamps_mod
        from naislint.store.folder import read_cache_json

        data = read_cache_json(self.path)
        if not isinstance(data, dict) or data.get("key") != self.key or data.get("stamps") != stamps:
            return None
        taken, fingerprint = data.get("taken"), data.get("fingerprint")
        if type(taken) is not int or type(fingerprint) is not str or not _FINGERPRINT_RE.match(fingerprint):
            return None
        if not newest < taken - stamps_mod.TIMESTAMP_GRANULARITY_NS:
            return None
        if data.get("store") != self._store_digest():
            return None
        return fingerprint

    def put(self, stamps: str, taken: int, fingerprint: str) -> None:
        from naislint.store.folder import write_cache_file

        store = self._store_digest()
        if store is None:
            return  # no per-file store was kept (a folder that cannot be written)
        write_cache_file(self.path, json.dumps(
            {"key": self.key, "stamps": stamps, "taken": taken, "fingerprint": fingerprint, "store": store}))


def anchor_store_path(cache_dir: str, root: str) -> str:
    """Where :class:`~naislint.site.anchor_digests.AnchorDigests` keeps the digests of the
    repository at ``root`` (the same name, worked out without loading the store)."""
    from naislint.site.anchor_digests import FILE_PREFIX
    from naislint.store.folder import CACHE_DIR_NAME

    name = hashlib.blake2b(root.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    return os.path.join(cache_dir, CACHE_DIR_NAME, f"{FILE_PREFIX}{name}.json")


_FINGERPRINT_RE = re.compile(r"gh-[0-9a-f]{16}\Z")


#: How long ``git ls-files`` may take before the walk is used instead.
GIT_TIMEOUT = 20


def _git_files(root: str) -> "list[tuple[str, str]] | None":
    """(rel, full path) of the files git tracks or would add, or ``None`` when git is
    missing or fails (the walk then stands in)."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, timeout=GIT_TIMEOUT, check=False, stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    names = out.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [(name, os.path.join(root, name)) for name in sorted(set(names)) if name]


@lru_cache(maxsize=1)
def _anchor_line_patterns() -> "tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]":
    """Lines that could give a markdown file an anchor: an ATX heading (in a quote or a
    list item too), a setext underline (the paragraph above it is the heading), an HTML
    ``id`` or ``name``, a footnote definition. Compiled when a file is first read for its
    anchor lines: a warm run reads none."""
    return (
        re.compile(rb"^[ \t>*+\-\d.)]*#"),
        re.compile(rb"^[ \t>]*(?:=+|-+)[ \t]*\r?$"),
        re.compile(rb"\b(?:id|name)\s*=|\[\^", re.IGNORECASE),
    )


def _kept_anchor_lines(root: str, rel: str, full: str, kept: "AnchorDigests") -> bytes:
    """:func:`_anchor_lines` of a file, from ``kept`` while the file's stat stamp proves
    it unchanged (a regular file only: a link's stamp is not its target's)."""
    try:
        st = os.lstat(full)
    except OSError:
        return _anchor_lines(root, full)
    if not stat.S_ISREG(st.st_mode):
        return _anchor_lines(root, full)
    known = kept.get(rel, st)
    if known is not None:
        return known
    raw = _read_markdown(root, full)
    if raw is None:
        return _unread(full)
    lines = _digest_anchor_lines(raw)
    kept.put(rel, st, lines)
    return lines


def _anchor_lines(root: str, full: str) -> bytes:
    """What of a markdown file its anchors depend on, as bytes for the fingerprint: every
    line that could be or hold a heading or an HTML id (more than the anchors, never
    less; the file's size when it cannot be read, so a change is still seen)."""
    raw = _read_markdown(root, full)
    return _unread(full) if raw is None else _digest_anchor_lines(raw)


def _read_markdown(root: str, full: str) -> bytes | None:
    """The file's bytes, or ``None`` when it cannot be read or is over :data:`MAX_READ`."""
    from naislint.page.safeopen import read_regular

    try:
        raw = read_regular(full, root, MAX_READ + 1)
    except OSError:
        return None
    return None if len(raw) > MAX_READ else raw


def _unread(full: str) -> bytes:
    """What stands for the anchor lines of a file that was not read: its size and time."""
    try:
        st = os.lstat(full)
    except OSError:
        return b"?\0"
    return f"{st.st_size}:{st.st_mtime_ns}\0".encode()


def _digest_anchor_lines(raw: bytes) -> bytes:
    """The digest of the lines of ``raw`` that could give it an anchor."""
    atx_re, underline_re, id_re = _anchor_line_patterns()
    digest = hashlib.blake2b(digest_size=16)
    lines = raw.split(b"\n")
    wanted: set[int] = set()
    for number, line in enumerate(lines):
        if atx_re.match(line) or id_re.search(line):
            wanted.add(number)
        elif underline_re.match(line):
            wanted.add(number)
            back = number - 1
            while back >= 0 and lines[back].strip():
                wanted.add(back)  # the whole paragraph a setext underline makes a heading
                back -= 1
    for number in sorted(wanted):
        digest.update(lines[number] + b"\n")
    return digest.digest()


def _walk(root: str) -> "Iterator[tuple[str, str, bool | None]]":
    """(rel, full path, whether it is a folder) of every file and folder under ``root``,
    folders first; ``None`` for what the listing cannot tell without a ``stat`` (a
    symbolic link, which counts as what it points to)."""
    stack = [("", root)]
    while stack:
        rel_dir, full_dir = stack.pop()
        try:
            entries = sorted(os.scandir(full_dir), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            rel = entry.name if not rel_dir else rel_dir + "/" + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir and entry.name in SKIPPED_FOLDERS:
                continue
            try:
                plain = is_dir or entry.is_file(follow_symlinks=False)
            except OSError:
                plain = False
            yield rel, entry.path, is_dir if plain else None
            if is_dir:
                stack.append((rel, entry.path))


# -- heading ids ----------------------------------------------------------------------


def slug(text: str) -> str:
    """GitHub's id for a heading whose rendered text is ``text`` (before numbering)."""
    from naislint.page.anchors import _is_word

    out = []
    for ch in text.lower():
        if ch == " ":
            out.append("-")
        elif ch == "-" or _is_word(ch):
            out.append(ch)
    return "".join(out)


def heading_text(children: list) -> str:
    """A heading's text as GitHub renders it, from its inline tokens: text, code and link
    text kept, images and HTML tags dropped (their alt text and attributes are no text);
    a kramdown ``{#id}`` is plain text on GitHub."""
    out: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "kramdown_ial"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "footnote_ref":
            label = (child.meta or {}).get("label", "")
            out.append(str(label))  # cmark-gfm prints the footnote's number: no letters lost
    return "".join(out)


def heading_ids(doc: "Document") -> list[str]:
    """The ids GitHub gives the page's headings, in order."""
    from naislint.page.anchors import IdCounter

    counter = IdCounter()
    ids: list[str] = []
    tokens = doc.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or i + 1 >= len(tokens):
            continue
        inline = tokens[i + 1]
        ids.append(counter.next(slug(heading_text(inline.children or []))))
    return ids


#: ``<a name="x">`` and ``id="x"`` on any element: GitHub keeps both (prefixed).
def html_ids(doc: "Document") -> list[str]:
    """The ``id`` values and ``<a name>`` values of the page's HTML."""
    from naislint.page.anchors import _html_id_tags, _tag_ids

    text = doc.prose
    if "<" not in text or "=" not in text:
        return []
    ids: list[str] = []
    for m in _html_id_tags(text, 0):
        ids.extend(_tag_ids(m.group(0)))
    return ids


_FOOTNOTE_DEF_RE = re.compile(r"^[ \t]{0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)


def page_anchors(doc: "Document") -> list[str]:
    """Every anchor GitHub gives a page: heading ids, HTML ids and names, footnotes."""

    def compute() -> list[str]:
        anchors = heading_ids(doc) + html_ids(doc)
        if "[^" in doc.text:
            for name in _FOOTNOTE_DEF_RE.findall(doc.text, doc.body_start):
                anchors.append(f"fn-{name}")
                anchors.append(f"fnref-{name}")
        return anchors

    return doc.memo("github.anchors", compute)


def has_anchor(anchors: list[str], fragment: str) -> bool:
    """Whether ``fragment`` names one of ``anchors``, without regard to case."""
    folded = fragment.casefold()
    return any(a.casefold() == folded for a in anchors)


# -- resolving links --------------------------------------------------------------------


class Resolution(NamedTuple):
    """Where a link of a page read on GitHub goes.

    ``status``: ``ok`` (``rel`` exists), ``missing`` (``rel`` does not), ``same`` (a
    fragment on the page itself) or ``skip`` (not a path in the repository). (A named
    tuple: every run imports this module, and a dataclass costs 1 ms to make.)
    """

    status: str
    rel: str = ""
    fragment: str | None = None
    folder: bool = False


def resolve(doc: "Document", repo: Repository, ref: "LinkRef") -> Resolution:
    """Resolve one link of ``doc`` the way GitHub does."""
    link = urls.classify(ref.url)
    if link.kind == "fragment":
        return Resolution("same", fragment=link.fragment)
    if link.kind != "internal":
        return Resolution("skip")
    page = page_rel(doc, repo)
    if page is None:
        return Resolution("skip")
    path = urls.percent_decode(link.path)
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        folder = posixpath.dirname(page)
        joined = posixpath.join(folder, path) if folder else path
    rel = posixpath.normpath(joined) if joined else "."
    if rel == ".":
        rel = ""
    if rel == ".." or rel.startswith("../"):
        return Resolution("skip")  # one of GitHub's own pages (issues, wiki, another repository)
    if rel in repo.folders:
        return Resolution("ok", rel, link.fragment, folder=True)
    if rel in repo.files:
        return Resolution("ok", rel, link.fragment)
    return Resolution("missing", rel, link.fragment)


def page_rel(doc: "Document", repo: Repository) -> str | None:
    return doc.memo("github.page_rel", lambda: repo.rel(doc.path))


def relative_to_page(doc: "Document", repo: Repository, rel: str) -> str:
    """``rel`` as a link written in ``doc`` would name it (relative to its folder)."""
    page = page_rel(doc, repo) or ""
    start = posixpath.dirname(page) or "."
    return posixpath.relpath(rel or ".", start)


def broken(doc: "Document", repo: Repository, role: str) -> "Iterator[tuple[LinkRef, Resolution, str]]":
    """The page's links (``role`` ``link`` or ``image``) to no file or folder, with the
    message to give; shared by broken-link and missing-image."""
    from naislint.page.links import page_links, renders

    if not applies(doc):
        return
    for ref in page_links(doc):
        if ref.role != role or ref.source == "front-matter" or not renders(doc, ref):
            continue
        res = resolve(doc, repo, ref)
        if res.status != "missing":
            continue
        what = "link" if role == "link" else "image"
        message = (f"{what} '{ref.url.strip()}' goes to no file or folder of this repository "
                   f"(it resolves to /{res.rel}; GitHub reads a relative path from this file's folder)")
        suggestion = repo.suggest(res.rel)
        if suggestion is not None:
            written = relative_to_page(doc, repo, suggestion)
            message += f"; did you mean '{written}'" + (f" (/{suggestion})?" if written != suggestion else "?")
        yield ref, res, message


def anchor_problems(doc: "Document", repo: Repository | None) -> "Iterator[tuple[LinkRef, str]]":
    """The page's links whose ``#fragment`` names no heading or id of their markdown
    target (this page or another), with the message to give. Without the repository
    (an editor buffer, standard input) only fragments on the page itself are checked."""
    from naislint.page.links import page_links, renders
    from naislint.site.resolve import anchor_suggestion

    if not applies(doc):
        return
    for ref in page_links(doc):
        if ref.role != "link" or "#" not in ref.url or ref.source == "front-matter" or not renders(doc, ref):
            continue
        res = resolve(doc, repo, ref) if repo is not None else _same_page(ref)
        fragment = res.fragment
        if res.status not in ("ok", "same") or not _checkable(fragment) or res.folder:
            continue
        assert fragment is not None
        if res.status == "same" or (repo is not None and res.rel == page_rel(doc, repo)):
            anchors: list[str] | None = page_anchors(doc)
            where = "on this page"
        elif res.rel.lower().endswith(MARKDOWN_EXTENSIONS):
            anchors = repo.anchors_of(res.rel) if repo is not None else None
            where = f"in {res.rel}"
        else:
            continue  # a fragment into a file GitHub shows as code (#L10) or as is
        if anchors is None or has_anchor(anchors, fragment):
            continue
        message = f"'#{fragment}' names no heading or id {where} (GitHub's heading ids)"
        suggestion = anchor_suggestion(fragment.casefold(), anchors)
        if suggestion is not None:
            message += f"; did you mean '#{suggestion}'?"
        yield ref, message


def _same_page(ref: "LinkRef") -> Resolution:
    link = urls.classify(ref.url)
    return Resolution("same", fragment=link.fragment) if link.kind == "fragment" else Resolution("skip")


def read_on_github(doc: "Document", preset: str | None) -> bool:
    """Whether the page, whose preset is ``preset`` (the rule context's), is read on
    GitHub: the ``github`` preset, and no Jekyll page."""
    return preset == "github" and applies(doc)


def _checkable(fragment: str | None) -> bool:
    if fragment is None or fragment in urls.SPECIAL_FRAGMENTS:
        return False
    # Client-side routes (#/x, #!x), text fragments (#:~:text=), and GitHub's line
    # anchors on a rendered file (#L10, #L10-L20) name no heading.
    return not fragment.startswith(("/", "!")) and ":~:" not in fragment and not _LINE_RE.match(fragment)


_LINE_RE = re.compile(r"^L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$")


def is_repository(site: Any) -> "TypeGuard[Repository]":
    """Whether the site a rule was given is a repository read on GitHub."""
    return getattr(site, "kind", None) == KIND
