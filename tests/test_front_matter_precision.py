"""What the front matter rules say, and leave unsaid, on patterns of real Isomer sites:
each reported pattern is one an editor would act on, and its message says what Jekyll
really does with the page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from naislint import jekyll
from naislint.run.discover import Target
from naislint.run.engine import Linter, RunOptions

ISOMER_CONFIG = "remote_theme: isomerpages/isomerpages-template@next-gen\n"


def lint(root: Path, name: str, text: str, rule: str, config: str = ISOMER_CONFIG) -> list:
    """Lint ``text`` as ``name`` in a site at ``root`` with ``config`` as its _config.yml."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config)
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    linter = Linter(RunOptions(select=(rule,), use_cache=False))
    target = Target(str(path), str(path), jekyll.find_site_root(str(path)))
    return [d for d in linter.lint_target(target).diagnostics if d.rule == rule]


def test_dated_post_without_opening_fence_is_published_with_its_lines_as_text(tmp_path: Path) -> None:
    text = "title: Written reply\npermalink: /news/reply/\n---\n\nThe reply.\n"
    (found,) = lint(tmp_path, "news/press/_posts/2022-01-10-reply.md", text, "front-matter-missing")
    assert (found.span.line, found.span.column) == (1, 1)
    assert found.message == (
        "front matter has no opening '---' line; Jekyll still publishes this dated post, with those "
        "'key: value' lines shown as text at the top and at a default address (add '---' as the first line)"
    )
    (page,) = lint(tmp_path, "pages/reply.md", text, "front-matter-missing")
    assert "copies the page as a plain file" in page.message


def test_dated_post_without_front_matter_is_published_without_a_title(tmp_path: Path) -> None:
    (found,) = lint(tmp_path, "news/press/_posts/2022-01-11-plain.md", "The reply.\n", "front-matter-missing")
    assert found.message.startswith("post has no front matter; Jekyll still publishes this dated post, but with no title")
    (late,) = lint(tmp_path, "news/press/_posts/2022-01-12-late.md", "\n---\ntitle: Late\n---\nText.\n", "front-matter-missing")
    assert (late.span.line, late.span.column) == (2, 1)
    assert "Jekyll still publishes this dated post, with the block shown as text" in late.message
    (empty,) = lint(tmp_path, "news/press/_posts/2022-01-13-empty.md", "", "front-matter-missing")
    assert empty.message == "post is empty: no front matter and no content; Jekyll still publishes it, as an empty page"


def test_a_file_in_posts_without_a_date_is_skipped_by_jekyll(tmp_path: Path) -> None:
    (found,) = lint(tmp_path, "news/press/_posts/notes.md", "Notes.\n", "front-matter-missing")
    assert found.message.startswith(
        "file in _posts has no front matter and no date in its name; Jekyll skips it, so it is neither published nor copied"
    )


def test_a_tab_inside_a_plain_value_is_read_as_jekyll_reads_it(monkeypatch) -> None:
    """libyaml (and Psych, Jekyll's reader) take the tab as white space; without libyaml
    the pure-Python loader refuses it, and naislint reads on as Jekyll does."""
    import yaml

    from naislint.page import frontmatter

    text = "---\ntitle: MSE Celebrates 50\tYears\npermalink: /mse50/\n---\nBody.\n"
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        monkeypatch.setattr(frontmatter, "_loader_class", lambda loader=loader: loader)
        fm = frontmatter.parse(text)
        assert fm is not None and fm.ok, loader
        assert fm.mapping["permalink"] == "/mse50/"
        assert fm.mapping["title"].replace("\t", " ") == "MSE Celebrates 50 Years"


def test_a_key_given_twice_with_the_same_value_says_so(tmp_path: Path) -> None:
    text = "---\ntitle: Contact Us\npermalink: /contact-us/\ntitle: Contact Us\npermalink: \"/contact/\"\n---\n"
    found = lint(tmp_path, "_about-us/5-contact-us.md", text, "front-matter-duplicate-key")
    assert [(d.span.line, d.span.column, d.message) for d in found] == [
        (4, 1, "key 'title' is given twice (first on line 2), both times 'Contact Us'; delete one of the two lines"),
        (5, 1, "key 'permalink' is given twice (first on line 3); Jekyll keeps only this last value"),
    ]


def test_the_cms_blank_description_says_what_the_reader_loses_and_other_blanks_are_left(tmp_path: Path) -> None:
    """An empty description empties the page's meta description (no summary in search
    results or link previews); the CMS's blank feedback and notification show nothing."""
    text = "---\ntitle: Low Risk Cloud\npermalink: /ssp/low-risk-cloud/\ndescription: \"\"\n---\nText.\n"
    isomer, plain, strict = tmp_path / "isomer", tmp_path / "plain", tmp_path / "strict"
    (found,) = lint(isomer, "pages/a.md", text, "front-matter-empty")
    assert (found.span.line, found.span.column) == (4, 1) and "link previews show no summary" in found.message
    blank = text.replace('description: \"\"', 'feedback: \"\"')
    assert lint(isomer, "pages/b.md", blank, "front-matter-empty") == []
    found = lint(plain, "pages/a.md", text, "front-matter-empty", config="title: A Jekyll site\n")
    assert [(d.span.line, d.span.column) for d in found] == [(4, 1)]
    strict.mkdir()
    (strict / ".naislint.yml").write_text("rules:\n  front-matter-empty:\n    cms-blank-keys: []\n")
    assert [(d.span.line, d.span.column) for d in lint(strict, "pages/a.md", text, "front-matter-empty")] == [(4, 1)]


