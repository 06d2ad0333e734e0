"""liquid-syntax against real Jekyll: each fixture page, built alone in a site of its own by
Debian's ``jekyll build``, fails exactly when the rule reports it, on the line it reports."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from naislint.registry import RuleContext
from naislint.page.document import Document
from naislint.rules.liquid_syntax import LIQUID_BLOCKS, LIQUID_TAGS, JEKYLL_BLOCKS, JEKYLL_TAGS, Options, check, first_error

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "liquid-syntax").glob("*.md"))
LINE_RE = re.compile(r"Liquid syntax error \(line (\d+)\)")
MARKER_RE = re.compile(r"[ \t]*<!--\s*expect:[^>]*-->")


def _reported(text: str) -> list[int]:
    doc = Document.from_text(text, "page.md")
    return [f.span.line for f in check(doc, RuleContext.alone(doc.path), Options())]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jekyll") is None, reason="needs Debian's jekyll")
@pytest.mark.parametrize("page", FIXTURES, ids=[p.name for p in FIXTURES])
def test_jekyll_fails_where_the_rule_reports(page: Path, tmp_path: Path) -> None:
    text = MARKER_RE.sub("", page.read_text())
    (tmp_path / "_config.yml").write_text("title: liquid-syntax oracle\n")
    (tmp_path / "page.md").write_text(text)
    build = subprocess.run(
        ["jekyll", "build", "--quiet", "--source", str(tmp_path), "--destination", str(tmp_path / "_site")],
        capture_output=True, text=True, timeout=180, cwd=tmp_path,
    )
    reported = _reported(text)
    output = build.stdout + build.stderr
    assert (build.returncode != 0) == bool(reported), output
    if not reported:
        return
    m = LINE_RE.search(output)
    assert m is not None, output
    body_first_line = text.count("\n", 0, Document.from_text(text, "page.md").body_start) + 1
    jekyll_line = int(m.group(1)) + body_first_line - 1
    if "never closed with 'end" in _message(text):
        # Liquid names the line where it ran out of page; the rule names the opening tag.
        assert jekyll_line >= reported[0]
    else:
        assert jekyll_line == reported[0], output


def _message(text: str) -> str:
    doc = Document.from_text(text, "page.md")
    return " ".join(f.message for f in check(doc, RuleContext.alone(doc.path), Options()))


def test_first_error_only_and_options() -> None:
    tags = LIQUID_TAGS | JEKYLL_TAGS
    blocks = LIQUID_BLOCKS | JEKYLL_BLOCKS
    text = "{% button %}{% if %}"
    assert first_error(text, 0, tags, blocks) == (0, 12, first_error(text, 0, tags, blocks)[2])
    assert first_error(text, 0, tags | {"button"}, blocks)[2].startswith("'if' is never closed")
    assert first_error(text, 0, tags, blocks, any_tag=True)[2].startswith("'if' is never closed")
    assert first_error("{% comment %}{% endif %}{% endcomment %}", 0, tags, blocks) is None


def test_plugins_the_site_lists(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("plugins:\n  - jekyll-seo-tag\n")
    page = tmp_path / "a.md"
    page.write_text("---\n---\n{% seo %}{% gist 1 %}\n")
    doc = Document.from_text(page.read_text(), str(page))
    assert [f.message.split(":")[0] for f in check(doc, RuleContext.alone(doc.path), Options())] == ["unknown Liquid tag 'gist'"]
    (tmp_path / "_config.yml").write_text("plugins:\n  - jekyll-seo-tag\n  - some-unnamed-plugin\n")
    from naislint import jekyll

    jekyll.clear_caches()
    assert list(check(Document.from_text(page.read_text(), str(page)), RuleContext.alone(str(page)), Options())) == []
