"""The tables: their schemas, and each CSV read typed from the descriptor.

``data/datapackage.json`` (a Frictionless Data Package) is the single source
of truth: it names every table, its file, its columns and their types, its
keys and its enumerations. :mod:`explainer.descriptor` checks it before
anything here trusts it. :func:`load` reads a CSV with the standard
library's :mod:`csv` module, through the one safe reader
(:mod:`explainer._read`), checks every cell against its Table Schema field
(type, required, unique, enum, pattern, minimum, maximum, length) and the
primary key, and returns a typed :class:`pandas.DataFrame`. Checking a whole
folder (foreign keys, loops, the project's own checks) is
:mod:`explainer.validation`'s job. Nothing here touches the network.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from explainer._paths import resolve_data_dir
from explainer._read import file_state, inside, read_text_inside
from explainer.descriptor import DESCRIPTOR, read_descriptor
from explainer.errors import DataError, Problem

__all__ = [
    "DESCRIPTOR",
    "MAX_TABLE_BYTES",
    "Schema",
    "describe",
    "load",
    "read_all",
    "read_schemas",
    "schema",
    "tables",
]


PathLike = str | os.PathLike[str]

MAX_TABLE_BYTES = 50_000_000


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per descriptor read
class Schema:
    """A table's schema, as the descriptor states it.

    Attributes
    ----------
    name : str
        The table's name.
    path : str
        The CSV file's name inside the data directory.
    description : str
        What the table holds.
    fields : tuple of dict
        The Table Schema field descriptors, in column order.
    primary_key : tuple of str
    foreign_keys : tuple of dict
    """

    name: str
    path: str
    description: str
    fields: tuple[dict[str, Any], ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]

    @property
    def columns(self) -> list[str]:
        """Return the column names, in order."""
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict[str, Any]:
        """Return the descriptor of column ``name``."""
        return next(f for f in self.fields if f["name"] == name)


# ----------------------------------------------------------------------------
# The schemas


def read_schemas(data_dir: Path) -> dict[str, Schema]:
    """Return every table's :class:`Schema` in ``data_dir`` (resolved), by name, in order.

    The descriptor's order; read once per version of ``datapackage.json``.
    """
    path = data_dir / DESCRIPTOR
    return _schemas_cached(str(path), file_state(path))


@lru_cache(maxsize=16)
def _schemas_cached(path: str, stat: tuple[int, int]) -> dict[str, Schema]:
    descriptor = read_descriptor(Path(path).parent)
    out = {}
    for res in descriptor["resources"]:
        sch = res["schema"]
        fks = []
        for fk in sch.get("foreignKeys", []):
            fields = fk["fields"]
            ref = fk["reference"]["fields"]
            fks.append(
                {
                    "fields": [fields] if isinstance(fields, str) else list(fields),
                    "resource": fk["reference"].get("resource") or res["name"],
                    "reference": [ref] if isinstance(ref, str) else list(ref),
                }
            )
        pk = sch.get("primaryKey", [])
        out[res["name"]] = Schema(
            name=res["name"],
            path=res["path"],
            description=res.get("description", ""),
            fields=tuple(sch["fields"]),
            primary_key=tuple([pk] if isinstance(pk, str) else pk),
            foreign_keys=tuple(fks),
        )
    return out


def tables(*, data_dir: PathLike | None = None) -> list[str]:
    """Return the names of the tables, in the descriptor's order.

    Parameters
    ----------
    data_dir : str or path-like, optional
        The data directory; by default the one shipped with the package.

    Returns
    -------
    list of str

    Examples
    --------
    >>> tables()[:3]
    ['sections', 'claims', 'non_claims']
    """
    return list(read_schemas(resolve_data_dir(data_dir)))


def schema(name: str, *, data_dir: PathLike | None = None) -> Schema:
    """Return the schema of table ``name``.

    Parameters
    ----------
    name : str
        A table's name, one of :func:`tables`.
    data_dir : str or path-like, optional

    Returns
    -------
    Schema

    Raises
    ------
    KeyError
        If there is no such table; the message lists the valid names.

    Examples
    --------
    >>> schema("claims").primary_key
    ('claim_id',)
    """
    schemas = read_schemas(resolve_data_dir(data_dir))
    try:
        return schemas[name]
    except KeyError:
        valid = ", ".join(schemas)
        raise KeyError(f"no table named {name!r}; the tables are: {valid}") from None


def describe(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return one row per table: its name, title, rows, columns and description.

    Parameters
    ----------
    data_dir : str or path-like, optional

    Returns
    -------
    pandas.DataFrame
        Columns ``table``, ``title``, ``rows``, ``columns``, ``key``,
        ``description``.

    Examples
    --------
    >>> describe().loc[0, "table"]
    'sections'
    """
    root = resolve_data_dir(data_dir)
    titles = {r["name"]: r.get("title", r["name"]) for r in read_descriptor(root)["resources"]}
    rows = []
    for name, sch in read_schemas(root).items():
        rows.append(
            {
                "table": name,
                "title": titles[name],
                "rows": len(load(name, data_dir=root)),
                "columns": len(sch.fields),
                "key": ", ".join(sch.primary_key),
                "description": sch.description,
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------
# Reading one table


def load(name: str, *, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return table ``name`` as a DataFrame typed from the descriptor.

    Strings load as pandas' ``string`` dtype, integers as nullable ``Int64``,
    booleans as ``boolean``, and columns with ``constraints.enum`` as ordered
    categoricals in the descriptor's order. Key columns are ordinary columns;
    the index is a default RangeIndex. Empty cells are missing values.

    The table is checked against its own schema on the way in (columns,
    types, required and unique values, enumerations, primary key); checks
    across tables are :func:`validate`'s job. What was read is cached until
    the file changes; each call returns a fresh copy.

    Parameters
    ----------
    name : str
        A table's name, one of :func:`tables`.
    data_dir : str or path-like, optional
        The data directory; by default the one shipped with the package.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    KeyError
        If there is no table ``name`` (the message lists the valid names).
    DataError
        If the file is missing, unreadable, not UTF-8, not valid CSV, or
        breaks its schema; the error names the file, row, column and value.

    Examples
    --------
    >>> claims = load("claims")
    >>> claims.columns[:3].tolist()
    ['claim_id', 'section_id', 'quote']
    >>> claims["claim_type"].cat.ordered
    True
    """
    root = resolve_data_dir(data_dir)
    sch = schema(name, data_dir=root)
    path = inside(root, root / sch.path)
    frame = _load_cached(str(path), file_state(path), sch)
    return frame.copy()


@lru_cache(maxsize=128)
def _load_cached(path: str, _stat: tuple[int, int], sch: Schema) -> pd.DataFrame:
    problems: list[Problem] = []
    frame = _read_table(Path(path), sch, problems)
    if problems:
        raise DataError(problems)
    return frame


def _rows(path: Path, sch: Schema) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) with row 1 the header; raise DataError on bad CSV.

    Rows are numbered as a spreadsheet numbers them: one per record (a cell
    that holds a line break does not add a row), blank lines included.
    """
    if file_state(path)[1] > MAX_TABLE_BYTES:
        raise DataError([Problem(sch.path, f"larger than {MAX_TABLE_BYTES:,} bytes; not read")])
    text = read_text_inside(path.parent, path, MAX_TABLE_BYTES)
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rowno = 0
    try:
        for rowno, cells in enumerate(reader, start=1):
            yield rowno, cells
    except csv.Error as exc:
        raise DataError([Problem(sch.path, f"not valid CSV ({exc})", row=rowno + 1)]) from None


class RowNumbers(tuple):
    """The file row of each frame row (the header is row 1), kept in ``frame.attrs``.

    pandas deep-copies ``attrs`` on every operation that returns a new frame;
    a tuple is immutable, so this one hands itself out instead of being copied
    element by element (a third of the time of a validation went there).

    Examples
    --------
    >>> import copy
    >>> rows = RowNumbers([2, 3, 5])
    >>> copy.deepcopy(rows) is rows, rows[2]
    (True, 5)
    """

    __slots__ = ()

    def __deepcopy__(self, memo: dict) -> RowNumbers:
        return self


def _read_table(path: Path, sch: Schema, problems: list[Problem]) -> pd.DataFrame:
    file = sch.path
    rows = _rows(path, sch)
    header_row = next(rows, None)
    if header_row is None:
        raise DataError([Problem(file, "the file is empty: no header row", row=1)])
    _, header = header_row
    expected = sch.columns
    present, wanted = set(header), set(expected)
    missing = [c for c in expected if c not in present]
    extra = [c for c in header if c not in wanted]
    for c in missing:
        problems.append(Problem(file, "missing column", row=1, column=c))
    for c in extra:
        problems.append(Problem(file, "column not in the descriptor", row=1, column=c, value=c))
    counts = Counter(header)
    dupes = sorted(c for c, n in counts.items() if n > 1)
    for c in dupes:
        problems.append(Problem(file, "column appears twice in the header", row=1, column=c))
    if problems:
        raise DataError(problems)

    order = [header.index(c) for c in expected]
    frame_complete = True
    records: list[list[str]] = []
    numbers: list[int] = []
    for rowno, cells in rows:
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # blank line
        if len(cells) != len(header):
            frame_complete = False
            problems.append(
                Problem(
                    file,
                    f"expected {len(header)} cells, found {len(cells)}",
                    row=rowno,
                    value=",".join(cells),
                )
            )
            continue
        records.append([cells[i] for i in order])
        numbers.append(rowno)
    columns = list(zip(*records, strict=True)) if records else [() for _ in expected]
    data = {}
    for f, values in zip(sch.fields, columns, strict=True):
        data[f["name"]] = _convert(f, list(values), numbers, file, problems)
    frame = pd.DataFrame(data, columns=expected)
    frame.attrs["row_numbers"] = RowNumbers(numbers)
    frame.attrs["complete"] = frame_complete  # False when a row could not be read at all
    _check_keys(frame, sch, numbers, problems)
    return frame


_INT = re.compile(r"[+-]?[0-9]{1,19}")
_INT64 = range(-(2**63), 2**63)
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(inf|INF|NaN|nan)")
_TRUE, _FALSE = {"true", "True", "TRUE", "yes", "1"}, {"false", "False", "FALSE", "no", "0"}


def _convert(
    field: dict[str, Any], values: list[str], rownos: list[int], file: str, problems: list[Problem]
):
    name, ftype = field["name"], field.get("type", "string")
    cons = field.get("constraints", {})
    missing = set(field.get("missingValues", [""]))
    out: list[Any] = []
    for v, rowno in zip(values, rownos, strict=True):
        if v in missing:
            if cons.get("required"):
                problems.append(
                    Problem(file, "required value is missing", row=rowno, column=name, value=v)
                )
            out.append(pd.NA)
            continue
        if ftype == "integer":
            if not _INT.fullmatch(v.strip()) or int(v) not in _INT64:
                why = (
                    "not an integer"
                    if not re.fullmatch(r"[+-]?[0-9]+", v.strip())
                    else ("an integer too large to store (beyond 64 bits)")
                )
                problems.append(Problem(file, why, row=rowno, column=name, value=v))
                out.append(pd.NA)
                continue
            val: Any = int(v)
            if "minimum" in cons and val < cons["minimum"]:
                problems.append(
                    Problem(
                        file,
                        f"below the minimum {cons['minimum']}",
                        row=rowno,
                        column=name,
                        value=v,
                    )
                )
            if "maximum" in cons and val > cons["maximum"]:
                problems.append(
                    Problem(
                        file,
                        f"above the maximum {cons['maximum']}",
                        row=rowno,
                        column=name,
                        value=v,
                    )
                )
        elif ftype == "number":
            if len(v) > 100 or not _NUMBER.fullmatch(v.strip()):
                problems.append(Problem(file, "not a number", row=rowno, column=name, value=v))
                out.append(pd.NA)
                continue
            val = float(v)
        elif ftype == "boolean":
            if v not in _TRUE | _FALSE:
                problems.append(
                    Problem(file, "not a boolean (true/false)", row=rowno, column=name, value=v)
                )
                out.append(pd.NA)
                continue
            val = v in _TRUE
        else:
            val = v
            if "enum" in cons and v not in cons["enum"]:
                allowed = ", ".join(cons["enum"])
                problems.append(
                    Problem(file, f"not one of: {allowed}", row=rowno, column=name, value=v)
                )
            if "pattern" in cons and not re.fullmatch(cons["pattern"], v):
                problems.append(
                    Problem(
                        file,
                        f"does not match the pattern {cons['pattern']}",
                        row=rowno,
                        column=name,
                        value=v,
                    )
                )
            if "minLength" in cons and len(v) < cons["minLength"]:
                problems.append(
                    Problem(
                        file,
                        f"shorter than {cons['minLength']} characters ({len(v)})",
                        row=rowno,
                        column=name,
                        value=v,
                    )
                )
            if "maxLength" in cons and len(v) > cons["maxLength"]:
                problems.append(
                    Problem(
                        file,
                        f"longer than {cons['maxLength']} characters ({len(v)})",
                        row=rowno,
                        column=name,
                        value=v,
                    )
                )
        out.append(val)
    if cons.get("unique"):
        seen: dict[Any, int] = {}
        for val, rowno in zip(out, rownos, strict=True):
            if val is pd.NA:
                continue
            if val in seen:
                problems.append(
                    Problem(
                        file,
                        f"duplicate value (first in row {seen[val]})",
                        row=rowno,
                        column=name,
                        value=str(val),
                    )
                )
            else:
                seen[val] = rowno
    if "enum" in cons:
        return pd.Categorical(
            [x if x is not pd.NA and x in cons["enum"] else pd.NA for x in out],
            categories=cons["enum"],
            ordered=True,
        )
    dtype = {"integer": "Int64", "boolean": "boolean", "number": "Float64"}.get(ftype, "string")
    return pd.array(out, dtype=dtype)


def _check_keys(
    frame: pd.DataFrame, sch: Schema, rownos: list[int], problems: list[Problem]
) -> None:
    pk = list(sch.primary_key)
    if len(pk) < 2:
        return  # single-column keys are checked as unique + required
    seen: dict[tuple, int] = {}
    for i, key in enumerate(frame[pk].itertuples(index=False, name=None)):
        if key in seen:
            problems.append(
                Problem(
                    sch.path,
                    f"duplicate primary key (first in row {seen[key]})",
                    row=rownos[i],
                    column=", ".join(pk),
                    value=", ".join(map(str, key)),
                )
            )
        else:
            seen[key] = rownos[i]


# ----------------------------------------------------------------------------
# Validating the package


def read_all(root: Path, schemas: dict[str, Schema]) -> tuple[dict[str, pd.DataFrame], list]:
    """Read every table of ``schemas`` leniently; return what was read and every problem found.

    A table that breaks its schema comes back with the broken cells missing
    (``attrs["complete"]`` False), so that the checks across tables can run
    and report everything at once; a table that cannot be read at all is left
    out. What :mod:`explainer.validation` checks.

    Parameters
    ----------
    root : pathlib.Path
        The data folder (already resolved).
    schemas : dict of str to Schema
        The tables to read.

    Returns
    -------
    tuple of (dict of str to DataFrame, list of Problem)
    """
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    for name, sch in schemas.items():
        frame, found = _read_leniently(root, sch)
        problems.extend(found)
        if frame is not None:
            frames[name] = frame
    return frames, problems


def _read_leniently(root: Path, sch: Schema) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a table, returning what could be read and every problem found.

    Cells that break the schema become missing values, so that the checks
    across tables can still run and report everything at once. A table that
    loads cleanly comes from (and goes into) :func:`load`'s cache.
    """
    path = root / sch.path
    try:
        inside(root, path)
        return _load_cached(str(path), file_state(path), sch), []
    except DataError:
        pass
    problems: list[Problem] = []
    try:
        inside(root, path)
        frame = _read_table(path, sch, problems)
    except DataError as exc:
        return None, exc.problems
    return frame, problems
