"""The grading rules on hand-made cases, and validate() enforcing them on the data."""

from __future__ import annotations

import csv
from itertools import product

import pandas as pd
import pytest

from explainer import DataError, load, validate
from explainer.audit import RATING_WORDS, claim_audit
from explainer.grading import (
    CERTAINTIES,
    INDIRECT_CAP,
    Grade,
    bearing_for,
    body_certainty,
    caveats_applying,
    directness,
    evidence_problems,
    grade,
    rating,
    row_certainty,
)
from explainer.tables import schema
from tests._shared_data import shared_data_fixture

from .conftest import rewrite, rows

NO_CAVEATS = pd.DataFrame(columns=["caveat_id", "applies_when", "domain", "rate_down"])
CAVEATS = pd.DataFrame(
    [
        ("assay", "method:blood_oxytocin", "risk_of_bias", 1),
        ("spray", "method:intranasal_oxytocin", "publication_bias", 1),
        ("small", "n_below:100", "imprecision", 1),
        ("tiny", "n_below:30", "imprecision", 1),
        ("unknown_n", "n_unknown", "imprecision", 1),
    ],
    columns=["caveat_id", "applies_when", "domain", "rate_down"],
)


def study(ref_id="s", **kw):
    """A hand-made evidence row: a large, direct randomised trial unless told otherwise."""
    row = {
        "ref_id": ref_id,
        "population": "humans",
        "n": 5000,
        "design": "randomised_trial",
        "methods": "",
        "exposure_match": "match",
        "outcome_match": "match",
        "result": "for",
        "unit_n": 5000,
        "direction": "experiment",
    }
    row.update(kw)
    row["bearing"] = bearing_for(
        row["result"], row["population"], row["exposure_match"], row["outcome_match"]
    )
    return row


RATINGS = load("ratings")


# --- the bearing rule ---------------------------------------------------------------

EXPECTED = {  # written out from the descriptor's table, independently of the code
    ("for", "direct"): "supports",
    ("for", "partial"): "partly_supports",
    ("for", "indirect"): "partly_supports",
    ("mixed", "direct"): "complicates",
    ("mixed", "partial"): "complicates",
    ("mixed", "indirect"): "complicates",
    ("null", "direct"): "contradicts",
    ("null", "partial"): "complicates",
    ("null", "indirect"): "complicates",
    ("against", "direct"): "contradicts",
    ("against", "partial"): "complicates",
    ("against", "indirect"): "complicates",
}


@pytest.mark.parametrize(
    ("result", "population", "exposure", "outcome"),
    list(
        product(
            ["for", "mixed", "null", "against"],
            ["humans", "animals"],
            ["match", "partial", "mismatch"],
            ["match", "partial", "mismatch"],
        )
    ),
)
def test_bearing_rule_on_every_combination(result, population, exposure, outcome):
    if population == "animals" or "mismatch" in (exposure, outcome):
        how = "indirect"
    elif exposure == outcome == "match":
        how = "direct"
    else:
        how = "partial"
    assert directness(population, exposure, outcome) == how
    assert bearing_for(result, population, exposure, outcome) == EXPECTED[(result, how)]


def test_only_direct_evidence_can_fully_support_or_contradict():
    for result, pop, e, o in product(
        ["for", "mixed", "null", "against"],
        ["humans", "animals"],
        ["match", "partial", "mismatch"],
        ["match", "partial", "mismatch"],
    ):
        if bearing_for(result, pop, e, o) in ("supports", "contradicts"):
            assert directness(pop, e, o) == "direct"


def test_bearing_rejects_unknown_words():
    with pytest.raises(ValueError, match="unknown result 'proves'"):
        bearing_for("proves", "humans", "match", "match")
    with pytest.raises(ValueError, match="unknown match 'close'"):
        bearing_for("for", "humans", "close", "match")


# --- certainty, on hand-made studies ------------------------------------------------------


def test_a_large_well_designed_direct_study_gives_high_certainty_and_rating_5():
    g = grade([study()], CAVEATS)
    assert (g.verdict, g.certainty, g.indirect_only, g.body) == ("supported", "high", False, ("s",))
    assert all(levels == 0 for _, levels in g.down)
    assert rating(g, RATINGS) == 5


