"""The edits that keep every link working when a page, a file or a heading changes name.

Three changes break links on a Jekyll site, and each gets one plan of edits here:

- a page or file **moves** (:func:`plan_moves`): links to its markdown source
  (``page.md``), ``{% link %}`` tags and data-file paths name its path; links by URL name
  its URL, which changes with the path unless the front matter sets ``permalink`` (as
  every Isomer page does). The moved page's own relative links are read from a new place
  and may need rewriting too;
- a page's **permalink** changes (the same function, with ``permalinks``): every link to
  its URL, and the page's own relative links;
- a **heading** is renamed (:func:`plan_heading_rename`): its id changes, and so may the
  numbered ids of later headings with the same text (``overview-1``), so every link to
  one of those ids changes.

A link is rewritten in the form it was written in: absolute or relative, with its
``{{ site.baseurl }}`` or ``relative_url`` Liquid, its trailing slash or ``.html``, its
query and fragment. Each rewritten link is checked to lead to the new place before it is
planned. What cannot be rewritten with certainty is a **refusal**, and the caller applies
nothing: a link whose text holds escapes or other Liquid, a URL two pages share (which one
did the link mean?), a ``{% post_url %}`` whose post changes name, a target that already
exists. The plan is plain data: the language server turns it into one workspace edit, and
``naislint move`` writes it to disk.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from naislint.site import urls
from naislint.site.references import PAGE_SUFFIXES, LinkOccurrence, Reference, ReferenceIndex

if TYPE_CHECKING:
    from naislint.site.index import SiteIndex


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace a span of file ``path`` (naislint's 1-based code-point positions over the
    file's text) with ``text``; ``old`` is the text replaced, for reports."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    old: str = ""
    #: ``link`` (a link rewritten), ``permalink`` (a page's new permalink), ``heading``.
    kind: str = "link"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the plan cannot be applied, at a place in a file (``line`` 0: the file itself)."""

    path: str
    line: int
    column: int
    message: str


@dataclass
class Plan:
    """What a rename or move changes: file moves, then edits (positions of the files as
    they are before the moves), or the refusals that stop it."""

    moves: list[tuple[str, str]] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    #: rel path -> (URL before, URL after) of each page or file whose URL changes.
    urls: dict[str, tuple[str, str]] = field(default_factory=dict)

    def by_file(self) -> dict[str, list[Edit]]:
        """Edits grouped per file, each file's in order of position."""
        files: dict[str, list[Edit]] = {}
        for edit in self.edits:
            files.setdefault(edit.path, []).append(edit)
        for edits in files.values():
            edits.sort(key=lambda e: (e.line, e.column))
        return files

    @property
    def ok(self) -> bool:
        return not self.refusals


# -- moves and permalinks -----------------------------------------------------------------


def plan_moves(refs: ReferenceIndex, moves: dict[str, str], permalinks: dict[str, str] | None = None) -> Plan:
    """The edits that keep every link working when each file ``old`` of ``moves`` becomes
    ``new`` (paths relative to the site root) and each page of ``permalinks`` gets that
    permalink in its front matter."""
    site = refs.site
    permalinks = dict(permalinks or {})
    plan = Plan()
    moves = {_norm(o): _norm(n) for o, n in moves.items() if _norm(o) != _norm(n)}
    plan.moves = sorted(moves.items())
    for old, new in plan.moves:
        if old not in site.all_files:
            plan.refusals.append(Refusal(old, 0, 0, f"{old} is not a file of the site"))
        if new.startswith("../") or new == "..":
            plan.refusals.append(Refusal(old, 0, 0, f"{new} is outside the site"))
        elif new in site.all_files and new not in moves:
            plan.refusals.append(Refusal(old, 0, 0, f"{new} already exists"))
    if len(set(moves.values())) != len(moves):
        plan.refusals.append(Refusal("", 0, 0, "two files would move to the same path"))
    for rel in permalinks:
        if rel not in site.pages and rel not in site.unpublished:
            plan.refusals.append(Refusal(rel, 0, 0, f"{rel} is not a page of the site: it has no permalink to change"))
    if plan.refusals:
        return plan
    after = _After(site, moves)
    for rel in sorted(set(moves) | set(permalinks)):
        _new_url(refs, plan, after, rel, permalinks.get(rel))
    for rel, permalink in permalinks.items():
        _permalink_edit(refs, plan, rel, permalink)
    if plan.refusals:
        return plan
    changed = set(after.urls) | set(moves)
    for old_url_rel in changed:
        url = site.pages.get(old_url_rel)
        if url is not None and old_url_rel in after.urls and len(site.pages_at(url)) > 1:
            others = ", ".join(r for r in site.pages_at(url) if r != old_url_rel)
            plan.refusals.append(Refusal(old_url_rel, 0, 0, f"its URL {url} is also the URL of {others}: "
                                                            "links to it are ambiguous"))
    seen: set[tuple[str, int, int]] = set()
    candidates = list(refs.candidates(refs.needles_for(changed)))
    texts = {rel: text for rel, _s, text in candidates}
    for rel in sorted(changed):
        if rel not in texts and rel.lower().endswith(PAGE_SUFFIXES):
            text = refs.text_of(rel)
            if text is not None:
                candidates.append((rel, None, text))
    for rel, source, text in candidates:
        for occ in refs.occurrences(rel, source, text):
            key = (occ.path, occ.line, occ.column)
            if key in seen:
                continue
            seen.add(key)
            ref = refs.reference(occ)
            if ref is None or (occ.path not in changed and ref.target not in changed):
                continue
            _relink(plan, after, ref)
    return plan


