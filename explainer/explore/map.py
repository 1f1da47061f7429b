"""The interactive concept map: Cytoscape.js with the static map's layered layout."""

from __future__ import annotations

import html
import itertools

from explainer.explore._page import View, asset, page, script_json, vendor

__all__ = ["concept_map", "map_body", "map_data"]

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


def _through(G, node: str, origin: str, goal: str) -> list[tuple[str, str]]:
    """Return the causal edges on some route origin → … → node → … → goal.

    Feedback edges into ``origin`` and out of ``goal`` are left out, so the
    routes read from the start of the argument to its end.
    """
    import networkx as nx

    H = nx.DiGraph()
    H.add_nodes_from(G.nodes)
    H.add_edges_from(
        (u, v)
        for u, v, d in G.edges(data=True)
        if d["link_type"] in _INFLUENCE and v != origin and u != goal
    )
    up = nx.ancestors(H, node) | {node}
    down = nx.descendants(H, node) | {node}
    to_goal = nx.ancestors(H, goal) | {goal}
    edges = [(u, v) for u, v in H.edges if (u in up and v in up and u != node)]
    edges += [(u, v) for u, v in H.edges if u in down and v in down & to_goal and v != node]
    return sorted(set(edges))


def map_data(G=None) -> dict:
    """Return the interactive map's data: nodes, edges and routes, positions in pixels.

    Parameters
    ----------
    G : networkx.MultiDiGraph, optional
        The concept map; by default :func:`explainer.concept_graph`.

    Returns
    -------
    dict
        ``nodes`` (id, label, kind, colour, x, y, w, h, ``through``: the
        ids of the edges on routes through it), ``edges`` (id, source,
        target, colour, line, points, and ``propositions``: link, quote,
        section, claim, basis, basis note, condition) and ``routes`` (id,
        label, group, edge ids).

    Examples
    --------
    >>> data = map_data()
    >>> sorted(data)
    ['edges', 'nodes', 'routes']
    >>> any(e["source"] == "sex" and e["target"] == "oxytocin" for e in data["edges"])
    True
    """
    from explainer.graph import GOAL, ORIGIN, concept_graph, feedback_loops, main_pathways
    from explainer.plots._routes import edge_style, text_of
    from explainer.plots.concept_map import CONCEPT_COLOURS
    from explainer.plots.layout import layered_layout

    G = concept_graph() if G is None else G
    layout = layered_layout(G)
    edge_id = {(r.source, r.target): f"{r.source}->{r.target}" for r in layout.routes}
    nodes = []
    for node, box in sorted(layout.boxes.items()):
        nodes.append(
            {
                "id": node,
                "label": box.label.replace("\n", " "),
                "kind": box.kind,
                "description": str(G.nodes[node].get("description", "")),
                "colour": CONCEPT_COLOURS[box.kind],
                "x": round(box.x * _PX, 1),
                "y": round(box.y * _PX, 1),
                "w": round(box.w * _PX, 1),
                "h": round(box.h * _PX, 1),
                "through": [edge_id[e] for e in _through(G, node, ORIGIN, GOAL) if e in edge_id],
            }
        )
    edges = []
    for route in layout.routes:
        style = edge_style(route.first)
        same_column = layout.boxes[route.source].x == layout.boxes[route.target].x
        # Cytoscape cannot end a segment edge inside the column's own gap: a curve instead.
        weights, distances = ([], []) if same_column else _segments(route.points)
        basis = sorted({text_of(d.get("basis")) or "stated" for d in route.edges})
        edges.append(
            {
                "id": edge_id[(route.source, route.target)],
                "source": route.source,
                "target": route.target,
                "colour": style["color"],
                "line": "solid" if basis == ["stated"] else "dashed",
                "side": same_column,
                "weights": weights,
                "distances": distances,
                "propositions": [
                    {
                        "relation": str(d["relation_id"]),
                        "link": str(d["link"]),
                        "quote": str(d["quote"]),
                        "section": str(d["section_id"]),
                        "claim": str(d["claim_id"]),
                        "basis": text_of(d.get("basis")) or "stated",
                        "basis_note": text_of(d.get("basis_note")),
                        "condition": text_of(d.get("condition")),
                        "type": str(d["link_type"]),
                    }
                    for d in route.edges
                ],
            }
        )
    routes = []
    main = main_pathways(G)
    for row in main.itertuples(index=False):
        steps = row.nodes.split(" → ")
        routes.append(
            {
                "id": f"mechanism:{row.mechanism}",
                "group": "mechanism",
                "label": f"{row.mechanism.replace('_', ' ')}: {' → '.join(steps)}",
                "edges": [edge_id[p] for p in itertools.pairwise(steps) if p in edge_id],
            }
        )
    loops = feedback_loops(G)
    for number, loop in loops.groupby("loop", sort=True):
        named = str(loop.named.iloc[0])
        path = [*loop.source, loop.target.iloc[-1]]
        routes.append(
            {
                "id": f"loop:{number}",
                "group": "loop",
                "label": f"loop {number}{' (' + named.replace('_', ' ') + ')' if named else ''}: "
                + " → ".join(path),
                "edges": [edge_id[p] for p in itertools.pairwise(path) if p in edge_id],
            }
        )
    return {"nodes": nodes, "edges": edges, "routes": routes}


def concept_map(G=None) -> View:
    """Return the interactive concept map: hover, click, pick a route, zoom and pan.

    Hover an edge (or focus it from the list) to see its linking phrase,
    the claim's quote, its section and its basis (stated, implied or
    inferred); click a concept to highlight every route through it; pick
    a mechanism or a loop to show only its route. Works offline: the page
    carries Cytoscape.js (vendored) and the positions of the static map.

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
    body = map_body(data)
    scripts = (
        vendor("cytoscape"),
        f"window.EXPLAINER_MAP = {script_json(data)};",
        asset("map.js"),
    )
    return View(
        title="The concept map, to explore",
        html=page("Concept map", body, scripts=scripts),
        height=760,
    )


def map_body(data: dict) -> str:
    """Return the interactive map's HTML (controls, canvas, tooltip), without scripts."""
    options = "\n".join(
        f'<option value="{html.escape(r["id"])}">{html.escape(r["label"])}</option>'
        for r in data["routes"]
    )
    concepts = "\n".join(
        f'<option value="{html.escape(n["id"])}">{html.escape(n["label"])}</option>'
        for n in sorted(data["nodes"], key=lambda n: n["label"].lower())
    )
    return f"""<main class="explore-map">
<h1 class="explore-title">The concept map, to explore</h1>
<p class="explore-help">Hover an arrow for its words in the article; click a concept (or pick it
below) to highlight every route through it; pick a mechanism or a loop to see only its route.
Scroll to zoom, drag to pan.</p>
<div class="explore-controls">
<label for="route-picker">Show a route</label>
<select id="route-picker"><option value="">the whole map</option>
{options}
</select>
<label for="concept-picker">Routes through</label>
<select id="concept-picker"><option value="">no concept</option>
{concepts}
</select>
<button type="button" id="map-fit">Fit to view</button>
<button type="button" id="map-clear">Clear highlight</button>
</div>
<div id="cy" role="img"
 aria-label="The concept map: concepts as boxes, propositions as arrows"></div>
<div id="map-tip" role="status" aria-live="polite"></div>
</main>"""