def test_a_nasal_spray_study_is_rated_down_and_never_reaches_4():
    spray = study(
        n=94, methods="intranasal_oxytocin", exposure_match="partial", outcome_match="partial"
    )
    level, down = row_certainty(spray, CAVEATS)
    assert down["publication_bias"] == 1 and down["indirectness"] == 2 and down["imprecision"] == 1
    assert level == "very_low"
    g = grade([spray], CAVEATS)
    assert g.verdict == "partly_supported" and g.indirect_only
    assert rating(g, RATINGS) <= INDIRECT_CAP


def test_an_animal_study_is_indirect_even_when_it_is_a_perfect_trial():
    vole = study(population="animals")
    assert vole["bearing"] == "partly_supports"
    level, down = row_certainty(vole, NO_CAVEATS)
    assert down["indirectness"] == 2 and level == "low"
    g = grade([vole], NO_CAVEATS)
    assert g.indirect_only and rating(g, RATINGS) <= INDIRECT_CAP


def test_a_mismatched_outcome_cannot_support_and_is_rated_down_twice():
    desire = study(outcome_match="mismatch")  # desire measured, bonding claimed
    assert desire["bearing"] == "partly_supports"
    assert row_certainty(desire, NO_CAVEATS) == (
        "low",
        {
            "indirectness": 2,
            "imprecision": 0,
            "risk_of_bias": 0,
            "publication_bias": 0,
            "inconsistency": 0,
        },
    )


def test_small_samples_are_imprecise_and_tiny_ones_doubly_so():
    assert row_certainty(study(n=150), CAVEATS)[1]["imprecision"] == 0
    assert row_certainty(study(n=60), CAVEATS)[1]["imprecision"] == 1
    assert row_certainty(study(n=10), CAVEATS)[1]["imprecision"] == 2
    assert row_certainty(study(n=None), CAVEATS)[1]["imprecision"] == 1


def test_blood_oxytocin_carries_the_assay_caveat():
    level, down = row_certainty(study(methods="blood_oxytocin"), CAVEATS)
    assert down["risk_of_bias"] == 1 and level == "moderate"


def test_a_body_that_points_both_ways_is_mixed_and_rated_down_for_inconsistency():
    g = grade([study("a"), study("b", result="null")], CAVEATS)
    assert g.verdict == "mixed" and g.certainty == "moderate"
    assert dict(g.down)["inconsistency"] == 1
    assert any("inconsistency" in r for r in g.reasons)
    assert rating(g, RATINGS) == 3


def test_the_whole_body_decides_not_only_its_best_study():
    # the old rule kept only the trial; GRADE weighs every included study
    trial = study("trial")
    weak = study("weak", design="cross_sectional", result="against", unit_n=40)
    g = grade([trial, weak], CAVEATS)
    assert g.body == ("trial", "weak") and g.verdict == "mixed"


def test_the_body_starts_from_its_best_design_and_takes_the_median_rate_down():
    survey = study(design="cross_sectional", direction="same_time")
    biased = {**survey, "methods": "convenience_sample; self_report"}
    cav = load("caveats")
    # effect: observational only starts low; two of three studies at serious risk of bias
    level, down, _ = body_certainty(
        [dict(biased, ref_id="a"), dict(biased, ref_id="b"), dict(survey, ref_id="c")],
        cav,
        kind="effect",
    )
    assert down["risk_of_bias"] == 2 and level == "very_low"
    # one clean trial among them lifts the start, not the median
    level, down, _ = body_certainty(
        [dict(biased, ref_id="a"), dict(biased, ref_id="b"), study("t")], cav, kind="effect"
    )
    assert down["risk_of_bias"] == 2 and level == "low"
    # the lower median: two studies at 0 and 1 rate down 0
    level, down, _ = body_certainty(
        [study("x"), dict(study("y"), methods="convenience_sample")], cav, kind="effect"
    )
    assert down["risk_of_bias"] == 0 and level == "high"


@pytest.mark.parametrize(
    ("units", "down"), [(5000, 0), (400, 0), (399, 1), (100, 1), (99, 2), (None, 2)]
)
def test_imprecision_counts_the_units_compared_not_the_people(units, down):
    # a trial of couples: 60 couples are 120 people but 60 units
    trial = study(n=None if units is None else 2 * units, unit_n=units)
    assert dict(grade([trial], NO_CAVEATS).down)["imprecision"] == down


