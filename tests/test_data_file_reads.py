"""What a site's own Liquid does with its data decides what the data-file rules report.

Each test builds a small site whose layouts, includes and pages read a data file or a
``_config.yml`` key in one way, and checks every diagnostic by rule, file, line, column
and, where the change is about it, severity and message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from naislint import jekyll
from naislint.run.engine import lint_paths

ISOMER_CONFIG = "title: Site\nremote_theme: isomerpages/isomerpages-template@next-gen\npermalink: none\n"
JEKYLL_CONFIG = "title: Site\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def page(title: str, permalink: str, body: str = "Text.\n") -> str:
    return f"---\ntitle: {title}\npermalink: {permalink}\n---\n{body}"


def found(root: Path, *rules: str) -> list[tuple[str, str, int, int, str, str]]:
    """(file, rule, line, column, severity, message) of every diagnostic of ``rules``."""
    result = lint_paths([str(root)], select=rules, use_cache=False)
    assert not result.internal_errors
    out = []
    for d in result.diagnostics:
        rel = os.path.relpath(os.path.join(os.getcwd(), d.path), root).replace(os.sep, "/")
        out.append((rel, d.rule, d.span.line, d.span.column, d.severity.value, d.message))
    return sorted(out)


def where(diags: list[tuple]) -> list[tuple[str, str, int, int]]:
    return [d[:4] for d in diags]


# -- a data value is what the site's Liquid makes of it --------------------------------


SHOWCASE = """\
- name: Siteleaf
  url: https://www.siteleaf.com/
  image: siteleaf.png
- name: Isomer
  url: https://www.isomer.gov.sg/
  image: isomer.png
"""
SHOWCASE_PAGE = """\
---
title: Showcase
permalink: /showcase/
---
{% for entry in site.data.showcase %}
<a href="{{ entry.url }}"><img src="{{ site.cloudinary_url }}/showcase/{{ entry.image }}" alt="{{ entry.name }}"></a>
{% endfor %}
"""


def test_a_bare_name_the_template_prints_after_a_cdn_address_is_no_file_of_the_site(tmp_path: Path) -> None:
    """jekyll docs' showcase: `image: siteleaf.png` is the end of a Cloudinary URL."""
    site = write(tmp_path / "site", {
        "_config.yml": JEKYLL_CONFIG + "cloudinary_url: https://res.cloudinary.com/x/image/upload\n",
        "_data/showcase.yml": SHOWCASE,
        "pages/showcase.html": SHOWCASE_PAGE,
    })
    assert found(site, "missing-image", "broken-link") == []


def test_a_bare_name_no_liquid_prints_is_not_resolved_from_the_root(tmp_path: Path) -> None:
    """With nothing in the site that reads the file, a value without '/' has no known base."""
    site = write(tmp_path / "site", {"_config.yml": JEKYLL_CONFIG, "_data/showcase.yml": SHOWCASE})
    assert found(site, "missing-image") == []


LOGOS = """\
- name: Here
  logo: here.png
- name: Gone
  logo: gone.png
"""


def test_a_literal_prefix_in_the_template_is_joined_to_the_value(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {
        "_config.yml": JEKYLL_CONFIG,
        "_data/partners.yml": LOGOS,
        "_includes/partners.html": '{% for p in site.data.partners %}<img src="{{ site.baseurl }}/images/partners/'
                                   '{{ p.logo }}" alt="{{ p.name }}">{% endfor %}\n',
        "index.md": page("Home", "/", "{% include partners.html %}\n"),
        "images/partners/here.png": "",
    })
    diags = found(site, "missing-image")
    assert where(diags) == [("_data/partners.yml", "missing-image", 4, 9)]
    assert diags[0][4] == "error"
    assert diags[0][5] == ("logo 'gone.png' (_includes/partners.html prints it after '/images/partners/': "
                           "/images/partners/gone.png) is not a file of this site")


def test_relative_url_reads_a_bare_name_from_the_root(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {
        "_config.yml": JEKYLL_CONFIG,
        "_data/partners.yml": LOGOS,
        "_layouts/default.html": "{% for p in site.data.partners %}<img src='{{ p.logo | relative_url }}'>{% endfor %}"
                                 "{{ content }}\n",
        "index.md": page("Home", "/"),
        "here.png": "",
    })
    assert where(found(site, "missing-image")) == [("_data/partners.yml", "missing-image", 4, 9)]


