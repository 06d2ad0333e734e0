"""The one markdown-it-py parser naislint uses, configured like the sites' renderer.

CommonMark plus tables and strikethrough (GFM input in kramdown), footnotes (kramdown
``[^1]``), and a small inline rule for kramdown attribute lists (``{:target="_blank"}``,
``{#id}``) so they become ``kramdown_ial`` tokens instead of stray text. The parser is
built once per process, on first use, never at import time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
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


@lru_cache(maxsize=1)
def parser() -> "MarkdownIt":
    """The shared parser instance (markdown-it-py parsers are reusable and stateless)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.inline.ruler.before("text", "kramdown_ial", _kramdown_ial)
    return md
