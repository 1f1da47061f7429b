"""The build caches: the concept-map PNG and the converted notebook pages.

A cache may only save time: whatever changes what would be drawn or
converted must miss it, and it must stay bounded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import matplotlib
import nbformat
import pytest

import explainer.export as export
import explainer.site as site
from explainer import concept_graph
from explainer._cache import Bounded


@pytest.fixture
def draws(monkeypatch):
    """Count the real drawings; the cache starts empty and is restored after."""
    calls = []
    monkeypatch.setattr(export, "_PNG_CACHE", Bounded(export._PNG_CACHE.limit))
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
    monkeypatch.setattr(site, "_PAGE_CACHE", Bounded(site._PAGE_CACHE.limit))
    exporter = _Counting()
    assert site._converted(exporter, _notebook("a"), "00-a") == "<body>a|00-a</body>"
    assert site._converted(exporter, _notebook("a"), "00-a") == "<body>a|00-a</body>"
    assert exporter.calls == 1
    assert site._converted(exporter, _notebook("b"), "00-a") == "<body>b|00-a</body>"
    assert site._converted(exporter, _notebook("a"), "01-a") == "<body>a|01-a</body>"
    assert exporter.calls == 3


def test_the_page_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(site, "_PAGE_CACHE", Bounded(site._PAGE_CACHE.limit))
    exporter = _Counting()
    for n in range(40):
        site._converted(exporter, _notebook(str(n)), "00-a")
    assert len(site._PAGE_CACHE) == 16 and exporter.calls == 40


def test_one_exporter_per_thread_and_template_folders(monkeypatch, tmp_path):
    """An exporter compiles its templates once, so a thread keeps its own; the pages tell."""
    import threading

    monkeypatch.setattr(site, "_EXPORTERS", Bounded(site._EXPORTERS.limit))
    mine = site._exporter()
    assert site._exporter() is mine
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(site._exporter()))
    thread.start()
    thread.join()
    assert theirs[0] is not mine
    nb = _notebook("# A heading")
    pages = [
        e.from_notebook_node(nb, resources={"metadata": {"name": "x"}})[0] for e in (mine,) * 2
    ]
    pages.append(theirs[0].from_notebook_node(nb, resources={"metadata": {"name": "x"}})[0])
    assert pages[0] == pages[1] == pages[2] and ">A heading<" in pages[0]
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # templates might be found elsewhere
    assert site._exporter() is not mine


# Drawing alongside forks, which only a single-threaded process may do: a test
# runner has threads, so the fork is tried in a fresh interpreter.
_ALONGSIDE = """
import json, pathlib, sys, tempfile
import explainer.export as export
from explainer import concept_graph

scratch = pathlib.Path(tempfile.mkdtemp())
found = {}
G = concept_graph()  # as in a site build, the tables are read before the fork
child = export.draw_alongside(None, scratch)
found["forked"] = child is not None
found["collected"] = child.collect()
drawn = export._PNG_CACHE[export._png_key(G)]
# This process's first real drawing: it picks matplotlib's backend, which must
# not make the next call miss.
real, calls = export._draw_png, []
export._draw_png = lambda G: calls.append(G) or real(G)
export._PNG_CACHE.clear()
first = export._png(G)
found["png"] = first.startswith(b"\\x89PNG")
found["same"] = drawn == first
found["kept"] = export._png(concept_graph()) is first
found["draws"] = len(calls)
export._draw_png = real
broken = export.draw_alongside(scratch / "no-such-data", scratch)  # cache full: not forked
found["cached"] = broken is None
export._PNG_CACHE.clear()
broken = export.draw_alongside(scratch / "no-such-data", scratch)
found["failed"] = broken.collect()
found["left"] = sorted(p.name for p in scratch.iterdir())
print(json.dumps(found))
"""


def test_the_map_drawn_alongside_is_the_map_and_a_failure_leaves_nothing():
    out = subprocess.run(
        [sys.executable, "-c", _ALONGSIDE], capture_output=True, text=True, check=True
    )
    assert out.stderr == ""
    found = json.loads(out.stdout)
    assert found == {
        "forked": True,
        "collected": True,
        "png": True,
        "same": True,  # byte for byte what this process draws
        "kept": True,  # though that drawing picked matplotlib's backend
        "draws": 1,
        "cached": True,
        "failed": False,  # the parent then draws it itself, and raises what fails
        "left": [],
    }


def test_a_process_with_threads_draws_in_place(tmp_path):
    import threading

    started = threading.Event()
    stop = threading.Event()
    helper = threading.Thread(target=lambda: (started.set(), stop.wait()))
    helper.start()
    try:
        started.wait()
        assert export.draw_alongside(None, tmp_path) is None
    finally:
        stop.set()
        helper.join()
    assert list(tmp_path.iterdir()) == []


def _dead(process: Path) -> bool:
    """Gone, or a zombie (dead, waiting for whoever adopted it to reap it)."""
    try:
        return "Z" in (process / "stat").read_text().split()[2]
    except (FileNotFoundError, ProcessLookupError):
        return True


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_the_drawer_dies_with_a_killed_build(tmp_path):
    script = (
        "import pathlib, sys, time\n"
        "import explainer.export as export\n"
        f"child = export.draw_alongside(None, pathlib.Path({str(tmp_path)!r}))\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = Path(f"/proc/{int(build.stdout.readline())}")
    build.kill()  # SIGKILL: the build's own code never runs again
    build.wait()
    build.stdout.close()
    deadline = time.monotonic() + 10
    while not _dead(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _dead(child)
    # killed at once: an orphan would have finished its drawing and written it here
    assert list(tmp_path.iterdir()) == []
