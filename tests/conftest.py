"""Shared fixtures: a scratch copy of the data, so no test touches data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explainer._paths import default_data_dir

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
