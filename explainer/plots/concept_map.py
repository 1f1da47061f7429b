"""The concept map, drawn left to right in layers, and routes through it."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from explainer._docs import fill_doc
from explainer.plots._common import OKABE_ITO, legend_below
from explainer.plots._routes import (
    add_edges,
    draw_chains,
    edge_style,
    link_text,
    style_handles,
    text_of,
)
from explainer.plots.layout import FONT_SIZE, LAYER, layered_layout

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = ["CONCEPT_COLOURS", "concept_layout", "draw_concept_map", "draw_pathways"]

#: Concept kinds, coloured; the order is the left-to-right order of the map.
CONCEPT_COLOURS = {
    "practice": OKABE_ITO["yellow"],
    "challenge": OKABE_ITO["grey"],
    "activity": OKABE_ITO["orange"],
    "hormone": OKABE_ITO["sky_blue"],
    "brain_system": OKABE_ITO["purple"],
    "state": OKABE_ITO["green"],
    "outcome": OKABE_ITO["vermillion"],
}
_LAYER = LAYER  # the old private name, kept for readers of earlier notebooks


@fill_doc
def concept_layout(G) -> dict[str, tuple[float, float]]:
    """Return a deterministic layered left-to-right layout of the concept map.

    Each concept kind has a column (practices and challenges, activities,
    hormones and the brain, states, the relationship); within a column the
    concepts are ordered by the barycentre of their neighbours (a Sugiyama
    layout, see :func:`explainer.plots.layout.layered_layout`).

    %(concept_map_returns)s
    dict
        Concept id to ``(x, y)``: x is the column (0 for practices and
        challenges, 4 for the relationship), y the height in inches from
        the top of the map down.

    %(concept_graph_example)s
    >>> pos = concept_layout(concept_graph())
    >>> pos == concept_layout(concept_graph())
    True
    """
    return {n: (float(LAYER[b.kind]), b.y) for n, b in layered_layout(G).boxes.items()}


def _edges_of(highlight) -> set[tuple[str, str]]:
    """Turn a highlight (a path of nodes, or a list of edges) into edges."""
    if highlight is None:
        return set()
    items = list(highlight)
    if items and isinstance(items[0], tuple):
        return {(u, v) for u, v, *_ in items}
    return set(itertools.pairwise(items))


@fill_doc
def draw_concept_map(
    G, ax=None, highlight: Iterable | None = None, *, title: str | None = None
) -> Axes:
    """Draw the concept map, layered left to right, optionally highlighting a route.

    Concepts are boxes coloured by kind; each arrow carries every
    proposition from one concept to another and runs between the boxes,
    never through one. Its colour and its line come from the style table,
    :data:`explainer.plots._routes.EDGE_STYLES`, and the legend says what
    each means (:func:`explainer.plots._routes.style_caption` gives the
    same words as a sentence); a diamond marks a link that holds only under
    a condition. A possibility ("can exist without") is a broad band of its
    colour under its arrow, which it may share with another link. Linking
    phrases carry the article's modality ("can reduce"), from
    :func:`explainer.provenance.phrase`. With ``highlight``, the route's arrows are
    drawn bold on top of the faded map, with their linking phrases.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The concept map, from :func:`explainer.concept_graph`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure sized so that one data unit
        is one inch and every label is shown at its point size.
    highlight : sequence, optional
        A pathway or loop as a list of concept ids (consecutive pairs are the
        edges; for a loop, repeat the first id at the end), or a list of
        ``(source, target)`` pairs.
    title : str, optional
        The Axes title; by default the map's focus question.

    %(axes_example)s
    >>> from explainer import concept_graph
    >>> ax = draw_concept_map(concept_graph(), highlight=["sex", "oxytocin", "emotional_intimacy"])
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "link")
    ['enhances', 'releases']
    >>> plt.close(ax.figure)
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Patch

    layout = layered_layout(G)
    marked = _edges_of(highlight)
    on_route = {n for e in marked for n in e}
    top_margin, bottom_margin = 0.45, 0.7
    if ax is None:
        import matplotlib.pyplot as plt

        fig_w, fig_h = layout.width, layout.height + 0.55 + top_margin + bottom_margin
        fig = plt.figure(figsize=(fig_w, fig_h))
        ax = fig.add_axes((0.0, bottom_margin / fig_h, 1.0, (layout.height + 0.55) / fig_h))
    ax.set_xlim(0.0, layout.width)
    ax.set_ylim(layout.height + 0.05, -0.5)
    ax.axis("off")

    # The boxes and their labels.
    for node, box in layout.boxes.items():
        faded = bool(marked) and node not in on_route
        left, top, _, _ = box.extent
        ax.add_patch(
            FancyBboxPatch(
                (left, top),
                box.w,
                box.h,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=CONCEPT_COLOURS[box.kind],
                edgecolor="black" if node in on_route else "none",
                linewidth=1.5,
                alpha=0.3 if faded else 0.9,
                zorder=3,
                gid=f"box:{node}",
            )
        )
        ax.text(
            box.x,
            box.y,
            box.label,
            ha="center",
            va="center",
            fontsize=FONT_SIZE,
            linespacing=1.1,
            zorder=4,
            alpha=0.4 if faded else 1.0,
            gid=f"label:{node}",
        )

    # Every edge in one collection, every arrowhead in another.
    add_edges(
        ax,
        [list(r.points) for r in layout.routes],
        [edge_style(r.first) for r in layout.routes],
        [(r.source, r.target) for r in layout.routes],
        linewidth=0.9,
        alpha=0.15 if marked else 0.75,
    )
    # A possibility ("can exist without") shares its arrow with any other link between
    # the same two concepts (emotional intimacy back to sex: r026 and r099), so it is
    # drawn as a broad band of its own colour under that arrow, never hidden by it.
    possible = [
        list(r.points)
        for r in layout.routes
        if any(str(e.get("link_type")) == "possible_without" for e in r.edges)
    ]
    if possible:
        from matplotlib.collections import LineCollection

        band = LineCollection(
            possible,
            colors=edge_style({"link_type": "possible_without"})["color"],
            linewidths=4.5,
            alpha=0.15 if marked else 0.55,
            zorder=1.9,
        )
        band.set_gid("possibilities")
        ax.add_collection(band)
    conditional = [
        r.points[len(r.points) // 2 - 1 : len(r.points) // 2 + 1]
        for r in layout.routes
        if any(text_of(e.get("condition")) for e in r.edges)
    ]
    if conditional:
        xs = [(a[0] + b[0]) / 2 for a, b in conditional]
        ys = [(a[1] + b[1]) / 2 for a, b in conditional]
        ax.scatter(xs, ys, marker="D", s=18, facecolors="white", edgecolors="#333333", zorder=2.5)

    # The highlighted route: a layer on top, bold, with its linking phrases.
    chosen = [r for r in layout.routes if (r.source, r.target) in marked]
    if chosen:
        add_edges(
            ax,
            [list(r.points) for r in chosen],
            [edge_style(r.first) for r in chosen],
            [(r.source, r.target) for r in chosen],
            linewidth=2.2,
            zorder=5,
            head=1.5,
        )
        _place_links(ax, chosen, layout)

    for x, heading in layout.columns:
        ax.text(x, -0.1, heading, ha="center", va="bottom", fontsize=9, fontweight="bold")
    kinds = [k for k in CONCEPT_COLOURS if any(b.kind == k for b in layout.boxes.values())]
    handles = [Patch(facecolor=CONCEPT_COLOURS[k], label=k.replace("_", " ")) for k in kinds]
    handles += style_handles(G)
    if conditional:
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                linestyle="none",
                markerfacecolor="white",
                markeredgecolor="#333333",
                label="holds only under a condition",
            )
        )
    legend_below(ax, handles, ncol=6)
    ax.set_title(
        title if title is not None else G.graph.get("focus_question", ""), fontsize=11, pad=6
    )
    return ax


