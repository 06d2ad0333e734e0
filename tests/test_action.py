"""The composite GitHub Action: its inputs, and its run step executed as a runner would."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((REPO / "action.yml").read_text())


def steps() -> dict[str, dict]:
    return {s["name"]: s for s in ACTION["runs"]["steps"]}


def test_inputs_and_shape() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"paths", "args", "version", "sarif", "summary", "cache"}
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            continue  # another action (actions/cache): it runs no script of ours
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "inputs must reach scripts through env, not be pasted in"
    assert "--format github" in steps()["Run naislint"]["run"]
    assert "pip install" in steps()["Install naislint"]["run"]
    cache = steps()["Restore the naislint cache"]
    assert cache["uses"].startswith("actions/cache@") and cache["with"]["path"].endswith("/.naislint_cache")
    # The run step keeps its cache where actions/cache restores and saves it.
    folder = steps()["Run naislint"]["env"]["NAISLINT_CACHE_FOLDER"]
    assert cache["with"]["path"] == folder + "/.naislint_cache"


def run_step(cwd: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """The run step as the runner runs it: every variable the action sets, and this
    environment's naislint standing in for the installed one."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "naislint").write_text(f"#!/bin/sh\nexec {sys.executable} -m naislint \"$@\"\n")
    (bin_dir / "naislint").chmod(0o755)
    full = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "NAISLINT_"))}
    full.update(NAISLINT_BIN=str(bin_dir), NAISLINT_PATHS=".", NAISLINT_ARGS="", NAISLINT_SARIF="",
                NAISLINT_SUMMARY="true", NAISLINT_USE_CACHE="true", NAISLINT_CACHE_FOLDER=str(tmp_path / "cache"),
                GITHUB_OUTPUT=str(tmp_path / "output"), GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    full.update(env)
    return subprocess.run(["bash", "-c", steps()["Run naislint"]["run"]], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_step_is_valid_bash() -> None:
    done = subprocess.run(["bash", "-n"], input=steps()["Install naislint"]["run"], text=True, capture_output=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_run_step_annotates(tmp_path: Path) -> None:
    done = run_step(REPO, tmp_path, NAISLINT_PATHS="examples/site/pages/*.md",
                    NAISLINT_ARGS="--fail-on error; echo injected")
    assert "injected" not in done.stdout
    assert done.stderr.count("No such option '--fail-on error; echo injected'") == 1 and done.returncode == 2
    done = run_step(REPO, tmp_path, NAISLINT_PATHS="examples/site/pages/*.md", NAISLINT_ARGS="--fail-on\nwarning")
    assert done.returncode == 1, done.stderr
    assert re.search(r"^::warning file=examples/site/pages/green-plan\.md,line=\d+,col=\d+,", done.stdout, re.M)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_paths_and_args_one_per_line_with_spaces(tmp_path: Path) -> None:
    """A folder named ``Digital Service Standards`` is one path, not three; so is a glob
    with a space; SARIF, the output, the job summary and the cache are written."""
    site = tmp_path / "site"
    for rel in ("_control-catalog/Digital Service Standards/Overview.md", "more pages/page one.md",
                "more pages/page two.md", "Digital/untouched.md"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("# A\n\n### B\n")
    (site / "_config.yml").write_text("title: T\ncollections:\n  control-catalog:\n    output: true\n")
    (tmp_path / "reports").mkdir()
    done = run_step(
        site, tmp_path,
        NAISLINT_PATHS="  _control-catalog/Digital Service Standards\n\nmore pages/page *.md\n",
        NAISLINT_ARGS="--select\n  heading-increment  \n--fail-on\nwarning",
        NAISLINT_SARIF=str(tmp_path / "reports" / "naislint.sarif"),
    )
    assert done.returncode == 1, done.stderr
    files = sorted(re.findall(r"^::warning file=([^,]+),", done.stdout, re.M))
    assert files == ["_control-catalog/Digital Service Standards/Overview.md", "more pages/page one.md",
                     "more pages/page two.md"], done.stdout + done.stderr
    sarif = json.loads((tmp_path / "reports" / "naislint.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 3
    assert (tmp_path / "output").read_text() == f"sarif={tmp_path / 'reports' / 'naislint.sarif'}\n"
    summary = (tmp_path / "summary.md").read_text()
    assert "3 files, 3 problems on 3 pages." in summary
    assert "| `_control-catalog/Digital Service Standards/Overview.md` | 3 | NL504 heading-increment |" in summary
    # Only the report's first part, the job summary, goes to the job summary.
    assert summary.endswith("<!-- naislint: end of summary -->\n") and "### Problems by page" not in summary
    assert (tmp_path / "cache" / ".naislint_cache").is_dir()


def test_readme_documents_the_action_and_the_hook() -> None:
    readme = (REPO / "README.md").read_text()
    assert "## Pre-commit" in readme and "## GitHub Actions" in readme
    assert "id: naislint" in readme and "--format github" in readme


def test_summary_cells_cannot_inject_markup() -> None:
    """Messages quote page content; the job summary renders HTML and Markdown."""
    from naislint.diagnostics import Diagnostic, Severity, Span
    from naislint.run.engine import FileResult, RunResult
    from naislint.run.discover import Target
    from naislint.reporters import ReportContext
    from naislint.reporters.markdown import render

    d = Diagnostic("a|b.md", Span(2, 3, 2, 4), "NL999", "demo", Severity.ERROR,
                   "bad <img src=x onerror=alert(1)> | `code` [link](javascript:x)\nnext")
    result = RunResult([d], [FileResult(Target("a|b.md", "a|b.md", None), [d])])
    out = render(result, ReportContext())
    summary = out.split("<!-- naislint: end of summary -->")[0]
    row = summary.rstrip("\n").splitlines()[-1]
    assert row == ("| a\\|b.md | 2 | NL999 demo | bad &lt;img src=x onerror=alert(1)&gt; \\| \\`code\\` "
                   "\\[link\\](javascript:x)\u21b5next |")
    assert "1 file, 1 problem on 1 page." in out
