"""What the editor-facing reports (HTML, markdown) show, worked out once for both.

The engineer formats print diagnostics one by one. A content editor needs them arranged
differently: by page (with the page's title and its address on the live site, since an
editor knows pages by title, not by source path), worst page first, with totals by
severity and by rule family, broken links grouped by the URL they point to, and each
fix told in words. Workers send back diagnostics only, so the page titles and URLs are
read here from the pages' front matter and ``_config.yml``, without linting again, and
only for the pages that have problems.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from naislint.reporters._escape import path_text

if TYPE_CHECKING:
    from naislint.diagnostics import Diagnostic
    from naislint.run.results import FileResult, RunResult
    from naislint.reporters import ReportContext

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}

#: The hundreds digit of a rule code names its family (NL1xx front matter ...).
FAMILIES = {
    "0": "Files",
    "1": "Front matter",
    "2": "Lists",
    "3": "Links",
    "4": "HTML",
    "5": "Text",
    "6": "Accessibility",
    "7": "Liquid",
    "8": "Data files",
    "9": "Meta",
}
OTHER_FAMILY = "other"

#: Rules whose problem is "nothing is at this URL": grouped by target in the reports.
TARGET_RULES = ("broken-link", "missing-image")
#: The link as the message quotes it, and where it resolves when that is shown.
_TARGET_RE = re.compile(r"'(?P<written>.*?)'(?: \(resolves to (?P<resolved>[^)]*)\))? (?:goes to|is not)")

#: Files Jekyll renders as pages (when they have front matter).
_PAGE_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".html", ".htm")
#: How much of a long source line an excerpt shows around the problem.
EXCERPT_BEFORE = 60
EXCERPT_MARK = 120
EXCERPT_AFTER = 60
#: What an address printed into a link (HTML or markdown) may not hold.
_UNSAFE_URL_RE = re.compile(r"[\s\x00-\x1f\x7f<>\"'`]")
#: Fix edits described per problem; a fix with more says how many more.
FIX_EDITS_SHOWN = 3


def family_of(code: str) -> str:
    """The family key of a rule code: its hundreds digit, or ``other`` for a code that
    does not have the ``NLddd`` shape (a plugin rule)."""
    if len(code) == 5 and code.startswith("NL") and code[2:].isdigit():
        return code[2]
    return OTHER_FAMILY


def family_label(key: str) -> str:
    return FAMILIES.get(key, "Other")


def visible(text: str) -> str:
    """``text`` with what no report can show spelt out as escapes: control characters
    (a tab is kept, a newline becomes ``↵``), lone surrogates (bytes that were not UTF-8)
    and Unicode noncharacters, which are parse errors in HTML and invisible in markdown."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char == "\t":
            out.append(char)
        elif char == "\n":
            out.append("\u21b5")
        elif unicodedata.category(char) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            out.append(path_text(char) if not 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class Excerpt:
    """The problem's source line, cut to a readable window: ``marked`` is the text the
    problem covers, ``before``/``after`` its surroundings (each may start or end with
    ``…`` where the line was cut)."""

    line: int
    before: str
    marked: str
    after: str


@dataclass
class Problem:
    """One diagnostic as the reports show it."""

    diagnostic: "Diagnostic"
    path: str
    family: str
    excerpt: Excerpt | None
    fix_words: str | None

    @property
    def severity(self) -> str:
        return self.diagnostic.severity.value


@dataclass
class Page:
    """The problems of one file, with what an editor knows the page by."""

    path: str
    title: str
    rel: str | None = None
    url: str | None = None
    live_url: str | None = None
    edit_url: str | None = None
    published: bool = True
    problems: list[Problem] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    def sort_key(self) -> tuple:
        """Worst first: most errors, then most warnings, then most infos, then by path."""
        return (-self.count("error"), -self.count("warning"), -self.count("info"), self.path)


@dataclass
class RuleCount:
    code: str
    rule: str
    severity: str
    family: str
    count: int
    summary: str
    why: str


@dataclass
class TargetGroup:
    """Every broken link to one URL: which pages link to it, and where."""

    target: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def pages(self) -> list[str]:
        seen: dict[str, None] = {}
        for p in self.problems:
            seen.setdefault(p.path, None)
        return list(seen)


@dataclass
class Report:
    """Everything the HTML and markdown reports print."""

    @property
    def heading(self) -> str:
        return f"Content check: {self.site_title}" if self.site_title else "Content check"

    #: ``_config.yml``'s title (else the site folder's name; empty outside any site).
    site_title: str
    site_url: str | None
    generated: str
    files_checked: int
    total: int
    by_severity: dict[str, int]
    by_family: list[tuple[str, str, int]]
    by_rule: list[RuleCount]
    pages: list[Page]
    targets: list[TargetGroup]
    baseline: str | None
    baselined: int
    edit_template: str | None
    page_ids: dict[str, str] = field(default_factory=dict)


def edit_template_error(template: str) -> str | None:
    """Why ``--report-edit-url`` cannot be used, or ``None`` when it can: it must be an
    http(s) address holding ``{path}`` or ``{permalink}``."""
    if "{path}" not in template and "{permalink}" not in template:
        return "the edit URL template must contain {path} or {permalink}"
    parts = urlsplit(template.replace("{path}", "x").replace("{permalink}", "x"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "the edit URL template must be an http:// or https:// address"
    if _UNSAFE_URL_RE.search(template):
        return "the edit URL template must not contain spaces, control characters, quotes or angle brackets"
    return None


def build(result: "RunResult", context: "ReportContext") -> Report:
    """Arrange a run's diagnostics for the editor reports."""
    from naislint.reporters._ruledocs import rule_help, sections

    files: dict[str, "FileResult"] = {}
    for f in result.files:
        files.setdefault(f.target.display, f)
    by_path: dict[str, list["Diagnostic"]] = {}
    for d in result.diagnostics:
        by_path.setdefault(d.path, []).append(d)

    roots = sorted({f.target.site_root for f in result.files if f.target.site_root})
    sites = {root: _SiteFacts.read(root) for root in roots}
    template = context.edit_url if context.edit_url and edit_template_error(context.edit_url) is None else None

    pages: list[Page] = []
    for path, diagnostics in by_path.items():
        file_result = files.get(path)
        lines = file_result.source_lines(skip_binary=True) if file_result is not None else []
        site = sites.get(file_result.target.site_root) if file_result and file_result.target.site_root else None
        page = _page(path, file_result, lines, site, template)
        for d in sorted(diagnostics, key=lambda d: (d.span.line, d.span.column, d.code)):
            page.problems.append(
                Problem(d, path_text(path), family_of(d.code), _excerpt(d, lines), _fix_words(d, lines))
            )
        pages.append(page)
    pages.sort(key=Page.sort_key)

    counts: dict[tuple[str, str], int] = {}
    severity_of: dict[tuple[str, str], str] = {}
    for d in result.diagnostics:
        counts[(d.code, d.rule)] = counts.get((d.code, d.rule), 0) + 1
        severity_of.setdefault((d.code, d.rule), d.severity.value)
    by_rule: list[RuleCount] = []
    for (code, rule), count in counts.items():
        found = rule_help(rule)
        why = sections(found.markdown).get("Why is this bad?", "") if found else ""
        by_rule.append(RuleCount(code, rule, severity_of[(code, rule)], family_of(code), count,
                                 found.summary if found else "", why))
    by_rule.sort(key=lambda r: (-r.count, r.code, r.rule))

    families: dict[str, int] = {}
    for r in by_rule:
        families[r.family] = families.get(r.family, 0) + r.count
    by_family = [(key, family_label(key), families[key]) for key in sorted(families)]

    groups: dict[str, TargetGroup] = {}
    for page in pages:
        for problem in page.problems:
            target = link_target(problem.diagnostic)
            if target is not None:
                groups.setdefault(target, TargetGroup(target)).problems.append(problem)
    targets = sorted(groups.values(), key=lambda g: (-len(g.pages), -len(g.problems), g.target))

    first_site = sites[roots[0]] if roots else None
    title = first_site.title if first_site and first_site.title else ""
    if first_site and not title:
        title = visible(os.path.basename(first_site.root))
    if len(roots) > 1:
        title += f" and {len(roots) - 1} other site{'s' if len(roots) > 2 else ''}"
    return Report(
        site_title=title,
        site_url=first_site.url if first_site else None,
        generated=context.generated or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        files_checked=result.file_count,
        total=len(result.diagnostics),
        by_severity={s: sum(1 for d in result.diagnostics if d.severity.value == s) for s in SEVERITIES},
        by_family=by_family,
        by_rule=by_rule,
        pages=pages,
        targets=targets,
        baseline=context.baseline,
        baselined=context.baselined,
        edit_template=template,
        page_ids={page.path: f"page-{i + 1}" for i, page in enumerate(pages)},
    )


def link_target(d: "Diagnostic") -> str | None:
    """The URL a broken link or missing image points to (resolved when the message says
    where a relative link goes), or ``None`` for other problems."""
    if d.rule not in TARGET_RULES:
        return None
    m = _TARGET_RE.search(d.message)
    if m is None:
        return None
    return m.group("resolved") or m.group("written")


# -- pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SiteFacts:
    """What the reports need of a site: its title, its public address, and a site index
    shell that computes page URLs from front matter (the index's own rules)."""

    root: str
    title: str
    url: str | None
    index: Any

    @classmethod
    def read(cls, root: str) -> "_SiteFacts":
        from naislint import jekyll
        from naislint.site.index import SiteIndex

        config = jekyll.load(root)
        raw = config.raw if isinstance(config.raw, dict) else {}
        index = SiteIndex(root)
        index.baseurl = str(raw.get("baseurl") or "").rstrip("/")
        index.permalink_style = str(raw.get("permalink") or "date")
        index.collections = {name: dict(meta) for name, meta in config.collections.items()}
        title = raw.get("title") if isinstance(raw.get("title"), str) else raw.get("name")
        url = raw.get("url")
        public = None
        if isinstance(url, str):
            parts = urlsplit(url.strip())
            if parts.scheme in ("http", "https") and parts.netloc and not _UNSAFE_URL_RE.search(url.strip()):
                public = url.strip().rstrip("/") + index.baseurl
        return cls(index.root, visible(str(title).strip()) if isinstance(title, str) else "", public, index)


def _page(path: str, file_result: "FileResult | None", lines: list[str], site: _SiteFacts | None,
          template: str | None) -> Page:
    """A page's title, address, live and edit links, from its front matter (a file
    without front matter, or outside any site, gets its file name and no address)."""
    from naislint.page import frontmatter

    shown = path_text(path)
    has_front_matter = bool(lines) and lines[0].lstrip("\ufeff").rstrip() == "---"
    meta: dict = {}
    if has_front_matter:
        fm = frontmatter.parse("\n".join(lines).lstrip("\ufeff"))
        if fm is not None and fm.ok and isinstance(fm.mapping, dict):
            meta = fm.mapping
    title = meta.get("title")
    named = isinstance(title, (str, int, float)) and not isinstance(title, bool) and str(title).strip()
    page = Page(shown, visible(str(title).strip()) if named else os.path.basename(shown) or shown)
    if file_result is not None and site is not None:
        absolute = os.path.realpath(file_result.target.path)
        if absolute.startswith(site.root + os.sep):
            page.rel = absolute[len(site.root) + 1:].replace(os.sep, "/")
    if page.rel is not None and site is not None and has_front_matter and page.rel.lower().endswith(_PAGE_SUFFIXES):
        try:
            page.url = site.index.url_of(page.rel, meta)
            page.published = page.url is not None and site.index.is_published(page.rel, meta)
        except Exception:  # front matter of odd types must never stop the report
            page.url, page.published = None, False
        if page.url is not None and page.published and site.url:
            page.live_url = site.url + quote(page.url, safe="/:@!$&'()*+,;=-._~")
    if template is not None:
        page.edit_url = _edit_url(template, page.rel if page.rel is not None else shown.replace(os.sep, "/"), page.url)
    return page


def _edit_url(template: str, rel: str, url: str | None) -> str | None:
    if "{permalink}" in template and url is None:
        return None
    filled = template.replace("{path}", quote(rel, safe="/"))
    return filled.replace("{permalink}", quote(url or "", safe="/"))


# -- excerpts and fixes -----------------------------------------------------------------------


def _excerpt(d: "Diagnostic", lines: list[str]) -> Excerpt | None:
    span = d.span
    if not 1 <= span.line <= len(lines):
        return None
    text = lines[span.line - 1]
    start = min(max(span.column - 1, 0), len(text))
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    end = min(max(end, start), len(text))
    marked = text[start:end]
    after_start = end
    if len(marked) > EXCERPT_MARK:
        marked = marked[:EXCERPT_MARK] + "…"
        after_start = len(text)
    before = text[:start]
    if len(before) > EXCERPT_BEFORE:
        before = "…" + before[-EXCERPT_BEFORE:]
    after = text[after_start:]
    if len(after) > EXCERPT_AFTER:
        after = after[:EXCERPT_AFTER] + "…"
    return Excerpt(span.line, visible(before), visible(marked), visible(after))


def _quoted(text: str, limit: int = 80) -> str:
    text = visible(text)
    if len(text) > limit:
        text = text[:limit] + "…"
    return f"“{text}”"


def _fix_words(d: "Diagnostic", lines: list[str]) -> str | None:
    """The diagnostic's fix told as an editor would do it by hand: replace, delete or
    insert which text, on which line."""
    if d.fix is None or not d.fix.edits:
        return None
    said: list[str] = []
    for edit in d.fix.edits[:FIX_EDITS_SHOWN]:
        span = edit.span
        old = None
        if span.line == span.end_line and 1 <= span.line <= len(lines):
            old = lines[span.line - 1][span.column - 1: span.end_column - 1]
        where = f"on line {span.line}" if span.line == span.end_line else f"on lines {span.line} to {span.end_line}"
        if old is None:
            said.append(f"replace the text {where} with {_quoted(edit.text)}" if edit.text else f"delete lines {span.line} to {span.end_line}")
        elif old and edit.text:
            said.append(f"replace {_quoted(old)} with {_quoted(edit.text)} {where}")
        elif old:
            said.append(f"delete {_quoted(old)} {where}")
        elif edit.text:
            said.append(f"insert {_quoted(edit.text)} {where}, column {span.column}")
    more = len(d.fix.edits) - FIX_EDITS_SHOWN
    if more > 0:
        said.append(f"and {more} more change{'s' if more != 1 else ''} like these")
    if not said:
        return None
    words = "; ".join(said)
    words = words[0].upper() + words[1:] + "."
    if not d.fix.safe:
        words += " Check the page afterwards: this change alters its structure."
    return words
