from __future__ import annotations

import json
import re
from itertools import product
from pathlib import Path

import pytest

from explainer.audit import (
    BEARINGS,
    PROJECT_NAME,
    RATING_RULE,
    RATING_WORDS,
    caveat_table,
    citation_audit,
    claim_audit,
    claim_reviews,
    evidence_table,
    expert_questions,
    family_evidence,
    family_summary,
    omission_notes,
    summary_statements,
    verdict,
    verdict_certainty_table,
)
from explainer.export import claims_jsonld
from explainer.grading import INDIRECT_CAP

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


def test_claim_audit_counts_bearings_and_takes_the_verdict_from_the_whole_body():
    audit = claim_audit().set_index("claim_id")
    evidence = rows("evidence")
    for cid in {r["claim_id"] for r in evidence}:
        mine = [r for r in evidence if r["claim_id"] == cid]
        assert audit.at[cid, "references"] == len(mine)
        for b in BEARINGS:
            assert audit.at[cid, b] == [r["bearing"] for r in mine].count(b)
        # the body is every study set beside the claim, whichever way it points
        assert audit.at[cid, "best_evidence"].split("; ") == sorted(r["ref_id"] for r in mine)
        assert audit.at[cid, "verdict"] == verdict([r["bearing"] for r in mine])
        assert audit.at[cid, "grade_reasons"].startswith("body: ")
    assert len(audit) == len(rows("claims"))


def test_claims_of_effect_say_whether_the_direction_is_known():
    audit = claim_audit()
    checked = audit[audit.verdict.isin(["supported", "partly_supported", "mixed"])]
    effect = checked[checked.kind == "effect"]
    association = checked[checked.kind == "association"]
    assert (association.direction == "").all()
    assert effect.direction.str.match(r"^(tested|not known): ").all()
    designs = {}
    for r in rows("evidence"):
        designs.setdefault(r["claim_id"], set()).add(r["direction"])
    for cid, said in zip(effect.claim_id, effect.direction, strict=True):
        assert said.startswith("tested") == ("experiment" in designs[cid]), cid


def test_non_empirical_claims_are_not_assessed_and_have_no_rating():
    audit = claim_audit()
    advice = audit[audit.evidence_status == "not_applicable"]
    assert (advice.verdict == "not_assessable").all() and advice.rating.isna().all()
    assert advice.certainty.isna().all() and advice.status.isna().all()


def test_the_hormone_claims_are_not_on_firm_ground_but_satisfaction_is():
    audit = claim_audit().set_index("claim_id")
    # the "(1)" oxytocin claim: studies that measured couples' own oxytocin point both ways
    assert audit.at["c029", "verdict"] == "mixed"
    assert audit.at["c029", "rating"] <= 3
    # sexual and relationship satisfaction: direct and repeated, but self-reported volunteers
    assert audit.at["c037", "verdict"] == "supported"
    assert audit.at["c037", "certainty"] == "moderate" and audit.at["c037", "rating"] == 4
    # every hormone claim rests on indirect evidence at best
    hormones = audit[audit.family_id.isin(["oxytocin", "mood"]) & audit.rating.notna()]
    assert len(hormones) and (hormones.rating <= 3).all()


def test_claims_backed_only_indirectly_never_reach_4():
    audit = claim_audit()
    indirect = audit[audit.indirect_only]
    assert len(indirect) and (indirect.rating <= 3).all()


def test_the_expert_quotes_are_assessed_but_still_have_no_backing_of_their_own():
    experts = {r["claim_id"] for r in rows("claims") if r["claimant"] != "article"}
    audit = claim_audit().set_index("claim_id")
    assert experts and all(audit.at[c, "status"] == "assessed" for c in experts)
    questions = expert_questions()
    assert len(questions) == 6 * len(rows("experts"))
    assert set(questions.answer) <= {"yes", "no", "partly", "unknown"}
    backup = questions[questions.question == "backup_evidence"]
    assert (backup.answer == "no").all()
    assert backup.reason.str.contains("ours, not the expert").all()


