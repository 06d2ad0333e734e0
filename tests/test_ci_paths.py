"""GitHub annotations and SARIF locations are relative to the repository's root.

A workflow step with ``working-directory: site`` runs naislint in a sub-folder; GitHub
matches ``file=`` and SARIF URIs against the repository's paths, so ``pages/a.md`` (relative
to where naislint ran) would point at nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_in import run

PAGE = "# A\n\n### B\n"  # heading-increment at 3:1
SELECT = ("--select", "heading-increment", "--no-cache")


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "site" / "my pages").mkdir(parents=True)
    (tmp_path / "site" / "_config.yml").write_text("title: T\n")
    (tmp_path / "site" / "my pages" / "a.md").write_text(PAGE)
    return tmp_path


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_paths_from_the_git_root_when_run_in_a_sub_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    repo = _repo(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, timeout=60)
    github = run(repo / "site", "check", ".", *SELECT, "--format", "github")
    assert github.output.startswith("::warning file=site/my pages/a.md,line=3,col=1,"), github.output
    sarif = json.loads(run(repo / "site", "check", ".", *SELECT, "--format", "sarif").output)
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "site/my%20pages/a.md", "uriBaseId": "%SRCROOT%"}
    assert sarif["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.resolve().as_uri() + "/"}}


def test_github_workspace_is_the_root_when_inside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    github = run(repo / "site" / "my pages", "check", "a.md", *SELECT, "--format", "github")
    assert github.output.startswith("::warning file=site/my pages/a.md,line=3,"), github.output
    sarif = json.loads(run(repo / "site", "check", ".", *SELECT, "--format", "sarif").output)
    assert sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    # A run outside the workspace (not in a repository either) keeps its own paths.
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo / "elsewhere"))
    outside = run(repo / "site", "check", ".", *SELECT, "--format", "github")
    assert outside.output.startswith("::warning file=my pages/a.md,line=3,"), outside.output
