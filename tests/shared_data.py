"""Where the real data beside the checkout lives, and how a test asks for it.

The corpora sit beside the checkout as ``../shared``. A plain clone may not have them, so a
test that needs them skips there; CI always has them, and sets ``NAISLINT_REQUIRE_SHARED=1``
so that a missing ``../shared`` fails the run instead of silently skipping its tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "nais.md"
CORPUS = SHARED / "corpus"
CORPUS_JEKYLL = SHARED / "corpus-jekyll"
CORPUS_PLAIN = SHARED / "corpus-plain"


def shared_required() -> bool:
    """True in CI, where ``../shared`` must be present."""
    return os.environ.get("NAISLINT_REQUIRE_SHARED", "") not in ("", "0")


def need(path: Path) -> Path:
    """Return ``path``, skipping the test when it is missing (failing when CI requires it)."""
    if not path.exists():
        message = f"{path} is not beside the checkout"
        if shared_required():
            pytest.fail(message + " (NAISLINT_REQUIRE_SHARED is set)")
        pytest.skip(message)
    return path


def mark_needs(path: Path) -> pytest.MarkDecorator:
    """A module- or test-level skip marker for ``path`` that fails instead under CI."""
    if shared_required():
        return pytest.mark.usefixtures()
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not beside the checkout")
