"""Grade the evidence: a study's bearing from written criteria, a claim's certainty as GRADE does.

Three rules live here, each written once and applied everywhere (the
descriptor quotes them, :func:`evidence_problems` enforces them, the audit
uses them):

1. **Bearing** (:func:`bearing_for`). An evidence row records what a careful
   reader checks before saying "supports": whether the study was in people or
   animals, whether its exposure and its outcome match the claim's, and what
   it found in the claim's terms (``result``). The bearing follows:

   ========  =====================  ===============  ===============
   result    direct                 partly direct    indirect
   ========  =====================  ===============  ===============
   for       supports               partly_supports  partly_supports
   mixed     complicates            complicates      complicates
   null      contradicts            complicates      complicates
   against   contradicts            complicates      complicates
   ========  =====================  ===============  ===============

   *Direct*: people, exposure and outcome both ``match``. *Partly direct*:
   people, no ``mismatch`` but at least one ``partial``. *Indirect*: animals,
   or any ``mismatch``.

2. **Certainty of one study's evidence for one claim** (:func:`row_certainty`),
   GRADE's four levels. Start from the design: for a claim of *effect* (sex
   causes, releases, builds ...) randomised trials and systematic reviews of
   them start high and everything else low; for a claim of *association*
   (goes with, predicts) observational studies that follow or survey people
   start high too, as GRADE does for questions of prognosis. Narrative
   reviews and laboratory studies, controlled or not, but not randomised,
   start low. Then rate
   down, each domain by at most two levels: *indirectness* (animals 2; an
   exposure, comparator or outcome that only partly matches 1 each, a
   mismatch 2 each; a narrow sample 1), and the domains the study's caveats
   name (risk of bias: a convenience sample 1, exposure and outcome from one
   questionnaire 1, not peer-reviewed 1; imprecision; publication bias; see
   the ``caveats`` table).

3. **A claim's verdict and certainty: the whole body** (:func:`grade`). The
   body of evidence is every row the family's protocol included, whichever
   way it points. The verdict is the bearing rule of :func:`verdict` applied
   to all of it. The certainty starts from the best design present (its
   starting level for the claim's kind) and is rated down, as GRADE rates a
   body:

   * *risk of bias*, *indirectness* and *publication bias*: by the median of
     the studies' own rate-downs in that domain (the lower middle value when
     the count is even);
   * *imprecision*, judged on the unit that was randomised or compared
     (``unit_n``: couples when partners were studied as pairs, twice the
     smaller group of an unequal comparison), summed over the body's distinct
     studies: fewer than :data:`IMPRECISION_UNITS` ``[0]`` (400) rates down
     one level, fewer than :data:`IMPRECISION_UNITS` ``[1]`` (100) two; a
     study whose units were not seen adds none;
   * *inconsistency*: one level when the body points both ways (verdict
     ``mixed``).

   The floor is very low. A claim whose body holds no direct evidence is
   *backed only indirectly*; its ClaimReview rating is capped at 3 (see
   :func:`rating`). For a claim of effect, :func:`direction_known` says
   whether any study tested the direction (an experiment) or whether it is
   unknown (observational only, and sometimes found to run both ways).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from explainer.errors import Problem

__all__ = [
    "BEARINGS",
    "CERTAINTIES",
    "IMPRECISION_UNITS",
    "INDIRECT_CAP",
    "Grade",
    "bearing_for",
    "bearing_rule_table",
    "body_certainty",
    "caveats_applying",
    "direction_known",
    "directness",
    "evidence_problems",
    "grade",
    "rating",
    "rating_table",
    "row_certainty",
    "starting_levels",
    "verdict",
]

#: The bearings a reference can have on a claim, from most to least favourable.
BEARINGS = ("supports", "partly_supports", "complicates", "contradicts")

#: GRADE's certainty levels, best first.
CERTAINTIES = ("high", "moderate", "low", "very_low")

#: The highest ClaimReview rating a claim backed only indirectly can get.
INDIRECT_CAP = 3

#: The body's imprecision: fewer units than the first rates down one level,
#: fewer than the second two (the unit randomised or compared, summed over
#: the body's distinct studies; about 400 is GRADE's optimal information size
#: for a modest effect on a continuous outcome).
IMPRECISION_UNITS = (400, 100)

_LEVEL = {"high": 4, "moderate": 3, "low": 2, "very_low": 1}
_NAME = {v: k for k, v in _LEVEL.items()}
_MATCH_DOWN = {"match": 0, "partial": 1, "mismatch": 2}
_RESULTS = ("for", "mixed", "null", "against")
# Designs that start high whatever the claim; those that start high only for
# a claim of association; everything else starts low.
_HIGH_ALWAYS = {"randomised_trial", "review_of_trials"}
_HIGH_FOR_ASSOCIATION = {"longitudinal", "cross_sectional", "review_of_observational"}
#: The GRADE domains a caveat can rate down.
DOMAINS = ("indirectness", "imprecision", "risk_of_bias", "publication_bias", "inconsistency")
_RULE = re.compile(
    r"^(method|design|population|read_in|direction):([a-z_]+)$|^(n|unit)_below:(\d+)$"
    r"|^(n|unit)_unknown$"
)
_RULE_WORDS = (
    "method:NAME, design:NAME, population:NAME, read_in:NAME, direction:NAME, "
    "n_below:NUMBER, unit_below:NUMBER, n_unknown or unit_unknown"
)


def directness(population: str, exposure_match: str, outcome_match: str) -> str:
    """Say how directly a study speaks to a claim: ``direct``, ``partial`` or ``indirect``.

    Examples
    --------
    >>> directness("humans", "match", "match")
    'direct'
    >>> directness("humans", "partial", "match")
    'partial'
    >>> directness("animals", "match", "match"), directness("humans", "match", "mismatch")
    ('indirect', 'indirect')
    """
    if population != "humans" or "mismatch" in (exposure_match, outcome_match):
        return "indirect"
    if exposure_match == outcome_match == "match":
        return "direct"
    return "partial"


def bearing_for(result: str, population: str, exposure_match: str, outcome_match: str) -> str:
    """Return the bearing the written criteria give (the table in the module docstring).

    Parameters
    ----------
    result : {'for', 'mixed', 'null', 'against'}
        What the study found, in the claim's terms.
    population : {'humans', 'animals'}
    exposure_match, outcome_match : {'match', 'partial', 'mismatch'}

    Returns
    -------
    str
        One of :data:`BEARINGS`.

    Raises
    ------
    ValueError
        For a value outside the vocabularies above.

    Examples
    --------
    >>> bearing_for("for", "humans", "match", "match")
    'supports'
    >>> bearing_for("for", "humans", "match", "mismatch")  # desire measured, bonding claimed
    'partly_supports'
    >>> bearing_for("null", "humans", "match", "match")
    'contradicts'
    >>> bearing_for("against", "animals", "match", "match")
    'complicates'
    >>> bearing_for("against", "humans", "match", "match")
    'contradicts'
    """
    if result not in _RESULTS:
        raise ValueError(f"unknown result {result!r}; results are for, mixed, null, against")
    for value in (exposure_match, outcome_match):
        if value not in _MATCH_DOWN:
            raise ValueError(f"unknown match {value!r}; matches are match, partial, mismatch")
    how = directness(population, exposure_match, outcome_match)
    if result == "for":
        return "supports" if how == "direct" else "partly_supports"
    if result == "mixed":
        return "complicates"
    if result == "null":
        return "contradicts" if how == "direct" else "complicates"
    return "contradicts" if how == "direct" else "complicates"


def bearing_rule_table() -> pd.DataFrame:
    """Return the bearing rule as a table: one row per result, one column per directness.

    Examples
    --------
    >>> bearing_rule_table().loc["for", "direct"]
    'supports'
    """
    examples = {
        "direct": ("humans", "match", "match"),
        "partly direct": ("humans", "partial", "match"),
        "indirect": ("animals", "match", "match"),
    }
    return pd.DataFrame(
        {how: [bearing_for(r, *ex) for r in _RESULTS] for how, ex in examples.items()},
        index=pd.Index(_RESULTS, name="result"),
    )


def starting_levels() -> pd.DataFrame:
    """Return where each design starts, for a claim of effect and a claim of association.

    Examples
    --------
    >>> starting_levels().loc["cross_sectional"].tolist()
    ['low', 'high']
    """
    designs = [
        "randomised_trial",
        "review_of_trials",
        "longitudinal",
        "cross_sectional",
        "review_of_observational",
        "lab_observation",
        "lab_controlled",
        "narrative_review",
    ]
    row = {"population": "humans", "exposure_match": "match", "outcome_match": "match"}
    return pd.DataFrame(
        {
            kind: [row_certainty({**row, "design": d}, [], kind=kind)[0] for d in designs]
            for kind in ("effect", "association")
        },
        index=pd.Index(designs, name="design"),
    )


def verdict(bearings: Iterable[str], *, assessable: bool = True) -> str:
    """Summarise bearings into one verdict (the direction of the evidence).

    The rules, applied in order (the first that matches wins; they are also
    the ``rule`` column of the ``verdicts`` table):

    1. not assessable (advice, definitions, framing, meta): ``not_assessable``;
    2. no references: ``not_checked``;
    3. some support (full or partial) and some complication or contradiction:
       ``mixed``;
    4. at least one full support: ``supported``;
    5. only partial support: ``partly_supported``;
    6. at least one contradiction: ``contradicted``;
    7. only complications: ``doubtful``.

    :func:`grade` applies it to a claim's best evidence.

    Raises
    ------
    ValueError
        For a bearing that is not one of :data:`BEARINGS`.

    Examples
    --------
    >>> verdict(["supports", "partly_supports"])
    'supported'
    >>> verdict(["partly_supports", "contradicts"])
    'mixed'
    >>> verdict([])
    'not_checked'
    >>> verdict(["complicates"])
    'doubtful'
    """
    bearings = list(bearings)
    unknown = sorted(set(bearings) - set(BEARINGS))
    if unknown:
        raise ValueError(f"unknown bearing {unknown[0]!r}; bearings are {', '.join(BEARINGS)}")
    if not assessable:
        return "not_assessable"
    if not bearings:
        return "not_checked"
    backing = {"supports", "partly_supports"} & set(bearings)
    against = {"complicates", "contradicts"} & set(bearings)
    if backing and against:
        return "mixed"
    if "supports" in backing:
        return "supported"
    if backing:
        return "partly_supported"
    if "contradicts" in against:
        return "contradicted"
    return "doubtful"


#: The study methods that can carry a caveat (``evidence.methods``): the
#: descriptor's pattern only admits the characters, since a pattern listing the
#: names in a repeated group is refused as a possible catastrophic backtrack.
METHODS = frozenset(
    {
        "blood_oxytocin",
        "intranasal_oxytocin",
        "lab_masturbation",
        "convenience_sample",
        "narrow_sample",
        "self_report",
        "not_peer_reviewed",
    }
)


def _methods(row: Mapping) -> set[str]:
    value = row.get("methods")
    if value is None or pd.isna(value) or not str(value).strip():
        return set()
    return {m.strip() for m in str(value).split(";") if m.strip()}


def _applies(rule: str, row: Mapping) -> bool:
    m = _RULE.match(rule)
    if m is None:
        raise ValueError(f"unknown caveat rule {rule!r}; rules are {_RULE_WORDS}")
    kind, name, size, limit, unknown = m.groups()
    if kind is not None:
        if kind == "method":
            return name in _methods(row)
        return str(row.get(kind)) == name
    count = row.get("n" if (size or unknown) == "n" else "unit_n")
    known = count is not None and not pd.isna(count) and str(count).strip() != ""
    if unknown is not None:
        return not known
    return known and int(count) < int(limit)


def _records(caveats) -> list[dict]:
    """Return the caveats as plain dicts (iterating a typed DataFrame is slow)."""
    if isinstance(caveats, pd.DataFrame):
        return caveats.astype(object).to_dict("records")
    return list(caveats)


def caveats_applying(row: Mapping, caveats) -> list[str]:
    """Return the ids of the caveats whose rule applies to an evidence row.

    A caveat's ``applies_when`` is ``method:NAME`` (the row's ``methods``
    list names it), ``design:NAME``, ``population:NAME``, ``read_in:NAME``,
    ``direction:NAME``, ``n_below:N`` or ``unit_below:N`` (the row's ``n`` or
    ``unit_n`` is known and smaller than N) or ``n_unknown`` or
    ``unit_unknown`` (it is missing).

    Examples
    --------
    >>> import pandas as pd
    >>> cav = pd.DataFrame({"caveat_id": ["assay", "small"],
    ...                     "applies_when": ["method:blood_oxytocin", "n_below:100"]})
    >>> caveats_applying({"methods": "blood_oxytocin", "n": 45}, cav)
    ['assay', 'small']
    >>> caveats_applying({"methods": "", "n": None}, cav)
    []
    """
    return [str(c["caveat_id"]) for c in _records(caveats) if _applies(str(c["applies_when"]), row)]


def _start(design: str, kind: str) -> int:
    """Return the level (4 high, 2 low) a design starts from for a claim of this kind."""
    if design in _HIGH_ALWAYS or (kind == "association" and design in _HIGH_FOR_ASSOCIATION):
        return 4
    return 2


def row_certainty(row: Mapping, caveats, *, kind: str = "effect") -> tuple[str, dict[str, int]]:
    """Return the certainty one study gives one claim, and how far each domain rated it down.

    Parameters
    ----------
    row : mapping
        An evidence row: ``design``, ``population``, ``exposure_match``,
        ``outcome_match``, ``methods`` and ``n``.
    caveats : pandas.DataFrame or list of dict
        The ``caveats`` table (``caveat_id``, ``applies_when``, ``domain``,
        ``rate_down``).
    kind : {'effect', 'association'}
        What the claim asserts; observational designs start high only for
        an association.

    Returns
    -------
    (str, dict)
        The certainty (one of :data:`CERTAINTIES`) and the levels taken off
        per domain (each at most 2).

    Examples
    --------
    >>> import pandas as pd
    >>> cav = pd.DataFrame({"caveat_id": ["spray"], "applies_when": ["method:intranasal_oxytocin"],
    ...                     "domain": ["publication_bias"], "rate_down": [1]})
    >>> spray = {"design": "randomised_trial", "population": "humans", "n": 94,
    ...          "exposure_match": "partial", "outcome_match": "partial",
    ...          "methods": "intranasal_oxytocin"}
    >>> level, down = row_certainty(spray, cav)
    >>> level, down["indirectness"], down["publication_bias"], down["imprecision"]
    ('very_low', 2, 1, 0)
    """
    if kind not in ("effect", "association"):
        raise ValueError(f"unknown kind {kind!r}; kinds are effect, association")
    start = _start(str(row.get("design")), kind)
    down = dict.fromkeys(DOMAINS, 0)
    down["indirectness"] = (
        (2 if row.get("population") != "humans" else 0)
        + _MATCH_DOWN[str(row.get("exposure_match"))]
        + _MATCH_DOWN[_text(row.get("comparator_match"), "match")]
        + _MATCH_DOWN[str(row.get("outcome_match"))]
    )
    for c in _records(caveats):
        if _applies(str(c["applies_when"]), row):
            down[str(c["domain"])] += int(c["rate_down"])
    down = {k: min(v, 2) for k, v in down.items()}
    return _NAME[max(1, start - sum(down.values()))], down


def _text(value, default: str = "") -> str:
    """Return a cell as text, ``default`` where it is missing or blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return default
    return str(value).strip() or default


