"""explainer: the article "Why Sex Is Good for Emotional Intimacy" as linked tables.

The public API:

- :func:`tables`, :func:`load`, :func:`validate`, :class:`DataError`: the data;
- :func:`article_text`: the article itself;
- :func:`concept_graph`: the concept map as a networkx graph;
- :func:`about`: every row of every table that mentions a term.

Importing the package is cheap: matplotlib and networkx are
imported only by the functions that need them.

Examples
--------
>>> import explainer
>>> "claims" in explainer.tables()
True
"""

from explainer.about import about
from explainer.article import article_text
from explainer.errors import DataError, Problem
from explainer.graph import concept_graph
from explainer.tables import describe, load, schema, tables, validate

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

__version__ = "0.1.0"
