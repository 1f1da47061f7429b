"""Shared numpydoc pieces, filled into docstrings where they repeat (as pandas' ``_shared_docs``).

A docstring names a piece on a line of its own, as ``%(name)s``;
:func:`fill_doc` replaces that line with the piece, indented as the line
was. The rendered docstring (``help()``, Sphinx, doctest) reads as if the
piece had been written out; only the source is shorter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["PIECES", "fill_doc"]

F = TypeVar("F", bound=Callable)

_PARAMETERS = "Parameters\n----------\n"
_RETURNS = "\nReturns\n-------"
_AX = "ax : matplotlib.axes.Axes, optional\n"
_DATA_DIR = "data_dir : str or path-like, optional\n"
_AXES = "\nmatplotlib.axes.Axes"
_GRAPH = "G : networkx.MultiDiGraph, optional\n"

#: The pieces, by name: numpydoc sections that many functions share word for word.
PIECES = {
    # A data function of keyword ``data_dir`` only; its return type follows.
    "data_dir_returns": _PARAMETERS + _DATA_DIR + _RETURNS,
    # The last parameter, ``data_dir``, after others; the return type follows.
    "data_dir_last_returns": _DATA_DIR + _RETURNS,
    # A drawing of the data: a new figure unless ``ax`` is given.
    "ax_data_dir_returns": _PARAMETERS + _AX + _DATA_DIR + _RETURNS + _AXES,
    # The same, where ``ax`` says what ``None`` means.
    "ax_where_data_dir_returns": _PARAMETERS
    + _AX
    + "    Where to draw; a new figure if ``None``.\n"
    + _DATA_DIR
    + _RETURNS
    + _AXES,
    # The last parameters of a drawing with a title of its own.
    "ax_title": _AX + "title : str, optional",
    # What a drawing returns, and the first line of its examples.
    "axes_example": _RETURNS[1:]
    + _AXES
    + "\n\nExamples\n--------\n>>> import matplotlib.pyplot as plt",
    # A function of the concept map; its return type follows.
    "concept_map_returns": _PARAMETERS
    + "G : networkx.MultiDiGraph\n"
    + "    The concept map, from :func:`explainer.concept_graph`.\n"
    + _RETURNS,
    # An export of the concept map; its return type follows.
    "graph_returns": _PARAMETERS + "G : networkx.MultiDiGraph\n" + _RETURNS,
    # A function of the concept map, built from ``data_dir`` unless ``G`` is given.
    "graph_data_dir_returns": _PARAMETERS + _GRAPH + _DATA_DIR + _RETURNS,
    # The same, where ``G`` says what ``None`` means.
    "graph_built_data_dir_returns": _PARAMETERS
    + _GRAPH
    + "    The concept map; built with :func:`explainer.concept_graph` if ``None``.\n"
    + _DATA_DIR
    + _RETURNS,
    # The first line of an example on the concept map.
    "concept_graph_example": "Examples\n--------\n>>> from explainer import concept_graph",
}


def fill_doc(func: F) -> F:
    """Fill the shared pieces named in ``func``'s docstring, and return ``func``.

    Parameters
    ----------
    func : callable
        A function (or class) whose docstring names pieces of :data:`PIECES`
        as ``%(name)s``, each on a line of its own; a name that is not
        there raises ``KeyError``.

    Returns
    -------
    callable
        ``func`` itself, its ``__doc__`` filled.

    Examples
    --------
    >>> @fill_doc
    ... def f(*, data_dir=None):
    ...     '''Return nothing.
    ...
    ...     %(data_dir_returns)s
    ...     None
    ...     '''
    >>> f.__doc__.splitlines()[2:5]
    ['    Parameters', '    ----------', '    data_dir : str or path-like, optional']
    """
    doc = func.__doc__
    if doc is None:  # python -OO strips docstrings
        return func
    lines = []
    for line in doc.split("\n"):
        name = line.strip()
        if name.startswith("%(") and name.endswith(")s"):
            indent = line[: len(line) - len(line.lstrip())]
            lines.extend(indent + p if p else "" for p in PIECES[name[2:-2]].split("\n"))
        else:
            lines.append(line)
    func.__doc__ = "\n".join(lines)
    return func
