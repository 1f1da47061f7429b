"""The tables: list them, load them typed from the descriptor, validate them.

``data/datapackage.json`` (a Frictionless Data Package) is the single source
of truth: it names every table, its file, its columns and their types, its
keys and its enumerations. :func:`load` reads a CSV with the standard
library's :mod:`csv` module, checks it against its schema and returns a typed
:class:`pandas.DataFrame`; :func:`validate` checks the whole package, across
tables, and raises one :class:`~explainer.errors.DataError` listing every
problem.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from explainer._paths import resolve_data_dir
from explainer.article import _read_text
from explainer.errors import DataError, Problem

__all__ = ["DESCRIPTOR", "Schema", "describe", "load", "schema", "tables", "validate"]

DESCRIPTOR = "datapackage.json"

PathLike = str | os.PathLike[str]


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
# The descriptor


def _descriptor(data_dir: Path) -> dict[str, Any]:
    path = data_dir / DESCRIPTOR
    stat = _stat(path)
    return _descriptor_cached(str(path), stat)


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DataError([Problem(path.name, "file not found")]) from None
    return st.st_mtime_ns, st.st_size


@cache
def _descriptor_cached(path: str, _stat: tuple[int, int]) -> dict[str, Any]:
    text = _read_text(Path(path))
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            [
                Problem(
                    DESCRIPTOR,
                    f"malformed JSON: {exc.msg}",
                    row=exc.lineno,
                    value=f"column {exc.colno}",
                )
            ]
        ) from None
    problems = _descriptor_problems(descriptor)
    if problems:
        raise DataError(problems)
    return descriptor


_TYPES = {"string", "integer", "boolean", "number"}

# The tables and columns the package's code relies on (the design's contract
# and what the checks read). The descriptor may add to them, never drop them.
REQUIRED_COLUMNS = {
    "sections": ("section_id", "parent_id", "number", "title", "level", "kind", "start", "end"),
    "claims": (
        "claim_id",
        "section_id",
        "quote",
        "statement",
        "claim_type",
        "claimant",
        "citation",
        "evidence_status",
        "hedge",
    ),
    "non_claims": ("span_id", "section_id", "quote", "reason"),
    "concepts": ("concept_id", "label", "kind", "description"),
    "relations": ("relation_id", "source", "link", "target", "claim_id", "polarity", "link_type"),
    "loops": ("loop_id", "title", "section_id", "claim_id", "path"),
    "hormones": ("hormone_id", "name", "alias", "concept_id", "section_ids"),
    "mechanisms": ("mechanism_id", "name", "section_id", "family", "concept_id"),
    "practices": ("practice_id", "title", "section_id", "mechanism_id"),
    "challenges": ("challenge_id", "title", "kind", "section_id", "threatens", "rebutted_by"),
    "experts": ("expert_id", "name", "role", "claim_id", "source_given", "attribution"),
    "faqs": ("faq_id", "number", "question", "answer", "stance", "question_type"),
    "faq_links": ("faq_id", "concept_id", "echoes_section_id"),
    "citations": ("marker", "claim_id", "status"),
    "references": ("ref_id", "authors", "year", "title", "venue", "doi", "status"),
    "evidence": ("claim_id", "ref_id", "bearing", "finding"),
    "verdicts": ("verdict", "rating", "rule", "meaning"),
}


def _descriptor_problems(descriptor: Any) -> list[Problem]:
    """Return what is wrong with the descriptor's structure (empty if nothing).

    Everything the loader relies on is checked here, so that a damaged
    descriptor gives a DataError naming it, never a KeyError or TypeError.
    """

    def bad(message: str, where: str) -> Problem:
        return Problem(DESCRIPTOR, message, value=where)

    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        return [Problem(DESCRIPTOR, "no 'resources' list")]
    problems: list[Problem] = []
    columns: dict[str, set[str]] = {}
    for i, res in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            problems.append(bad("a resource without a name", where))
            continue
        where = res["name"]
        if (
            not isinstance(res.get("path"), str)
            or not res["path"].endswith(".csv")
            or "/" in res["path"]
        ):
            problems.append(
                bad("the resource's 'path' must name a CSV file in the data folder", where)
            )
        sch = res.get("schema")
        fields = sch.get("fields") if isinstance(sch, dict) else None
        if (
            not isinstance(fields, list)
            or not fields
            or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields)
        ):
            problems.append(bad("the resource has no list of named fields", where))
            continue
        columns[res["name"]] = {f["name"] for f in fields}
        for f in fields:
            problems.extend(_field_problems(f, f"{where}.{f['name']}"))
        pk = sch.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else pk
        if not isinstance(pk, list) or not all(k in columns[res["name"]] for k in pk):
            problems.append(bad("the primaryKey names a field the schema does not have", where))
        if not isinstance(sch.get("missingValues", [""]), list):
            problems.append(bad("missingValues must be a list", where))
    for name, needed in REQUIRED_COLUMNS.items():
        if name not in columns:
            problems.append(bad("the package needs this table; no resource has this name", name))
        else:
            for column in needed:
                if column not in columns[name]:
                    problems.append(bad(f"the table needs the field {column!r}", name))
    for res in resources:
        if not isinstance(res, dict) or res.get("name") not in columns:
            continue
        fks = res["schema"].get("foreignKeys", [])
        if not isinstance(fks, list):
            problems.append(bad("foreignKeys must be a list", res["name"]))
            continue
        for fk in fks:
            ref = fk.get("reference") if isinstance(fk, dict) else None
            if not isinstance(ref, dict):
                problems.append(bad("a foreign key without a 'reference'", res["name"]))
                continue
            mine = fk.get("fields")
            theirs = ref.get("fields")
            mine = [mine] if isinstance(mine, str) else mine
            theirs = [theirs] if isinstance(theirs, str) else theirs
            target = ref.get("resource") or res["name"]
            ok = (
                isinstance(mine, list)
                and isinstance(theirs, list)
                and len(mine) == len(theirs)
                and target in columns
                and set(mine) <= columns[res["name"]]
                and set(theirs) <= columns[target]
            )
            if not ok:
                problems.append(
                    bad(
                        f"a foreign key that names no such resource or field ({target!r})",
                        res["name"],
                    )
                )
    return problems


def _field_problems(field: dict[str, Any], where: str) -> list[Problem]:
    problems = []
    if field.get("type", "string") not in _TYPES:
        problems.append(
            Problem(DESCRIPTOR, f"unknown field type {field.get('type')!r}", value=where)
        )
    cons = field.get("constraints", {})
    if not isinstance(cons, dict):
        return [*problems, Problem(DESCRIPTOR, "constraints must be an object", value=where)]
    if "enum" in cons and not (
        isinstance(cons["enum"], list)
        and cons["enum"]
        and all(isinstance(v, str) for v in cons["enum"])
    ):
        problems.append(Problem(DESCRIPTOR, "enum must be a list of strings", value=where))
    for key in ("minimum", "maximum", "maxLength", "minLength"):
        if key in cons and (not isinstance(cons[key], int) or isinstance(cons[key], bool)):
            problems.append(Problem(DESCRIPTOR, f"{key} must be a whole number", value=where))
    for key in ("required", "unique"):
        if key in cons and not isinstance(cons[key], bool):
            problems.append(Problem(DESCRIPTOR, f"{key} must be true or false", value=where))
    if "pattern" in cons:
        try:
            re.compile(cons["pattern"])
        except (re.error, TypeError):
            problems.append(
                Problem(DESCRIPTOR, "pattern is not a valid regular expression", value=where)
            )
    return problems


def _schemas(data_dir: Path) -> dict[str, Schema]:
    path = data_dir / DESCRIPTOR
    return _schemas_cached(str(path), _stat(path))


@cache
def _schemas_cached(path: str, stat: tuple[int, int]) -> dict[str, Schema]:
    descriptor = _descriptor_cached(path, stat)
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
    return list(_schemas(resolve_data_dir(data_dir)))


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
    schemas = _schemas(resolve_data_dir(data_dir))
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
    titles = {r["name"]: r.get("title", r["name"]) for r in _descriptor(root)["resources"]}
    rows = []
    for name, sch in _schemas(root).items():
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
    path = root / sch.path
    frame = _load_cached(str(path), _stat(path), sch)
    return frame.copy()


@cache
def _load_cached(path: str, _stat: tuple[int, int], sch: Schema) -> pd.DataFrame:
    problems: list[Problem] = []
    frame = _read_table(Path(path), sch, problems)
    if problems:
        raise DataError(problems)
    return frame


def _rows(path: Path, sch: Schema) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) with row 1 the header; raise DataError on bad CSV."""
    text = _read_text(path)
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise DataError(
            [Problem(sch.path, f"not valid CSV ({exc})", row=reader.line_num + 1)]
        ) from None


