"""The explore views: interactive map data, annotated article, data dictionary, search documents."""

from __future__ import annotations

import json
import re

import pytest

import explainer
from explainer import concept_graph, explore
from explainer._paths import default_data_dir
from explainer.explore.article import article_data
from explainer.explore.map import map_data
from tests.conftest import rows

G = concept_graph()
DESCRIPTOR = json.loads((default_data_dir() / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mapped() -> dict:
    return map_data(G)


def test_every_relation_is_on_one_edge_of_the_map(mapped):
    carried = sorted(p["relation"] for e in mapped["edges"] for p in e["propositions"])
    assert carried == sorted(r["relation_id"] for r in rows("relations"))
    for edge in mapped["edges"]:
        for p in edge["propositions"]:
            relation = next(r for r in rows("relations") if r["relation_id"] == p["relation"])
            claim = next(c for c in rows("claims") if c["claim_id"] == relation["claim_id"])
            assert (p["link"], p["quote"], p["section"]) == (
                relation["link"],
                claim["quote"],
                claim["section_id"],
            )
            assert p["basis"] in {"stated", "implied", "inferred"}


def test_positions_come_from_the_static_layout(mapped):
    from explainer.plots.layout import layered_layout

    boxes = layered_layout(G).boxes
    for node in mapped["nodes"]:
        assert node["x"] == pytest.approx(boxes[node["id"]].x * 72, abs=0.1)
        assert node["y"] == pytest.approx(boxes[node["id"]].y * 72, abs=0.1)


def test_routes_through_a_concept_lead_from_sex_to_emotional_intimacy(mapped):
    oxytocin = next(n for n in mapped["nodes"] if n["id"] == "oxytocin")
    assert {"sex->oxytocin", "oxytocin->emotional_intimacy"} <= set(oxytocin["through"])
    ids = {e["id"] for e in mapped["edges"]}
    assert all(set(n["through"]) <= ids for n in mapped["nodes"])


def test_every_mechanism_and_loop_can_be_picked(mapped):
    picked = {r["id"] for r in mapped["routes"]}
    mechanisms = {f"mechanism:{m}" for m in explainer.graph.main_pathways().mechanism}
    assert mechanisms <= picked
    assert any(r["group"] == "loop" for r in mapped["routes"])
    assert all(r["edges"] for r in mapped["routes"])


def test_views_are_deterministic_and_offline():
    for make in (explore.concept_map, explore.annotated_article, explore.data_dictionary):
        view = make()
        assert view.html == make().html
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", view.html)
        assert view._repr_html_().startswith("<iframe")


def test_a_view_saves_a_standalone_page(tmp_path):
    path = explore.concept_map().save(tmp_path / "map.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "cytoscape" in text


def test_the_article_marks_every_claim_and_non_claim():
    data = article_data()
    claims = {s[3] for s in data["spans"] if s[2] == "claim"}
    assert claims == {c["claim_id"] for c in rows("claims")}
    for start, end, kind, sid in data["spans"]:
        if kind == "claim":
            quote = next(c["quote"] for c in rows("claims") if c["claim_id"] == sid)
            assert data["text"][start:end] == quote
    audit = explainer.audit.claim_audit().set_index("claim_id")
    for cid, claim in data["claims"].items():
        assert claim["verdict_key"] == str(audit.loc[cid, "verdict"])


def test_the_annotated_article_is_keyboard_accessible():
    page = explore.annotated_article().html
    spans = re.findall(r'<span class="claim"[^>]*>', page)
    assert len(spans) == len(rows("claims"))
    assert all('tabindex="0"' in s and 'role="button"' in s for s in spans)
    assert 'aria-live="polite"' in page


@pytest.mark.parametrize("resource", DESCRIPTOR["resources"], ids=lambda r: r["name"])
def test_the_dictionary_shows_every_table_and_column(resource):
    from explainer.explore.dictionary import dictionary_body

    page = dictionary_body()
    section = page.split(f'id="table-{resource["name"]}"')[1].split("<h2")[0]
    for field in resource["schema"]["fields"]:
        assert f"<code>{field['name']}</code>" in section
        for value in field.get("constraints", {}).get("enum", []):
            assert str(value) in section


def test_the_dictionary_draws_every_foreign_key():
    from explainer.explore.dictionary import dictionary_body, foreign_keys

    page = dictionary_body()
    keys = foreign_keys(DESCRIPTOR)
    assert keys
    for table, fields, ref, _ in keys:
        if table != ref:
            assert f"<title>{table}.{fields} → {ref}</title>" in page


def test_search_documents_cover_every_concept_and_hormone():
    docs = explore.search_documents()
    assert {d["id"] for d in docs if d["kind"] == "concept"} == {
        f"concept:{c['concept_id']}" for c in rows("concepts")
    }
    assert len([d for d in docs if d["kind"] == "hormone"]) == len(rows("hormones"))
    assert docs == sorted(docs, key=lambda d: d["id"])
