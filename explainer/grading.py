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
   reviews and uncontrolled laboratory observations start low. Then rate
   down, each domain by at most two levels: *indirectness* (animals 2; an
   exposure or outcome that only partly matches 1 each, a mismatch 2 each),
   and the domains the study's caveats name (imprecision, risk of bias,
   publication bias; see the ``caveats`` table).

3. **A claim's verdict and certainty** (:func:`grade`). GRADE judges a body of
   evidence by its best evidence: the rows with the highest certainty form
   the body; the verdict is the bearing rule of :func:`verdict` applied to
   them, and the certainty is theirs, rated down one more level for
   inconsistency when they point both ways (verdict ``mixed``). A claim whose
   body holds no direct evidence is *backed only indirectly*; its ClaimReview
   rating is capped at 3 (see :func:`rating`).
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
    "INDIRECT_CAP",
    "Grade",
    "bearing_for",
    "bearing_rule_table",
    "caveats_applying",
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
_RULE = re.compile(r"^(method|design|population):([a-z_]+)$|^n_below:(\d+)$|^n_unknown$")


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
        raise ValueError(
            f"unknown caveat rule {rule!r}; rules are method:NAME, design:NAME, "
            "population:NAME, n_below:NUMBER or n_unknown"
        )
    kind, name, limit = m.groups()
    n = row.get("n")
    known = n is not None and not pd.isna(n)
    if rule == "n_unknown":
        return not known
    if limit is not None:
        return known and int(n) < int(limit)
    if kind == "method":
        return name in _methods(row)
    return str(row.get(kind)) == name


def _records(caveats) -> list[dict]:
    """Return the caveats as plain dicts (iterating a typed DataFrame is slow)."""
    if isinstance(caveats, pd.DataFrame):
        return caveats.astype(object).to_dict("records")
    return list(caveats)


def caveats_applying(row: Mapping, caveats) -> list[str]:
    """Return the ids of the caveats whose rule applies to an evidence row.

    A caveat's ``applies_when`` is ``method:NAME`` (the row's ``methods``
    list names it), ``design:NAME``, ``population:NAME``, ``n_below:N``
    (the row's ``n`` is known and smaller than N) or ``n_unknown`` (the
    row's ``n`` is missing).

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
    design = str(row.get("design"))
    start = (
        4
        if design in _HIGH_ALWAYS or (kind == "association" and design in _HIGH_FOR_ASSOCIATION)
        else 2
    )
    down = dict.fromkeys(DOMAINS, 0)
    down["indirectness"] = (
        (2 if row.get("population") != "humans" else 0)
        + _MATCH_DOWN[str(row.get("exposure_match"))]
        + _MATCH_DOWN[str(row.get("outcome_match"))]
    )
    for c in _records(caveats):
        if _applies(str(c["applies_when"]), row):
            down[str(c["domain"])] += int(c["rate_down"])
    down = {k: min(v, 2) for k, v in down.items()}
    return _NAME[max(1, start - sum(down.values()))], down


@dataclass(frozen=True)
class Grade:
    """A claim's graded evidence.

    Attributes
    ----------
    verdict : str
        The direction of its best evidence (see :func:`verdict`).
    certainty : str
        One of :data:`CERTAINTIES`, or ``""`` when nothing was assessed.
    indirect_only : bool
        True when none of its best evidence is direct.
    body : tuple of str
        The ref_ids of its best evidence.
    reasons : tuple of str
        Why the certainty is what it is, one short phrase per step.
    """

    verdict: str
    certainty: str
    indirect_only: bool = False
    body: tuple[str, ...] = field(default=())
    reasons: tuple[str, ...] = field(default=())


def grade(
    rows: Iterable[Mapping],
    caveats: pd.DataFrame,
    *,
    kind: str = "effect",
    assessable: bool = True,
) -> Grade:
    """Grade a claim from its evidence rows: verdict, certainty and whether it is indirect only.

    Parameters
    ----------
    rows : iterable of mapping
        The claim's evidence rows (see :func:`row_certainty`), each with its
        ``ref_id`` and ``bearing``.
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
    >>> big = {"ref_id": "big", "design": "randomised_trial", "population": "humans", "n": 900,
    ...        "exposure_match": "match", "outcome_match": "match", "bearing": "supports"}
    >>> vole = {"ref_id": "vole", "design": "randomised_trial", "population": "animals",
    ...         "n": 40, "exposure_match": "match", "outcome_match": "match",
    ...         "bearing": "partly_supports"}
    >>> g = grade([big, vole], none)
    >>> g.verdict, g.certainty, g.indirect_only, g.body
    ('supported', 'high', False, ('big',))
    >>> grade([vole], none).indirect_only
    True
    """
    rows = list(rows)
    if not assessable:
        return Grade("not_assessable", "")
    if not rows:
        return Grade("not_checked", "")
    caveats = _records(caveats)
    graded = []
    for r in rows:
        level, _ = row_certainty(r, caveats, kind=kind)
        graded.append((_LEVEL[level], r))
    best = max(level for level, _ in graded)
    body = [r for level, r in graded if level == best]
    direction = verdict(str(r["bearing"]) for r in body)
    reasons = [f"best evidence: {', '.join(str(r['ref_id']) for r in body)} ({_NAME[best]})"]
    level = best
    if direction == "mixed":
        level = max(1, level - 1)
        reasons.append("rated down for inconsistency: the best evidence points both ways")
    indirect = all(
        directness(str(r["population"]), str(r["exposure_match"]), str(r["outcome_match"]))
        != "direct"
        for r in body
    )
    return Grade(
        direction,
        _NAME[level],
        indirect,
        tuple(str(r["ref_id"]) for r in body),
        tuple(reasons),
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
                    "a rule is method:NAME, design:NAME, population:NAME, n_below:NUMBER "
                    "or n_unknown",
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