class _After:
    """The site as it will be: where each file is, and each page's or file's URL."""

    def __init__(self, site: "SiteIndex", moves: dict[str, str]) -> None:
        self.site = site
        self.moves = moves
        #: rel (before) -> URL after, for what changes URL.
        self.urls: dict[str, str] = {}

    def rel(self, rel: str) -> str:
        return self.moves.get(rel, rel)

    def url(self, rel: str) -> str | None:
        """The URL of page or file ``rel`` (its path before the moves) afterwards."""
        if rel in self.urls:
            return self.urls[rel]
        return _url_now(self.site, rel)


def _url_now(site: "SiteIndex", rel: str) -> str | None:
    url = site.pages.get(rel) or site.unpublished.get(rel)
    if url is None and rel in site.static_sources:
        url = "/" + site.static_sources[rel]
    return url


def _new_url(refs: ReferenceIndex, plan: Plan, after: _After, rel: str, permalink: str | None) -> None:
    """Work out the URL ``rel`` has after the change (noted when it differs)."""
    site = refs.site
    new = after.rel(rel)
    old_url = _url_now(site, rel)
    if rel in site.pages or rel in site.unpublished:
        from naislint.page import frontmatter

        text = refs.text_of(rel) or ""
        fm = frontmatter.parse(text.replace("\r\n", "\n").replace("\r", "\n"))
        meta = dict(fm.mapping) if fm is not None else {}
        if permalink is not None:
            meta["permalink"] = permalink
        new_url = site.url_of(new, meta)
        if new_url is None:
            plan.refusals.append(Refusal(rel, 0, 0, f"Jekyll would not publish {new}: the page would have no URL"))
            return
    elif rel in site.static_sources:
        facts = site._static_facts(new, site.collections)
        if facts[0] != "file":
            plan.refusals.append(Refusal(rel, 0, 0, f"Jekyll would not publish {new}: links to it would break"))
            return
        new_url = "/" + facts[1]
    else:
        return
    if old_url is not None and new_url != old_url:
        after.urls[rel] = new_url
        plan.urls[rel] = (old_url, new_url)


def _permalink_edit(refs: ReferenceIndex, plan: Plan, rel: str, permalink: str) -> None:
    """The edit of the page's front matter that gives it ``permalink``."""
    from naislint.page import frontmatter

    text = (refs.text_of(rel) or "").replace("\r\n", "\n").replace("\r", "\n")
    fm = frontmatter.parse(text)
    if fm is None or fm.block.close_line is None or fm.error is not None:
        plan.refusals.append(Refusal(rel, 1, 1, "its front matter cannot be read: the permalink cannot be set"))
        return
    entry = fm.entries.get("permalink")
    if entry is None:
        line = fm.block.close_line
        plan.edits.append(Edit(rel, line, 1, line, 1, f"permalink: {_yaml_scalar(permalink)}\n", "", "permalink"))
        return
    span = entry.value_span
    node = entry.node
    if type(node).__name__ != "ScalarNode" or span.line != span.end_line:
        plan.refusals.append(Refusal(rel, span.line, span.column, "its permalink is not a one-line value"))
        return
    old = text.split("\n")[span.line - 1][span.column - 1 : span.end_column - 1]
    plan.edits.append(Edit(rel, span.line, span.column, span.end_line, span.end_column, _yaml_scalar(permalink), old,
                           "permalink"))