TEAM = """\
- name: Alice
  image: alice.jpg
- name: Bob
  image: bob.jpg
"""


def test_a_relative_value_a_page_prints_whole_is_read_from_that_page(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {
        "_config.yml": JEKYLL_CONFIG,
        "_data/team.yml": TEAM,
        "pages/team.html": page("Team", "/team/", '{% for m in site.data.team %}\n<img src="{{ m.image }}" '
                                                  'alt="{{ m.name }}">\n{% endfor %}\n'),
        "team/alice.jpg": "",
    })
    diags = found(site, "missing-image")
    assert where(diags) == [("_data/team.yml", "missing-image", 4, 10)]
    assert diags[0][5] == "image 'bob.jpg' (pages/team.html prints it on /team/: /team/bob.jpg) is not a file of this site"


def test_a_value_the_site_prints_as_text_is_not_a_link(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {
        "_config.yml": JEKYLL_CONFIG,
        "_data/team.yml": "- name: Alice\n  image: /photos/alice.jpg\n",
        "pages/team.html": page("Team", "/team/", "{% for m in site.data.team %}<p>{{ m.image }}</p>{% endfor %}\n"),
    })
    assert found(site, "missing-image") == []


def test_a_value_used_only_in_tags_is_checked_when_it_is_a_path_from_the_root(tmp_path: Path) -> None:
    """jekyll docs' docs_nav: `link:` is looked up with `where`, never printed."""
    site = write(tmp_path / "site", {
        "_config.yml": JEKYLL_CONFIG,
        "_data/docs_nav.yml": "- title: Start\n  docs:\n    - link: /docs/\n    - link: /docs/gone/\n    - link: here/\n",
        "_includes/nav.html": '{% for s in site.data.docs_nav %}{% for item in s.docs %}{% assign p = site.pages | '
                              'where: "url", item.link | first %}<a href="{{ p.url }}">{{ p.title }}</a>{% endfor %}'
                              '{% endfor %}\n',
        "docs/index.md": page("Docs", "/docs/", "{% include nav.html %}\n"),
    })
    diags = found(site, "broken-link")
    assert where(diags) == [("_data/docs_nav.yml", "broken-link", 4, 13)]
    assert diags[0][4] == "error"


def test_liquid_in_raw_and_comment_blocks_reads_nothing(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {
        "_config.yml": JEKYLL_CONFIG,
        "_data/partners.yml": LOGOS,
        "docs/data.md": page("Data", "/docs/data/", "{% raw %}<img src=\"{{ p.logo | relative_url }}\">"
                                                    "{{ site.data.partners }}{% endraw %}\n{% comment %}"
                                                    "{{ site.data.partners }}{% endcomment %}\n"),
    })
    assert found(site, "missing-image") == []  # no reader: bare names are not resolved


# -- a dead path no page shows is reported, and says so ------------------------------------


AGENCIES = "- name: Agency\n  image-url: /images/small/MISSING.png\n"


UNPRINTED = "rules:\n  missing-image:\n    unprinted: true\n"


def test_a_path_in_a_data_file_nothing_reads_is_a_warning_that_says_so(tmp_path: Path) -> None:
    """No visitor meets the image: nothing by default; a warning that says so on request."""
    files = {"_config.yml": ISOMER_CONFIG, "_data/agencies.yml": AGENCIES}
    assert found(write(tmp_path / "quiet", files), "missing-image") == []
    site = write(tmp_path / "site", {**files, ".naislint.yml": UNPRINTED})
    diags = found(site, "missing-image")
    assert where(diags) == [("_data/agencies.yml", "missing-image", 2, 14)]
    assert diags[0][4] == "warning"
    assert diags[0][5] == (
        "image-url '/images/small/MISSING.png' is not a file of this site (no page shows it today: no layout, "
        "include or page of this site reads _data/agencies.yml (site.data.agencies))"
    )


def test_a_key_the_reading_page_never_prints_is_a_warning_that_names_the_page(tmp_path: Path) -> None:
    """pa-ccc's service-im.yml: the agency page lists title and url, never the logo."""
    site = write(tmp_path / "site", {
        "_config.yml": ISOMER_CONFIG,
        ".naislint.yml": UNPRINTED,
        "_data/agencies.yml": AGENCIES + "  url: /agencies/gone/\n",
        "pages/msf.md": page("MSF", "/msf/", '{% for a in site.data.agencies %}<a href="{{ a.url }}">{{ a.name }}'
                                             '</a>{% endfor %}\n'),
    })
    diags = found(site, "missing-image", "broken-link")
    assert where(diags) == [("_data/agencies.yml", "broken-link", 3, 8), ("_data/agencies.yml", "missing-image", 2, 14)]
    link, image = diags
    assert link[4] == "error"  # the page prints the url: a visitor meets the broken link
    assert image[4] == "warning"
    assert "(no page shows it today: pages/msf.md reads _data/agencies.yml but never prints its 'image-url')" in image[5]


