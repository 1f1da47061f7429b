"""Property tests: random corruptions of a copy of data/ end in a pass or a DataError.

Never another exception, never a hang, and the shipped data stays as it was.
Select the long run with ``pytest tests/test_properties.py --hypothesis-profile=thorough``.

Each test copies the data once; an example writes its corrupted file into that
copy and the copy is put back after it (``restore_data``), so the
tables an example did not touch come from the loader's cache.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer import DataError, validate
from tests._shared_data import restore_data

from .conftest import DATA

TABLE_FILES = sorted(p.name for p in DATA.glob("*.csv"))
ALL_FILES = sorted(p.name for p in DATA.iterdir())


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


SHIPPED = _digest(DATA)


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


# Each corruption takes (rows, draw) and returns new rows and whether it is
# harmless by construction (then validate() must pass).
def blank_cell(rows, data):
    r = data.draw(st.integers(1, len(rows) - 1))
    c = data.draw(st.integers(0, len(rows[0]) - 1))
    rows[r][c] = ""
    return rows, False


def duplicate_row(rows, data):
    r = data.draw(st.integers(1, len(rows) - 1))
    rows.insert(data.draw(st.integers(1, len(rows))), list(rows[r]))
    return rows, False


def drop_row(rows, data):
    del rows[data.draw(st.integers(1, len(rows) - 1))]
    return rows, False


def rename_key(rows, data):
    r = data.draw(st.integers(1, len(rows) - 1))
    rows[r][0] = rows[r][0] + data.draw(st.sampled_from(["x", "_old", "-2", " "]))
    return rows, False


def alter_text(rows, data):
    r = data.draw(st.integers(1, len(rows) - 1))
    c = data.draw(st.integers(0, len(rows[0]) - 1))
    cell = rows[r][c]
    at = data.draw(st.integers(0, len(cell)))
    rows[r][c] = cell[:at] + data.draw(st.text(min_size=1, max_size=3)) + cell[at:]
    return rows, False


def reorder_columns(rows, data):
    order = data.draw(st.permutations(range(len(rows[0]))))
    return [[row[i] for i in order] for row in rows], True


def reorder_rows(rows, data):
    body = data.draw(st.permutations(rows[1:]))
    return [rows[0], *body], True


def remove_column(rows, data):
    c = data.draw(st.integers(0, len(rows[0]) - 1))
    return [row[:c] + row[c + 1 :] for row in rows], False


def replace_enum_value(rows, data):
    r = data.draw(st.integers(1, len(rows) - 1))
    c = data.draw(st.integers(0, len(rows[0]) - 1))
    rows[r][c] = data.draw(st.sampled_from(["maybe", "UNKNOWN", "supports ", "Causal"]))
    return rows, False


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("properties") / "data"
    shutil.copytree(DATA, folder)
    return folder


_EDITS = itertools.count(1)


@contextmanager
def corrupted(folder: Path, file: str, content: bytes):
    """Write ``content`` as ``file`` of ``folder`` for one example; put the folder back after."""
    path = folder / file
    try:
        path.write_bytes(content)
        # A modification time of its own: the loader caches by path, time and size,
        # and two examples may write files of one size within one clock tick.
        stamp = time.time_ns() + next(_EDITS)
        os.utime(path, ns=(stamp, stamp))
        yield folder
    finally:
        restore_data(folder)


def _text(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


CORRUPTIONS = [
    blank_cell,
    duplicate_row,
    drop_row,
    rename_key,
    alter_text,
    reorder_columns,
    reorder_rows,
    remove_column,
    replace_enum_value,
]


def _check(folder: Path, harmless: bool, corrupted: str) -> None:
    try:
        validate(folder)
    except DataError as exc:
        assert not harmless, f"a harmless change to {corrupted} was rejected:\n{exc}"
        assert exc.files, exc
        assert set(exc.files) <= set(ALL_FILES), exc.files
        assert all(str(p) for p in exc.problems)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(file=st.sampled_from(TABLE_FILES), corruption=st.sampled_from(CORRUPTIONS), data=st.data())
def test_csv_corruptions_end_in_a_pass_or_a_data_error(scratch, file, corruption, data):
    rows, harmless = corruption(_read(DATA / file), data)
    with corrupted(scratch, file, _text(rows)) as folder:
        _check(folder, harmless, file)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(file=st.sampled_from(ALL_FILES), data=st.data())
def test_flipped_bytes_end_in_a_pass_or_a_data_error_naming_a_file(scratch, file, data):
    raw = bytearray((DATA / file).read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] ^= 1 << data.draw(st.integers(0, 7))
    with corrupted(scratch, file, bytes(raw)) as folder:
        _check(folder, False, file)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(file=st.sampled_from(TABLE_FILES), data=st.data())
def test_a_replaced_enum_value_is_named_with_its_file(scratch, file, data):
    """A value outside an enumeration is always reported against its own file."""
    import json

    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r["path"] == file)
    enums = [i for i, f in enumerate(res["schema"]["fields"]) if "enum" in f.get("constraints", {})]
    if not enums:
        return
    rows = _read(DATA / file)
    header = [f["name"] for f in res["schema"]["fields"]]
    c = rows[0].index(header[data.draw(st.sampled_from(enums))])
    r = data.draw(st.integers(1, len(rows) - 1))
    rows[r][c] = "not_a_category"
    with corrupted(scratch, file, _text(rows)) as folder, pytest.raises(DataError) as info:
        validate(folder)
    assert file in info.value.files
    assert "not_a_category" in str(info.value)


def test_the_shipped_data_is_untouched():
    assert _digest(DATA) == SHIPPED
