"""A site's data files (``_data/*.yml``, ``collection.yml``, ``_config.yml``) in every run.

One small Isomer site holds one defect of each kind the data-file rules find; every
diagnostic is checked by rule, file, line and column.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from naislint.cli import main
from naislint.run.engine import lint_paths

CONFIG = """\
title: Test site
remote_theme: isomerpages/isomerpages-template@next-gen
permalink: none
favicon: /images/favicon.ico
resources_name: news
collections:
  guides:
    output: false
permalinks: pretty
paginate: twelve
"""
NAVIGATION = """\
logo: /images/logo.png
links:
  - title: About
    url: /About/
  - title: Topics
    collection: topics
  - title: Guides
    collection: guides
  - title: Typo
    collection: topcis
  - title: Empty
  - title: News
    resource_room: true
"""
FOOTER = """\
contact_us: /contact-us/
faq: /about/
show_reach: "yes"
social_media:
  facebook: https://www.facebook.com/example
"""
COLLECTION = """\
collections:
  topics:
    output: true
    order:
      - a.md
      - missing.md
      - a.md
      - "sub/c.md"
"""
AGENCIES = """\
- name: Agency
  image-url: /images/small/MISSING.png
  website: https://example.gov.sg
- name: Other
  image-url: /images/logo.png
"""
HOMEPAGE = """\
---
layout: homepage
title: Home
permalink: /
sections:
  - hero:
      title: Welcome
      button: Find out more
  - infopic:
      title: A picture
      image: /images/logo.png
      url: /about/
  - infobar:
      title: Bar
      button: Go
      url: /about/
---
"""


def page(title: str, permalink: str) -> str:
    return f"---\ntitle: {title}\npermalink: {permalink}\ndescription: A page.\n---\nText.\n"


def write_site(root: Path) -> Path:
    files = {
        "_config.yml": CONFIG,
        "_data/navigation.yml": NAVIGATION,
        "_data/footer.yml": FOOTER,
        "_data/agencies.yml": AGENCIES,
        "_topics/collection.yml": COLLECTION,
        "_topics/a.md": page("A", "/topics/a/"),
        "_topics/b.md": page("B", "/topics/b/"),
        "_topics/sub/c.md": page("C", "/topics/c/").replace("title: C\n", "title: C\nthird_nav_title: Sub\n"),
        "_guides/g.md": page("G", "/guides/g/"),
        "news/general/_posts/2024-01-01-x.md": page("X", "/news/general/x/"),
        "index.md": HOMEPAGE,
        "pages/about.md": page("About", "/about/"),
        "pages/about-copy.md": page("About", "/about-copy/"),
        # The agencies' logos are printed: a missing one is a broken image a visitor meets.
        "agencies.md": page("Agencies", "/agencies/").replace(
            "Text.\n", '{% for a in site.data.agencies %}<img src="{{ a.image-url }}" alt="{{ a.name }}">{% endfor %}\n'),
        "images/logo.png": "",
        "images/favicon.ico": "",
        ".github/workflows/ci.yml": "on: push\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


RULES = ("broken-link", "missing-image", "data-file-schema", "navigation-link", "collection-order",
         "duplicate-title", "front-matter-schema")

EXPECTED = [
    ("_config.yml", "data-file-schema", 9, 1),  # permalinks: did you mean permalink
    ("_config.yml", "data-file-schema", 10, 11),  # paginate: not a whole number
    ("_data/footer.yml", "broken-link", 1, 13),  # /contact-us/ is no page
    ("_data/footer.yml", "data-file-schema", 3, 13),  # show_reach quoted
    ("_data/navigation.yml", "broken-link", 4, 10),  # /About/
    ("_data/navigation.yml", "navigation-link", 8, 17),  # guides: no output
    ("_data/navigation.yml", "navigation-link", 10, 17),  # topcis: no such collection
    ("_data/navigation.yml", "data-file-schema", 11, 5),  # Empty: no target
    ("_data/agencies.yml", "missing-image", 2, 14),
    ("_topics/collection.yml", "collection-order", 4, 5),  # b.md is not listed
    ("_topics/collection.yml", "collection-order", 6, 9),  # missing.md
    ("_topics/collection.yml", "collection-order", 7, 9),  # a.md twice
    ("index.md", "front-matter-schema", 8, 7),  # hero button without url
    ("index.md", "front-matter-schema", 11, 7),  # infopic image without alt
    ("pages/about-copy.md", "duplicate-title", 2, 8),
    ("pages/about.md", "duplicate-title", 2, 8),
]


def _found(result, root: Path) -> list[tuple[str, str, int, int]]:
    out = []
    for d in result.diagnostics:
        rel = os.path.relpath(os.path.join(os.getcwd(), d.path), root).replace(os.sep, "/")
        out.append((rel, d.rule, d.span.line, d.span.column))
    return out


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site")


def test_every_kind_of_data_file_defect(site: Path) -> None:
    result = lint_paths([str(site)], select=RULES)
    assert not result.internal_errors
    assert sorted(_found(result, site)) == sorted(EXPECTED)


def test_messages_name_what_was_meant(site: Path) -> None:
    result = lint_paths([str(site)], select=RULES)
    messages = {(os.path.basename(d.path), d.span.line): d.message for d in result.diagnostics}
    assert messages[("navigation.yml", 4)] == (
        "url '/About/' goes to no page or file of this site; did you mean '/about/'? (URLs are case-sensitive)"
    )
    assert messages[("navigation.yml", 10)].endswith("did you mean 'topics'?")
    assert "has no 'output: true'" in messages[("navigation.yml", 8)]
    assert messages[("collection.yml", 4)].startswith("the page _topics/b.md is not in the order")
    assert messages[("collection.yml", 7)].startswith("'a.md' is listed twice in order (first on line 5)")
    assert messages[("_config.yml", 9)].endswith("did you mean `permalink`?")
    assert messages[("index.md", 8)] == "sections[0].hero has a button but no url; the button leads nowhere"
    assert "no alt text" in messages[("index.md", 11)]


def test_a_yaml_file_that_is_not_a_data_file_is_not_linted(site: Path) -> None:
    """A pre-commit hook names every staged YAML file: a CI workflow is not the site's."""
    result = lint_paths([str(site / ".github/workflows/ci.yml"), str(site / "_data/navigation.yml")], select=RULES)
    assert {os.path.basename(f.target.path) for f in result.files} == {"navigation.yml"}
    assert [(d.span.line, d.rule) for d in result.diagnostics] == [
        (4, "broken-link"), (8, "navigation-link"), (10, "navigation-link"), (11, "data-file-schema"),
    ]


