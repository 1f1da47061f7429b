"""The review process: protocols, searches, screening, the second reading and its agreement."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from explainer import DataError, load, validate
from explainer.grading import bearing_for
from explainer.review import COMPARED, agreement_table, cohen_kappa, prisma_flow, second_bearing
from tests._shared_data import shared_data_fixture

from .conftest import rows

# --- Cohen's kappa on hand-made cases, with values known from the literature ----------


def test_kappa_of_perfect_agreement_is_one_and_of_perfect_disagreement_minus_one():
    assert cohen_kappa(list("abab"), list("abab"))[0] == 1.0
    assert cohen_kappa(list("abab"), list("baba"))[0] == -1.0


def test_kappa_matches_the_textbook_two_by_two_example():
    # 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15 (kappa = 0.4)
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    kappa, observed, expected = cohen_kappa(a, b)
    assert observed == pytest.approx(0.7) and expected == pytest.approx(0.5)
    assert kappa == pytest.approx(0.4)


def test_kappa_is_zero_at_chance_and_ignores_blank_pairs():
    # agreement exactly at the chance rate
    assert cohen_kappa(list("aabb"), list("abab"))[0] == pytest.approx(0.0)
    assert cohen_kappa(["a", "b", "", None], ["a", "b", "a", "b"])[0] == 1.0


def test_kappa_when_both_readers_use_one_label_only_is_one():
    assert cohen_kappa(list("aaa"), list("aaa")) == (1.0, 1.0, 1.0)


def test_kappa_refuses_readings_of_different_lengths_or_with_nothing_in_common():
    with pytest.raises(ValueError, match="length"):
        cohen_kappa(["a"], ["a", "b"])
    with pytest.raises(ValueError, match="both readers"):
        cohen_kappa(["", None], ["a", "b"])


# --- the data -----------------------------------------------------------------------------


def test_the_second_reader_s_bearing_is_derived_by_the_same_rule():
    for r in rows("second_readings"):
        reading = {c: r[f"second_{c}"] for c in ("population", "exposure_match", "outcome_match")}
        reading["result"] = r["second_result"]
        if all(reading.values()):
            want = bearing_for(
                reading["result"],
                reading["population"],
                reading["exposure_match"],
                reading["outcome_match"],
            )
            assert r["second_bearing"] == want == second_bearing(reading)


def test_the_sample_is_at_least_thirty_percent_and_every_disagreement_is_resolved():
    readings = rows("second_readings")
    sampled = {(r["claim_id"], r["ref_id"]) for r in readings}
    evidence = {(r["claim_id"], r["ref_id"]) for r in rows("evidence")}
    # the sample was drawn from the rows before the re-read; rows that left keep their keys
    assert len(sampled) >= 0.3 * len(evidence | sampled) - 1
    for r in readings:
        differ = [
            c
            for c in COMPARED
            if r[f"first_{c}"] and r[f"second_{c}"] and r[f"first_{c}"] != r[f"second_{c}"]
        ]
        if differ:
            assert r["resolution"] in ("first", "second", "neither") and r["resolution_note"]
        if (r["claim_id"], r["ref_id"]) not in evidence:
            assert r["resolution"] == "neither" and "left the body" in r["resolution_note"]


def test_the_agreement_table_is_what_the_readings_give():
    shipped = load("agreement").set_index("column")
    computed = agreement_table(load("second_readings")).set_index("column")
    assert list(shipped.index) == list(computed.index)
    for col in ("pairs", "agree", "observed", "expected", "kappa"):
        assert shipped[col].astype(float).round(3).tolist() == computed[col].tolist()
    assert shipped.loc["population", "kappa"] == 1


def test_the_prisma_flow_adds_up_for_every_family():
    flow = prisma_flow(load("screening"), load("searches"))
    families = [r["family_id"] for r in rows("families")]
    assert sorted(flow.family_id) == sorted(families)
    for f in flow.itertuples():
        assert f.from_searches + f.from_earlier_list == f.duplicates + f.screened
        assert f.screened == f.excluded + f.included
        assert f.studies <= f.included
    log = rows("screening")
    assert sum(flow.from_searches) + sum(flow.from_earlier_list) == len(log)


def test_every_protocol_is_a_pico_question_with_its_searches_and_criteria():
    searches = rows("searches")
    for p in rows("protocols"):
        for col in ("population", "exposure", "comparator", "outcome", "include", "exclude"):
            assert len(p[col]) > 5, (p["family_id"], col)
        queries = [s["query"] for s in searches if s["family_id"] == p["family_id"]]
        assert p["search_terms"].split(" | ") == [q for q in queries if q]
        assert "search index" in p["searched_in"]


def test_every_evidence_row_was_included_by_its_family_s_protocol():
    family = {r["claim_id"]: r["family_id"] for r in rows("assessments")}
    included = {
        (r["family_id"], r["ref_id"]) for r in rows("screening") if r["decision"] == "included"
    }
    for r in rows("evidence"):
        assert (family[r["claim_id"]], r["ref_id"]) in included, r


# --- bad input: a DataError naming table, row and column ---------------------------------


data_copy = shared_data_fixture()


def _edit(path, match, column, value):
    with path.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    row = 2 + [all(r[k] == v for k, v in match.items()) for r in table].index(True)
    for r in table:
        if all(r[k] == v for k, v in match.items()):
            r[column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(table[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(table)
    return row


def _refused(data_copy, file, column):
    with pytest.raises(DataError) as info:
        validate(data_copy)
    found = [p for p in info.value.problems if p.file == file and p.column == column]
    assert found, [str(p) for p in info.value.problems]
    return found[0]


def test_a_screening_log_naming_an_unknown_reference_is_refused(data_copy):
    row = _edit(
        data_copy / "screening.csv",
        {"search_id": "oxytocin-1", "rank": "5"},
        "ref_id",
        "nobody2099",
    )
    p = _refused(data_copy, "screening.csv", "ref_id")
    assert p.row == row and p.value == "nobody2099"


def test_a_protocol_for_an_unknown_family_is_refused(data_copy):
    row = _edit(data_copy / "protocols.csv", {"family_id": "mood"}, "family_id", "astrology")
    p = _refused(data_copy, "protocols.csv", "family_id")
    assert p.row == row and p.value == "astrology"


def test_a_kappa_outside_minus_one_to_one_is_refused(data_copy):
    row = _edit(data_copy / "agreement.csv", {"column": "bearing"}, "kappa", "1.7")
    p = _refused(data_copy, "agreement.csv", "kappa")
    assert p.row == row and p.value == "1.7"


def test_a_unit_size_larger_than_the_sample_is_refused(data_copy):
    row = _edit(
        data_copy / "evidence.csv", {"claim_id": "c028", "ref_id": "ditzen2009"}, "unit_n", "95"
    )
    _edit(data_copy / "evidence.csv", {"ref_id": "ditzen2009"}, "unit_n", "95")
    p = _refused(data_copy, "evidence.csv", "unit_n")
    assert p.row == row and p.value == "95" and "94" in p.message


def test_an_evidence_row_the_protocol_did_not_include_is_refused(data_copy):
    _edit(
        data_copy / "screening.csv",
        {"search_id": "oxytocin-2", "rank": "5"},
        "decision",
        "excluded",
    )
    _edit(
        data_copy / "screening.csv",
        {"search_id": "oxytocin-2", "rank": "5"},
        "reason",
        "not_research",
    )
    p = _refused(data_copy, "evidence.csv", "ref_id")
    assert p.value == "holtlunstad2014" and "oxytocin" in p.message


def test_a_disagreement_without_a_resolution_note_is_refused(data_copy):
    row = _edit(data_copy / "second_readings.csv", {"claim_id": "c061"}, "resolution_note", "")
    p = _refused(data_copy, "second_readings.csv", "resolution_note")
    assert p.row == row and "result" in p.message


def test_an_agreement_row_the_readings_do_not_give_is_refused(data_copy):
    _edit(data_copy / "agreement.csv", {"column": "result"}, "agree", "40")
    p = _refused(data_copy, "agreement.csv", "agree")
    assert p.value == "40"


def test_pandas_frames_work_as_well_as_tables():
    frame = pd.DataFrame({"first_bearing": ["supports"], "second_bearing": ["supports"]})
    assert agreement_table(frame).kappa.tolist() == [1.0]


def test_an_omission_sentence_without_a_reference_is_refused(data_copy):
    row = _edit(data_copy / "omissions.csv", {"omission_id": "why_people_have_sex"}, "ref_id", "")
    p = _refused(data_copy, "omissions.csv", "ref_id")
    assert p.row == row and "reference" in p.message


def test_every_fact_the_article_leaves_out_has_a_reference_that_is_in_the_references():
    refs = {r["ref_id"] for r in rows("references")}
    topics = set()
    for r in rows("omissions"):
        if r["about"] == "research":
            assert r["ref_id"] in refs, r["omission_id"]
        topics.add(r["omission_id"])
    assert {"which_came_first", "why_people_have_sex"} <= topics
