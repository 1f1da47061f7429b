"""The review process behind the evidence: protocols, searches, screening and a second reader.

The evidence table is graded by :mod:`explainer.grading`; this module keeps
the process that decides what is in it auditable, as Cochrane Rapid Reviews
and PRISMA 2020 ask:

* each claim family has a written **protocol** (``protocols``): the
  question in PICO form, the exact search strings, where and when they were
  run, what is included and excluded;
* every **search** (``searches``) and every record it returned is in the
  **screening log** (``screening``) with its decision and reason, and a
  claim's body of evidence is what its family's screening included
  (:func:`prisma_flow` counts the flow);
* a reader who did not write the rows extracted a random sample of them
  from the sources alone (``second_readings``, round 1: this project's
  re-read against a second reader, before the extraction rules were
  clarified); :func:`cohen_kappa` measures the agreement per column and
  :func:`agreement_table` computes the ``agreement`` table that validate()
  holds the data to;
* after the rules were clarified, a third reader, blind to every earlier
  reading and to the table, read the same sample again (``blind_readings``,
  round 2: the table's values as they stood against the blind reading, with
  its own ``blind_agreement``); every difference has one row in
  ``blind_resolutions`` saying which reading stands and why, and validate()
  holds the evidence table to it;
* after the rules were clarified again, a new blind reader read a fresh
  random sample of rows that no earlier round had read, under rule texts
  fixed before the reading (round 3: rows of ``blind_readings`` with
  ``round`` 3, resolved and measured the same way). Each round's kappa is
  computed from its raw readings, before any resolution, and is the
  measurement of the rules as they stood when it was read
  (:func:`round_agreement`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from explainer.errors import Problem
from explainer.grading import bearing_for

__all__ = [
    "BLIND_COMPARED",
    "BLIND_EXACT",
    "COMPARED",
    "agreement_rounds",
    "agreement_table",
    "cohen_kappa",
    "differences",
    "prisma_flow",
    "review_problems",
    "round_agreement",
    "rounds",
    "second_bearing",
]

PathLike = str | os.PathLike[str]

#: The columns the two readings are compared on, in the agreement table's order.
COMPARED = ("bearing", "exposure_match", "outcome_match", "result", "population", "design", "unit")

#: Round 2 (the table against a blind reader) compares round 1's columns and two
#: that round 1 did not read: the comparator and where the results were read.
BLIND_COMPARED = (*COMPARED, "comparator_match", "read_in")

#: Numbers round 2 compares for exact agreement (each difference is resolved; no kappa).
BLIND_EXACT = ("n", "unit_n")


def _blank(value) -> bool:
    return (
        value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()
    )


def cohen_kappa(first: Sequence, second: Sequence) -> tuple[float, float, float]:
    """Return Cohen's kappa between two readers' labels, with observed and expected agreement.

    Pairs where either reader gave no value are left out. Kappa is
    ``(observed - expected) / (1 - expected)``, where ``expected`` is the
    agreement two readers with these label frequencies would reach by chance;
    when both agree on one label throughout (``expected`` is 1) it is 1.

    Parameters
    ----------
    first, second : sequence
        The two readers' labels, one per item, in the same order.

    Returns
    -------
    (float, float, float)
        kappa, observed agreement, expected agreement.

    Raises
    ------
    ValueError
        When the two sequences differ in length or no item has both values.

    Examples
    --------
    >>> cohen_kappa(["a", "a", "b", "b"], ["a", "a", "b", "b"])
    (1.0, 1.0, 0.5)
    >>> cohen_kappa(["a", "b"], ["b", "a"])
    (-1.0, 0.0, 0.5)
    >>> round(cohen_kappa(list("aaab"), list("aabb"))[0], 3)
    0.5
    """
    if len(first) != len(second):
        raise ValueError(f"the readings differ in length: {len(first)} and {len(second)}")
    pairs = [
        (str(a), str(b))
        for a, b in zip(first, second, strict=False)
        if not _blank(a) and not _blank(b)
    ]
    if not pairs:
        raise ValueError("no item was read by both readers")
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    labels = {a for a, _ in pairs} | {b for _, b in pairs}
    expected = sum(
        (sum(a == lab for a, _ in pairs) / n) * (sum(b == lab for _, b in pairs) / n)
        for lab in labels
    )
    if expected == 1:
        return 1.0, observed, expected
    return (observed - expected) / (1 - expected), observed, expected


def second_bearing(row) -> str:
    """Return the bearing the written rule gives to a reading (``""`` where it cannot).

    Parameters
    ----------
    row : mapping
        A reading with ``population``, ``exposure_match``, ``outcome_match``
        and ``result``.

    Examples
    --------
    >>> second_bearing({"population": "humans", "exposure_match": "match",
    ...                 "outcome_match": "partial", "result": "for"})
    'partly_supports'
    >>> second_bearing({"population": "humans", "exposure_match": "match",
    ...                 "outcome_match": "match", "result": ""})
    ''
    """
    parts = [row.get(c) for c in ("result", "population", "exposure_match", "outcome_match")]
    if any(_blank(p) for p in parts):
        return ""
    try:
        return bearing_for(*(str(p).strip() for p in parts))
    except ValueError:
        return ""


def agreement_table(
    readings: pd.DataFrame,
    sides: tuple[str, str] = ("first", "second"),
    columns: Sequence[str] = COMPARED,
) -> pd.DataFrame:
    """Return the agreement between the two readings, one row per compared column.

    Parameters
    ----------
    readings : pandas.DataFrame
        The ``second_readings`` table (``first_*`` and ``second_*`` columns),
        or any table of two readings named by ``sides``.
    sides : (str, str)
        The prefixes of the two readings' columns: ``("table", "blind")``
        for ``blind_readings``.
    columns : sequence of str
        The columns compared (:data:`COMPARED`; :data:`BLIND_COMPARED` for
        round 2).

    Returns
    -------
    pandas.DataFrame
        ``column``, ``pairs``, ``agree``, ``observed``, ``expected`` and
        ``kappa`` (rounded to 3 places), for each column of :data:`COMPARED`
        that both readers filled at least once.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"first_result": ["for", "null"], "second_result": ["for", "for"]})
    >>> agreement_table(r)[["column", "pairs", "agree", "kappa"]].values.tolist()
    [['result', 2, 1, 0.0]]
    >>> b = pd.DataFrame({"table_unit": ["people", "couples"], "blind_unit": ["people", "couples"]})
    >>> agreement_table(b, ("table", "blind"))[["column", "kappa"]].values.tolist()
    [['unit', 1.0]]
    """
    rows = []
    for col in columns:
        a, b = f"{sides[0]}_{col}", f"{sides[1]}_{col}"
        if a not in readings.columns or b not in readings.columns:
            continue
        first = readings[a].astype(object).tolist()
        second = readings[b].astype(object).tolist()
        pairs = [
            (x, y) for x, y in zip(first, second, strict=False) if not _blank(x) and not _blank(y)
        ]
        if not pairs:
            continue
        kappa, observed, expected = cohen_kappa(*zip(*pairs, strict=False))
        rows.append(
            {
                "column": col,
                "pairs": len(pairs),
                "agree": sum(str(x) == str(y) for x, y in pairs),
                "observed": round(observed, 3),
                "expected": round(expected, 3),
                "kappa": round(kappa, 3),
            }
        )
    return pd.DataFrame(rows, columns=["column", "pairs", "agree", "observed", "expected", "kappa"])


def agreement_rounds(rounds: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Put agreement tables side by side: pairs, agree and kappa per column, one block per round.

    Parameters
    ----------
    rounds : dict of str to pandas.DataFrame
        Agreement tables (``agreement``, ``blind_agreement``), each under the
        label its block gets, in order.

    Returns
    -------
    pandas.DataFrame
        One row per compared column (in the order they first appear), two
        column levels: the round's label, then ``pairs``, ``agree`` and
        ``kappa``; empty where a round did not compare that column.

    Examples
    --------
    >>> import pandas as pd
    >>> one = pd.DataFrame({"column": ["bearing"], "pairs": [4], "agree": [3], "kappa": [0.5]})
    >>> two = pd.DataFrame({"column": ["bearing", "read_in"], "pairs": [4, 4],
    ...                     "agree": [4, 4], "kappa": [1.0, 1.0]})
    >>> t = agreement_rounds({"one": one, "two": two})
    >>> t.index.tolist(), t[("one", "kappa")].tolist()
    (['bearing', 'read_in'], [0.5, nan])
    """
    blocks = {k: v.set_index("column")[["pairs", "agree", "kappa"]] for k, v in rounds.items()}
    return pd.concat(blocks, axis=1)


