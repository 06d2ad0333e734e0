"""Every fixture and every page of the corpus (when ../shared/corpus is present) lints
without an exception or an internal error, and no valid UTF-8 page is 'unreadable'."""

from __future__ import annotations

from pathlib import Path

import pytest

from naislint.run.engine import Linter, RunOptions

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
from shared_data import CORPUS, mark_needs  # noqa: E402


def _lint_all(folder: Path) -> None:
    # Every rule, on by default or not, that can run without the network.
    linter = Linter(RunOptions(extend_select=("NL",), ignore=("external-link",), use_cache=False, jobs=2))
    result = linter.run(linter.discover([str(folder)]))
    assert linter.internal_errors == []
    assert result.file_count > 0
    wrongly_unreadable = []
    for file_result in result.files:
        if any(d.rule == "unreadable-file" for d in file_result.diagnostics):
            try:
                raw = Path(file_result.target.path).read_bytes()
                raw.decode("utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            if b"\x00" in raw:  # binary, though it decodes
                continue
            if Path(file_result.target.path).stat().st_size <= 5 * 1024 * 1024:
                wrongly_unreadable.append(file_result.target.display)
    assert wrongly_unreadable == []


def test_every_fixture_lints_cleanly() -> None:
    _lint_all(FIXTURES)


@mark_needs(CORPUS)
@pytest.mark.corpus
@pytest.mark.slow
def test_the_whole_corpus_lints_cleanly() -> None:
    _lint_all(CORPUS)
