from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stdout

import networkx as nx
import pytest

from explainer import DataError, concept_graph
from explainer.__main__ import main
from explainer._io import STAMP
from explainer.audit import claim_reviews
from explainer.export import EXPORTS, claims_jsonld, export_all, graph_json, graphml, mermaid

G = concept_graph()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One export for the module, made by the command line (which prints every path
    export_all returns); tests that need an earlier export start from a copy of it."""
    target = tmp_path_factory.mktemp("exports") / "out"
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["export", str(target)]) == 0
    return target, out.getvalue()


def test_export_writes_every_file(exported):
    target, out = exported
    # `explainer export` prints each path export_all returns: every export, in order.
    assert out.splitlines() == [f"wrote {target / name}" for name in EXPORTS]
    # The exports, and the stamp that marks the folder as explainer's.
    assert sorted(p.name for p in target.iterdir()) == sorted([*EXPORTS, STAMP])
    stamp = json.loads((target / STAMP).read_text(encoding="utf-8"))
    assert stamp["tool"] == "explainer" and stamp["kind"] == "export"
    assert stamp["files"] == sorted(EXPORTS)


def test_text_exports_are_what_their_functions_return(exported):
    """test_docs and test_audit compare with these functions, not with a second export."""
    target, _ = exported
    made = {
        "concept-map.graphml": graphml(G),
        "concept-map.json": graph_json(G),
        "concept-map.mmd": mermaid(G),
        "claims.jsonld": claims_jsonld(claim_reviews()),
    }
    for name, text in made.items():
        assert (target / name).read_text(encoding="utf-8") == text, name


def test_graphml_reads_back_with_nothing_lost(exported):
    target, _ = exported
    H = nx.read_graphml(target / "concept-map.graphml", force_multigraph=True)
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))
    assert {k: v for k, v in H.graph.items() if not k.endswith("_default")} == G.graph


def test_json_reads_back_with_nothing_lost(exported):
    target, _ = exported
    data = json.loads((target / "concept-map.json").read_text(encoding="utf-8"))
    H = nx.node_link_graph(data, edges="edges")
    assert nx.utils.graphs_equal(G, H) and H.graph == G.graph
    assert graph_json(G) == (target / "concept-map.json").read_text(encoding="utf-8")


def test_mermaid_has_every_node_and_edge():
    text = mermaid(G)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert sum("-->|" in ln or "-.->|" in ln for ln in lines) == G.number_of_edges()
    for node in G.nodes:
        assert any(ln.strip().startswith(f"{node}[") for ln in lines)
    assert '"' not in G.nodes["just_physical_myth"]["label"] or "#quot;" in text


def test_graphml_names_kinds_and_labels_as_attributes():
    text = graphml(G)
    assert 'attr.name="label"' in text and 'attr.name="kind"' in text


def test_png_is_a_png(exported):
    target, _ = exported
    assert (target / "concept-map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_exports_never_go_into_the_data_folder(data_copy):
    before = sorted(p.name for p in data_copy.iterdir())
    with pytest.raises(DataError, match="never go into the data folder"):
        export_all(data_copy, data_dir=data_copy)
    with pytest.raises(DataError):
        export_all(data_copy / "sub", data_dir=data_copy)
    assert sorted(p.name for p in data_copy.iterdir()) == before


def test_a_failed_export_keeps_the_earlier_file(exported, tmp_path, monkeypatch):
    earlier = tmp_path / "out"
    shutil.copytree(exported[0], earlier)  # an earlier export, stamp and all
    before = (earlier / "concept-map.json").read_bytes()

    def half_written(G):
        raise OSError("disk full")

    monkeypatch.setattr("explainer.export.graph_json", half_written)
    with pytest.raises(OSError, match="disk full"):
        export_all(earlier)
    assert (earlier / "concept-map.json").read_bytes() == before
    assert sorted(p.name for p in earlier.iterdir()) == sorted([*EXPORTS, STAMP])


def test_a_failure_while_writing_keeps_the_whole_earlier_set(exported, tmp_path, monkeypatch):
    target = tmp_path / "out"
    shutil.copytree(exported[0], target)  # an earlier export, stamp and all
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    # The picture is drawn as the module's export drew it; the write of it fails.
    monkeypatch.setattr("explainer.export._png", lambda G: before["concept-map.png"])

    def full_disk(self, data):
        if self.name == "concept-map.png":
            raise OSError(28, "No space left on device", str(self))
        return original(self, data)

    original = type(target).write_bytes
    monkeypatch.setattr(type(target), "write_bytes", full_disk)
    with pytest.raises(DataError, match="No space left on device"):
        export_all(target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_export_returns_the_paths_it_wrote(exported, tmp_path, monkeypatch):
    target, _ = exported
    monkeypatch.setattr(
        "explainer.export._png", lambda G: (target / "concept-map.png").read_bytes()
    )
    written = export_all(tmp_path / "again")
    assert written == [tmp_path / "again" / name for name in EXPORTS]
    assert all(p.read_bytes() == (target / p.name).read_bytes() for p in written)


def test_graphml_text_is_stable():
    assert graphml(G) == graphml(concept_graph())
    assert io.StringIO(mermaid(G)).read() == mermaid(concept_graph())
