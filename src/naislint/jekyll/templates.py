"""What a site's own Liquid reads: the ``site.<key>`` settings and the ``site.data`` files
its layouts, includes and pages use, and how each data key is printed.

A data file or a ``_config.yml`` key means nothing by itself: Liquid gives it its
meaning. ``_data/showcase.yml`` holds ``image: siteleaf.png``, and the page that loops
over ``site.data.showcase`` prints ``src="{{ site.cloudinary_url }}/showcase/{{
entry.image }}"``: the value is the end of a CDN address, not a path of the site. A
``_config.yml`` key no schema knows (``google_analytics_id``) is a working setting when
the site's ``_includes/analytics.html`` reads ``site.google_analytics_id``. So before a
rule reports such a value, it asks here what the site's own Liquid does with it.

Read are the files Liquid renders: everything under ``_layouts/`` and ``_includes/``,
and every file Jekyll reads (its entry filter) that starts with front matter and has a
text suffix; ``_plugins/*.rb`` for the settings a site's plugin reads
(``config["key"]``). ``{% raw %}`` and ``{% comment %}`` regions are left out, and only
Liquid's own tags and outputs count (prose that mentions ``site.title`` reads nothing).
A theme from a gem or a remote repository is not on disk: what it reads is not here.

The scan is kept per site root and redone when a file it read changes (the language
server lints one site for hours); only the files that changed are read again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterator

#: Suffixes of the files whose Liquid is read (with front matter, outside the template folders).
TEXT_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".mkd", ".mkdn", ".liquid", ".xml", ".json", ".js",
                 ".css", ".scss", ".sass", ".txt", ".svg")
TEMPLATE_FOLDERS = ("_layouts/", "_includes/")
PLUGIN_FOLDER = "_plugins/"
#: A file larger than this is not read (no template is).
MAX_BYTES = 2 * 1024 * 1024
#: At most this many files are read for one site.
MAX_FILES = 20000

_FRONT_MATTER_RE = re.compile(rb"\A(?:\xef\xbb\xbf)?---[ \t]*\r?\n")
_SKIP_OPEN_RE = re.compile(r"\{%-?\s*(raw|comment)\s*-?%\}")
_SKIP_CLOSE_RE = {name: re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}") for name in ("raw", "comment")}
#: How far back from an output naislint looks for the start of the attribute it fills.
_LOOK_BACK = 2000
_SITE_KEY_RE = re.compile(r"(?<![\w.\-\]])site\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*(?:\"([^\"]+)\"|'([^']+)')\s*\])")
_RUBY_CONFIG_RE = re.compile(r"config\s*(?:\[|\.fetch\(|\.dig\()\s*[\"']([^\"']+)[\"']")
_SITE_DATA_RE = re.compile(
    r"(?<![\w.\-\]])site\s*\.\s*data\b((?:\s*\.\s*[A-Za-z0-9_][\w-]*|\s*\[[^\]]*\])*)"
)
_SEGMENT_RE = re.compile(r"\s*\.\s*([A-Za-z0-9_][\w-]*)|\s*\[\s*(?:\"([^\"]*)\"|'([^']*)'|([^\]]*))\s*\]")
_INCLUDE_RE = re.compile(r"\{%-?\s*(include|include_relative)\s+([^\s%]+)")
#: A variable path: ``entry.image``, ``item["image-url"]``, ``a.b[0].c``.
_PATH_RE = re.compile(r"[A-Za-z_][\w-]*(?:\s*\.\s*[A-Za-z_][\w-]*|\s*\[\s*(?:\"[^\"]*\"|'[^']*'|\w+)\s*\])*")
#: Roots of Liquid variables that are not a data file's entries.
_OTHER_ROOTS = frozenset({"site", "page", "paginator", "jekyll", "layout", "forloop", "content", "theme"})
#: Filters that leave a printed path a path.
_BENIGN_FILTERS = frozenset({"escape", "escape_once", "strip", "xml_escape", "uri_escape", "default", "lstrip",
                             "rstrip"})
_ROOT_FILTERS = frozenset({"relative_url", "absolute_url"})
#: Attributes whose value is a URL.
_URL_ATTRS = frozenset({"src", "href", "srcset", "data-src", "poster", "action", "content", "data", "background"})
_BASEURL_RE = re.compile(r"\{\{-?\s*site\s*\.\s*(?:baseurl|url)\s*-?\}\}")


@dataclass(frozen=True)
class Use:
    """One place a data key is used: ``how`` it is printed, in the file at ``rel``.

    ``how`` is ``path`` (printed whole where a URL goes, after ``base``: nothing,
    ``{{ site.baseurl }}``, or literal text such as ``/images/``), ``root`` (through
    ``relative_url`` or ``absolute_url``: a path from the site's root), ``built`` (joined
    to another value, a CDN's address, or changed by a filter: not a path of this site),
    ``text`` (printed, but not where a URL goes), or ``mentioned`` (used in a tag: a
    condition, an ``assign``, an include's parameter; what it becomes is not known)."""

    rel: str
    how: str
    base: str = ""


class LiquidSources:
    """The Liquid of one site's files, and the questions the data-file rules ask of it."""

    def __init__(self, texts: dict[str, str]) -> None:
        #: rel path -> its text, raw and comment regions left out.
        self.texts = {rel: _without_skipped(text) if "{%" in text else text for rel, text in texts.items()}
        self._site_keys: frozenset[str] | None = None
        self._readers: list[tuple[str, tuple[str, ...] | None]] | None = None
        #: rel path -> its Liquid blocks: every question below walks them, and a data
        #: file asks one question per value, so each text is scanned once.
        self._block_lists: dict[str, list[_Block]] = {}
        #: (rel, path under ``site.data`` or ``None`` for a plugin) of every output that
        #: prints a data path whole, and every plugin, in the order of :attr:`texts`.
        self._whole: list[tuple[str, tuple[str, ...] | None]] | None = None
        self._uses: dict[tuple[tuple[str, ...], str], list[Use]] = {}

    def _blocks_of(self, rel: str) -> "list[_Block]":
        found = self._block_lists.get(rel)
        if found is None:
            found = self._block_lists[rel] = list(_blocks(self.texts[rel]))
        return found

    # -- _config.yml settings ---------------------------------------------------------------

    def site_keys(self) -> frozenset[str]:
        """Every ``site.<key>`` the site's Liquid reads (and ``config["key"]`` of its plugins)."""
        if self._site_keys is None:
            keys: set[str] = set()
            for rel, text in self.texts.items():
                if rel.endswith(".rb"):
                    keys.update(m.group(1) for m in _RUBY_CONFIG_RE.finditer(text))
                    continue
                for block in self._blocks_of(rel):
                    for m in _SITE_KEY_RE.finditer(block.group()):
                        keys.add(m.group(1) or m.group(2) or m.group(3))
            self._site_keys = frozenset(keys)
        return self._site_keys

    # -- data files ----------------------------------------------------------------------------

    def _data_reads(self) -> list[tuple[str, tuple[str, ...] | None]]:
        """(file, path read under ``site.data``; ``None`` when it is computed) of every read."""
        if self._readers is None:
            found: list[tuple[str, tuple[str, ...] | None]] = []
            for rel, text in self.texts.items():
                if rel.endswith(".rb"):
                    continue
                for block in self._blocks_of(rel):
                    for m in _SITE_DATA_RE.finditer(block.group()):
                        found.append((rel, _segments(m.group(1))))
            self._readers = found
        return self._readers

    def data_readers(self, name: tuple[str, ...]) -> list[str]:
        """The files that read the data file whose ``site.data`` path is ``name``
        (``("service-im",)`` for ``_data/service-im.yml``): by its path, or by a folder
        above it (a loop over ``site.data.folder``)."""
        out: list[str] = []
        for rel, path in self._data_reads():
            if path is None or not path:
                continue
            n = min(len(path), len(name))
            if path[:n] == name[:n] and rel not in out:
                out.append(rel)
        return out

    def printed_whole(self, name: tuple[str, ...]) -> list[str]:
        """The files that print data file ``name`` (or a folder above it) whole, for a
        script to read (``{{ site.data.x | jsonify }}``): any of its keys may be used."""
        out: list[str] = []
        quoted = ("'" + name[0] + "'", '"' + name[0] + '"') if name else ()
        for rel, path in self._whole_prints():
            if rel in out:
                continue
            if path is None:
                text = self.texts[rel]
                if "data" in text and any(q in text for q in quoted):
                    out.append(rel)  # a plugin: site.data["x"]
            elif path[:len(name)] == name[:len(path)]:
                out.append(rel)
        return out

    def _whole_prints(self) -> list[tuple[str, tuple[str, ...] | None]]:
        """See :attr:`_whole`: found once, asked of each data file's values."""
        if self._whole is None:
            found: list[tuple[str, tuple[str, ...] | None]] = []
            for rel in self.texts:
                if rel.endswith(".rb"):
                    found.append((rel, None))
                    continue
                for block in self._blocks_of(rel):
                    body = block.group()
                    if not body.startswith("{{") or "data" not in body:
                        continue
                    head = _split_filters(body[2:-2].strip("-").strip())[0].strip()
                    m = _SITE_DATA_RE.fullmatch(head)
                    path = _segments(m.group(1)) if m else None
                    if m and path is not None:
                        found.append((rel, path))
            self._whole = found
        return self._whole

    def computed_data_reads(self) -> list[str]:
        """The files that read ``site.data`` under a computed name (``site.data[page.x]``,
        or the whole of ``site.data``): they may read any data file."""
        out: list[str] = []
        for rel, path in self._data_reads():
            if (path is None or not path) and rel not in out:
                out.append(rel)
        return out

    def includes_of(self, rels: list[str]) -> list[str]:
        """``rels`` and the include files they pull in, transitively (those on disk)."""
        seen: list[str] = []
        stack = list(rels)
        while stack and len(seen) < 200:
            rel = stack.pop(0)
            if rel in seen:
                continue
            seen.append(rel)
            text = self.texts.get(rel, "")
            for m in _INCLUDE_RE.finditer(text):
                name = m.group(2).strip("'\"")
                if "{{" in name:
                    continue
                if m.group(1) == "include":
                    target = "_includes/" + name
                else:
                    folder = rel.rpartition("/")[0]
                    target = os.path.normpath((folder + "/" if folder else "") + name).replace(os.sep, "/")
                if target in self.texts and target not in seen:
                    stack.append(target)
        return seen

    def uses(self, name: tuple[str, ...], key: str) -> list[Use]:
        """How the files that read data file ``name`` (and their includes) use ``key``."""
        known = self._uses.get((name, key))
        if known is None:
            known = []
            for rel in self.includes_of(self.data_readers(name)):
                if rel in self.texts:
                    known.extend(_uses_in(rel, self.texts[rel], key, self._blocks_of(rel)))
            self._uses[(name, key)] = known
        return list(known)


class _Block:
    """One Liquid output (``{{ }}``) or tag (``{% %}``) of a text."""

    __slots__ = ("text", "begin", "stop")

    def __init__(self, text: str, begin: int, stop: int) -> None:
        self.text, self.begin, self.stop = text, begin, stop

    def group(self) -> str:
        return self.text[self.begin:self.stop]

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.stop


def _blocks(text: str) -> Iterator[_Block]:
    """The Liquid blocks of ``text``, in one pass (an opening with no close ends nothing)."""
    find = text.find
    output, tag = find("{{"), find("{%")  # the next opening of each kind (-1: none closes)
    while output != -1 or tag != -1:
        is_output = tag == -1 or (output != -1 and output < tag)
        open_at = output if is_output else tag
        k = find("}}" if is_output else "%}", open_at + 2)
        if k == -1:
            # No block of this kind closes after here.
            if is_output:
                output = -1
            else:
                tag = -1
            continue
        stop = k + 2
        yield _Block(text, open_at, stop)
        if output != -1 and output < stop:
            output = find("{{", stop)
        if tag != -1 and tag < stop:
            tag = find("{%", stop)


def _without_skipped(text: str) -> str:
    """``text`` with its ``{% raw %}`` and ``{% comment %}`` regions blanked (an unclosed
    one runs to the end, as Liquid would refuse the rest)."""
    out: list[str] = []
    i = 0
    while True:
        m = _SKIP_OPEN_RE.search(text, i)
        if m is None:
            out.append(text[i:])
            return "".join(out)
        close = _SKIP_CLOSE_RE[m.group(1)].search(text, m.end())
        stop = close.end() if close else len(text)
        out.append(text[i:m.start()])
        out.append(" " * (stop - m.start()))
        i = stop


def _segments(written: str) -> tuple[str, ...] | None:
    """The names of ``.a.b["c"]`` after ``site.data``; ``None`` when one is computed."""
    out: list[str] = []
    for m in _SEGMENT_RE.finditer(written):
        if m.group(1) is not None:
            out.append(m.group(1))
        elif m.group(2) is not None or m.group(3) is not None:
            out.append(m.group(2) if m.group(2) is not None else m.group(3))
        else:
            if not out:
                return None
            break  # site.data.people[page.author]: a key inside the file, computed
    return tuple(out)


def _last_key(path: str) -> tuple[str, str]:
    """(root variable, last key) of a variable path."""
    root = re.match(r"[A-Za-z_][\w-]*", path)
    parts = re.findall(r"\.\s*([A-Za-z_][\w-]*)|\[\s*(?:\"([^\"]*)\"|'([^']*)')\s*\]", path)
    last = ""
    if parts:
        a, b, c = parts[-1]
        last = a or b or c
    return (root.group() if root else ""), last


def _uses_in(rel: str, text: str, key: str, blocks: "list[_Block]") -> Iterator[Use]:
    for block in blocks:
        body = block.group()
        if key not in body:
            continue
        inner = body[2:-2].strip("-").strip()
        if not body.startswith("{{"):
            if any(_is_data_key(m.group(), key) for m in _PATH_RE.finditer(inner)):
                yield Use(rel, "mentioned")
            continue
        head, *filters = _split_filters(inner)
        names = [f.split(":", 1)[0].strip() for f in filters]
        arguments = " ".join(f.split(":", 1)[1] for f in filters if ":" in f)
        if any(_is_data_key(m.group(), key) for m in _PATH_RE.finditer(arguments)):
            yield Use(rel, "built")  # {{ site.cdn | append: x.image }}
        for m in _PATH_RE.finditer(head):
            if not _is_data_key(m.group(), key):
                continue
            if head.strip() != m.group().strip():
                yield Use(rel, "built")  # part of an expression
            else:
                yield _printed(rel, text, block.start(), block.end(), names)


def _is_data_key(path: str, key: str) -> bool:
    """Whether a variable path ends in ``key`` and is not rooted at ``site``, ``page`` ..."""
    root, last = _last_key(path)
    return last == key and root not in _OTHER_ROOTS


def _split_filters(inner: str) -> list[str]:
    """An output's expression and its filters, split on ``|`` outside quotes."""
    parts, current, quote = [], [], ""
    for ch in inner:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current.append(ch)
        elif ch == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


_STOPS = frozenset(" \t\r\n\"'(=>,<")


def _printed(rel: str, text: str, start: int, end: int, filters: list[str]) -> Use:
    """How an output printing the value at ``text[start:end]`` uses it, from what stands
    around it (the attribute it fills, what is written before and after it)."""
    if any(f not in _BENIGN_FILTERS and f not in _ROOT_FILTERS for f in filters):
        return Use(rel, "built")  # prepend, append, replace, split ...: changed on the way
    # What is written before it, back to the start of the attribute value or URL.
    i = start
    floor = max(0, start - _LOOK_BACK)
    literal: list[str] = []
    while i > floor:
        if i >= 2 and text.startswith("}}", i - 2):
            opening = text.rfind("{{", floor, i - 2)
            if opening == -1:
                break
            if not _BASEURL_RE.fullmatch(text[opening:i]):
                return Use(rel, "built")  # {{ site.cloudinary_url }}/showcase/{{ entry.image }}
            i = opening
            continue
        if (i >= 2 and text.startswith("%}", i - 2)) or text[i - 1] in _STOPS:
            break
        literal.append(text[i - 1])
        i -= 1
    else:
        if floor > 0:
            return Use(rel, "built")  # no start within reach: not a URL naislint can read
    prefix = "".join(reversed(literal))
    after = text[end:end + 2]
    if after.startswith("{{") or (after and after[0] not in _STOPS and after[0] not in "?#)" and not after.startswith("{%")):
        return Use(rel, "built")  # {{ x.name }}.png: the value is only a part
    if not _in_url(text, i):
        return Use(rel, "text")
    if "://" in prefix or prefix.startswith("//") or prefix.startswith(("mailto:", "tel:")):
        return Use(rel, "built")
    if any(f in _ROOT_FILTERS for f in filters):
        return Use(rel, "root", prefix)
    return Use(rel, "path", prefix)


def _in_url(text: str, at: int) -> bool:
    """Whether the value that starts at ``at`` (after a stop character) is where a URL
    goes: an attribute such as ``src`` or ``href``, a markdown link, a CSS ``url()``."""
    if at <= 0:
        return False
    stop = text[at - 1]
    j = at - 1
    if stop in "\"'":
        j -= 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j >= 3 and text[j - 3:j + 1].lower() == "url(":
            return True
        if j < 0 or text[j] != "=":
            return False
        stop = "="
    if stop == "=":
        j -= 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        end = j + 1
        while j >= 0 and (text[j].isalnum() or text[j] in "-_:"):
            j -= 1
        return text[j + 1:end].lower() in _URL_ATTRS
    if stop == "(":
        return text[at - 2:at] == "](" or text[max(0, at - 4):at].lower() == "url("
    return False


# -- reading a site ----------------------------------------------------------------------------

_CACHE: dict[str, tuple[tuple, "LiquidSources"]] = {}
_FILE_CACHE: dict[tuple[str, str], tuple[tuple, str | None]] = {}


def sources(root: str) -> LiquidSources:
    """The Liquid of the site at ``root``, read again when a file it read changed."""
    from naislint import jekyll

    real = os.path.realpath(root)
    candidates = list(_candidates(real, jekyll.entry_filter(real)))
    signature = tuple((rel, stamp) for rel, _path, stamp in candidates)
    cached = _CACHE.get(real)
    if cached is not None and cached[0] == signature:
        return cached[1]
    texts: dict[str, str] = {}
    for rel, path, stamp in candidates:
        text = _read(real, rel, path, stamp)
        if text is not None:
            texts[rel] = text
    found = LiquidSources(texts)
    _CACHE[real] = (signature, found)
    return found


def _candidates(root: str, entries: object) -> Iterator[tuple[str, str, tuple]]:
    from naislint.jekyll.entries import walk

    count = 0
    for rel, entry in walk(root):
        template = rel.startswith(TEMPLATE_FOLDERS)
        plugin = rel.startswith(PLUGIN_FOLDER) and rel.endswith(".rb")
        if not (template or plugin):
            if not rel.lower().endswith(TEXT_SUFFIXES) or not entries.reads(rel):  # type: ignore[attr-defined]
                continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if st.st_size > MAX_BYTES:
            continue
        count += 1
        if count > MAX_FILES:
            return
        yield rel, entry.path, (st.st_mtime_ns, st.st_size, st.st_ino, template or plugin)


def _read(root: str, rel: str, path: str, stamp: tuple) -> str | None:
    """A file's Liquid text (``None``: not read, or no front matter where one is needed)."""
    key = (root, rel)
    cached = _FILE_CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    from naislint.page.safeopen import read_regular

    text: str | None
    try:
        raw = read_regular(path, root, MAX_BYTES)
    except OSError:
        raw = None
    if raw is None or (not stamp[3] and not _FRONT_MATTER_RE.match(raw)):
        text = None
    else:
        decoded = raw.decode("utf-8", errors="replace")
        # A template may be included anywhere and print the includer's variables; a
        # page reads nothing of the site without naming ``site``.
        text = decoded if stamp[3] or "site" in decoded else ""
    _FILE_CACHE[key] = (stamp, text)
    return text


def templates_digest(root: str) -> str:
    """A digest of the stat stamps of the site's templates and plugins (``_layouts/``,
    ``_includes/``, ``_plugins/``) and of its own style sheet: what a page shows, and so what some rules say of it
    (whether its layout prints the title as ``<h1>``, whether a data key is printed),
    changes with them though the page does not. Folders are walked without following
    symbolic links; a folder that cannot be read counts as empty."""
    import hashlib

    digest = hashlib.blake2b(digest_size=8)
    real = os.path.realpath(root)
    count = 0
    for folder in (*TEMPLATE_FOLDERS, PLUGIN_FOLDER):
        stack = [folder.rstrip("/")]
        while stack and count < MAX_FILES:
            rel = stack.pop()
            try:
                with os.scandir(os.path.join(real, rel)) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                child = f"{rel}/{entry.name}"
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(child)
                        continue
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                count += 1
                digest.update(f"{child}\0{st.st_mtime_ns}\0{st.st_size}\0{st.st_ino}\n".encode("utf-8", "surrogateescape"))
    for rel in _site_stylesheets(real):
        try:
            st = os.lstat(os.path.join(real, rel))
        except OSError:
            continue
        digest.update(f"{rel}\0{st.st_mtime_ns}\0{st.st_size}\0{st.st_ino}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _site_stylesheets(root: str) -> list[str]:
    """The site's own style sheet (``custom_css_path`` in ``_config.yml``) and the Sass
    files Jekyll compiles to it: whether the layout's title shows depends on them."""
    from naislint import jekyll

    value = jekyll.load(root).raw.get("custom_css_path")
    if not isinstance(value, str) or "://" in value or value.strip().startswith("//"):
        return []
    relative = value.strip().split("?", 1)[0].split("#", 1)[0].lstrip("/")
    if not relative.endswith(".css") or ".." in relative.split("/"):
        return []
    stem = relative[: -len(".css")]
    return [relative, stem + ".scss", stem + ".sass"]


def clear_caches() -> None:
    """Forget every site's scan (tests)."""
    _CACHE.clear()
    _FILE_CACHE.clear()


__all__ = ["LiquidSources", "Use", "clear_caches", "sources"]