def _read_table(path: Path, sch: Schema, problems: list[Problem]) -> pd.DataFrame:
    file = sch.path
    rows = _rows(path, sch)
    header_row = next(rows, None)
    if header_row is None:
        raise DataError([Problem(file, "the file is empty: no header row", row=1)])
    _, header = header_row
    expected = sch.columns
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for c in missing:
        problems.append(Problem(file, "missing column", row=1, column=c))
    for c in extra:
        problems.append(Problem(file, "column not in the descriptor", row=1, column=c, value=c))
    dupes = sorted({c for c in header if header.count(c) > 1})
    for c in dupes:
        problems.append(Problem(file, "column appears twice in the header", row=1, column=c))
    if problems:
        raise DataError(problems)

    order = [header.index(c) for c in expected]
    records: list[list[str]] = []
    numbers: list[int] = []
    for rowno, cells in rows:
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # blank line
        if len(cells) != len(header):
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
    frame.attrs["row_numbers"] = numbers
    _check_keys(frame, sch, numbers, problems)
    return frame


_INT = re.compile(r"[+-]?\d+")
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
            if not _INT.fullmatch(v.strip()):
                problems.append(Problem(file, "not an integer", row=rowno, column=name, value=v))
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


def validate(data_dir: PathLike | None = None) -> None:
    """Check the whole data package; raise one DataError listing every problem.

    Runs three layers of checks:

    1. Frictionless validation of ``datapackage.json`` and every CSV
       (types, constraints, primary and foreign keys).
    2. The loader's own checks of each table (the same schema, read the way
       :func:`load` reads it), so that every table :func:`validate` passes
       also loads.
    3. Checks that a Table Schema cannot express: every quote is verbatim in
       the article inside its section's span, ``sections.csv`` matches the
       parser's output, claimants and list columns name real rows, ``hedge``
       matches its derivation from the quote.

    Parameters
    ----------
    data_dir : str or path-like, optional
        The data directory; by default the one shipped with the package.

    Returns
    -------
    None

    Raises
    ------
    DataError
        With every problem found, each naming file, row, column and value.

    Examples
    --------
    >>> validate()  # the shipped data is valid: nothing happens
    """
    from explainer.checks import project_problems

    root = resolve_data_dir(data_dir)
    schemas = _schemas(root)
    own: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    for name, sch in schemas.items():
        frame, found = _read_leniently(root, sch)
        own.extend(found)
        if frame is not None:
            frames[name] = frame
    # Frictionless checks the same schema; keep only what our loader did not
    # already say of the same file and row (its messages name the column).
    # Foreign keys are checked by our own code, which names the column too.
    said = {(p.file, p.row) for p in own} | {(p.file, None) for p in own}
    problems = own + [
        p
        for p in _frictionless_problems(root)
        if (p.file, p.row) not in said
        and (p.file, None) not in said
        and not p.message.startswith("foreignkey error")
    ]
    if len(frames) == len(schemas):
        problems.extend(project_problems(root, frames, schemas))
    if problems:
        raise DataError(_unique(problems))


