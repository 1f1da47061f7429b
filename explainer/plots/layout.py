"""The concept map's layered layout and edge routes, in inches, without drawing anything.

A Sugiyama-style layout written for this map: each concept kind has a
column; an edge that skips columns gets a waypoint in every column it
crosses, so that it runs through the gaps between boxes, never through a
box; concepts and waypoints are ordered by the barycentre of their
neighbours; every edge leaves and enters a box at its own port, spread
along the box's side, so arrowheads do not pile up. The static figure
(:mod:`explainer.plots.concept_map`) and the interactive map
(:mod:`explainer.explore`) both draw from it, so they show the same picture.
Nothing here imports matplotlib.
"""

from __future__ import annotations

import itertools
import textwrap
from dataclasses import dataclass, field

from explainer._docs import fill_doc

__all__ = ["LAYER", "LAYER_TITLES", "Box", "MapLayout", "Route", "layered_layout"]

#: The column of each concept kind: practices and challenges feed the
#: activities, which release hormones and engage the brain, which change
#: states, which build the relationship's outcomes.
LAYER = {
    "practice": 0,
    "challenge": 0,
    "activity": 1,
    "hormone": 2,
    "brain_system": 2,
    "state": 3,
    "outcome": 4,
}
#: The heading of each column.
LAYER_TITLES = [
    "practices and\nchallenges",
    "activities",
    "hormones and\nthe brain",
    "states and\nfeelings",
    "the relationship",
]

# Sizes in inches, for labels at FONT_SIZE points.
FONT_SIZE = 8.0
_LINE = FONT_SIZE * 1.3 / 72
_WRAP = 18
_BOX_WIDTH = 1.38
_COLUMN_STEP = 2.3
_PAD = 0.07
_GAP = 0.1  # between two slots of a column
_WAYPOINT = 0.07  # the height a waypoint takes in its column
_SWEEPS = 8


@dataclass(frozen=True)
class Box:
    """One concept's box: centre ``(x, y)``, width ``w`` and height ``h``, y down."""

    node: str
    kind: str
    label: str
    x: float
    y: float
    w: float
    h: float

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)``."""
        return (self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2)


@dataclass(frozen=True)
class Route:
    """One drawn edge: every proposition from ``source`` to ``target``, merged.

    ``points`` is the polyline from the source box's port to the target
    box's port; ``relations`` the relation ids it carries, in order;
    ``edges`` their attribute dicts, as in the graph.
    """

    source: str
    target: str
    points: tuple[tuple[float, float], ...]
    relations: tuple[str, ...]
    edges: tuple[dict, ...] = field(repr=False, compare=False)

    @property
    def first(self) -> dict:
        """The first proposition (by relation id): it sets the line's style."""
        return self.edges[0]


@dataclass(frozen=True)
class MapLayout:
    """Boxes, routes and column headings of the map, in inches (y runs down)."""

    boxes: dict[str, Box]
    routes: tuple[Route, ...]
    columns: tuple[tuple[float, str], ...]
    width: float
    height: float


def _wrap(text: str, width: int = _WRAP) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