@dataclass(frozen=True)
class Grade:
    """A claim's graded evidence.

    Attributes
    ----------
    verdict : str
        The direction of its body of evidence (see :func:`verdict`).
    certainty : str
        One of :data:`CERTAINTIES`, or ``""`` when nothing was assessed.
    indirect_only : bool
        True when no study in its body is direct.
    body : tuple of str
        The ref_ids of its body of evidence (every included study).
    reasons : tuple of str
        Why the certainty is what it is, one short phrase per step.
    direction : str
        For a claim of effect, whether the direction is known (see
        :func:`direction_known`); ``""`` for a claim of association.
    down : tuple of (str, int)
        The levels taken off the body in each GRADE domain.
    """

    verdict: str
    certainty: str
    indirect_only: bool = False
    body: tuple[str, ...] = field(default=())
    reasons: tuple[str, ...] = field(default=())
    direction: str = ""
    down: tuple[tuple[str, int], ...] = field(default=())


def _median_down(values: list[int]) -> int:
    """Return the lower median of a domain's rate-downs (0 for none)."""
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def _units(rows: list[Mapping]) -> int:
    """Sum the units randomised or compared over the distinct studies of a body."""
    seen: dict[str, int] = {}
    for r in rows:
        value = r.get("unit_n")
        if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
            continue
        seen[str(r.get("ref_id"))] = max(seen.get(str(r.get("ref_id")), 0), int(value))
    return sum(seen.values())


