"""The concept map, drawn left to right in layers."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterable

from explainer.plots._common import OKABE_ITO, new_axes

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
# The columns of the layered layout: practices and challenges feed the
# activities, which release hormones and engage the brain, which change
# states, which build the relationship's outcomes.
_LAYER = {
    "practice": 0,
    "challenge": 0,
    "activity": 1,
    "hormone": 2,
    "brain_system": 2,
    "state": 3,
    "outcome": 4,
}
_LAYER_TITLES = [
    "practices and\nchallenges",
    "activities",
    "hormones and\nthe brain",
    "states and\nfeelings",
    "the relationship",
]


def concept_layout(G) -> dict[str, tuple[float, float]]:
    """Return a deterministic layered left-to-right layout of the concept map.

    Each concept kind has a column (practices and challenges, activities,
    hormones and the brain, states, the relationship). Within a column the
    concepts are ordered by the barycentre of their neighbours, a few sweeps
    of the classic Sugiyama heuristic, ties broken by id: the same picture on
    every run, with few crossings.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The concept map, from :func:`explainer.concept_graph`.

    Returns
    -------
    dict
        Concept id to ``(x, y)``; x is the column, y runs from 0 (top) down.

    Examples
    --------
    >>> from explainer import concept_graph
    >>> pos = concept_layout(concept_graph())
    >>> pos == concept_layout(concept_graph())
    True
    """
    columns: dict[int, list[str]] = {}
    for node in sorted(G.nodes):
        columns.setdefault(_LAYER[G.nodes[node]["kind"]], []).append(node)
    # Challenges go below the practices in their shared column.
    if 0 in columns:
        columns[0].sort(key=lambda n: (G.nodes[n]["kind"] == "challenge", n))
    y = {n: float(i) for col in columns.values() for i, n in enumerate(col)}
    neighbours = {n: sorted(set(G.predecessors(n)) | set(G.successors(n))) for n in G.nodes}
    for _ in range(6):
        for col, nodes in sorted(columns.items()):

            def key(n, col=col):
                others = [y[m] for m in neighbours[n] if _LAYER[G.nodes[m]["kind"]] != col]
                centre = sum(others) / len(others) if others else y[n]
                group = G.nodes[n]["kind"] == "challenge" if col == 0 else False
                return (group, centre, n)

            nodes.sort(key=key)
            for i, n in enumerate(nodes):
                y[n] = float(i)
    tallest = max(len(c) for c in columns.values())
    pos = {}
    for col, nodes in columns.items():
        offset = (tallest - len(nodes)) / 2
        for i, n in enumerate(nodes):
            pos[n] = (float(col), offset + i)
    return pos


def _edges_of(highlight, G) -> set[tuple[str, str]]:
    """Turn a highlight (a path of nodes, or a list of edges) into edges."""
    if highlight is None:
        return set()
    items = list(highlight)
    if items and isinstance(items[0], tuple):
        return {(u, v) for u, v, *_ in items}
    return set(itertools.pairwise(items))


def draw_concept_map(G, ax=None, highlight: Iterable | None = None, *, title: str | None = None):
    """Draw the concept map, layered left to right, optionally highlighting a route.

    Concepts are boxes coloured by kind (legend below the map); each
    proposition is an arrow from concept to concept, dashed where the link
    is negative ("reduces") and dotted for definitions and rebuttals. With
    ``highlight``, the route's arrows are drawn bold with their linking
    phrases and everything else fades.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The concept map, from :func:`explainer.concept_graph`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if ``None``.
    highlight : sequence, optional
        A pathway or loop as a list of concept ids (consecutive pairs are the
        edges; for a loop, repeat the first id at the end), or a list of
        ``(source, target)`` pairs.
    title : str, optional
        The Axes title; by default the map's focus question.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    pos = concept_layout(G)
    tallest = max(y for _, y in pos.values()) + 1
    ax = new_axes(ax, (11, max(6.0, 0.42 * tallest + 1.5)))
    marked = _edges_of(highlight, G)
    on_route = {n for e in marked for n in e}
    boxes = {}
    for node, (x, y) in pos.items():
        data = G.nodes[node]
        faded = bool(marked) and node not in on_route
        label = "\n".join(textwrap.wrap(data["label"], 18))
        boxes[node] = ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=7.5,
            zorder=3,
            alpha=0.35 if faded else 1.0,
            bbox={
                "boxstyle": "round,pad=0.3",
                "facecolor": CONCEPT_COLOURS[data["kind"]],
                "edgecolor": "black" if node in on_route else "none",
                "linewidth": 1.5,
                "alpha": 0.3 if faded else 0.9,
            },
        )
    for u, v, data in sorted(G.edges(data=True), key=lambda e: e[2]["relation_id"]):
        bold = (u, v) in marked
        faded = bool(marked) and not bold
        (x0, y0), (x1, y1) = pos[u], pos[v]
        bend = 0.25 if x0 == x1 else (-0.12 if x1 < x0 else 0.06)
        style = "-" if data["link_type"] in {"causal", "correlational"} else ":"
        if data["polarity"] == "negative":
            style = "--"
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            zorder=4 if bold else 2,
            arrowprops={
                "arrowstyle": "-|>",
                "color": OKABE_ITO["black"] if bold else "#555555",
                "alpha": 0.12 if faded else (1.0 if bold else 0.6),
                "linewidth": 2.2 if bold else 0.8,
                "linestyle": style,
                "connectionstyle": f"arc3,rad={bend}",
                "patchA": boxes[u].get_bbox_patch(),
                "patchB": boxes[v].get_bbox_patch(),
                "shrinkA": 2,
                "shrinkB": 2,
                "mutation_scale": 12 if bold else 8,
            },
        )
        if bold:
            ax.text(
                (x0 + x1) / 2,
                (y0 + y1) / 2 - 0.18,
                "\n".join(textwrap.wrap(data["link"], 22)),
                ha="center",
                va="center",
                fontsize=7,
                style="italic",
                zorder=5,
                bbox={
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.9,
                },
            )
    columns = sorted({int(x) for x, _ in pos.values()})
    for col in columns:
        ax.text(
            col, -0.9, _LAYER_TITLES[col], ha="center", va="bottom", fontsize=8.5, fontweight="bold"
        )
    ax.set_xlim(-0.6, max(columns) + 0.6)
    ax.set_ylim(tallest - 0.3, -1.4)
    ax.axis("off")
    kinds = [k for k in CONCEPT_COLOURS if any(d["kind"] == k for _, d in G.nodes(data=True))]
    handles = [Patch(facecolor=CONCEPT_COLOURS[k], label=k.replace("_", " ")) for k in kinds]
    handles += [
        Line2D([], [], color="#555555", linestyle="-", label="brings about / goes with"),
        Line2D([], [], color="#555555", linestyle="--", label="reduces (negative link)"),
        Line2D([], [], color="#555555", linestyle=":", label="defines / rebuts"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=5,
        frameon=False,
        fontsize=7.5,
    )
    ax.set_title(
        title if title is not None else G.graph.get("focus_question", ""), fontsize=11, pad=28
    )
    return ax


def draw_pathways(G, routes, ax=None, *, title: str | None = None):
    """Draw several routes through the map, one row each, with their linking phrases.

    Each row is one route, read left to right: the concepts as boxes
    coloured by kind, and between them the arrow with its linking phrase
    (the first causal proposition between the two, by relation id).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The concept map.
    routes : sequence of (str, str or list of str)
        ``(row label, nodes)`` pairs; ``nodes`` as concept ids, or one
        string joined by " → " (as in :func:`explainer.graph.pathways`).
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from explainer.graph import pathway_steps

    routes = [
        (label, nodes.split(" → ") if isinstance(nodes, str) else list(nodes))
        for label, nodes in routes
    ]
    longest = max(len(nodes) for _, nodes in routes)
    ax = new_axes(ax, (11, 0.95 * len(routes) + 0.8))
    step = 2.0
    for row, (label, nodes) in enumerate(routes):
        ax.text(-1.2, row, label, ha="right", va="center", fontsize=8.5, fontweight="bold")
        steps = pathway_steps(G, nodes)
        for i, node in enumerate(nodes):
            data = G.nodes[node]
            ax.text(
                i * step,
                row,
                "\n".join(textwrap.wrap(data["label"], 16)),
                ha="center",
                va="center",
                fontsize=7.5,
                bbox={
                    "boxstyle": "round,pad=0.3",
                    "facecolor": CONCEPT_COLOURS[data["kind"]],
                    "edgecolor": "none",
                },
            )
        for i, s in enumerate(steps.itertuples(index=False)):
            style = (
                "--"
                if G.edges[s.source, s.target, _first_key(G, s.source, s.target)]["polarity"]
                == "negative"
                else "-"
            )
            ax.annotate(
                "",
                xy=(i * step + step - 0.62, row),
                xytext=(i * step + 0.62, row),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#333333",
                    "linestyle": style,
                    "linewidth": 1.2,
                },
            )
            ax.text(
                i * step + step / 2,
                row - 0.22,
                "\n".join(textwrap.wrap(s.link, 20)),
                ha="center",
                va="bottom",
                fontsize=6.5,
                style="italic",
            )
    ax.set_xlim(-1.3, (longest - 1) * step + 0.8)
    ax.set_ylim(len(routes) - 0.5, -0.8)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11)
    return ax


def _first_key(G, u, v) -> str:
    """Return the key of the first causal proposition from ``u`` to ``v``."""
    keys = sorted(
        k for k, d in G.get_edge_data(u, v).items() if d["link_type"] in {"causal", "correlational"}
    )
    return keys[0]
