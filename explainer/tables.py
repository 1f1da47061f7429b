"""The tables: list them, load them typed from the descriptor, validate them.

``data/datapackage.json`` (a Frictionless Data Package) is the single source
of truth: it names every table, its file, its columns and their types, its
keys and its enumerations.

There is one path through which every table is read and checked:

1. the descriptor is checked once for what the loader relies on, and for
   anything that would reach outside the data folder (URLs, paths out of
   it, symbolic links that leave it) or take unbounded time (deep nesting,
   patterns with nested repetition);
2. :func:`load` reads a CSV with the standard library's :mod:`csv` module,
   checks every cell against its Table Schema field (type, required,
   unique, enum, pattern, minimum, maximum, length) and the primary key, and
   returns a typed :class:`pandas.DataFrame`;
3. :func:`key_problems` checks the foreign keys, once, across tables;
4. :func:`explainer.checks.project_problems` runs the project's own checks
   (what a Table Schema cannot express).

:func:`validate` runs all four and raises one
:class:`~explainer.errors.DataError` listing every problem; :func:`require`
runs the first three for the tables a command reads. Nothing here touches
the network.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import re._parser as _sre
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from explainer._cache import Bounded, data_state
from explainer._paths import resolve_data_dir
from explainer._read import _real
from explainer.article import _read_text
from explainer.errors import DataError, Problem

__all__ = [
    "DESCRIPTOR",
    "Schema",
    "describe",
    "key_problems",
    "load",
    "require",
    "schema",
    "tables",
    "validate",
]

DESCRIPTOR = "datapackage.json"

PathLike = str | os.PathLike[str]

#: Bounds that keep a hostile data folder from exhausting time or memory.
MAX_DESCRIPTOR_BYTES = 1_000_000
MAX_TABLE_BYTES = 50_000_000
MAX_PATTERN_LENGTH = 500
MAX_DEPTH = 32


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


def _local(root: Path, path: Path) -> Path:
    """Return ``path`` if it lies in the data folder once links are followed; else refuse."""
    if path.parent == root and not path.is_symlink():
        return path  # a file (or nothing yet) right in the folder: no link to follow
    _real(root, path)
    return path


def _depth(value: Any, limit: int) -> int:
    """Return how deeply ``value`` nests, counting no further than ``limit + 1``."""
    stack, deepest = [(value, 1)], 0
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        stack.extend((child, level + 1) for child in children)
    return deepest


# The caches are keyed by path and modification time, so every edit and every
# other data folder adds entries: bounded, so a long session (or a thousand
# property-test examples) cannot grow without end.
@lru_cache(maxsize=16)
def _descriptor_cached(path: str, _stat: tuple[int, int]) -> dict[str, Any]:
    file = Path(path)
    _local(file.parent, file)
    if _stat[1] > MAX_DESCRIPTOR_BYTES:
        raise DataError(
            [Problem(DESCRIPTOR, f"larger than {MAX_DESCRIPTOR_BYTES:,} bytes; not read")]
        )
    text = _read_text(file, MAX_DESCRIPTOR_BYTES)
    try:
        descriptor = json.loads(text)
    except RecursionError:
        raise DataError([Problem(DESCRIPTOR, "nested too deeply to read")]) from None
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
    if _depth(descriptor, MAX_DEPTH) > MAX_DEPTH:
        raise DataError([Problem(DESCRIPTOR, f"nested more than {MAX_DEPTH} levels deep")])
    problems = _descriptor_problems(descriptor)
    if problems:
        raise DataError(problems)
    return descriptor


_TYPES = {"string", "integer", "boolean", "number"}
_REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//|\\\\")
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
_PROFILES = {"data-package", "tabular-data-package", "data-resource", "tabular-data-resource"}


def _remote_problems(part: dict[str, Any], where: str) -> list[Problem]:
    """Refuse anything in a package or resource that would be fetched from elsewhere."""
    problems = []
    for key in ("profile", "$schema"):
        value = part.get(key)
        if value is not None and value not in _PROFILES:
            problems.append(
                Problem(
                    DESCRIPTOR,
                    f"{key!r} must name a standard profile ({', '.join(sorted(_PROFILES))}); "
                    "nothing is fetched from a URL or another file",
                    value=where,
                )
            )
    for key in ("schema", "dialect"):
        if isinstance(part.get(key), str):
            problems.append(
                Problem(
                    DESCRIPTOR,
                    f"{key!r} must be written inline, not as a URL or a path "
                    "(nothing is fetched from elsewhere)",
                    value=where,
                )
            )
    return problems


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
    problems: list[Problem] = _remote_problems(descriptor, "package")
    columns: dict[str, set[str]] = {}
    for i, res in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            problems.append(bad("a resource without a name", where))
            continue
        where = res["name"]
        problems.extend(_remote_problems(res, where))
        path = res.get("path")
        if isinstance(path, str) and _REMOTE.match(path):
            problems.append(
                bad("the resource's 'path' is a URL; the data is only read from its folder", where)
            )
        elif (
            not isinstance(path, str) or not path.endswith(".csv") or not _FILE_NAME.fullmatch(path)
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
        if res["name"] in columns:
            problems.append(bad("two resources have this name", where))
        listed = Counter(f["name"] for f in fields)
        for name in sorted(n for n, times in listed.items() if times > 1):
            problems.append(bad(f"the field {name!r} is listed more than once", where))
        for key in ("title", "description"):
            if key in res and not isinstance(res[key], str):
                problems.append(bad(f"the resource's {key!r} must be text", where))
        columns[res["name"]] = {f["name"] for f in fields}
        for f in fields:
            problems.extend(_field_problems(f, f"{where}.{f['name']}"))
        pk = sch.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else pk
        if not isinstance(pk, list) or not all(k in columns[res["name"]] for k in pk):
            problems.append(bad("the primaryKey names a field the schema does not have", where))
        if not _strings(sch.get("missingValues", [""])):
            problems.append(bad("missingValues must be a list of strings", where))
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


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _field_problems(field: dict[str, Any], where: str) -> list[Problem]:
    problems = []
    if not _strings(field.get("missingValues", [""])):
        problems.append(Problem(DESCRIPTOR, "missingValues must be a list of strings", value=where))
    for key in ("title", "description"):
        if key in field and not isinstance(field[key], str):
            problems.append(Problem(DESCRIPTOR, f"the field's {key!r} must be text", value=where))
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
        why = _pattern_problem(cons["pattern"])
        if why:
            problems.append(Problem(DESCRIPTOR, why, value=where))
    return problems


def _risky(parsed, *, inside_repeat: bool) -> bool:
    """Whether a parsed pattern repeats something that repeats or alternates, or refers back.

    Inside a repetition, any other repetition of varying length, or an
    alternative, lets a cell be matched in many ways: backtracking through
    all of them takes exponential time. Such patterns are refused.
    """
    from re import _constants as c

    for op, arg in parsed:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, sub = arg
            repeats = high is c.MAXREPEAT or high > 1
            if inside_repeat and (repeats or low != high):
                return True
            if _risky(sub, inside_repeat=inside_repeat or repeats):
                return True
        elif op is c.BRANCH:
            if inside_repeat:
                return True
            if any(_risky(b, inside_repeat=inside_repeat) for b in arg[1]):
                return True
        elif op is c.SUBPATTERN:
            if _risky(arg[-1], inside_repeat=inside_repeat):
                return True
        elif op in (c.GROUPREF, c.GROUPREF_EXISTS):
            return True
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if _risky(arg[1], inside_repeat=inside_repeat):
                return True
        elif op is c.ATOMIC_GROUP:
            continue  # an atomic group never backtracks into itself
    return False


_ANYTHING = frozenset({(0, 0x10FFFF)})  # an alphabet that may hold any character


def _alphabet(op, arg, fold: bool):
    """Return the characters one item can match, as ranges (every one when unsure)."""
    from re import _constants as c

    if op is c.LITERAL:
        chars = {arg, ord(chr(arg).lower()[0]), ord(chr(arg).upper()[0])} if fold else {arg}
        return frozenset((x, x) for x in chars)
    if op is c.IN:
        ranges = set()
        for kind, value in arg:
            if kind is c.LITERAL:
                ranges |= _alphabet(c.LITERAL, value, fold)
            elif kind is c.RANGE and not fold:
                ranges.add(value)
            else:  # NEGATE, CATEGORY, a folded range: anything, to be safe
                return _ANYTHING
        return frozenset(ranges)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return _sequence_alphabet(arg[2], fold)
    if op in (c.SUBPATTERN, c.ATOMIC_GROUP):
        return _sequence_alphabet(arg[-1] if op is c.SUBPATTERN else arg, fold)
    if op is c.BRANCH:
        return _union(*(_sequence_alphabet(b, fold) for b in arg[1]))
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return frozenset()
    return _ANYTHING


def _sequence_alphabet(items, fold: bool):
    return _union(*(_alphabet(op, arg, fold) for op, arg in items))


def _union(*alphabets):
    return frozenset().union(*alphabets)


def _overlap(a, b) -> bool:
    return any(lo1 <= hi2 and lo2 <= hi1 for lo1, hi1 in a for lo2, hi2 in b)


def _width(parsed) -> tuple[int, float]:
    low, high = parsed.getwidth()
    return low, (float("inf") if high >= _sre.MAXWIDTH else high)


def _in_a_row(items, fold: bool) -> bool:
    """Whether two variable-length parts in a row can match the same characters.

    ``.*.*.*`` or ``[a-z]*[0-9]*[a-z]*``: a failing match tries every way of
    sharing the text between them, which takes time growing as a power of
    its length. Parts are apart when a fixed part between them matches
    nothing the parts before it can (``[0-9]+/[a-z]+`` is linear).
    """
    from re import _constants as c

    flat = []
    for op, arg in items:  # a group is a sequence inside the sequence
        if op is c.SUBPATTERN:
            flat.extend(arg[-1])
        else:
            flat.append((op, arg))
    if len(flat) != len(items):
        return _in_a_row(flat, fold)
    open_: Any = frozenset()  # what the variable parts since the last separator can match
    for op, arg in items:
        if op is c.BRANCH and any(_in_a_row(b, fold) for b in arg[1]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and _in_a_row(arg[2], fold):
            return True
        alphabet = _alphabet(op, arg, fold)
        low, high = _width(_sre.SubPattern(_sre.State(), [(op, arg)]))
        if low != high:
            if _overlap(open_, alphabet):
                return True
            open_ = _union(open_, alphabet)
        elif low > 0 and not _overlap(open_, alphabet):
            open_ = frozenset()  # a separator: what follows cannot take from what came before
    return False


def _pattern_problem(pattern: Any) -> str | None:
    """Return why ``pattern`` is refused, or None if it is a safe regular expression."""
    if not isinstance(pattern, str):
        return "pattern must be a string"
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"pattern longer than {MAX_PATTERN_LENGTH} characters"
    try:
        re.compile(pattern)
        parsed = _sre.parse(pattern)
        risky = _risky(parsed, inside_repeat=False)
        in_a_row = not risky and _in_a_row(list(parsed), bool(parsed.state.flags & re.I))
    except (re.error, RecursionError, OverflowError):
        return "pattern is not a valid regular expression"
    if risky:
        return (
            "pattern repeats a group that itself repeats or alternates, or refers back to "
            "a group; such patterns can take exponential time: write it without nesting"
        )
    if in_a_row:
        return (
            "pattern has parts of varying length in a row that can match the same "
            "characters (such as '.*.*'); matching it can take time growing as a power "
            "of the cell's length: separate them by a character only one of them matches"
        )
    return None


def _schemas(data_dir: Path) -> dict[str, Schema]:
    path = data_dir / DESCRIPTOR
    return _schemas_cached(str(path), _stat(path))


@lru_cache(maxsize=16)
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
    path = _local(root, root / sch.path)
    frame = _load_cached(str(path), _stat(path), sch)
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
    if _stat(path)[1] > MAX_TABLE_BYTES:
        raise DataError([Problem(sch.path, f"larger than {MAX_TABLE_BYTES:,} bytes; not read")])
    text = _read_text(path, MAX_TABLE_BYTES)
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


def validate(data_dir: PathLike | None = None) -> None:
    """Check the whole data package; raise one DataError listing every problem.

    Every table goes through the one path described in the module: the
    descriptor (structure, nothing remote, bounded), each table against its
    Table Schema as :func:`load` reads it (so every table that passes also
    loads), the foreign keys once (:func:`key_problems`), then the project's
    own checks (:func:`explainer.checks.project_problems`): every quote is
    verbatim in the article inside its section's span, ``sections.csv``
    matches the parser's output, claimants and list columns name real rows,
    ``hedge`` matches its derivation from the quote.

    Nothing is read from the network or from outside the data folder. A
    folder that passed is remembered by its contents (each file's name,
    modification time and size, :func:`explainer._cache.data_state`), so
    asking again about unchanged data costs a directory listing; a folder
    with problems is checked again every time.

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
    state = (str(root), data_state(root))
    if state in _VALID:
        return
    schemas = _schemas(root)
    frames, problems = _read_all(root, schemas)
    problems += key_problems(frames, schemas)
    if len(frames) == len(schemas) and all(f.attrs.get("complete", True) for f in frames.values()):
        problems.extend(project_problems(root, frames, schemas))
    if problems:
        raise DataError(_unique(problems))
    _VALID[state] = True


