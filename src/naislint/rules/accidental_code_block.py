"""NL507 accidental-code-block: prose indented by four spaces, rendered as code.

A paragraph indented by four spaces or a tab, outside a list, is a code block in
markdown: the renderer prints it in a monospace font, in a box that scrolls sideways and
does not wrap. Legal text pasted from a document (a clause indented under its heading)
does this often, and the author sees the problem only on the published page.

Which indented lines are a code block is the renderer's business (``page.renderer``):

- GFM (cmark-gfm, markdown-it-py): an indented block after a blank line, outside a list
  item; an HTML block runs to the next blank line, so indented lines right after
  ``</p>`` are part of the HTML and shown as text;
- kramdown: the same after a blank line, but an HTML element ends at its end tag, so
  indented lines right after ``</p>`` *are* a code block; and the content of a raw HTML
  element (``<div>`` without ``markdown="1"``) is printed as is, never as code.

Real code examples must stay quiet, so a block is reported only when it reads as prose:
enough words, nearly every token a plain word (letters with sentence punctuation around
it), at least one sentence end or clause mark (``.``, ``;``, ``:``), a line of six words
or more, and nothing that code has and prose does not (``{}``, ``=``, ``<>``, backticks,
``$``/``#``/``//`` prompts and comments, ``->``, ``::``, ``foo()``, ``snake_case``,
``dotted.names``, ``--flags``). Code blocks inside Liquid ``{% highlight %}`` or
``{% raw %}`` blocks are Jekyll's, not markdown's, and are skipped.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, TYPE_CHECKING

from naislint.diagnostics import Finding, Severity
from naislint.page.regions import Region, regions
from naislint.page.renderer import for_document
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

if TYPE_CHECKING:
    from markdown_it.token import Token

#: Characters and sequences that code has and prose does not.
CODE_SIGNS_RE = re.compile(
    r"[{}=<>`|\\]|->|::|//|/\*|\*/|&&|\w\(\)|\b\w+_\w+\b|\b[a-z]+\.[a-z]\w*\b|(?:^|\s)--?[a-z]|^\s*[$#%>]\s?"
    r"|\[\s*\]|\w\[|\.\w+\(",
    re.MULTILINE,
)
#: A plain word: letters (with ' or - inside), wrapped in sentence punctuation.
WORD_RE = re.compile(r"^[\"'(\[‘“]*[A-Za-z\u00c0-\u024f]+(?:['’\-][A-Za-z\u00c0-\u024f]+)*[.,;:!?)\]\"'’”]*$")
#: Sentence ends and clause marks a prose block has at least one of.
SENTENCE_RE = re.compile(r"[A-Za-z)][.;:?!](?:\s|$)|[A-Za-z],\s")
#: Liquid blocks whose content Jekyll renders itself (highlighted or verbatim).
LIQUID_BLOCK_RE = re.compile(
    r"\{%-?\s*(highlight|raw)\b.*?%\}.*?\{%-?\s*end\1\s*-?%\}", re.DOTALL
)
INDENT_RE = re.compile(r"(?: {4}|\t)")

#: Thresholds (checked on the corpora, see rules/accidental-code-block.md).
MIN_WORDS = 8
MIN_WORD_SHARE = 0.85
MIN_LONG_LINE_WORDS = 6


def reads_as_prose(block: str) -> bool:
    """Whether the lines of a code block (indentation removed) are prose, not code."""
    if CODE_SIGNS_RE.search(block):
        return False
    tokens = block.split()
    if len(tokens) < MIN_WORDS:
        return False
    words = [t for t in tokens if WORD_RE.match(t)]
    # numbers, list labels and amounts ("(a)", "30", "S$500", "2.1") are neutral
    neutral = [t for t in tokens if not WORD_RE.match(t) and re.fullmatch(r"[(\[]?[\w.,%$/-]{1,8}[)\].,;:]*", t)]
    considered = len(tokens) - len(neutral)
    if considered == 0 or len(words) / considered < MIN_WORD_SHARE:
        return False
    if not SENTENCE_RE.search(block):
        return False
    return any(sum(1 for t in line.split() if WORD_RE.match(t)) >= MIN_LONG_LINE_WORDS for line in block.splitlines())


def _outside_lists(doc: Document, kind: str) -> Iterator["Token"]:
    """The page's block tokens of type ``kind`` (with a line map) that no list contains:
    inside a list item, indentation is the item's, not a code block's."""
    in_list = 0
    for token in doc.tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        elif token.type == kind and not in_list and token.map:
            yield token


def _code_blocks(doc: Document) -> Iterator[tuple[int, int]]:
    """(first line, last line), 1-based, of each indented code block outside a list, as
    markdown-it-py parses the page (CommonMark: what cmark-gfm renders)."""
    for token in _outside_lists(doc, "code_block"):
        assert token.map is not None  # _outside_lists yields mapped tokens only
        first = token.map[0] + 1
        if first > doc.body_first_line and doc.line(first - 1).strip():
            # CommonMark: indented lines cannot interrupt a paragraph; right after a
            # list item's text they continue it (cmark-gfm), whatever markdown-it-py says
            continue
        yield first, token.map[1]


def _kramdown_blocks(doc: Document, found: list[Region]) -> Iterator[tuple[int, int]]:
    """Code blocks as kramdown sees them: CommonMark's, less those inside a raw HTML
    element, plus indented lines right after an element's end tag that CommonMark read as
    the rest of an HTML block."""
    def region_at(offset: int) -> Region | None:
        # a page has few block-level elements; nested ones lie inside their parent
        return next((r for r in found if r.start <= offset < r.end), None)

    for first, last in _code_blocks(doc):
        r = region_at(doc.index.line_start(first))
        if r is not None and r.raw and not any(a <= doc.index.line_start(first) < b for a, b in r.holes):
            continue
        yield first, last
    for token in _outside_lists(doc, "html_block"):
        assert token.map is not None  # _outside_lists yields mapped tokens only
        line = token.map[0] + 1
        while line <= token.map[1]:
            start = doc.index.line_start(line)
            if region_at(start) is None and INDENT_RE.match(doc.text, start) and line > token.map[0] + 1:
                first = line
                while line + 1 <= token.map[1] and region_at(doc.index.line_start(line + 1)) is None \
                        and INDENT_RE.match(doc.text, doc.index.line_start(line + 1)):
                    line += 1
                yield first, line
            line += 1


def _liquid_ranges(text: str) -> list[tuple[int, int]]:
    if "{%" not in text:
        return []
    return [(m.start(), m.end()) for m in LIQUID_BLOCK_RE.finditer(text)]


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    if "    " not in doc.text and "\t" not in doc.text:
        return
    renderer = for_document(doc)
    blocks = sorted(set(_kramdown_blocks(doc, regions(doc)) if renderer.is_kramdown else _code_blocks(doc)))
    if not blocks:
        return
    liquid = _liquid_ranges(doc.text)
    for first, last in blocks:
        while first < last and not doc.line(first).strip():
            first += 1  # a whitespace-only line that CommonMark counts into the block
        start = doc.index.line_start(first)
        if any(a <= start < b for a, b in liquid):
            continue
        lines = [doc.line(n) for n in range(first, last + 1)]
        body = "\n".join(INDENT_RE.sub("", line, count=1) for line in lines)
        if not reads_as_prose(body):
            continue
        indent = m.group(0) if (m := INDENT_RE.match(lines[0])) else ""
        yield Finding(
            doc.span(start, start + len(indent)),
            f"text indented by {'a tab' if indent == chr(9) else 'four spaces'} renders as a code block "
            f"({renderer.label}): monospace, in a box that does not wrap; remove the indentation",
        )


RULE = Rule(
    code="NL507",
    name="accidental-code-block",
    summary="prose indented by four spaces, rendered as a code block",
    check=check,
    default_severity=Severity.WARNING,
)
