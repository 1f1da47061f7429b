"""The interactive concept map: Cytoscape.js with the static map's layered layout."""

from __future__ import annotations

import itertools

from markupsafe import Markup

from explainer.explore._page import View, asset, page, render, vendor

__all__ = ["concept_map", "map_body", "map_data"]

#: A link's line in the interactive map, by how the article makes it (as in the figures).
BASIS_CSS = {"stated": "solid", "implied": "dashed", "inferred": "dotted"}
#: The mark on a link that holds only under a condition (the figures' white diamond).
CONDITION_LABEL = "holds only under a condition"

_INFLUENCE = ("causal", "correlational")
_PX = 72.0  # pixels per inch of the layout


def _segments(points) -> tuple[list[float], list[float]]:
    """Turn a route's inner points into Cytoscape's segment weights and distances."""
    (sx, sy), (tx, ty) = points[0], points[-1]
    dx, dy = tx - sx, ty - sy
    norm2 = dx * dx + dy * dy or 1.0
    weights, distances = [], []
    for px, py in points[1:-1]:
        weights.append(round(((px - sx) * dx + (py - sy) * dy) / norm2, 4))
        distances.append(round((dx * (py - sy) - dy * (px - sx)) / norm2**0.5 * _PX, 2))
    return weights, distances


def _influence(G, origin: str, goal: str):
    """Return the map's causal links as a plain digraph, read from ``origin`` to ``goal``.

    Feedback edges into ``origin`` and out of ``goal`` are left out, so the
    routes read from the start of the argument to its end. Built once per
    map: :func:`_through` asks it once per concept.
    """
    import networkx as nx

    H = nx.DiGraph()
    H.add_nodes_from(G.nodes)
    H.add_edges_from(
        (u, v)
        for u, v, d in G.edges(data=True)
        if d["link_type"] in _INFLUENCE and v != origin and u != goal
    )
    return H


def _through(H, node: str, to_goal: set) -> list[tuple[str, str]]:
    """Return the edges of ``H`` on some route origin → … → node → … → goal.

    ``H`` is :func:`_influence`'s graph and ``to_goal`` the nodes from which
    the goal can be reached (the goal included).
    """
    import networkx as nx

    up = nx.ancestors(H, node) | {node}
    down = nx.descendants(H, node) | {node}
    edges = [(u, v) for u, v in H.edges if (u in up and v in up and u != node)]
    edges += [(u, v) for u, v in H.edges if u in down and v in down & to_goal and v != node]
    return sorted(set(edges))


def _legend(G, kinds) -> dict:
    """Return the map's legend from the style table the static figures draw from.

    Concept colours come from :data:`explainer.plots.CONCEPT_COLOURS`, link
    colours and lines from :func:`explainer.plots._routes.style_handles`,
    the same handles the figures' legends show.
    """
    from explainer.plots._routes import BASIS_LINES, style_handles
    from explainer.plots.concept_map import CONCEPT_COLOURS

    edges = [d for _, _, d in G.edges(data=True)]
    handles = style_handles(edges=edges)
    # style_handles lists the colours, then the lines of the bases that occur, in BASIS_LINES order.
    bases = [b for b in BASIS_LINES if b == "stated" or any(_basis(d) == b for d in edges)]
    colours, lines = handles[: len(handles) - len(bases)], handles[len(handles) - len(bases) :]
    return {
        "concepts": [
            {"label": kind.replace("_", " "), "colour": colour}
            for kind, colour in CONCEPT_COLOURS.items()
            if kind in kinds
        ],
        "links": [{"label": h.get_label(), "colour": str(h.get_color())} for h in colours],
        "lines": [
            {"label": h.get_label(), "line": BASIS_CSS[b], "basis": b}
            for b, h in zip(bases, lines, strict=True)
        ],
        "condition": CONDITION_LABEL if any(_text(d.get("condition")) for d in edges) else "",
    }