def rounds(table: pd.DataFrame) -> list[tuple[int | None, pd.DataFrame]]:
    """Split a table of the blind rounds by its ``round`` column, in order.

    Each part keeps the file row numbers of its rows (``attrs["row_numbers"]``),
    so a problem found in a part names the row of the file. A table without a
    ``round`` column is one part, labelled ``None``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"round": [2, 3, 2], "x": ["a", "b", "c"]})
    >>> [(r, part.x.tolist(), part.attrs["row_numbers"]) for r, part in rounds(t)]
    [(2, ['a', 'c'], [2, 4]), (3, ['b'], [3])]
    """
    numbers = _rownos(table)
    if "round" not in table.columns:
        return [(None, table)]
    out = []
    labels = table["round"].astype(object)
    for label in sorted({int(v) for v in labels if not _blank(v)}):
        mask = [not _blank(v) and int(v) == label for v in labels]
        part = table[mask].reset_index(drop=True)
        part.attrs = {
            **table.attrs,
            "row_numbers": [n for n, m in zip(numbers, mask, strict=True) if m],
        }
        out.append((label, part))
    return out


def round_agreement(readings: pd.DataFrame) -> pd.DataFrame:
    """Return the agreement of each blind round, computed from its raw readings.

    The ``blind_agreement`` table is this, row for row: for each ``round`` of
    ``blind_readings``, :func:`agreement_table` with sides ``("table",
    "blind")`` and columns :data:`BLIND_COMPARED`, then a ``round`` column
    (``None`` for a table without rounds).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"round": [2, 2, 3], "table_result": ["for", "null", "for"],
    ...                   "blind_result": ["for", "for", "for"]})
    >>> round_agreement(r)[["round", "column", "pairs", "agree", "kappa"]].values.tolist()
    [[2, 'result', 2, 1, 0.0], [3, 'result', 1, 1, 1.0]]
    """
    parts = []
    for label, part in rounds(readings):
        table = agreement_table(part, ("table", "blind"), BLIND_COMPARED)
        table["round"] = label
        parts.append(table)
    cols = ["column", "pairs", "agree", "observed", "expected", "kappa", "round"]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


