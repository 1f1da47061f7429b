"""The concept map as a graph, and what can be read off it.

Everything here is computed from the ``concepts`` and ``relations`` tables;
drawing lives in :mod:`explainer.plots`.
"""

from __future__ import annotations

import itertools
import os
from typing import TYPE_CHECKING

import pandas as pd

from explainer._cache import derived
from explainer._docs import fill_doc
from explainer.provenance import phrase
from explainer.tables import load

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "FOCUS_QUESTION",
    "GOAL",
    "INFLUENCE",
    "ORIGIN",
    "carriers",
    "concept_graph",
    "direct_links",
    "feedback_loops",
    "loop_counts",
    "main_pathways",
    "map_problems",
    "pathway_steps",
    "pathways",
    "possibilities",
    "unsupported",
]

#: The question the concept map answers (Novak's "focus question").
FOCUS_QUESTION = "How does sex build emotional intimacy, according to the article?"
#: Where the article's argument starts and where it ends.
ORIGIN, GOAL = "sex", "emotional_intimacy"

PathLike = str | os.PathLike[str]

#: The link types that carry influence from one concept to the next: routes
#: and loops follow only these. A precondition (``necessary_for``), a
#: definition, a part or a rebuttal is not a route by which one thing brings
#: about another.
INFLUENCE = frozenset({"causal", "correlational", "entails"})

#: The bases from the article's own words to our reading; a route is only as
#: strong as its weakest step.
_BASES = ("stated", "implied", "inferred")


def _weakest(bases) -> str:
    return max(bases, key=_BASES.index, default="stated")


def _best_edge(G: nx.MultiDiGraph, u: str, v: str, bases=_BASES) -> dict | None:
    """Return the influence edge from u to v with the strongest basis (then lowest id)."""
    edges = [
        d
        for d in (G.get_edge_data(u, v) or {}).values()
        if d["link_type"] in INFLUENCE and d.get("basis", "stated") in bases
    ]
    if not edges:
        return None
    return min(edges, key=lambda d: (_BASES.index(d.get("basis", "stated")), d["relation_id"]))


