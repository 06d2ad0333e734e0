"""The six real Isomer sites: no crash, and per-site, per-rule counts as recorded.

A count that moves fails this test until ``tests/corpus_snapshot.json`` is regenerated on
purpose (``python tools/corpus_counts.py --write tests/corpus_snapshot.json``) with the
reason in the commit message. The corpus sits beside the checkout as ../shared/corpus.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
from shared_data import CORPUS, mark_needs  # noqa: E402

SNAPSHOT = Path(__file__).parent / "corpus_snapshot.json"

pytestmark = [mark_needs(CORPUS), pytest.mark.corpus, pytest.mark.slow]


@pytest.fixture(scope="module")
def corpus_counts() -> tuple[dict, list[str]]:
    sys.path.insert(0, str(REPO / "tools"))
    from corpus_counts import count

    return count(CORPUS, jobs=2)


def test_corpus_lints_without_internal_errors(corpus_counts) -> None:
    _counts, errors = corpus_counts
    assert errors == []


def test_corpus_counts_match_the_snapshot(corpus_counts) -> None:
    counts, _errors = corpus_counts
    assert counts == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_no_unreadable_file_on_valid_utf8(corpus_counts) -> None:
    counts, _errors = corpus_counts
    unreadable = {site: c.get("unreadable-file", 0) for site, c in counts.items()}
    bad = []
    for site, n in unreadable.items():
        if not n:
            continue
        for path in (CORPUS / site).rglob("*.md"):
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                bad.append(path)
    assert sum(unreadable.values()) == len(bad)
