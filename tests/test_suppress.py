"""Suppression comments: ranges, next line, file, codes, and unused ones."""

from __future__ import annotations

from naislint.run.engine import lint_text

#: Pages that set ``layout:`` are Jekyll pages even with no ``_config.yml`` above them, so
#: the front matter rules these tests suppress apply to them.
PAGE = """---
title: x
layout: page
description: ""
image: ""
summary: ""
---
"""


def rules_at(text: str) -> list[tuple[str, int]]:
    return [(d.rule, d.line) for d in lint_text(text, "p.md")]


def test_file_suppression_by_name_and_code() -> None:
    assert rules_at(PAGE + "<!-- naislint-disable-file front-matter-empty -->\n") == []
    assert rules_at(PAGE + "<!-- naislint-disable-file NL105 -->\n") == []


def test_disable_all_without_names() -> None:
    assert rules_at(PAGE + "<!-- naislint-disable-file -->\n") == []


def test_disable_enable_range_only_covers_its_lines() -> None:
    text = "---\ntitle: x\nlayout: page\nimage: ''\n---\n<!-- naislint-disable front-matter-empty -->\ntext\n<!-- naislint-enable front-matter-empty -->\n"
    # The range starts below the front matter, so the diagnostic on line 4 stays and the
    # directive, having suppressed nothing, is reported.
    assert rules_at(text) == [("front-matter-empty", 4), ("unused-suppression", 6)]


def test_unknown_rule_in_a_suppression_is_reported() -> None:
    text = "---\ntitle: x\n---\n<!-- naislint-disable-file front-matter-empti -->\n"
    assert rules_at(text) == [("unused-suppression", 4)]


def test_suppression_of_a_rule_switched_off_is_not_reported() -> None:
    text = "---\ntitle: x\n---\n<!-- naislint-disable-file front-matter-empty -->\n"
    assert [d.rule for d in lint_text(text, "p.md", ignore=("front-matter-empty",))] == []
