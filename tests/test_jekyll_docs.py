"""The jekyllrb.com docs, linted as a new user would: no configuration at all.

The site's ``_config.yml`` names no Isomer theme, so it gets the ``jekyll`` preset. Every
report left was reviewed (docs/real-sites.md, "The jekyllrb.com docs"); this test holds
the run to that review: the one real broken link is found, the rules the preset turns
off say nothing, the causes fixed there stay fixed, and the total stays small.
"""

from __future__ import annotations

from collections import Counter

import pytest

from naislint.config.presets import JEKYLL
from naislint.run.engine import Linter, RunOptions
from shared_data import CORPUS_JEKYLL, mark_needs

SITE = CORPUS_JEKYLL / "jekyll__jekyll-docs"

pytestmark = [mark_needs(SITE), pytest.mark.corpus, pytest.mark.slow]


@pytest.fixture(scope="module")
def reports() -> list[tuple[str, int, str]]:
    linter = Linter(RunOptions(use_cache=False, jobs=2))
    result = linter.run(linter.discover([str(SITE)]))
    assert result.internal_errors == []
    return [(str(d.path).split("jekyll__jekyll-docs/", 1)[-1], d.line, d.rule) for d in result.diagnostics]


def test_the_real_broken_link_is_found(reports) -> None:
    assert ("_docs/security.md", 22, "broken-link") in reports


def test_few_reports_and_none_from_the_rules_the_preset_turns_off(reports) -> None:
    per_rule = Counter(rule for _path, _line, rule in reports)
    assert len(reports) <= 23, per_rule  # the round 6 review in docs/real-sites.md: each of the 23 real
    off = {name for name, value in JEKYLL.rules.items() if value == "off"}
    assert not off & set(per_rule), per_rule


def test_callout_titles_and_code_captions_are_not_reported(reports) -> None:
    """34 note titles (``<div class="note"><h5>``) and 27 bold captions over code were
    the bulk of the reports before the review."""
    per_rule = Counter(rule for _path, _line, rule in reports)
    assert per_rule["heading-increment"] == 0
    assert per_rule["emphasis-as-heading"] <= 1
    assert ("_docs/contributing.md", 46, "duplicate-list-item") not in reports


def test_the_sites_own_data_and_settings_are_not_judged_by_isomers(reports) -> None:
    """``_data/showcase.yml`` names CDN images its template prefixes; ``_config.yml``'s
    ``google_analytics_id`` is read by the site's own include."""
    assert not [r for r in reports if r[0].startswith("_data/") or r[0] == "_config.yml"]


def test_each_defect_gets_the_report_an_editor_acts_on(reports) -> None:
    """The unwritten page is a placeholder page (not a heading level); the two copies of
    the code of conduct, which list the same redirect, show the same text at /conduct/
    whichever redirect Jekyll keeps (neither a title to change nor, by default, a
    conflict: `copies: true` reports them); and a release post's "([example](…))" after
    each feature is named by its list item."""
    assert ("_docs/markdown-101.md", 6, "placeholder-text") in reports
    assert ("_docs/markdown-101.md", 6, "heading-structure") not in reports
    for page in ("_docs/code_of_conduct.md", "_docs/conduct.md"):
        assert (page, 5, "permalink-conflict") not in reports
        assert (page, 2, "duplicate-title") not in reports
    assert not [r for r in reports if r[0] == "_posts/2013-05-06-jekyll-1-0-0-released.markdown"]
