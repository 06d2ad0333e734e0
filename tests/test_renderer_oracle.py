"""naislint's renderer model and ``visible-markup`` against the real renderers.

Every page of ``corpus/`` (six Isomer sites) and ``corpus-jekyll/`` (jekyllrb.com) is
rendered by real kramdown with Jekyll's options (``tests/renderer_oracle.rb``, batched
through two Ruby processes as ``tests/test_kramdown_ids.py`` does); every page of
``corpus-plain/`` (kubernetes/community, read on GitHub) by Debian's ``cmark-gfm -e table
-e strikethrough -e autolink --unsafe`` in XML form with source positions. From each
renderer's output the test takes the text a visitor sees, line by line, outside code,
``<pre>`` and ``<code>``, and the outermost HTML elements printed raw.

How pages are prepared, since Jekyll itself is not run:

- front matter is replaced by as many empty lines, so line numbers stay file lines;
- Jekyll sites only (GitHub does not run Liquid): ``{% highlight %}`` and
  ``{% comment %}`` blocks become empty lines (Jekyll makes the first a code block and
  drops the second), every other Liquid tag or ``{{ output }}`` becomes as many ``x`` as
  it has characters (its output is unknown; a neutral word keeps columns and lines).

Checks:

1. every raw region naislint reports as holding markdown is an element the renderer
   printed raw, starting on the same line;
2. recall: every line on which the renderer shows a literal ``**``, ``](`` or ``\\.``
   (a raw element counts as its start line) has a ``visible-markup`` report, unless it is
   one of the justified exceptions below;
3. precision: every ``visible-markup`` report sits on a line where the renderer shows
   what it reports (a raw element with markdown in its text; the marker; the attribute
   list; the entity).

Recall and precision must each be at least 95%. The table printed at the end is the one
in docs/real-sites.md, "What the reader sees".
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from naislint.registry import RuleContext
from naislint import jekyll
from naislint.jekyll import rendering
from naislint.page.document import Document
from naislint.page.regions import raw_regions
from naislint.page.renderer import for_document
from naislint.rules import split_emphasis, visible_markup
from ruby_batch import run_batched
from shared_data import CORPUS, CORPUS_JEKYLL, CORPUS_PLAIN, need

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

HERE = Path(__file__).parent
DRIVER = HERE / "renderer_oracle.rb"
INSTALL = "apt-get install -y ruby-kramdown ruby-kramdown-parser-gfm cmark-gfm"
CMARK = ["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "autolink", "--unsafe",
         "--sourcepos", "-t", "xml"]
#: Markers whose literal appearance must be reported (recall).
RECALL_RE = re.compile(r"\*\*|\]\(|\\\.")
#: What a raw region's visible text must hold for its report to be right.
RAW_MARKDOWN_RE = re.compile(r"(?m)\*\*|__|\]\(|\\[!-/:-@\[-`{-~]|\*[^\s*][^*\n]*\*|^[ \t]*#{1,6} |\{:")
TIMEOUT = 900

_HIGHLIGHT_RE = re.compile(r"\{%-?\s*(highlight|comment)\b.*?%\}.*?\{%-?\s*end\1\s*-?%\}", re.DOTALL)
_LIQUID_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)


def _problem() -> str | None:
    for tool in ("ruby", "cmark-gfm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed ({INSTALL})"
    probe = subprocess.run(["ruby", "-e", 'require "kramdown"; require "kramdown-parser-gfm"'],
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        return f"kramdown is missing ({INSTALL}): {probe.stderr.strip()[:200]}"
    return None


def _blank(text: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in text)


def prepare(doc: Document, jekyll_site: bool) -> str:
    """The page as the renderer receives it (see the module docstring)."""
    text = doc.text
    start = doc.body_start
    body = "\n" * text.count("\n", 0, start) + text[start:]
    if jekyll_site:
        body = _HIGHLIGHT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), body)
        body = _LIQUID_RE.sub(lambda m: re.sub(r"[^\n]", "x", m.group(0)), body)
    return body


# -- renderers -------------------------------------------------------------------------------


def _kramdown(docs: list[str]) -> list[dict]:
    result: list[dict] = run_batched(DRIVER, docs, TIMEOUT)
    for page in result:
        if "text" in page:
            page["text"] = {int(k): v for k, v in page["text"].items()}
    return result


class _HtmlText(HTMLParser):
    """Visible text of an HTML block by line, outside code and preformatted elements."""

    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first = first_line
        self.depth = 0
        self.lines: dict[int, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag in visible_markup.LITERAL_ELEMENTS:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in visible_markup.LITERAL_ELEMENTS and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            return
        line = self.first + self.getpos()[0] - 1
        for k, part in enumerate(data.split("\n")):
            self.lines[line + k] = self.lines.get(line + k, "") + part


def _cmark(body: str) -> dict:
    out = subprocess.run(CMARK, input=body, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    # XML 1.0 forbids most control characters, which cmark-gfm copies from the page.
    root = ET.fromstring(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#x?0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|[bcef]|1[0-9a-f]);", " ", out.stdout))
    ns = "{http://commonmark.org/xml/1.0}"
    lines: dict[int, str] = {}
    raw: list = []

    # cmark-gfm's source positions of inline nodes drift after a line break; a text
    # node's line is its block's first line plus the line breaks before it.
    position = {"line": 0}

    def walk(node) -> None:
        tag = node.tag.replace(ns, "")
        pos = node.get("sourcepos")
        line = int(pos.split(":")[0]) if pos else None
        if tag in ("paragraph", "heading", "table_cell") and line is not None:
            position["line"] = line
        if tag in ("softbreak", "linebreak"):
            position["line"] += 1
            return
        if tag in ("code", "html_inline"):
            position["line"] += (node.text or "").count("\n")
            return
        if tag == "code_block":
            return
        if tag == "text":
            at = position["line"]
            lines[at] = lines.get(at, "") + (node.text or "")
            return
        if tag == "html_block" and line is not None:
            parser = _HtmlText(line)
            parser.feed(node.text or "")
            parser.close()
            m = re.match(r"\s*</?([A-Za-z][\w-]*)", node.text or "")
            raw.append([line, m.group(1).lower() if m else "", "\n".join(parser.lines.values())])
            return
        for child in node:
            walk(child)

    walk(root)
    return {"text": lines, "raw": raw}


# -- comparison ------------------------------------------------------------------------------


@dataclass
class Page:
    path: Path
    corpus: str
    doc: Document
    reports: list = field(default_factory=list)
    split_lines: set = field(default_factory=set)
    rendered: dict = field(default_factory=dict)


def _pages() -> list[Page]:
    pages = []
    for corpus, root in (("corpus", need(CORPUS)), ("corpus-jekyll", need(CORPUS_JEKYLL)),
                         ("corpus-plain", need(CORPUS_PLAIN))):
        for path in sorted(root.rglob("*.md")):
            if not path.is_file() or path.is_symlink():
                continue
            try:
                doc = Document.load(str(path))
            except Exception:
                continue
            doc.renderer = rendering.for_page(doc, jekyll.find_site_root(str(path)), None)
            pages.append(Page(path, corpus, doc))
    return pages


@pytest.fixture(scope="session")
def oracle() -> list[Page]:
    problem = _problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the renderer oracle is required in CI: {problem}")
        pytest.skip(problem)
    pages = _pages()
    kramdown_pages = [p for p in pages if for_document(p.doc).is_kramdown]
    results = _kramdown([prepare(p.doc, True) for p in kramdown_pages])
    for page, rendered in zip(kramdown_pages, results):
        page.rendered = rendered
    for page in pages:
        if not for_document(page.doc).is_kramdown:
            page.rendered = _cmark(prepare(page.doc, False))
        # Every page, records too: the oracle measures whether what the rules say shows
        # does show, not which pages an editor is told about.
        page.reports = list(visible_markup.check(
            page.doc, RuleContext.alone(page.doc.path), visible_markup.Options(dated_logs=True)))
        page.split_lines = {f.span.line for f in split_emphasis.check(
            page.doc, RuleContext.alone(page.doc.path), split_emphasis.Options(dated_logs=True))}
    return pages


#: Lines where a literal marker shows and visible-markup stays quiet on purpose, with why.
#: Each entry: (corpus-relative path suffix, line, reason).
EXCEPTIONS: tuple[tuple[str, int, str], ...] = ()


def _excepted(page: Page, line: int) -> str | None:
    if line in page.split_lines:
        return "split-emphasis reports this '****' (with its fix); one problem, one report"
    rel = str(page.path)
    for suffix, at, reason in EXCEPTIONS:
        if rel.endswith(suffix) and at == line:
            return reason
    return None


def _units(page: Page) -> dict[int, str]:
    """Lines (raw elements: their start line) where the renderer shows a recall marker."""
    units: dict[int, str] = {}
    for line, value in page.rendered.get("text", {}).items():
        m = RECALL_RE.search(value)
        if m:
            units.setdefault(line, m.group(0))
    for line, _tag, value in page.rendered.get("raw", []):
        m = RECALL_RE.search(value)
        if m:
            units.setdefault(line, m.group(0))
    return units


def _confirmed(page: Page, finding) -> bool:
    """Whether the renderer shows what ``finding`` reports, on its line."""
    line = finding.span.line
    message = finding.message
    if "as raw HTML" in message or "HTML block" in message:
        return any(l == line and RAW_MARKDOWN_RE.search(v) for l, _t, v in page.rendered.get("raw", []))
    shown = page.rendered.get("text", {}).get(line, "")
    if message.startswith(("bold marker", "italic marker")):
        marker = re.search(r"marker '([*_]+)'", message).group(1)
        return marker in shown
    if message.startswith("attribute list"):
        return "{" in shown
    if message.startswith("link markup"):
        return "](" in shown or re.search(r"\][~*_]+\(", shown) is not None
    m = re.search(r"shows as the text '([^']+)'", message)
    if m:
        return m.group(1) in shown or any(m.group(1) in v for l, _t, v in page.rendered.get("raw", []) if l <= line)
    return False


def _measure(pages: list[Page]) -> dict:
    table: dict[str, dict] = {}
    misses: list[str] = []
    wrong: list[str] = []
    region_misses: list[str] = []
    excepted: list[str] = []
    for page in pages:
        row = table.setdefault(page.corpus, dict(pages=0, regions=0, units=0, found=0, reports=0, right=0,
                                                 errors=0))
        row["pages"] += 1
        if "error" in page.rendered:
            row["errors"] += 1
            continue
        raw_lines = {(l, t) for l, t, _v in page.rendered.get("raw", [])}
        for region in raw_regions(page.doc):
            row["regions"] += 1
        reported = {f.span.line for f in page.reports}
        for f in page.reports:
            if "as raw HTML" in f.message or "HTML block" in f.message:
                tag = re.search(r"<([^>]+)>", f.message) if "as raw HTML" in f.message else None
                if not any(l == f.span.line and (tag is None or t == tag.group(1)) for l, t in raw_lines):
                    region_misses.append(f"{page.path}:{f.span.line}: {f.message[:100]}")
        for line, marker in sorted(_units(page).items()):
            reason = _excepted(page, line)
            if reason:
                excepted.append(f"{page.path}:{line}: {reason}")
                continue
            row["units"] += 1
            if line in reported:
                row["found"] += 1
            else:
                misses.append(f"{page.path}:{line}: {marker!r} in {page.rendered.get('text', {}).get(line, '')[:90]!r}")
        for f in page.reports:
            row["reports"] += 1
            if _confirmed(page, f):
                row["right"] += 1
            else:
                wrong.append(f"{page.path}:{f.span.line}:{f.span.column}: {f.message[:110]}")
    return {"table": table, "misses": misses, "wrong": wrong, "region_misses": region_misses, "excepted": excepted}


def _print_table(result: dict) -> str:
    lines = ["| corpus | renderer | pages | raw regions | literal-marker lines | reported | recall | reports | confirmed | precision |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    total = dict(pages=0, regions=0, units=0, found=0, reports=0, right=0)
    for corpus, row in result["table"].items():
        renderer = "cmark-gfm" if corpus == "corpus-plain" else "kramdown"
        recall = row["found"] / row["units"] if row["units"] else 1.0
        precision = row["right"] / row["reports"] if row["reports"] else 1.0
        lines.append(f"| {corpus} | {renderer} | {row['pages']} | {row['regions']} | {row['units']} | {row['found']} | "
                     f"{recall:.1%} | {row['reports']} | {row['right']} | {precision:.1%} |")
        for key in total:
            total[key] += row[key]
    recall = total["found"] / total["units"] if total["units"] else 1.0
    precision = total["right"] / total["reports"] if total["reports"] else 1.0
    lines.append(f"| all | | {total['pages']} | {total['regions']} | {total['units']} | {total['found']} | "
                 f"{recall:.1%} | {total['reports']} | {total['right']} | {precision:.1%} |")
    return "\n".join(lines)


def _region_agreement(pages: list[Page]) -> tuple[int, int, int, list[str], list[str]]:
    """naislint's raw regions against the renderer's raw elements, by start line and tag.

    Returns (agreed, naislint only, renderer only, examples of each disagreement).
    Elements meant to be literal (``<script>``, ``<pre>`` ...) are left out on both sides.
    """
    agreed = ours_only = theirs_only = 0
    ours_examples: list[str] = []
    theirs_examples: list[str] = []
    for page in pages:
        if "error" in page.rendered:
            continue
        doc = page.doc
        ours = {(doc.position(r.start)[0], r.tag) for r in raw_regions(doc)
                if r.tag not in visible_markup.LITERAL_ELEMENTS}
        theirs = {(l, t) for l, t, _v in page.rendered.get("raw", []) if t and t not in visible_markup.LITERAL_ELEMENTS}
        agreed += len(ours & theirs)
        ours_only += len(ours - theirs)
        theirs_only += len(theirs - ours)
        ours_examples.extend(f"{page.path}:{l}: <{t}>" for l, t in sorted(ours - theirs))
        theirs_examples.extend(f"{page.path}:{l}: <{t}>" for l, t in sorted(theirs - ours))
    return agreed, ours_only, theirs_only, ours_examples, theirs_examples


def test_raw_regions_agree_with_the_renderers(oracle: list[Page]) -> None:
    """Every region naislint calls raw is printed raw by the renderer (same line, same tag)."""
    agreed, ours_only, theirs_only, ours_examples, theirs_examples = _region_agreement(oracle)
    print(f"\nraw regions: {agreed} agree, {ours_only} naislint only, {theirs_only} renderer only")
    for item in ours_examples[:30]:
        print("naislint only", item)
    for item in theirs_examples[:30]:
        print("renderer only", item)
    assert agreed
    assert not ours_examples, "regions naislint calls raw that the renderer does not print raw:\n" + "\n".join(ours_examples[:20])


def test_visible_markup_agrees_with_the_renderers(oracle: list[Page]) -> None:
    result = _measure(oracle)
    table = _print_table(result)
    print("\n" + table)
    print(f"\n{len(result['excepted'])} excepted lines; region mismatches {len(result['region_misses'])}")
    for kind in ("region_misses", "misses", "wrong"):
        for item in result[kind][:40]:
            print(kind, item)
    total_units = sum(r["units"] for r in result["table"].values())
    total_found = sum(r["found"] for r in result["table"].values())
    total_reports = sum(r["reports"] for r in result["table"].values())
    total_right = sum(r["right"] for r in result["table"].values())
    assert total_units and total_reports
    assert not result["region_misses"], "raw regions the renderer does not print raw:\n" + "\n".join(result["region_misses"][:20])
    assert total_found / total_units >= 0.95, "recall under 95%:\n" + "\n".join(result["misses"][:30])
    assert total_right / total_reports >= 0.95, "precision under 95%:\n" + "\n".join(result["wrong"][:30])
