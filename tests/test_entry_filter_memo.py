"""``EntryFilter.reads`` keeps each file's answer (discovery and the site index ask of
every file): the kept answer is the one a fresh filter works out, asked in any order."""

from __future__ import annotations

import random

from naislint.jekyll.entries import EntryFilter

PATHS = [
    "index.md", "about.md", "_posts/2020-01-01-a.md", "blog/_posts/2020-01-01-b.md", "_docs/x.md", "_docs/_sub/y.md",
    "_docs/sub/_z.md", "docs/a.md", "docsite/b.md", "guides/docs/c.md", ".well-known/d.md", "a/.well-known/e.md",
    "Gemfile", "vendor/bundle/x.md", "node_modules/y.md", "x~", "#y.md", "drafts/p.md", "drafts/keep.md",
    "a/b/c/d.md", "_private/q.md", "notes.txt", "a.", "img/logo.png", "_layouts/default.html", "keep/me.md",
]


def test_the_kept_answer_is_the_fresh_one() -> None:
    filters = [
        EntryFilter(),
        EntryFilter(include=(".well-known", "_private/q.md"), exclude=("docs", "drafts/*.md", "Gemfile", "vendor/bundle/"),
                    collections=frozenset({"docs"})),
        EntryFilter(include=("drafts/keep.md",), exclude=("drafts/", "*.txt", "a/b/"), collections=frozenset({"docs"})),
    ]
    rng = random.Random(7)
    for made in filters:
        order = PATHS * 2
        rng.shuffle(order)
        for rel in order:
            fresh = EntryFilter(made.include, made.exclude, made.collections)
            assert made.reads(rel) == fresh.reads(rel) == fresh._reads_file(rel), rel
    # The answers differ between the filters: the test covers both outcomes.
    assert {made.reads("docs/a.md") for made in filters} == {True, False}
    assert [made.reads("drafts/keep.md") for made in filters] == [True, False, True]
