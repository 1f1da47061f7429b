"""One copy of the shipped data per test module, put back as shipped after each test.

A module assigns ``data_copy = shared_data_fixture()`` to override the fresh
copy per test of ``tests/conftest.py``. Putting a copy back costs a
comparison of its files; a fresh copy costs reading every table again, since
the loader's cache is keyed by path and modification time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.fault_loop import DATA, tree


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink()
    else:
        shutil.rmtree(path)


def restore_data(folder: Path) -> None:
    """Put a copy of the shipped data back as shipped, after a test damaged it.

    Everything beside ``folder`` and every file the data does not ship is
    removed; a shipped file that differs (content, size, mode or modification
    time; a link or a folder in its place) is copied back with its shipped
    modification time, so the loader's cache (keyed by path and modification
    time) serves the tables no test changed. Tests that share one copy this
    way read the undamaged tables once, not once per test.
    """
    for path in folder.parent.iterdir():
        if path != folder:
            _remove(path)
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    if not folder.is_dir():
        shutil.copytree(DATA, folder)
    for path in folder.iterdir():
        if not (DATA / path.name).is_file():
            _remove(path)
    for shipped in DATA.iterdir():
        path = folder / shipped.name
        if not path.is_symlink() and path.is_file():
            now, then = path.stat(), shipped.stat()
            same = (now.st_mtime_ns, now.st_size, now.st_mode) == (
                then.st_mtime_ns,
                then.st_size,
                then.st_mode,
            )
            if same and path.read_bytes() == shipped.read_bytes():
                continue
        if path.is_symlink() or path.exists():
            _remove(path)
        shutil.copy2(shipped, path)
    if tree(folder) != tree(DATA):
        raise AssertionError(f"{folder} could not be put back as shipped")


def shared_data_fixture():
    """Return a pytest fixture ``data_copy``: one data copy per module, put back after each test.

    A module assigns it (``data_copy = shared_data_fixture()``) to
    override the fresh copy per test of ``tests/conftest.py``: the loader then
    reads the tables a test did not damage from its cache (:func:`restore_data`).
    """
    import pytest

    made: dict[str, Path] = {}

    @pytest.fixture
    def data_copy(tmp_path_factory):
        """The module's copy of the shipped data, put back as shipped after each test."""
        if "folder" not in made:
            made["folder"] = tmp_path_factory.mktemp("shared") / "data"
            shutil.copytree(DATA, made["folder"])
        yield made["folder"]
        restore_data(made["folder"])

    return data_copy