def body_certainty(
    rows: Iterable[Mapping], caveats, *, kind: str = "effect", direction: str | None = None
) -> tuple[str, dict[str, int], list[str]]:
    """Return the certainty of a whole body of evidence, the levels taken off, and why.

    The rule is the module's rule 3: start from the best design present, take
    off the median of the studies' rate-downs for risk of bias, indirectness
    and publication bias, take off for imprecision on the units compared
    (:data:`IMPRECISION_UNITS`) and one level for inconsistency.

    Parameters
    ----------
    rows : iterable of mapping
        Every evidence row of the body (as for :func:`row_certainty`, with
        ``unit_n`` and ``bearing``).
    caveats : pandas.DataFrame or list of dict
    kind : {'effect', 'association'}
    direction : str, optional
        The body's verdict, if already known (:func:`verdict` of its bearings).

    Returns
    -------
    (str, dict, list of str)

    Examples
    --------
    >>> none = []
    >>> trial = {"ref_id": "t", "design": "randomised_trial", "population": "humans",
    ...          "exposure_match": "match", "outcome_match": "match", "unit_n": 500,
    ...          "bearing": "supports"}
    >>> body_certainty([trial], none)[0]
    'high'
    >>> small = {**trial, "unit_n": 80}
    >>> level, down, _ = body_certainty([small], none)
    >>> level, down["imprecision"]
    ('low', 2)
    """
    rows = list(rows)
    caveats = _records(caveats)
    if not rows:
        raise ValueError("a body of evidence needs at least one row")
    per_row = [row_certainty(r, caveats, kind=kind)[1] for r in rows]
    start = max(_start(str(r.get("design")), kind) for r in rows)
    down = {d: 0 for d in DOMAINS}
    for d in ("risk_of_bias", "indirectness", "publication_bias"):
        down[d] = _median_down([r[d] for r in per_row])
    units = _units(rows)
    first, second = IMPRECISION_UNITS
    down["imprecision"] = 2 if units < second else 1 if units < first else 0
    if direction is None:
        direction = verdict(str(r["bearing"]) for r in rows)
    down["inconsistency"] = 1 if direction == "mixed" else 0
    reasons = [
        f"body: {', '.join(sorted({str(r['ref_id']) for r in rows}))}",
        f"starts {_NAME[start].replace('_', ' ')} (best design present)",
    ]
    for d in DOMAINS:
        if down[d]:
            why = f" ({units} units compared)" if d == "imprecision" else ""
            reasons.append(f"rated down {down[d]} for {d.replace('_', ' ')}{why}")
    return _NAME[max(1, start - sum(down.values()))], down, reasons


