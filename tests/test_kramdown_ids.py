"""naislint's heading ids against real kramdown (GFM input), Jekyll's renderer.

Every heading of the fixtures, and of the corpus when ``../shared/corpus`` is present, is
given an id by naislint's line scanner and by kramdown (``tests/kramdown_ids.rb``, one
Ruby process for the whole session). Two checks:

- exact: for the headings naislint finds on a page, kramdown gives the same ids (slugs,
  markup, entities, typographic dashes, ``-1`` numbering, explicit ``{#id}``);
- complete: every id kramdown gives on a whole page is one naislint knows, so no
  working anchor is ever reported broken. (naislint may know more: a heading inside a
  raw HTML block is a heading to the line scanner but raw text to kramdown.)

Without Ruby's kramdown the test skips with the reason, except in CI (``CI=true``), where
a missing oracle is a failure: ``.ci/run`` installs ``ruby-kramdown`` and
``ruby-kramdown-parser-gfm``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import strip_markers

from naislint.page import frontmatter
from naislint.page.anchors import page_anchors, scan_headings

HERE = Path(__file__).parent
DRIVER = HERE / "kramdown_ids.rb"
from shared_data import CORPUS, need  # noqa: E402

#: Every test here runs real tools or large inputs: not the inner loop.
pytestmark = pytest.mark.slow
INSTALL = "apt-get install -y ruby-kramdown ruby-kramdown-parser-gfm"


def _kramdown_problem() -> str | None:
    if shutil.which("ruby") is None:
        return f"ruby is not installed ({INSTALL})"
    probe = subprocess.run(
        ["ruby", "-e", 'require "kramdown"; require "kramdown-parser-gfm"'],
        capture_output=True, text=True,
    )
    if probe.returncode != 0:
        return f"kramdown or kramdown-parser-gfm is missing ({INSTALL}): {probe.stderr.strip()[:200]}"
    return None


def _pages() -> list[Path]:
    roots = [HERE / "fixtures"]
    roots.append(need(CORPUS))
    found = []
    for root in roots:
        found.extend(p for p in sorted(root.rglob("*.md")) if not p.name.endswith(".fixed.md"))
    return found


def _read(path: Path) -> tuple[str, int]:
    """A page as naislint lints it: fixtures without their expect markers."""
    text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (HERE / "fixtures") in path.parents:
        text, _expected = strip_markers(text)
    fm = frontmatter.parse(text)
    start = fm.block.end_offset if fm is not None and fm.block.close_line is not None else 0
    return text, start


@pytest.fixture(scope="session")
def comparison() -> list[dict]:
    problem = _kramdown_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the kramdown oracle is required in CI: {problem}")
        pytest.skip(problem)
    pages = []
    docs = []
    for path in _pages():
        text, start = _read(path)
        headings = scan_headings(text, start)
        isolated = "\n\n".join(
            "#" * h.level + " " + h.text + (f" {{#{h.id}}}" if h.explicit else "") for h in headings
        ) + "\n"
        body = "\n" * text.count("\n", 0, start) + text[start:]
        pages.append({"path": path, "headings": headings, "anchors": set(page_anchors(text, start))})
        docs.extend([isolated, body])
    result = _kramdown(docs)
    for i, page in enumerate(pages):
        page["kramdown_isolated"] = result[2 * i]
        page["kramdown_page"] = result[2 * i + 1]
    return pages


def _kramdown(docs: list[str], workers: int = 2) -> list:
    """Ids for every document, from ``workers`` Ruby processes run side by side."""
    size = (len(docs) + workers - 1) // workers or 1
    chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
    procs = [
        subprocess.Popen(["ruby", str(DRIVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in chunks
    ]
    import threading

    outputs: list = [None] * len(chunks)

    def talk(i: int) -> None:
        outputs[i] = procs[i].communicate(json.dumps(chunks[i]))

    threads = [threading.Thread(target=talk, args=(i,)) for i in range(len(chunks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = []
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, f"kramdown_ids.rb failed: {err[-2000:]}"
        result.extend(json.loads(out))
    return result


def test_heading_ids_match_kramdown(comparison: list[dict]) -> None:
    mismatches = []
    total = 0
    for page in comparison:
        ours = [h.id for h in page["headings"]]
        theirs = [entry[1] for entry in page["kramdown_isolated"]]
        total += len(ours)
        if ours != theirs:
            for h, k in zip(page["headings"], theirs + [None] * len(ours)):
                if h.id != k:
                    mismatches.append(f"{page['path']}:{h.line}: {h.text!r}: naislint {h.id!r}, kramdown {k!r}")
                    break
    assert total > 0
    assert not mismatches, f"{len(mismatches)} pages differ:\n" + "\n".join(mismatches[:20])


def test_every_kramdown_id_is_known(comparison: list[dict]) -> None:
    missing = []
    for page in comparison:
        for entry in page["kramdown_page"]:
            if entry and entry[0] == "error":
                missing.append(f"{page['path']}: kramdown failed: {entry[1:]}")
                continue
            line, hid = entry[0], entry[1]
            if hid and hid not in page["anchors"]:
                missing.append(f"{page['path']}:{line}: kramdown id {hid!r} unknown to naislint")
    assert not missing, f"{len(missing)} ids:\n" + "\n".join(missing[:20])
