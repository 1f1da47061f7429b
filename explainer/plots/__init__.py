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
    draw_certainty,
    draw_claims_by_part,
    draw_evidence,
    draw_prisma_flow,
)
from explainer.plots.faq import ECHO_COLOURS, draw_faq_coverage, draw_faq_reach
from explainer.plots.findings import draw_verdict_certainty
from explainer.plots.mechanisms import (
    FAMILY_COLOURS,
    POLARITY_COLOURS,
    draw_hormone_matrix,
    draw_mechanism_links,
    draw_mechanism_routes,
)
from explainer.plots.outline import SECTION_COLOURS, draw_outline
from explainer.plots.structure import (
    TEXT_SHARE_COLOURS,
    draw_article_tree,
    draw_text_map,
    draw_text_shares,
    draw_words_and_claims,
)

__all__ = [
    "BEARING_COLOURS",
    "CLAIM_TYPE_COLOURS",
    "CONCEPT_COLOURS",
    "ECHO_COLOURS",
    "FAMILY_COLOURS",
    "OKABE_ITO",
    "POLARITY_COLOURS",
    "SECTION_COLOURS",
    "TEXT_SHARE_COLOURS",
    "concept_layout",
    "draw_article_tree",
    "draw_certainty",
    "draw_claims_by_part",
    "draw_concept_map",
    "draw_evidence",
    "draw_faq_coverage",
    "draw_faq_reach",
    "draw_hormone_matrix",
    "draw_mechanism_links",
    "draw_mechanism_routes",
    "draw_outline",
    "draw_pathways",
    "draw_prisma_flow",
    "draw_text_map",
    "draw_text_shares",
    "draw_verdict_certainty",
    "draw_words_and_claims",
    "new_axes",
]