_VALID: Bounded = Bounded(8)  # data folders that passed, by their contents


def require(names: list[str] | None = None, *, data_dir: PathLike | None = None) -> None:
    """Check the tables a command reads, and the keys between them, before it reads them.

    Cheaper than :func:`validate` (the project's own checks do not run):
    each named table is read against its schema, and every foreign key from
    a named table to a table that is present is checked. A command that
    passes can look rows up by key without a ``KeyError``.

    Parameters
    ----------
    names : list of str, optional
        The tables; by default every table.
    data_dir : str or path-like, optional

    Raises
    ------
    DataError
        With every problem found.

    Examples
    --------
    >>> require(["concepts", "relations", "claims", "sections"])
    """
    root = resolve_data_dir(data_dir)
    schemas = _schemas(root)
    wanted = list(schemas) if names is None else list(names)
    for fk_target in [fk["resource"] for n in wanted for fk in schemas[n].foreign_keys]:
        if fk_target not in wanted:
            wanted.append(fk_target)
    frames, problems = _read_all(root, {n: schemas[n] for n in wanted})
    problems += key_problems(frames, schemas)
    if problems:
        raise DataError(_unique(problems))


def _read_all(root: Path, schemas: dict[str, Schema]) -> tuple[dict[str, pd.DataFrame], list]:
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
        _local(root, path)
        return _load_cached(str(path), _stat(path), sch), []
    except DataError:
        pass
    problems: list[Problem] = []
    try:
        _local(root, path)
        frame = _read_table(path, sch, problems)
    except DataError as exc:
        return None, exc.problems
    return frame, problems


