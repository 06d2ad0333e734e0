"""Every fix on every real page changes only what it promises, as real kramdown renders it.

For each fixable diagnostic on every page of the three corpora (six Isomer sites, the
jekyllrb.com docs, kubernetes/community), the fix is applied alone, through the same
``apply_edits`` and protection ``--fix`` uses, and the page is rendered before and after
by kramdown with GFM input, as Jekyll renders it (``tests/kramdown_html.rb``, two Ruby
processes side by side per batch of about 8 MB of markdown). Then:

- the rendered HTML is the same once the difference the rule promises is normalised away
  (nbsp-entity: whitespace and non-breaking spaces, and the stray space at the start of an
  element's text it removes; target-blank: the ``rel`` attribute;
  split-emphasis: the emphasis markup; link-syntax: spaces written ``%20`` and
  whitespace at the ends of a URL; pseudo-list: the list markup and its numbers);
- every ``<code>`` element kramdown renders, and every Liquid tag and output of the
  source, is byte-identical before and after;
- ``--fix`` twice gives what ``--fix`` once gave (with and without unsafe fixes).

Last, where Debian's ``jekyll`` is installed, a copy of the jekyllrb.com docs builds
after ``naislint check --fix --unsafe-fixes`` as it did before, with the same pages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ruby_batch import run_batched
from shared_data import CORPUS, CORPUS_JEKYLL, CORPUS_PLAIN, need
from naislint.page.document import Document
from naislint.run.engine import Linter, RunOptions
from naislint.run.fix import apply_edits, fix_target, protection_of
from naislint.page.text import decode

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

HERE = Path(__file__).parent
DRIVER = HERE / "kramdown_html.rb"
JEKYLL_SITE = "jekyll__jekyll-docs"
PLAIN_SITE = "kubernetes__community"
INSTALL_KRAMDOWN = "apt-get install -y ruby-kramdown ruby-kramdown-parser-gfm"
#: The jekyllrb.com docs' plugins that Debian packages (``jemoji`` is not packaged, and
#: the build works without it: ``:emoji:`` codes stay text).
JEKYLL_PLUGINS = ("jekyll-avatar", "jekyll-feed", "jekyll-mentions", "jekyll-redirect-from", "jekyll-seo-tag",
                  "jekyll-sitemap")
INSTALL_JEKYLL = "apt-get install -y jekyll " + " ".join(f"ruby-{p}" for p in JEKYLL_PLUGINS)
RENDER_TIMEOUT = 900
BUILD_TIMEOUT = 600

LIQUID_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
CODE_RE = re.compile(r"<code\b[^>]*>.*?</code>", re.DOTALL)


def _missing(kind: str, problem: str) -> None:
    """Skip for a missing tool; in CI, where ``.ci/run`` installs it, fail instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{kind} is required in CI: {problem}")
    pytest.skip(problem)