def test_a_walk_of_a_subfolder_does_not_take_the_data_files(site: Path) -> None:
    result = lint_paths([str(site / "pages")], select=RULES)
    assert {os.path.basename(f.target.path) for f in result.files} == {"about.md", "about-copy.md"}


def test_a_broken_data_file_is_a_diagnostic(site: Path) -> None:
    (site / "_data" / "footer.yml").write_text("contact_us: [/contact-us/\nfaq: /faq/\n")
    result = lint_paths([str(site / "_data" / "footer.yml")], select=RULES)
    assert not result.internal_errors
    [d] = result.diagnostics
    assert (d.rule, d.span.line, d.span.column) == ("data-file-schema", 2, 4)
    assert "_data/footer.yml is not valid YAML" in d.message


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit", "json"])
def test_reporters_show_data_file_diagnostics(site: Path, fmt: str) -> None:
    runner = CliRunner()
    done = runner.invoke(main, ["check", "--no-cache", "--select", "navigation-link", "--format", fmt, str(site)])
    assert done.exit_code == 1, done.output
    assert "navigation.yml" in done.output
    if fmt == "sarif":
        sarif = json.loads(done.output)
        results = sarif["runs"][0]["results"]
        regions = sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results)
        assert regions == [8, 10]
    if fmt == "github":
        assert "_data/navigation.yml,line=8,col=17" in done.output