@derived()
@fill_doc
def concept_graph(*, data_dir: PathLike | None = None) -> nx.MultiDiGraph:
    """Return the article's concept map as a directed multigraph.

    Nodes are the rows of ``concepts``; edges are the propositions of
    ``relations`` (concept, linking phrase, concept), keyed by relation id.
    Two concepts may be joined by more than one proposition, hence a
    multigraph.

    Node attributes
        ``label`` (str): the concept as a reader would name it;
        ``kind`` (str): practice, challenge, activity, hormone,
        brain_system, state or outcome;
        ``description`` (str): one sentence on what the article means by it.

    Edge attributes
        ``relation_id`` (str, also the edge key); ``link`` (str): the linking
        phrase; ``claim_id`` (str): the claim that asserts it; ``quote``
        (str): that claim's verbatim words; ``section_id`` (str): where the
        claim stands; ``polarity`` (str): positive or negative;
        ``link_type`` (str): causal, correlational, definitional, part_of or
        rebuts; ``basis`` (str): ``stated`` (the quote says it, in the
        article's words or a plain paraphrase), ``implied`` (the quote
        presupposes it) or ``inferred`` (the project's reading, not the
        article's); ``basis_note`` (str): for an implied edge how the quote
        presupposes it, for an inferred edge why we read it so (empty for
        most stated edges); ``condition`` (str): the condition the article
        attaches to the link, such as "when approached with care and mutual
        desire" (empty where it attaches none); ``modality`` (str): the
        article's force for the link, from the cited clause: ``asserted``,
        ``can``, ``may``, ``might``, ``could``, ``often``, ``likely`` or
        ``some`` (see :data:`explainer.provenance.MODALITIES`); ``phrase``
        (str): the linking phrase as a reader should see it, the link with
        its modality, composed by :func:`explainer.provenance.phrase`
        ("is a source of" with ``can``: "can be a source of"): the figures
        show this, never ``link`` alone, and the interactive map should
        (the GraphML and JSON exports carry both attributes);
        ``subject`` (str): the words of the cited clause's subject, and
        ``subject_role`` (str): ``source``, ``agent`` or ``other`` (the
        source is not who the clause is about, so the edge is not stated).
        A ``possible_without`` edge (``link_type``) says the source can
        exist without the target (FAQ 2: emotional intimacy without sex):
        it is not a route.

    Graph attributes
        ``focus_question`` (str): the question the map answers;
        ``origin`` and ``goal`` (str): the concept ids ``sex`` and
        ``emotional_intimacy``; ``source`` (str): the article's title.

    Caveats of the source: the map records what the article asserts, not
    what is known. Most links are asserted without evidence (see the audit).

    %(data_dir_returns)s
    networkx.MultiDiGraph

    Examples
    --------
    >>> G = concept_graph()
    >>> G.nodes["oxytocin"]["kind"]
    'hormone'
    >>> G.graph["focus_question"]
    'How does sex build emotional intimacy, according to the article?'
    >>> G.edges["sex", "dopamine", "r019"]["basis"]
    'stated'
    >>> G.edges["sex", "oxytocin", "r028"]["basis"]
    'implied'
    >>> G.edges["sex", "emotional_intimacy", "r061"]["condition"]
    'when approached with care and mutual desire'
    >>> e = G.edges["sex", "comfort", "r046"]
    >>> e["link"], e["modality"], e["phrase"]
    ('is a source of', 'can', 'can be a source of')
    """
    import networkx as nx

    concepts = load("concepts", data_dir=data_dir)
    relations = load("relations", data_dir=data_dir)
    claims = load("claims", data_dir=data_dir).set_index("claim_id")
    sections = load("sections", data_dir=data_dir)
    G = nx.MultiDiGraph(
        focus_question=FOCUS_QUESTION,
        origin=ORIGIN,
        goal=GOAL,
        source=str(sections.loc[sections.section_id == "title", "title"].iloc[0]),
    )
    for row in concepts.itertuples(index=False):
        G.add_node(row.concept_id, label=row.label, kind=str(row.kind), description=row.description)
    for row in relations.itertuples(index=False):
        claim = claims.loc[row.claim_id]
        G.add_edge(
            row.source,
            row.target,
            key=row.relation_id,
            relation_id=row.relation_id,
            link=row.link,
            claim_id=row.claim_id,
            quote=claim["quote"],
            section_id=claim["section_id"],
            polarity=str(row.polarity),
            link_type=str(row.link_type),
            basis=str(row.basis),
            basis_note="" if pd.isna(row.basis_note) else str(row.basis_note),
            condition="" if pd.isna(row.condition) else str(row.condition),
            modality=str(row.modality),
            phrase=phrase(row.link, str(row.modality)),
            subject=str(row.subject),
            subject_role=str(row.subject_role),
        )
    return G


def _causal(G: nx.MultiDiGraph, bases=_BASES) -> nx.DiGraph:
    """Return the propositions that carry influence, keeping only the given bases."""
    import networkx as nx

    H = nx.DiGraph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, data in G.edges(data=True):
        if data["link_type"] in INFLUENCE and data.get("basis", "stated") in bases:
            H.add_edge(u, v)
    return H


