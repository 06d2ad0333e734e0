"""A page, read once and parsed once, with every position a rule may ask for.

Rules never do offset arithmetic: they ask the Document for a :class:`Span` of an offset
range, of a token's lines, or of a needle found inside a token's source. The markdown
body is parsed with the front matter lines blanked out (not cut off), so markdown-it's
line maps are file line numbers.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterator, NamedTuple, TypeVar

from naislint.page import frontmatter as fm_mod
from naislint.diagnostics import Span
from naislint.page.text import NEWLINE_RE, Decoded, DecodeProblem, LineIndex, decode

if TYPE_CHECKING:
    from markdown_it.token import Token

    from naislint.page.frontmatter import FrontMatter
    from naislint.page.renderer import Renderer

T = TypeVar("T")

HTML_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
BACKTICKS_RE = re.compile(r"`+")


class UnreadableFile(Exception):
    """A file that cannot become a Document; carries the message and where it failed."""

    def __init__(self, message: str, line: int = 1, column: int = 1, read: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        #: Whether the bytes were read (and failed to decode): only then may a report
        #: show the file's lines. A refused file (a link out of the site, a pipe, a file
        #: over the size limit) is never read again for an excerpt.
        self.read = read


def read_bytes(path: str, max_size: int | None = None, within: str | None = None) -> bytes:
    """Read a page, turning every refusal and OS failure into :class:`UnreadableFile`.

    Through :func:`naislint.page.safeopen.read_regular`: only a regular file is read (a named
    pipe or a device called ``*.md`` would block the run forever or never end), and with
    ``within`` (the page's site root, see :func:`naislint.page.safeopen.boundary`) a symbolic
    link leading out of it is refused, so neither the report nor ``--fix`` ever sees
    another file's contents. At most ``max_size`` + 1 bytes are read.
    """
    from naislint.page.safeopen import Refused, read_regular

    try:
        return read_regular(path, within, max_size)
    except Refused as exc:
        message = exc.message[: -len("not read")] + "not linted" if exc.message.endswith("not read") else exc.message
        raise UnreadableFile(message) from None
    except FileNotFoundError:
        raise UnreadableFile("file disappeared before it could be read") from None
    except IsADirectoryError:
        raise UnreadableFile("path is a folder, not a file") from None
    except PermissionError:
        raise UnreadableFile("file cannot be read: permission denied") from None
    except OSError as exc:
        raise UnreadableFile(f"file cannot be read: {exc.strerror or exc}") from None


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large object graphs.

    Parsing a big page allocates hundreds of thousands of tokens and tree nodes, none of
    them garbage; each allocation burst triggers collections that rescan all of them, which
    made a 100,000-row table take 20 s instead of 3 s. Reference counting still frees
    everything; the collector runs again (as before) once the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Source(NamedTuple):
    """A slice of the document's text and where it starts, for scanning with regexes.

    (A named tuple: a page asks for the source of most of its block tokens, and a tuple
    is built in half the time of a frozen dataclass.)"""

    text: str
    start: int


class Document:
    """One markdown page: decoded text, front matter, tokens, tree and position helpers.

    ``text`` is the file's text with ``\\n`` newlines and no BOM; positions in it are the
    positions in the file (line endings do not change line numbers or columns). ``raw`` and
    ``decoded`` keep what ``--fix`` needs to write the file back byte for byte.
    """

    def __init__(self, path: str, decoded: Decoded, raw: bytes | None = None) -> None:
        self.path = path
        self.decoded = decoded
        self.raw = raw
        self.text = NEWLINE_RE.sub("\n", decoded.text) if "\r" in decoded.text else decoded.text
        self.index = LineIndex(self.text)
        self._memo: dict[str, object] = {}
        self._renderer: Renderer | None = None
        #: Set by the engine for a site's YAML source that is not a page (``_data/*.yml``,
        #: ``collection.yml``, ``_config.yml``): its kind (:mod:`naislint.jekyll.datafiles`).
        #: Only the rules made for data files run on such a document.
        self.data_kind: str | None = None

    @property
    def renderer(self) -> "Renderer | None":
        """How the page's site renders it (:class:`naislint.page.renderer.Renderer`), set
        by whoever loads the page within a site; ``None``: judged from the page alone."""
        return self._renderer

    @renderer.setter
    def renderer(self, value: "Renderer | None") -> None:
        """Set the renderer; a parse made for the other renderer's syntax (kramdown reads
        ``1)`` as text, GFM as a list) is dropped, with every analysis made from it."""
        self._renderer = value
        parsed_for = self.__dict__.get("_parsed_kramdown")
        if parsed_for is not None:
            from naislint.page.renderer import for_document

            if for_document(self).is_kramdown != parsed_for:
                self.release_parse()
                self._memo.clear()

    def memo(self, key: str, compute: "Callable[[], T]") -> "T":
        """Compute a derived analysis once per document and share it between rules.

        Several rules look at the same things (the page's HTML tags, its logical lists);
        keyed by a dotted name of the module that owns the analysis.
        """
        try:
            return self._memo[key]  # type: ignore[return-value]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    @cached_property
    def digest(self) -> str | None:
        """Digest of the file's bytes (``None`` for a buffer given as text): the content
        key of the results cache and of the site index's facts, computed once."""
        if self.raw is None:
            return None
        from naislint.store.stamps import content_hash

        return content_hash(self.raw)

    def release_parse(self) -> None:
        """Drop the token list, tree and masked text (the bulk of a parsed page's memory)
        while keeping the text, front matter and memoised analyses. A run holding many
        pages between two passes calls this; anything asking for tokens again re-parses."""
        for name in ("tokens", "tree", "prose", "_parsed_kramdown"):
            self.__dict__.pop(name, None)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_text(cls, text: str, path: str = "<stdin>") -> "Document":
        has_bom = text.startswith("\ufeff")
        if has_bom:
            text = text[1:]
        from naislint.page.text import dominant_newline

        return cls(path, Decoded(text=text, has_bom=has_bom, newline=dominant_newline(text)))

    @classmethod
    def from_bytes(cls, raw: bytes, path: str) -> "Document":
        """Decode bytes; raises :class:`UnreadableFile` for binary or non-UTF-8 input."""
        try:
            decoded = decode(raw)
        except DecodeProblem as exc:
            raise UnreadableFile(exc.message, exc.line, exc.column, read=True) from None
        return cls(path, decoded, raw)

    @classmethod
    def load(cls, path: str, max_size: int | None = None, within: str | None = None) -> "Document":
        """Read and decode the page at ``path`` (``within``: the folder it may not leave)."""
        return cls.from_bytes(read_bytes(path, max_size, within), path)

    # -- lines and positions -------------------------------------------------------------

    @cached_property
    def lines(self) -> list[str]:
        """The file's lines without line endings (``lines[0]`` is line 1)."""
        return self.text.split("\n")

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) without its line ending; ``""`` out of range.

        Cut from the text by the line index while nothing has asked for :attr:`lines`:
        most pages are asked for a line or two (the first line's length for a report on
        the front matter), not worth splitting the whole page into lines."""
        lines: list[str] | None = self.__dict__.get("lines")
        if lines is not None:
            return lines[number - 1] if 1 <= number <= len(lines) else ""
        index = self.index
        if not 1 <= number <= index.line_count:
            return ""
        return self.text[index.line_start(number) : index.line_end(number)]

    def position(self, offset: int) -> tuple[int, int]:
        return self.index.position(offset)

    def offset(self, line: int, column: int = 1) -> int:
        return self.index.offset(line, column)

    def span(self, start: int, end: int | None = None) -> Span:
        """Span of the text between two offsets (a point when ``end`` is omitted)."""
        line, column = self.index.position(start)
        if end is None or end == start:
            return Span(line, column, line, column)
        end_line, end_column = self.index.position(end)
        return Span(line, column, end_line, end_column)

    def line_span(self, first: int, last: int | None = None) -> Span:
        """Span of whole lines ``first``..``last`` (inclusive), without the final newline."""
        last = first if last is None else last
        return Span(first, 1, last, len(self.line(last)) + 1)

    # -- front matter --------------------------------------------------------------------

    @cached_property
    def front_matter(self) -> "FrontMatter | None":
        """The parsed front matter, or ``None`` when the page has no front matter block."""
        return fm_mod.parse(self.text)

    @property
    def meta(self) -> dict[Any, Any]:
        """Front matter as a dict (empty when missing, broken or not a mapping)."""
        fm = self.front_matter
        return fm.mapping if fm is not None else {}

    @cached_property
    def body_start(self) -> int:
        """Offset where the markdown body begins (after the closing fence)."""
        fm = self.front_matter
        if fm is None:
            return 0
        return fm.block.end_offset if fm.block.close_line is not None else 0

    @cached_property
    def body_first_line(self) -> int:
        return self.index.position(self.body_start)[0]

    # -- markdown ------------------------------------------------------------------------

    @cached_property
    def tokens(self) -> "list[Token]":
        """markdown-it-py block tokens of the body; maps are 0-based file line ranges.

        Parsed in the syntax of the page's renderer (:func:`naislint.page.markdown.parser`).
        """
        from naislint.page.markdown import parser
        from naislint.page.renderer import for_document

        kramdown = for_document(self).is_kramdown
        self.__dict__["_parsed_kramdown"] = kramdown

        start = self.body_start
        if start:
            # Blank lines instead of the front matter keep the line maps in file terms.
            source = "\n" * self.text.count("\n", 0, start) + self.text[start:]
        else:
            source = self.text
        with _gc_paused():
            return parser(kramdown).parse(source, {})

    def source_of(self, token_or_node: "Token") -> Source:
        """The source text of a block token's lines (``map``), with its start offset."""
        line_map = getattr(token_or_node, "map", None)
        if not line_map:
            return Source("", 0)
        start = self.index.line_start(line_map[0] + 1)
        end = self.index.line_end(line_map[1]) if line_map[1] > line_map[0] else start
        return Source(self.text[start:end], start)

    # -- masked text ---------------------------------------------------------------------

    @cached_property
    def prose(self) -> str:
        """``text`` with front matter, code, code spans and HTML comments blanked out.

        Same length and same newlines as ``text``, so an offset found by a regex over
        ``prose`` is an offset in the file. Text rules scan this and never report inside
        code or comments.
        """
        text = self.text
        ranges: list[tuple[int, int]] = [(0, self.body_start)] if self.body_start else []
        index = self.index
        scanned: set[tuple[int, int]] = set()
        for token in self.tokens:
            if token.type in ("fence", "code_block") and token.map:
                ranges.append((index.line_start(token.map[0] + 1), index.line_end(token.map[1])))
            elif token.type == "inline" and token.map and "`" in token.content:
                # Table cells share their row's lines: scan each line range once, or a
                # wide table costs cells x row length.
                key = (token.map[0], token.map[1])
                if key in scanned:
                    continue
                scanned.add(key)
                src = self.source_of(token)
                ranges.extend((src.start + a, src.start + b) for a, b in code_span_ranges(src.text))
        if "<!--" in text:
            ranges.extend(m.span() for m in HTML_COMMENT_RE.finditer(text, self.body_start))
        return blank_ranges(text, ranges)


