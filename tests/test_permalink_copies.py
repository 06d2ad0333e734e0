"""permalink-conflict on copies of one page: what the message says and how severe it is.

Two files with the same front matter and text show the same page whichever one Jekyll
writes, so the defect is the stray copy (a warning, or information for two redirects),
and the message says to delete it; two different pages at one address are an error whose
message says what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

from harness import FIXTURES
from naislint.diagnostics import Severity
from naislint.run.engine import Linter, RunOptions

SITE = FIXTURES / "permalink-conflict" / "copies"


def _reports(site: Path = SITE) -> dict[tuple[str, int, int], tuple[Severity, str]]:
    linter = Linter(RunOptions(select=("permalink-conflict",), use_cache=False))
    result = linter.run(linter.discover([str(site)]))
    return {
        (d.path.replace("\\", "/").split("/copies/", 1)[1], d.line, d.column): (d.severity, d.message)
        for d in result.diagnostics
    }


def _with_copies(tmp_path: Path) -> Path:
    site = tmp_path / "copies"
    shutil.copytree(SITE, site)
    (site / ".naislint.yml").write_text("rules:\n  permalink-conflict:\n    copies: true\n")
    return site


def test_copies_no_visitor_can_tell_apart_are_left_alone_by_default() -> None:
    """Two posts that are copies show twice in a list of posts: reported. A post and its
    copy outside _posts, or two copies of one redirect, show the same text at the address
    whichever file Jekyll writes: not reported unless asked for."""
    reports = _reports()
    for page in ("news/qa/_posts/2024-05-07-reply-on-dengue.md", "news/qa/_posts/stray/2024-05-07-reply-on-dengue.md"):
        assert reports[(page, 3, 12)][0] == Severity.WARNING
    for key in [("news/qa/_posts/2023-09-18-reply-on-hawker-centres.md", 3, 12),
                ("news/qa/2023-09-18-reply-on-hawker-centres.md", 3, 12),
                ("pages/conduct.md", 5, 16), ("pages/code_of_conduct.md", 5, 16)]:
        assert key not in reports


def test_copies_are_reported_with_the_fix_at_a_lower_severity(tmp_path: Path) -> None:
    reports = _reports(_with_copies(tmp_path))
    for page in ("news/qa/_posts/2024-05-07-reply-on-dengue.md", "news/qa/_posts/stray/2024-05-07-reply-on-dengue.md"):
        severity, message = reports[(page, 3, 12)]
        assert severity == Severity.WARNING
        assert "a copy of this page" in message and "a list of posts shows it twice" in message
        assert message.endswith("delete the copy")
    # blank lines of spaces and a trailing space aside, the same text
    for page in ("news/qa/_posts/2023-09-18-reply-on-hawker-centres.md", "news/qa/2023-09-18-reply-on-hawker-centres.md"):
        severity, message = reports[(page, 3, 12)]
        assert severity == Severity.WARNING and message.endswith("delete the copy")
        assert "shows it twice" not in message  # one of the two is no post
    for page in ("pages/conduct.md", "pages/code_of_conduct.md"):
        severity, message = reports[(page, 5, 16)]
        assert severity == Severity.INFO
        assert "a copy of this page" in message and message.endswith("delete the copy")


def test_different_pages_at_one_address_stay_errors_and_say_what_to_do() -> None:
    reports = _reports()
    for page in ("news/qa/_posts/2022-10-03-reply-on-dishwashing.md", "news/qa/2022-10-03-reply-on-dishwashing.md"):
        severity, message = reports[(page, 3, 12)]
        assert severity == Severity.ERROR
        assert "copy of this page" not in message
        assert message.endswith("give this page its own permalink, or delete it if it is a copy")
