"""Hostile inputs: pages built to crash, hang or mislead a linter.

Each :class:`Case` writes its files into a folder it is given (nothing big is committed)
and says what a run over them must report. ``tests/test_bad_input.py`` runs every case
through the CLI and the engine; ``bench/hostile_inputs.py`` times them for the record.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

MIB = 1024 * 1024
#: The default ``max-file-size`` (see config.py); the oversized case is well above it.
DEFAULT_MAX_FILE_SIZE = 5 * MIB

#: A module that records its own import by creating a file: a YAML tag that names it
#: proves by the file's absence that front matter never imports (let alone runs) code.
PAYLOAD_MODULE = "naislint_hostile_payload"
PAYLOAD_SOURCE = (
    "import os, pathlib\n"
    "pathlib.Path(os.environ.get('NAISLINT_PAYLOAD_MARKER', 'payload-imported')).touch()\n"
    "def run(*args):\n"
    "    pathlib.Path(os.environ.get('NAISLINT_PAYLOAD_MARKER', 'payload-imported') + '.ran').touch()\n"
)

FRONT = "---\ntitle: Hostile\npermalink: /hostile/\ndescription: A page built to break linters.\n---\n"


@dataclass(frozen=True)
class Expect:
    """What linting a case must give.

    ``rules``: rules that must be reported (at ``positions`` when given, as
    ``(rule, line, column)``); ``only``: the exact set of rules reported (for files that
    never become a Document); ``readable``: the page is valid UTF-8 text, so
    ``unreadable-file`` must not be reported.
    """

    rules: frozenset[str] = frozenset()
    positions: tuple[tuple[str, int, int], ...] = ()
    only: frozenset[str] | None = None
    readable: bool = True


@dataclass(frozen=True)
class Case:
    """``hang_prone``: a case that used to hang naislint (a pipe or ``/dev/stdin``); it is
    also run in a subprocess with a timeout, in every output format."""

    name: str
    what: str
    build: Callable[[Path], list[Path]]
    expect: Expect = field(default_factory=Expect)
    hang_prone: bool = False


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _page(name: str, data: bytes | str) -> Callable[[Path], list[Path]]:
    return lambda folder: [_write(folder, name, data)]


def _jekyll_page(name: str, data: bytes | str) -> Callable[[Path], list[Path]]:
    """A page that is meant for a Jekyll site (its front matter rules apply): a folder
    with no ``_config.yml`` is read on GitHub, so the folder names the preset."""

    def build(folder: Path) -> list[Path]:
        _write(folder, ".naislint.yml", "preset: jekyll\n")
        return [_write(folder, name, data)]

    return build


def realistic_body(size: int) -> str:
    """Markdown like the sites': headings, lists, links, raw HTML, entities, tables."""
    chunk = (
        "## Section heading\n\n"
        "Some *text* with a [link](/a/b/) and <a href=\"https://example.com\" target=\"_blank\">html</a>"
        "&nbsp;and **bold**.\n\n"
        "- item one\n- item **two** with `code`\n  1. nested\n\n"
        "<div class=\"row\"><p>block <span style=\"color:red\">html</span></p></div>\n\n"
        "> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    )
    body = chunk * (size // len(chunk))
    return body + "x" * (size - len(body.encode("utf-8")) - 1) + "\n"


def _alias_bomb() -> str:
    lines = ["---", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines += ["title: bomb", "---", "Body", ""]
    return "\n".join(lines)


def _python_tags(folder: Path) -> list[Path]:
    _write(folder, f"payload/{PAYLOAD_MODULE}.py", PAYLOAD_SOURCE)
    marker = folder / "payload-marker"
    text = (
        "---\n"
        f"title: !!python/object/apply:{PAYLOAD_MODULE}.run []\n"
        f"layout: !!python/object/apply:os.system ['touch {marker}.system']\n"
        f"x: !!python/name:{PAYLOAD_MODULE}.run\n"
        f"y: !!python/module:{PAYLOAD_MODULE}\n"
        "---\nBody\n"
    )
    return [_write(folder, "pages/tagged.md", text)]


def _symlink_loop(folder: Path) -> list[Path]:
    site = folder / "site"
    _write(site, "_config.yml", "title: loop\n")
    _write(site, "pages/a.md", FRONT + "Text\n")
    os.symlink(site, site / "pages" / "loop")  # a folder link back up the tree
    os.symlink(site / "pages" / "self", site / "pages" / "self")  # a link to itself
    os.symlink("b-link.md", site / "pages" / "a-link.md")  # two file links in a loop
    os.symlink("a-link.md", site / "pages" / "b-link.md")
    return [site]


def _fifo(folder: Path) -> list[Path]:
    path = folder / "pipe.md"
    os.mkfifo(path)
    return [path]


#: Text of the file outside the site that a link points at: no report may show it, and
#: ``--fix`` must not touch it (its ``target="_blank"`` has a safe fix).
OUTSIDE_SECRET = 'secret-outside-the-site token=hunter2 <a href="https://example.com" target="_blank">x</a>'


def _site(folder: Path) -> Path:
    """A small site: ``_config.yml`` and a clean page that links to ``/pipe.png``."""
    site = folder / "site"
    _write(site, "_config.yml", "title: hostile\n")
    _write(site, "pages/a.md", FRONT + "See [the file](/pipe.png).\n")
    return site


def _fifos_in_site(folder: Path) -> list[Path]:
    """Named pipes as a page and as an asset: the site index opens every file."""
    site = _site(folder)
    os.mkfifo(site / "pages" / "page.md")
    os.mkfifo(site / "pipe.png")
    return [site]


def _dev_stdin_link(folder: Path) -> list[Path]:
    """A page that is a link to /dev/stdin (git can commit one)."""
    site = _site(folder)
    _write(site, "pipe.png", b"\x89PNG\r\n")
    os.symlink("/dev/stdin", site / "pages" / "stdin.md")
    return [site]


def _links_out_of_site(folder: Path) -> list[Path]:
    """Pages that are links to files outside the site: a sibling folder's file, and
    /etc/passwd (a pull request can add either)."""
    site = _site(folder)
    _write(site, "pipe.png", b"\x89PNG\r\n")
    outside = _write(folder, "outside/secret.md", OUTSIDE_SECRET + "\n")
    os.symlink(os.path.relpath(outside, site / "pages"), site / "pages" / "secret.md")
    os.symlink("/etc/passwd", site / "pages" / "passwd.md")
    return [site]


def _line_endings(newline: str) -> Callable[[Path], list[Path]]:
    lines = ["---", "title: a", "title: b", "description: ''", "---", "", "Text", ""]
    return _jekyll_page(f"endings-{len(newline)}.md", newline.join(lines))


def _mixed_endings(folder: Path) -> list[Path]:
    text = "---\r\ntitle: a\rtitle: b\ndescription: ''\r\n---\n\r\nText caf\u00e9\r\n\rMore\n"
    return _jekyll_page("mixed.md", text)(folder)


def _mixed_endings_bad_byte(folder: Path) -> list[Path]:
    return [_write(folder, "mixed-latin1.md", b"---\r\ntitle: a\r---\n\r\nline\r\nText caf\xe9\r")]


def _cases() -> list[Case]:
    unreadable = frozenset({"unreadable-file"})
    fm_syntax = frozenset({"front-matter-syntax"})
    return [
        Case("invalid-utf8", "invalid UTF-8 (a Latin-1 byte on line 7)",
             _page("latin1.md", FRONT.encode() + b"\nCaf\xe9 au lait\n"),
             Expect(positions=(("unreadable-file", 7, 4),), only=unreadable, readable=False)),
        Case("utf16-bom", "UTF-16 with a byte order mark",
             _page("utf16.md", (FRONT + "Hello\n").encode("utf-16")),
             Expect(positions=(("unreadable-file", 1, 1),), only=unreadable, readable=False)),
        Case("binary", "a PNG named .md",
             _page("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64),
             Expect(only=unreadable, readable=False)),
        Case("empty", "an empty file", _page("empty.md", b"")),
        Case("unclosed-front-matter", "'---' with no closing fence",
             _page("unclosed.md", "---\ntitle: x\n\nBody text\n"),
             Expect(positions=(("front-matter-syntax", 1, 1),))),
        Case("front-matter-only", "front matter only, no newline at the end",
             _page("only.md", "---\ntitle: Only\npermalink: /only/\n---")),
        Case("alias-bomb", "a YAML alias bomb (9^10 nodes)", _page("bomb.md", _alias_bomb()),
             Expect(rules=fm_syntax)),
        Case("recursive-alias", "a YAML anchor that contains itself",
             _page("loop.md", "---\ntitle: A loop\nlinks: &l {url: *l}\n---\nBody\n"),
             Expect(positions=(("front-matter-syntax", 3, 8),))),
        Case("python-tags", "!!python/object/apply, /name, /module tags", _python_tags,
             Expect(positions=(("front-matter-syntax", 2, 8),))),
        Case("yaml-deep", "front matter nested 10,000 deep",
             _page("deep.md", "---\na: " + "[" * 10_000 + "\n---\n"), Expect(rules=fm_syntax)),
        Case("blockquotes-5000", "5,000 nested blockquotes",
             _page("quotes.md", FRONT + "> " * 5000 + "deep\n" + "".join(">" * i + " x\n" for i in range(1, 400)))),
        Case("lists-3000", "3,000 nested list levels",
             _page("lists.md", FRONT + "- " * 3000 + "x\n\n" + "1. " * 3000 + "y\n\n"
                   + "".join("  " * i + "- z\n" for i in range(600)))),
        Case("brackets-100k", "100,000 '[' on one line", _page("brackets.md", FRONT + "[" * 100_000 + "\n")),
        Case("divs-20k", "20,000 <div> on one line",
             _page("divs.md", FRONT + "<div>" * 20_000 + "\n\nText <div>" + "<span>" * 20_000 + "\n")),
        Case("html-unclosed", "20,000 unclosed '<!--', '<a b=\\'', '<![CDATA[' on one line",
             _page("unclosed-html.md", FRONT + "<div>" + "<!-- x>" * 20_000 + "\n\n<div>" + "<a b='" * 20_000
                   + "\n\n<div>" + "<![CDATA[ x>" * 20_000 + "\n")),
        Case("wide-table", "a table of 5,000 columns by 40 rows",
             _page("table.md", FRONT + "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n"
                   + ("|" + "`x`|" * 5000 + "\n") * 40)),
        Case("content-repeats", "3,000 doubled words on one line, 1,000 nested tables, 3,000 linked images",
             _page("repeats.md", FRONT + "the the " * 3000 + "\n\n<table>"
                   + "<tr><td>a</td><td>b</td></tr><table><tr><td>c</td><td>d</td></tr><tr><td>e</td></tr></table>" * 1000
                   + "</table>\n\n" + "".join(f'<a href="/p{i}/"><img src="/i{i}.png"></a> [![](/m{i}.png)](/l{i}/)\n'
                                             for i in range(3000))),
             Expect(rules=frozenset({"doubled-word", "table-header", "image-alt"}))),
        Case("links-50k", "a page with 50,000 links",
             _page("links.md", FRONT + "".join(f"- [Link {i}](/page-{i}/#part-{i})\n" for i in range(50_000)))),
        Case("oversized", "a 20 MB page (over max-file-size)",
             _page("big.md", FRONT + realistic_body(20 * MIB)),
             Expect(only=unreadable, readable=False)),
        Case("just-under-limit", "a page 1 byte under max-file-size (5 MiB)",
             _page("almost.md", FRONT + realistic_body(DEFAULT_MAX_FILE_SIZE - 1 - len(FRONT)))),
        Case("crlf", "CRLF line endings", _line_endings("\r\n"),
             Expect(positions=(("front-matter-duplicate-key", 3, 1), ("front-matter-empty", 4, 1)))),
        Case("cr-only", "CR-only line endings", _line_endings("\r"),
             Expect(positions=(("front-matter-duplicate-key", 3, 1), ("front-matter-empty", 4, 1)))),
        Case("mixed-endings", "CRLF, CR and LF mixed", _mixed_endings,
             Expect(positions=(("front-matter-duplicate-key", 3, 1), ("front-matter-empty", 4, 1)))),
        Case("mixed-endings-bad-byte", "mixed line endings, a Latin-1 byte on line 6", _mixed_endings_bad_byte,
             Expect(positions=(("unreadable-file", 6, 9),), only=unreadable, readable=False)),
        Case("unicode-breaks", "NEL, LINE/PARAGRAPH SEPARATOR in front matter",
             _jekyll_page("separators.md", "---\ntitle: \"a\u2028b\u0085c\u2029d\"\ntitle: e\ndescription: ''\n---\nx\u2028y\n"),
             Expect(positions=(("front-matter-duplicate-key", 3, 1), ("front-matter-empty", 4, 1)))),
        Case("symlink-loop", "symbolic link loops in the site tree", _symlink_loop,
             Expect(rules=unreadable, readable=False)),
        Case("fifo", "a named pipe called .md", _fifo, Expect(only=unreadable, readable=False), hang_prone=True),
        Case("fifo-in-site", "named pipes in a site (page.md, pipe.png)", _fifos_in_site,
             Expect(positions=(("unreadable-file", 1, 1),), only=unreadable, readable=False), hang_prone=True),
        Case("dev-stdin-link", "a page linked to /dev/stdin", _dev_stdin_link,
             Expect(positions=(("unreadable-file", 1, 1),), only=unreadable, readable=False), hang_prone=True),
        Case("links-out-of-site", "pages linked to files outside the site (/etc/passwd)", _links_out_of_site,
             Expect(positions=(("unreadable-file", 1, 1),), only=unreadable, readable=False)),
    ]


CASES: list[Case] = _cases()
