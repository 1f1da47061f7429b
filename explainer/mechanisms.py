"""The hormones and mechanisms the article invokes, and what helps or threatens them.

Everything here is computed from the tables (``hormones``, ``mechanisms``,
``practices``, ``challenges``, ``concepts``, ``relations``, ``claims``) and
from the concept map of :mod:`explainer.graph`; drawing lives in
:mod:`explainer.plots.mechanisms`. Every row records what the article
*claims*, not what research has shown.
"""

from __future__ import annotations

import itertools
import os
from typing import TYPE_CHECKING

import pandas as pd

from explainer._cache import derived
from explainer._docs import fill_doc
from explainer.graph import GOAL, INFLUENCE, ORIGIN, concept_graph, main_pathways
from explainer.tables import load

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "challenge_threats",
    "hormone_effects",
    "hormone_matrix",
    "hormone_triggers",
    "mechanism_pathways",
    "mechanism_steps",
    "mechanism_summary",
    "practice_mechanisms",
]

PathLike = str | os.PathLike[str]

# Causal and correlational propositions carry influence; definitions and
# part-of links only say what a word covers, and rebuttals answer a myth.
_INFLUENCE = INFLUENCE
_BASES = ("stated", "implied", "inferred")

_LINK_COLUMNS = [
    "hormone_id",
    "hormone",
    "alias",
    "concept_id",
    "concept_label",
    "concept_kind",
    "link",
    "polarity",
    "link_type",
    "basis",
    "relation_id",
    "claim_id",
    "section_id",
    "quote",
    "evidence_status",
]


def _hormone_links(side: str, data_dir: PathLike | None) -> pd.DataFrame:
    """Return the propositions with a hormone at ``side`` ("source" or "target")."""
    other = "target" if side == "source" else "source"
    hormones = load("hormones", data_dir=data_dir)
    concepts = load("concepts", data_dir=data_dir).set_index("concept_id")
    claims = load("claims", data_dir=data_dir).set_index("claim_id")
    relations = load("relations", data_dir=data_dir)
    by_concept = hormones.set_index("concept_id")
    mine = relations[relations[side].isin(hormones.concept_id)]
    frame = pd.DataFrame(
        {
            "hormone_id": by_concept.loc[mine[side], "hormone_id"].to_numpy(),
            "hormone": by_concept.loc[mine[side], "name"].to_numpy(),
            "alias": by_concept.loc[mine[side], "alias"].to_numpy(),
            "concept_id": mine[other].to_numpy(),
            "concept_label": concepts.loc[mine[other], "label"].to_numpy(),
            "concept_kind": pd.Categorical(
                concepts.loc[mine[other], "kind"].astype(str),
                dtype=concepts["kind"].dtype,
            ),
            "link": mine["link"].to_numpy(),
            "polarity": mine["polarity"].to_numpy(),
            "link_type": mine["link_type"].to_numpy(),
            "basis": mine["basis"].to_numpy(),
            "relation_id": mine["relation_id"].to_numpy(),
            "claim_id": mine["claim_id"].to_numpy(),
            "section_id": claims.loc[mine["claim_id"], "section_id"].to_numpy(),
            "quote": claims.loc[mine["claim_id"], "quote"].to_numpy(),
            "evidence_status": pd.Categorical(
                claims.loc[mine["claim_id"], "evidence_status"].astype(str),
                dtype=claims["evidence_status"].dtype,
            ),
        },
        columns=_LINK_COLUMNS,
    )
    for column in ("polarity", "link_type", "basis"):
        frame[column] = frame[column].astype(relations[column].dtype)
    return frame.sort_values(
        ["hormone_id", "concept_kind", "concept_id", "relation_id"], kind="stable"
    ).reset_index(drop=True)


