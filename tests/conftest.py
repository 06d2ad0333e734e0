"""Shared pytest setup: the tests import the harness module next to them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Hypothesis profiles: the default keeps the property tests to seconds; `pytest
# --hypothesis-profile=long` (maintainers, before a release) runs many more examples.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("default", max_examples=25, deadline=None)
_hypothesis_settings.register_profile("long", max_examples=2000, deadline=None)
_hypothesis_settings.load_profile("default")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _no_warm_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run a test starts happens in its own process: a warm process left by a
    developer's pre-commit hook must not serve the tests. The tests of the warm process
    (``test_warm.py``) turn it on for themselves."""
    monkeypatch.setenv("NAISLINT_DAEMON", "off")