# -- what Jekyll does, as the messages and docs say --------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed")
def test_jekyll_does_what_the_front_matter_messages_say(tmp_path: Path) -> None:
    """Jekyll itself builds the patterns the rules judge: a dated post without front
    matter is published with its would-be front matter as text, an undated file in
    _posts is skipped, a permalink without its leading slash is published at the slashed
    address, one with '?' goes to a folder the browser never asks for, and a tab inside a
    plain title keeps the block."""
    src, out = tmp_path / "src", tmp_path / "out"
    files = {
        "_config.yml": "title: Scratch\n",
        "news/_posts/2022-01-10-reply.md": "title: Written reply\npermalink: /news/reply/\n---\n\nThe reply text.\n",
        "news/_posts/notes.md": "Notes.\n",
        "pages/no-slash.md": "---\ntitle: No slash\npermalink: no-slash/page/\n---\nBody.\n",
        "pages/query.md": "---\ntitle: Query\npermalink: /faq?topic=x/\n---\nBody.\n",
        "pages/tab.md": "---\ntitle: Celebrates 50\tYears\npermalink: /tab/\n---\n{{ page.title }} at {{ page.permalink }}\n",
    }
    for rel, text in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    done = subprocess.run(["jekyll", "build", "-q", "-s", str(src), "-d", str(out)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    post = out / "news" / "2022" / "01" / "10" / "reply.html"
    assert "title: Written reply" in post.read_text(encoding="utf-8")
    assert not (out / "news" / "reply").exists()
    assert not any(p.name.startswith("notes") for p in out.rglob("*"))
    assert (out / "no-slash" / "page" / "index.html").is_file()
    assert (out / "faq?topic=x" / "index.html").is_file()
    assert (out / "tab" / "index.html").read_text(encoding="utf-8").strip() == "<p>Celebrates 50\tYears at /tab/</p>"


def test_a_page_date_and_a_resource_post_full_url_permalink_as_jekyll_builds_them(tmp_path: Path) -> None:
    """Jekyll 4 builds a page with date: 'soon' (it parses no page's date) but stops on a
    post with it; a post's full-URL permalink goes to '/http:/host/...' while
    relative_url, which Isomer's resource card applies to post.permalink, leaves the URL
    as it is. So the page's date is not reported, the post's is, and the permalink's
    report says the card works and file_url is what should link."""
    src, out = tmp_path / "src", tmp_path / "out"
    files = {
        "_config.yml": "title: Scratch\n",
        "pages/dated.md": "---\ntitle: Dated page\ndate: 'soon'\n---\nBody.\n",
        "news/_posts/2021-02-21-feb.md": ("---\ntitle: Feb\npermalink: http://www.example.gov.sg/files/feb.pdf\n"
                                          "file_url: /files/feb.pdf\n---\nBody.\n"),
        "index.html": "---\n---\n{% for p in site.posts %}<a href=\"{{ p.permalink | relative_url }}\">x</a>{% endfor %}\n",
    }
    for rel, text in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    done = subprocess.run(["jekyll", "build", "-q", "-s", str(src), "-d", str(out)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert (out / "http:" / "www.example.gov.sg" / "files" / "feb.pdf").is_file()
    assert '<a href="http://www.example.gov.sg/files/feb.pdf">' in (out / "index.html").read_text(encoding="utf-8")
    (src / "news/_posts/2021-02-22-bad.md").write_text("---\ntitle: Bad\ndate: 'soon'\n---\nBody.\n")
    failed = subprocess.run(["jekyll", "build", "-q", "-s", str(src), "-d", str(out)],
                            capture_output=True, text=True, timeout=180)
    assert failed.returncode != 0 and "Invalid date 'soon'" in failed.stdout + failed.stderr

    site = tmp_path / "isomer"
    page = "---\ntitle: Dated page\npermalink: /dated/\ndate: 'soon'\n---\nBody.\n"
    assert lint(site, "pages/dated.md", page, "front-matter-schema") == []
    post = "---\ntitle: Bad\npermalink: /news/bad/\ndate: 'soon'\n---\nBody.\n"
    assert [(d.line, d.column) for d in lint(site, "news/_posts/2021-02-22-bad.md", post, "front-matter-schema")] == [(4, 7)]
    linked = files["news/_posts/2021-02-21-feb.md"]
    (found,) = lint(site, "news/_posts/2021-02-21-feb.md", linked, "front-matter-schema")
    assert (found.line, found.column, found.severity.name) == (3, 12, "INFO")
    # one account of what the card links: the full URL now, the file_url once the line is gone
    assert "the resource card opens that address" in found.message
    assert found.message.endswith("remove the permalink line, and the card opens the post's file_url (/files/feb.pdf) instead")


def test_a_template_page_is_told_to_stay_unpublished() -> None:
    """An editor's cheat sheet (no title or permalink, dummy text in its body) is
    published by Jekyll all the same: one report, which says published: false, not "fill
    them in"; a page with real text and no title is told what the title is for."""
    from harness import FIXTURES, strip_markers
    from naislint import jekyll
    from naislint.run.discover import Target
    from naislint.run.engine import Linter, RunOptions

    def reports(name: str) -> list[tuple[int, str]]:
        path = FIXTURES / "front-matter-schema" / "site" / "news" / name
        text, _ = strip_markers(path.read_text(encoding="utf-8"))
        linter = Linter(RunOptions(select=("front-matter-schema",), use_cache=False))
        target = Target(str(path), str(path), jekyll.find_site_root(str(path)))
        return [(d.line, d.message) for d in linter.lint_target(target, raw=text.encode()).diagnostics]

    ((line, message),) = reports("sample-template.md")
    assert line == 2 and message.endswith("keep it unpublished: published: false")
    assert [line for line, message in reports("unnamed.md") if "published: false" not in message] == [2, 3]
