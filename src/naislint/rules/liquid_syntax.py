"""NL701 liquid-syntax: Liquid that stops ``jekyll build``.

Jekyll renders every page with front matter through Liquid before markdown, and a
Liquid syntax error ends the whole build. This rule parses a page's Liquid as Liquid 5
(what Jekyll 4.3 runs here) does, from its tokenizer up, and reports the first error as
Liquid would raise it: a ``{%``/``{{`` never closed, an unknown tag, an end tag that
closes nothing or the wrong block, an ``else`` where none is allowed, a block never
closed (``if``, ``unless``, ``case``, ``for``, ``capture``, ``raw``, ``comment``,
``highlight``, ``tablerow``, ``ifchanged``). Only the first: after it, Liquid parses
nothing more, and later "errors" would be echoes of it.

Known tags are Liquid's, Jekyll's, the tags of the plugins ``_config.yml`` lists that
this rule can name, and those given in the rule's options. A site whose ``_config.yml``
lists a plugin the rule cannot name, or that has a ``_plugins`` folder, may define any
tag: unknown tags are not reported there. A page with ``render_with_liquid: false`` is
not rendered by Liquid and not checked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: Liquid's TemplateParser: a tag, an output (ended by ``}}`` or a lone ``}``), or an
#: opening that is never closed.
TOKEN_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}?|\{\{|\{%", re.DOTALL)
FULL_TAG_RE = re.compile(r"\{%-?(\s*)(#|\w+)(\s*)(.*?)-?%\}", re.DOTALL)
FULL_OUTPUT_RE = re.compile(r"\{\{-?(.*?)-?\}\}", re.DOTALL)
#: What ``raw`` accepts as its end (Liquid's FullTokenPossiblyInvalid): any token that
#: ends with the tag, an output's text before it too, but never ``{%-``.
RAW_END_RE = re.compile(r"(.*)\{%\s*(\w+)\s*(.*)?%\}", re.DOTALL)

#: Liquid 5's inline tags (``#`` is the inline comment) and block tags.
LIQUID_TAGS = frozenset("assign break continue cycle decrement echo include increment render liquid #".split())
LIQUID_BLOCKS = frozenset("if unless case for capture comment raw tablerow ifchanged".split())
#: Jekyll's own tags (lib/jekyll/tags).
JEKYLL_TAGS = frozenset("include include_relative link post_url".split())
JEKYLL_BLOCKS = frozenset({"highlight"})
#: Tags of plugins a site may list, by plugin (``None``: the plugin adds no tag).
PLUGIN_TAGS: dict[str, frozenset[str]] = {
    "jekyll-seo-tag": frozenset({"seo"}),
    "jekyll-feed": frozenset({"feed_meta"}),
    "jekyll-avatar": frozenset({"avatar"}),
    "jekyll-gist": frozenset({"gist"}),
    "jekyll-include-cache": frozenset({"include_cached"}),
    "jekyll-last-modified-at": frozenset({"last_modified_at"}),
    "jekyll-twitter-plugin": frozenset({"twitter"}),
    "jekyll-github-metadata": frozenset(),
    "jekyll-mentions": frozenset(),
    "jemoji": frozenset(),
    "jekyll-sitemap": frozenset(),
    "jekyll-redirect-from": frozenset(),
    "jekyll-paginate": frozenset(),
    "jekyll-remote-theme": frozenset(),
    "jekyll-relative-links": frozenset(),
    "jekyll-optional-front-matter": frozenset(),
    "jekyll-readme-index": frozenset(),
    "jekyll-default-layout": frozenset(),
    "jekyll-titles-from-headings": frozenset(),
    "jekyll-coffeescript": frozenset(),
    "jekyll-commonmark-ghpages": frozenset(),
    "jekyll-assets": frozenset("asset asset_path asset_source img image css stylesheet js javascript".split()),
}
#: Tags allowed directly inside a block, by block (Liquid's ``unknown_tag`` overrides).
INNER_TAGS = {"if": {"elsif", "else"}, "unless": {"elsif", "else"}, "for": {"else"}, "case": {"when", "else"}}


@dataclass(frozen=True)
class Options:
    #: Extra inline tags the site defines (a plugin or ``_plugins``).
    tags: tuple[str, ...] = ()
    #: Extra block tags (``name`` closed by ``endname``).
    blocks: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Known:
    tags: frozenset[str]
    blocks: frozenset[str]
    any_tag: bool  # the site may define tags this rule cannot name


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    if doc.front_matter is None or doc.meta.get("render_with_liquid") is False:
        return
    text = doc.text
    if "{" not in text[doc.body_start:]:
        return
    known = _known(options, ctx.site_root)
    problem = first_error(text, doc.body_start, known.tags, known.blocks, known.any_tag)
    if problem is not None:
        start, end, message = problem
        yield Finding(doc.span(start, end), message)


def first_error(
    text: str, start: int, tags: frozenset[str], blocks: frozenset[str], any_tag: bool = False
) -> tuple[int, int, str] | None:
    """The first Liquid syntax error of ``text`` from ``start``: (start, end, message)."""
    tokens = [m for m in TOKEN_RE.finditer(text, start)]
    stack: list[tuple[str, int, int]] = []  # open blocks: name, start, end of the tag
    i = 0
    while i < len(tokens):
        m = tokens[i]
        token = m.group(0)
        i += 1
        if token.startswith("{{"):
            if FULL_OUTPUT_RE.fullmatch(token) is None:
                return m.start(), m.start() + 2, "'{{' is never closed with '}}': Jekyll stops the build (Liquid syntax error)"
            continue
        full = FULL_TAG_RE.fullmatch(token)
        if full is None:
            shown = token if len(token) <= 40 else token[:37] + "..."
            return m.start(), m.start() + 2, f"'{shown}' is not a complete Liquid tag ('{{%' without a name and '%}}'): Jekyll stops the build"
        name = full.group(2)
        if name == "raw":
            for j in range(i, len(tokens)):
                end = RAW_END_RE.fullmatch(tokens[j].group(0))
                if end is not None and end.group(2) == "endraw":
                    i = j + 1
                    break
            else:
                return m.start(), m.end(), "'raw' is never closed with '{% endraw %}': Jekyll stops the build"
            continue
        if name in blocks:
            stack.append((name, m.start(), m.end()))
            continue
        if name in tags:
            continue
        top = stack[-1][0] if stack else None
        if top is not None and name == "end" + top:
            stack.pop()
            continue
        if top == "comment":
            continue  # Liquid's comment ignores tags it does not know
        if top is not None and name in INNER_TAGS.get(top, ()):
            continue
        if top is None:
            if name == "else" or name.startswith("end"):
                return m.start(), m.end(), f"'{name}' closes no open block: Jekyll stops the build (Liquid: unexpected outer '{name}')"
        elif name == "else":
            return m.start(), m.end(), f"'{top}' takes no 'else': Jekyll stops the build"
        elif name.startswith("end"):
            return m.start(), m.end(), f"'{name}' cannot close '{top}' (opened on an earlier line; it needs 'end{top}'): Jekyll stops the build"
        if any_tag:
            continue
        return m.start(), m.end(), f"unknown Liquid tag '{name}': Jekyll stops the build (a plugin's tag? add it to this rule's 'tags' option)"
    if stack:
        name, s, e = stack[-1]
        return s, e, f"'{name}' is never closed with 'end{name}': Jekyll stops the build"
    return None


def _known(options: Options, site_root: str | None) -> _Known:
    """The tags the page's site defines: Liquid's, Jekyll's, its listed plugins', the options'."""
    tags = set(LIQUID_TAGS | JEKYLL_TAGS) | set(options.tags)
    blocks = set(LIQUID_BLOCKS | JEKYLL_BLOCKS) | set(options.blocks)
    any_tag = False
    root = site_root
    if root is not None:
        from naislint import jekyll

        raw = jekyll.load(root).raw
        plugins: list[Any] = []
        for key in ("plugins", "gems"):
            value = raw.get(key)
            plugins.extend(value if isinstance(value, list) else [value] if isinstance(value, str) else [])
        for plugin in plugins:
            named = PLUGIN_TAGS.get(str(plugin))
            if named is None:
                any_tag = True
            else:
                tags |= named
        if os.path.isdir(os.path.join(root, "_plugins")):
            any_tag = True
    return _Known(frozenset(tags), frozenset(blocks), any_tag)


RULE = Rule(
    code="NL701",
    name="liquid-syntax",
    summary="Liquid that stops jekyll build: an unclosed tag or block, an unknown tag",
    check=check,
    default_severity=Severity.ERROR,
    options=Options,
)
