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
