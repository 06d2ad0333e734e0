"""Which HTTP status codes count as a working link (the ``accept`` option).

Kept apart from the checker so that validating the option, which happens whenever the
configuration is read, imports nothing heavy (the checker pulls in asyncio).
"""

from __future__ import annotations

from typing import Iterable


class StatusSet:
    """Accepted status codes: single codes and inclusive ranges such as ``200-299``."""

    def __init__(self, spec: Iterable[int | str] = ("200-299",)) -> None:
        self.codes: set[int] = set()
        self.ranges: list[tuple[int, int]] = []
        for item in spec:
            if isinstance(item, bool):
                raise ValueError(f"{item!r} is not a status code")
            if isinstance(item, int):
                self.codes.add(self._valid(item))
                continue
            text = str(item).strip()
            low, sep, high = text.partition("-") if "-" in text else text.partition("..")
            try:
                if sep:
                    a, b = self._valid(int(low)), self._valid(int(high))
                    if a > b:
                        raise ValueError
                    self.ranges.append((a, b))
                else:
                    self.codes.add(self._valid(int(text)))
            except ValueError:
                raise ValueError(f"{item!r} is not a status code or a range such as 200-299") from None

    @staticmethod
    def _valid(code: int) -> int:
        if not 100 <= code <= 999:
            raise ValueError(f"{code} is not an HTTP status code")
        return code

    def __contains__(self, status: object) -> bool:
        if not isinstance(status, int):
            return False
        return status in self.codes or any(a <= status <= b for a, b in self.ranges)
