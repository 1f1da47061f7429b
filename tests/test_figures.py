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


def _overlap(a: Bbox, b: Bbox) -> bool:
    a, b = _shrunk(a), _shrunk(b)
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


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
    fig.canvas.draw()
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

    for (ta, _, ea, _), (tb, _, eb, _) in itertools.combinations(texts, 2):
        if _overlap(ea, eb):
            problems["text_overlaps"].append(f"{ta!r} overlaps {tb!r}")
    for text, owner, extent, _ in texts:
        for name, box in boxes:
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


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_is_legible(name):
    ax = FIGURES[name]()
    try:
        problems = figure_problems(ax.figure)
    finally:
        plt.close(ax.figure)
    assert problems == {"text_overlaps": [], "through_box": [], "too_small": []}
