"""naislint's model of how kramdown pairs HTML tags (``page/kramdown_tags.py``) against
real kramdown (Jekyll's options, GFM input), which ``unclosed-html`` reports from.

For every page of ``unclosed-html``'s kramdown fixtures, and (slow) of the Isomer corpus
and the Jekyll docs, kramdown renders the page (``tests/kramdown_tags.rb``) and:

- the end tags it prints as text (``&lt;/div&gt;`` outside code) are, name for name, the
  ones naislint says it prints as text;
- every element kramdown says it closed itself at the end of the page ("Found no end tag
  for 'div' on line 53") is one naislint has left open to the end, on that line;
- every element naislint says kramdown closes at the end of its paragraph is one kramdown
  warns about ("Found no end tag for 'i' (line 73)").

Without Ruby's kramdown the tests skip with the reason, except in CI, like
``test_kramdown_ids``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness import strip_markers
from naislint import jekyll
from naislint.jekyll import rendering
from naislint.page import kramdown_tags
from naislint.page.document import Document
from naislint.page.renderer import for_document
from ruby_batch import run_batched
from shared_data import CORPUS, CORPUS_JEKYLL, need
from test_kramdown_ids import _kramdown_problem
from test_renderer_oracle import prepare

HERE = Path(__file__).parent
DRIVER = HERE / "kramdown_tags.rb"
FIXTURES = HERE / "fixtures" / "unclosed-html" / "kramdown"
PROBLEM = _kramdown_problem()
pytestmark = pytest.mark.skipif(PROBLEM is not None and os.environ.get("CI") != "true", reason=PROBLEM or "")

_END_TAG_RE = re.compile(r"</([A-Za-z][-\w:.]*)\s*>")
_BLOCK_WARNING_RE = re.compile(r"Found no end tag for '([^']+)' on line (\d+)")
_SPAN_WARNING_RE = re.compile(r"Found no end tag for '([^']+)' \(line (\d+)\)")
#: Elements whose text is code, not prose: an end tag shown there is meant.
_CODE = frozenset("code pre script style textarea kbd samp var".split())


class _ShownEndTags(HTMLParser):
    """The end tags a page shows as text, outside code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs):
        if tag in _CODE:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in _CODE and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.found.update(m.group(1).lower() for m in _END_TAG_RE.finditer(data))


def _load(path: Path) -> Document:
    text = path.read_text(encoding="utf-8", errors="replace")
    if FIXTURES in path.parents:
        text, _expected = strip_markers(text)
    doc = Document.from_text(text, str(path))
    doc.renderer = rendering.for_page(doc, jekyll.find_site_root(str(path)), None)
    return doc


def _disagreements(paths: list[Path]) -> list[str]:
    docs = [_load(p) for p in paths]
    docs = [d for d in docs if for_document(d).is_kramdown]
    rendered = run_batched(DRIVER, [prepare(d, True) for d in docs], timeout=900)
    problems: list[str] = []
    for doc, result in zip(docs, rendered):
        assert "error" not in result, f"{doc.path}: {result.get('error')}"
        found = kramdown_tags.pairing(doc)
        shown = _ShownEndTags()
        shown.feed(result["html"])
        shown.close()
        ours = Counter(t.tag.name for t in found.text_end_tags)
        if ours != shown.found:
            problems.append(f"{doc.path}: end tags shown as text: kramdown {dict(shown.found)}, naislint {dict(ours)}")
        left_open = {(o.start.name, doc.position(o.start.start)[0]) for o in found.left_open if not o.in_paragraph}
        for name, line in _BLOCK_WARNING_RE.findall("\n".join(result["warnings"])):
            if (name.lower(), int(line)) not in left_open:
                problems.append(f"{doc.path}:{line}: kramdown closes <{name}> at the page's end, naislint does not")
        warned = {(name.lower(), int(line)) for name, line in _SPAN_WARNING_RE.findall("\n".join(result["warnings"]))}
        for item in found.left_open:
            key = (item.start.name, doc.position(item.start.start)[0])
            if item.in_paragraph and key not in warned:
                problems.append(f"{doc.path}:{key[1]}: naislint has kramdown close <{key[0]}> with its paragraph, kramdown does not")
    return problems


def test_the_kramdown_fixtures_pair_as_kramdown_pairs_them() -> None:
    paths = sorted(FIXTURES.glob("*.md"))
    assert len(paths) >= 5
    assert _disagreements(paths) == []


@pytest.mark.slow
@pytest.mark.corpus
def test_the_isomer_corpus_and_jekyll_docs_pair_as_kramdown_pairs_them() -> None:
    paths = sorted(p for root in (need(CORPUS), need(CORPUS_JEKYLL)) for p in root.rglob("*.md"))
    assert _disagreements(paths) == []