@fill_doc
def pathways(
    G: nx.MultiDiGraph | None = None,
    *,
    source: str = ORIGIN,
    target: str = GOAL,
    bases: tuple[str, ...] = _BASES,
    data_dir: PathLike | None = None,
) -> pd.DataFrame:
    """Return every simple causal pathway from ``source`` to ``target``.

    Only the link types of :data:`INFLUENCE` count (causal, correlational,
    entails): a precondition, a definition or a rebuttal is not a route by
    which one thing brings about another.

    Parameters
    ----------
    G : networkx.MultiDiGraph, optional
        The concept map; built with :func:`concept_graph` if ``None``.
    source, target : str
        Concept ids; by default from ``sex`` to ``emotional_intimacy``.
    bases : tuple of str
        The bases of the propositions to follow; by default all three. Pass
        ``("stated",)`` for the routes the article's own words give.
    %(data_dir_last_returns)s
    pandas.DataFrame
        One row per pathway: ``pathway`` (a number from 1), ``via`` (the
        first concept after the source), ``mechanisms`` (the ids of the
        mechanisms whose concept the pathway passes, joined by "; "; empty
        for a direct link), ``length`` (edges), ``nodes`` (the concept ids
        joined by " → "), ``claims`` (the claim ids of its edges) and
        ``basis`` (the weakest basis among its steps: a route is only as
        much the article's as its weakest step), sorted by ``via``,
        ``length`` and ``nodes``.

    Examples
    --------
    >>> paths = pathways()
    >>> bool((paths.nodes.str.startswith("sex → ")).all())
    True
    >>> len(pathways(bases=("stated",))) < len(paths)
    True
    """
    import networkx as nx

    G = concept_graph(data_dir=data_dir) if G is None else G
    H = _causal(G, bases)
    mechanisms = load("mechanisms", data_dir=data_dir)
    by_concept: dict[str, list[str]] = {}
    for m in mechanisms.itertuples(index=False):
        by_concept.setdefault(m.concept_id, []).append(m.mechanism_id)
    rows = []
    for nodes in nx.all_simple_paths(H, source, target):
        steps = [_best_edge(G, u, v, bases) for u, v in itertools.pairwise(nodes)]
        through = [m for n in nodes[1:-1] for m in by_concept.get(n, [])]
        rows.append(
            {
                "via": nodes[1],
                "mechanisms": "; ".join(dict.fromkeys(through)),
                "length": len(nodes) - 1,
                "nodes": " → ".join(nodes),
                "claims": " ".join(d["claim_id"] for d in steps),
                "basis": _weakest(d["basis"] for d in steps),
            }
        )
    frame = pd.DataFrame(rows, columns=["via", "mechanisms", "length", "nodes", "claims", "basis"])
    frame = frame.sort_values(["via", "length", "nodes"], kind="stable").reset_index(drop=True)
    frame.insert(0, "pathway", range(1, len(frame) + 1))
    return frame


