"""Shared pytest setup: the tests import the harness module next to them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