def _text(value) -> str:
    """Return a value as the text a reader wrote (``""`` when blank; 12.0 as ``"12"``)."""
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def differences(
    readings: pd.DataFrame,
    sides: tuple[str, str] = ("table", "blind"),
    columns: Sequence[str] = (*BLIND_COMPARED, *BLIND_EXACT),
) -> pd.DataFrame:
    """Return every value on which the two readings of a row differ, one row per difference.

    Only pairs where both readings gave a value count, as in
    :func:`agreement_table`.

    Parameters
    ----------
    readings : pandas.DataFrame
        A table of two readings (``blind_readings`` by default).
    sides : (str, str)
        The prefixes of the two readings' columns.
    columns : sequence of str
        The columns compared.

    Returns
    -------
    pandas.DataFrame
        ``claim_id``, ``ref_id``, ``column`` and the two values, named by
        ``sides``.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"claim_id": ["c1", "c2"], "ref_id": ["a", "b"],
    ...                   "table_result": ["for", "for"], "blind_result": ["for", "mixed"],
    ...                   "table_n": [12, 30], "blind_n": [12.0, None]})
    >>> differences(r, columns=("result", "n")).values.tolist()
    [['c2', 'b', 'result', 'for', 'mixed']]
    """
    out = []
    for r in readings.to_dict("records"):
        for col in columns:
            a, b = _text(r.get(f"{sides[0]}_{col}")), _text(r.get(f"{sides[1]}_{col}"))
            if a and b and a != b:
                out.append((str(r["claim_id"]), str(r["ref_id"]), col, a, b))
    return pd.DataFrame(out, columns=["claim_id", "ref_id", "column", *sides])


