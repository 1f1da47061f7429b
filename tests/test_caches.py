"""The build caches: the concept-map PNG and the converted notebook pages.

A cache may only save time: whatever changes what would be drawn or
converted must miss it, and it must stay bounded.
"""

from __future__ import annotations

import matplotlib
import nbformat
import pytest

import explainer.export as export
import explainer.site as site
from explainer import concept_graph


@pytest.fixture
def draws(monkeypatch):
    """Count the real drawings; the cache starts empty and is restored after."""
    calls = []
    monkeypatch.setattr(export, "_PNG_CACHE", {})
    monkeypatch.setattr(export, "_draw_png", lambda G: calls.append(G) or f"png{len(calls)}")
    return calls


def test_the_same_graph_is_drawn_once(draws):
    G = concept_graph()
    assert export._png(G) == export._png(concept_graph()) == "png1"
    assert len(draws) == 1


def test_a_changed_label_or_style_is_drawn_again(draws):
    G = concept_graph()
    export._png(G)
    node = sorted(G.nodes)[0]
    G.nodes[node]["label"] = "a new label"
    assert export._png(G) == "png2"
    with matplotlib.rc_context({"font.size": 31}):
        assert export._png(G) == "png3"
    assert len(draws) == 3


def test_the_png_cache_is_bounded(draws):
    G = concept_graph()
    for n in range(10):
        G.graph["n"] = n
        export._png(G)
    assert len(export._PNG_CACHE) == 4 and len(draws) == 10


class _Counting:
    def __init__(self):
        self.calls = 0

    def from_notebook_node(self, nb, resources=None):
        self.calls += 1
        return f"<body>{nb.cells[0].source}|{resources['metadata']['name']}</body>", {}


def _notebook(text: str):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text, id="cell-0")])
    return nbformat.from_dict(nb)


def test_a_page_is_converted_once_per_content_and_name(monkeypatch):
    monkeypatch.setattr(site, "_PAGE_CACHE", {})
    exporter = _Counting()
    assert site._converted(exporter, _notebook("a"), "00-a") == "<body>a|00-a</body>"
    assert site._converted(exporter, _notebook("a"), "00-a") == "<body>a|00-a</body>"
    assert exporter.calls == 1
    assert site._converted(exporter, _notebook("b"), "00-a") == "<body>b|00-a</body>"
    assert site._converted(exporter, _notebook("a"), "01-a") == "<body>a|01-a</body>"
    assert exporter.calls == 3


def test_the_page_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(site, "_PAGE_CACHE", {})
    exporter = _Counting()
    for n in range(40):
        site._converted(exporter, _notebook(str(n)), "00-a")
    assert len(site._PAGE_CACHE) == 16 and exporter.calls == 40


def test_a_real_drawing_is_kept_though_drawing_picks_a_backend(monkeypatch):
    # Drawing sets matplotlib's backend, which must not make the next call miss.
    real, calls = export._draw_png, []
    monkeypatch.setattr(export, "_PNG_CACHE", {})
    monkeypatch.setattr(export, "_draw_png", lambda G: calls.append(G) or real(G))
    first = export._png(concept_graph())
    assert first.startswith(b"\x89PNG") and export._png(concept_graph()) is first
    assert len(calls) == 1