def _place_links(ax, chosen, layout) -> None:
    """Put each route edge's linking phrase where it covers no box and no other phrase.

    The candidates are points along the edge's segments between columns;
    the first that is free wins, measured with the renderer.
    """
    renderer = ax.figure.canvas.get_renderer()
    to_display = ax.transData.transform
    obstacles = []
    for box in layout.boxes.values():
        (x0, y0), (x1, y1) = to_display(
            [(box.extent[0], box.extent[1]), (box.extent[2], box.extent[3])]
        )
        obstacles.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    for route in sorted(chosen, key=lambda r: (r.source, r.target)):
        text = link_text(route.edges, width=16)
        label = ax.text(
            0,
            0,
            text,
            ha="center",
            va="center",
            fontsize=FONT_SIZE,
            style="italic",
            zorder=6,
            gid="link",
            bbox={
                "boxstyle": "round,pad=0.12",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.92,
            },
        )
        candidates = []
        for (xa, ya), (xb, yb) in itertools.pairwise(route.points):
            for t in (0.5, 0.3, 0.7, 0.15, 0.85):
                candidates.append((xa + (xb - xa) * t, ya + (yb - ya) * t))
        best, best_cost = candidates[0], None
        for point in candidates:
            label.set_position(point)
            e = label.get_window_extent(renderer).expanded(1.02, 1.05)
            cost = sum(
                max(0.0, min(e.x1, o[2]) - max(e.x0, o[0]))
                * max(0.0, min(e.y1, o[3]) - max(e.y0, o[1]))
                for o in obstacles
            )
            if best_cost is None or cost < best_cost:
                best, best_cost = point, cost
            if cost == 0:
                break
        label.set_position(best)
        e = label.get_window_extent(renderer)
        obstacles.append((e.x0, e.y0, e.x1, e.y1))


