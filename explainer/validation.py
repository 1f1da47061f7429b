"""Validation, composed from above: the loader, the key and cycle checks, the project's checks.

One path checks a data folder: the descriptor's guard and every table read
against its Table Schema (:mod:`explainer.tables`, which reads through
:mod:`explainer.descriptor`), the foreign keys and the loops of parent keys
(:func:`key_problems`, here, once across tables), then what a Table Schema
cannot say (:func:`explainer.checks.project_problems`). :func:`validate`
runs all of it and raises one :class:`~explainer.errors.DataError` listing
every problem; :func:`require` runs the loader and the keys for the tables
a command reads. Nothing here touches the network.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from explainer._cache import Bounded, data_state
from explainer._paths import resolve_data_dir
from explainer.checks import project_problems
from explainer.errors import DataError, Problem
from explainer.tables import Schema, read_all, read_schemas

__all__ = ["key_problems", "require", "validate"]

PathLike = str | os.PathLike[str]


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

    Raises
    ------
    DataError
        With every problem found, each naming file, row, column and value.

    Examples
    --------
    >>> validate()  # the shipped data is valid: nothing happens
    """
    root = resolve_data_dir(data_dir)
    state = (str(root), data_state(root))
    if state in _VALID:
        return
    schemas = read_schemas(root)
    frames, problems = read_all(root, schemas)
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
    schemas = read_schemas(root)
    wanted = list(schemas) if names is None else list(names)
    for fk_target in [fk["resource"] for n in wanted for fk in schemas[n].foreign_keys]:
        if fk_target not in wanted:
            wanted.append(fk_target)
    frames, problems = read_all(root, {n: schemas[n] for n in wanted})
    problems += key_problems(frames, schemas)
    if problems:
        raise DataError(_unique(problems))


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
    >>> from explainer.tables import load, schema
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
