"""The data behind the hormones-and-mechanisms figures, checked against the CSVs.

Expected values are computed here straight from the CSV files with the
standard library, not with the package, so a bug in the package cannot hide
itself.
"""

from __future__ import annotations

from collections import deque
from functools import cache

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from explainer import mechanisms as m
from explainer.plots.mechanisms import (
    draw_hormone_matrix,
    draw_mechanism_links,
    draw_mechanism_routes,
)

from .conftest import rewrite, rows

HORMONES = rows("hormones")
RELATIONS = rows("relations")
MECHANISMS = rows("mechanisms")
PRACTICES = rows("practices")
CHALLENGES = rows("challenges")
CLAIMS = {r["claim_id"]: r for r in rows("claims")}
HORMONE_CONCEPTS = {h["concept_id"]: h["hormone_id"] for h in HORMONES}
INFLUENCE = {"causal", "correlational", "entails"}
SIGN = {"positive": 1, "negative": -1}


@cache
def _computed(name):
    """Each table of the shipped data, computed once for the module (0.02-0.2 s a call)."""
    return getattr(m, name)()


def table(name):
    """A copy of the shipped data's table ``name`` (``m.<name>()``), computed once."""
    return _computed(name).copy()


def causal_distance(start, goal):
    """Breadth-first search over the causal propositions of relations.csv."""
    succ = {}
    for r in RELATIONS:
        if r["link_type"] in INFLUENCE:
            succ.setdefault(r["source"], set()).add(r["target"])
    seen, queue = {start: 0}, deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(succ.get(node, ())):
            if nxt not in seen:
                seen[nxt] = seen[node] + 1
                queue.append(nxt)
    return seen.get(goal)


# --- hormones ---------------------------------------------------------------


def test_matrix_rows_are_exactly_the_three_hormones():
    matrix = table("hormone_matrix")
    assert matrix.index.tolist() == sorted(h["hormone_id"] for h in HORMONES)
    assert len(matrix) == 3


def test_matrix_columns_are_the_targets_of_hormone_propositions():
    targets = {r["target"] for r in RELATIONS if r["source"] in HORMONE_CONCEPTS}
    assert sorted(table("hormone_matrix").columns) == sorted(targets)


@pytest.mark.parametrize("hormone", [h["hormone_id"] for h in HORMONES])
def test_each_hormone_row_has_the_effects_relations_give_it(hormone):
    concept = next(h["concept_id"] for h in HORMONES if h["hormone_id"] == hormone)
    expected = {r["target"]: SIGN[r["polarity"]] for r in RELATIONS if r["source"] == concept}
    row = table("hormone_matrix").loc[hormone]
    assert {k: int(v) for k, v in row.items() if v != 0} == expected


def test_oxytocin_row_and_the_stress_column():
    matrix = table("hormone_matrix")
    assert matrix.loc["oxytocin"][lambda r: r != 0].index.tolist() == [
        "affection",
        "emotional_intimacy",
        "relationship_satisfaction",
    ]
    # Only the two feel-good hormones touch stress, and both lower it.
    assert matrix["stress"].to_dict() == {"dopamine": -1, "endorphins": -1, "oxytocin": 0}


def test_effect_rows_carry_their_claims_words():
    effects = table("hormone_effects")
    expected = sorted(r["relation_id"] for r in RELATIONS if r["source"] in HORMONE_CONCEPTS)
    assert sorted(effects.relation_id) == expected
    for row in effects.itertuples(index=False):
        assert row.quote == CLAIMS[row.claim_id]["quote"]
        assert row.section_id == CLAIMS[row.claim_id]["section_id"]
    assert effects.hormone_id.is_monotonic_increasing


def test_every_hormone_is_triggered_by_sex():
    triggers = table("hormone_triggers")
    expected = sorted(
        (HORMONE_CONCEPTS[r["target"]], r["source"], r["link"])
        for r in RELATIONS
        if r["target"] in HORMONE_CONCEPTS
    )
    assert (
        sorted(zip(triggers.hormone_id, triggers.concept_id, triggers.link, strict=True))
        == expected
    )
    assert set(triggers.hormone_id) == {h["hormone_id"] for h in HORMONES}
    assert set(triggers.concept_id) == {"sex"}


