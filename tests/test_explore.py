"""The explore views: interactive map data, annotated article, data dictionary, search documents."""

from __future__ import annotations

import html
import html.parser
import json
import re
from typing import ClassVar

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
        frames = re.findall(r'<iframe\b[^>]*\bsrcdoc="([^"]*)"', view._repr_html_())
        assert [html.unescape(f) for f in frames] == [view.html]


# The tags JupyterLab 4's sanitizer keeps in the output of a notebook it does not trust
# (@jupyterlab/apputils sanitizer.ts, allowedTags): no script, style, iframe or svg.
JUPYTERLAB_KEEPS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "li", "ol", "p", "pre", "section", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip


class _Untrusted(html.parser.HTMLParser):
    """What JupyterLab shows of an untrusted output: scripts, styles and frames dropped."""

    DROPPED: ClassVar = {"script", "style", "iframe"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.inside = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag in self.DROPPED:
            self.inside += 1
        elif not self.inside:
            self.tags.append(tag)

    def handle_endtag(self, tag):
        if tag in self.DROPPED:
            self.inside -= 1

    def handle_data(self, data):
        if not self.inside:
            self.text.append(data)


@pytest.mark.parametrize(
    "make", [explore.concept_map, explore.annotated_article, explore.data_dictionary]
)
def test_a_view_shows_its_content_and_a_hint_before_its_cell_is_run(make):
    view = make()
    shown = _Untrusted(view._repr_html_())
    text = " ".join(" ".join(shown.text).split())
    assert set(shown.tags) <= JUPYTERLAB_KEEPS, set(shown.tags) - JUPYTERLAB_KEEPS
    assert "Run this cell" in text
    if make is explore.concept_map:
        for route in map_data(G)["routes"]:
            assert " ".join(route["label"].split()) in text
    elif make is explore.annotated_article:
        for claim in rows("claims"):
            assert " ".join(claim["statement"].split()) in text
    else:
        for resource in DESCRIPTOR["resources"]:
            assert f"Columns of {resource['name']}" in text
    # Once the output can run (trusted), a style hides this output's fallback, and only this
    # one's: another view in the notebook may still be untrusted, its frame stripped.
    key = re.search(
        r'<div class="explainer-view (explainer-view-[0-9a-f]{12})">', view._repr_html_()
    )
    assert (
        key
        and f"<style>.{key.group(1)} > .explainer-view-static {{ display: none; }}</style>"
        in view._repr_html_()
    )
    others = [
        m
        for m in (explore.concept_map, explore.annotated_article, explore.data_dictionary)
        if m is not make
    ]
    assert all(key.group(1) not in other()._repr_html_() for other in others)


def test_the_frame_fits_its_page_and_the_map_scrolls_with_the_page():
    view = explore.concept_map()
    assert "explainerHeight" in view.html and "explainerHeight" in view._repr_html_()
    assert "userZoomingEnabled: false" in view.html
    assert "evt.ctrlKey || evt.metaKey" in view.html


def test_script_json_is_safe_inside_a_script_element():
    from explainer.explore._page import script_json

    hostile = "</script><script>alert(1)</script><!-- & \u2028\u2029 'quotes' \"too\""
    text = str(script_json({"k": hostile}))
    assert json.loads(text) == {"k": hostile}
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text


def test_route_and_loop_names_are_words_and_the_articles_loop_stands_apart(mapped):
    labels = {n["label"] for n in mapped["nodes"]}
    ids = {n["id"] for n in mapped["nodes"]} - labels
    for route in mapped["routes"]:
        steps = route["label"].split(": ", 1)[-1].split(" \u2192 ")
        assert set(steps) <= labels, route["label"]
        assert not set(steps) & ids
    loops = explainer.load("loops")
    stated = set(loops.loop_id[loops.basis == "stated"])
    article = [r for r in mapped["routes"] if r["group"] == "loop"]
    assert len(article) == len(stated)
    for route in article:
        title = loops.set_index("loop_id").loc[sorted(stated)[0], "title"]
        assert route["label"].startswith(str(title))
    cycles = [r for r in mapped["routes"] if r["group"] == "cycle"]
    assert len(article) + len(cycles) == explainer.graph.feedback_loops().loop.nunique()


def test_the_legend_and_the_lines_come_from_the_figures_style_table(mapped):
    from explainer.plots._routes import BASIS_LINES, edge_style, style_handles
    from explainer.plots.concept_map import CONCEPT_COLOURS

    legend = mapped["legend"]
    kinds = {n["kind"] for n in mapped["nodes"]}
    assert [(c["label"], c["colour"]) for c in legend["concepts"]] == [
        (k.replace("_", " "), v) for k, v in CONCEPT_COLOURS.items() if k in kinds
    ]
    handles = style_handles(G)
    assert [c["label"] for c in legend["links"]] + [c["label"] for c in legend["lines"]] == [
        h.get_label() for h in handles
    ]
    assert [c["basis"] for c in legend["lines"]] == [
        b for b in BASIS_LINES if b in {c["basis"] for c in legend["lines"]}
    ]
    css = {"stated": "solid", "implied": "dashed", "inferred": "dotted"}
    for edge in mapped["edges"]:
        first = G.get_edge_data(edge["source"], edge["target"])
        first = next(
            d for d in first.values() if d["relation_id"] == edge["propositions"][0]["relation"]
        )
        assert edge["colour"] == edge_style(first)["color"]
        assert edge["line"] == css[edge["propositions"][0]["basis"]]
    assert bool(legend["condition"]) == any(e["condition"] for e in mapped["edges"])


def test_a_concept_knows_all_its_links_and_each_link_its_phrase(mapped):
    for node in mapped["nodes"]:
        mine = {e["id"] for e in mapped["edges"] if node["id"] in (e["source"], e["target"])}
        assert set(node["links"]) == mine
    for edge in mapped["edges"]:
        for p in edge["propositions"]:
            data = next(
                d
                for d in G.get_edge_data(edge["source"], edge["target"]).values()
                if d["relation_id"] == p["relation"]
            )
            assert p["phrase"] == (data.get("phrase") or data["link"])


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
