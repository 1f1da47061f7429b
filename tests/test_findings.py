"""What we found: every number in a sentence is the size of the claims it is paired with."""

from __future__ import annotations

import json
import re
from pathlib import Path

import mistune
import pytest

import explainer.findings as wf
from explainer.audit import claim_audit, summary_statements, verdict_certainty_table
from explainer.grading import INDIRECT_CAP

from .conftest import rows

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"


def _numbers(sentence: str) -> list[int]:
    """Every number the sentence states (a claim id such as c014 is not a number)."""
    return [int(n) for n in re.findall(r"(?<![\w.])\d+(?![\w.]\d)", sentence)]


def _by_phrase(found: list[wf.Finding], phrase: str) -> wf.Finding:
    (hit,) = [f for f in found if phrase in f.sentence]
    return hit


@pytest.fixture(scope="module")
def found() -> list[wf.Finding]:
    return wf.findings()


def test_the_sentences_are_the_audits_own_and_each_is_recognised(found):
    assert [f.sentence for f in found] == summary_statements()
    assert all(f.section for f in found), [f.sentence for f in found if not f.section]


def test_every_number_in_every_sentence_comes_from_the_data(found):
    # Expected sets, read from the CSV files with the standard library where the
    # rule is a column of the data, from the audit's grading where it is computed.
    claims = [r["claim_id"] for r in rows("claims")]
    assessed = {r["claim_id"]: r["status"] for r in rows("assessments") if r["status"]}
    empirical = [c for c in claims if c in assessed]
    checked = [c for c in empirical if assessed[c] == "assessed"]
    audit = claim_audit().set_index("claim_id")
    low = [c for c in checked if str(audit.at[c, "certainty"]) in {"low", "very_low"}]
    indirect = [c for c in checked if audit.at[c, "indirect_only"]]
    firm = [c for c in checked if int(audit.at[c, "rating"]) >= 4]
    against = [
        c for c in checked if str(audit.at[c, "verdict"]) in {"mixed", "doubtful", "contradicted"}
    ]
    n, k = len(empirical), len(checked)
    expected = {
        "assert something about the world": (empirical, [len(claims), n]),
        "set beside published research": (checked, [k, n, n - k]),
        "low or very low certainty": (low, [len(low), k]),
        "backed only indirectly": (indirect, [len(indirect), k, INDIRECT_CAP, 5]),
        "rate 4 or 5": (firm, [len(firm), k, 4, 5]),
        "points both ways": (against, [len(against), k]),
        "published works were read": ([], [len(rows("references"))]),
    }
    if any("which came first" in f.sentence for f in found):  # causal claims, direction unknown
        effect = [c for c in checked if audit.at[c, "kind"] == "effect"]
        unknown = [c for c in effect if str(audit.at[c, "direction"]).startswith("not known")]
        expected["which came first is not known"] = (unknown, [len(unknown), len(effect)])
    assert len(expected) == len(found)
    for phrase, (ids, numbers) in expected.items():
        hit = _by_phrase(found, phrase)
        assert list(hit.claim_ids) == ids, phrase
        assert _numbers(hit.sentence) == numbers, hit.sentence
    # the firm claims are also named in their sentence, and only they
    assert re.findall(r"\bc\d{3}\b", _by_phrase(found, "rate 4 or 5").sentence) == firm


def _headings(stem: str) -> set[str]:
    cells = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return {m.strip() for m in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}


def test_every_finding_points_to_a_heading_that_exists(found):
    for f in found:
        assert f.section in _headings(f.notebook), f.link()
        assert f.link(".html") == f"{f.notebook}.html#{f.section.replace(' ', '-')}"


def test_an_unknown_sentence_keeps_no_claims_and_points_to_the_audit(monkeypatch):
    monkeypatch.setattr(wf, "summary_statements", lambda **_: ["Something new was found."])
    (only,) = wf.findings()
    assert only.claim_ids == () and only.link() == f"{wf.AUDIT_NOTEBOOK}.ipynb"


def test_the_verdict_certainty_cells_add_up_to_the_audits_table():
    cells = wf.verdict_certainty_claims()
    wide = verdict_certainty_table()
    for cell in cells.itertuples(index=False):
        assert wide.at[cell.verdict, cell.certainty] == cell.claims == len(cell.claim_ids)
    assert int(cells.claims.sum()) == int(wide.at["total", "total"])
    every = [c for ids in cells.claim_ids for c in ids]
    assessed = [r["claim_id"] for r in rows("assessments") if r["status"]]
    assert sorted(every) == sorted(assessed)  # each empirical claim in exactly one cell
    nonzero = int((wide.drop(index="total", columns="total") > 0).sum().sum())
    assert len(cells) == nonzero


def test_the_strongest_claims_are_those_the_article_backs_with_research():
    table = wf.strongest_claims()
    backed = [
        r["claim_id"]
        for r in rows("claims")
        if r["evidence_status"] in {"cited_unresolved", "appeals_to_research"}
    ]
    assert table.claim_id.tolist() == backed and backed
    audit = claim_audit().set_index("claim_id")
    families = {r["family_id"]: r["title"] for r in rows("families")}
    assessments = {r["claim_id"]: r["family_id"] for r in rows("assessments")}
    for row in table.itertuples(index=False):
        assert row.verdict == audit.at[row.claim_id, "verdict"]
        assert row.family == families[assessments[row.claim_id]]
        assert row.family in _headings(wf.AUDIT_NOTEBOOK)


def test_the_markdown_lists_each_finding_with_its_link(found):
    lines = wf.findings_markdown(suffix=".html").splitlines()
    assert len(lines) == len(found)
    for line, f in zip(lines, found, strict=True):
        assert line.startswith("- ") and line.endswith(f"]({f.link('.html')}))")


def test_the_markdown_escapes_what_the_data_says(monkeypatch):
    hostile = "<img src=x onerror=alert(1)> [click](javascript:alert(2)) *loud* `code`"
    sentence = f"1 of the 1 rate 4 or 5 (mostly or fully true): c001 ({hostile})."
    monkeypatch.setattr(wf, "summary_statements", lambda **_: [sentence])
    text = wf.findings_markdown()
    rendered = mistune.html(text)  # nbconvert's Markdown reader, raw HTML passed through
    assert "<img" not in rendered
    assert not any(h.startswith("javascript") for h in re.findall(r'href="([^"]*)"', rendered))
    assert "<em>" not in rendered and "<code>" not in rendered
    escaped = r"\<img src=x onerror=alert(1)\> \[click\](javascript:alert(2)) \*loud\* \`code\`"
    assert escaped in text