def test_baseline_and_cache_keep_data_files(site: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    baseline = tmp_path / "baseline.json"
    wrote = runner.invoke(main, ["check", "--select", "navigation-link,broken-link", "--write-baseline", str(baseline),
                                 str(site)])
    assert wrote.exit_code == 0, wrote.output
    assert "navigation.yml" in baseline.read_text()
    again = runner.invoke(main, ["check", "--select", "navigation-link,broken-link", "--baseline", str(baseline),
                                 "--format", "json", str(site)])
    assert again.exit_code == 0, again.output
    # A new broken navbar link is not in the baseline; served from a warm cache, the
    # navbar's result follows the edit and the site's pages.
    nav = site / "_data" / "navigation.yml"
    nav.write_text(NAVIGATION + "  - title: Gone\n    url: /gone/\n")
    third = runner.invoke(main, ["check", "--select", "navigation-link,broken-link", "--baseline", str(baseline),
                                 "--format", "json", str(site)])
    assert third.exit_code == 1
    assert [(d["path"].rsplit("/", 1)[-1], d["line"]) for d in json.loads(third.stdout)] == [("navigation.yml", 15)]
    (site / "pages" / "gone.md").write_text(page("Gone", "/gone/"))
    fourth = runner.invoke(main, ["check", "--select", "navigation-link,broken-link", "--baseline", str(baseline),
                                  "--format", "json", str(site)])
    assert fourth.exit_code == 0, fourth.output


def _git(cwd: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.invalid", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=30)


def test_changed_since_lints_the_navbar_a_moved_page_breaks(site: Path) -> None:
    """The page the navbar links to moves; the navbar did not change, yet its link broke."""
    nav = site / "_data" / "navigation.yml"
    nav.write_text("links:\n  - title: About\n    url: /about/\n")
    _git(site, "init", "-q")
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "site")
    (site / "pages" / "about.md").write_text(page("About us", "/about-us/"))
    old = os.getcwd()
    try:
        os.chdir(site)
        done = CliRunner().invoke(main, ["check", "--no-cache", "--select", "broken-link", "--format", "json",
                                         "--changed-since", "HEAD", "."])
    finally:
        os.chdir(old)
    found = sorted((d["path"], d["line"], d["column"]) for d in json.loads(done.stdout))
    # The homepage's buttons, the footer's FAQ link and the navbar went to /about/ (the footer's
    # contact link was broken before: the whole of a file the change broke is linted).
    assert found == [
        ("_data/footer.yml", 1, 13), ("_data/footer.yml", 2, 6), ("_data/navigation.yml", 3, 10),
        ("index.md", 12, 12), ("index.md", 16, 12),
    ], done.output


@pytest.mark.corpus
def test_pa_ccc_missing_agency_images(tmp_path: Path) -> None:
    """The four MLAW-ACD.png paths of pa-ccc's service-im.yml: no page shows them (the MSF
    page lists the e-services without their logos), so no report by default; with
    ``unprinted: true``, warnings at each value that say so."""
    from shared_data import CORPUS, need
    from naislint.diagnostics import Severity

    root = need(CORPUS / "isomerpages__pa-ccc")
    data = str(root / "_data" / "service-im.yml")
    assert lint_paths([data], select=("missing-image",)).diagnostics == []
    config = tmp_path / ".naislint.yml"
    config.write_text("rules:\n  missing-image:\n    unprinted: true\n", encoding="utf-8")
    result = lint_paths([data], select=("missing-image",), config_path=str(config))
    found = [(d.span.line, d.span.column, d.span.end_column, d.severity) for d in result.diagnostics]
    assert found == [(n, 14, 40, Severity.WARNING) for n in (523, 528, 533, 538)]
    assert all(d.message == (
        "image-url '/images/small/MLAW-ACD.png' is not a file of this site (no page shows it today: "
        "pages/agency/MSF.md reads _data/service-im.yml but never prints its 'image-url'); "
        "did you mean '/images/small/MLAW.png'?") for d in result.diagnostics)


def test_a_plain_jekyll_sites_own_settings_and_data(tmp_path: Path) -> None:
    """What a Jekyll site's own templates read is theirs to define: a setting they use
    (``site.google_analytics_id``) or jekyll-seo-tag reads (``twitter``) is read, and a
    relative value in a data file no known template reads has no base to check it
    against (jekyllrb.com's showcase puts a CDN address before ``image: x.png``)."""
    files = {
        "_config.yml": (
            "title: Docs\ntwitter:\n  username: jekyllrb\ngoogle_analytics_id: UA-1\n"
            "google_site_verification: abc\npermalinks: pretty\nplugins:\n  - jekyll-seo-tag\n"
        ),
        "_includes/analytics.html": "{% if site.google_analytics_id %}<script>ga('{{ site.google_analytics_id }}')</script>{% endif %}\n",
        "_data/showcase.yml": "- name: A\n  image: lightburn.png\n- name: B\n  image: /img/missing.png\n",
        "index.md": page("Home", "/"),
    }
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = lint_paths([str(tmp_path)], select=RULES)
    assert not result.internal_errors
    assert sorted(_found(result, tmp_path)) == [
        ("_config.yml", "data-file-schema", 6, 1),  # permalinks: did you mean permalink
    ]  # /img/missing.png: no template prints showcase.yml, so no visitor meets it (unprinted: false)
