"""The committed exports in docs/ are what `make docs` makes of the current data."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer import concept_graph
from explainer.audit import claim_reviews
from explainer.export import EXPORTS, claims_jsonld, graph_json, graphml, mermaid
from tests.conftest import rows

DOCS = Path(__file__).parents[1] / "docs"
TEXT_EXPORTS = ["concept-map.graphml", "concept-map.json", "concept-map.mmd", "claims.jsonld"]


@pytest.fixture(scope="module")
def fresh() -> dict[str, str]:
    """The text exports of the current data, from the functions export_all writes them with
    (test_export checks that its files are these texts): no picture drawn for them."""
    G = concept_graph()
    return {
        "concept-map.graphml": graphml(G),
        "concept-map.json": graph_json(G),
        "concept-map.mmd": mermaid(G),
        "claims.jsonld": claims_jsonld(claim_reviews()),
    }


def test_the_text_exports_are_every_export_but_the_picture(fresh):
    assert sorted(fresh) == sorted(TEXT_EXPORTS)
    assert sorted([*TEXT_EXPORTS, "concept-map.png"]) == sorted(EXPORTS)


@pytest.mark.parametrize("name", TEXT_EXPORTS)
def test_committed_exports_are_up_to_date(fresh, name):
    committed = DOCS / name
    assert committed.is_file(), f"docs/{name} is missing: run `make docs`"
    assert committed.read_text(encoding="utf-8") == fresh[name], (
        f"docs/{name} is stale: run `make docs`"
    )


def test_readme_pictures_exist():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for picture in ["docs/concept-map.png", "docs/site-index.png"]:
        assert picture in readme and (DOCS.parent / picture).is_file()


README = DOCS.parent / "README.md"


def _readme_table(first_header: str) -> list[list[str]]:
    """Return the rows of the README's markdown table whose first header cell is given."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_readme_lists_every_table_once():
    import explainer

    listed = [row[0].strip("`") for row in _readme_table("table")]
    assert listed == explainer.tables()


def test_readme_rating_grid_is_the_ratings_table():
    ratings = {(r["verdict"], r["certainty"]): r["rating"] for r in rows("ratings")}
    certainties = ["high", "moderate", "low", "very_low"]
    grid = _readme_table("verdict, by certainty")
    assert [row[0] for row in grid] == [
        v.replace("_", " ") for v in dict.fromkeys(v for v, _ in ratings)
    ]
    for row in grid:
        verdict = row[0].replace(" ", "_")
        assert row[1:] == [ratings[verdict, c] for c in certainties], verdict


def test_readme_lists_every_notebook():
    notebooks = sorted(p.stem for p in (DOCS.parent / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert [row[0].strip("`") for row in _readme_table("notebook")] == notebooks


def test_readme_performance_table_is_the_committed_results():
    """benchmarks/README.md's results table is what `python -m benchmarks readme` makes of
    benchmarks/results/latest.json, and the prose's 'before' figures are before.json's;
    the project's README points there."""
    import json

    from benchmarks._readme import END, START, render_table

    results = DOCS.parent / "benchmarks" / "results"
    text = (DOCS.parent / "benchmarks" / "README.md").read_text(encoding="utf-8")
    table = text.split(START, 1)[1].split(END, 1)[0]
    latest = json.loads((results / "latest.json").read_text(encoding="utf-8"))
    assert table.strip() == render_table(latest), "run `python -m benchmarks readme`"
    before = json.loads((results / "before.json").read_text(encoding="utf-8"))
    figures = before["benchmarks"]["suite"]["figures"]
    wall, cpu = figures["suite_wall"]["value"], figures["suite_cpu"]["value"]
    ratio = figures["suite_vs_notebooks"]["value"]
    assert f"took {wall:.0f} s and {cpu:.0f} CPU-seconds, a ratio of {ratio:.1f}" in " ".join(
        text.split()
    )
    assert "benchmarks/README.md#latest-results" in README.read_text(encoding="utf-8")


def test_suite_design_cpu_table_is_the_committed_run():
    """benchmarks/SUITE-DESIGN.md's table of where the suite's CPU goes is
    benchmarks/results/suite-cpu.json, added up (the file is committed)."""
    import json

    root = DOCS.parent / "benchmarks"
    found = json.loads((root / "results" / "suite-cpu.json").read_text(encoding="utf-8"))
    design = " ".join((root / "SUITE-DESIGN.md").read_text(encoding="utf-8").split())
    heavy = ["adversarial", "wheel", "site", "browser", "caches", "cli"]
    files = found["files"]
    total = found["total"]
    parts = {
        "notebooks": found["kinds"]["notebooks"],
        "outside": sum(found["outside_tests"].values()),
        "heavy": sum(files[f"tests/test_{name}.py"] for name in heavy),
    }
    parts["rest"] = total - sum(parts.values())
    assert f"one run of the default suite, {total:.1f} CPU-seconds in all" in design
    for seconds in parts.values():
        assert f"| {seconds:.1f} | {100 * seconds / total:.0f}% |" in design, seconds
    for name in heavy:
        assert f"`test_{name}.py` {files[f'tests/test_{name}.py']:.1f}" in design, name


def test_make_lab_trusts_every_notebook_then_passes_lab_args_to_jupyterlab():
    """The README's `make lab LAB_ARGS=...`, as make would run it (`make -n`: nothing runs)."""
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    args = "--no-browser --port=8890 --ip=127.0.0.1"
    run = subprocess.run(
        ["make", "-n", "-s", "-C", str(DOCS.parent), "lab", f"LAB_ARGS={args}"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = run.stdout.splitlines()
    trust = next(i for i, line in enumerate(lines) if " trust " in line)
    lab = next(i for i, line in enumerate(lines) if " lab --notebook-dir=notebooks" in line)
    notebooks = sorted(p.name for p in (DOCS.parent / "notebooks").glob("*.ipynb"))
    assert [w.split("/")[-1] for w in lines[trust].split()[2:]] == notebooks
    assert trust < lab and lines[lab].startswith(".venv-lab/bin/jupyter lab")
    assert lines[lab].endswith(args)
    assert f'LAB_ARGS="{args.rsplit(" ", 1)[0]}"' in README.read_text(encoding="utf-8")