@fill_doc
def draw_pathways(G, routes, ax=None, *, title: str | None = None) -> Axes:
    """Draw several routes through the map, one row each, with their linking phrases.

    Each row is one route, read left to right: the concepts as boxes
    coloured by kind, and between them the arrow with its linking phrase
    (the first causal proposition between the two, by relation id). Rows
    whose route is the same as an earlier row's say so.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The concept map.
    routes : sequence of (str, str or list of str)
        ``(row label, nodes)`` pairs; ``nodes`` as concept ids, or one
        string joined by " → " (as in :func:`explainer.graph.pathways`).
    %(ax_title)s

    %(axes_example)s
    >>> from explainer import concept_graph
    >>> ax = draw_pathways(concept_graph(), [("oxytocin", "sex → oxytocin → emotional_intimacy")])
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "link"]
    ['releases', 'enhances']
    >>> plt.close(ax.figure)
    """
    from explainer.graph import pathway_steps

    chains = []
    for label, nodes in routes:
        nodes = nodes.split(" → ") if isinstance(nodes, str) else list(nodes)
        steps = pathway_steps(G, nodes)
        chains.append(
            {
                "label": label,
                "nodes": [(n, G.nodes[n]["label"], G.nodes[n]["kind"]) for n in nodes],
                "links": [
                    {
                        "link": s.link,
                        **_proposition(G, s.source, s.target, s.claim_id, s.link),
                    }
                    for s in steps.itertuples(index=False)
                ],
                "own": None,
            }
        )
    return draw_chains(chains, ax=ax, title=title, colours=CONCEPT_COLOURS)


def _proposition(G, u: str, v: str, claim_id: str, link: str) -> dict:
    """Return the attributes of the proposition ``u`` → ``v`` that a pathway step names."""
    for _, data in sorted((G.get_edge_data(u, v) or {}).items()):
        if data["claim_id"] == claim_id and data["link"] == link:
            keys = ("polarity", "link_type", "basis", "condition", "modality", "phrase")
            return {k: data.get(k) for k in keys}
    return {}