def prisma_flow(screening: pd.DataFrame, searches: pd.DataFrame) -> pd.DataFrame:
    """Count the flow of records for each family, from identification to inclusion.

    Parameters
    ----------
    screening, searches : pandas.DataFrame
        The ``screening`` and ``searches`` tables.

    Returns
    -------
    pandas.DataFrame
        One row per family (in the order of ``searches``): ``from_searches``
        (records the index searches returned), ``from_earlier_list``,
        ``duplicates`` (removed before screening), ``screened``, ``excluded``
        and ``included`` (records), ``studies`` (distinct references
        included) and ``reasons`` (excluded records by reason, "reason N; ...").

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"search_id": ["f-1", "f-0"], "family_id": ["f", "f"],
    ...                   "source": ["index", "earlier_list"]})
    >>> log = pd.DataFrame({"search_id": ["f-1", "f-1", "f-0"], "family_id": ["f"] * 3,
    ...                     "ref_id": ["a", None, "b"],
    ...                     "decision": ["included", "excluded", "included"],
    ...                     "reason": [None, "not_research", None]})
    >>> flow = prisma_flow(log, s).to_dict("records")[0]
    >>> flow["screened"], flow["excluded"], flow["included"], flow["reasons"]
    (3, 1, 2, 'not_research 1')
    """
    source = dict(zip(searches.search_id.astype(str), searches.source.astype(str), strict=True))
    families = list(dict.fromkeys(searches.family_id.astype(str)))
    rows = []
    for fam in families:
        log = screening[screening.family_id.astype(str) == fam]
        src = log.search_id.astype(str).map(source)
        dup = log.reason.astype(object).eq("duplicate")
        excluded = log[(log.decision.astype(str) == "excluded") & ~dup]
        included = log[log.decision.astype(str) == "included"]
        reasons = excluded.reason.astype(str).value_counts().sort_index()
        rows.append(
            {
                "family_id": fam,
                "from_searches": int((src == "index").sum()),
                "from_earlier_list": int((src == "earlier_list").sum()),
                "duplicates": int(dup.sum()),
                "screened": int(len(log) - dup.sum()),
                "excluded": len(excluded),
                "included": len(included),
                "studies": included.ref_id.dropna().nunique(),
                "reasons": "; ".join(f"{r} {n}" for r, n in reasons.items()),
            }
        )
    return pd.DataFrame(rows)


# --- checks that validate() runs (registered in explainer.checks) -----------------


def _rownos(frame: pd.DataFrame) -> list[int]:
    return frame.attrs.get("row_numbers") or list(range(2, len(frame) + 2))


def review_problems(frames: dict[str, pd.DataFrame], schemas: dict) -> list[Problem]:
    """Return what is wrong with the review's tables (empty if nothing).

    Checks: a protocol's search strings are exactly its index searches'
    queries; each search returned as many records as the log holds; an
    excluded record says why; every evidence row's study was included by its
    claim's family; a second reading's bearing is the one its criteria give;
    every disagreement has a resolution note; the agreement table is what the
    readings give; in round 2 (``blind_readings``), every difference has
    exactly one resolution whose value is the reading it names, and the
    evidence row holds that value; every evidence row's unit size is at most its sample; and
    every omission that states a fact about the world names its reference.
    """
    problems: list[Problem] = []
    problems += _units(frames, schemas)
    problems += _protocol_searches(frames, schemas)
    problems += _screening(frames, schemas)
    problems += _readings(frames, schemas)
    problems += _omissions(frames, schemas)
    return problems


