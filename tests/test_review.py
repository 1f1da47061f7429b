"""The review process: protocols, searches, screening, the second reading and its agreement."""

from __future__ import annotations

import contextlib
import csv

import pandas as pd
import pytest

from explainer import DataError, load, validate
from explainer.grading import bearing_for
from explainer.review import (
    BLIND_COMPARED,
    COMPARED,
    agreement_rounds,
    agreement_table,
    cohen_kappa,
    differences,
    prisma_flow,
    round_agreement,
    rounds,
    second_bearing,
)
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


# --- round 2: the table against a blind reader, under the clarified rules -----------------


def test_differences_compare_only_where_both_sides_have_a_value_and_numbers_as_written():
    r = pd.DataFrame(
        {
            "claim_id": ["c1", "c2", "c3"],
            "ref_id": ["a", "b", "c"],
            "table_result": ["for", "", "null"],
            "blind_result": ["mixed", "for", "null"],
            "table_n": [40, 12, None],
            "blind_n": [40.0, 13.0, 9.0],
        }
    )
    got = differences(r, columns=("result", "n")).values.tolist()
    assert got == [["c1", "a", "result", "for", "mixed"], ["c2", "b", "n", "12", "13"]]
    assert differences(r, ("blind", "table"), ("result",)).columns.tolist()[-2:] == [
        "blind",
        "table",
    ]


def test_agreement_of_a_hand_made_round_two_reading():
    # 4 pairs on the comparator: 2 agree; table says match 3 times, blind partial 3 times
    r = pd.DataFrame(
        {
            "table_comparator_match": ["match", "match", "match", "partial", "match"],
            "blind_comparator_match": ["match", "partial", "partial", "partial", ""],
            "table_read_in": ["abstract"] * 5,
            "blind_read_in": ["abstract"] * 5,
        }
    )
    got = agreement_table(r, ("table", "blind"), BLIND_COMPARED).set_index("column")
    assert list(got.index) == ["comparator_match", "read_in"]
    # observed 2/4; expected (3/4 * 1/4) + (1/4 * 3/4) = 0.375; kappa 0.125 / 0.625 = 0.2
    assert got.at["comparator_match", "pairs"] == 4 and got.at["comparator_match", "agree"] == 2
    assert got.at["comparator_match", "expected"] == 0.375
    assert got.at["comparator_match", "kappa"] == 0.2
    assert got.at["read_in", "kappa"] == 1.0


def test_round_two_reads_the_same_sample_as_round_one():
    first = [(r["claim_id"], r["ref_id"]) for r in rows("second_readings")]
    blind = [(r["claim_id"], r["ref_id"]) for r in rows("blind_readings") if r["round"] == "2"]
    assert blind == first


def test_round_three_reads_a_fresh_sample_of_rows_in_the_table_when_read():
    earlier = {(r["claim_id"], r["ref_id"]) for r in rows("second_readings")}
    third = [(r["claim_id"], r["ref_id"]) for r in rows("blind_readings") if r["round"] == "3"]
    evidence = {(r["claim_id"], r["ref_id"]) for r in rows("evidence")}
    # at least 30% of the evidence rows, none read before, every one compared
    assert len(third) >= 0.3 * len(evidence) and not set(third) & earlier
    # every one was in the table when it was read: compared, with a table bearing
    assert all(r["table_bearing"] for r in rows("blind_readings") if r["round"] == "3")
    assert {r["round"] for r in rows("blind_agreement")} == {"2", "3"}


def test_the_blind_reader_s_bearing_is_derived_by_the_same_rule():
    derived = 0
    for r in rows("blind_readings"):
        for who in ("table", "blind"):
            reading = {c: r[f"{who}_{c}"] for c in ("population", "exposure_match")}
            reading |= {c: r[f"{who}_{c}"] for c in ("outcome_match", "result")}
            assert r[f"{who}_bearing"] == second_bearing(reading)
            derived += bool(r[f"{who}_bearing"])
    assert derived > 70


def test_rows_that_left_the_table_keep_their_key_and_say_why():
    evidence = {(r["claim_id"], r["ref_id"]) for r in rows("evidence")}
    for r in rows("blind_readings"):
        gone = (r["claim_id"], r["ref_id"]) not in evidence
        assert gone == bool(r["table_note"]), r["ref_id"]
        # a row the table no longer held when it was read has no table reading
        if r["table_bearing"] == "":
            assert gone, r["ref_id"]