def test_the_data_files_isomers_theme_reads_are_read_from_the_root(tmp_path: Path) -> None:
    """The first template's our-team layout prints `{{ site.baseurl }}{{ member.image-url }}`."""
    site = write(tmp_path / "site", {
        "_config.yml": ISOMER_CONFIG,
        "_data/our-team.yml": "senior-leadership:\n  - name: A\n    image-url: /images/team/a.jpg\n",
    })
    diags = found(site, "missing-image")
    assert where(diags) == [("_data/our-team.yml", "missing-image", 3, 16)]
    assert diags[0][4] == "error" and "no page shows it" not in diags[0][5]


# -- _config.yml keys something reads ------------------------------------------------------


def test_a_setting_the_sites_own_include_reads_is_not_unknown(tmp_path: Path) -> None:
    files = {
        "_config.yml": JEKYLL_CONFIG + "google_analytics_id: UA-1\n",
        "_layouts/default.html": "{% include analytics.html %}{{ content }}\n",
        "_includes/analytics.html": "<script>ga('create', '{{ site.google_analytics_id }}');</script>\n",
    }
    site = write(tmp_path / "site", files)
    assert found(site, "data-file-schema") == []
    (site / "_includes" / "analytics.html").unlink()
    diags = found(site, "data-file-schema")
    assert where(diags) == [("_config.yml", "data-file-schema", 2, 1)]
    assert diags[0][5].endswith("no layout, include or page of this site reads it, nor a plugin it enables; "
                                "did you mean `google_analytics`?")


def test_a_setting_an_enabled_plugin_reads_is_not_unknown(tmp_path: Path) -> None:
    """jekyll-seo-tag reads `twitter.username` for `<meta name="twitter:site">`."""
    site = write(tmp_path / "site", {
        "_config.yml": JEKYLL_CONFIG + "twitter:\n  username: jekyllrb\nplugins:\n  - jekyll-seo-tag\n",
    })
    assert found(site, "data-file-schema") == []
    (site / "_config.yml").write_text(JEKYLL_CONFIG + "twitter:\n  username: jekyllrb\nplugins:\n  - jekyll-feed\n")
    jekyll.clear_caches()  # the process keeps each site's _config.yml
    assert where(found(site, "data-file-schema")) == [("_config.yml", "data-file-schema", 2, 1)]


def test_a_setting_a_site_plugin_reads_is_not_unknown(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {
        "_config.yml": JEKYLL_CONFIG + "permalinks: pretty\n",
        "_plugins/links.rb": "module Links\n  def self.style(site) = site.config['permalinks']\nend\n",
    })
    assert found(site, "data-file-schema") == []


def test_isomers_own_setting_names(tmp_path: Path) -> None:
    """Isomer's head reads `site.google-tag-manager`; the first template `site.feedback_form_url`."""
    site = write(tmp_path / "site", {
        "_config.yml": ISOMER_CONFIG + "google-tag-manager: GTM-1\nfeedback_form_url: https://form.gov.sg/x\n"
                                       "google_tag_manager: GTM-2\n",
    })
    diags = found(site, "data-file-schema")
    assert where(diags) == [("_config.yml", "data-file-schema", 6, 1)]
    assert diags[0][5].endswith("did you mean `google-tag-manager`?")


# -- collection.yml: order and output, as Jekyll 4 and the CMS read them ----------------


COLLECTION = """\
collections:
  services:
    output: "{output}"
    order:
      - overview.md
"""