def blank_ranges(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with every character of ``ranges`` (which may overlap) but newlines made a
    space, so that a pattern cannot match inside them and lines and columns stay put."""
    if not ranges:
        return text
    out: list[str] = []
    cursor = 0
    for start, end in sorted(ranges):
        start = max(start, cursor)
        if end <= start:
            continue
        out.append(text[cursor:start])
        out.append(_blanked(text[start:end]))
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _blanked(text: str) -> str:
    """Spaces in place of every character but newlines (so lines and columns stay put)."""
    if "\n" not in text:
        return " " * len(text)
    return "\n".join(" " * len(part) for part in text.split("\n"))


def code_span_ranges(text: str) -> Iterator[tuple[int, int]]:
    """Ranges of CommonMark code spans: a backtick run closed by the next run of equal length.

    A backslash before an opening run escapes its first backtick only; inside a span
    backslashes are literal, so closing runs are taken whole.
    """
    import bisect

    runs = [(m.start(), m.end()) for m in BACKTICKS_RE.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for idx, (a, b) in enumerate(runs):
        by_length.setdefault(b - a, []).append(idx)
    i = 0
    while i < len(runs):
        a, b = runs[i]
        if a > 0 and text[a - 1] == "\\":
            a += 1
        if a == b:
            i += 1
            continue
        same = by_length.get(b - a, [])
        k = bisect.bisect_right(same, i)
        if k < len(same):
            j = same[k]
            yield a, runs[j][1]
            i = j + 1
        else:
            i += 1
