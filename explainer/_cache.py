"""Bounded caches: the build caches of the site and exports, and results derived from the data."""

from __future__ import annotations

import copy
import functools
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from explainer._paths import resolve_data_dir

F = TypeVar("F", bound=Callable[..., Any])


class Bounded(dict):
    """A dict holding at most ``limit`` entries; adding one more drops the oldest.

    Safe to fill from several threads at once.

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
        # Module-level caches are shared by every thread of a process (a
        # kernel, a server): two threads must not both drop the same oldest entry.
        self._lock = threading.Lock()

    def __setitem__(self, key: Any, value: Any) -> None:
        with self._lock:
            while key not in self and len(self) >= self.limit:
                self.pop(next(iter(self)), None)
            super().__setitem__(key, value)


def data_state(root: os.PathLike[str] | str) -> tuple[tuple[str, int, int], ...]:
    """Return what identifies the contents of a data folder: each file's name, mtime and size.

    The table loader keys its cache the same way (modification time in
    nanoseconds and size), so a result cached by :func:`derived` is dropped
    exactly when a table it could have read is.

    Parameters
    ----------
    root : str or path-like
        A data folder.

    Returns
    -------
    tuple of (name, mtime_ns, size)
        Sorted by name; links are followed, as the loader follows them.

    Examples
    --------
    >>> from explainer._paths import default_data_dir
    >>> names = [name for name, _, _ in data_state(default_data_dir())]
    >>> "claims.csv" in names and "datapackage.json" in names
    True
    """
    state = []
    with os.scandir(root) as entries:
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:  # a broken link: the loader will name it if it is read
                continue
            state.append((entry.name, st.st_mtime_ns, st.st_size))
    return tuple(sorted(state))


def _fresh(result: Any) -> Any:
    """Return a copy a caller may change: frames and graphs by ``.copy()``, the rest deep.

    Examples
    --------
    >>> rows = [{"a": 1}]
    >>> _fresh(rows) == rows and _fresh(rows)[0] is not rows[0], _fresh("text"), _fresh(None)
    (True, 'text', None)
    """
    own_copy = getattr(result, "copy", None)
    if isinstance(result, list | tuple | dict) or own_copy is None:
        return copy.deepcopy(result)  # a str, a number or None comes back as it is
    return own_copy()


def derived(limit: int = 4) -> Callable[[F], F]:
    """Cache a function of the data folder by its arguments and the folder's contents.

    For the tables the package derives from the data (the claim audit, the
    concept map, the mechanism routes): a notebook or a site build asks for
    the same one many times. The decorated function must take ``data_dir``
    as a keyword and depend on nothing but its arguments and the files in
    that folder. Each call returns a copy (a frame's or a graph's ``.copy()``, a
    deep copy of a list or dict), so a caller that changes its result changes
    nothing for the next. Errors are not cached: bad data raises every time.

    Parameters
    ----------
    limit : int
        How many results to keep per function (the newest).

    Returns
    -------
    callable
        A decorator. The decorated function has a ``cache`` attribute, a
        :class:`Bounded` dict that a test may clear.

    Examples
    --------
    >>> calls = []
    >>> @derived()
    ... def table_names(*, data_dir=None):
    ...     calls.append(data_dir)
    ...     return sorted(p.name for p in data_dir.glob("*.csv"))
    >>> first = table_names()
    >>> first.append("changed by the caller")
    >>> table_names() == first[:-1], len(calls)
    (True, 1)
    """

    def decorate(func: F) -> F:
        cache = Bounded(limit)

        @functools.wraps(func)
        def cached(*args: Any, data_dir: os.PathLike[str] | str | None = None, **kwargs: Any):
            root = resolve_data_dir(data_dir)
            key = (args, tuple(sorted(kwargs.items())), str(root), data_state(root))
            try:
                result = cache[key]
            except KeyError:
                result = cache[key] = func(*args, data_dir=root, **kwargs)
            return _fresh(result)

        cached.cache = cache  # type: ignore[attr-defined]
        return cached  # type: ignore[return-value]

    return decorate