def key_problems(frames: dict[str, pd.DataFrame], schemas: dict[str, Schema]) -> list[Problem]:
    """Return every foreign key that names no row of its table: the one key check.

    A key into a table that could not be read whole is not checked: the
    problem is that table's, and is reported against it, not against the
    tables that refer to it.

    Parameters
    ----------
    frames : dict of str to DataFrame
        The tables read (as :func:`load` returns them).
    schemas : dict of str to Schema

    Returns
    -------
    list of Problem

    Examples
    --------
    >>> names = ["concepts", "relations"]
    >>> key_problems({n: load(n) for n in names}, {n: schema(n) for n in names})
    []
    """
    problems = []
    for name, frame in frames.items():
        sch = schemas[name]
        rownos = frame.attrs.get("row_numbers") or list(range(2, len(frame) + 2))
        for fk in sch.foreign_keys:
            target = frames.get(fk["resource"])
            if target is None or not target.attrs.get("complete", True):
                continue
            # Plain lists of Python values: much faster than astype(object) and itertuples.
            # A missing value is never looked up: pd.NA has no truth value to compare with.
            valid = {
                key
                for key in zip(*(target[c].tolist() for c in fk["reference"]), strict=True)
                if not any(pd.isna(k) for k in key)
            }
            keys = zip(*(frame[c].tolist() for c in fk["fields"]), strict=True)
            for i, key in enumerate(keys):
                if any(pd.isna(k) for k in key) or key in valid:
                    continue
                problems.append(
                    Problem(
                        sch.path,
                        f"no such {', '.join(fk['reference'])} in {fk['resource']}",
                        row=rownos[i],
                        column=", ".join(fk["fields"]),
                        value=", ".join(map(str, key)),
                    )
                )
            if fk["resource"] == name and len(fk["fields"]) == 1:
                problems += _cycles(frame, fk, rownos, sch.path)
    return problems


