"""The data behind the structure notebook: the tree, part sizes, claims, citations, shares."""

from __future__ import annotations

from collections import Counter

import pytest

from explainer.article import article_text
from explainer.structure import (
    NON_CONTENT,
    citation_positions,
    claim_positions,
    non_content_spans,
    part_sizes,
    text_shares,
    tree,
)

from .conftest import rewrite, rows

SECTIONS = rows("sections")
CLAIMS = rows("claims")
PARENT = {s["section_id"]: s["parent_id"] for s in SECTIONS}
LEVEL = {s["section_id"]: int(s["level"]) for s in SECTIONS}


def top_part(section_id):
    while LEVEL[section_id] > 1:
        section_id = PARENT[section_id]
    return section_id


def test_tree_has_every_section_once_with_parents_before_children():
    t = tree()
    assert sorted(t.section_id) == sorted(s["section_id"] for s in SECTIONS)
    assert len(t) == 54
    position = {sid: i for i, sid in enumerate(t.section_id)}
    for s in SECTIONS:
        if s["parent_id"]:
            assert position[s["parent_id"]] < position[s["section_id"]]
    assert t.section_id.tolist()[:3] == ["article", "title", "intro"]


def test_tree_counts_claims_in_each_subtree():
    t = tree().set_index("section_id")
    direct = Counter(c["section_id"] for c in CLAIMS)
    assert int(t.at["article", "claims"]) == len(CLAIMS) == 86
    assert int(t.at["s3a", "claims"]) == direct["s3a"] == 3
    for sid in t.index:
        children = [s["section_id"] for s in SECTIONS if s["parent_id"] == sid]
        expected = direct[sid] + sum(int(t.at[c, "claims"]) for c in children)
        assert int(t.at[sid, "claims"]) == expected, sid
        assert int(t.at[sid, "children"]) == len(children)


def test_part_sizes_match_the_section_spans_and_claim_counts():
    sizes = part_sizes().set_index("section_id")
    parts = [s for s in SECTIONS if s["level"] == "1"]
    assert sizes.index.tolist() == [s["section_id"] for s in parts]
    by_part = Counter(top_part(c["section_id"]) for c in CLAIMS)
    text = article_text()
    for s in parts:
        sid, start, end = s["section_id"], int(s["start"]), int(s["end"])
        assert int(sizes.at[sid, "chars"]) == end - start
        assert int(sizes.at[sid, "words"]) == len(text[start:end].split())
        assert int(sizes.at[sid, "claims"]) == by_part[sid]
    assert by_part["s9"] == 11 and by_part["toc"] == 0 and by_part["comment-form"] == 0
    assert sizes.text_share.sum() == pytest.approx(1)
    assert sizes.claim_share.sum() == pytest.approx(1)
    total = sum(int(s["end"]) - int(s["start"]) for s in parts)
    assert sizes.at["s2", "text_share"] == pytest.approx(1270 / total)


def test_claim_positions_point_at_each_quote_in_its_section():
    text = article_text()
    span = {s["section_id"]: (int(s["start"]), int(s["end"])) for s in SECTIONS}
    pos = claim_positions().set_index("claim_id")
    assert len(pos) == len(CLAIMS)
    for c in CLAIMS:
        start, end = int(pos.at[c["claim_id"], "start"]), int(pos.at[c["claim_id"], "end"])
        assert text[start:end] == c["quote"]
        lo, hi = span[c["section_id"]]
        assert lo <= start and end <= hi
        assert pos.at[c["claim_id"], "part"] == top_part(c["section_id"])
    assert list(pos.start) == sorted(pos.start)


def test_the_two_citation_markers_sit_on_their_claims():
    text = article_text()
    cites = citation_positions()
    listed = {r["marker"]: r["claim_id"] for r in rows("citations")}
    assert cites.marker.tolist() == ["(1)", "(2)"]
    assert dict(zip(cites.marker, cites.claim_id, strict=True)) == listed
    assert cites.section_id.tolist() == ["s3a", "s4a"]
    assert cites.section.tolist() == ["3.A Oxytocin", "4.A Enhanced Relationship Satisfaction"]
    for row in cites.itertuples(index=False):
        # Each marker is printed exactly once, so a plain search must agree.
        assert text.count(row.marker) == 1
        assert row.offset == text.find(row.marker)
        assert row.in_quote
        assert row.position == pytest.approx(row.offset / len(text))
    assert cites.status.astype(str).tolist() == ["unresolved", "unresolved"]


def leaf_chars(sections):
    parents = {s["parent_id"] for s in sections}
    return {
        s["section_id"]: (s["kind"], int(s["end"]) - int(s["start"]))
        for s in sections
        if s["section_id"] not in parents
    }


def test_text_shares_follow_the_definition():
    leaves = leaf_chars(SECTIONS)
    total = sum(n for _, n in leaves.values())
    furniture = Counter()
    for kind, n in leaves.values():
        if kind in ("toc", "closing_note", "comment_form"):
            furniture[kind] += n
    meta_in_body = sum(
        len(c["quote"])
        for c in CLAIMS
        if c["claim_type"] == "meta" and leaves[c["section_id"]][0] not in NON_CONTENT
    )
    shares = text_shares().set_index("category")
    assert shares.index.tolist() == ["content", "toc", "closing_note", "comment_form", "meta_claim"]
    assert int(shares.at["toc", "chars"]) == furniture["toc"] == 347
    assert int(shares.at["closing_note", "chars"]) == furniture["closing_note"] == 379
    assert int(shares.at["comment_form", "chars"]) == furniture["comment_form"] == 85
    assert int(shares.at["meta_claim", "chars"]) == meta_in_body == 83 + 85
    assert int(shares.chars.sum()) == total
    assert shares.share.sum() == pytest.approx(1)
    assert shares.at["content", "share"] == pytest.approx(
        (total - sum(furniture.values()) - meta_in_body) / total
    )


def test_meta_claims_in_the_closing_note_are_not_counted_twice():
    spans = non_content_spans()
    assert spans.claim_id.dropna().tolist() == ["c004", "c062"]
    ordered = spans.sort_values("start")
    assert (ordered.start.iloc[1:].to_numpy() >= ordered.end.iloc[:-1].to_numpy()).all()


def test_a_new_meta_claim_moves_text_from_content_to_non_content(data_copy):
    before = text_shares().set_index("category")
    quote = next(c["quote"] for c in CLAIMS if c["claim_id"] == "c001")
    rewrite(
        data_copy / "claims.csv",
        'connection and fulfillment",psychological,true,',
        'connection and fulfillment",meta,false,',
    )
    after = text_shares(data_dir=data_copy).set_index("category")
    grew = int(after.at["meta_claim", "chars"]) - int(before.at["meta_claim", "chars"])
    assert grew == len(quote)
    assert int(after.at["content", "chars"]) == int(before.at["content", "chars"]) - len(quote)