def test_matrix_follows_the_data_dir(data_copy):
    # Flip oxytocin → affection to negative in a scratch copy: the matrix must follow.
    rewrite(
        data_copy / "relations.csv",
        "r013,oxytocin,promotes,affection,c018,positive,causal",
        "r013,oxytocin,promotes,affection,c018,negative,causal",
    )
    assert int(m.hormone_matrix(data_dir=data_copy).loc["oxytocin", "affection"]) == -1
    # and the shipped data's matrix, computed afresh, is not the copy's
    assert int(m.hormone_matrix().loc["oxytocin", "affection"]) == 1


# --- mechanisms and their routes --------------------------------------------


def test_one_route_per_mechanism_grouped_by_family():
    paths = table("mechanism_pathways")
    assert sorted(paths.mechanism_id) == sorted(r["mechanism_id"] for r in MECHANISMS)
    order = ["physical", "biological", "psychological"]
    families = [str(f) for f in paths.family]
    assert families == sorted(families, key=order.index)
    counts = {f: sum(r["family"] == f for r in MECHANISMS) for f in order}
    assert paths.family.astype(str).value_counts().to_dict() == {
        f: n for f, n in counts.items() if n
    }


@pytest.mark.parametrize("mechanism", MECHANISMS, ids=lambda r: r["mechanism_id"])
def test_each_route_runs_from_sex_through_its_concept_to_intimacy(mechanism):
    path = table("mechanism_pathways").set_index("mechanism_id").loc[mechanism["mechanism_id"]]
    nodes = path.nodes.split(" → ")
    assert nodes[0] == "sex"
    assert nodes[-1] == "emotional_intimacy"
    assert mechanism["concept_id"] in nodes
    assert len(nodes) == len(set(nodes)), "a route visits each concept once"
    assert path.length == len(nodes) - 1


@pytest.mark.parametrize("mechanism", MECHANISMS, ids=lambda r: r["mechanism_id"])
def test_causal_flag_and_length_agree_with_a_search_of_the_csv(mechanism):
    path = table("mechanism_pathways").set_index("mechanism_id").loc[mechanism["mechanism_id"]]
    there = causal_distance("sex", mechanism["concept_id"])
    back = causal_distance(mechanism["concept_id"], "emotional_intimacy")
    has_causal = there is not None and back is not None
    assert bool(path.causal) == has_causal
    if has_causal:
        assert path.length == there + back


def test_emotional_support_reaches_intimacy_only_by_a_step_we_read_in():
    # 4D never says that emotional support builds emotional intimacy, and section 4's
    # lead never mentions support: that last step is our reading (inferred), and the
    # first is a correlation whose subject is couples, not sex (implied).
    ours = [
        r
        for r in RELATIONS
        if (r["source"], r["target"]) == ("emotional_support", "emotional_intimacy")
        and r["link_type"] in INFLUENCE
    ]
    assert [r["basis"] for r in ours] == ["inferred"]
    steps = table("mechanism_steps")
    mine = steps[steps.mechanism_id == "emotional_support"]
    assert mine.relation_id.tolist() == ["r047", ours[0]["relation_id"]]
    assert mine.basis.astype(str).tolist() == ["implied", "inferred"]
    paths = table("mechanism_pathways").set_index("mechanism_id")
    assert paths.loc["emotional_support", "basis"] == "inferred"


def test_every_step_is_a_proposition_of_the_relations_table():
    by_id = {r["relation_id"]: r for r in RELATIONS}
    for s in table("mechanism_steps").itertuples(index=False):
        r = by_id[s.relation_id]
        assert (r["source"], r["link"], r["target"]) == (s.source, s.link, s.target)
        assert r["link_type"] == str(s.link_type)
        assert s.section_id == CLAIMS[r["claim_id"]]["section_id"]


# --- practices and challenges -----------------------------------------------


def test_each_practice_maps_to_exactly_one_mechanism():
    practices = table("practice_mechanisms")
    assert practices.practice_id.is_unique
    assert len(practices) == len(PRACTICES) == 5
    expected = {p["practice_id"]: p["mechanism_id"] for p in PRACTICES}
    assert dict(zip(practices.practice_id, practices.mechanism_id, strict=True)) == expected
    assert practices.section_id.is_monotonic_increasing