def _read_leniently(root: Path, sch: Schema) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a table, returning what could be read and every problem found.

    Cells that break the schema become missing values, so that the checks
    across tables can still run and report everything at once.
    """
    problems: list[Problem] = []
    try:
        frame = _read_table(root / sch.path, sch, problems)
    except DataError as exc:
        return None, exc.problems
    return frame, problems


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _frictionless_problems(root: Path) -> list[Problem]:
    """Validate the package with frictionless; translate its errors to Problems."""
    import frictionless

    descriptor = _descriptor(root)
    problems = []
    # A missing file is reported here, plainly, before frictionless sees it.
    present = []
    for res in descriptor["resources"]:
        if not (root / res["path"]).is_file():
            problems.append(Problem(res["path"], "file not found (listed in datapackage.json)"))
        else:
            present.append(res)
    if problems:
        return problems
    # Each schema declares fieldsMatch "equal": columns are matched by name,
    # not position, so reordered columns are harmless.
    try:
        package = frictionless.Package(descriptor, basepath=str(root))
        report = package.validate()
    except Exception as exc:  # frictionless raises its own errors for odd descriptors
        return [Problem(DESCRIPTOR, f"frictionless cannot read the package: {exc}")]
    for task in report.tasks:
        file = Path(task.place).name if task.place else DESCRIPTOR
        for err in task.errors:
            problems.append(
                Problem(
                    file,
                    f"{err.title.lower()}: {err.note}" if getattr(err, "note", "") else err.message,
                    row=getattr(err, "row_number", None),
                    column=getattr(err, "field_name", None),
                    value=_cell(err),
                )
            )
    for err in report.errors:
        problems.append(Problem(DESCRIPTOR, err.message))
    return problems


def _cell(err: Any) -> str | None:
    cell = getattr(err, "cell", None)
    if cell is not None:
        return str(cell)
    cells = getattr(err, "cells", None)
    if cells:
        return ",".join(map(str, cells))
    return None
