"""explainer: the article "Why Sex Is Good for Emotional Intimacy" as linked tables.

The public API:

- :func:`tables`, :func:`load`, :func:`validate`, :class:`DataError`: the data;
- :func:`article_text`: the article itself;
- :func:`concept_graph`: the concept map as a networkx graph;
- :func:`about`: every row of every table that mentions a term.

Importing the package is cheap: the names above are imported when first
used (``explainer.load`` imports pandas and the tables module then), so
``python -m explainer --version`` answers at once; matplotlib and networkx
are imported only by the functions that need them.

Examples
--------
>>> import explainer
>>> "claims" in explainer.tables()
True
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from explainer._version import __version__ as __version__
from explainer.errors import DataError, Problem

if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from explainer.about import about
    from explainer.article import article_text
    from explainer.graph import concept_graph
    from explainer.tables import describe, load, schema, tables
    from explainer.validation import validate

__all__ = [
    "DataError",
    "Problem",
    "about",
    "article_text",
    "concept_graph",
    "describe",
    "load",
    "schema",
    "tables",
    "validate",
]


#: Each public name imported on first use, and the module it comes from.
_LAZY = {
    "about": "explainer.about",
    "article_text": "explainer.article",
    "concept_graph": "explainer.graph",
    "describe": "explainer.tables",
    "load": "explainer.tables",
    "schema": "explainer.tables",
    "tables": "explainer.tables",
    "validate": "explainer.validation",
}


class _Package(types.ModuleType):
    """The package's module type: submodules never hide the functions of the same name.

    The import system records every submodule it loads as an attribute of
    its package, so loading ``explainer.tables`` or ``explainer.about``
    would hide the functions ``explainer.tables()`` and ``explainer.about()``
    (eager imports rebound them afterwards; lazy ones cannot). The module
    stays in ``sys.modules``, where ``from explainer.tables import load`` finds it.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    """Import a public function on first use (PEP 562), then keep it as a plain attribute."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'explainer' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if "IPython" in sys.modules:  # a notebook: broken data shows as its problems, in a few lines
    from explainer._notebook import install as _install

    _install()