@fill_doc
def hormone_effects(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return what the article says each hormone does: one row per proposition.

    These are the propositions of the concept map whose source is a
    hormone's concept ("oxytocin → promotes → affection"), each with the
    verbatim words of the claim behind it.

    %(data_dir_returns)s
    pandas.DataFrame
        ``hormone_id``, ``hormone`` (its name), ``alias`` (the article's
        nickname for it), ``concept_id``,
        ``concept_label`` and ``concept_kind`` (the effect), ``link`` (the
        linking phrase), ``polarity`` (positive: raises the effect;
        negative: lowers it), ``link_type``, ``basis`` (stated, implied or
        inferred), ``relation_id``, ``claim_id``,
        ``section_id``, ``quote`` and ``evidence_status`` (what the article
        itself offers in support of that claim); sorted by hormone id, then by the
        effect's kind (in the map's left-to-right order) and id.

    Examples
    --------
    >>> effects = hormone_effects()
    >>> effects[effects.hormone_id == "dopamine"][["link", "concept_id"]].values.tolist()
    [['enhances', 'happiness'], ['promotes', 'happiness'], ['reduces', 'stress']]
    """
    return _hormone_links("source", data_dir)


@fill_doc
def hormone_triggers(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return what the article says triggers each hormone: one row per proposition.

    These are the propositions whose target is a hormone's concept
    ("sex → releases → oxytocin"). The ``hormones`` table keeps the
    article's fuller wording in ``triggered_by``.

    %(data_dir_returns)s
    pandas.DataFrame
        The columns of :func:`hormone_effects`; here ``concept_id`` is the
        trigger. Sorted by hormone id, then trigger.

    Examples
    --------
    >>> triggers = hormone_triggers()
    >>> triggers[["concept_id", "link", "hormone_id"]].values.tolist()
    [['sex', 'creates', 'dopamine'], ['sex', 'creates', 'endorphins'],
     ['sex', 'releases', 'oxytocin']]
    """
    return _hormone_links("target", data_dir)