def _yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when YAML reads it back as the same string."""
    import json

    import yaml

    try:
        if yaml.safe_load(value) == value and "\n" not in value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value)


def _relink(plan: Plan, after: _After, ref: Reference) -> None:
    """Plan the edit of one link whose meaning the change may alter."""
    occ = ref.occurrence
    site = after.site
    if ref.how in ("fragment", "redirect"):
        return
    linker_rel = after.rel(occ.path)
    linker_base = occ.base
    if occ.kind != "file" and occ.path in after.urls:
        linker_base = after.urls[occ.path]
    target_rel = after.rel(ref.target)
    target_url = after.url(ref.target)
    parts = split_written(occ.target, site.baseurl) if occ.kind != "file" else ("", occ.target, "")
    if parts is None:
        if _leads_anyway(ref, after):
            return
        plan.refusals.append(_refuse(occ, "has Liquid naislint cannot rewrite"))
        return
    prefix, path, suffix = parts
    how = ref.how
    if how == "tag" and "post_url" in prefix:
        if target_rel != ref.target:
            plan.refusals.append(_refuse(occ, "names a post by {% post_url %}, which cannot follow a renamed post"))
        return
    if _leads(how, path, occ, linker_rel, linker_base, target_rel, target_url):
        return
    new_path = _rewrite(how, path, occ, linker_rel, linker_base, target_rel, target_url)
    if new_path is None or not _leads(how, new_path, occ, linker_rel, linker_base, target_rel, target_url):
        plan.refusals.append(_refuse(occ, f"cannot be rewritten to reach {target_url or target_rel}"))
        return
    if not occ.editable:
        plan.refusals.append(_refuse(occ, "holds escapes or entities; edit it by hand"))
        return
    plan.edits.append(Edit(occ.path, occ.line, occ.column, occ.end_line, occ.end_column,
                           prefix + new_path + suffix, occ.target))


def _leads_anyway(ref: Reference, after: _After) -> bool:
    """Whether a link naislint cannot split still works: its target keeps its URL and,
    for a relative link, its page keeps its URL."""
    return ref.target not in after.urls and ref.occurrence.path not in after.urls and ref.how == "url"


def _refuse(occ: LinkOccurrence, why: str) -> Refusal:
    return Refusal(occ.path, occ.line, occ.column, f"the link {occ.target!r} {why}")


def _leads(how: str, path: str, occ: LinkOccurrence, linker_rel: str, linker_base: str, target_rel: str,
           target_url: str | None) -> bool:
    """Whether ``path``, written in the link afterwards, leads to the target afterwards."""
    if how == "file":
        return _join(occ.base, path) == target_rel
    if how == "tag":
        return path.strip().lstrip("/") == target_rel or path.strip() == target_rel
    if how == "source":
        folder = "" if path.startswith("/") else posixpath.dirname(linker_rel)
        return _join(folder, unquote(path)) == target_rel
    if target_url is None:
        return False
    return urls.key(urls.resolve(linker_base, path)) == urls.key(target_url)


def _rewrite(how: str, path: str, occ: LinkOccurrence, linker_rel: str, linker_base: str, target_rel: str,
             target_url: str | None) -> str | None:
    """``path`` rewritten, in its own form, to lead to the target afterwards."""
    if how == "file":
        return _relative(target_rel, occ.base, path)
    if how == "tag":
        return ("/" if path.startswith("/") else "") + target_rel
    if how == "source":
        if path.startswith("/"):
            return "/" + _escape(target_rel)
        return _relative(_escape(target_rel), posixpath.dirname(linker_rel), path)
    if target_url is None:
        return None
    styled = _escape(_styled(path, target_url))
    if path.startswith("/"):
        return styled
    folder = urls.page_dir_url(linker_base)
    out = posixpath.relpath(styled, folder)
    if styled.endswith("/") and not out.endswith("/"):
        out += "/"
    if out in (".", "./"):
        out = "./"
    elif path.startswith("./") and not out.startswith("."):
        out = "./" + out
    return out


def _styled(old: str, url: str) -> str:
    """The URL ``url`` written the way ``old`` was: with or without its trailing slash,
    with ``.html`` when ``old`` had it."""
    if "." in url.rsplit("/", 1)[-1] and not url.endswith(".html"):
        return url  # a file: its exact path
    key = urls.key(url)
    if key == "/":
        return "/"
    if old.endswith("/"):
        return key + "/"
    if old.endswith(".html"):
        # ``/x.html`` is served for a page Jekyll writes to ``x.html``, not ``x/index.html``.
        return url if url.endswith((".html", "/")) else key + ".html"
    return key


def _relative(target: str, folder: str, old: str) -> str:
    out = posixpath.relpath(target, folder or ".")
    if old.startswith("./") and not out.startswith("."):
        out = "./" + out
    return out


def _join(folder: str, path: str) -> str:
    if path.startswith("/"):
        return posixpath.normpath(path).lstrip("/")
    return posixpath.normpath(posixpath.join(folder, path) if folder else path).lstrip("/")


#: Characters a rewritten path percent-encodes: they would end or break a destination.
_UNSAFE_RE = re.compile(r"[\s()<>\"'\\]")


def _escape(path: str) -> str:
    return _UNSAFE_RE.sub(lambda m: quote(m.group(0)), path) if _UNSAFE_RE.search(path) else path


def _norm(rel: str) -> str:
    return posixpath.normpath(rel.replace("\\", "/")).lstrip("/")


def split_written(written: str, baseurl: str = "") -> tuple[str, str, str] | None:
    """A link as written, cut into (what comes before its path, the path, what comes
    after it): Liquid that prefixes the base URL, ``{% link %}`` around a file path, a
    query and a fragment. ``None`` for Liquid that is none of these."""
    m = urls.LINK_TAG_RE.search(written)
    if m is not None:
        return written[: m.start("arg")], m.group("arg"), written[m.end("arg"):]
    m = urls.FILTER_RE.search(written)
    if m is not None:
        inner = m.group("url")
        cut = _cut(inner)
        return written[: m.start("url")], inner[:cut], inner[cut:] + written[m.end("url"):]
    prefix = ""
    m = urls.BASEURL_RE.match(written)
    if m is not None:
        prefix, written = m.group(0), written[m.end():]
    if "{{" in written or "{%" in written:
        return None
    if baseurl and baseurl != "/" and written.startswith(baseurl.rstrip("/") + "/"):
        prefix += baseurl.rstrip("/")
        written = written[len(baseurl.rstrip("/")):]
    cut = _cut(written)
    return prefix, written[:cut], written[cut:]


def _cut(text: str) -> int:
    """Where the path of a URL ends (its query or fragment starts)."""
    ends = [i for i in (text.find("?"), text.find("#")) if i != -1]
    return min(ends) if ends else len(text)


# -- headings -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeadingSpot:
    """A heading of a page and where its text sits on its line (naislint positions)."""

    line: int
    column: int
    end_column: int
    text: str
    id: str
    explicit: bool


def headings_of(text: str) -> list[HeadingSpot]:
    """The headings of a page's text (``\\n`` newlines) with the span of each one's text."""
    from naislint.page import frontmatter
    from naislint.page.anchors import scan_headings

    fm = frontmatter.find_block(text)
    body_start = fm.end_offset if fm is not None and fm.close_line is not None else 0
    lines = text.split("\n")
    found = []
    for h in scan_headings(text, body_start):
        line = lines[h.line - 1] if h.line <= len(lines) else ""
        at = line.find(h.text, len(line) - len(line.lstrip(" \t#")) if line.lstrip().startswith("#") else 0)
        if at == -1:
            at = line.find(h.text)
        if at == -1:
            continue
        found.append(HeadingSpot(h.line, at + 1, at + 1 + len(h.text), h.text, h.id, h.explicit))
    return found


def plan_heading_rename(refs: ReferenceIndex, rel: str, text: str, line: int, new_text: str) -> Plan:
    """The edits that rename the heading on ``line`` of page ``rel`` (whose text is
    ``text``) to ``new_text``, and every link to an id the rename changes."""
    plan = Plan()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    new_text = new_text.strip()
    before = headings_of(text)
    spot = next((h for h in before if h.line == line), None)
    if spot is None:
        plan.refusals.append(Refusal(rel, line, 1, "there is no heading on this line"))
        return plan
    if not new_text or "\n" in new_text:
        plan.refusals.append(Refusal(rel, line, spot.column, "a heading's text is one non-empty line"))
        return plan
    lines = text.split("\n")
    old_line = lines[line - 1]
    lines[line - 1] = old_line[: spot.column - 1] + new_text + old_line[spot.end_column - 1:]
    after = headings_of("\n".join(lines))
    if len(after) != len(before):
        plan.refusals.append(Refusal(rel, line, spot.column, f"{new_text!r} would not be a heading there"))
        return plan
    plan.edits.append(Edit(rel, line, spot.column, line, spot.end_column, new_text, spot.text, "heading"))
    changed = {b.id: a.id for b, a in zip(before, after) if b.id != a.id}
    if not changed:
        return plan
    for ref in refs.references(rel):
        if ref.fragment in changed:
            _refragment(plan, ref, changed[ref.fragment])
    return plan


def _refragment(plan: Plan, ref: Reference, new_id: str) -> None:
    occ = ref.occurrence
    written = occ.target
    at = written.rfind("#")
    end = at + 1
    while end < len(written) and written[end] not in "'\"} \t":
        end += 1
    if at == -1 or unquote(written[at + 1:end]) != ref.fragment:
        plan.refusals.append(_refuse(occ, "has a fragment naislint cannot find in it"))
        return
    if not occ.editable:
        plan.refusals.append(_refuse(occ, "holds escapes or entities; edit it by hand"))
        return
    plan.edits.append(Edit(occ.path, occ.line, occ.column, occ.end_line, occ.end_column,
                           written[: at + 1] + _escape(new_id) + written[end:], written))