def test_every_blind_difference_has_one_resolution_of_its_round_and_the_evidence_follows_it():
    readings = load("blind_readings")
    differ = differences(readings)
    keys = zip(readings.claim_id, readings.ref_id, strict=True)
    read_in = dict(zip(keys, readings["round"], strict=True))
    resolved = {(r["claim_id"], r["ref_id"], r["column"]): r for r in rows("blind_resolutions")}
    assert len(resolved) == len(differ) > 0
    assert {r["round"] for r in resolved.values()} == {"2", "3"}
    evidence = {(r["claim_id"], r["ref_id"]): r for r in rows("evidence")}
    for d in differ.itertuples(index=False):
        res = resolved[(d.claim_id, d.ref_id, d.column)]
        assert int(res["round"]) == read_in[(d.claim_id, d.ref_id)]
        want = {"table": d.table, "blind": d.blind}.get(res["resolution"], res["value"])
        assert res["value"] == want and res["note"]
        assert evidence[(d.claim_id, d.ref_id)][d.column] == want, (d.claim_id, d.ref_id)


def test_each_round_s_agreement_is_what_its_raw_readings_give():
    shipped = load("blind_agreement")
    computed = round_agreement(load("blind_readings"))
    assert shipped["round"].tolist() == computed["round"].tolist()
    assert shipped.column.tolist() == computed.column.tolist() == list(BLIND_COMPARED) * 2
    for col in ("pairs", "agree", "observed", "expected", "kappa"):
        assert shipped[col].astype(float).round(3).tolist() == computed[col].tolist()


def test_round_agreement_computes_each_round_from_its_own_rows_only():
    r = pd.DataFrame(
        {
            "round": [2, 2, 3, 3],
            "table_bearing": ["supports", "complicates", "supports", "supports"],
            "blind_bearing": ["supports", "complicates", "complicates", "supports"],
        }
    )
    got = round_agreement(r).set_index("round")
    assert got.at[2, "kappa"] == 1.0 and got.at[2, "pairs"] == 2
    # round 3 alone: one of two agree, table always 'supports' -> expected 0.5, kappa 0
    assert got.at[3, "agree"] == 1 and got.at[3, "expected"] == 0.5 and got.at[3, "kappa"] == 0.0
    assert [n for _, p in rounds(r) for n in p.attrs["row_numbers"]] == [2, 3, 4, 5]


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


