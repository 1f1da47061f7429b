"""A dictionary that keeps only its newest entries: the build caches of the site and exports."""

from __future__ import annotations

from typing import Any


class Bounded(dict):
    """A dict holding at most ``limit`` entries; adding one more drops the oldest.

    Examples
    --------
    >>> cache = Bounded(2)
    >>> cache["a"], cache["b"], cache["c"] = 1, 2, 3
    >>> sorted(cache)
    ['b', 'c']
    """

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: Any, value: Any) -> None:
        while key not in self and len(self) >= self.limit:
            del self[next(iter(self))]
        super().__setitem__(key, value)
