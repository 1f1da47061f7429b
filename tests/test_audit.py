from __future__ import annotations

import json
import re
from itertools import product

import pytest

from explainer.audit import (
    BEARINGS,
    citation_audit,
    claim_audit,
    claim_reviews,
    evidence_table,
    expert_questions,
    verdict,
)
from explainer.export import export_all

from .conftest import DATA, rows

SHEET = DATA.parent.parent / "shared" / "evidence" / "references.md"


def test_verdict_rules_in_order():
    assert verdict(["supports"]) == "supported"
    assert verdict(["partly_supports", "partly_supports"]) == "partly_supported"
    assert verdict(["supports", "complicates"]) == "mixed"
    assert verdict(["partly_supports", "contradicts"]) == "mixed"
    assert verdict(["contradicts", "complicates"]) == "contradicted"
    assert verdict(["complicates"]) == "doubtful"
    assert verdict([]) == "not_checked"
    assert verdict(["supports"], assessable=False) == "not_assessable"
    with pytest.raises(ValueError, match="unknown bearing 'refutes'"):
        verdict(["refutes"])


@pytest.mark.parametrize("combo", list(product([0, 1], repeat=4)))
def test_verdict_is_defined_for_every_combination_of_bearings(combo):
    bearings = [b for b, on in zip(BEARINGS, combo, strict=True) if on]
    got = verdict(bearings)
    backing = bool(combo[0] or combo[1])
    against = bool(combo[2] or combo[3])
    if not bearings:
        assert got == "not_checked"
    elif backing and against:
        assert got == "mixed"
    elif backing:
        assert got == ("supported" if combo[0] else "partly_supported")
    else:
        assert got == ("contradicted" if combo[3] else "doubtful")


def test_the_verdicts_table_lists_every_verdict_the_code_gives():
    table = [r["verdict"] for r in rows("verdicts")]
    given = {
        verdict([b for b, on in zip(BEARINGS, c, strict=True) if on])
        for c in product([0, 1], repeat=4)
    }
    assert given | {"not_assessable"} == set(table)


def test_claim_audit_counts_bearings_from_the_evidence_table():
    audit = claim_audit().set_index("claim_id")
    evidence = rows("evidence")
    for cid in {r["claim_id"] for r in evidence}:
        mine = [r["bearing"] for r in evidence if r["claim_id"] == cid]
        assert audit.at[cid, "references"] == len(mine)
        for b in BEARINGS:
            assert audit.at[cid, b] == mine.count(b)
        assert audit.at[cid, "verdict"] == verdict(mine)
    assert len(audit) == len(rows("claims"))


def test_non_empirical_claims_are_not_assessed_and_have_no_rating():
    audit = claim_audit()
    advice = audit[audit.evidence_status == "not_applicable"]
    assert (advice.verdict == "not_assessable").all() and advice.rating.isna().all()


def test_the_hormone_claims_are_not_on_firm_ground_but_satisfaction_is():
    audit = claim_audit().set_index("claim_id")
    assert audit.at["c029", "verdict"] == "mixed"  # the "(1)" oxytocin claim
    assert audit.at["c037", "verdict"] == "supported"  # sexual and relationship satisfaction


def test_nothing_is_attached_to_the_expert_quotes():
    experts = {r["claim_id"] for r in rows("claims") if r["claimant"] != "article"}
    assert experts and not experts & {r["claim_id"] for r in rows("evidence")}
    questions = expert_questions()
    assert len(questions) == 6 * len(rows("experts"))
    assert set(questions.answer) <= {"yes", "no", "partly", "unknown"}
    backup = questions[questions.question == "backup_evidence"]
    assert (backup.answer == "no").all()


def test_every_reference_bears_on_some_claim_and_no_finding_is_copied():
    refs = {r["ref_id"] for r in rows("references")}
    assert refs == {r["ref_id"] for r in rows("evidence")}
    if SHEET.is_file():
        sheet = SHEET.read_text(encoding="utf-8")
        for r in rows("evidence"):
            assert r["finding"] not in sheet, r


def test_every_doi_in_the_data_is_in_the_reference_sheet():
    if not SHEET.is_file():
        pytest.skip("the reference sheet is not beside this checkout")
    sheet = SHEET.read_text(encoding="utf-8")
    dois = [r["doi"] for r in rows("references") if r["doi"]]
    assert dois
    for doi in dois:
        assert doi in sheet, doi


def test_details_the_sheet_did_not_see_are_left_empty():
    refs = {r["ref_id"]: r for r in rows("references")}
    assert refs["exton1999"]["title"] == "" and refs["exton1999"]["doi"]
    assert refs["mcnulty2016"]["year"] == ""
    assert refs["taylor2010"]["venue"] == ""
    if SHEET.is_file():
        sheet = SHEET.read_text(encoding="utf-8")
        table_rows = [
            ln
            for ln in sheet.splitlines()
            if ln.startswith("| ") and re.match(r"\| [a-z]+\d{4} \|", ln)
        ]
        cells = [[c.strip() for c in ln.split("|")] for ln in table_rows]
        # rows that only point back to an earlier group ("(see group A)") carry no details
        no_doi = {c[1] for c in cells if c[6] == "" and not c[2].startswith("(see")}
        for ref_id in no_doi & set(refs):
            assert refs[ref_id]["doi"] == "", ref_id


def test_citation_audit_locates_both_markers():
    cites = citation_audit()
    assert cites.marker.tolist() == ["(1)", "(2)"]
    text = (DATA / "article.txt").read_text(encoding="utf-8")
    for row in cites.itertuples():
        assert text[row.offset : row.offset + 3] == row.marker
        assert row.marker in row.quote


def test_evidence_table_joins_findings_to_claims():
    table = evidence_table()
    assert len(table) == len(rows("evidence"))
    assert table.statement.notna().all() and table.authors.notna().all()


REQUIRED = {"@context", "@type", "claimReviewed", "itemReviewed", "reviewRating", "author"}


def test_claim_reviews_have_every_required_field(tmp_path):
    export_all(tmp_path)
    reviews = json.loads((tmp_path / "claims.jsonld").read_text(encoding="utf-8"))
    assessed = claim_audit().rating.notna().sum()
    assert len(reviews) == assessed == len(claim_reviews())
    for review in reviews:
        assert set(review) >= REQUIRED
        assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
        assert 0 < len(review["claimReviewed"]) <= 75
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["appearance"]["@type"] == "Article"
        rating = review["reviewRating"]
        assert {
            "ratingValue",
            "bestRating",
            "worstRating",
            "alternateName",
            "ratingExplanation",
        } <= set(rating)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