def _omissions(frames, schemas) -> list[Problem]:
    """Return the omissions that state a fact about the world without a reference."""
    table = frames.get("omissions")
    if table is None or "about" not in table.columns:
        return []
    problems = []
    for i, r in zip(_rownos(table), table.to_dict("records"), strict=True):
        if str(r.get("about")) == "research" and _blank(r.get("ref_id")):
            problems.append(
                Problem(
                    schemas["omissions"].path,
                    "a fact about the world needs a reference (a row of references) that says it",
                    row=i,
                    column="ref_id",
                )
            )
    return problems


def _units(frames, schemas) -> list[Problem]:
    ev = frames.get("evidence")
    if ev is None or "unit_n" not in ev.columns:
        return []
    problems = []
    for i, r in zip(_rownos(ev), ev.to_dict("records"), strict=True):
        n, u = r.get("n"), r.get("unit_n")
        if _blank(n) or _blank(u):
            continue
        if int(u) > int(n):
            problems.append(
                Problem(
                    schemas["evidence"].path,
                    f"the units compared cannot outnumber the sample (n is {int(n)})",
                    row=i,
                    column="unit_n",
                    value=str(u),
                )
            )
    return problems


def _protocol_searches(frames, schemas) -> list[Problem]:
    if "protocols" not in frames or "searches" not in frames:
        return []
    protocols, searches = frames["protocols"], frames["searches"]
    problems = []
    index = searches[searches.source.astype(str) == "index"]
    for i, p in zip(_rownos(protocols), protocols.to_dict("records"), strict=True):
        queries = index[index.family_id.astype(str) == str(p["family_id"])]
        # a blank query (reported by the loader: required) counts as nothing, not as NaN;
        # the searches' row order is not the protocol's business: compared as a set of runs
        run = ["" if _blank(q) else str(q) for q in queries.sort_values("search_id")["query"]]
        want = " | ".join(run)
        if sorted(str(p["search_terms"]).split(" | ")) != sorted(run):
            problems.append(
                Problem(
                    schemas["protocols"].path,
                    f"the search strings must be exactly the searches run: {want!r}",
                    row=i,
                    column="search_terms",
                    value=str(p["search_terms"]),
                )
            )
    if "screening" in frames:
        counts = frames["screening"].search_id.astype(str).value_counts()
        for i, s in zip(_rownos(searches), searches.to_dict("records"), strict=True):
            have = int(counts.get(str(s["search_id"]), 0))
            if _blank(s["returned"]) or int(s["returned"]) != have:
                problems.append(
                    Problem(
                        schemas["searches"].path,
                        f"the screening log holds {have} records of this search",
                        row=i,
                        column="returned",
                        value="" if _blank(s["returned"]) else str(s["returned"]),
                    )
                )
    return problems


def _screening(frames, schemas) -> list[Problem]:
    if "screening" not in frames:
        return []
    log = frames["screening"]
    file = schemas["screening"].path
    problems = []
    for i, r in zip(_rownos(log), log.to_dict("records"), strict=True):
        if str(r["decision"]) == "excluded" and _blank(r.get("reason")):
            problems.append(Problem(file, "say why it was excluded", row=i, column="reason"))
        if str(r["decision"]) == "included" and _blank(r.get("ref_id")):
            problems.append(
                Problem(file, "an included record is a reference", row=i, column="ref_id")
            )
        if str(r["decision"]) == "included" and not _blank(r.get("reason")):
            problems.append(
                Problem(
                    file,
                    "an included record has no exclusion reason",
                    row=i,
                    column="reason",
                    value=str(r["reason"]),
                )
            )
    if "evidence" not in frames or "assessments" not in frames:
        return problems
    family = dict(
        zip(
            frames["assessments"].claim_id.astype(str),
            frames["assessments"].family_id.astype(str),
            strict=True,
        )
    )
    included = {
        (str(f), str(r))
        for f, r, d in zip(log.family_id, log.ref_id, log.decision, strict=True)
        if str(d) == "included" and not _blank(r)
    }
    ev = frames["evidence"]
    for i, r in zip(_rownos(ev), ev.to_dict("records"), strict=True):
        fam = family.get(str(r["claim_id"]))
        if fam is not None and (fam, str(r["ref_id"])) not in included:
            problems.append(
                Problem(
                    schemas["evidence"].path,
                    f"the {fam} protocol's screening did not include this study",
                    row=i,
                    column="ref_id",
                    value=str(r["ref_id"]),
                )
            )
    return problems