@pytest.mark.parametrize("output, severity, words", [
    ("false", "error", "Jekyll reads any text as true and publishes the collection's pages; write false without "
                       "quotes to keep them unpublished"),
    ("true", "info", "Jekyll publishes the collection's pages all the same"),
    ("maybe", "warning", "Jekyll reads any text as true and publishes the collection's pages"),
])
def test_a_quoted_output_is_published(tmp_path: Path, output: str, severity: str, words: str) -> None:
    site = write(tmp_path / "site", {
        "_config.yml": ISOMER_CONFIG,
        "_services/collection.yml": COLLECTION.format(output=output),
        "_services/overview.md": page("Overview", "/services/overview/"),
    })
    diags = found(site, "data-file-schema", "collection-order")
    assert where(diags) == [("_services/collection.yml", "data-file-schema", 3, 13)]
    assert diags[0][4] == severity
    assert words in diags[0][5]


def test_a_page_order_leaves_out_is_shown_last_and_missing_from_the_cms(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {
        "_config.yml": ISOMER_CONFIG,
        "_services/collection.yml": COLLECTION.format(output="x").replace('"x"', "true"),
        "_services/overview.md": page("Overview", "/services/overview/"),
        "_services/fees.md": page("Fees", "/services/fees/"),
    })
    diags = found(site, "collection-order")
    assert where(diags) == [("_services/collection.yml", "collection-order", 4, 5)]
    assert diags[0][5] == (
        "the page _services/fees.md is not in the order of collection 'services': the Isomer CMS builds the "
        "folder's list from order alone, so editors do not see the page there, and the site shows it after the "
        "listed pages, in an order nobody chose"
    )


# -- duplicate titles, by what shows them -------------------------------------------------


def test_two_pages_at_one_permalink_are_permalink_conflicts_not_duplicate_titles(tmp_path: Path) -> None:
    """nlb-mobile-guide's archives: two copies, one URL; only one is built. Neither rule
    reports the copies by default (the address shows the same text whichever is built);
    with ``copies: true`` they are permalink conflicts, never duplicate titles."""
    site = write(tmp_path / "site", {
        "_config.yml": ISOMER_CONFIG,
        "archives/a.md": page("NLB Mobile app", "/nlb-mobile/"),
        "archives/a-2016.md": page("NLB Mobile app", "/nlb-mobile/"),
        "archives/b.md": page("Other", "/other/"),
    })
    assert where(found(site, "duplicate-title", "permalink-conflict")) == []
    (site / ".naislint.yml").write_text("rules:\n  permalink-conflict:\n    copies: true\n")
    assert where(found(site, "duplicate-title", "permalink-conflict")) == [
        ("archives/a-2016.md", "permalink-conflict", 3, 12), ("archives/a.md", "permalink-conflict", 3, 12),
    ]


def test_a_plain_folder_and_a_collection_say_what_shows_the_pair(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {
        "_config.yml": ISOMER_CONFIG,
        "_services/collection.yml": "collections:\n  services:\n    output: true\n    order:\n      - a.md\n      - b.md\n",
        "_services/a.md": page("Fees", "/services/a/"),
        "_services/b.md": page("Fees", "/services/b/"),
        "pages/a.md": page("About", "/a/"),
        "pages/b.md": page("About", "/b/"),
        "pages/c.md": page("About", "/a/"),
    })
    diags = found(site, "duplicate-title")
    assert where(diags) == [
        ("_services/a.md", "duplicate-title", 2, 8), ("_services/b.md", "duplicate-title", 2, 8),
        ("pages/a.md", "duplicate-title", 2, 8), ("pages/b.md", "duplicate-title", 2, 8),
        ("pages/c.md", "duplicate-title", 2, 8),
    ]
    messages = {d[0]: d[5] for d in diags}
    assert messages["_services/a.md"].endswith(
        "Isomer's side navigation lists the collection's pages by title, so it shows the same entry twice")
    assert "no navigation lists this folder" in messages["pages/a.md"]
    assert "side navigation" not in messages["pages/a.md"]
    # pages/a.md and pages/c.md share /a/: each names pages/b.md only
    assert "pages/c.md" not in messages["pages/a.md"] and "pages/b.md (/b/)" in messages["pages/a.md"]
    assert "pages/a.md (/a/)" in messages["pages/b.md"] and "pages/c.md (/a/)" in messages["pages/b.md"]


# -- the corpora ------------------------------------------------------------------------------------


@pytest.mark.corpus
def test_jekyll_docs_showcase_and_settings() -> None:
    """jekyll docs: the 47 showcase images are Cloudinary names; `twitter` (jekyll-seo-tag) and
    `google_analytics_id` (its own _includes/analytics.html) are read."""
    from shared_data import CORPUS_JEKYLL, need

    root = need(CORPUS_JEKYLL / "jekyll__jekyll-docs")
    result = lint_paths([str(root / "_data"), str(root / "_config.yml")], select=(
        "missing-image", "broken-link", "broken-anchor", "data-file-schema"), use_cache=False)
    assert [(d.path, d.span.line) for d in result.diagnostics] == []


