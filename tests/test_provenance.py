"""Provenance: each interpretive row says whether the article states, implies or we infer it."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from explainer import DataError, concept_graph, load, validate
from explainer.provenance import BASES, INTERPRETIVE, basis_counts
from tests.conftest import rows


def _edit(path, key_col, key, col, value):
    """Set one cell of a CSV (read and written with the standard library)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, table = reader.fieldnames, list(reader)
    hits = [i for i, r in enumerate(table) if r[key_col] == key]
    assert hits, f"{key} not in {path.name}"
    table[hits[0]][col] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    return hits[0] + 2  # the row number as a spreadsheet shows it


def _problems(data_dir):
    with pytest.raises(DataError) as info:
        validate(data_dir)
    return info.value.problems


# One row of each interpretive table: (file key column, key, an inferred or implied row).
ROWS = {
    "relations": ("relation_id", "r026"),
    "loops": ("loop_id", "happier_partners"),
    "challenges": ("challenge_id", "performance_pressure"),
    "practices": ("practice_id", "foreplay"),
    "faq_links": ("concept_id", "non_sexual_touch"),
}


@pytest.mark.parametrize("table", sorted(INTERPRETIVE))
def test_every_interpretive_row_in_the_data_has_a_basis(table):
    link = INTERPRETIVE[table]
    for r in rows(table):
        if link and not r[link]:
            assert r["basis"] == "", r
            continue
        assert r["basis"] in BASES, r
        if r["basis"] != "stated":
            assert len(r["basis_note"]) > 20, r


@pytest.mark.parametrize("table", sorted(ROWS))
def test_validate_refuses_a_row_without_basis(data_copy, table):
    key_col, key = ROWS[table]
    row = _edit(data_copy / f"{table}.csv", key_col, key, "basis", "")
    found = [p for p in _problems(data_copy) if p.file == f"{table}.csv" and p.column == "basis"]
    assert [p.row for p in found] == [row], found


@pytest.mark.parametrize("table", sorted(ROWS))
def test_validate_refuses_an_inferred_or_implied_row_without_note(data_copy, table):
    key_col, key = ROWS[table]
    row = _edit(data_copy / f"{table}.csv", key_col, key, "basis_note", "")
    found = [p for p in _problems(data_copy) if p.column == "basis_note"]
    assert [(p.file, p.row) for p in found] == [(f"{table}.csv", row)], found
    assert "note" in found[0].message


def test_validate_refuses_an_unknown_basis(data_copy):
    _edit(data_copy / "relations.csv", "relation_id", "r001", "basis", "guessed")
    problems = _problems(data_copy)
    assert any(p.file == "relations.csv" and p.value == "guessed" for p in problems), problems


def test_a_challenge_without_a_threat_may_not_have_a_basis(data_copy):
    row = _edit(data_copy / "challenges.csv", "challenge_id", "just_physical", "basis", "stated")
    found = [p for p in _problems(data_copy) if p.column == "basis"]
    assert [(p.file, p.row, p.value) for p in found] == [("challenges.csv", row, "stated")]


def test_an_empirical_claim_cannot_be_not_applicable(data_copy):
    # c071, the conclusion's "essential for long-lasting, fulfilling partnerships".
    row = _edit(data_copy / "claims.csv", "claim_id", "c071", "evidence_status", "not_applicable")
    found = [p for p in _problems(data_copy) if p.column == "evidence_status"]
    assert [(p.file, p.row, p.value) for p in found] == [("claims.csv", row, "not_applicable")]


def test_a_claim_that_is_not_empirical_is_not_applicable(data_copy):
    row = _edit(data_copy / "claims.csv", "claim_id", "c015", "evidence_status", "uncited")
    found = [p for p in _problems(data_copy) if p.column == "evidence_status"]
    assert [(p.file, p.row, p.value) for p in found] == [("claims.csv", row, "uncited")]


def test_every_edge_carries_basis_note_and_condition():
    G = concept_graph()
    expected = {r["relation_id"]: r for r in rows("relations")}
    assert G.number_of_edges() == len(expected)
    for _, _, key, d in G.edges(keys=True, data=True):
        r = expected[key]
        assert (d["basis"], d["basis_note"], d["condition"]) == (
            r["basis"],
            r["basis_note"],
            r["condition"],
        )


def test_basis_counts_add_up_to_the_table():
    relations = load("relations")
    counts = basis_counts(relations)
    assert list(counts.index) == list(BASES)
    assert counts.sum() == len(rows("relations"))
    assert counts["inferred"] == sum(r["basis"] == "inferred" for r in rows("relations"))
    by_type = basis_counts(relations, by="link_type")
    assert by_type["total"].sum() == len(relations)
    assert (by_type[list(BASES)].sum(axis=1) == by_type["total"]).all()


def test_basis_counts_keep_empty_bases():
    counts = basis_counts(pd.DataFrame({"basis": ["implied"]}))
    assert counts.to_dict() == {"stated": 0, "implied": 1, "inferred": 0}
