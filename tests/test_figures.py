"""Every PNG figure of the package is legible: checked from the artists' extents after drawing.

No text overlaps another text, or a box it does not belong to; no edge runs
through a box it does not join; no text is smaller than 8 pt at the size
the notebooks and the site show the figure (at most 1,100 px wide).
"""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from explainer import concept_graph, load, plots

DPI = 100  # the inline backend's and the site's
SHOWN_WIDTH = 1100  # px: JupyterLab's output area and the site's page
MIN_POINTS = 8.0
SLACK = 1.0  # px: touching is not overlapping


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
    ):
        yield name.removeprefix("draw_"), getattr(plots, name)


FIGURES = dict(_figures())


def test_every_drawing_function_is_checked():
    drawn = {name.removeprefix("draw_") for name in plots.__all__ if name.startswith("draw_")}
    assert drawn <= {key.split("_loop_")[0].removesuffix("_oxytocin") for key in FIGURES}


def _shrunk(box: Bbox, by: float = SLACK) -> Bbox:
    return Bbox.from_extents(box.x0 + by, box.y0 + by, box.x1 - by, box.y1 - by)


def _inner(box: Bbox) -> tuple[float, float, float, float]:
    """The box less SLACK on every side, as plain numbers (compared many times)."""
    x0, y0, x1, y1 = box.extents
    return x0 + SLACK, y0 + SLACK, x1 - SLACK, y1 - SLACK


def _overlap(a: tuple, b: tuple) -> bool:
    """Whether two boxes from :func:`_inner` overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _segment_hits(p, q, box: Bbox) -> bool:
    """Whether the segment p-q enters the box (Liang-Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in (
        (-dx, p[0] - box.x0),
        (dx, box.x1 - p[0]),
        (-dy, p[1] - box.y0),
        (dy, box.y1 - p[1]),
    ):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _crosses(path, box: Bbox) -> bool:
    for polygon in path.to_polygons(closed_only=False):
        for p, q in itertools.pairwise(polygon):
            if _segment_hits(p, q, box):
                return True
    return False


def figure_problems(fig) -> dict[str, list[str]]:
    """Return the overlaps, through-box edges and small texts of a drawn figure."""
    # Every artist's draw runs (layout, text extents, arrows clipped to their
    # boxes) but no pixel is rasterized: the checks read extents, not pixels.
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    # Notebooks and the site save figures with bbox_inches="tight": the PNG is
    # the tight box, shown at DPI and shrunk to SHOWN_WIDTH when wider.
    tight = fig.get_tightbbox(renderer)  # inches
    scale = min(1.0, SHOWN_WIDTH / (tight.width * DPI))
    boxes: list[tuple[str, Bbox]] = []
    texts: list[tuple[str, str | None, Bbox, Text]] = []
    for ax in fig.axes:
        for patch in ax.patches:
            gid = patch.get_gid() or ""
            if gid.startswith("box:") and patch.get_visible():
                boxes.append((gid[4:], patch.get_window_extent(renderer)))
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        extent = text.get_window_extent(renderer)
        if extent.width == 0 or extent.height == 0:
            continue
        gid = text.get_gid() or ""
        owner = gid[6:] if gid.startswith("label:") else None
        patch = text.get_bbox_patch()
        if patch is not None and text.get_gid() != "link":
            # A text in its own box is a box.
            owner = f"text@{len(boxes)}"
            boxes.append((owner, patch.get_window_extent(renderer)))
        texts.append((text.get_text(), owner, extent, text))
    problems: dict[str, list[str]] = {
        "text_overlaps": [],
        "through_box": [],
        "too_small": [],
    }

    inner_texts = [(text, owner, _inner(extent)) for text, owner, extent, _ in texts]
    inner_boxes = [(name, _inner(box)) for name, box in boxes]
    for (ta, _, ea), (tb, _, eb) in itertools.combinations(inner_texts, 2):
        if _overlap(ea, eb):
            problems["text_overlaps"].append(f"{ta!r} overlaps {tb!r}")
    for text, owner, extent in inner_texts:
        for name, box in inner_boxes:
            if name != owner and _overlap(extent, box):
                problems["text_overlaps"].append(f"{text!r} overlaps box {name!r}")
    for text, _, _, artist in texts:
        if artist.get_fontsize() * scale < MIN_POINTS - 0.01:
            size = artist.get_fontsize() * scale
            problems["too_small"].append(f"{text!r} at {size:.1f} pt")
    for ax in fig.axes:
        edges = []
        for coll in ax.collections:
            if isinstance(coll, LineCollection) and (coll.get_urls() or [None])[0]:
                for url, path in zip(coll.get_urls(), coll.get_paths(), strict=True):
                    ends = set(url.removeprefix("edge:").split("->"))
                    edges.append((url, ends, coll.get_transform().transform_path(path)))
        box_of = {}
        for text in fig.findobj(Text):
            if text.get_bbox_patch() is not None:
                box_of[id(text.get_bbox_patch())] = text.get_text()
        for patch in ax.patches:
            if isinstance(patch, FancyArrowPatch):
                ends = {
                    box_of.get(id(p), f"text@{i}")
                    for i, p in enumerate((patch.patchA, patch.patchB))
                }
                edges.append(("arrow", ends, patch.get_path()))
        for child in ax.get_children():
            if isinstance(child, Text) and hasattr(child, "arrow_patch") and child.arrow_patch:
                arrow = child.arrow_patch
                ends = {
                    box_of.get(id(arrow.patchA), "A"),
                    box_of.get(id(arrow.patchB), "B"),
                }
                edges.append(("arrow", ends, arrow.get_path()))
        named = dict(boxes)
        text_boxes = {n: b for n, b in named.items() if n.startswith("text@")}
        text_names = {}
        for text, owner, _, _ in texts:
            if owner in text_boxes:
                text_names[owner] = text
        for url, ends, path in edges:
            for name, box in named.items():
                label = text_names.get(name, name)
                if name in ends or label in ends:
                    continue
                if _crosses(path, _shrunk(box, 2.0)):
                    problems["through_box"].append(f"{url} passes through {label!r}")
    return problems


# The concept map highlighting each feedback loop is the highlight already checked
# (concept_map_oxytocin) on other nodes: --thorough checks every loop.
LEGIBLE = [
    pytest.param(name, marks=pytest.mark.thorough) if "_loop_" in name else name
    for name in sorted(FIGURES)
]


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
