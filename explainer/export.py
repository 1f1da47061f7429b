"""Exports for other tools: GraphML, node-link JSON, Mermaid, ClaimReview JSON-LD.

Every file is written through a temporary file and a rename: a failed export
leaves any earlier file as it was. Nothing here writes into the data folder.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

from explainer._io import atomic_write_bytes, atomic_write_text
from explainer._paths import resolve_data_dir
from explainer.errors import DataError, Problem

__all__ = ["EXPORTS", "export_all", "graph_json", "graphml", "mermaid"]

#: The files :func:`export_all` writes, in order.
EXPORTS = (
    "concept-map.graphml",
    "concept-map.json",
    "concept-map.mmd",
    "concept-map.png",
    "claims.jsonld",
)

PathLike = str | os.PathLike[str]


def graphml(G) -> str:
    """Return the concept map as GraphML text (for Gephi, Cytoscape, yEd).

    Node attributes ``label``, ``kind`` and ``description`` and every edge
    attribute become GraphML keys; the edge key is the relation id.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The concept map, from :func:`explainer.concept_graph`.

    Returns
    -------
    str

    Examples
    --------
    >>> from explainer import concept_graph
    >>> graphml(concept_graph()).startswith("<?xml")
    True
    """
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(
        G,
        buf,
        encoding="utf-8",
        prettyprint=True,
        named_key_ids=True,
        edge_id_from_attribute="relation_id",
    )
    return buf.getvalue().decode("utf-8")


def graph_json(G) -> str:
    """Return the concept map as networkx node-link JSON.

    Read it back with ``networkx.node_link_graph(json.loads(text), edges="edges")``.

    Parameters
    ----------
    G : networkx.MultiDiGraph

    Returns
    -------
    str
        Indented JSON, keys sorted, ending in a newline.

    Examples
    --------
    >>> import json
    >>> from explainer import concept_graph
    >>> json.loads(graph_json(concept_graph()))["directed"]
    True
    """
    import networkx as nx

    data = nx.node_link_data(G, edges="edges")
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


_MERMAID_STYLE = {
    "practice": "fill:#F0E442,color:#000",
    "challenge": "fill:#999999,color:#000",
    "activity": "fill:#E69F00,color:#000",
    "hormone": "fill:#56B4E9,color:#000",
    "brain_system": "fill:#CC79A7,color:#000",
    "state": "fill:#009E73,color:#fff",
    "outcome": "fill:#D55E00,color:#fff",
}


def _mermaid_text(text: str) -> str:
    # Mermaid labels are quoted; a double quote inside one is written as #quot;
    return re.sub(r"\s+", " ", text).replace('"', "#quot;")


def mermaid(G) -> str:
    """Return the concept map as a Mermaid flowchart (renders on GitHub).

    Causal and correlational links are solid arrows, definitions and
    rebuttals dotted; negative links say so in their label.

    Parameters
    ----------
    G : networkx.MultiDiGraph

    Returns
    -------
    str

    Examples
    --------
    >>> from explainer import concept_graph
    >>> mermaid(concept_graph()).splitlines()[0]
    'flowchart LR'
    """
    lines = ["flowchart LR"]
    for node in sorted(G.nodes):
        lines.append(
            f'    {node}["{_mermaid_text(G.nodes[node]["label"])}"]:::{G.nodes[node]["kind"]}'
        )
    for u, v, d in sorted(G.edges(data=True), key=lambda e: e[2]["relation_id"]):
        arrow = "-->" if d["link_type"] in {"causal", "correlational"} else "-.->"
        lines.append(f'    {u} {arrow}|"{_mermaid_text(d["link"])}"| {v}')
    for kind, style in _MERMAID_STYLE.items():
        lines.append(f"    classDef {kind} {style}")
    return "\n".join(lines) + "\n"


def _png(G) -> bytes:
    import sys

    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        # Headless: never open a window. A process that already uses pyplot
        # (a notebook, say) keeps its backend; savefig draws the PNG anyway.
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from explainer.plots import draw_concept_map

    ax = draw_concept_map(G)
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(ax.figure)
    return buf.getvalue()


def export_all(target: PathLike, *, data_dir: PathLike | None = None) -> list[Path]:
    """Write every export into the folder ``target``; return the paths written.

    Writes ``concept-map.graphml``, ``concept-map.json`` (node-link),
    ``concept-map.mmd`` (Mermaid), ``concept-map.png`` and
    ``claims.jsonld`` (schema.org ClaimReview). Each file is written to a
    temporary file and renamed into place.

    Parameters
    ----------
    target : str or path-like
        The folder; created if missing. It must not be the data folder.
    data_dir : str or path-like, optional

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    DataError
        If ``target`` is the data folder, or the data is broken.
    """
    from explainer.graph import concept_graph

    root = resolve_data_dir(data_dir)
    target = Path(target).resolve()
    if target == root or root in target.parents:
        raise DataError(
            [Problem(str(target), "exports never go into the data folder; choose another folder")]
        )
    G = concept_graph(data_dir=root)
    written = [
        atomic_write_text(target / "concept-map.graphml", graphml(G)),
        atomic_write_text(target / "concept-map.json", graph_json(G)),
        atomic_write_text(target / "concept-map.mmd", mermaid(G)),
        atomic_write_bytes(target / "concept-map.png", _png(G)),
    ]
    from explainer.audit import claim_reviews

    reviews = claim_reviews(data_dir=root)
    text = json.dumps(reviews, indent=2, ensure_ascii=False) + "\n"
    written.append(atomic_write_text(target / "claims.jsonld", text))
    return written