@fill_doc
def layered_layout(G) -> MapLayout:
    """Lay the concept map out in columns and route every edge between the boxes.

    Deterministic: the same graph gives the same layout on every run (ties
    are broken by id, nothing is random).

    %(concept_map_returns)s
    MapLayout

    %(concept_graph_example)s
    >>> layout = layered_layout(concept_graph())
    >>> layout == layered_layout(concept_graph())
    True
    >>> box = layout.boxes["sex"]
    >>> box.kind, box.x > 0
    ('activity', True)
    """
    layer = {n: LAYER[G.nodes[n]["kind"]] for n in G.nodes}
    pairs: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        pairs.setdefault((u, v), []).append((str(key), data))
    for found in pairs.values():
        found.sort(key=lambda item: item[0])

    # The slots of each column: concepts, and one waypoint per crossing edge.
    columns: dict[int, list[str]] = {c: [] for c in range(len(LAYER_TITLES))}
    for node in sorted(G.nodes):
        columns[layer[node]].append(node)
    columns[0].sort(key=lambda n: (G.nodes[n]["kind"] == "challenge", n))
    chains: dict[tuple[str, str], list[str]] = {}
    links: list[tuple[str, str]] = []  # between adjacent columns, for the ordering
    for u, v in sorted(pairs):
        lu, lv = layer[u], layer[v]
        step = 1 if lv > lu else -1
        chain = [u]
        for col in range(lu + step, lv, step) if abs(lv - lu) > 1 else []:
            waypoint = f"\x00{u}>{v}@{col}"
            columns[col].append(waypoint)
            chain.append(waypoint)
        chain.append(v)
        chains[(u, v)] = chain
        if lu != lv:
            links.extend(itertools.pairwise(chain))
    neighbours: dict[str, list[str]] = {}
    for a, b in links:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    rank = {s: float(i) for slots in columns.values() for i, s in enumerate(slots)}

    def group(slot: str) -> bool:
        return not slot.startswith("\x00") and G.nodes[slot]["kind"] == "challenge"

    for sweep in range(_SWEEPS):
        order = sorted(columns) if sweep % 2 == 0 else sorted(columns, reverse=True)
        for col in order:

            def key(slot: str) -> tuple:
                others = [rank[m] for m in neighbours.get(slot, [])]
                centre = sum(others) / len(others) if others else rank[slot]
                return (group(slot), centre, slot)

            columns[col].sort(key=key)
            size = len(columns[col])
            for i, slot in enumerate(columns[col]):
                # Spread ranks over a common scale, so that columns of
                # different lengths compare.
                rank[slot] = i * 40.0 / max(size - 1, 1)

    # Heights, then y positions: each column stacked and centred.
    labels = {n: _wrap(G.nodes[n]["label"]) for n in G.nodes}

    def height(slot: str) -> float:
        if slot.startswith("\x00"):
            return _WAYPOINT
        return labels[slot].count("\n") * _LINE + _LINE + 2 * _PAD

    totals = {
        col: sum(height(s) for s in slots) + _GAP * max(len(slots) - 1, 0)
        for col, slots in columns.items()
    }
    tallest = max(totals.values())
    y: dict[str, float] = {}
    for col, slots in columns.items():
        top = (tallest - totals[col]) / 2
        for slot in slots:
            h = height(slot)
            y[slot] = top + h / 2
            top += h + _GAP
    x_of = {col: _BOX_WIDTH / 2 + col * _COLUMN_STEP for col in columns}
    boxes = {
        n: Box(
            node=n,
            kind=str(G.nodes[n]["kind"]),
            label=labels[n],
            x=x_of[layer[n]],
            y=y[n],
            w=_BOX_WIDTH,
            h=height(n),
        )
        for n in sorted(G.nodes)
    }

    # Ports: which side each end uses, spread along it in the order of the
    # point the edge heads to next, so lines leave and arrive without crossing.
    half = _BOX_WIDTH / 2

    def side(u: str, v: str, end: str) -> int:
        lu, lv = layer[u], layer[v]
        if lu == lv:
            return 1
        forward = lv > lu
        if end == "source":
            return 1 if forward else -1
        return -1 if forward else 1

    ends: dict[tuple[str, int], list[tuple[float, str, tuple[str, str]]]] = {}
    for (u, v), chain in chains.items():
        ends.setdefault((u, side(u, v, "source")), []).append((y[chain[1]], "source", (u, v)))
        ends.setdefault((v, side(u, v, "target")), []).append((y[chain[-2]], "target", (u, v)))
    port: dict[tuple[tuple[str, str], str], tuple[float, float]] = {}
    for (node, s), items in ends.items():
        box = boxes[node]
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        for i, (_, end, pair) in enumerate(items):
            py = box.y - box.h / 2 + box.h * (i + 1) / (len(items) + 1)
            port[(pair, end)] = (box.x + s * half, py)

    routes = []
    loops_at: dict[int, int] = {}
    for (u, v), chain in sorted(chains.items()):
        start, end = port[((u, v), "source")], port[((u, v), "target")]
        points = [start]
        if layer[u] == layer[v]:
            # A side channel right of the column, a little further out for each.
            n = loops_at.get(layer[u], 0)
            loops_at[layer[u]] = n + 1
            out = start[0] + 0.08 + 0.05 * (n % 6)
            points += [(out, start[1]), (out, end[1])]
        else:
            forward = layer[v] > layer[u]
            for waypoint in chain[1:-1]:
                wx = x_of[layer[u] + (chain.index(waypoint)) * (1 if forward else -1)]
                a, b = (wx - half, wx + half) if forward else (wx + half, wx - half)
                points += [(a, y[waypoint]), (b, y[waypoint])]
        points.append(end)
        routes.append(
            Route(
                source=u,
                target=v,
                points=tuple(points),
                relations=tuple(k for k, _ in pairs[(u, v)]),
                edges=tuple(d for _, d in pairs[(u, v)]),
            )
        )
    width = x_of[max(columns)] + half + 0.4
    return MapLayout(
        boxes=boxes,
        routes=tuple(routes),
        columns=tuple((x_of[c], LAYER_TITLES[c]) for c in sorted(columns)),
        width=width,
        height=tallest,
    )