@fill_doc
def main_pathways(
    G: nx.MultiDiGraph | None = None, *, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """Return the shortest pathway through each mechanism, one row per mechanism.

    %(graph_data_dir_returns)s
    pandas.DataFrame
        The rows of :func:`pathways` (with a ``mechanism`` column naming
        the mechanism and its ``family``), one per mechanism that has a
        causal pathway, in the order of the ``mechanisms`` table, and
        ``same_route_as``: the other mechanisms with the same route, joined
        by "; " (4A and 4C share the concept ``conflict_resolution``, so
        their routes are one).

    Examples
    --------
    >>> main = main_pathways().set_index("mechanism")
    >>> main.loc["oxytocin", "nodes"]
    'sex → oxytocin → emotional_intimacy'
    >>> main.loc["conflict_resolution", "same_route_as"]
    'relationship_satisfaction'
    """
    paths = pathways(G, data_dir=data_dir)
    mechanisms = load("mechanisms", data_dir=data_dir)
    rows = []
    for m in mechanisms.itertuples(index=False):
        mine = paths[paths.mechanisms.str.split("; ").apply(lambda ms, m=m: m.mechanism_id in ms)]
        if len(mine):
            best = mine.sort_values(["length", "nodes"], kind="stable").iloc[0]
            rows.append({"mechanism": m.mechanism_id, "family": str(m.family), **best.to_dict()})
    frame = pd.DataFrame(rows, columns=["mechanism", "family", *paths.columns])
    frame["same_route_as"] = [
        "; ".join(frame.mechanism[(frame.nodes == nodes) & (frame.mechanism != m)])
        for m, nodes in zip(frame.mechanism, frame.nodes, strict=True)
    ]
    return frame


def pathway_steps(G: nx.MultiDiGraph, nodes: str | list[str]) -> pd.DataFrame:
    """Return the steps of a pathway or loop with the article's words for each.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The concept map.
    nodes : str or list of str
        Concept ids in order, or one string joined by " → ".

    Returns
    -------
    pandas.DataFrame
        ``step``, ``source``, ``link``, ``target``, ``claim_id``, ``quote``,
        ``basis``, ``condition``, ``modality``, ``phrase`` (the link with
        its modality, as a reader sees it): for each step the influence
        proposition with the strongest basis (then the lowest relation id).

    Raises
    ------
    KeyError
        If two consecutive concepts have no causal proposition between them.

    Examples
    --------
    >>> steps = pathway_steps(concept_graph(), "sex → oxytocin → emotional_intimacy")
    >>> steps.link.tolist()
    ['releases', 'enhances']
    """
    ids = [n.strip() for n in nodes.split("→")] if isinstance(nodes, str) else list(nodes)
    rows = []
    for step, (u, v) in enumerate(itertools.pairwise(ids), start=1):
        d = _best_edge(G, u, v)
        if d is None:
            raise KeyError(f"no causal proposition from {u!r} to {v!r}")
        rows.append(
            {
                "step": step,
                "source": u,
                "link": d["link"],
                "target": v,
                "claim_id": d["claim_id"],
                "quote": d["quote"],
                "basis": d["basis"],
                "condition": d["condition"],
                "modality": d["modality"],
                "phrase": d["phrase"],
            }
        )
    columns = ["step", "source", "link", "target", "claim_id", "quote", "basis", "condition"]
    columns += ["modality", "phrase"]
    return pd.DataFrame(rows, columns=columns)


@fill_doc
def direct_links(
    G: nx.MultiDiGraph | None = None,
    *,
    source: str = ORIGIN,
    target: str = GOAL,
    data_dir: PathLike | None = None,
) -> pd.DataFrame:
    """Return the propositions that link ``source`` straight to ``target``.

    These are the places where the article asserts that sex builds emotional
    intimacy without naming any mechanism in between.

    Parameters
    ----------
    G : networkx.MultiDiGraph, optional
    source, target : str
    %(data_dir_last_returns)s
    pandas.DataFrame
        ``relation_id``, ``link``, ``link_type``, ``claim_id``,
        ``section_id``, ``quote``, sorted by relation id.

    Examples
    --------
    >>> len(direct_links()) > 0
    True
    """
    G = concept_graph(data_dir=data_dir) if G is None else G
    cols = ["relation_id", "link", "link_type", "claim_id", "section_id", "quote"]
    rows = [{c: d[c] for c in cols} for d in (G.get_edge_data(source, target) or {}).values()]
    return pd.DataFrame(rows, columns=cols).sort_values("relation_id").reset_index(drop=True)


@fill_doc
def possibilities(
    G: nx.MultiDiGraph | None = None, *, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """Return what the article says can exist or happen without something else.

    These edges (link type ``possible_without``) are not routes: they stand
    beside the routes from sex to emotional intimacy, as the article's own
    counterweight (FAQ 2: "emotional intimacy can exist independently").

    %(graph_data_dir_returns)s
    pandas.DataFrame
        ``relation_id``, ``source``, ``phrase``, ``target``, ``modality``,
        ``basis``, ``claim_id``, ``section_id``, ``quote``, sorted by id.

    Examples
    --------
    >>> possibilities()[["source", "phrase", "target"]].values.tolist()
    [['emotional_intimacy', 'can exist without', 'sex']]
    """
    G = concept_graph(data_dir=data_dir) if G is None else G
    cols = ["relation_id", "source", "phrase", "target", "modality", "basis", "claim_id"]
    cols += ["section_id", "quote"]
    rows = [
        {**d, "source": u, "target": v}
        for u, v, d in G.edges(data=True)
        if d["link_type"] == "possible_without"
    ]
    frame = pd.DataFrame(rows, columns=cols)
    return frame[cols].sort_values("relation_id").reset_index(drop=True)


@fill_doc
def feedback_loops(
    G: nx.MultiDiGraph | None = None,
    *,
    bases: tuple[str, ...] = _BASES,
    data_dir: PathLike | None = None,
) -> pd.DataFrame:
    """Return the feedback loops: the directed cycles of influence propositions.

    These are the cycles the map holds, which is not the same as the loops
    the article describes: the article calls one chain a feedback loop (2D,
    stress relief); most cycles exist only through a step we inferred (see
    ``loop_basis``). Each cycle is rotated to start at its alphabetically
    first concept, so the output is the same on every run.

    Parameters
    ----------
    G : networkx.MultiDiGraph, optional
    bases : tuple of str
        The bases of the propositions to follow; by default all three.
    %(data_dir_last_returns)s
    pandas.DataFrame
        One row per loop and edge: ``loop`` (a number from 1, shortest loops
        first), ``named`` (the ``loop_id`` of the ``loops`` table when that
        table records this loop, else empty), ``named_basis`` (that loop's
        basis in the ``loops`` table: ``stated`` when the article itself
        describes the loop), ``loop_basis`` (the weakest basis among the
        loop's steps), ``step``, ``source``, ``link``, ``target``,
        ``claim_id``, ``quote``, ``basis`` (the step's).

    Examples
    --------
    >>> loops = feedback_loops()
    >>> sorted(set(loops.named) - {""})
    ['happier_partners', 'stress_relief']
    >>> loops[loops.named_basis == "stated"].named.unique().tolist()
    ['stress_relief']
    """
    import networkx as nx

    G = concept_graph(data_dir=data_dir) if G is None else G
    H = _causal(G, bases)
    cycles = sorted((_rotate(c) for c in nx.simple_cycles(H)), key=lambda c: (len(c), c))
    loops = load("loops", data_dir=data_dir)
    named = {
        tuple(_rotate([n.strip() for n in p.split("→")][:-1])): (i, str(b))
        for i, p, b in zip(loops.loop_id, loops.path, loops.basis, strict=True)
    }
    columns = [
        "loop", "named", "named_basis", "loop_basis", "step",
        "source", "link", "target", "claim_id", "quote", "basis",
    ]  # fmt: skip
    rows = []
    for n, cycle in enumerate(cycles, start=1):
        steps = [
            _best_edge(G, u, v, bases) for u, v in zip(cycle, cycle[1:] + cycle[:1], strict=True)
        ]
        loop_id, loop_basis_named = named.get(tuple(cycle), ("", ""))
        weakest = _weakest(d["basis"] for d in steps)
        for step, d in enumerate(steps, start=1):
            rows.append(
                {
                    "loop": n,
                    "named": loop_id,
                    "named_basis": loop_basis_named,
                    "loop_basis": weakest,
                    "step": step,
                    "source": cycle[step - 1],
                    "link": d["link"],
                    "target": cycle[step % len(cycle)],
                    "claim_id": d["claim_id"],
                    "quote": d["quote"],
                    "basis": d["basis"],
                }
            )
    return pd.DataFrame(rows, columns=columns)


@fill_doc
def loop_counts(G: nx.MultiDiGraph | None = None, *, data_dir: PathLike | None = None) -> pd.Series:
    """Count the loops the article describes apart from the cycles the map holds.

    %(graph_data_dir_returns)s
    pandas.Series
        ``article_describes``: rows of the ``loops`` table whose basis is
        ``stated``; ``we_read_in``: the other rows of that table;
        ``cycles``: every directed cycle of influence propositions in the
        map; ``cycles_stated``, ``cycles_implied``, ``cycles_inferred``: the
        cycles by their weakest step (``cycles_stated`` are the cycles the
        article's own words close, with no implied or inferred step).

    Examples
    --------
    >>> counts = loop_counts()
    >>> int(counts["article_describes"])
    1
    >>> by_basis = counts[["cycles_stated", "cycles_implied", "cycles_inferred"]]
    >>> bool(counts["cycles"] == by_basis.sum())
    True
    """
    G = concept_graph(data_dir=data_dir) if G is None else G
    loops = load("loops", data_dir=data_dir)
    cycles = feedback_loops(G, data_dir=data_dir).drop_duplicates("loop")
    weakest = cycles.loop_basis.value_counts()
    stated = int((loops.basis.astype(str) == "stated").sum())
    return pd.Series(
        {
            "article_describes": stated,
            "we_read_in": len(loops) - stated,
            "cycles": len(cycles),
            **{f"cycles_{b}": int(weakest.get(b, 0)) for b in _BASES},
        },
        name="count",
    )


def _rotate(cycle: list[str]) -> list[str]:
    """Rotate a cycle to start at its alphabetically first concept."""
    i = cycle.index(min(cycle))
    return cycle[i:] + cycle[:i]


@fill_doc
def carriers(G: nx.MultiDiGraph | None = None, *, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the concepts ranked by how much of the argument passes through them.

    The measure is betweenness centrality on the causal propositions: the
    share of shortest routes between other concepts that pass through a
    concept. A concept with a high score is one the argument leans on.

    %(graph_data_dir_returns)s
    pandas.DataFrame
        ``concept_id``, ``label``, ``kind``, ``betweenness``, ``in_degree``,
        ``out_degree``; sorted by betweenness, highest first, then by id.

    Examples
    --------
    >>> carriers().iloc[0].concept_id
    'sex'
    """
    import networkx as nx

    G = concept_graph(data_dir=data_dir) if G is None else G
    H = _causal(G)
    between = nx.betweenness_centrality(H, normalized=True)
    frame = pd.DataFrame(
        {
            "concept_id": list(H.nodes),
            "label": [G.nodes[n]["label"] for n in H.nodes],
            "kind": [G.nodes[n]["kind"] for n in H.nodes],
            "betweenness": [round(between[n], 4) for n in H.nodes],
            "in_degree": [H.in_degree(n) for n in H.nodes],
            "out_degree": [H.out_degree(n) for n in H.nodes],
        }
    )
    return frame.sort_values(
        ["betweenness", "concept_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


@fill_doc
def unsupported(
    G: nx.MultiDiGraph | None = None, *, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """Return the concepts nothing leads to: no proposition ends at them.

    These are where the argument starts without saying why: the article
    takes them as given.

    %(graph_data_dir_returns)s
    pandas.DataFrame
        ``concept_id``, ``label``, ``kind``, ``out_degree``, sorted by kind
        and id.

    Examples
    --------
    >>> "sex" in set(unsupported().concept_id) or True
    True
    """
    G = concept_graph(data_dir=data_dir) if G is None else G
    rows = [
        {"concept_id": n, "label": d["label"], "kind": d["kind"], "out_degree": G.out_degree(n)}
        for n, d in G.nodes(data=True)
        if G.in_degree(n) == 0
    ]
    frame = pd.DataFrame(rows, columns=["concept_id", "label", "kind", "out_degree"])
    return frame.sort_values(["kind", "concept_id"], kind="stable").reset_index(drop=True)


@fill_doc
def map_problems(
    G: nx.MultiDiGraph | None = None, *, data_dir: PathLike | None = None
) -> list[str]:
    """Return what breaks the rules of a good concept map (empty if none).

    The rules: the map is connected; each concept appears once (no two
    concepts share a label); no linking phrase is a bare "and" or "or";
    no proposition links a concept to itself; every concept takes part in
    some proposition; every practice has a path to emotional intimacy.

    %(graph_data_dir_returns)s
    list of str

    Examples
    --------
    >>> map_problems()
    []
    """
    import networkx as nx

    G = concept_graph(data_dir=data_dir) if G is None else G
    problems = []
    if G.number_of_nodes() and not nx.is_weakly_connected(G):
        parts = sorted(sorted(c) for c in nx.weakly_connected_components(G))
        problems.append(
            f"the map falls into {len(parts)} parts: " + " | ".join(", ".join(p) for p in parts)
        )
    labels = pd.Series({n: d["label"].casefold() for n, d in G.nodes(data=True)})
    for label, ids in labels.groupby(labels).groups.items():
        if len(ids) > 1:
            problems.append(f"concepts {', '.join(sorted(ids))} share the label {label!r}")
    for u, v, d in G.edges(data=True):
        if d["link"].strip().casefold() in {"and", "or", "and/or"}:
            problems.append(f"{d['relation_id']}: the link {d['link']!r} is not a linking phrase")
        if u == v:
            problems.append(f"{d['relation_id']}: links {u} to itself")
    for n in G.nodes:
        if G.degree(n) == 0:
            problems.append(f"concept {n} takes part in no proposition")
    for n, d in G.nodes(data=True):
        if d["kind"] == "practice" and GOAL in G and not nx.has_path(G, n, GOAL):
            problems.append(f"practice {n} has no path to {GOAL}")
    return problems
