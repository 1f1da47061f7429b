from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
import pandas as pd
import pytest

from explainer import concept_graph
from explainer.graph import (
    FOCUS_QUESTION,
    carriers,
    feedback_loops,
    map_problems,
    pathways,
    unsupported,
)
from explainer.plots import concept_layout

from .conftest import rows

G = concept_graph()


RELATIONS = rows("relations")
# Routes follow the links that carry influence; a precondition (necessary_for) does not.
INFLUENCE = {"causal", "correlational", "entails"}
CAUSAL = {(r["source"], r["target"]) for r in RELATIONS if r["link_type"] in INFLUENCE}


def test_nodes_and_edges_are_the_tables_rows():
    assert sorted(G.nodes) == sorted(r["concept_id"] for r in rows("concepts"))
    assert sorted(k for *_, k in G.edges(keys=True)) == sorted(r["relation_id"] for r in RELATIONS)


def test_every_documented_attribute_is_present():
    assert G.graph["focus_question"] == FOCUS_QUESTION
    assert (G.graph["origin"], G.graph["goal"]) == ("sex", "emotional_intimacy")
    for _, data in G.nodes(data=True):
        assert set(data) == {"label", "kind", "description"}
    for _, _, key, data in G.edges(keys=True, data=True):
        assert set(data) == {
            "relation_id",
            "link",
            "claim_id",
            "quote",
            "section_id",
            "polarity",
            "link_type",
            "basis",
            "basis_note",
            "condition",
            "modality",
            "phrase",
            "subject",
            "subject_role",
        }
        assert data["relation_id"] == key


def test_edge_quotes_are_their_claims_quotes():
    claims = {r["claim_id"]: r for r in rows("claims")}
    for _, _, data in G.edges(data=True):
        assert data["quote"] == claims[data["claim_id"]]["quote"]
        assert data["section_id"] == claims[data["claim_id"]]["section_id"]


def test_the_map_keeps_its_rules():
    assert map_problems(G) == []


def _add_causal(H, source, target, relation_id, link):
    """Add a positive causal proposition to the map ``H``, keyed by its relation id."""
    H.add_edge(
        source,
        target,
        key=relation_id,
        relation_id=relation_id,
        link=link,
        link_type="causal",
        polarity="positive",
    )


def test_map_problems_finds_broken_rules():
    H = G.copy()
    H.add_node("lonely", label="Lonely", kind="state", description="x")
    H.add_node("twin", label="Trust", kind="state", description="x")
    _add_causal(H, "twin", "trust", "r900", "and")
    H.add_node("idle_practice", label="Idle", kind="practice", description="x")
    _add_causal(H, "trust", "idle_practice", "r901", "x")
    found = "\n".join(map_problems(H))
    assert "falls into 2 parts" in found
    assert "share the label 'trust'" in found
    assert "r900: the link 'and'" in found
    assert "lonely takes part in no proposition" in found
    assert "practice idle_practice has no path" in found


def test_the_articles_two_loops_are_cycles_of_the_map():
    loops = feedback_loops(G)
    named = loops[loops.named != ""]
    assert sorted(set(named.named)) == ["happier_partners", "stress_relief"]
    for _, loop in named.groupby("loop"):
        assert loop.source.tolist()[1:] == loop.target.tolist()[:-1]
        assert loop.target.iloc[-1] == loop.source.iloc[0]
        assert all((u, v) in CAUSAL for u, v in zip(loop.source, loop.target, strict=True))


def test_every_cycle_is_found_once():
    loops = feedback_loops(G)
    cycles = {tuple(g.source) for _, g in loops.groupby("loop")}
    simple = nx.DiGraph(list(CAUSAL))
    assert len(cycles) == len(list(nx.simple_cycles(simple)))


def test_pathways_run_from_sex_to_emotional_intimacy_over_causal_links():
    paths = pathways(G)
    assert len(paths) > 0 and paths.pathway.tolist() == list(range(1, len(paths) + 1))
    for nodes in paths.nodes:
        ids = nodes.split(" → ")
        assert ids[0] == "sex" and ids[-1] == "emotional_intimacy"
        assert len(set(ids)) == len(ids)
        assert all(step in CAUSAL for step in itertools.pairwise(ids))
    assert {"oxytocin", "physical_connection", "shared_memories"} <= set(paths.via)


def test_carriers_rank_by_betweenness():
    ranked = carriers(G)
    assert ranked.betweenness.is_monotonic_decreasing
    assert ranked.concept_id.iloc[0] in {"sex", "emotional_intimacy"}


def test_unsupported_concepts_have_no_incoming_links():
    targets = Counter(r["target"] for r in RELATIONS)
    expected = sorted(c["concept_id"] for c in rows("concepts") if targets[c["concept_id"]] == 0)
    assert sorted(unsupported(G).concept_id) == expected


def test_layout_is_layered_deterministic_and_free_of_overlaps():
    pos = concept_layout(G)
    assert pos == concept_layout(concept_graph())
    assert len(set(pos.values())) == len(pos)
    order = ["practice", "activity", "hormone", "state", "outcome"]
    xs = [pos[n][0] for kind in order for n, d in G.nodes(data=True) if d["kind"] == kind][:1]
    assert xs == [0.0]
    for u, v in [
        ("prioritize_time", "sex"),
        ("sex", "oxytocin"),
        ("oxytocin", "affection"),
        ("trust", "emotional_intimacy"),
    ]:
        assert pos[u][0] < pos[v][0]


@pytest.mark.parametrize(
    "highlight", [None, ["sex", "oxytocin", "emotional_intimacy"], [("sex", "trust")]]
)
def test_draw_concept_map_returns_its_axes(highlight):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from explainer.plots import draw_concept_map

    fig, ax = plt.subplots()
    assert draw_concept_map(G, ax=ax, highlight=highlight) is ax
    texts = [t.get_text() for t in ax.texts]
    assert "Oxytocin" in texts
    if highlight == ["sex", "oxytocin", "emotional_intimacy"]:
        assert "releases" in texts  # the linking phrase of the highlighted edge
    plt.close(fig)


def test_graph_follows_the_data(data_copy):
    frame = pd.read_csv(data_copy / "relations.csv", dtype=str, keep_default_na=False)
    frame.loc[len(frame)] = [
        "r999",
        "trust",
        "is nourished by",
        "comfort",
        "c019",
        "positive",
        "causal",
        "inferred",
        "a test row",
        "",
        "can",
        "a level of vulnerability that",
        "other",
        "",
    ]
    frame.to_csv(data_copy / "relations.csv", index=False)
    H = concept_graph(data_dir=data_copy)
    assert H.number_of_edges() == G.number_of_edges() + 1
    assert H.edges["trust", "comfort", "r999"]["link"] == "is nourished by"
    assert H.edges["trust", "comfort", "r999"]["basis"] == "inferred"
