"""The committed exports in docs/ are what `make docs` makes of the current data."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer.export import export_all

DOCS = Path(__file__).parents[1] / "docs"
TEXT_EXPORTS = ["concept-map.graphml", "concept-map.json", "concept-map.mmd", "claims.jsonld"]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    target = tmp_path_factory.mktemp("exports")
    export_all(target)
    return target


@pytest.mark.parametrize("name", TEXT_EXPORTS)
def test_committed_exports_are_up_to_date(fresh, name):
    committed = DOCS / name
    assert committed.is_file(), f"docs/{name} is missing: run `make docs`"
    assert committed.read_text(encoding="utf-8") == (fresh / name).read_text(encoding="utf-8"), (
        f"docs/{name} is stale: run `make docs`"
    )


def test_readme_pictures_exist():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for picture in ["docs/concept-map.png", "docs/site-index.png"]:
        assert picture in readme and (DOCS.parent / picture).is_file()