def test_imprecision_adds_the_units_of_the_body_s_distinct_studies():
    rows_ = [study("a", unit_n=150), study("a", unit_n=150), study("b", unit_n=260)]
    assert dict(grade(rows_, NO_CAVEATS).down)["imprecision"] == 0
    g = grade(rows_[:2], NO_CAVEATS)
    assert dict(g.down)["imprecision"] == 1
    assert "rated down 1 for imprecision (150 units compared)" in g.reasons


def test_narrow_and_convenience_samples_and_one_questionnaire_rate_down():
    cav = load("caveats")
    newlyweds = study(design="longitudinal", methods="convenience_sample; narrow_sample")
    level, down = row_certainty(newlyweds, cav, kind="association")
    assert down["risk_of_bias"] == 1 and down["indirectness"] == 1 and level == "low"
    survey = study(design="cross_sectional", methods="convenience_sample; self_report")
    assert row_certainty(survey, cav, kind="association")[1]["risk_of_bias"] == 2


def test_a_comparator_that_only_partly_matches_is_indirect():
    singles = study(comparator_match="partial")
    assert row_certainty(singles, NO_CAVEATS)[1]["indirectness"] == 1
    assert row_certainty(study(), NO_CAVEATS)[1]["indirectness"] == 0
    # the bearing rule does not read the comparator
    assert singles["bearing"] == "supports"


def test_a_claim_of_effect_says_whether_the_direction_is_known():
    diaries = [study("d", design="longitudinal", direction="both_ways")]
    g = grade(diaries, NO_CAVEATS, kind="effect")
    assert g.direction.startswith("not known") and "both ways" in g.direction
    assert grade([*diaries, study("t")], NO_CAVEATS).direction.startswith("tested")
    assert grade(diaries, NO_CAVEATS, kind="association").direction == ""


def test_unit_rules_read_unit_n_and_n_rules_read_n():
    row = {"n": 500, "unit_n": 40}
    cav = pd.DataFrame(
        {
            "caveat_id": ["u", "n", "uu"],
            "applies_when": ["unit_below:100", "n_below:100", "unit_unknown"],
        }
    )
    assert caveats_applying(row, cav) == ["u"]
    assert caveats_applying({"n": 500, "unit_n": None}, cav) == ["uu"]


def test_observational_studies_start_high_only_for_claims_of_association():
    survey = study(design="cross_sectional")
    assert row_certainty(survey, NO_CAVEATS, kind="association")[0] == "high"
    assert row_certainty(survey, NO_CAVEATS, kind="effect")[0] == "low"
    lab = study(design="lab_observation")
    assert row_certainty(lab, NO_CAVEATS, kind="association")[0] == "low"
    # a laboratory study with a control session is not randomised: it starts low too
    controlled = study(design="lab_controlled")
    assert row_certainty(controlled, NO_CAVEATS, kind="effect")[0] == "low"


def test_each_domain_rates_down_by_at_most_two_levels():
    worst = study(population="animals", exposure_match="mismatch", outcome_match="mismatch", n=5)
    level, down = row_certainty(worst, CAVEATS)
    assert max(down.values()) <= 2 and level == "very_low"


def test_no_evidence_gives_no_certainty_and_no_rating():
    assert grade([], CAVEATS) == Grade("not_checked", "")
    assert grade([study()], CAVEATS, assessable=False).verdict == "not_assessable"
    assert rating(Grade("not_checked", ""), RATINGS) is None


@pytest.mark.parametrize("combo", list(product(["match", "partial"], repeat=2)))
def test_indirect_only_claims_never_rate_above_the_cap(combo):
    for design, result in product(["randomised_trial", "cross_sectional"], ["for", "null"]):
        g = grade(
            [study(design=design, result=result, exposure_match=combo[0], outcome_match=combo[1])],
            NO_CAVEATS,
            kind="association",
        )
        value = rating(g, RATINGS)
        if g.indirect_only:
            assert value <= INDIRECT_CAP
        else:
            assert combo == ("match", "match")


