"""The one glob matcher: the meaning of each dialect, and time linear in the input.

Each dialect is compared with an oracle on small random inputs: Python's ``fnmatch``,
the regular expression translation ``.naislint.yml`` globs had before (kept here as the
reference for what the tests expect), and Ruby's ``File.fnmatch`` itself, the function
Jekyll calls for ``exclude``.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naislint import globmatch
from naislint.config.loader import _matches_any

PATTERN_CHARS = "ab/.*?[]!-^\\"
TEXT_CHARS = "ab/.-]![^\\"
patterns = st.text(alphabet=PATTERN_CHARS, max_size=9)
texts = st.text(alphabet=TEXT_CHARS, max_size=9)


def reference_gitignore(glob: str) -> "re.Pattern[str]":
    """The regular expression ``.naislint.yml`` globs used to become (the oracle)."""
    g = glob.strip().lstrip("./") if glob.startswith("./") else glob.strip()
    anchored = g.startswith("/") or "/" in g.rstrip("/")
    g = g.strip("/")
    parts = []
    i = 0
    while i < len(g):
        if g.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif g.startswith("**", i):
            parts.append(".*")
            i += 2
        elif g[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif g[i] == "?":
            parts.append("[^/]")
            i += 1
        elif g[i] == "[":
            j = g.find("]", i)
            if j == -1:
                parts.append(re.escape(g[i]))
                i += 1
            else:
                parts.append(fnmatch.translate(g[i : j + 1])[4:-3])
                i = j + 1
        else:
            parts.append(re.escape(g[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{''.join(parts)}(?:/.*)?$", re.S)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(patterns, texts)
def test_fnmatch_dialect_agrees_with_fnmatch(pattern: str, text: str) -> None:
    assert globmatch.fnmatch(text, pattern) == fnmatch.fnmatchcase(text, pattern)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(patterns, texts)
def test_gitignore_dialect_agrees_with_the_reference_translation(pattern: str, text: str) -> None:
    expected = reference_gitignore(pattern).match(text) is not None
    assert globmatch.compile_gitignore(pattern).match(text) == expected


@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby is not installed")
def test_ruby_dialect_agrees_with_ruby_file_fnmatch() -> None:
    import random

    rng = random.Random(20261205)
    pairs = []
    for _ in range(4000):
        pattern = "".join(rng.choice(PATTERN_CHARS) for _ in range(rng.randint(0, 8)))
        text = "".join(rng.choice(TEXT_CHARS) for _ in range(rng.randint(0, 8)))
        pairs.append(["/" + pattern, "/" + text])
    pairs += [["/vendor/bundle/", "/vendor/bundle"], ["/*.md", "/a/b.md"], ["/[]a]", "/a"], ["/[^a]", "/b"]]
    script = "require 'json'; JSON.parse(STDIN.read).each { |p, t| puts(File.fnmatch(p, t) ? 1 : 0) }"
    done = subprocess.run(["ruby", "-e", script], input=json.dumps(pairs), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    wrong = [
        (p, t) for (p, t), r in zip(pairs, done.stdout.split()) if globmatch.ruby_fnmatch(p, t) != (r == "1")
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("news/**", "news/2020/a.md", True),
        ("news/**", "newsroom/a.md", False),
        ("drafts", "pages/drafts/a.md", True),
        ("/drafts", "pages/drafts/a.md", False),
        ("**/*.md", "a.md", True),
        ("*.md", "pages/a.md", True),
        ("pages/*.md", "pages/sub/a.md", False),
        ("pages/[ab].md", "pages/b.md", True),
        ("pages/[!ab].md", "pages/b.md", False),
    ],
)
def test_config_globs(glob: str, path: str, expected: bool) -> None:
    assert _matches_any(path, [glob]) is expected


def test_ruby_dialect_crosses_folders_and_escapes() -> None:
    assert globmatch.ruby_fnmatch("/*.md", "/pages/a.md")
    assert globmatch.ruby_fnmatch("/a\\*", "/a*")
    assert not globmatch.ruby_fnmatch("/a\\*", "/ab")
    assert not globmatch.ruby_fnmatch("/a[b", "/a[b")


PATHOLOGICAL = textwrap.dedent(
    """
    from naislint import globmatch
    from naislint.config.loader import _matches_any

    name = "a" * 20000
    bad = "**a**a**a**a**a**a**a**b"
    assert not _matches_any(name, [bad])
    assert not _matches_any("x/" + name, ["*a*a*a*a*a*a*a*a*b"])
    assert not globmatch.fnmatch(name, "*a*a*a*a*a*a*a*a*a*b")
    assert not globmatch.ruby_fnmatch("/" + bad, "/" + name)
    assert globmatch.ruby_fnmatch("/" + bad.replace("b", "a"), "/" + name)
    print("ok")
    """
)


def test_pathological_patterns_finish_quickly() -> None:
    """Patterns that make a backtracking matcher run for minutes; a generous guard."""
    done = subprocess.run([sys.executable, "-c", PATHOLOGICAL], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_pathological_excludes_in_a_real_run(tmp_path) -> None:
    """The same patterns as ``exclude:`` of ``_config.yml`` and ``.naislint.yml``, against
    a long file name, in a whole run (a generous guard, not a timing assertion)."""
    bad = "**a**a**a**a**a**a**a**b"
    (tmp_path / "_config.yml").write_text(f"exclude: ['{bad}']\n")
    (tmp_path / ".naislint.yml").write_text(f"exclude: ['{bad}']\n")
    name = "a" * 240 + ".md"
    (tmp_path / name).write_text("---\ntitle: x\ndescription: ''\n---\nText.\n")
    done = subprocess.run(
        [sys.executable, "-m", "naislint", "check", "--no-cache", "--format", "json", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert [(d["path"], d["rule"], d["line"], d["column"]) for d in json.loads(done.stdout)] == [
        (name, "front-matter-empty", 3, 1)
    ]
