"""Where page_links finds markdown links in a table: a row is one block of lines holding one
inline token per cell."""

from __future__ import annotations

from pathlib import Path

from naislint.page.document import Document
from naislint.page.links import page_links

ROW_WITH_TWO_LINKS = "---\ntitle: T\n---\n\n| Form | Guide |\n|---|---|\n| [form](/a) | [guide](/a) |\n"


def _links(tmp_path: Path, text: str) -> list[tuple[str, int, int, bool]]:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return [(r.url, r.span.line, r.span.column, r.spaced) for r in page_links(Document.load(str(page)))]


def test_links_of_two_cells_with_one_destination_are_placed_in_their_own_cells(tmp_path: Path) -> None:
    assert _links(tmp_path, ROW_WITH_TWO_LINKS) == [("/a", 7, 10, False), ("/a", 7, 24, False)]


def test_a_spaced_destination_in_a_row_of_several_cells_is_found_once(tmp_path: Path) -> None:
    text = "| a | b | c |\n|---|---|---|\n| x | y | [z](/a b) |\n"
    assert _links(tmp_path, text) == [("/a b", 3, 15, True)]