@fill_doc
def hormone_matrix(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the hormone-by-effect matrix of the article's claims.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per hormone (index ``hormone_id``, sorted) and one column
        per effect concept (ordered as in :func:`hormone_effects`). A cell is
        ``1`` where the article says the hormone raises the effect, ``-1``
        where it says the hormone lowers it, and ``0`` where it says nothing.

    Examples
    --------
    >>> m = hormone_matrix()
    >>> m.index.tolist()
    ['dopamine', 'endorphins', 'oxytocin']
    >>> int(m.loc["endorphins", "stress"])
    -1
    """
    hormones = sorted(load("hormones", data_dir=data_dir).hormone_id)
    effects = hormone_effects(data_dir=data_dir)
    columns = list(
        effects.sort_values(["concept_kind", "concept_id"], kind="stable")
        .drop_duplicates("concept_id")
        .concept_id
    )
    sign = effects.polarity.astype(str).map({"positive": 1, "negative": -1})
    cells = pd.DataFrame({"hormone_id": effects.hormone_id, "effect": effects.concept_id})
    cells["sign"] = sign.astype(int)
    matrix = cells.pivot_table(
        index="hormone_id", columns="effect", values="sign", aggfunc="first", fill_value=0
    )
    matrix = matrix.reindex(index=hormones, columns=columns, fill_value=0).astype(int)
    matrix.index.name, matrix.columns.name = "hormone_id", "effect"
    return matrix


def _proposition(G: nx.MultiDiGraph, u: str, v: str) -> dict:
    """Return the proposition from ``u`` to ``v`` a route uses.

    The influence proposition with the strongest basis, then the lowest
    relation id (as :func:`explainer.graph.pathway_steps` picks it), or else
    the first of any other kind but a rebuttal.
    """
    edges = [d for d in G.get_edge_data(u, v).values() if d["link_type"] != "rebuts"]
    return min(
        edges,
        key=lambda d: (
            d["link_type"] not in _INFLUENCE,
            _BASES.index(d["basis"]),
            d["relation_id"],
        ),
    )


def _any_route(G: nx.MultiDiGraph, through: str) -> list[str] | None:
    """Return the route from the origin through ``through`` to the goal.

    Any proposition but a rebuttal may be used; influence links are preferred
    (a step of another kind costs as much as 100 influence steps).
    Returns ``None`` if there is no such route.
    """
    import networkx as nx

    H = nx.DiGraph()
    for u, v, d in G.edges(data=True):
        if d["link_type"] == "rebuts":
            continue
        cost = 1 if d["link_type"] in _INFLUENCE else 100
        if not H.has_edge(u, v) or H[u][v]["cost"] > cost:
            H.add_edge(u, v, cost=cost)
    try:
        first = nx.shortest_path(H, ORIGIN, through, weight="cost")
        second = nx.shortest_path(H, through, GOAL, weight="cost")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    return first + second[1:]


def _routes(
    G: nx.MultiDiGraph | None, data_dir: PathLike | None
) -> tuple[nx.MultiDiGraph, pd.DataFrame, dict[str, list[str] | None]]:
    """Return the map, the mechanisms (sorted) and each mechanism's route."""
    if G is None:
        return _routes_of_the_data(data_dir=data_dir)
    return _find_routes(G, data_dir)


@derived()
def _routes_of_the_data(
    *, data_dir: PathLike | None = None
) -> tuple[nx.MultiDiGraph, pd.DataFrame, dict[str, list[str] | None]]:
    """:func:`_routes` of the data's own map, found once per state of the data folder."""
    return _find_routes(concept_graph(data_dir=data_dir), data_dir)


def _find_routes(
    G: nx.MultiDiGraph, data_dir: PathLike | None
) -> tuple[nx.MultiDiGraph, pd.DataFrame, dict[str, list[str] | None]]:
    mechanisms = load("mechanisms", data_dir=data_dir)
    mechanisms = mechanisms.sort_values(["family", "section_id"], kind="stable")
    causal = main_pathways(G, data_dir=data_dir).set_index("mechanism").nodes
    routes = {}
    for m in mechanisms.itertuples(index=False):
        if m.mechanism_id in causal.index:
            routes[m.mechanism_id] = causal[m.mechanism_id].split(" → ")
        else:
            routes[m.mechanism_id] = _any_route(G, m.concept_id)
    return G, mechanisms.reset_index(drop=True), routes


@fill_doc
def mechanism_steps(
    G: nx.MultiDiGraph | None = None, *, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """Return each mechanism's route from sex to emotional intimacy, step by step.

    The route is the shortest causal pathway through the mechanism's
    concept (:func:`explainer.graph.main_pathways`). A mechanism with no
    causal pathway gets the shortest route that also uses other
    propositions (a definition, a part-of link), and those steps say so in
    ``link_type``: the article links it to emotional intimacy by what the
    words mean, not by saying one brings about the other.

    %(graph_built_data_dir_returns)s
    pandas.DataFrame
        One row per step: ``family``, ``mechanism_id``, ``name``,
        ``concept_id`` (the mechanism's concept), ``step`` (from 1),
        ``source``, ``source_label``, ``source_kind``, ``link``, ``target``,
        ``target_label``, ``target_kind``, ``polarity``, ``link_type``,
        ``basis`` (stated, implied or inferred), ``condition`` (the one the
        article attaches, or empty), ``relation_id``, ``claim_id``,
        ``section_id`` (where that claim
        stands) and ``quote`` (its words); sorted by family (physical,
        biological, psychological), the mechanism's section and step.

    Examples
    --------
    >>> steps = mechanism_steps()
    >>> steps[steps.mechanism_id == "oxytocin"].link.tolist()
    ['releases', 'enhances']
    >>> support = steps[steps.mechanism_id == "emotional_support"]
    >>> support.link_type.astype(str).tolist(), support.basis.astype(str).tolist()
    (['correlational', 'causal'], ['implied', 'inferred'])
    """
    return _steps(*_routes(G, data_dir), data_dir)


def _steps(G, mechanisms: pd.DataFrame, routes: dict, data_dir: PathLike | None) -> pd.DataFrame:
    """Return :func:`mechanism_steps` for routes already found."""
    rows = []
    for m in mechanisms.itertuples(index=False):
        for step, (u, v) in enumerate(itertools.pairwise(routes[m.mechanism_id] or []), start=1):
            d = _proposition(G, u, v)
            rows.append(
                {
                    "family": m.family,
                    "mechanism_id": m.mechanism_id,
                    "name": m.name,
                    "concept_id": m.concept_id,
                    "step": step,
                    "source": u,
                    "source_label": G.nodes[u]["label"],
                    "source_kind": G.nodes[u]["kind"],
                    "link": d["link"],
                    "target": v,
                    "target_label": G.nodes[v]["label"],
                    "target_kind": G.nodes[v]["kind"],
                    "polarity": d["polarity"],
                    "link_type": d["link_type"],
                    "basis": d["basis"],
                    "condition": d["condition"],
                    "relation_id": d["relation_id"],
                    "claim_id": d["claim_id"],
                    "section_id": d["section_id"],
                    "quote": d["quote"],
                }
            )
    columns = [
        "family",
        "mechanism_id",
        "name",
        "concept_id",
        "step",
        "source",
        "source_label",
        "source_kind",
        "link",
        "target",
        "target_label",
        "target_kind",
        "polarity",
        "link_type",
        "basis",
        "condition",
        "relation_id",
        "claim_id",
        "section_id",
        "quote",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    relations = load("relations", data_dir=data_dir)
    frame["family"] = pd.Categorical(frame["family"], dtype=mechanisms["family"].dtype)
    frame["polarity"] = pd.Categorical(frame["polarity"], dtype=relations["polarity"].dtype)
    frame["link_type"] = pd.Categorical(frame["link_type"], dtype=relations["link_type"].dtype)
    frame["basis"] = pd.Categorical(frame["basis"], dtype=relations["basis"].dtype)
    return frame.reset_index(drop=True)


@fill_doc
def mechanism_pathways(
    G: nx.MultiDiGraph | None = None, *, data_dir: PathLike | None = None
) -> pd.DataFrame:
    """Return each mechanism with its route from sex to emotional intimacy.

    %(graph_built_data_dir_returns)s
    pandas.DataFrame
        One row per mechanism: ``family``, ``mechanism_id``, ``name``,
        ``section_id``, ``concept_id``, ``causal`` (True when every step of
        the route brings about or goes with the next; see
        :func:`mechanism_steps`), ``length`` (steps; 0 if there is no route
        at all), ``nodes`` (joined by " → "), ``links`` (the linking
        phrases, joined by " / "), ``claims`` (the claim behind each step)
        and ``sections`` (where each of those claims stands: a step may
        borrow a claim from another part of the article) and ``own_section``
        (True when every step rests on a claim of the mechanism's own
        subsection), ``basis`` (the weakest basis among its steps: the route
        is only as much the article's as that step), ``same_route_as`` (the
        other mechanisms whose route is the same, joined by "; ") and
        ``note`` (the ``mechanisms`` table's note); sorted by family and
        section.

    Examples
    --------
    >>> paths = mechanism_pathways().set_index("mechanism_id")
    >>> paths.loc["relationship_satisfaction", "same_route_as"]
    'conflict_resolution'
    >>> paths.loc["emotional_support", "basis"]
    'inferred'
    >>> paths.loc["oxytocin", "nodes"]
    'sex → oxytocin → emotional_intimacy'
    >>> paths.causal.all()
    np.True_
    """
    G, mechanisms, routes = _routes(G, data_dir)
    steps = _steps(G, mechanisms, routes, data_dir)  # the routes found once, not twice
    rows = []
    for m in mechanisms.itertuples(index=False):
        mine = steps[steps.mechanism_id == m.mechanism_id]
        nodes = routes[m.mechanism_id] or []
        rows.append(
            {
                "family": m.family,
                "mechanism_id": m.mechanism_id,
                "name": m.name,
                "section_id": m.section_id,
                "concept_id": m.concept_id,
                "causal": bool(len(mine)) and bool(mine.link_type.isin(_INFLUENCE).all()),
                "length": len(mine),
                "nodes": " → ".join(nodes),
                "links": " / ".join(mine.link),
                "claims": " ".join(mine.claim_id),
                "sections": " ".join(mine.section_id),
                "own_section": bool(len(mine)) and bool((mine.section_id == m.section_id).all()),
                "basis": max(mine.basis.astype(str), key=_BASES.index, default=""),
                "note": "" if pd.isna(m.note) else m.note,
            }
        )
    frame = pd.DataFrame(rows)
    frame.insert(
        len(frame.columns) - 1,
        "same_route_as",
        [
            "; ".join(frame.mechanism_id[(frame.nodes == n) & (frame.mechanism_id != i)])
            for i, n in zip(frame.mechanism_id, frame.nodes, strict=True)
        ],
    )
    frame["family"] = pd.Categorical(frame["family"], dtype=mechanisms["family"].dtype)
    return frame


@derived()
@fill_doc
def practice_mechanisms(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the practices of section 5 with the mechanism each works through.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per practice: ``practice_id``, ``title``, ``section_id``,
        ``mechanism_id``, ``mechanism`` (its name), ``family``,
        ``route_in_map`` (the shortest chain of propositions from the
        practice's concept to the mechanism's concept, joined by " → ";
        empty if the map has none), ``claim_id``, ``quote``, ``basis``
        (whether the article names the mechanism: stated, implied or
        inferred) and ``basis_note``; sorted by section.

    Examples
    --------
    >>> practices = practice_mechanisms()
    >>> practices.mechanism_id.value_counts().to_dict()
    {'physical_connection': 3, 'vulnerability_trust': 1, 'shared_experiences': 1}
    >>> practices.set_index("practice_id").loc["open_dialogue", "basis"]
    'stated'
    """
    import networkx as nx

    G = concept_graph(data_dir=data_dir)
    practices = load("practices", data_dir=data_dir)
    mechanisms = load("mechanisms", data_dir=data_dir).set_index("mechanism_id")
    claims = load("claims", data_dir=data_dir).set_index("claim_id")
    plain = nx.DiGraph(G)  # one edge per pair is enough to find a route
    rows = []
    for p in practices.sort_values("section_id", kind="stable").itertuples(index=False):
        m = mechanisms.loc[p.mechanism_id]
        try:
            route = " → ".join(nx.shortest_path(plain, p.concept_id, m.concept_id))
        except nx.NetworkXNoPath:
            route = ""
        rows.append(
            {
                "practice_id": p.practice_id,
                "title": p.title,
                "section_id": p.section_id,
                "mechanism_id": p.mechanism_id,
                "mechanism": m["name"],
                "family": m["family"],
                "route_in_map": route,
                "claim_id": p.claim_id,
                "quote": claims.loc[p.claim_id, "quote"],
                "basis": str(p.basis),
                "basis_note": "" if pd.isna(p.basis_note) else p.basis_note,
            }
        )
    frame = pd.DataFrame(rows)
    frame["family"] = pd.Categorical(frame["family"], dtype=mechanisms["family"].dtype)
    return frame


@fill_doc
def challenge_threats(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the challenges of section 6 with the mechanism each threatens.

    A myth threatens no mechanism: the article rebuts it instead, and
    ``threatens`` is empty.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per challenge: ``challenge_id``, ``title``, ``kind``,
        ``section_id``, ``threatens`` (a mechanism id, or "" for none),
        ``mechanism`` (its name, or ""), ``claim_id``, ``quote``,
        ``rebutted_by`` (for a myth, the claim that rebuts it, else "") and
        ``rebuttal`` (that claim's words, or ""), ``basis`` and
        ``basis_note`` (of the threatens link: both threats are our
        inference, since section 6 names no mechanism; "" for none);
        sorted by section.

    Examples
    --------
    >>> threats = challenge_threats()
    >>> threats[["challenge_id", "threatens", "basis"]].values.tolist()
    [['just_physical', '', ''], ['performance_pressure', 'reward_system', 'inferred'],
     ['life_changes', 'relationship_satisfaction', 'inferred']]
    """
    challenges = load("challenges", data_dir=data_dir)
    names = load("mechanisms", data_dir=data_dir).set_index("mechanism_id")["name"]
    quotes = load("claims", data_dir=data_dir).set_index("claim_id")["quote"]
    frame = challenges.sort_values("section_id", kind="stable").reset_index(drop=True)
    threatens = frame.threatens.fillna("")
    rebutted_by = frame.rebutted_by.fillna("")
    return pd.DataFrame(
        {
            "challenge_id": frame.challenge_id,
            "title": frame.title,
            "kind": frame.kind,
            "section_id": frame.section_id,
            "threatens": threatens,
            "mechanism": [names.get(t, "") for t in threatens],
            "claim_id": frame.claim_id,
            "quote": quotes.loc[frame.claim_id].to_numpy(),
            "rebutted_by": rebutted_by,
            "rebuttal": [quotes.get(r, "") for r in rebutted_by],
            "basis": frame.basis.astype(object).fillna("").astype(str),
            "basis_note": frame.basis_note.fillna(""),
        }
    )


@fill_doc
def mechanism_summary(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return each mechanism with its route, its practices and its threats.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per mechanism: ``family``, ``mechanism_id``, ``name``,
        ``section_id``, ``causal`` and ``length`` (of its route, from
        :func:`mechanism_pathways`), ``practices`` (the practice ids that
        work through it, joined by "; "), ``n_practices``, ``challenges``
        (the challenge ids that threaten it) and ``n_challenges``; sorted by
        family and section.

    Examples
    --------
    >>> summary = mechanism_summary()
    >>> int(summary.n_practices.sum()), int(summary.n_challenges.sum())
    (5, 2)
    """
    frame = mechanism_pathways(data_dir=data_dir)
    practices = practice_mechanisms(data_dir=data_dir)
    threats = challenge_threats(data_dir=data_dir)
    helped = practices.groupby("mechanism_id").practice_id.agg("; ".join)
    threatened = threats[threats.threatens != ""].groupby("threatens").challenge_id.agg("; ".join)
    frame = frame[["family", "mechanism_id", "name", "section_id", "causal", "length"]].copy()
    frame["practices"] = frame.mechanism_id.map(helped).fillna("").astype(str)
    frame["n_practices"] = frame.practices.str.split("; ").map(lambda p: len([x for x in p if x]))
    frame["challenges"] = frame.mechanism_id.map(threatened).fillna("").astype(str)
    frame["n_challenges"] = frame.challenges.str.split("; ").map(lambda c: len([x for x in c if x]))
    return frame