def test_every_reference_is_used_and_no_finding_is_copied():
    refs = {r["ref_id"] for r in rows("references")}
    used = (
        {r["ref_id"] for r in rows("evidence")}
        | {r["ref_id"] for r in rows("caveats") if r["ref_id"]}
        | {r["ref_id"] for r in rows("omissions") if r["ref_id"]}
        | {r["ref_id"] for r in rows("screening") if r["ref_id"]}
    )
    assert refs == used
    if SHEET.is_file():
        sheet = SHEET.read_text(encoding="utf-8")
        for r in rows("evidence"):
            assert r["finding"] not in sheet, r


def _sheet_rows():
    sheet = SHEET.read_text(encoding="utf-8")
    table_rows = [
        ln
        for ln in sheet.splitlines()
        if ln.startswith("| ") and re.match(r"\| [a-z]+\d{4} \|", ln)
    ]
    cells = [[c.strip() for c in ln.split("|")] for ln in table_rows]
    # rows that only point back to an earlier group ("(see group A)") carry no details
    return {c[1]: c for c in cells if not c[2].startswith("(see")}


def test_the_reference_sheet_and_the_data_agree_on_every_doi_they_share():
    if not SHEET.is_file():
        pytest.skip("the reference sheet is not beside this checkout")
    sheet = _sheet_rows()
    refs = {r["ref_id"]: r for r in rows("references")}
    shared = set(sheet) & set(refs)
    assert shared
    for ref_id in shared:
        if sheet[ref_id][6] and refs[ref_id]["doi"]:
            assert sheet[ref_id][6].lower() == refs[ref_id]["doi"].lower(), ref_id


def test_a_doi_is_given_only_with_the_page_where_it_was_read():
    dois = 0
    for r in rows("references"):
        pages = r["confirmed_at"].split(" ; ")
        if r["doi"]:
            dois += 1
            assert r["doi_seen_at"] in pages, r["ref_id"]
        else:
            assert r["doi_seen_at"] == "", r["ref_id"]
    assert dois


def test_details_not_seen_are_left_empty():
    refs = {r["ref_id"]: r for r in rows("references")}
    assert refs["mcnulty2016"]["year"] == ""
    assert refs["taylor2010"]["venue"] == "" and refs["taylor2010"]["doi"] == ""
    assert refs["schoenfeld2017"]["title"] == ""
    for ref_id in ("meltzer2017", "mccullough2013", "young2004", "bogaert2004"):
        assert refs[ref_id]["doi"] == "" and "not seen" in refs[ref_id]["note"] + "DOI not seen"
    # the reference sheet had not seen exton1999's title; it was read since, at the journal page
    assert refs["exton1999"]["title"] and "journals.lww.com" in refs["exton1999"]["confirmed_at"]


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


REQUIRED = {"@context", "@type", "claimReviewed", "itemReviewed", "reviewRating", "author", "url"}


def test_claim_reviews_pass_a_json_ld_parse_with_every_required_field():
    # The text export_all writes as claims.jsonld (test_export checks they are the same).
    reviews = json.loads(claims_jsonld(claim_reviews()))
    audit = claim_audit().set_index("claim_id")
    assessed = int(audit.rating.notna().sum())
    assert len(reviews) == assessed == len(claim_reviews())
    for review in reviews:
        assert set(review) >= REQUIRED
        assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
        assert 0 < len(review["claimReviewed"]) <= 75
        assert review["url"].endswith("#" + review["identifier"])
        assert review["author"] == {"@type": "Organization", "name": PROJECT_NAME}
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["appearance"]["@type"] == "Article"
        assert item["text"]
        rating = review["reviewRating"]
        assert {
            "ratingValue",
            "bestRating",
            "worstRating",
            "alternateName",
            "ratingExplanation",
        } <= set(rating)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert rating["alternateName"] == RATING_WORDS[rating["ratingValue"]]
        assert RATING_RULE in rating["ratingExplanation"]
        row = audit.loc[review["identifier"]]
        assert rating["ratingValue"] == row.rating
        assert str(row.certainty).replace("_", " ") in rating["ratingExplanation"]
    assert claim_reviews(base_url="https://example.org/x/")[0]["url"].startswith(
        "https://example.org/x/05-"
    )


