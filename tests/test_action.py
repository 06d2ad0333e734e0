"""The composite GitHub Action: its inputs, and its run step executed as a runner would."""

from __future__ import annotations

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
    assert set(ACTION["inputs"]) == {"paths", "args", "version"}
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "inputs must reach scripts through env, not be pasted in"
    assert "--format github" in steps()["Run naislint"]["run"]
    assert "pip install" in steps()["Install naislint"]["run"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_step_is_valid_bash() -> None:
    done = subprocess.run(["bash", "-n"], input=steps()["Install naislint"]["run"], text=True, capture_output=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_run_step_annotates(tmp_path: Path) -> None:
    """The run step with this environment's naislint standing in for the installed one."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "naislint").write_text(f"#!/bin/sh\nexec {sys.executable} -m naislint \"$@\"\n")
    (bin_dir / "naislint").chmod(0o755)
    env = dict(os.environ, NAISLINT_BIN=str(bin_dir), NAISLINT_PATHS="examples/site/pages/*.md",
               NAISLINT_ARGS="--fail-on error; echo injected")
    done = subprocess.run(["bash", "-c", steps()["Run naislint"]["run"]], cwd=REPO, env=env,
                          capture_output=True, text=True)
    assert "injected" not in done.stdout
    assert "Error: Invalid value for '--fail-on'" in done.stderr or done.returncode == 2
    env["NAISLINT_ARGS"] = "--fail-on warning"
    done = subprocess.run(["bash", "-c", steps()["Run naislint"]["run"]], cwd=REPO, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert re.search(r"^::warning file=examples/site/pages/green-plan\.md,line=\d+,col=\d+,", done.stdout, re.M)


def test_readme_documents_the_action_and_the_hook() -> None:
    readme = (REPO / "README.md").read_text()
    assert "## Pre-commit" in readme and "## GitHub Actions" in readme
    assert "id: naislint" in readme and "--format github" in readme