def _kramdown_problem() -> str | None:
    if shutil.which("ruby") is None:
        return f"ruby is not installed ({INSTALL_KRAMDOWN})"
    probe = subprocess.run(["ruby", "-e", 'require "kramdown"; require "kramdown-parser-gfm"'],
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        return f"kramdown or kramdown-parser-gfm is missing ({INSTALL_KRAMDOWN}): {probe.stderr.strip()[:200]}"
    return None


def _render(docs: list[str]) -> list:
    """HTML of every document, from two Ruby processes run side by side."""
    return run_batched(DRIVER, docs, RENDER_TIMEOUT)


# -- what each fix promises -----------------------------------------------------------------

INLINE = ("a|abbr|b|big|cite|code|del|dfn|em|font|i|img|ins|kbd|mark|q|s|samp|small|span|strike|strong|sub|sup|"
          "time|tt|u|var")
#: kramdown writes entities of markdown text as characters, but passes raw HTML through.
NBSP_RE = re.compile(r"&nbsp;|&#160;|&#[xX][aA]0;")
SPACE_RE = re.compile(r"[\s\u00a0]+")
#: A space next to a tag that is not inline (``<p>``, ``<td>``, ``<br />``) is not shown.
BLOCK_TAG_SPACE_RE = re.compile(rf" ?(</?(?!(?:{INLINE})\b)[A-Za-z][^>]*>) ?")
EMPHASIS_RE = re.compile(r"</?(?:strong|em)>|\*")
REL_RE = re.compile(r"\srel=(?:\"[^\"]*\"|'[^']*')")
URL_ATTR_RE = re.compile(r"\b(href|src)=\"([^\"]*)\"")
LIST_RE = re.compile(r"</?(?:ol|ul|li|p)\b[^>]*>")
NUMBER_RE = re.compile(r"(?<![\w.])\d{1,9}[.)](?= |$)")


def _spaces(html: str) -> str:
    """Whitespace and non-breaking spaces as one space; none where it is not shown."""
    html = SPACE_RE.sub(" ", NBSP_RE.sub(" ", html))
    return BLOCK_TAG_SPACE_RE.sub(r"\1", html).strip()


#: A space at the start of an element's text (``<span> Name``): the stray space nbsp-entity's
#: fix removes, there to be removed (a space between two words must stay).
START_TAG_SPACE_RE = re.compile(r"(<[A-Za-z][^>]*>) ")


def _nbsp_entity(html: str) -> str:
    return START_TAG_SPACE_RE.sub(r"\1", _spaces(html))


def _split_emphasis(html: str) -> str:
    return _spaces(EMPHASIS_RE.sub("", html))


def _link_syntax(html: str) -> str:
    return URL_ATTR_RE.sub(lambda m: f'{m.group(1)}="{m.group(2).replace("%20", " ").strip()}"', html)


def _pseudo_list(html: str) -> str:
    return _spaces(NUMBER_RE.sub("", _spaces(LIST_RE.sub(" ", html))))


TARGET_BLANK_RE = re.compile(r"\starget=(\"|')blank\1")
#: A doubled word, in the text or in the heading id kramdown makes from it (``on-on``).
DOUBLED_RE = re.compile(r"\b(\w+)([\s-]+\1)+\b", re.IGNORECASE)
HTTP_RE = re.compile(r"\b(href|src)=\"http://")
HEADING_LEVEL_RE = re.compile(r"<(/?)h[1-6]\b")


def _target_blank(html: str) -> str:
    """``rel`` added, and ``target="blank"`` spelt ``_blank``."""
    return TARGET_BLANK_RE.sub(' target="_blank"', REL_RE.sub("", html))


def _doubled_word(html: str) -> str:
    """One copy of a word written twice in a row dropped (and from a heading's id): the
    copy with a capital is kept when only the second has one ("the The Local" -> "The
    Local", the name's capital)."""

    def kept(m: re.Match[str]) -> str:
        words = re.split(r"[\s-]+", m.group(0))
        first, last = words[0], words[-1]
        return last if last[:1].isupper() and not first[:1].isupper() else first

    return _spaces(DOUBLED_RE.sub(kept, html))


def _insecure_link(html: str) -> str:
    """``http://`` made ``https://`` in a link's address."""
    return HTTP_RE.sub(r'\1="https://', html)


def _heading_structure(html: str) -> str:
    """Every heading one level lower; the outline's shape and text stay."""
    return HEADING_LEVEL_RE.sub(r"<\1h", html)


def _front_matter_only(html: str) -> str:
    """A fix inside the front matter: the rendered body does not change at all."""
    return html


PROMISES = {
    "nbsp-entity": _nbsp_entity,
    "split-emphasis": _split_emphasis,
    "target-blank": _target_blank,
    "link-syntax": _link_syntax,
    "pseudo-list": _pseudo_list,
    "doubled-word": _doubled_word,
    "insecure-link": _insecure_link,
    "heading-structure": _heading_structure,
    "front-matter-syntax": _front_matter_only,
}


# -- the corpus, linted, fixed and rendered ---------------------------------------------------

#: Markdown characters rendered per batch: bounds memory however many fixes a page has.
BATCH_CHARS = 8_000_000


@dataclass
class Applied:
    """One fix applied alone to one page."""

    where: str
    rule: str
    body: str


@dataclass
class Page:
    path: str
    body: str
    fixes: list[Applied]


@dataclass
class Findings:
    """What the checks found over the whole corpus (each list empty when all is well)."""

    counts: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    code_or_liquid: list[str] = field(default_factory=list)
    twice: list[str] = field(default_factory=list)


def _roots() -> list[Path]:
    roots = sorted(p for p in need(CORPUS).iterdir() if (p / "_config.yml").is_file())
    roots.append(need(CORPUS_JEKYLL) / JEKYLL_SITE)
    roots.append(need(CORPUS_PLAIN) / PLAIN_SITE)
    return [need(r) for r in roots]


def _body(text: str) -> str:
    """The markdown Jekyll hands to kramdown: the page after its front matter."""
    doc = Document.from_text(text)
    return doc.text[doc.body_start:]


def _fix_page(linter: Linter, file_result, found: Findings) -> Page:  # noqa: ANN001
    """Each fix of a page applied alone (checked for Liquid on the way), and --fix twice."""
    decoded = decode(Path(file_result.target.path).read_bytes())
    text = decoded.text
    page = Page(file_result.target.display, _body(text), [])
    protected = protection_of(text)
    liquid = LIQUID_RE.findall(text)
    for d in file_result.diagnostics:
        if d.fix is None:
            continue
        found.counts[d.rule] = found.counts.get(d.rule, 0) + 1
        where = f"{page.path}:{d.span.line}:{d.span.column} {d.rule}"
        result = apply_edits(text, [d], decoded.newline, protected)
        if result.applied != 1:
            found.refused.append(where)
            continue
        if LIQUID_RE.findall(result.text) != liquid:
            found.code_or_liquid.append(f"{where}: a Liquid tag or output changed")
        page.fixes.append(Applied(where, d.rule, _body(result.text)))
    for unsafe in (False, True):
        once = fix_target(linter, file_result.target, file_result.diagnostics, decoded, unsafe).fixed
        again = linter.lint_target(file_result.target, text=once).diagnostics
        if fix_target(linter, file_result.target, again, decode(once.encode("utf-8")), unsafe).fixed != once:
            found.twice.append(f"{page.path}: --fix{' --unsafe-fixes' if unsafe else ''} changed the page again")
    return page


def _check_rendered(pages: list[Page], found: Findings) -> None:
    """Render a batch of pages before and after each fix, and compare."""
    docs = []
    for page in pages:
        docs.append(page.body)
        docs.extend(a.body for a in page.fixes)
    rendered = iter(_render(docs))
    for page in pages:
        html = next(rendered)
        assert isinstance(html, str), f"{page.path}: kramdown failed: {html}"
        code = CODE_RE.findall(html)
        for applied in page.fixes:
            after = next(rendered)
            assert isinstance(after, str), f"{applied.where}: kramdown failed after the fix: {after}"
            if CODE_RE.findall(after) != code:
                found.code_or_liquid.append(f"{applied.where}: a code span or block changed")
            promise = PROMISES[applied.rule]
            x, y = promise(html), promise(after)
            if x != y:
                at = next((i for i, (a, b) in enumerate(zip(x, y)) if a != b), min(len(x), len(y)))
                found.changed.append(f"{applied.where}:\n  before: {x[max(0, at - 80):at + 80]!r}\n"
                                     f"  after:  {y[max(0, at - 80):at + 80]!r}")


@pytest.fixture(scope="module")
def corpus_fixes() -> Findings:
    problem = _kramdown_problem()
    if problem:
        _missing("the kramdown renderer", problem)
    found = Findings()
    batch: list[Page] = []
    size = 0
    for root in _roots():
        linter = Linter(RunOptions(use_cache=False))
        result = linter.run(linter.discover([str(root)]))
        assert not result.internal_errors, result.internal_errors[:3]
        for file_result in result.files:
            if not any(d.fix is not None for d in file_result.diagnostics):
                continue
            page = _fix_page(linter, file_result, found)
            batch.append(page)
            size += len(page.body) * (1 + len(page.fixes))
            if size > BATCH_CHARS:
                _check_rendered(batch, found)
                batch, size = [], 0
    if batch:
        _check_rendered(batch, found)
    return found


#: Fixable rules with nothing to fix on these corpora, and why (their fixtures hold the fix).
NOTHING_TO_FIX = {
    # its fixes are for a GFM site's destinations with spaces (kubernetes/community's hold
    # quotes or '<no value>', which get no fix) and a non-breaking space at an href's end
    "link-syntax",
}


def test_the_corpus_has_fixes_of_every_fixable_rule(corpus_fixes: Findings) -> None:
    """The property below is checked on something: every fixable rule fixes real pages."""
    assert set(corpus_fixes.counts) == set(PROMISES) - NOTHING_TO_FIX, corpus_fixes.counts
    assert sum(corpus_fixes.counts.values()) > 500, corpus_fixes.counts


def test_every_fix_applies_alone(corpus_fixes: Findings) -> None:
    refused = corpus_fixes.refused
    assert not refused, f"{len(refused)} offered fixes were not applied:\n" + "\n".join(refused[:20])


def test_rendered_page_changes_only_as_promised(corpus_fixes: Findings) -> None:
    wrong = corpus_fixes.changed
    assert not wrong, f"{len(wrong)} fixes changed more than they promise:\n" + "\n".join(wrong[:10])


def test_code_and_liquid_are_byte_identical(corpus_fixes: Findings) -> None:
    wrong = corpus_fixes.code_or_liquid
    assert not wrong, f"{len(wrong)} fixes changed code or Liquid:\n" + "\n".join(wrong[:20])


def test_fix_twice_is_fix_once(corpus_fixes: Findings) -> None:
    again = corpus_fixes.twice
    assert not again, "\n".join(again[:20])


# -- the jekyllrb.com docs build after --fix --unsafe-fixes -----------------------------------


def _jekyll_problem() -> str | None:
    if shutil.which("jekyll") is None:
        return f"jekyll is not installed ({INSTALL_JEKYLL})"
    probe = subprocess.run(["ruby", "-e", 'require "jekyll";' + "".join(f'require "{p}";' for p in JEKYLL_PLUGINS)],
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        return f"a Jekyll plugin of the docs site is missing ({INSTALL_JEKYLL}): {probe.stderr.strip()[:200]}"
    return None


def _build(site: Path, out: Path, override: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["jekyll", "build", "--quiet", "--source", str(site), "--destination", str(out),
         "--config", f"{site / '_config.yml'},{override}"],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT, cwd=site,
        env={**os.environ, "JEKYLL_ENV": "production", "LANG": "C.UTF-8"},
    )


def _outputs(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_jekyll_docs_build_after_fixing(tmp_path: Path) -> None:
    source = need(CORPUS_JEKYLL) / JEKYLL_SITE
    problem = _jekyll_problem()
    if problem:
        _missing("jekyll", problem)
    site = tmp_path / "site"
    shutil.copytree(source, site, symlinks=True)
    override = tmp_path / "override.yml"
    override.write_text("plugins: [" + ", ".join(JEKYLL_PLUGINS) + "]\n", encoding="utf-8")
    before = _build(site, tmp_path / "before", override)
    assert before.returncode == 0, f"the docs do not build even unfixed:\n{before.stderr[:3000]}"
    fixed = subprocess.run(
        [sys.executable, "-m", "naislint", "check", "--fix", "--unsafe-fixes", "--no-cache", "--fail-on", "never", "."],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT, cwd=site,
    )
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    changed = [p for p in site.rglob("*.md") if p.read_bytes() != (source / p.relative_to(site)).read_bytes()]
    assert changed, "--fix changed nothing: the build below proves nothing"
    after = _build(site, tmp_path / "after", override)
    assert after.returncode == 0, f"jekyll build fails after --fix:\n{after.stderr[:3000]}"
    assert _outputs(tmp_path / "after") == _outputs(tmp_path / "before")
