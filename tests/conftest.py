"""Shared fixtures: a scratch copy of the data, so no test touches data/."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from explainer._paths import default_data_dir

# Property tests: a short run by default (the README's test command), and a
# long one on demand: pytest --hypothesis-profile=thorough
settings.register_profile("default", max_examples=20, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)

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
