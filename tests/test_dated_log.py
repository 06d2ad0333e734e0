"""Which pages are logs of dated entries (meeting minutes), which several rules leave alone."""

from __future__ import annotations

import pytest

from naislint.page.document import Document
from naislint.page.dated_log import dated_entries, dated_title, is_dated_log


@pytest.mark.parametrize(
    "title",
    [
        "Dec 6, 2022",
        "December 17th APAC Biweekly Meeting",
        "Agenda (2019-12-12)",
        "[NEXT] Triage (2021-12-02)",
        "2022/11/23 \\[Canceled \\- short week in US\\]",
        "12/15/2020",
        "27 February 2018",
        "Tuesday, March 5, 2019",
        "July 26, 2018 ([recording link](https://youtu.be/XPt3ZwZe-VQ))",
    ],
)
def test_titles_that_open_with_a_date(title: str) -> None:
    assert dated_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "Fines issued to Four Outlets for SMM breaches on 13 July 2021",  # a date inside a sentence
        "4.4.1 / 2025-01-29",  # a changelog's version, then its date
        "2.1.3 Hardware root of trust",  # a section number is no date
        "Mayor's speech",
        "March to the sea",
        "Recipients 2012",
    ],
)
def test_titles_that_do_not(title: str) -> None:
    assert not dated_title(title)


def test_minutes_are_a_log() -> None:
    doc = Document.from_text(
        "# SIG Node Meeting Notes\n\n## Dec 6, 2022\n\n- Triage\n\n## Nov 29, 2022\n\nNo meeting.\n\n"
        "**11/22/2022**\n\n**10:30am Pacific**\n\n* Note Taker: TBD\n"
    )
    assert dated_entries(doc) == 3 and is_dated_log(doc)


def test_two_dated_sections_are_not_a_log() -> None:
    doc = Document.from_text("## 1 May 2024\n\nOpening.\n\n## 2 May 2024\n\nClosing.\n")
    assert dated_entries(doc) == 2 and not is_dated_log(doc)


def test_a_revision_list_is_not_a_log() -> None:
    """A white paper's revision history: dated bold lines with nothing under each."""
    doc = Document.from_text(
        "# **Edge Security Challenges**\n\nStatus:\n\n**3/27/2019 - Initial draft**\n\n"
        "**5/7/2019 - First integration of contributions**\n\n**6/10/2019 - Second integration**\n\n"
        "**7/26/2019 - First published version 1.0**\n\n## 1 Scope of this document\n\nText.\n"
    )
    assert dated_entries(doc) == 1 and not is_dated_log(doc)


def test_a_changelog_is_not_a_log() -> None:
    doc = Document.from_text(
        "## 4.4.1 / 2025-01-29\n\n- Fix\n\n## 4.4.0 / 2025-01-27\n\n- Fix\n\n## 4.3.4 / 2024-09-16\n\n- Fix\n"
    )
    assert not is_dated_log(doc)


def test_dates_under_empty_headings_are_entries() -> None:
    """An export that lost its heading text: ``## `` with the date under it, indented
    into a code block or as a paragraph (kubernetes/community's 2019 release minutes)."""
    doc = Document.from_text(
        "## December 16, 2019 (recording)\n\n**Host:** TBD\n\n"
        "## \n        December 2, 2019 (recording)\n\n\n**Host:** Stephen\n\n"
        "##\nNov. 4, 2019\n\n* Attendees\n"
    )
    assert dated_entries(doc) == 3 and is_dated_log(doc)
    # the line under an empty heading is its title only when it opens with a date, and a
    # dated line with nothing after it is no entry
    assert dated_entries(Document.from_text("## \n    Setup steps\n\nText.\n")) == 0
    assert dated_entries(Document.from_text("## \n    December 2, 2019\n")) == 0
    # not under a heading: an indented date is a code sample
    assert dated_entries(Document.from_text("Intro.\n\n    December 2, 2019\n\nText.\n")) == 0


@pytest.mark.slow
@pytest.mark.corpus
def test_no_isomer_or_jekyll_page_is_a_log_and_the_minutes_are() -> None:
    """The websites' pages are all checked; kubernetes/community's yearly minutes are logs."""
    from shared_data import CORPUS, CORPUS_JEKYLL, CORPUS_PLAIN, SEED, need

    for root in (need(CORPUS), need(CORPUS_JEKYLL)):
        logs = [p for p in root.rglob("*.md") if is_dated_log(Document.load(str(p)))]
        assert logs == []
    assert not is_dated_log(Document.load(str(need(SEED))))
    community = need(CORPUS_PLAIN) / "kubernetes__community"
    for minutes in ("sig-node/archive/meeting-notes-2022.md", "sig-release/meeting-notes-archive/2019.md"):
        assert is_dated_log(Document.load(str(community / minutes))), minutes


def test_a_page_titled_with_its_date_is_an_entry_of_a_log() -> None:
    """Minutes kept a page per meeting: the page's h1 is the meeting's date."""
    assert is_dated_log(Document.from_text("# June 15, 2016\n\n- Michelle Noorali gave an introduction\n"))
    assert not is_dated_log(Document.from_text("# Kubernetes Contributor Summit\n\n## June 15, 2016\n\nText.\n"))
    assert not is_dated_log(Document.from_text("Intro.\n\n## June 15, 2016\n\nText.\n"))


def test_a_retrospective_that_states_its_date_is_a_record() -> None:
    retro = "# San Diego Contributor Summit 2019 - Retrospective\n\n[Project Team](x)\nDate: 2019-11-06\n\n# Overview\n\nText.\n"
    assert is_dated_log(Document.from_text(retro))
    # the date must be in the record's head, and the title must name a record
    far = retro.replace("Date: 2019-11-06\n", "") + "\n" * 12 + "Date: 2019-11-06\n"
    assert not is_dated_log(Document.from_text(far))
    assert not is_dated_log(Document.from_text(retro.replace("Retrospective", "Town Hall")))