def _drop(path, match):
    with path.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    kept = [r for r in table if not all(r[k] == v for k, v in match.items())]
    assert len(kept) == len(table) - 1
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(table[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(kept)


_C080 = {"claim_id": "c080", "ref_id": "heiman2011"}


def test_a_round_two_difference_without_a_resolution_is_refused(data_copy):
    _drop(data_copy / "blind_resolutions.csv", {**_C080, "column": "result"})
    p = _refused(data_copy, "blind_readings.csv", "blind_result")
    assert p.row == 39 and p.value == "mixed" and "blind_resolutions" in p.message


@pytest.mark.parametrize(
    ("column", "value", "refused", "said"),
    [
        ("column", "population", "column", "do not differ"),  # the readings agree there
        ("resolution", "table", "value", "'for'"),  # the value is the blind reader's
        ("resolution", "vote", "resolution", "vote"),  # not a resolution
        ("ref_id", "muise2014", "ref_id", "not read in round 2"),
    ],
)
def test_a_resolution_that_does_not_fit_the_readings_is_refused(
    data_copy, column, value, refused, said
):
    path = data_copy / "blind_resolutions.csv"
    row = _edit(path, {**_C080, "column": "result"}, column, value)
    p = _refused(data_copy, "blind_resolutions.csv", refused)
    assert p.row == row and said in f"{p.message} {p.value}"


def test_an_evidence_row_that_does_not_follow_its_resolution_is_refused(data_copy):
    row = _edit(data_copy / "evidence.csv", _C080, "result", "for")
    _edit(data_copy / "evidence.csv", _C080, "bearing", "supports")  # as the rule gives
    with pytest.raises(DataError) as info:
        validate(data_copy)
    problems = [p for p in info.value.problems if p.file == "evidence.csv" and p.row == row]
    assert {p.column for p in problems} == {"result", "bearing"}
    assert all("blind_resolutions" in p.message for p in problems)


def test_a_blind_bearing_the_rule_does_not_give_is_refused(data_copy):
    row = _edit(data_copy / "blind_readings.csv", _C080, "blind_bearing", "supports")
    p = _refused(data_copy, "blind_readings.csv", "blind_bearing")
    assert p.row == row and p.value == "supports" and "complicates" in p.message


def test_a_round_two_kappa_outside_minus_one_to_one_is_refused(data_copy):
    row = _edit(data_copy / "blind_agreement.csv", {"column": "bearing"}, "kappa", "-1.2")
    p = _refused(data_copy, "blind_agreement.csv", "kappa")
    assert p.row == row and p.value == "-1.2"


def test_the_rounds_side_by_side_keep_each_round_s_own_numbers():
    blind = load("blind_agreement")
    two, three = (blind[blind["round"] == k].reset_index(drop=True) for k in (2, 3))
    table = agreement_rounds({"one": load("agreement"), "two": two, "three": three})
    assert table.index.tolist() == list(BLIND_COMPARED)
    assert table[("one", "kappa")].tolist()[: len(COMPARED)] == load("agreement").kappa.tolist()
    assert table[("one", "pairs")].isna().tolist() == [False] * len(COMPARED) + [True] * 2
    assert table[("two", "kappa")].tolist() == two.kappa.tolist()
    assert table[("three", "pairs")].tolist() == three.pairs.tolist()


# --- round 3: a fresh sample under rules fixed before the reading ---------------------------

_C065 = {"claim_id": "c065", "ref_id": "mcnulty2016"}


def test_a_round_three_difference_without_a_resolution_is_refused(data_copy):
    row = _edit(data_copy / "blind_readings.csv", _C065, "round", "3")  # unchanged; finds its row
    _drop(data_copy / "blind_resolutions.csv", {**_C065, "column": "result"})
    p = _refused(data_copy, "blind_readings.csv", "blind_result")
    assert p.row == row and p.value == "mixed" and "blind_resolutions" in p.message


def test_a_resolution_filed_under_another_round_than_its_reading_is_refused(data_copy):
    row = _edit(data_copy / "blind_resolutions.csv", {**_C065, "column": "result"}, "round", "2")
    p = _refused(data_copy, "blind_resolutions.csv", "round")
    assert p.row == row and p.value == "2" and "round 3" in p.message


def test_a_round_three_kappa_the_readings_do_not_give_is_refused(data_copy):
    match = {"column": "bearing", "round": "3"}
    row = _edit(data_copy / "blind_agreement.csv", match, "kappa", "0.8")
    p = _refused(data_copy, "blind_agreement.csv", "kappa")
    assert p.row == row and p.value == "0.8" and "0.799" in p.message


def test_an_agreement_row_for_a_round_nobody_read_is_refused(data_copy):
    row = _edit(data_copy / "blind_agreement.csv", {"column": "unit", "round": "3"}, "round", "4")
    p = _refused(data_copy, "blind_agreement.csv", "round")
    assert p.row == row and p.value == "4"


def test_an_evidence_row_that_does_not_follow_a_round_three_resolution_is_refused(data_copy):
    c019 = {"claim_id": "c019", "ref_id": "mallory2022"}  # the blind reader's partial stands
    row = _edit(data_copy / "evidence.csv", c019, "outcome_match", "mismatch")
    p = _refused(data_copy, "evidence.csv", "outcome_match")
    assert p.row == row and p.value == "mismatch" and "round-3 resolution" in p.message


# Found by the property tests and a sweep: a blank key or query reached the review's
# checks as NaN or 'None' and raised KeyError or TypeError instead of a DataError.
@pytest.mark.parametrize(
    ("file", "match", "column", "named"),
    [
        (
            "blind_readings.csv",
            {"claim_id": "c001", "ref_id": "le2010"},
            "claim_id",
            ("blind_readings.csv", "claim_id"),
        ),
        # the protocol's terms no longer match the searches run: named there
        ("searches.csv", {"search_id": "life-2"}, "query", ("protocols.csv", "search_terms")),
    ],
)
def test_a_blank_key_or_query_is_a_data_error_naming_it(data_copy, file, match, column, named):
    _edit(data_copy / file, match, column, "")
    _refused(data_copy, *named)


@pytest.mark.thorough
@pytest.mark.parametrize(
    "table",
    [
        "blind_readings",
        "blind_resolutions",
        "blind_agreement",
        "second_readings",
        "agreement",
        "protocols",
        "searches",
        "screening",
    ],
)
def test_every_blank_cell_of_the_review_tables_ends_in_a_pass_or_a_data_error(data_copy, table):
    path = data_copy / f"{table}.csv"
    original = path.read_bytes()
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    for column in range(len(rows[0])):
        for at in sorted({1, len(rows) // 2, len(rows) - 1}):
            edited = [list(r) for r in rows]
            edited[at][column] = ""
            with path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows(edited)
            with contextlib.suppress(DataError):  # a pass or a DataError; anything else fails
                validate(data_copy)
    path.write_bytes(original)


def test_the_searches_may_be_listed_in_any_order(data_copy):
    # Found by the property test: a protocol's terms were compared with the searches
    # joined in row order, so reordering searches.csv (harmless) broke validate().
    path = data_copy / "searches.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([rows[0], *reversed(rows[1:])])
    validate(data_copy)
