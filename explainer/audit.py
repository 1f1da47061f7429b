"""The evidence audit: what supports each claim, in the article and in research, and how surely.

Two questions are kept apart. *What does the article offer?* is the claim's
``evidence_status`` (a citation that resolves nowhere, an appeal to "studies",
an unsourced expert, nothing). *What does published research say?* is graded,
not counted: each study's bearing follows from written criteria, and a claim's
verdict and GRADE certainty follow from its whole body of evidence, what its
family's protocol included (:mod:`explainer.grading`, :mod:`explainer.review`);
the ClaimReview rating follows from both.
"""

from __future__ import annotations

import os

import pandas as pd

from explainer._cache import derived
from explainer._docs import fill_doc
from explainer.grading import (
    BEARINGS,
    CERTAINTIES,
    grade,
    rating,
    rating_table,
    row_certainty,
    verdict,
)
from explainer.tables import load

__all__ = [
    "BEARINGS",
    "PROJECT_NAME",
    "RATING_RULE",
    "RATING_WORDS",
    "caveat_table",
    "citation_audit",
    "claim_audit",
    "claim_reviews",
    "claims_by_part",
    "evidence_table",
    "expert_questions",
    "family_evidence",
    "family_summary",
    "omission_notes",
    "summary_statements",
    "verdict",
    "verdict_certainty_table",
]

PathLike = str | os.PathLike[str]


