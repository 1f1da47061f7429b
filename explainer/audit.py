"""The evidence audit: what supports each claim, in the article and in research.

Two questions are kept apart. *What does the article offer?* is the claim's
``evidence_status`` (a citation that resolves nowhere, an appeal to "studies",
an unsourced expert, nothing). *What does published research say?* is the set
of bearings of the references set beside the claim in the ``evidence`` table,
summarised into one verdict by the rules of the ``verdicts`` table.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

from explainer.tables import load

__all__ = [
    "BEARINGS",
    "citation_audit",
    "claim_audit",
    "claim_reviews",
    "claims_by_part",
    "evidence_table",
    "expert_questions",
    "verdict",
]

PathLike = str | os.PathLike[str]

#: The bearings a reference can have on a claim, from most to least favourable.
BEARINGS = ("supports", "partly_supports", "complicates", "contradicts")


def verdict(bearings: Iterable[str], *, assessable: bool = True) -> str:
    """Summarise the bearings of a claim's references into one verdict.

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

    Parameters
    ----------
    bearings : iterable of str
        The bearings of the claim's references (see :data:`BEARINGS`).
    assessable : bool, default True
        False for claims that are not empirical.

    Returns
    -------
    str

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


def claim_audit(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return one row per claim: what the article offers and what research says.

    Parameters
    ----------
    data_dir : str or path-like, optional

    Returns
    -------
    pandas.DataFrame
        ``claim_id``, ``section_id``, ``claim_type``, ``statement``,
        ``citation``, ``evidence_status`` (what the article offers),
        ``hedge``, one count column per bearing, ``references`` (their
        total), ``verdict`` (an ordered categorical, best first, in the
        order of the ``verdicts`` table) and ``rating`` (1 to 5, missing
        where there is none), in claim order.

    Examples
    --------
    >>> audit = claim_audit()
    >>> audit.set_index("claim_id").loc["c029", "verdict"]
    'mixed'
    """
    claims = load("claims", data_dir=data_dir)
    evidence = load("evidence", data_dir=data_dir)
    verdicts = load("verdicts", data_dir=data_dir)
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
    for b in BEARINGS:
        frame[b] = frame.claim_id.map(counts[b]).fillna(0).astype(int)
    frame["references"] = frame[list(BEARINGS)].sum(axis=1)
    by_claim = evidence.groupby(evidence.claim_id.astype(str))["bearing"].agg(
        lambda s: [str(b) for b in s]
    )
    frame["verdict"] = [
        verdict(by_claim.get(cid, []), assessable=status != "not_applicable")
        for cid, status in zip(frame.claim_id, frame.evidence_status.astype(str), strict=True)
    ]
    order = [str(v) for v in verdicts.verdict]
    frame["verdict"] = pd.Categorical(frame["verdict"], categories=order, ordered=True)
    ratings = dict(zip(verdicts.verdict.astype(str), verdicts.rating, strict=True))
    frame["rating"] = pd.array([ratings[str(v)] for v in frame.verdict], dtype="Int64")
    return frame.reset_index(drop=True)


def evidence_table(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return every claim-reference pair with the claim's words and the study's finding.

    Parameters
    ----------
    data_dir : str or path-like, optional

    Returns
    -------
    pandas.DataFrame
        ``claim_id``, ``statement``, ``ref_id``, ``authors``, ``year``,
        ``bearing``, ``finding``, sorted by claim, then from the most
        favourable bearing to the least, then by reference.

    Examples
    --------
    >>> evidence_table().columns.tolist()[:3]
    ['claim_id', 'statement', 'ref_id']
    """
    evidence = load("evidence", data_dir=data_dir)
    claims = load("claims", data_dir=data_dir)[["claim_id", "statement"]]
    refs = load("references", data_dir=data_dir)[["ref_id", "authors", "year"]]
    frame = evidence.merge(claims, on="claim_id", how="left").merge(refs, on="ref_id", how="left")
    frame = frame.sort_values(["claim_id", "bearing", "ref_id"], kind="stable")
    cols = ["claim_id", "statement", "ref_id", "authors", "year", "bearing", "finding"]
    return frame[cols].reset_index(drop=True)


def citation_audit(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the citation markers with the claims they sit on and their status.

    Parameters
    ----------
    data_dir : str or path-like, optional

    Returns
    -------
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
    citations = load("citations", data_dir=data_dir)
    claims = load("claims", data_dir=data_dir)[["claim_id", "section_id", "quote"]]
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


def expert_questions(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Hold each quoted expert against the six critical questions of expert opinion.

    The questions are Walton's, for the argument "E is an expert in field F;
    E says that A; so A". Each answer is derived from the data: the
    ``experts`` table (role, whether a source is given, what is known of the
    attribution), the expert's claims, and the research set beside claims
    that share a concept with them in the concept map.

    Parameters
    ----------
    data_dir : str or path-like, optional

    Returns
    -------
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
    experts = load("experts", data_dir=data_dir)
    claims = load("claims", data_dir=data_dir)
    relations = load("relations", data_dir=data_dir)
    audit = claim_audit(data_dir=data_dir).set_index("claim_id")
    evidence = load("evidence", data_dir=data_dir)
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
                "no" if own_refs == 0 and not e.source_given else "partly",
                f"The quote comes with no evidence; {own_refs} references are attached to it "
                "in this project, because none was found.",
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


def claim_reviews(*, data_dir: PathLike | None = None) -> list[dict]:
    """Return schema.org ClaimReview objects for every assessed claim.

    A claim is *assessed* when published research was set beside it, so its
    verdict has a rating. ``reviewRating`` uses the scale of the
    ``verdicts`` table: ``ratingValue`` 1 (contradicted) to 5 (supported),
    ``alternateName`` the verdict in words, ``ratingExplanation`` the
    count of references by bearing.

    Parameters
    ----------
    data_dir : str or path-like, optional

    Returns
    -------
    list of dict
        JSON-LD objects, in claim order; no dates, so the output is the same
        on every run.

    Examples
    --------
    >>> reviews = claim_reviews()
    >>> reviews[0]["@type"], reviews[0]["reviewRating"]["bestRating"]
    ('ClaimReview', 5)
    """
    audit = claim_audit(data_dir=data_dir)
    claims = load("claims", data_dir=data_dir).set_index("claim_id")
    sections = load("sections", data_dir=data_dir).set_index("section_id")
    verdicts = load("verdicts", data_dir=data_dir).set_index("verdict")
    title = str(sections.at["title", "title"])
    reviews = []
    for row in audit[audit.rating.notna()].itertuples(index=False):
        counts = ", ".join(
            f"{getattr(row, b)} {b.replace('_', ' ')}" for b in BEARINGS if getattr(row, b)
        )
        claim = claims.loc[row.claim_id]
        meaning = verdicts.at[str(row.verdict), "meaning"]
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "identifier": row.claim_id,
                "claimReviewed": row.statement,
                "author": {"@type": "Organization", "name": "explainer"},
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
                    "alternateName": str(row.verdict).replace("_", " "),
                    "ratingExplanation": f"{meaning} References: {counts}.",
                },
            }
        )
    return reviews


def claims_by_part(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return how many claims of each type every top-level part of the article makes.

    Parameters
    ----------
    data_dir : str or path-like, optional

    Returns
    -------
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
    claims = load("claims", data_dir=data_dir)
    sections = load("sections", data_dir=data_dir)
    parent = dict(zip(sections.section_id, sections.parent_id, strict=True))
    start = dict(zip(sections.section_id, sections.start, strict=True))
    part = [sid if parent[sid] == "article" else parent[sid] for sid in claims.section_id]
    table = pd.crosstab(pd.Series(part, name="part"), claims.claim_type, dropna=False)
    table = table.reindex(columns=claims.claim_type.cat.categories, fill_value=0)
    table = table.loc[sorted(table.index, key=start.get)]
    table.columns = [str(c) for c in table.columns]
    table["total"] = table.sum(axis=1)
    return table
