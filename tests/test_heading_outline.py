"""The heading outline naislint reads is the one real kramdown renders, on every real page.

heading-increment and heading-structure judge a page by its outline
(:func:`naislint.rules.heading_increment.headings`): markdown headings as the site's
renderer makes them, and HTML ``<h1>``-``<h6>``. Every page of ``corpus/`` (six Isomer
sites) and ``corpus-jekyll/`` (jekyllrb.com) is rendered by kramdown with Jekyll's options
(``tests/kramdown_html.rb``, batched), and the sequence of heading levels in its HTML must
be the sequence naislint reads. Pages are prepared as in ``test_renderer_oracle``: front
matter becomes empty lines, ``{% highlight %}``/``{% comment %}`` blocks empty lines, and
any other Liquid as many ``x`` (its output is unknown).

The cases where CommonMark's outline is not kramdown's, all met on these sites: lines of
text over ``---`` (a page whose front matter lost its opening ``---``), ``#### Heading``
right after ``<h2>...</h2>`` (kramdown ends the element at its end tag), `` ####`` indented
by a space (no header in kramdown) and ``## `` alone (a paragraph "##").
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from naislint.jekyll import rendering
from naislint.page.document import Document
from naislint.rules.heading_increment import headings
from ruby_batch import run_batched
from shared_data import CORPUS, CORPUS_JEKYLL, need

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

DRIVER = Path(__file__).parent / "kramdown_html.rb"
INSTALL = "apt-get install -y ruby-kramdown ruby-kramdown-parser-gfm"
TIMEOUT = 900

_HIGHLIGHT_RE = re.compile(r"\{%-?\s*(highlight|comment)\b.*?%\}.*?\{%-?\s*end\1\s*-?%\}", re.DOTALL)
_LIQUID_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING_RE = re.compile(r"<h([1-6])[\s>]")


def _kramdown_missing() -> str | None:
    if shutil.which("ruby") is None:
        return f"ruby is not installed ({INSTALL})"
    probe = subprocess.run(["ruby", "-e", 'require "kramdown"; require "kramdown-parser-gfm"'],
                           capture_output=True, text=True, timeout=60)
    return None if probe.returncode == 0 else f"kramdown is missing ({INSTALL}): {probe.stderr.strip()[:200]}"


def _prepare(doc: Document) -> str:
    text = doc.text
    start = doc.body_start
    body = "\n" * text.count("\n", 0, start) + text[start:]
    body = _HIGHLIGHT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    return _LIQUID_RE.sub(lambda m: re.sub(r"[^\n]", "x", m.group(0)), body)


def _pages() -> list[tuple[Path, list[int], str]]:
    """(path, naislint's levels, the page as kramdown receives it) of every site page."""
    pages = []
    for root in (need(CORPUS), need(CORPUS_JEKYLL)):
        for site in sorted(p for p in root.iterdir() if (p / "_config.yml").is_file()):
            renderer = rendering.for_site(str(site))
            for path in sorted(site.rglob("*.md")):
                if not path.is_file() or path.is_symlink():
                    continue
                doc = Document.load(str(path))
                doc.renderer = renderer
                pages.append((path, [level for _at, _end, level in headings(doc)], _prepare(doc)))
    return pages


def test_the_heading_outline_is_kramdowns_on_every_page() -> None:
    problem = _kramdown_missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"kramdown is required in CI: {problem}")
        pytest.skip(problem)
    pages = _pages()
    rendered = run_batched(DRIVER, [body for _path, _levels, body in pages], TIMEOUT)
    differ = []
    for (path, levels, _body), html in zip(pages, rendered):
        assert isinstance(html, str), f"{path}: kramdown failed: {html}"
        theirs = [int(n) for n in _HEADING_RE.findall(_COMMENT_RE.sub("", html))]
        if theirs != levels:
            differ.append(f"{path}: naislint {levels[:12]}, kramdown {theirs[:12]}")
    assert len(pages) > 1500
    assert not differ, f"{len(differ)} pages whose outline is not kramdown's:\n" + "\n".join(differ[:20])