def _text(value) -> str:
    from explainer.plots._routes import text_of

    return text_of(value)


def _basis(data) -> str:
    basis = _text(data.get("basis")) or "stated"
    return basis if basis in BASIS_CSS else "stated"


def _words(ids, labels) -> str:
    return " \u2192 ".join(labels.get(i, i) for i in ids)


def map_data(G=None, *, data_dir=None) -> dict:
    """Return the interactive map's data: nodes, edges, routes and legend, positions in pixels.

    Parameters
    ----------
    G : networkx.MultiDiGraph, optional
        The concept map; by default :func:`explainer.concept_graph`.
    data_dir : str or path-like, optional
        Where the ``loops`` table (the titles of the loops) is read.

    Returns
    -------
    dict
        ``nodes`` (id, label, kind, colour, x, y, w, h, ``through``: the
        ids of the edges on routes through it, ``links``: the ids of all
        its edges), ``edges`` (id, source, target, colour, line, basis,
        ``condition`` (true when a proposition holds only under one),
        points, and ``propositions``: link, phrase, quote, section, claim,
        basis, basis note, condition), ``routes`` (id, label in words,
        group: ``mechanism``, ``loop`` for the loop the article states,
        ``cycle`` for a cycle that needs a link it does not state; edge ids)
        and ``legend`` (concept colours, link colours, lines, condition mark).

    Examples
    --------
    >>> data = map_data()
    >>> sorted(data)
    ['edges', 'legend', 'nodes', 'routes']
    >>> any(e["source"] == "sex" and e["target"] == "oxytocin" for e in data["edges"])
    True
    """
    from explainer.graph import GOAL, ORIGIN, concept_graph, feedback_loops, main_pathways
    from explainer.plots._routes import edge_style
    from explainer.plots.concept_map import CONCEPT_COLOURS
    from explainer.plots.layout import layered_layout

    G = concept_graph(data_dir=data_dir) if G is None else G
    layout = layered_layout(G)
    edge_id = {(r.source, r.target): f"{r.source}->{r.target}" for r in layout.routes}
    labels = {node: box.label.replace("\n", " ") for node, box in layout.boxes.items()}
    import networkx as nx

    influence = _influence(G, ORIGIN, GOAL)
    to_goal = nx.ancestors(influence, GOAL) | {GOAL}
    nodes = []
    for node, box in sorted(layout.boxes.items()):
        nodes.append(
            {
                "id": node,
                "label": labels[node],
                "kind": box.kind,
                "description": _text(G.nodes[node].get("description")),
                "colour": CONCEPT_COLOURS[box.kind],
                "x": round(box.x * _PX, 1),
                "y": round(box.y * _PX, 1),
                "w": round(box.w * _PX, 1),
                "h": round(box.h * _PX, 1),
                "through": [edge_id[e] for e in _through(influence, node, to_goal) if e in edge_id],
                "links": sorted(
                    edge_id[(r.source, r.target)]
                    for r in layout.routes
                    if node in (r.source, r.target)
                ),
            }
        )
    edges = []
    for route in layout.routes:
        style = edge_style(route.first)
        same_column = layout.boxes[route.source].x == layout.boxes[route.target].x
        # Cytoscape cannot end a segment edge inside the column's own gap: a curve instead.
        weights, distances = ([], []) if same_column else _segments(route.points)
        basis = _basis(route.first)  # the figures draw an edge in its first proposition's line
        edges.append(
            {
                "id": edge_id[(route.source, route.target)],
                "source": route.source,
                "target": route.target,
                "colour": style["color"],
                "line": BASIS_CSS[basis],
                "basis": basis,
                "condition": any(_text(d.get("condition")) for d in route.edges),
                "side": same_column,
                "weights": weights,
                "distances": distances,
                "propositions": [
                    {
                        "relation": str(d["relation_id"]),
                        "link": str(d["link"]),
                        "phrase": _text(d.get("phrase")) or str(d["link"]),
                        "quote": str(d["quote"]),
                        "section": str(d["section_id"]),
                        "claim": str(d["claim_id"]),
                        "basis": _basis(d),
                        "basis_note": _text(d.get("basis_note")),
                        "condition": _text(d.get("condition")),
                        "type": str(d["link_type"]),
                    }
                    for d in route.edges
                ],
            }
        )
    routes = []
    main = main_pathways(G)
    for row in main.itertuples(index=False):
        steps = row.nodes.split(" \u2192 ")
        routes.append(
            {
                "id": f"mechanism:{row.mechanism}",
                "group": "mechanism",
                "label": f"{str(row.mechanism).replace('_', ' ')}: {_words(steps, labels)}",
                "edges": [edge_id[p] for p in itertools.pairwise(steps) if p in edge_id],
            }
        )
    loops = feedback_loops(G, data_dir=data_dir)
    titles = _loop_titles(data_dir)
    for number, loop in loops.groupby("loop", sort=True):
        named = _text(loop.named.iloc[0])
        stated = _text(loop.named_basis.iloc[0]) == "stated"
        path = [*loop.source, loop.target.iloc[-1]]
        title = titles.get(named, named.replace("_", " "))
        label = f"{title}: " if title else ""
        routes.append(
            {
                "id": f"loop:{number}",
                "group": "loop" if stated else "cycle",
                "label": label + _words(path, labels),
                "edges": [edge_id[p] for p in itertools.pairwise(path) if p in edge_id],
            }
        )
    kinds = {box.kind for box in layout.boxes.values()}
    return {"nodes": nodes, "edges": edges, "routes": routes, "legend": _legend(G, kinds)}


