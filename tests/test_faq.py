"""The data behind the FAQ notebook: the matrix, the echoes, what the FAQ leaves out."""

from __future__ import annotations

from collections import Counter

import pytest

from explainer.faq import (
    faq_concept_matrix,
    faq_echoes,
    faq_only,
    faq_overview,
    faq_reach,
    untouched_concepts,
)

from .conftest import rewrite, rows

FAQS = rows("faqs")
LINKS = rows("faq_links")
CONCEPTS = rows("concepts")
RELATIONS = rows("relations")
IN_MAP = {r["source"] for r in RELATIONS} | {r["target"] for r in RELATIONS}
TOUCHED = {link["concept_id"] for link in LINKS}


def test_overview_is_in_faq_order_with_each_stance_and_link_counts():
    faqs = faq_overview()
    assert faqs.faq_id.tolist() == ["faq1", "faq2", "faq3", "faq4", "faq5"]
    assert faqs.number.tolist() == [1, 2, 3, 4, 5]
    by_id = {f["faq_id"]: f for f in FAQS}
    for row in faqs.itertuples(index=False):
        assert str(row.stance) == by_id[row.faq_id]["stance"]
        assert str(row.question_type) == by_id[row.faq_id]["question_type"]
        mine = [link for link in LINKS if link["faq_id"] == row.faq_id]
        assert row.concepts == len(mine)
        assert row.echoed == sum(1 for link in mine if link["echoes_section_id"])
        assert row.echoed + row.faq_only == row.concepts
    assert faqs.stance.astype(str).tolist() == [
        "reframes",
        "qualified_yes",
        "advises",
        "yes",
        "advises",
    ]


def test_matrix_has_five_rows_in_faq_order_and_one_cell_per_link():
    m = faq_concept_matrix()
    assert m.index.tolist() == ["faq1", "faq2", "faq3", "faq4", "faq5"]
    assert sorted(m.columns) == sorted(TOUCHED)
    assert m.shape == (5, 9)
    assert int(m.values.sum()) == len(LINKS) == 17
    assert set(m.values.ravel()) <= {0, 1}
    pairs = {(link["faq_id"], link["concept_id"]) for link in LINKS}
    for faq_id in m.index:
        for concept_id in m.columns:
            assert m.at[faq_id, concept_id] == int((faq_id, concept_id) in pairs)
    # Columns follow the map's left-to-right order of kinds.
    order = ["practice", "challenge", "activity", "hormone", "brain_system", "state", "outcome"]
    kind = {c["concept_id"]: c["kind"] for c in CONCEPTS}
    ranks = [order.index(kind[c]) for c in m.columns]
    assert ranks == sorted(ranks)
    # Every answer relies on sex itself, and no concept is used more.
    assert m.sum().idxmax() == "sex" and int(m["sex"].sum()) == 5


def test_echoes_name_the_body_section_each_link_echoes():
    echoes = faq_echoes()
    assert len(echoes) == len(LINKS)
    by_pair = {(link["faq_id"], link["concept_id"]): link for link in LINKS}
    for row in echoes.itertuples(index=False):
        expected = by_pair[(row.faq_id, row.concept_id)]["echoes_section_id"]
        assert (row.echoes_section_id if isinstance(row.echoes_section_id, str) else "") == expected
    got = echoes.set_index(["faq_id", "concept_id"])
    assert got.at[("faq1", "communication"), "echoes"] == "5.B"
    assert got.at[("faq4", "emotional_intimacy"), "echoes"] == "7 Gottman"
    assert got.at[("faq4", "sex"), "echoes_title"] == "8. Conclusion"
    sections_echoed = Counter(
        link["echoes_section_id"] for link in LINKS if link["echoes_section_id"]
    )
    assert sections_echoed.most_common(2) == [("s5b", 3), ("s5e", 3)]


def test_faq1_quality_over_quantity_has_no_echo_in_the_body():
    only = faq_only()
    expected = [
        (link["faq_id"], link["concept_id"]) for link in LINKS if not link["echoes_section_id"]
    ]
    assert sorted(zip(only.faq_id, only.concept_id, strict=True)) == sorted(expected)
    assert len(only) == 4
    first = only.iloc[0]
    assert (first.faq_id, first.concept_id) == ("faq1", "sex")
    assert "quality" in first.note.lower()
    assert first.question.startswith("How often")
    # Advice for new parents: gradually reintroducing sex is said only in the FAQ.
    assert ("faq5", "sex") in set(zip(only.faq_id, only.concept_id, strict=True))


def test_untouched_concepts_are_in_the_map_but_in_no_faq_link():
    untouched = untouched_concepts()
    assert sorted(untouched.concept_id) == sorted(IN_MAP - TOUCHED)
    assert len(untouched) == len(CONCEPTS) - len(TOUCHED)  # every concept is in the map
    hormones = {c["concept_id"] for c in CONCEPTS if c["kind"] in ("hormone", "brain_system")}
    assert hormones <= set(untouched.concept_id)
    for row in untouched.itertuples(index=False):
        n = sum(1 for r in RELATIONS if row.concept_id in (r["source"], r["target"]))
        assert row.relations == n


def test_reach_counts_per_kind_add_up():
    reach = faq_reach().set_index("kind")
    kind = {c["concept_id"]: c["kind"] for c in CONCEPTS}
    for k in reach.index:
        in_kind = {c for c in IN_MAP if kind[c] == k}
        assert reach.at[k, "concepts"] == len(in_kind)
        assert reach.at[k, "touched"] == len(in_kind & TOUCHED)
    assert int(reach.concepts.sum()) == len(IN_MAP) == len(CONCEPTS)
    assert int(reach.touched.sum()) == len(TOUCHED) == 9
    assert reach.at["hormone", "touched"] == 0
    assert reach.at["state", "touched_share"] == pytest.approx(1 / 12)


def test_a_new_echo_removes_a_faq_only_row(data_copy):
    rewrite(data_copy / "faq_links.csv", "faq3,sex,,", "faq3,sex,s6b,")
    only = faq_only(data_dir=data_copy)
    assert ("faq3", "sex") not in set(zip(only.faq_id, only.concept_id, strict=True))
    assert len(only) == 3
    assert faq_overview(data_dir=data_copy).set_index("faq_id").at["faq3", "faq_only"] == 0