# -- how the scan reads Liquid ---------------------------------------------------------------------


@pytest.mark.parametrize("template, how, base", [
    ('<img src="{{ site.baseurl }}{{ x.image }}">', "path", ""),
    ("<div style=\"background: url('{{site.baseurl}}{{x.image}}')\">", "path", ""),
    ("![logo]({{ x.image }})", "path", ""),
    ("<a href={{ x.image }}>", "path", ""),
    ('<img src="/img/{{ x.image }}">', "path", "/img/"),
    ('<img src="{{ x.image | relative_url }}">', "root", ""),
    ('<img src="{{ x.image | prepend: \'/img/\' }}">', "built", ""),
    ('<img src="{{ site.cdn | append: x.image }}">', "built", ""),
    ('<img src="{{ x.image }}.png">', "built", ""),
    ('<img src="https://cdn.example/{{ x.image }}">', "built", ""),
    ('<img src="{{ site.cloudinary_url }}/showcase/{{ x.image }}">', "built", ""),
    ('<img alt="{{ x.image }}">', "text", ""),
    ("<p>{{ x.image }}</p>", "text", ""),
    ("{% if x.image %}yes{% endif %}", "mentioned", ""),
])
def test_how_a_key_is_printed(template: str, how: str, base: str) -> None:
    from naislint.jekyll.templates import LiquidSources, Use

    liquid = LiquidSources({"p.html": "{% for x in site.data.logos %}" + template + "{% endfor %}"})
    assert liquid.uses(("logos",), "image") == [Use("p.html", how, base)]


def test_which_files_read_which_data_and_settings() -> None:
    from naislint.jekyll.templates import LiquidSources

    liquid = LiquidSources({
        "a.md": "{% for s in site.data[\"service-im\"] %}{% endfor %}{{ site['google-tag-manager'] }}",
        "b.md": "{% assign d = site.data[page.source] %}",
        "c.md": "<script>var all = {{ site.data.people | jsonify }};</script>",
        "d.md": "Set site.title in _config.yml; site.data.prose is not Liquid.",
        "_plugins/x.rb": "site.config.fetch('custom_setting')",
        "e.md": "{{ {{ {% raw %}{{ site.data.hidden }}",  # unclosed openings and an unclosed raw
    })
    assert liquid.data_readers(("service-im",)) == ["a.md"]
    assert liquid.computed_data_reads() == ["b.md"]
    assert liquid.printed_whole(("people",)) == ["c.md"]
    assert liquid.data_readers(("prose",)) == [] and liquid.data_readers(("hidden",)) == []
    assert {"google-tag-manager", "custom_setting", "data"} <= liquid.site_keys()
    assert "title" not in liquid.site_keys()


def test_each_text_is_scanned_once_for_all_the_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A data file asks the site's Liquid one question per value: the texts are scanned
    for Liquid blocks once, whatever the number of values, names and keys asked."""
    from naislint.jekyll import templates
    from naislint.jekyll.templates import LiquidSources, Use

    scanned: list[str] = []
    original = templates._blocks

    def counting(text: str):  # type: ignore[no-untyped-def]
        scanned.append(text)
        return original(text)

    monkeypatch.setattr(templates, "_blocks", counting)
    liquid = LiquidSources({
        "a.html": "{% for x in site.data.logos %}<img src=\"{{ x.image }}\">{% endfor %}",
        "b.html": "<script>var all = {{ site.data.people | jsonify }};</script>",
        "_plugins/p.rb": "site.data['plugin']",
    })
    for _value in range(3):
        assert liquid.uses(("logos",), "image") == [Use("a.html", "path", "")]
        assert liquid.uses(("logos",), "icon") == []
        assert liquid.printed_whole(("people",)) == ["b.html"]
        assert liquid.printed_whole(("people", "staff")) == ["b.html"]
        assert liquid.printed_whole(("plugin",)) == ["_plugins/p.rb"]
        assert liquid.printed_whole(("logos",)) == []
        assert liquid.data_readers(("logos",)) == ["a.html"]
    assert sorted(scanned) == sorted(t for r, t in liquid.texts.items() if not r.endswith(".rb"))