def _loop_titles(data_dir) -> dict[str, str]:
    """Return the loops table's titles by loop id."""
    from explainer.tables import load

    loops = load("loops", data_dir=data_dir)
    return {str(r.loop_id): _text(r.title) for r in loops.itertuples(index=False)}


def concept_map(G=None) -> View:
    """Return the interactive concept map: click, pick a route, zoom and pan.

    Click (or tap) an arrow, or focus it from a list, to see its linking
    phrase, the claim's quote, its section and its basis (stated, implied or
    inferred); click a concept to highlight all its links; pick a mechanism,
    the article's loop or a cycle to show only its route. A legend says
    what the colours, lines and marks mean. The page scrolls over the map:
    zoom with the buttons, or with Ctrl (or Cmd) and the wheel. Works
    offline: the page carries Cytoscape.js (vendored) and the positions of
    the static map.

    Before the cell is run (in a notebook JupyterLab does not trust) the
    output shows the legend and the routes in words, and says to run the
    cell.

    Parameters
    ----------
    G : networkx.MultiDiGraph, optional

    Returns
    -------
    View
        Shown inline by Jupyter; ``.save(path)`` writes a standalone page.

    Examples
    --------
    >>> view = concept_map()
    >>> "cytoscape" in view.html and view.html == concept_map().html
    True
    """
    data = map_data(G)
    return View(
        title="The concept map, to explore",
        html=page(
            "Concept map",
            map_body(data),
            scripts=(vendor("cytoscape"), asset("frame.js"), asset("map.js")),
            data={"EXPLAINER_MAP": data},
        ),
        height=1100,
        fallback=str(render("map_static.html", data=data, groups=_GROUPS)),
    )


# The route list's groups, in order, with their headings.
_GROUPS = (
    ("mechanism", "The article's mechanisms, from sex to emotional intimacy"),
    ("loop", "The loop the article describes"),
    ("cycle", "Cycles that close only through a link the article does not state"),
)


def map_body(data: dict) -> Markup:
    """Return the interactive map's HTML (legend, controls, canvas, text box), without scripts."""
    concepts = sorted(data["nodes"], key=lambda n: n["label"].lower())
    return render("map.html", data=data, concepts=concepts, groups=_GROUPS)