# --- the ratings table ------------------------------------------------------------


def test_every_cell_of_the_ratings_table_can_be_reached():
    """A partly supported body is never direct, so the cap always applies: its cells say at
    most the cap; every other verdict can be reached by a direct body."""
    for r in rows("ratings"):
        if r["verdict"] == "partly_supported":
            assert int(r["rating"]) <= INDIRECT_CAP, r
    # and a partly supported body is indeed always indirect
    for combo in product(["match", "partial", "mismatch"], repeat=2):
        g = grade([study(exposure_match=combo[0], outcome_match=combo[1])], NO_CAVEATS)
        if g.verdict == "partly_supported":
            assert g.indirect_only


def test_the_ratings_table_covers_every_verdict_and_certainty_in_order():
    table = rows("ratings")
    pairs = [(r["verdict"], r["certainty"]) for r in table]
    verdicts = [r["verdict"] for r in rows("verdicts") if r["rating"]]
    assert pairs == list(product(verdicts, CERTAINTIES))
    for r in table:
        assert r["alternate_name"] == RATING_WORDS[int(r["rating"])]
    # a verdict's rating in the verdicts table is what it reaches at high certainty
    best = {r["verdict"]: r["rating"] for r in table if r["certainty"] == "high"}
    assert best == {r["verdict"]: r["rating"] for r in rows("verdicts") if r["rating"]}
    # more certainty never moves a rating towards 'unproven' (3) from the wrong side
    for v in verdicts:
        values = [int(r["rating"]) for r in table if r["verdict"] == v]
        distance = [abs(x - 3) for x in values]
        assert distance == sorted(distance, reverse=True), v


# --- the data ------------------------------------------------------------------------


def test_every_bearing_in_the_data_follows_from_its_criteria():
    for r in rows("evidence"):
        want = bearing_for(r["result"], r["population"], r["exposure_match"], r["outcome_match"])
        assert r["bearing"] == want, (r["claim_id"], r["ref_id"])
        if directness(r["population"], r["exposure_match"], r["outcome_match"]) != "direct":
            assert r["match_note"], (r["claim_id"], r["ref_id"])


def test_caveats_are_applied_even_handedly():
    """Every study measuring oxytocin in blood carries the assay caveat, every spray
    study the publication-bias caveat, every small study the imprecision caveat."""
    attached = {(r["ref_id"], r["caveat_id"]) for r in rows("evidence_caveats")}
    studies = {r["ref_id"]: r for r in rows("evidence")}
    assert any("blood_oxytocin" in s["methods"] for s in studies.values())
    for ref, s in studies.items():
        methods = {m.strip() for m in s["methods"].split(";") if m.strip()}
        assert ("blood_oxytocin" in methods) == ((ref, "blood_oxytocin_assay") in attached), ref
        spray = "intranasal_oxytocin" in methods
        assert spray == ((ref, "intranasal_small_studies") in attached), ref
        small = bool(s["unit_n"]) and int(s["unit_n"]) < 100
        assert small == ((ref, "small_sample") in attached), ref
        assert ("convenience_sample" in methods) == ((ref, "convenience_sample") in attached), ref
        assert (s["population"] == "animals") == ((ref, "animal_model") in attached), ref
    sources = {r["ref_id"] for r in rows("caveats") if r["ref_id"]}
    assert {"mccullough2013", "walum2016"} <= sources


def test_at_most_a_tenth_of_empirical_claims_stay_unchecked_each_with_a_reason():
    audit = claim_audit()
    empirical = audit[audit.evidence_status != "not_applicable"]
    assert empirical.status.notna().all()
    unchecked = empirical[empirical.verdict == "not_checked"]
    assert len(unchecked) <= 0.1 * len(empirical)
    assert unchecked.reason.str.len().gt(30).all()
    checked = empirical[empirical.verdict != "not_checked"]
    assert checked.certainty.notna().all() and checked.rating.notna().all()


def test_every_reference_records_where_it_was_confirmed():
    for r in rows("references"):
        pages = r["confirmed_at"].split(" ; ")
        assert pages and all(p.startswith(("http://", "https://")) for p in pages), r["ref_id"]


# --- validate() refuses what the rules forbid --------------------------------------