def test_family_tables_cover_every_empirical_claim_once():
    audit = claim_audit()
    empirical = audit[audit.status.notna()]
    summary = family_summary()
    assert int(summary.claims.sum()) == len(empirical)
    seen = []
    for fid in (r["family_id"] for r in rows("families")):
        table = family_evidence(fid)
        assert len(table)
        seen += table.claim_id.tolist()
    assert sorted(seen) == sorted(empirical.claim_id)
    with pytest.raises(KeyError, match="families are oxytocin"):
        family_evidence("nonsense")
    caveats = caveat_table().set_index("caveat_id")
    assert caveats.n_studies.sum() == len(rows("evidence_caveats"))


def test_summary_statements_count_what_the_audit_holds():
    lines = summary_statements()
    audit = claim_audit()
    empirical = audit[audit.status.notna()]
    checked = empirical[empirical.verdict != "not_checked"]
    numbers = [int(n) for n in re.findall(r"\b\d+\b", lines[0] + " " + lines[1])]
    assert numbers[:4] == [len(audit), len(empirical), len(checked), len(empirical)]
    assert f"{int(checked.indirect_only.sum())} of the {len(checked)}" in lines[4]
    effect = checked[checked.kind == "effect"]
    unknown = effect.direction.str.startswith("not known").sum()
    assert lines[3].startswith(f"{unknown} of the {len(effect)} checked claims")
    assert f"{len(rows('references'))} published works" in lines[-1]
    table = verdict_certainty_table()
    assert table.loc["total", "total"] == len(empirical)
    assert table.loc["not_checked", "not checked"] == len(empirical) - len(checked)


def test_what_the_article_leaves_out_is_said_and_sourced():
    notes = omission_notes()
    text = " ".join(notes.statement).lower()
    for subject in (
        "asexual",
        "pain",
        "disability",
        "trauma",
        "desire",
        "neurotransmitter",
        "neuropeptide",
        "consent",
        "doctor",
        "therapist",
        "heterosexual",
    ):
        assert subject in text, subject
    refs = {r["ref_id"] for r in rows("references")}
    for row in rows("omissions"):
        about_the_article = "article" in row["statement"] or "evidence table" in row["statement"]
        assert row["ref_id"] in refs or row["source_url"].startswith("http") or about_the_article


NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "05-claims-and-evidence.ipynb"


def test_numbers_in_notebook_05_prose_are_printed_by_its_cells():
    """Counts live in cell output; the prose may name only the article's markers and the
    rating scale, whose cap is the grading rule's."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    prose = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    allowed = [
        r'"\(1\)"',
        r'"\(2\)"',
        r"\(1\)",
        r"section 4A",
        r"sections 2 and 3",  # the article's own numbering
        r"Marker \(\d\)",
        r"1 to 5",
        rf"at {INDIRECT_CAP}\b",
        rf"above {INDIRECT_CAP}\b",
        r"# ",
    ]
    for pattern in allowed:
        prose = re.sub(pattern, "", prose)
    assert not re.findall(r"\d", prose), re.findall(r".{30}\d.{30}", prose)


def test_the_certainty_figure_draws_one_square_per_empirical_claim():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from explainer.plots.evidence import VERDICT_COLOURS, draw_certainty

    ax = draw_certainty()
    try:
        audit = claim_audit()
        empirical = audit[audit.status.notna()]
        squares = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert len(squares) == len(empirical)
        dark = [p for p in squares if p.get_edgecolor()[:3] == (0.0, 0.0, 0.0)]
        assert len(dark) == int(empirical.indirect_only.sum())
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels[: len(VERDICT_COLOURS)] == [v.replace("_", " ") for v in VERDICT_COLOURS]
        assert [t.get_text() for t in ax.get_xticklabels()][-1] == "not checked"
    finally:
        plt.close(ax.figure)