def test_practice_routes_in_the_map_join_practice_to_mechanism():
    concept = {r["mechanism_id"]: r["concept_id"] for r in MECHANISMS}
    own = {p["practice_id"]: p["concept_id"] for p in PRACTICES}
    for p in table("practice_mechanisms").itertuples(index=False):
        nodes = p.route_in_map.split(" → ")
        assert nodes[0] == own[p.practice_id]
        assert nodes[-1] == concept[p.mechanism_id]


def test_the_myth_threatens_nothing_and_is_rebutted():
    threats = table("challenge_threats").set_index("challenge_id")
    myths = [c["challenge_id"] for c in CHALLENGES if c["kind"] == "myth"]
    assert myths == ["just_physical"]
    assert threats.loc["just_physical", "threatens"] == ""
    assert threats.loc["just_physical", "mechanism"] == ""
    assert threats.loc["just_physical", "rebuttal"] == CLAIMS["c057"]["quote"]


def test_challenges_threaten_what_the_csv_says():
    threats = table("challenge_threats")
    expected = {c["challenge_id"]: c["threatens"] for c in CHALLENGES}
    assert dict(zip(threats.challenge_id, threats.threatens, strict=True)) == expected
    assert (threats.threatens != "").sum() == 2


def test_summary_counts_add_up():
    summary = table("mechanism_summary").set_index("mechanism_id")
    assert int(summary.n_practices.sum()) == len(PRACTICES)
    assert int(summary.n_challenges.sum()) == sum(bool(c["threatens"]) for c in CHALLENGES)
    assert int(summary.loc["physical_connection", "n_practices"]) == 3
    # No practice of section 5 works through a biological mechanism.
    assert int(summary.loc[summary.family == "biological", "n_practices"].sum()) == 0


# Each call computes the table afresh from the loaded tables; compared with the
# module's first call. The routes (steps, pathways) and a hormone and a challenge
# table run by default, the others with --thorough.
_SAME_QUICK = {"hormone_matrix", "mechanism_steps", "mechanism_pathways", "challenge_threats"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=() if name in _SAME_QUICK else pytest.mark.thorough)
        for name in [
            "hormone_effects",
            "hormone_triggers",
            "hormone_matrix",
            "mechanism_steps",
            "mechanism_pathways",
            "practice_mechanisms",
            "challenge_threats",
            "mechanism_summary",
        ]
    ],
)
def test_tables_are_the_same_on_every_call(name):
    pd.testing.assert_frame_equal(getattr(m, name)(), _computed(name))


# --- the drawings use what they are given ------------------------------------


def test_drawings_show_every_row_they_are_given():
    ax = draw_hormone_matrix(table("hormone_effects"), table("hormone_triggers"))
    assert len(ax.get_yticklabels()) == 3
    assert len(ax.get_xticklabels()) == 1 + table("hormone_matrix").shape[1]
    plt.close(ax.figure)
    ax = draw_mechanism_routes(table("mechanism_steps"))
    texts = {t.get_text() for t in ax.texts}
    assert {"Physical", "Biological", "Psychological"} <= texts
    plt.close(ax.figure)
    summary = table("mechanism_summary")
    ax = draw_mechanism_links(summary, table("practice_mechanisms"), table("challenge_threats"))
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == len(PRACTICES) + 2
    plt.close(ax.figure)


@pytest.mark.parametrize("mechanism", MECHANISMS, ids=lambda r: r["mechanism_id"])
def test_own_section_flag_matches_the_claims_behind_each_step(mechanism):
    steps = table("mechanism_steps")
    mine = steps[steps.mechanism_id == mechanism["mechanism_id"]]
    sections = {CLAIMS[c]["section_id"] for c in mine.claim_id}
    path = table("mechanism_pathways").set_index("mechanism_id").loc[mechanism["mechanism_id"]]
    assert bool(path.own_section) == (sections == {mechanism["section_id"]})
    for s in mine.itertuples(index=False):
        assert s.quote == CLAIMS[s.claim_id]["quote"]


def test_the_shortest_trust_route_borrows_an_experts_words():
    steps = table("mechanism_steps")
    first = steps[steps.mechanism_id == "vulnerability_trust"].iloc[0]
    assert (first.link, first.claim_id, first.section_id) == ("fosters", "c064", "s7-gottman")
    assert CLAIMS["c064"]["claimant"] == "gottman"