# One data copy for the module, put back after each test (tests/_shared_data.py).
data_copy = shared_data_fixture()


GRADED = ("claims", "evidence", "caveats", "evidence_caveats", "references", "assessments")


def _problem(data_copy, file, column, *, full=False):
    """Return the first problem the grading checks find in a file and column.

    ``full`` runs the whole of validate() (a few seconds); otherwise only the
    grading checks that validate() runs, on the same tables.
    """
    if full:
        with pytest.raises(DataError) as info:
            validate(data_copy)
        problems = info.value.problems
    else:
        frames = {n: load(n, data_dir=data_copy) for n in GRADED}
        problems = evidence_problems(frames, {n: schema(n, data_dir=data_copy) for n in GRADED})
    found = [p for p in problems if p.file == file and p.column == column]
    assert found, [str(p) for p in problems]
    return found[0]


def _set(path, ref_id, claim_id, column, value):
    with path.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    for r in table:
        if r.get("ref_id") == ref_id and (claim_id is None or r.get("claim_id") == claim_id):
            r[column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(table[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(table)


def test_validate_refuses_a_bearing_the_criteria_contradict(data_copy):
    # a study of cuddling after sex cannot 'support' a claim about conditioning
    _set(data_copy / "evidence.csv", "muise2014", "c052", "bearing", "supports")
    p = _problem(data_copy, "evidence.csv", "bearing", full=True)
    assert p.value == "supports" and p.row and "partly_supports" in p.message


def test_validate_refuses_an_indirect_row_without_its_reason(data_copy):
    _set(data_copy / "evidence.csv", "ditzen2009", "c029", "match_note", "")
    assert _problem(data_copy, "evidence.csv", "match_note").row


def test_validate_refuses_a_study_described_two_ways(data_copy):
    _set(data_copy / "evidence.csv", "ditzen2009", "c029", "n", "940")
    p = _problem(data_copy, "evidence.csv", "n")
    assert p.value == "940" and "ditzen2009" in p.message


def test_validate_refuses_an_unknown_method(data_copy):
    # the descriptor's pattern admits any words; the names are checked here
    _set(data_copy / "evidence.csv", "ditzen2009", None, "methods", "blood_oxytocin; tarot")
    p = _problem(data_copy, "evidence.csv", "methods")
    assert p.value == "tarot" and "blood_oxytocin" in p.message


def test_validate_refuses_a_missing_or_a_stray_caveat(data_copy):
    path = data_copy / "evidence_caveats.csv"
    rewrite(path, "marazziti2006,blood_oxytocin_assay\n", "")
    p = _problem(data_copy, "evidence_caveats.csv", "ref_id")
    assert p.value == "marazziti2006" and "blood_oxytocin_assay" in p.message


def test_validate_refuses_a_caveat_the_rule_does_not_give(data_copy):
    path = data_copy / "evidence_caveats.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "heiman2011,blood_oxytocin_assay\n", encoding="utf-8"
    )
    p = _problem(data_copy, "evidence_caveats.csv", "caveat_id")
    assert p.value == "blood_oxytocin_assay"


def test_validate_refuses_a_reference_not_recorded_as_confirmed(data_copy):
    _set(data_copy / "references.csv", "ditzen2009", None, "confirmed_at", "seen somewhere")
    p = _problem(data_copy, "references.csv", "confirmed_at")
    assert p.value == "seen somewhere"


def test_validate_refuses_a_doi_not_recorded_as_confirmed(data_copy):
    _set(data_copy / "references.csv", "ditzen2009", None, "doi_seen_at", "")
    p = _problem(data_copy, "references.csv", "doi_seen_at")
    assert p.row == 1 + [r["ref_id"] for r in rows("references")].index("ditzen2009") + 1


def test_validate_refuses_an_unchecked_claim_without_a_reason(data_copy):
    _set(data_copy / "assessments.csv", None, "c031", "reason", "")
    p = _problem(data_copy, "assessments.csv", "reason")
    assert p.row == 1 + [r["claim_id"] for r in rows("assessments")].index("c031") + 1


def test_the_shipped_data_passes_the_grading_checks():
    frames = {n: load(n) for n in GRADED}
    assert evidence_problems(frames, {n: schema(n) for n in GRADED}) == []
