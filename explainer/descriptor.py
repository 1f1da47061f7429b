"""The descriptor's guard: read ``datapackage.json`` and refuse what a stranger's could do.

A data folder may come from anyone, and its descriptor says how every table
is read. Before the loader trusts it, this module checks that it reaches
nothing outside the folder (no URL, no path out of it, no link that leaves
it), cannot take unbounded time or memory (its size, its nesting, patterns
that backtrack without end), and holds everything the loader relies on
(named resources with CSV files, named fields of known types, keys that
name real fields, the tables and columns the package needs). Nothing here
touches the network.
"""

from __future__ import annotations

import json
import re
import re._parser as _sre
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from explainer._read import file_state, inside, read_text_inside
from explainer.errors import DataError, Problem

__all__ = [
    "DESCRIPTOR",
    "MAX_DEPTH",
    "MAX_DESCRIPTOR_BYTES",
    "MAX_PATTERN_LENGTH",
    "REQUIRED_COLUMNS",
    "descriptor_problems",
    "pattern_problem",
    "read_descriptor",
]

DESCRIPTOR = "datapackage.json"


#: Bounds that keep a hostile data folder from exhausting time or memory.
MAX_DESCRIPTOR_BYTES = 1_000_000


MAX_PATTERN_LENGTH = 500


MAX_DEPTH = 32


def read_descriptor(data_dir: Path) -> dict[str, Any]:
    """Return the data folder's descriptor, read once per version of the file and checked.

    Parameters
    ----------
    data_dir : pathlib.Path
        The data folder (already resolved).

    Returns
    -------
    dict
        The descriptor, as JSON gives it, once :func:`descriptor_problems`
        found nothing wrong.

    Raises
    ------
    DataError
        When the file is missing, too large, not a regular file inside the
        folder, malformed, nested too deeply, or breaks what the loader relies on.
    """
    path = data_dir / DESCRIPTOR
    return _descriptor_cached(str(path), file_state(path))


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
    inside(file.parent, file)
    if _stat[1] > MAX_DESCRIPTOR_BYTES:
        raise DataError(
            [Problem(DESCRIPTOR, f"larger than {MAX_DESCRIPTOR_BYTES:,} bytes; not read")]
        )
    text = read_text_inside(file.parent, file, MAX_DESCRIPTOR_BYTES)
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
    problems = descriptor_problems(descriptor)
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


def descriptor_problems(descriptor: Any) -> list[Problem]:
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
        why = pattern_problem(cons["pattern"])
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


def pattern_problem(pattern: Any) -> str | None:
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
