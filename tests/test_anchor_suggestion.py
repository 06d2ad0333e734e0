"""broken-anchor's "did you mean": the id that was probably meant, and none when several
ids are equally close (a pick among them would be a guess)."""

from __future__ import annotations

from naislint.site.resolve import anchor_suggestion


def test_case_and_dashes_first() -> None:
    assert anchor_suggestion("Setup", ["intro", "setup"]) == "setup"
    assert anchor_suggestion("a--b", ["a-b", "c"]) == "a-b"


def test_one_closest_id_is_suggested() -> None:
    assert anchor_suggestion("instalation", ["installation", "usage", "licence"]) == "installation"


def test_equally_close_ids_give_no_suggestion() -> None:
    """nlb's ``#sph`` on a page of ``#sph1`` ... ``#sph8``: the link meant the first
    question, and the closest by spelling is any of them."""
    assert anchor_suggestion("sph", [f"sph{i}" for i in range(1, 9)]) is None


def test_nothing_close() -> None:
    assert anchor_suggestion("contact", ["history", "awards"]) is None
