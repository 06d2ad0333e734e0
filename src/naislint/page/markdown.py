"""The one markdown-it-py parser naislint uses, configured like the sites' renderer.

CommonMark plus tables and strikethrough (GFM input in kramdown), footnotes (kramdown
``[^1]``), and a small inline rule for kramdown attribute lists (``{:target="_blank"}``,
``{#id}``) so they become ``kramdown_ial`` tokens instead of stray text. The parser is
built once per process, on first use, never at import time.

kramdown has one ordered list marker, ``1.``; CommonMark also takes ``1)``. A kramdown
page gets a parser whose list rule refuses ``1)`` (:func:`_kramdown_list_rule`), so a ``2) run``
line is the paragraph text kramdown prints, for every rule that reads lists or blocks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline

IAL_RE = re.compile(r"\{:?[ \t]*(?:[#.:][^{}\n]*|[A-Za-z_][\w-]*=[^{}\n]*)\}")


def _kramdown_ial(state: "StateInline", silent: bool) -> bool:
    """Recognise ``{: ...}``, ``{#id}`` and ``{.class}`` spans as one token."""
    src = state.src
    pos = state.pos
    if src[pos] != "{":
        return False
    m = IAL_RE.match(src, pos)
    if not m:
        return False
    if not silent:
        token = state.push("kramdown_ial", "", 0)
        token.content = m.group(0)
        token.markup = m.group(0)
    state.pos = m.end()
    return True


def _kramdown_list_rule() -> "Callable[[StateBlock, int, int, bool], bool]":
    """CommonMark's list rule, except that ``N)`` starts no list (kramdown's syntax knows
    only ``N.``; kramdown 2.4 prints ``1) a`` as a paragraph, and a ``2)`` line under an
    item as the item's text). A ``1. a`` list still ends at a ``2)`` line, as CommonMark's
    rule ends a list where the delimiter changes; the line then goes on as a paragraph.

    Built once with the parser: the block parser tries the list rule at the start of
    every block and on every line of a paragraph, so the rule imports nothing itself."""
    from markdown_it.rules_block.list import list_block, skipOrderedListMarker

    def kramdown_list(state: "StateBlock", start_line: int, end_line: int, silent: bool) -> bool:
        after = skipOrderedListMarker(state, start_line)
        if after >= 0 and state.src[after - 1] == ")":
            return False
        return list_block(state, start_line, end_line, silent)

    return kramdown_list


@lru_cache(maxsize=2)
def parser(kramdown: bool = False) -> "MarkdownIt":
    """The shared parser instance (markdown-it-py parsers are reusable and stateless);
    ``kramdown``: the one for pages kramdown renders, which reads ``N)`` as text."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.inline.ruler.before("text", "kramdown_ial", _kramdown_ial)
    if kramdown:
        md.block.ruler.at("list", _kramdown_list_rule(), {"alt": ["paragraph", "reference", "blockquote"]})
    return md
