"""A short coverage-guided fuzz run of each target (seconds), when atheris is installed.

The long run for maintainers is in fuzz/README.md. A target fails here when libFuzzer
reports a crash (an uncaught exception or a broken position invariant) or a timeout.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"
SECONDS = 4

pytestmark = [pytest.mark.slow, pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")]


@pytest.mark.parametrize("target", ["fuzz_document.py", "fuzz_html.py"])
def test_short_fuzz_run(target: str, tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(FUZZ / target), f"-max_total_time={SECONDS}", "-timeout=20", "-rss_limit_mb=3000",
         f"-artifact_prefix={tmp_path}/", "-print_final_stats=1"],
        capture_output=True, text=True, timeout=SECONDS * 30, cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    assert "Done " in out.stderr
