"""Views to explore offline: the interactive concept map, the annotated article, the dictionary.

Each function returns a :class:`View`: Jupyter shows it inline, and
``view.save("page.html")`` writes a standalone page that works from
``file://``. The site (:func:`explainer.site.build_site`) uses the same views.
"""

from explainer.explore._page import View
from explainer.explore.article import annotated_article
from explainer.explore.dictionary import data_dictionary
from explainer.explore.map import concept_map
from explainer.explore.search import search_documents

__all__ = ["View", "annotated_article", "concept_map", "data_dictionary", "search_documents"]