def _cycles(frame: pd.DataFrame, fk: dict, rownos: list[int], file: str) -> list[Problem]:
    """Return a problem for each row whose chain of parents (a key into its own table) loops."""
    (child,), (key,) = fk["fields"], fk["reference"]
    parent: dict[Any, Any] = {}
    row_of: dict[Any, int] = {}
    for i, (k, up) in enumerate(zip(frame[key], frame[child], strict=True)):
        if not pd.isna(k):
            parent.setdefault(k, None if pd.isna(up) else up)
            row_of.setdefault(k, rownos[i])
    done: set = set()
    problems = []
    for start in parent:
        path: list = []
        seen: dict = {}
        node = start
        while node is not None and node in parent and node not in done and node not in seen:
            seen[node] = len(path)
            path.append(node)
            node = parent[node]
        if node in seen:  # a loop: report it once, at its first row
            loop = path[seen[node] :]
            first = min(loop, key=lambda n: row_of[n])
            chain = " → ".join(map(str, [*loop, loop[0]]))
            problems.append(
                Problem(
                    file,
                    f"{child} goes round in a loop ({chain}); a parent cannot be its own ancestor",
                    row=row_of[first],
                    column=child,
                    value=str(parent[first]),
                )
            )
        done.update(path)
    return problems


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out