def direction_known(rows: Iterable[Mapping], *, kind: str = "effect") -> str:
    """Say whether a body shows which came first, for a claim of effect.

    The evidence table's ``direction`` column records, per study,
    ``experiment`` (the exposure was assigned), ``both_ways`` (followed over
    time, and each predicted the other), ``prospective`` (the exposure was
    measured before the outcome), ``same_time`` or ``mixed`` (a review of
    studies of different kinds).

    Returns
    -------
    str
        ``""`` for a claim of association; otherwise a short sentence.

    Examples
    --------
    >>> direction_known([{"direction": "same_time"}, {"direction": "both_ways"}])
    'not known: observational studies only, and some find it runs both ways'
    >>> direction_known([{"direction": "experiment"}])
    'tested: at least one experiment changed the exposure'
    >>> direction_known([{"direction": "same_time"}], kind="association")
    ''
    """
    if kind != "effect":
        return ""
    seen = {_text(r.get("direction")) for r in rows}
    if "experiment" in seen:
        return "tested: at least one experiment changed the exposure"
    if "both_ways" in seen:
        return "not known: observational studies only, and some find it runs both ways"
    if "prospective" in seen:
        return "not known: observational studies only (one measured before the other)"
    return "not known: observational studies only, measured at the same time"


def grade(
    rows: Iterable[Mapping],
    caveats: pd.DataFrame,
    *,
    kind: str = "effect",
    assessable: bool = True,
) -> Grade:
    """Grade a claim from its body of evidence: verdict, certainty, directness and direction.

    Parameters
    ----------
    rows : iterable of mapping
        The claim's evidence rows (see :func:`row_certainty`), each with its
        ``ref_id``, ``bearing`` and ``unit_n``: every row the protocol
        included, whichever way it points.
    caveats : pandas.DataFrame
        The ``caveats`` table.
    kind : {'effect', 'association'}
    assessable : bool, default True
        False for claims that are not empirical.

    Returns
    -------
    Grade

    Examples
    --------
    >>> import pandas as pd
    >>> none = pd.DataFrame(columns=["caveat_id", "applies_when", "domain", "rate_down"])
    >>> big = {"ref_id": "big", "design": "randomised_trial", "population": "humans",
    ...        "n": 900, "unit_n": 900, "exposure_match": "match", "outcome_match": "match",
    ...        "bearing": "supports", "direction": "experiment"}
    >>> vole = {"ref_id": "vole", "design": "randomised_trial", "population": "animals",
    ...         "n": 40, "unit_n": 40, "exposure_match": "match", "outcome_match": "match",
    ...         "bearing": "partly_supports", "direction": "experiment"}
    >>> g = grade([big, vole], none)
    >>> g.verdict, g.certainty, g.indirect_only, g.body
    ('supported', 'high', False, ('big', 'vole'))
    >>> grade([vole], none).indirect_only
    True
    """
    rows = list(rows)
    if not assessable:
        return Grade("not_assessable", "")
    if not rows:
        return Grade("not_checked", "")
    direction = verdict(str(r["bearing"]) for r in rows)
    level, down, reasons = body_certainty(rows, caveats, kind=kind, direction=direction)
    indirect = all(
        directness(str(r["population"]), str(r["exposure_match"]), str(r["outcome_match"]))
        != "direct"
        for r in rows
    )
    return Grade(
        direction,
        level,
        indirect,
        tuple(sorted({str(r["ref_id"]) for r in rows})),
        tuple(reasons),
        direction_known(rows, kind=kind),
        tuple((d, down[d]) for d in DOMAINS),
    )


