"""Every PNG figure of the package is legible: checked from the artists' extents after drawing.

No text overlaps another text, or a box it does not belong to; no edge runs
through a box it does not join; no text is smaller than 8 pt at the size
the notebooks and the site show the figure (at most 1,100 px wide). The
check is ``explainer.plots._legibility``; the notebooks' test kernels run it
on every figure a notebook shows, so by default this file checks the figures
no notebook shows, and with ``--thorough`` every figure.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.collections import LineCollection

from explainer import concept_graph, load, plots
from explainer.plots._legibility import DPI, figure_problems


def _figures():
    from explainer import mechanisms as m
    from explainer.graph import main_pathways

    G = concept_graph()
    loops = load("loops")
    main = main_pathways()
    yield "concept_map", lambda: plots.draw_concept_map(G)
    yield (
        "concept_map_oxytocin",
        lambda: plots.draw_concept_map(G, highlight=["sex", "oxytocin", "emotional_intimacy"]),
    )
    for loop in loops.itertuples(index=False):
        yield (
            f"concept_map_loop_{loop.loop_id}",
            lambda path=loop.path: plots.draw_concept_map(G, highlight=path.split(" → ")),
        )
    yield (
        "pathways",
        lambda: plots.draw_pathways(G, list(zip(main.mechanism, main.nodes, strict=True))),
    )
    yield (
        "hormone_matrix",
        lambda: plots.draw_hormone_matrix(m.hormone_effects(), m.hormone_triggers()),
    )
    yield "mechanism_routes", lambda: plots.draw_mechanism_routes(m.mechanism_steps())
    yield (
        "mechanism_links",
        lambda: plots.draw_mechanism_links(
            m.mechanism_summary(), m.practice_mechanisms(), m.challenge_threats()
        ),
    )
    for name in (
        "draw_outline",
        "draw_article_tree",
        "draw_words_and_claims",
        "draw_text_map",
        "draw_text_shares",
        "draw_faq_coverage",
        "draw_faq_reach",
        "draw_claims_by_part",
        "draw_evidence",
        "draw_certainty",
        "draw_prisma_flow",
        "draw_verdict_certainty",
    ):
        yield name.removeprefix("draw_"), getattr(plots, name)


FIGURES = dict(_figures())


def test_every_drawing_function_is_checked():
    drawn = {name.removeprefix("draw_") for name in plots.__all__ if name.startswith("draw_")}
    assert drawn <= {key.split("_loop_")[0].removesuffix("_oxytocin") for key in FIGURES}


# Figures a notebook shows are checked there, as the reader sees them: the
# notebooks' test kernels run the same check (check_legible) on every figure a
# cell shows (tests/ipython-profile), so the default run draws each of them
# once, in its notebook. --thorough checks them here too. The concept map
# highlighting each feedback loop is the highlight already checked
# (concept_map_oxytocin) on other nodes: --thorough checks every loop.
IN_NOTEBOOKS = {
    "article_tree",
    "certainty",
    "claims_by_part",
    "concept_map",
    "faq_coverage",
    "faq_reach",
    "hormone_matrix",
    "mechanism_links",
    "mechanism_routes",
    "outline",
    "pathways",
    "prisma_flow",
    "text_map",
    "text_shares",
    "verdict_certainty",
    "words_and_claims",
}
LEGIBLE = [
    pytest.param(name, marks=pytest.mark.thorough)
    if "_loop_" in name or name in IN_NOTEBOOKS
    else name
    for name in sorted(FIGURES)
]


def test_the_figures_left_to_the_notebooks_are_shown_there_under_the_check():
    import json
    import re
    from pathlib import Path

    notebooks = Path(__file__).parents[1] / "notebooks"
    code = "\n".join(
        "".join(cell["source"])
        for path in sorted(notebooks.glob("[0-9][0-9]-*.ipynb"))
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
        if cell["cell_type"] == "code"
    )
    assert set(FIGURES) >= IN_NOTEBOOKS
    for name in sorted(IN_NOTEBOOKS):
        assert re.search(rf"\bdraw_{name}\(", code), f"no notebook shows draw_{name}: check it here"
    profile = Path(__file__).parent / "ipython-profile"
    startup = (profile / "profile_default" / "startup").glob("*.py")
    assert any("check_legible(fig)" in p.read_text(encoding="utf-8") for p in startup)


@pytest.mark.parametrize("name", LEGIBLE)
def test_figure_is_legible(name):
    ax = FIGURES[name]()
    try:
        problems = figure_problems(ax.figure)
    finally:
        plt.close(ax.figure)
    assert problems == {"text_overlaps": [], "through_box": [], "too_small": []}


def test_the_checks_find_overlaps_edges_through_boxes_and_small_text():
    """The checks read the extents the drawing lays out: a figure with each fault is caught."""
    fig, ax = plt.subplots(figsize=(4, 3), dpi=DPI)
    try:
        ax.set_axis_off()
        at = {"transform": ax.transAxes, "fontsize": 10}
        ax.text(0.1, 0.5, "first words", **at)
        ax.text(0.12, 0.5, "second words", **at)
        ax.text(0.1, 0.1, "tiny", **{**at, "fontsize": 5})
        ax.text(0.7, 0.8, "a box", bbox={"boxstyle": "round"}, **at)
        edge = LineCollection([[(0.0, 0.83), (1.0, 0.83)]], urls=["edge:a->c"])
        edge.set_transform(ax.transAxes)
        ax.add_collection(edge, autolim=False)
        problems = figure_problems(fig)
    finally:
        plt.close(fig)
    assert "'first words' overlaps 'second words'" in problems["text_overlaps"]
    assert problems["too_small"] == ["'tiny' at 5.0 pt"]
    assert any(p.startswith("edge:a->c passes through") for p in problems["through_box"])
