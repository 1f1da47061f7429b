"""Results derived from the data are cached by the data folder's contents, and never go stale.

``explainer._cache.derived`` keeps the claim audit, the concept map, the
mechanism routes and the article's positions from being worked out again
for every cell and page that asks. A cache may only save time: a caller
that changes what it got back changes nothing for the next caller, any
change to the data folder is seen at once, and bad data raises every time.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys

import pytest

import explainer
from explainer import audit, faq, graph, mechanisms, site, structure
from explainer._cache import Bounded, data_state, derived
from explainer._paths import DATA_DIR_ENV, default_data_dir
from explainer.errors import DataError

from .conftest import rewrite

CACHED = [
    audit.claim_audit,
    audit._studies_by_claim,
    graph.concept_graph,
    mechanisms._routes_of_the_data,
    mechanisms.practice_mechanisms,
    structure.tree,
    structure.claim_positions,
    structure.citation_positions,
    structure.non_content_spans,
    faq.faq_echoes,
    site._explore_contents,
]


@pytest.fixture
def counted(monkeypatch):
    """A derived function of the data that counts the times it really runs."""
    runs = []

    @derived(limit=3)
    def statements(*, data_dir=None):
        runs.append(data_dir)
        return explainer.load("claims", data_dir=data_dir).set_index("claim_id").statement

    return statements, runs


def test_every_cached_function_says_so_and_keeps_its_signature():
    for func in CACHED:
        assert isinstance(func.cache, Bounded), func.__name__
        assert "data_dir" in func.__wrapped__.__code__.co_varnames, func.__name__
    assert audit.claim_audit.__doc__.startswith("Return one row per claim")


def test_a_second_call_is_served_and_equal(counted):
    statements, runs = counted
    first = statements()
    assert statements().equals(first) and len(runs) == 1


def test_what_a_caller_changes_stays_with_the_caller(data_copy):
    frame = audit.claim_audit(data_dir=data_copy)
    frame.loc[0, "statement"] = "changed by a caller"
    del frame["verdict"]
    again = audit.claim_audit(data_dir=data_copy)
    assert again.loc[0, "statement"] != "changed by a caller" and "verdict" in again

    G = graph.concept_graph(data_dir=data_copy)
    G.remove_node("oxytocin")
    G.graph["focus_question"] = "changed"
    H = graph.concept_graph(data_dir=data_copy)
    assert "oxytocin" in H and H.graph["focus_question"] != "changed"

    _, mechs, routes = mechanisms._routes(None, data_copy)
    routes["oxytocin"].append("changed")
    mechs["name"] = "changed"
    _, mechs_again, routes_again = mechanisms._routes(None, data_copy)
    assert "changed" not in routes_again["oxytocin"] and "changed" not in set(mechs_again.name)


def test_a_changed_table_is_seen_at_once(data_copy, counted):
    statements, runs = counted
    claims = data_copy / "claims.csv"
    before = statements(data_dir=data_copy)["c029"]
    G = graph.concept_graph(data_dir=data_copy)
    link = G.edges["sex", "oxytocin", "r028"]["link"]
    rewrite(claims, before, before + " (edited)")
    rewrite(data_copy / "relations.csv", f",{link},", ",sets off,")
    assert statements(data_dir=data_copy)["c029"] == before + " (edited)"
    assert graph.concept_graph(data_dir=data_copy).edges["sex", "oxytocin", "r028"]["link"] == (
        "sets off"
    )
    assert len(runs) == 2


def test_a_same_size_edit_is_seen(data_copy, counted):
    statements, runs = counted
    claims = data_copy / "claims.csv"
    before = statements(data_dir=data_copy)["c029"]
    stat = claims.stat()
    rewrite(claims, before, before.swapcase())
    os.utime(claims, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert claims.stat().st_size == stat.st_size
    assert statements(data_dir=data_copy)["c029"] == before.swapcase()
    assert len(runs) == 2


def test_the_article_text_is_part_of_the_state(data_copy):
    before = structure.claim_positions(data_dir=data_copy).set_index("claim_id").start
    assert before["c001"] >= 0
    # the first claim's words, changed in the text only (same length, so no span moves)
    rewrite(data_copy / "article.txt", "a fundamental pillar", "a FUNDAMENTAL pillar")
    assert "article.txt" in {name for name, _, _ in data_state(data_copy)}
    after = structure.claim_positions(data_dir=data_copy).set_index("claim_id").start
    assert after["c001"] == -1 and after.drop("c001").equals(before.drop("c001"))


def test_bad_data_raises_every_time_and_is_not_remembered(data_copy, counted):
    statements, runs = counted
    claims = data_copy / "claims.csv"
    good = claims.read_bytes()
    claims.write_text("claim_id\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError, match=r"claims\.csv"):
            statements(data_dir=data_copy)
        with pytest.raises(DataError, match=r"claims\.csv"):
            audit.claim_audit(data_dir=data_copy)
    claims.write_bytes(good)
    assert statements(data_dir=data_copy)["c029"]
    assert len(runs) == 3 and not statements.cache.get("error")


def test_folders_and_the_environment_do_not_share_entries(data_copy, counted, monkeypatch):
    statements, runs = counted
    shipped = statements()["c029"]
    rewrite(data_copy / "claims.csv", shipped, shipped.upper())
    copied = statements(data_dir=data_copy)["c029"]
    assert copied == shipped.upper() != shipped
    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    assert statements()["c029"] == copied
    assert statements(data_dir=str(data_copy))["c029"] == copied  # same folder, any spelling
    assert len(runs) == 2


def test_arguments_are_part_of_the_key():
    first = audit.family_evidence("oxytocin")
    second = audit.family_evidence("satisfaction")
    assert set(first.claim_id).isdisjoint(second.claim_id)


def test_the_cache_is_bounded(tmp_path, counted):
    statements, runs = counted
    for n in range(5):
        folder = tmp_path / f"copy{n}"
        folder.mkdir()
        for name in ("datapackage.json", "claims.csv", "sections.csv"):
            shutil.copyfile(default_data_dir() / name, folder / name)
        statements(data_dir=folder)
    assert len(statements.cache) == 3 and len(runs) == 5


def test_a_map_passed_in_is_used_not_the_cached_one():
    G = graph.concept_graph()
    G.remove_edge("oxytocin", "emotional_intimacy")
    steps = mechanisms.mechanism_steps(G)
    assert not ((steps.source == "oxytocin") & (steps.target == "emotional_intimacy")).any()
    shipped = mechanisms.mechanism_steps()
    assert ((shipped.source == "oxytocin") & (shipped.target == "emotional_intimacy")).any()


def test_validation_remembers_only_a_folder_that_passed(data_copy, monkeypatch):
    validation = importlib.import_module("explainer.validation")
    reads = []
    real = validation.read_all
    monkeypatch.setattr(validation, "read_all", lambda *a: reads.append(a[0]) or real(*a))
    explainer.validate(data_dir=data_copy)
    explainer.validate(data_dir=data_copy)
    assert len(reads) == 1  # the second time, unchanged: a directory listing
    claims = data_copy / "claims.csv"
    good = claims.read_bytes()
    rewrite(claims, "c029,", "c999,")
    for _ in range(2):
        with pytest.raises(DataError, match=r"c999"):
            explainer.validate(data_dir=data_copy)
    assert len(reads) == 3
    claims.write_bytes(good)
    explainer.validate(data_dir=data_copy)
    explainer.validate(data_dir=data_copy)
    assert len(reads) == 4


def test_a_bounded_cache_filled_by_many_threads_at_once_stays_whole():
    import threading

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    cache, failures = Bounded(2), []

    def fill(start: int) -> None:
        try:
            for n in range(start, start + 3_000):
                cache[n] = n
        except Exception as exc:  # any error is the failure
            failures.append(repr(exc))

    try:
        threads = [threading.Thread(target=fill, args=(i * 100_000,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(previous)
    assert failures == [] and len(cache) <= 2