def _bearings(readings, file, sides) -> list[Problem]:
    """Return the readings whose bearing is not the one the bearing rule gives."""
    problems = []
    for i, r in zip(_rownos(readings), readings.to_dict("records"), strict=True):
        for who in sides:
            reading = {c: r.get(f"{who}_{c}") for c in ("population", "exposure_match")}
            reading |= {c: r.get(f"{who}_{c}") for c in ("outcome_match", "result")}
            want, have = second_bearing(reading), r.get(f"{who}_bearing")
            if want and str(have) != want:
                problems.append(
                    Problem(
                        file,
                        f"the bearing rule gives {want!r} for this reading",
                        row=i,
                        column=f"{who}_bearing",
                        value="" if _blank(have) else str(have),
                    )
                )
    return problems


def _readings(frames, schemas) -> list[Problem]:
    problems = _blind(frames, schemas)
    if "second_readings" not in frames:
        return problems
    readings = frames["second_readings"]
    file = schemas["second_readings"].path
    problems += _bearings(readings, file, ("first", "second"))
    for i, r in zip(_rownos(readings), readings.to_dict("records"), strict=True):
        differ = [
            c
            for c in COMPARED
            if not _blank(r.get(f"first_{c}"))
            and not _blank(r.get(f"second_{c}"))
            and str(r[f"first_{c}"]) != str(r[f"second_{c}"])
        ]
        if differ and (_blank(r.get("resolution")) or _blank(r.get("resolution_note"))):
            problems.append(
                Problem(
                    file,
                    f"the readings differ on {', '.join(differ)}: resolve it, with a note",
                    row=i,
                    column="resolution_note",
                )
            )
    if "agreement" in frames:
        problems += _agreement(readings, frames["agreement"], schemas["agreement"].path)
    return problems


