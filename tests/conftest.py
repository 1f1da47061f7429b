"""Shared fixtures: a scratch copy of the data, so no test touches data/."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from explainer._paths import default_data_dir

from . import _built_site

# Property tests: a short run by default (a few seconds in the README's test command), and a
# long one on demand: pytest --thorough (or --hypothesis-profile=thorough).
settings.register_profile("default", max_examples=6, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--thorough",
        action="store_true",
        help="run the long versions: 1,000 examples per property, kill-and-restart loops, "
        "every adversarial attack (tests marked 'thorough')",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--thorough", default=False):
        settings.load_profile("thorough")
    if not hasattr(config, "workerinput"):
        # The controller (or the only process) makes the folder that every
        # worker shares for things built once per session (tests/_built_site.py);
        # workers inherit the variable naming it.
        os.environ[_built_site.SHARED] = tempfile.mkdtemp(prefix="explainer-test-shared-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        _built_site.remove_shared_folder()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--thorough", default=False):
        return
    skip = pytest.mark.skip(reason="long version: run with --thorough (make test-thorough)")
    for item in items:
        if "thorough" in item.keywords:
            item.add_marker(skip)


DATA = default_data_dir()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """Return a fresh copy of the shipped data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def rewrite(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file, insisting that ``old`` is there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def rows(name: str, data_dir: Path = DATA) -> list[dict[str, str]]:
    """Read a table's CSV with the standard library: expected values come from here,
    independently of the package's loader."""
    with (data_dir / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
