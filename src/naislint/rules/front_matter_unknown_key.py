"""NL106 front-matter-unknown-key: a front matter key that no layout reads.

A misspelt key is silently ignored: ``publication: false`` leaves an archived page
published because Jekyll reads ``published``. On Isomer pages every key the page kind's
schema does not declare is reported; on other pages (a plain Jekyll site, or an Isomer
page with its own layout) only keys that look like a misspelling of a known one.

Two kinds of key come from Isomer itself rather than from an author. Keys the old CMS
wrote and nothing reads now (``collection_name``: Isomer takes a page's collection from
its folder) change nothing on the page; they are one ``info`` report each. Keys Isomer
renamed (``second_nav_title``, now ``third_nav_title``) lose what they set, so they are
reported with the new name, even where the close-spelling guess would not find it.

An unknown key whose value is empty (``file_url:`` left by the CMS's post template on a
copy outside ``_posts``, ``image-url: null``) sets nothing, so removing it or renaming it
changes nothing on the page: it is not reported.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: Keys Jekyll itself (or a standard plugin) reads on any page.
JEKYLL_KEYS = frozenset({
    "layout", "title", "permalink", "published", "date", "categories", "category", "tags",
    "excerpt", "excerpt_separator", "slug", "sitemap", "description", "image", "lang",
    "last_modified_at", "redirect_from", "redirect_to", "render_with_liquid",
})


#: Keys the Isomer CMS (its first version, whose left-navigation pages carried them) wrote
#: on pages and no Isomer layout reads any more, with why: leftovers that change nothing.
CMS_LEFTOVER_KEYS = {
    "collection_name": "Isomer now takes a page's collection from its folder",
}

#: Keys Isomer renamed: old name -> the name its layouts read now.
ISOMER_RENAMES = {
    "second_nav_title": "third_nav_title",
}


@dataclass(frozen=True)
class Options:
    #: Keys to accept on every page (read by the site's own layouts or includes).
    allow: tuple[str, ...] = ()


def _norm(key: str) -> str:
    return key.lower().replace("-", "_").replace(" ", "_")


def close_match(key: str, known: "set[str] | frozenset[str]") -> str | None:
    """The known key ``key`` most likely misspells, if any.

    difflib's ratio catches typos (``permlink``); a shared stem catches a wrong word
    form (``publication`` for ``published``) that difflib scores too low.
    """
    by_norm = {_norm(k): k for k in sorted(known)}
    norm = _norm(key)
    if norm in by_norm:
        return by_norm[norm]
    found = difflib.get_close_matches(norm, list(by_norm), n=1, cutoff=0.75)
    if found:
        return by_norm[found[0]]
    best = None
    for candidate in by_norm:
        prefix = _common_prefix(norm, candidate)
        if prefix >= 5 and prefix * 2 >= min(len(norm), len(candidate)):
            if best is None or prefix > best[0]:
                best = (prefix, candidate)
    return by_norm[best[1]] if best is not None else None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    fm = doc.front_matter
    if fm is None or not fm.ok or not fm.entries:
        return
    from naislint.schema import frontmatter as fmschema
    from naislint.jekyll import pagekinds

    choice = pagekinds.choose(doc, ctx.place)
    try:
        known, mode = fmschema.known_keys(choice)
    except fmschema.SchemaLoadError:
        return  # front-matter-schema reports a schema that cannot be loaded
    allowed = set(known) | set(options.allow)
    if mode == "typos":
        allowed |= JEKYLL_KEYS
    isomer = mode == "report" and choice.builtin
    data = fm.mapping
    for key, entry in fm.entries.items():
        if key in allowed or _empty(data.get(key)):
            continue
        if isomer and key in CMS_LEFTOVER_KEYS:
            yield Finding(
                entry.key_span,
                f"front matter key {key!r} is left over from the old Isomer CMS: {CMS_LEFTOVER_KEYS[key]}, "
                "so nothing reads it; remove it when editing the page",
                severity=Severity.INFO,
            )
            continue
        if isomer and key in ISOMER_RENAMES:
            new = ISOMER_RENAMES[key]
            where = "" if new in allowed else f" (read on {_keys_of_other_kinds(choice.kind).get(new, 'other pages')})"
            yield Finding(
                entry.key_span,
                f"unknown front matter key {key!r}: Isomer renamed it; did you mean `{new}`?{where}",
            )
            continue
        guess = close_match(key, allowed)
        if guess is not None:
            if guess == key:
                continue
            yield Finding(entry.key_span, f"unknown front matter key {key!r}: no layout reads it; did you mean `{guess}`?")
        elif mode == "typos":
            continue
        else:
            other_kinds = _keys_of_other_kinds(choice.kind) if choice.builtin else {}
            if key in other_kinds:
                yield Finding(
                    entry.key_span,
                    f"front matter key {key!r} is read only on {other_kinds[key]}, not on a {choice.label}; no layout reads it here",
                )
            else:
                yield Finding(entry.key_span, f"unknown front matter key {key!r}: no Isomer layout reads it on a {choice.label}")


def _empty(value: Any) -> bool:
    """Null or a blank string: the key sets nothing a layout could read."""
    return value is None or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=None)
def _keys_of_other_kinds(kind: str) -> dict[str, str]:
    """Each key only other built-in kinds declare -> those kinds, in words. Built-in
    schemas only, so once per kind and process."""
    from naislint.schema import frontmatter as fmschema
    from naislint.jekyll import pagekinds

    result: dict[str, list[str]] = {}
    for other, (_schema, label) in pagekinds.KINDS.items():
        if other == kind or other == "jekyll-page":
            continue
        try:
            keys, _mode = fmschema.known_keys(pagekinds.SchemaChoice(other, pagekinds.KINDS[other][0], True, "built-in"))
        except fmschema.SchemaLoadError:
            continue
        for key in keys:
            result.setdefault(key, []).append(label + "s")
    return {k: " and ".join(v) for k, v in result.items()}


RULE = Rule(
    code="NL106",
    name="front-matter-unknown-key",
    summary="A front matter key no layout reads (\"did you mean `published`?\")",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