def _blind(frames, schemas) -> list[Problem]:
    """Check round 2: bearings, one resolution per difference, evidence that follows it."""
    if "blind_readings" not in frames:
        return []
    readings = frames["blind_readings"]
    file = schemas["blind_readings"].path
    sides = ("table", "blind")
    problems = _bearings(readings, file, sides)
    differ = differences(readings, sides)
    wanted = {(d.claim_id, d.ref_id, d.column): d for d in differ.itertuples(index=False)}
    keys = list(zip(readings.claim_id.astype(str), readings.ref_id.astype(str), strict=True))
    rownos = dict(zip(keys, _rownos(readings), strict=True))
    read_in = dict(zip(keys, _round_labels(readings), strict=True))
    seen = set()
    res = frames.get("blind_resolutions")
    if res is not None:
        rfile = schemas["blind_resolutions"].path
        evidence = frames.get("evidence")
        ev = {}
        if evidence is not None:
            ev = {(str(r["claim_id"]), str(r["ref_id"])): r for r in evidence.to_dict("records")}
        for i, r in zip(_rownos(res), res.to_dict("records"), strict=True):
            key = (str(r["claim_id"]), str(r["ref_id"]), str(r["column"]))
            seen.add(key)
            if key[:2] not in rownos:
                problems.append(
                    Problem(
                        rfile,
                        "this row was not read in round 2 or 3 (no row of blind_readings)",
                        row=i,
                        column="ref_id",
                        value=key[1],
                    )
                )
                continue
            label = None if _blank(r.get("round")) else int(r["round"])
            if "round" in res.columns and label != read_in[key[:2]]:
                problems.append(
                    Problem(
                        rfile,
                        f"this row was read in round {read_in[key[:2]]} (blind_readings)",
                        row=i,
                        column="round",
                        value=str(r.get("round")),
                    )
                )
                continue
            d = wanted.get(key)
            if d is None:
                problems.append(
                    Problem(
                        rfile,
                        "the two readings do not differ on this column: nothing to resolve",
                        row=i,
                        column="column",
                        value=key[2],
                    )
                )
                continue
            how, value = str(r["resolution"]), _text(r.get("value"))
            want = {"table": d.table, "blind": d.blind}.get(how)
            if (want is not None and value != want) or (
                how == "neither" and value in (d.table, d.blind)
            ):
                says = f"the {how} reading's {want!r}" if want else "a third value"
                problems.append(
                    Problem(
                        rfile, f"the resolution says {says}", row=i, column="value", value=value
                    )
                )
                continue
            row = ev.get(key[:2])
            if row is not None and key[2] in row and _text(row[key[2]]) != value:
                problems.append(
                    Problem(
                        schemas["evidence"].path,
                        f"the round-{read_in[key[:2]]} resolution (blind_resolutions row {i}) "
                        f"says {value!r}",
                        row=_rownos(evidence)[list(ev).index(key[:2])],
                        column=key[2],
                        value=_text(row[key[2]]),
                    )
                )
    for key in sorted(set(wanted) - seen):
        d = wanted[key]
        problems.append(
            Problem(
                file,
                f"the readings differ on {key[2]} ({d.table!r} and {d.blind!r}): "
                "resolve it in blind_resolutions, with a note",
                row=rownos.get(key[:2]),  # a blank key cell names no row here
                column=f"blind_{key[2]}",
                value=d.blind,
            )
        )
    if "blind_agreement" in frames:
        problems += _round_agreements(readings, frames["blind_agreement"], schemas)
    return problems


def _round_labels(table) -> list:
    """Return each row's round (an int), or ``None`` for every row of a table without rounds."""
    if "round" not in table.columns:
        return [None] * len(table)
    return [None if _blank(v) else int(v) for v in table["round"].astype(object)]


def _round_agreements(readings, table, schemas) -> list[Problem]:
    """Check each round's rows of blind_agreement against that round's readings."""
    file = schemas["blind_agreement"].path
    read = dict(rounds(readings))
    problems = []
    for label, part in rounds(table):
        if label not in read:
            problems.append(
                Problem(
                    file,
                    "no blind reading belongs to this round",
                    row=part.attrs["row_numbers"][0],
                    column="round",
                    value=str(label),
                )
            )
            continue
        problems += _agreement(read[label], part, file, ("table", "blind"), BLIND_COMPARED)
    return problems


def _agreement(readings, table, file, sides=("first", "second"), columns=COMPARED) -> list[Problem]:
    problems = []
    want = agreement_table(readings, sides, columns).set_index("column")
    seen = set()
    for i, r in zip(_rownos(table), table.to_dict("records"), strict=True):
        col = str(r["column"])
        seen.add(col)
        if not _blank(r["kappa"]) and not -1 <= float(r["kappa"]) <= 1:
            problems.append(
                Problem(
                    file, "a kappa lies in [-1, 1]", row=i, column="kappa", value=str(r["kappa"])
                )
            )
            continue
        if col not in want.index:
            problems.append(
                Problem(
                    file, "no pair of readings fills this column", row=i, column="column", value=col
                )
            )
            continue
        for c in ("pairs", "agree", "observed", "expected", "kappa"):
            if _blank(r[c]) or abs(float(r[c]) - float(want.at[col, c])) > 5e-4:
                problems.append(
                    Problem(
                        file,
                        f"the readings give {want.at[col, c]}",
                        row=i,
                        column=c,
                        value="" if _blank(r[c]) else str(r[c]),
                    )
                )
    for col in sorted(set(want.index) - seen):
        problems.append(
            Problem(file, "the readings fill this column: add its row", column="column", value=col)
        )
    return problems