def rating_table(ratings: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Return the ``ratings`` table as a mapping from (verdict, certainty) to rating."""
    return {
        (str(v), str(c)): int(r)
        for v, c, r in zip(ratings.verdict, ratings.certainty, ratings.rating, strict=True)
    }


def rating(claim_grade: Grade, ratings) -> int | None:
    """Return the ClaimReview rating of a grade, from the ``ratings`` table.

    The table gives a rating for each verdict and certainty; a claim backed
    only indirectly gets at most :data:`INDIRECT_CAP`. Claims not checked or
    not assessable get none.

    Parameters
    ----------
    claim_grade : Grade
    ratings : pandas.DataFrame or mapping
        The ``ratings`` table, or :func:`rating_table` of it.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"verdict": ["supported"], "certainty": ["high"], "rating": [5]})
    >>> rating(Grade("supported", "high"), table)
    5
    >>> rating(Grade("supported", "high", indirect_only=True), table)
    3
    >>> rating(Grade("not_checked", ""), table) is None
    True
    """
    if not claim_grade.certainty:
        return None
    table = rating_table(ratings) if isinstance(ratings, pd.DataFrame) else ratings
    key = (claim_grade.verdict, claim_grade.certainty)
    if key not in table:
        raise ValueError(f"the ratings table has no row for {key[0]} x {key[1]}")
    value = table[key]
    return min(value, INDIRECT_CAP) if claim_grade.indirect_only else value


# --- checks that validate() runs (registered in explainer.checks) -----------------


def _rownos(frame: pd.DataFrame) -> list[int]:
    return frame.attrs.get("row_numbers") or list(range(2, len(frame) + 2))


def _blank(value) -> bool:
    return value is None or pd.isna(value) or not str(value).strip()


def evidence_problems(frames: dict[str, pd.DataFrame], schemas: dict) -> list[Problem]:
    """Return what the grading rules find wrong in the evidence tables (empty if nothing).

    Checks: every bearing is the one its criteria give; an evidence row that
    is not direct says why (``match_note``); one study is described the same
    way on every row (population, sample, n, design, methods); each study
    carries exactly the caveats whose rules apply to it; every caveat rule
    can be read; a reference with a DOI records where it was confirmed;
    every empirical claim is assessed or says why not.
    """
    if "evidence" not in frames:
        return []
    problems: list[Problem] = []
    ev = frames["evidence"]
    file = schemas["evidence"].path
    needed = {"population", "exposure_match", "outcome_match", "result", "bearing"}
    if not needed <= set(ev.columns):
        return problems
    for i, row in zip(_rownos(ev), ev.to_dict("records"), strict=True):
        parts = [row[c] for c in ("result", "population", "exposure_match", "outcome_match")]
        if any(_blank(p) for p in parts) or _blank(row["bearing"]):
            continue  # reported as a missing value by the loader
        try:
            want = bearing_for(*(str(p) for p in parts))
        except ValueError:
            continue  # an enum error, reported by the loader
        if str(row["bearing"]) != want:
            problems.append(
                Problem(
                    file,
                    f"the criteria (result {parts[0]}, {parts[1]}, exposure {parts[2]}, "
                    f"outcome {parts[3]}) give {want!r}",
                    row=i,
                    column="bearing",
                    value=str(row["bearing"]),
                )
            )
        for method in sorted(_methods(row) - METHODS):
            problems.append(
                Problem(
                    file,
                    f"unknown method; known: {', '.join(sorted(METHODS))}",
                    row=i,
                    column="methods",
                    value=method,
                )
            )
        if directness(*(str(p) for p in parts[1:])) != "direct" and _blank(row.get("match_note")):
            problems.append(
                Problem(
                    file,
                    "say why the exposure or outcome does not match (required when not direct)",
                    row=i,
                    column="match_note",
                    value="",
                )
            )
    problems += _same_study(ev, file)
    problems += _caveats(frames, schemas)
    problems += _dois(frames, schemas)
    problems += _assessments(frames, schemas)
    return problems


_STUDY = ("population", "sample", "n", "design", "methods")


def _same_study(ev: pd.DataFrame, file: str) -> list[Problem]:
    problems, first = [], {}
    for i, row in zip(_rownos(ev), ev.to_dict("records"), strict=True):
        ref = row.get("ref_id")
        if _blank(ref):
            continue
        if ref not in first:
            first[ref] = row
            continue
        for col in _STUDY:
            if col not in row:
                continue
            a, b = first[ref][col], row[col]
            if (_blank(a) and _blank(b)) or (not _blank(a) and not _blank(b) and str(a) == str(b)):
                continue
            problems.append(
                Problem(
                    file,
                    f"the same study ({ref}) is described differently on an earlier row: "
                    f"{'' if _blank(a) else a!s}",
                    row=i,
                    column=col,
                    value="" if _blank(b) else str(b),
                )
            )
    return problems


def _caveats(frames: dict, schemas: dict) -> list[Problem]:
    if "caveats" not in frames or "evidence_caveats" not in frames:
        return []
    caveats, attached = frames["caveats"], frames["evidence_caveats"]
    problems = []
    good = []
    for i, c in zip(_rownos(caveats), caveats.itertuples(index=False), strict=True):
        if _blank(c.applies_when) or _RULE.match(str(c.applies_when)) is None:
            problems.append(
                Problem(
                    schemas["caveats"].path,
                    f"a rule is {_RULE_WORDS}",
                    row=i,
                    column="applies_when",
                    value="" if _blank(c.applies_when) else str(c.applies_when),
                )
            )
        else:
            good.append(c)
    rules = pd.DataFrame(good, columns=caveats.columns)
    rule_records = _records(rules)  # once, not once per evidence row
    want: set[tuple[str, str]] = set()
    for row in frames["evidence"].to_dict("records"):
        if not _blank(row.get("ref_id")):
            want |= {(str(row["ref_id"]), c) for c in caveats_applying(row, rule_records)}
    have = {}
    for i, a in zip(_rownos(attached), attached.itertuples(index=False), strict=True):
        have[(str(a.ref_id), str(a.caveat_id))] = i
    file = schemas["evidence_caveats"].path
    for key in sorted(set(have) - want):
        if key[1] in set(rules.caveat_id.astype(str)):
            problems.append(
                Problem(
                    file,
                    f"the rule of caveat {key[1]} does not apply to this study",
                    row=have[key],
                    column="caveat_id",
                    value=key[1],
                )
            )
    for ref, cav in sorted(want - set(have)):
        problems.append(
            Problem(
                file,
                f"caveat {cav} applies to study {ref} by its rule but is not attached to it",
                column="ref_id",
                value=ref,
            )
        )
    return problems


def _dois(frames: dict, schemas: dict) -> list[Problem]:
    refs = frames.get("references")
    if refs is None or "confirmed_at" not in refs.columns:
        return []
    problems = []
    for i, r in zip(_rownos(refs), refs.to_dict("records"), strict=True):
        where = r.get("confirmed_at")
        addresses = [] if _blank(where) else [a.strip() for a in str(where).split(" ; ")]
        if any(not re.match(r"^https?://\S+$", a) for a in addresses) or not addresses:
            problems.append(
                Problem(
                    schemas["references"].path,
                    "record the address(es) where the details were read, separated by ' ; '",
                    row=i,
                    column="confirmed_at",
                    value="" if _blank(where) else str(where),
                )
            )
        doi, seen = r.get("doi"), r.get("doi_seen_at")
        if not _blank(doi) and (_blank(seen) or str(seen).strip() not in addresses):
            problems.append(
                Problem(
                    schemas["references"].path,
                    "a DOI is given only with doi_seen_at, the address (one of confirmed_at) "
                    "where it was read",
                    row=i,
                    column="doi_seen_at",
                    value="" if _blank(seen) else str(seen),
                )
            )
        if _blank(doi) and not _blank(seen):
            problems.append(
                Problem(
                    schemas["references"].path,
                    "doi_seen_at without a DOI",
                    row=i,
                    column="doi_seen_at",
                    value=str(seen),
                )
            )
    return problems


def _assessments(frames: dict, schemas: dict) -> list[Problem]:
    if "assessments" not in frames or "claims" not in frames:
        return []
    assessments, claims, ev = frames["assessments"], frames["claims"], frames["evidence"]
    file = schemas["assessments"].path
    with_evidence = set(ev.claim_id.dropna().astype(str))
    if "empirical" in claims.columns:  # the claim-type rule's own column, where there is one
        empirical = set(claims[claims.empirical.fillna(False).astype(bool)].claim_id.dropna())
    else:
        empirical = set(
            claims[claims.evidence_status.astype(str) != "not_applicable"].claim_id.dropna()
        )
    listed = {}
    problems = []
    for i, a in zip(_rownos(assessments), assessments.itertuples(index=False), strict=True):
        cid = str(a.claim_id)
        listed[cid] = i
        checked = cid in with_evidence
        if str(a.status) == "assessed" and not checked:
            problems.append(
                Problem(file, "assessed, but no evidence row", row=i, column="status", value=cid)
            )
        if str(a.status) == "not_checked":
            if checked:
                problems.append(
                    Problem(
                        file,
                        "not_checked, but evidence is set beside it",
                        row=i,
                        column="status",
                        value=cid,
                    )
                )
            if _blank(a.reason):
                problems.append(
                    Problem(file, "say why it is not checked", row=i, column="reason", value="")
                )
    for cid in sorted(empirical - set(listed)):
        problems.append(
            Problem(
                file,
                "an empirical claim needs an assessment (assessed, or not_checked with a reason)",
                column="claim_id",
                value=cid,
            )
        )
    for cid in sorted(set(listed) - empirical):
        problems.append(
            Problem(
                file,
                "not an empirical claim: only empirical claims are assessed",
                row=listed[cid],
                column="claim_id",
                value=cid,
            )
        )
    for cid in sorted(with_evidence - empirical):
        problems.append(
            Problem(
                schemas["evidence"].path,
                "evidence beside a claim that is not empirical",
                column="claim_id",
                value=cid,
            )
        )
    return problems
