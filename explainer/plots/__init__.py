"""Drawing functions: each takes ``ax=None`` and returns the Axes it drew on.

One module per topic; everything public is re-exported here, so that a
notebook needs only ``from explainer import plots``. Colours come from the
Okabe-Ito palette, which stays distinguishable for the common forms of colour
blindness. Nothing here computes what it shows: the numbers come from the
modules that own them, and are tested there.
"""

from explainer.plots._common import OKABE_ITO, new_axes
from explainer.plots.concept_map import (
    CONCEPT_COLOURS,
    concept_layout,
    draw_concept_map,
    draw_pathways,
)
from explainer.plots.evidence import (
    BEARING_COLOURS,
    CLAIM_TYPE_COLOURS,
    draw_claims_by_part,
    draw_evidence,
)
from explainer.plots.mechanisms import (
    FAMILY_COLOURS,
    POLARITY_COLOURS,
    draw_hormone_matrix,
    draw_mechanism_links,
    draw_mechanism_routes,
)
from explainer.plots.outline import SECTION_COLOURS, draw_outline

__all__ = [
    "BEARING_COLOURS",
    "CLAIM_TYPE_COLOURS",
    "CONCEPT_COLOURS",
    "FAMILY_COLOURS",
    "OKABE_ITO",
    "POLARITY_COLOURS",
    "SECTION_COLOURS",
    "concept_layout",
    "draw_claims_by_part",
    "draw_concept_map",
    "draw_evidence",
    "draw_hormone_matrix",
    "draw_mechanism_links",
    "draw_mechanism_routes",
    "draw_outline",
    "draw_pathways",
    "new_axes",
]
