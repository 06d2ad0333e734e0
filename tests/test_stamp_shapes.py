"""The stamp helpers a warm run calls for every file take their shortcuts safely: a
walk's four numbers and a shorter tuple give the stamp the general way gives, and a
stored key is four integers, never a boolean, a float or another length."""

from __future__ import annotations

import pytest

from naislint.store.stamps import Stamp, is_stamp_key


def test_a_stamp_of_a_walk_tuple() -> None:
    assert Stamp.of((1, 2, 3, 4), 9) == Stamp(1, 2, 3, 4, 9)
    assert Stamp.of([1, 2, 3, 4], 9).key() == [1, 3, 2, 4]  # a list read from a cache file
    assert Stamp.of((1, 2), 9) == Stamp(1, 2, 0, 0, 9)
    assert Stamp.of((1, 2, 3, 4, 5), 9) == Stamp(1, 2, 3, 4, 9)
    with pytest.raises(AttributeError):
        Stamp(1, 2).size = 5  # type: ignore[misc]


@pytest.mark.parametrize("value", [[1, 2, 3, 4], [0, 0, 0, 0], [-1, 2**70, 3, 4]])
def test_stamp_keys(value: list) -> None:
    assert is_stamp_key(value)


@pytest.mark.parametrize("value", [[1, 2, 3], [1, 2, 3, 4, 5], [True, 2, 3, 4], [1, 2, 3, False], [1, 2.0, 3, 4],
                                   [1, 2, "3", 4], (1, 2, 3, 4), None, {"0": 1}])
def test_not_stamp_keys(value: object) -> None:
    assert not is_stamp_key(value)
