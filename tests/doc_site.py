"""A tiny site on disk for rule-doc examples that need one (links, permalinks).

A rule doc may describe the site its examples live in, in a section of its own, with
fenced blocks whose info string names a file: ```` ```markdown file=pages/about.md ````
(a page), ```` ```text file=images/logo.png ```` (a file; empty content is fine),
```` ```yaml file=_config.yml ```` (else a minimal one is written). Each example is then
written as ``pages/example.md`` (or the file its ```` ```markdown path=... ```` names) in a fresh temporary copy of that site and linted there,
so the site index sees it as the user's page would be seen.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from naislint.run.engine import lint_text

SITE_FILE_RE = re.compile(r"^```[\w-]+ file=(\S+)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXAMPLE_PATH = "pages/example.md"


def site_files(doc: str) -> dict[str, str]:
    """The example site's files declared in a rule doc: path -> content."""
    return {m.group(1): m.group(2) for m in SITE_FILE_RE.finditer(doc)}


def lint_example(doc: str, block: str, rule_name: str, path: str = "") -> list:
    """Lint one example block: standalone, or inside the doc's example site, as
    ``path`` there (``pages/example.md`` by default; a data file's rule gives its own)."""
    files = site_files(doc)
    if not files and not path:
        # A page of a Jekyll site, judged by the GFM renderer (no _config.yml) but the
        # jekyll preset: a folder with no _config.yml is otherwise read on GitHub.
        with tempfile.TemporaryDirectory(prefix="naislint-doc-page-") as tmp:
            (Path(tmp) / ".naislint.yml").write_text("preset: jekyll\n", encoding="utf-8")
            return lint_text(block, str(Path(tmp) / "example.md"), extend_select=(rule_name,))
    with tempfile.TemporaryDirectory(prefix="naislint-doc-site-") as tmp:
        root = Path(tmp)
        files.setdefault("_config.yml", "title: Example site\n")
        for rel, content in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        page = root / (path or EXAMPLE_PATH)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(block, encoding="utf-8")
        return lint_text(block, str(page), extend_select=(rule_name,))
