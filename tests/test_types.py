"""mypy, in strict mode, passes on the typed core: the registry, the diagnostics, the rules,
``page/``, and the warm process (``warm/``), which runs every other module's code for the
user.

Those are the modules every rule author reads and writes; a missing annotation or a wrong
type there fails this test, as it would fail ``mypy`` run by hand. The configuration is
pyproject.toml's ``[tool.mypy]``: the same paths, and per module the flags of ``--strict``
(a switch mypy takes only for a whole run), checked here against mypy's own list so that a
new mypy cannot make "strict" quietly mean less.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # mypy itself requires tomli before 3.11
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
#: What is checked strictly, as paths and as the module patterns of mypy's overrides.
STRICT_PATHS = ["src/naislint/registry.py", "src/naislint/diagnostics.py", "src/naislint/rules", "src/naislint/page",
                "src/naislint/warm"]
STRICT_MODULES = ["naislint.registry", "naislint.diagnostics", "naislint.rules.*", "naislint.page.*", "naislint.warm.*"]
#: Flags of ``--strict`` that mypy takes only for a whole run, so at the top level.
GLOBAL_ONLY_FLAGS = {"warn_redundant_casts"}
#: A cold run takes about 15 s on a busy two-core machine.
MYPY_TIMEOUT = 300

pytestmark = pytest.mark.slow


def _mypy_config() -> dict[str, Any]:
    with open(REPO / "pyproject.toml", "rb") as f:
        config: dict[str, Any] = tomllib.load(f)["tool"]["mypy"]
    return config


def _source_files() -> int:
    count = 0
    for path in STRICT_PATHS:
        full = REPO / path
        count += len(list(full.rglob("*.py"))) if full.is_dir() else 1
    return count


def test_strict_modules_type_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), *STRICT_PATHS],
        cwd=REPO, capture_output=True, text=True, timeout=MYPY_TIMEOUT,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert " error:" not in report, report
    # Every file was read: a configuration that excludes files cannot pass by checking none.
    checked = re.search(r"Success: no issues found in (\d+) source files?", report)
    assert checked is not None, report
    assert int(checked.group(1)) == _source_files(), report


def test_configuration_is_strict_for_exactly_those_modules() -> None:
    from mypy.main import define_options

    _parser, _names, strict_flags = define_options()
    assert strict_flags, "mypy no longer lists the flags --strict turns on"
    dests = {dest for dest, _value in strict_flags}
    config = _mypy_config()
    assert config["files"] == STRICT_PATHS
    # Per-module flags at the top level would make every module strict.
    assert dests & config.keys() <= GLOBAL_ONLY_FLAGS
    strict = [o for o in config["overrides"] if dests & o.keys()]
    assert len(strict) == 1 and sorted(strict[0]["module"]) == sorted(STRICT_MODULES)
    effective = {**config, **strict[0]}
    missing = [f"{dest} = {str(value).lower()}" for dest, value in strict_flags if effective.get(dest) != value]
    assert not missing, f"[tool.mypy] lacks flags that --strict sets: {missing}"