def _table(name: str, *, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Load a table without the row-number attrs, which pandas deep-copies on every step."""
    frame = load(name, data_dir=data_dir).copy(deep=False)
    frame.attrs = {}
    return frame


@derived()
@fill_doc
def claim_audit(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return one row per claim: what the article offers, and what research says and how surely.

    The verdict and certainty come from :func:`explainer.grading.grade`
    (GRADE: the claim's whole body of evidence), the rating from the
    ``ratings`` table through :func:`explainer.grading.rating`.

    %(data_dir_returns)s
    pandas.DataFrame
        ``claim_id``, ``section_id``, ``claim_type``, ``statement``,
        ``citation``, ``evidence_status`` (what the article offers),
        ``hedge``; ``family_id``, ``kind`` (effect or association) and
        ``status`` (assessed, not_checked, or empty for claims that are
        not empirical) from ``assessments``; one count column per bearing
        and ``references`` (their total); ``verdict`` (an ordered
        categorical in the order of the ``verdicts`` table), ``certainty``
        (ordered categorical, high first; missing where nothing was
        assessed), ``indirect_only``, ``best_evidence`` (the ref_ids of its
        body of evidence, joined by ``'; '``), ``rating`` (1 to 5, missing
        where there is none), ``rating_name`` (its words), ``direction``
        (for a claim of effect, whether any experiment tested which came
        first; see :func:`explainer.grading.direction_known`), ``grade_reasons``
        (how the certainty was reached) and ``reason`` (why a claim was not
        checked), in claim order.

    Examples
    --------
    >>> audit = claim_audit().set_index("claim_id")
    >>> audit.loc["c037", ["verdict", "certainty", "rating"]].astype(str).tolist()
    ['supported', 'moderate', '4']
    """
    claims = _table("claims", data_dir=data_dir)
    evidence = _table("evidence", data_dir=data_dir)
    verdicts = _table("verdicts", data_dir=data_dir)
    caveats = _table("caveats", data_dir=data_dir)
    ratings = rating_table(_table("ratings", data_dir=data_dir))
    assessments = _table("assessments", data_dir=data_dir).set_index("claim_id")
    counts = pd.crosstab(evidence.claim_id.astype(str), evidence.bearing.astype(str))
    counts = counts.reindex(columns=list(BEARINGS), fill_value=0)
    frame = claims[
        [
            "claim_id",
            "section_id",
            "claim_type",
            "statement",
            "citation",
            "evidence_status",
            "hedge",
        ]
    ].copy()
    for col in ("family_id", "kind", "status", "reason"):
        frame[col] = frame.claim_id.map(assessments[col].astype(object)).astype(object)
    for b in BEARINGS:
        frame[b] = frame.claim_id.map(counts[b]).fillna(0).astype(int)
    frame["references"] = frame[list(BEARINGS)].sum(axis=1)
    rows: dict[str, list[dict]] = {}
    for r in evidence.astype(object).to_dict("records"):
        rows.setdefault(str(r["claim_id"]), []).append(r)
    caveats = caveats.astype(object).to_dict("records")
    out = {"verdict": [], "certainty": [], "indirect_only": [], "best_evidence": [], "rating": []}
    out["rating_name"] = []
    out["direction"] = []
    out["grade_reasons"] = []
    for cid, status, kind in zip(
        frame.claim_id, frame.evidence_status.astype(str), frame.kind, strict=True
    ):
        g = grade(
            rows.get(cid, []),
            caveats,
            kind=kind if isinstance(kind, str) else "effect",
            assessable=status != "not_applicable",
        )
        value = rating(g, ratings)
        out["verdict"].append(g.verdict)
        out["certainty"].append(g.certainty or None)
        out["indirect_only"].append(g.indirect_only)
        out["best_evidence"].append("; ".join(g.body))
        out["rating"].append(value)
        out["rating_name"].append(None if value is None else RATING_WORDS[value])
        out["direction"].append(g.direction)
        out["grade_reasons"].append("; ".join(g.reasons))
    order = [str(v) for v in verdicts.verdict]
    frame["verdict"] = pd.Categorical(out["verdict"], categories=order, ordered=True)
    frame["certainty"] = pd.Categorical(out["certainty"], categories=CERTAINTIES, ordered=True)
    frame["indirect_only"] = out["indirect_only"]
    frame["best_evidence"] = out["best_evidence"]
    frame["rating"] = pd.array(out["rating"], dtype="Int64")
    frame["rating_name"] = out["rating_name"]
    frame["direction"] = out["direction"]
    frame["grade_reasons"] = out["grade_reasons"]
    cols = [c for c in frame.columns if c != "reason"] + ["reason"]
    return frame[cols].reset_index(drop=True)


#: The words of each rating on the ClaimReview scale (the ratings table's ``alternate_name``).
RATING_WORDS = {5: "true", 4: "mostly true", 3: "unproven", 2: "mostly false", 1: "false"}


@fill_doc
def evidence_table(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return every claim-study pair with its criteria, its bearing, its certainty and its caveats.

    %(data_dir_returns)s
    pandas.DataFrame
        ``claim_id``, ``statement``, ``family_id``, ``ref_id``, ``authors``,
        ``year``, ``population``, ``sample``, ``n``, ``design``,
        ``exposure_match``, ``outcome_match``, ``match_note``, ``result``,
        ``bearing``, ``finding``, ``certainty`` (what this study alone gives
        the claim, see :func:`explainer.grading.row_certainty`),
        ``caveats`` (the study's caveat ids joined by ``'; '``), then
        ``comparator_match``, ``unit``, ``unit_n``, ``read_in``, ``read_at``
        and ``direction`` where the data has them, sorted by
        claim, then from the most favourable bearing to the least, then by
        reference.

    Examples
    --------
    >>> evidence_table().columns.tolist()[:4]
    ['claim_id', 'statement', 'family_id', 'ref_id']
    """
    evidence = _table("evidence", data_dir=data_dir)
    claims = _table("claims", data_dir=data_dir)[["claim_id", "statement"]]
    refs = _table("references", data_dir=data_dir)[["ref_id", "authors", "year"]]
    caveats = _table("caveats", data_dir=data_dir)
    attached = _table("evidence_caveats", data_dir=data_dir)
    assessments = _table("assessments", data_dir=data_dir)[["claim_id", "family_id", "kind"]]
    frame = (
        evidence.merge(claims, on="claim_id", how="left")
        .merge(refs, on="ref_id", how="left")
        .merge(assessments, on="claim_id", how="left")
    )
    caveats = caveats.astype(object).to_dict("records")
    frame["certainty"] = pd.Categorical(
        [
            row_certainty(r, caveats, kind=str(r["kind"]))[0]
            for r in frame.astype(object).to_dict("records")
        ],
        categories=CERTAINTIES,
        ordered=True,
    )
    by_ref = attached.groupby("ref_id", observed=True)["caveat_id"].agg(
        lambda s: "; ".join(sorted(str(c) for c in s))
    )
    frame["caveats"] = frame.ref_id.map(by_ref).fillna("")
    frame = frame.sort_values(["claim_id", "bearing", "ref_id"], kind="stable")
    cols = [
        "claim_id",
        "statement",
        "family_id",
        "ref_id",
        "authors",
        "year",
        "population",
        "sample",
        "n",
        "design",
        "exposure_match",
        "outcome_match",
        "match_note",
        "result",
        "bearing",
        "finding",
        "certainty",
        "caveats",
    ]
    cols += [c for c in _NEW_EVIDENCE_COLUMNS if c in frame.columns]
    return frame[cols].reset_index(drop=True)


#: Evidence columns added for the rapid review, appended to :func:`evidence_table`.
_NEW_EVIDENCE_COLUMNS = ("comparator_match", "unit", "unit_n", "read_in", "read_at", "direction")


@fill_doc
def family_summary(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return how many empirical claims of each family reach each verdict and certainty.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per family, verdict and certainty that occurs (``not_checked``
        claims have an empty certainty): ``family_id``, ``title``,
        ``verdict``, ``certainty``, ``claims``, in the families' order,
        then verdict order, then certainty order.

    Examples
    --------
    >>> table = family_summary()
    >>> int(table.claims.sum()) == int((claim_audit().status.notna()).sum())
    True
    """
    audit = claim_audit(data_dir=data_dir)
    families = _table("families", data_dir=data_dir)
    empirical = audit[audit.status.notna()].copy()
    empirical["certainty"] = empirical.certainty.cat.add_categories([""]).fillna("")
    table = (
        empirical.groupby(["family_id", "verdict", "certainty"], observed=True)
        .size()
        .rename("claims")
        .reset_index()
    )
    order = {f: i for i, f in enumerate(families.family_id)}
    table["_f"] = table.family_id.map(order)
    table = table.sort_values(["_f", "verdict", "certainty"], kind="stable").drop(columns="_f")
    titles = dict(zip(families.family_id, families.title, strict=True))
    table.insert(1, "title", table.family_id.map(titles))
    table["certainty"] = table.certainty.astype(str)
    return table.reset_index(drop=True)


@fill_doc
def family_evidence(family_id: str, *, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return a short table of one family's claims: verdict, certainty and the studies behind them.

    Parameters
    ----------
    family_id : str
        A row of the ``families`` table.
    %(data_dir_last_returns)s
    pandas.DataFrame
        One row per claim of the family: ``claim_id``, ``statement``,
        ``verdict``, ``certainty``, ``rating``, ``best_evidence`` (the body),
        ``direction`` (see :func:`claim_audit`) and ``studies`` (every
        study beside the claim with its bearing), or the reason where the
        claim was not checked.

    Raises
    ------
    KeyError
        For a family that does not exist; the message lists the families.

    Examples
    --------
    >>> family_evidence("oxytocin").claim_id.tolist()
    ['c018', 'c027', 'c028', 'c029']
    """
    families = _table("families", data_dir=data_dir)
    if family_id not in set(families.family_id):
        raise KeyError(f"no family {family_id!r}; families are {', '.join(families.family_id)}")
    audit = claim_audit(data_dir=data_dir)
    audit = audit[audit.family_id == family_id]
    listed = _studies_by_claim(data_dir=data_dir)
    table = audit[
        ["claim_id", "statement", "verdict", "certainty", "rating", "best_evidence", "direction"]
    ].copy()
    table["studies"] = [
        listed.get(cid, f"not checked: {reason}")
        for cid, reason in zip(audit.claim_id, audit.reason, strict=True)
    ]
    return table.reset_index(drop=True)


@derived()
def _studies_by_claim(*, data_dir: PathLike | None = None) -> pd.Series:
    """Return every study beside each claim with its bearing, "ref (bearing); ...", by claim id."""
    evidence = _table("evidence", data_dir=data_dir)
    listed: dict[str, list[str]] = {}
    for claim, ref, bearing in sorted(
        zip(evidence.claim_id, evidence.ref_id, evidence.bearing, strict=True),
        key=lambda row: (evidence.bearing.cat.categories.get_loc(row[2]), row[1]),
    ):
        listed.setdefault(claim, []).append(f"{ref} ({str(bearing).replace('_', ' ')})")
    return pd.Series({claim: "; ".join(refs) for claim, refs in listed.items()}, dtype=object)


def verdict_certainty_table(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the empirical claims counted by verdict (rows) and certainty (columns).

    Columns are the certainties, best first, then ``not checked``; rows the
    verdicts in the ``verdicts`` table's order; a ``total`` row and column.

    Examples
    --------
    >>> table = verdict_certainty_table()
    >>> int(table.loc["total", "total"]) == int(claim_audit().status.notna().sum())
    True
    """
    audit = claim_audit(data_dir=data_dir)
    empirical = audit[audit.status.notna()]
    columns = [c.replace("_", " ") for c in CERTAINTIES] + ["not checked"]
    certainty = empirical.certainty.astype(object).map(
        lambda c: "not checked" if c is None or c != c else str(c).replace("_", " ")
    )
    table = pd.crosstab(empirical.verdict.astype(str), certainty)
    order = [str(v) for v in audit.verdict.cat.categories if v in set(table.index)]
    table = table.reindex(index=order, columns=columns, fill_value=0)
    table.loc["total"] = table.sum()
    table["total"] = table.sum(axis=1)
    table.index.name, table.columns.name = "verdict", "certainty"
    return table


def summary_statements(*, data_dir: PathLike | None = None) -> list[str]:
    """Return the audit's overall findings as plain sentences, each with its counts.

    Every number a reader sees in the notebook's summary comes from here,
    computed from :func:`claim_audit`.

    Examples
    --------
    >>> summary_statements()[0].startswith("The article makes ")
    True
    """
    audit = claim_audit(data_dir=data_dir)
    empirical = audit[audit.status.notna()]
    checked = empirical[empirical.verdict != "not_checked"]
    n, k = len(empirical), len(checked)
    by_cert = checked.certainty.value_counts()
    low = int(by_cert.get("low", 0) + by_cert.get("very_low", 0))
    firm = checked[checked.rating >= 4]
    indirect = int(checked.indirect_only.sum())
    against = checked[checked.verdict.isin(["mixed", "doubtful", "contradicted"])]
    effect = checked[checked.kind == "effect"]
    guessed = effect[effect.direction.astype(str).str.startswith("not known")]
    refs = _table("references", data_dir=data_dir)
    return [
        f"The article makes {len(audit)} claims; {n} of them assert something about the world "
        f"(empirical claims).",
        f"{k} of the {n} were set beside published research; {n - k} could not be, each for a "
        "reason given in the assessments table.",
        f"For {low} of the {k}, the body of research is of low or very low certainty.",
        f"{len(guessed)} of the {len(effect)} checked claims that sex causes or builds "
        "something rest on observational studies only, so which came first is not known; some "
        "of those studies find that it runs both ways.",
        f"{indirect} of the {k} are backed only indirectly or in part (in animals, with a nasal "
        "spray, in a laboratory, or with a different outcome), so none of them rates above 3 of 5.",
        f"{len(firm)} of the {k} rate 4 or 5 (mostly or fully true): "
        + ", ".join(f"{c} ({s})" for c, s in zip(firm.claim_id, firm.statement, strict=True))
        + ".",
        f"For {len(against)} of the {k}, the research points both ways, casts doubt on the "
        "claim, or finds the opposite.",
        f"{len(refs)} published works were read for this audit, each at an address recorded "
        "in the references table.",
    ]


def omission_notes(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return what the article leaves out: ``topic``, ``statement`` and ``source``.

    ``source`` is the reference and the pages where the fact was read, or
    the article and this project's tables where the statement is about them.

    Examples
    --------
    >>> notes = omission_notes().set_index("topic")
    >>> notes.loc["People who are asexual", "source"]
    'bogaert2004'
    """
    omissions = _table("omissions", data_dir=data_dir)
    sources = [
        " ; ".join(str(x) for x in pair if pd.notna(x)) or "the article and this project's tables"
        for pair in zip(omissions.ref_id, omissions.source_url, strict=True)
    ]
    return omissions.assign(source=sources)[["topic", "statement", "source"]]


def caveat_table(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return each methodological caveat with the studies it is attached to.

    Examples
    --------
    >>> table = caveat_table().set_index("caveat_id")
    >>> "marazziti2006" in table.at["blood_oxytocin_assay", "studies"]
    True
    """
    caveats = _table("caveats", data_dir=data_dir)
    attached = _table("evidence_caveats", data_dir=data_dir)
    studies = attached.groupby("caveat_id", observed=True)["ref_id"].agg(
        lambda s: ", ".join(sorted(str(r) for r in s))
    )
    counts = attached.groupby("caveat_id", observed=True).size()
    table = caveats[["caveat_id", "title", "domain", "rate_down", "ref_id"]].copy()
    table = table.rename(columns={"ref_id": "source"})
    table["n_studies"] = table.caveat_id.map(counts).fillna(0).astype(int)
    table["studies"] = table.caveat_id.map(studies).fillna("")
    return table.reset_index(drop=True)


@fill_doc
def citation_audit(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the citation markers with the claims they sit on and their status.

    %(data_dir_returns)s
    pandas.DataFrame
        ``marker``, ``status``, ``claim_id``, ``section_id``, ``quote``,
        ``note``, ``offset`` (where the marker stands in the article text),
        in marker order.

    Examples
    --------
    >>> citation_audit().status.astype(str).tolist()
    ['unresolved', 'unresolved']
    """
    from explainer.article import article_text

    text = article_text(data_dir=data_dir)
    citations = _table("citations", data_dir=data_dir)
    claims = _table("claims", data_dir=data_dir)[["claim_id", "section_id", "quote"]]
    frame = citations.merge(claims, on="claim_id", how="left")
    frame["offset"] = [text.find(m) for m in frame.marker]
    cols = ["marker", "status", "claim_id", "section_id", "quote", "note", "offset"]
    return frame.sort_values("marker")[cols].reset_index(drop=True)


# The six critical questions of the argument from expert opinion (Walton).
_QUESTIONS = (
    ("expertise", "How credible is the expert as a source?"),
    ("field", "Is the expert an expert in the field the claim is in?"),
    ("opinion", "What did the expert assert that implies the claim?"),
    ("trustworthiness", "Is the expert personally reliable as a source?"),
    ("consistency", "Is the claim consistent with what other sources say?"),
    ("backup_evidence", "Is the expert's assertion based on evidence?"),
)
_FIELD_WORDS = ("relationship", "sex", "couple", "marriage", "therap", "intimacy")


@fill_doc
def expert_questions(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Hold each quoted expert against the six critical questions of expert opinion.

    The questions are Walton's, for the argument "E is an expert in field F;
    E says that A; so A". Each answer is derived from the data: the
    ``experts`` table (role, whether a source is given, what is known of the
    attribution), the expert's claims, and the research set beside claims
    that share a concept with them in the concept map.

    %(data_dir_returns)s
    pandas.DataFrame
        ``expert_id``, ``question`` (a short name), ``asks``, ``answer``
        (``yes``, ``no``, ``partly`` or ``unknown``) and ``reason``, six
        rows per expert in the order of the questions.

    Examples
    --------
    >>> qs = expert_questions()
    >>> qs.set_index(["expert_id", "question"]).loc[("gottman", "backup_evidence"), "answer"]
    'no'
    """
    experts = _table("experts", data_dir=data_dir)
    claims = _table("claims", data_dir=data_dir)
    relations = _table("relations", data_dir=data_dir)
    audit = claim_audit(data_dir=data_dir).set_index("claim_id")
    evidence = _table("evidence", data_dir=data_dir)
    rows = []
    for e in experts.itertuples(index=False):
        mine = claims[claims.claimant == e.expert_id]
        quotes = " / ".join(f"“{q}”" for q in mine.quote)
        concepts = set(
            relations[relations.claim_id.isin(mine.claim_id)][["source", "target"]].stack()
        )
        concepts -= {"sex", "emotional_intimacy"}  # every claim touches these two
        related = relations[
            (relations.source.isin(concepts) | relations.target.isin(concepts))
            & ~relations.claim_id.isin(mine.claim_id)
        ].claim_id
        checked = sorted(c for c in set(related) if audit.at[c, "references"] > 0)
        own_refs = int(evidence.claim_id.isin(mine.claim_id).sum())
        fits = any(w in e.role.lower() for w in _FIELD_WORDS)
        answers = {
            "expertise": (
                "unknown",
                f"The article names {e.name} with the role “{e.role}” and gives no credentials "
                "or affiliation to check.",
            ),
            "field": (
                "yes" if fits else "unknown",
                f"The stated role, “{e.role}”, "
                + (
                    "is in the claim's field: sex and relationships."
                    if fits
                    else "does not name the claim's field."
                ),
            ),
            "opinion": (
                "no" if not e.source_given else "yes",
                f"The article quotes {quotes}; "
                + ("it gives no source, and " if not e.source_given else "")
                + f"what is known of its origin: {e.attribution}.",
            ),
            "trustworthiness": (
                "unknown",
                "With no source, the quote cannot be checked against what the expert has said "
                "elsewhere, so reliability cannot be judged here.",
            ),
            "consistency": (
                "partly" if checked else "unknown",
                (
                    "Research was set beside related claims: "
                    + ", ".join(f"{c} ({audit.at[c, 'verdict']})" for c in checked)
                    + "."
                )
                if checked
                else "No research was set beside any related claim.",
            ),
            "backup_evidence": (
                "partly" if e.source_given else "no",
                "The quote comes with no evidence of its own"
                + (
                    f"; this project set {own_refs} studies beside it (see the audit), "
                    "which are ours, not the expert's."
                    if own_refs
                    else "; this project set no studies beside it."
                ),
            ),
        }
        for key, asks in _QUESTIONS:
            answer, reason = answers[key]
            rows.append(
                {
                    "expert_id": e.expert_id,
                    "question": key,
                    "asks": asks,
                    "answer": answer,
                    "reason": reason,
                }
            )
    return pd.DataFrame(rows, columns=["expert_id", "question", "asks", "answer", "reason"])


#: The organisation that publishes the reviews (ClaimReview ``author``).
PROJECT_NAME = "The intimacy-explainer project"
#: The page, relative to the site's root, where each claim's review is shown.
REVIEW_PAGE = "05-claims-and-evidence.html"
#: How a rating is derived, said once for every review.
RATING_RULE = (
    "Rating from the verdict (the direction of the claim's body of evidence: every study its "
    "family's protocol included) and its GRADE certainty by the project's ratings table; a claim "
    "backed only indirectly (animals, a nasal spray, a different outcome) gets at most 3."
)


@fill_doc
def claim_reviews(*, base_url: str = "", data_dir: PathLike | None = None) -> list[dict]:
    """Return schema.org ClaimReview objects for every assessed claim.

    A claim is *assessed* when published research was set beside it, so it
    has a verdict, a certainty and a rating (see :func:`claim_audit`).
    ``reviewRating`` uses the 1 (false) to 5 (true) scale: ``ratingValue``
    from the ``ratings`` table, ``alternateName`` its words,
    ``ratingExplanation`` the verdict, the certainty, the studies that
    decided and the rating rule (:data:`RATING_RULE`).

    Parameters
    ----------
    base_url : str, default ""
        Where the site is published; each review's ``url`` is
        ``base_url + REVIEW_PAGE + "#" + claim_id`` (relative when empty).
    %(data_dir_last_returns)s
    list of dict
        JSON-LD objects, in claim order; no dates, so the output is the same
        on every run.

    Examples
    --------
    >>> reviews = claim_reviews()
    >>> reviews[0]["@type"], reviews[0]["reviewRating"]["bestRating"], reviews[0]["author"]["name"]
    ('ClaimReview', 5, 'The intimacy-explainer project')
    """
    audit = claim_audit(data_dir=data_dir)
    claims = _table("claims", data_dir=data_dir).set_index("claim_id")
    sections = _table("sections", data_dir=data_dir).set_index("section_id")
    ratings = _table("ratings", data_dir=data_dir)
    meaning = {
        (str(v), str(c)): str(m)
        for v, c, m in zip(ratings.verdict, ratings.certainty, ratings.meaning, strict=True)
    }
    title = str(sections.at["title", "title"])
    reviews = []
    for row in audit[audit.rating.notna()].itertuples(index=False):
        claim = claims.loc[row.claim_id]
        certainty = str(row.certainty).replace("_", " ")
        explanation = (
            f"{str(row.verdict).replace('_', ' ').capitalize()}, {certainty} certainty: "
            f"{meaning[(str(row.verdict), str(row.certainty))]} "
            + ("Backed only indirectly. " if row.indirect_only else "")
            + f"Body of evidence: {row.best_evidence}. "
            + (f"Direction: {row.direction}. " if row.direction else "")
            + RATING_RULE
        )
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "identifier": row.claim_id,
                "url": f"{base_url}{REVIEW_PAGE}#{row.claim_id}",
                "claimReviewed": row.statement,
                "author": {"@type": "Organization", "name": PROJECT_NAME},
                "itemReviewed": {
                    "@type": "Claim",
                    "text": claim["quote"],
                    "appearance": {"@type": "Article", "headline": title},
                    "author": {"@type": "Organization", "name": "the article's author (not named)"},
                },
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": int(row.rating),
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": str(row.rating_name),
                    "ratingExplanation": explanation,
                },
            }
        )
    return reviews


@fill_doc
def claims_by_part(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return how many claims of each type every top-level part of the article makes.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per top-level part that makes claims, in reading order
        (index: the part's ``section_id``), one column per claim type in
        the descriptor's order, and ``total``.

    Examples
    --------
    >>> table = claims_by_part()
    >>> int(table.total.sum()) == len(load("claims"))
    True
    """
    claims = _table("claims", data_dir=data_dir)
    sections = _table("sections", data_dir=data_dir)
    parent = dict(zip(sections.section_id, sections.parent_id, strict=True))
    start = dict(zip(sections.section_id, sections.start, strict=True))
    part = [sid if parent[sid] == "article" else parent[sid] for sid in claims.section_id]
    table = pd.crosstab(pd.Series(part, name="part"), claims.claim_type, dropna=False)
    table = table.reindex(columns=claims.claim_type.cat.categories, fill_value=0)
    table = table.loc[sorted(table.index, key=start.get)]
    table.columns = [str(c) for c in table.columns]
    table["total"] = table.sum(axis=1)
    return table
