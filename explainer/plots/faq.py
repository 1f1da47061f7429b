"""The FAQ, drawn: which concepts each answer relies on, and what it leaves out."""

from __future__ import annotations

import os
import textwrap
from typing import TYPE_CHECKING

from explainer._docs import fill_doc
from explainer.plots._common import OKABE_ITO, finish_barh, label_bars, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = ["ECHO_COLOURS", "draw_faq_coverage", "draw_faq_reach"]

PathLike = str | os.PathLike[str]

#: A link the body also makes in blue; one only the FAQ makes in vermillion.
ECHO_COLOURS = {"echoed": OKABE_ITO["blue"], "faq_only": OKABE_ITO["vermillion"]}

# Concept kinds as a reader would name them.
_KIND_NAMES = {
    "practice": "practices",
    "challenge": "challenges",
    "activity": "activities",
    "hormone": "hormones",
    "brain_system": "the brain",
    "state": "states and feelings",
    "outcome": "the relationship",
}


@fill_doc
def draw_faq_coverage(*, ax=None, data_dir: PathLike | None = None) -> Axes:
    """Draw the FAQ-by-concept matrix: which concepts each answer relies on.

    One row per FAQ entry, in the printed order; one column per concept that
    some answer relies on, grouped by kind as in the concept map. A filled
    cell is a ``faq_links`` row: blue, labelled with the body section the
    answer echoes there; vermillion, labelled "FAQ only", where the body
    never says it.

    %(ax_data_dir_returns)s
    """
    from explainer.faq import faq_concept_matrix, faq_echoes, faq_overview
    from explainer.tables import load

    matrix = faq_concept_matrix(data_dir=data_dir)
    echoes = faq_echoes(data_dir=data_dir).set_index(["faq_id", "concept_id"])
    questions = faq_overview(data_dir=data_dir).set_index("faq_id")
    concepts = load("concepts", data_dir=data_dir).set_index("concept_id")
    ax = new_axes(ax, (10, 4.8))
    for y, faq_id in enumerate(matrix.index):
        for x, concept_id in enumerate(matrix.columns):
            if not matrix.at[faq_id, concept_id]:
                ax.plot([x], [y], marker=".", color=OKABE_ITO["grey"], markersize=4)
                continue
            ref = echoes.at[(faq_id, concept_id), "echoes"]
            echoed = isinstance(ref, str)
            ax.text(
                x,
                y,
                ref if echoed else "FAQ only",
                ha="center",
                va="center",
                fontsize=8,
                color="white",
                fontweight="bold",
                bbox={
                    "boxstyle": "round,pad=0.35",
                    "facecolor": ECHO_COLOURS["echoed" if echoed else "faq_only"],
                    "edgecolor": "none",
                },
            )
    rows = [
        f"Q{int(questions.at[f, 'number'])} " + textwrap.fill(str(questions.at[f, "question"]), 34)
        for f in matrix.index
    ]
    columns = [
        textwrap.fill(str(concepts.at[c, "label"]), 13)
        + f"\n({str(concepts.at[c, 'kind']).replace('_system', '')})"
        for c in matrix.columns
    ]
    ax.set_xticks(range(matrix.shape[1]), columns, fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), rows, fontsize=8)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.set_xlim(-0.6, matrix.shape[1] - 0.4)
    ax.set_ylim(matrix.shape[0] - 0.5, -0.5)
    for x in range(matrix.shape[1] + 1):
        ax.axvline(x - 0.5, color=OKABE_ITO["grey"], linewidth=0.3)
    for y in range(matrix.shape[0] + 1):
        ax.axhline(y - 0.5, color=OKABE_ITO["grey"], linewidth=0.3)
    ax.spines[:].set_visible(False)
    ax.set_title(
        "What each FAQ answer relies on, and the body section that says the same",
        pad=12,
    )
    ax.set_xlabel(
        "Blue: the body section the answer echoes (5.B is section 5, subsection B; "
        "7 Gottman is his entry in section 7).\nVermillion: the body never says it.",
        fontsize=8,
    )
    return ax


@fill_doc
def draw_faq_reach(*, ax=None, data_dir: PathLike | None = None) -> Axes:
    """Draw, per kind of concept, how many of the body's concepts the FAQ touches.

    One stacked bar per kind, from :func:`explainer.faq.faq_reach`: the
    concepts an FAQ answer links to, then those it never does.

    %(ax_data_dir_returns)s
    """
    from explainer.faq import faq_reach

    reach = faq_reach(data_dir=data_dir)
    ax = new_axes(ax, (9, 3.6))
    ys = list(range(len(reach)))
    touched = [int(v) for v in reach.touched]
    untouched = [int(v) for v in reach.untouched]
    ax.barh(ys, touched, color=OKABE_ITO["blue"], label="touched by an FAQ answer")
    ax.barh(ys, untouched, left=touched, color=OKABE_ITO["grey"], label="never touched")
    totals = [int(n) for n in reach.concepts]
    label_bars(ax, ys, totals, [f"{t} of {n}" for t, n in zip(touched, totals, strict=True)])
    ax.legend(loc="lower right", frameon=False, fontsize="small")
    return finish_barh(
        ax,
        ys,
        [_KIND_NAMES[k] for k in reach.kind],
        xlabel="concepts of the article's argument (in at least one proposition)",
        title="Which parts of the article's argument the FAQ touches",
        xlim=(0, max(totals) + 2),
    )
