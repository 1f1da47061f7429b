"""Notebook hygiene: what nbval does not check, but readers and reruns need."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))
ABSOLUTE = re.compile(r"(/root/|/home/|/tmp/|/Users/|[A-Z]:\\\\|site-packages)")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def code_cells(path):
    return [c for c in cells(path) if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_there_are_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(len(NOTEBOOKS))]
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executed_top_to_bottom_in_one_run(path):
    counts = [c["execution_count"] for c in code_cells(path)]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_errors_no_stderr_no_absolute_paths(path):
    for i, cell in enumerate(code_cells(path)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", (path.name, i)
            assert out.get("name") != "stderr", (path.name, i, out.get("text"))
            data = {k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")}
            text = json.dumps(data)
            text += json.dumps(out.get("text", ""))
            assert not ABSOLUTE.search(text), (path.name, i)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_timing_metadata(path):
    for cell in cells(path):
        assert "execution" not in cell.get("metadata", {}), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernelspec_exists_in_this_environment(path):
    from jupyter_client.kernelspec import KernelSpecManager

    name = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]
    assert name in KernelSpecManager().find_kernel_specs()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_title_first_imports_second(path):
    first, second = cells(path)[:2]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# ")
    assert len("".join(first["source"])) > 200, "the title cell says what the reader will learn"
    source = "".join(second["source"])
    assert second["cell_type"] == "code" and re.search(r"^(import|from) explainer", source, re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_is_introduced_and_followed_by_prose(path):
    all_cells = cells(path)
    for i, cell in enumerate(all_cells):
        has_figure = cell["cell_type"] == "code" and any(
            "image/png" in out.get("data", {}) for out in cell.get("outputs", [])
        )
        if has_figure:
            assert all_cells[i - 1]["cell_type"] == "markdown", (path.name, i)
            assert i + 1 < len(all_cells), (path.name, i)
            assert all_cells[i + 1]["cell_type"] == "markdown", (path.name, i)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_keep_logic_in_the_package(path):
    for cell in code_cells(path):
        source = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class) ", source, re.MULTILINE), (path.name, source[:80])
        assert not source.rstrip().endswith(";"), "nbval ignores a trailing ';' (nbval #194)"
