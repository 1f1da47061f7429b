"""Provenance of interpretive rows: what the article says, and what we read into it.

Every row that interprets the article (a relation, a loop, a challenge's
threat, a practice's mechanism, an FAQ's concept) carries a ``basis``:

- ``stated``: the quote says it, in the article's words or a plain paraphrase;
- ``implied``: the quote presupposes it; ``basis_note`` says how;
- ``inferred``: our own reading; ``basis_note`` says why.

This module holds that rule once: the checks :func:`validate` runs, and the
counts the notebooks report.
"""

from __future__ import annotations

import pandas as pd

from explainer.errors import Problem

__all__ = ["BASES", "INTERPRETIVE", "basis_counts", "provenance_problems"]

#: The three bases, from the article's own words to our reading.
BASES = ("stated", "implied", "inferred")

#: The interpretive tables, each with the column whose link the basis describes
#: (``None``: the whole row is the link, so every row needs a basis).
INTERPRETIVE = {
    "relations": None,
    "loops": None,
    "challenges": "threatens",
    "practices": "mechanism_id",
    "faq_links": None,
}

_NEEDS_NOTE = {"implied", "inferred"}


def _blank(value) -> bool:
    return pd.isna(value) or str(value).strip() == ""


def provenance_problems(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    """Return every interpretive row whose provenance is missing (empty if none).

    A row needs a ``basis`` when the link it describes is filled (for
    ``challenges``, when ``threatens`` names a mechanism; a challenge that
    threatens nothing must have no basis). An ``implied`` or ``inferred``
    row needs a ``basis_note``. Claims marked ``empirical`` may not have the
    evidence status ``not_applicable``, and claims not marked empirical must
    have it: the type of a claim never shields it from the evidence audit.

    Parameters
    ----------
    frames : dict of str to DataFrame
        The tables, loaded; tables that are absent are skipped.
    files : dict of str to str
        Each table's file name, for the messages.

    Returns
    -------
    list of Problem
        Each naming the file, the row (as in the CSV, header = 1), the column
        and the value.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"relation_id": ["r001"], "basis": ["inferred"], "basis_note": [""]})
    >>> [str(p) for p in provenance_problems({"relations": rows}, {"relations": "relations.csv"})]
    ["relations.csv, row 2, column 'basis_note', value '': an inferred row needs a note saying why"]
    """
    problems: list[Problem] = []
    for name, link in INTERPRETIVE.items():
        frame = frames.get(name)
        if frame is None or "basis" not in frame.columns:
            continue
        file = files.get(name, f"{name}.csv")
        rownos = frame.attrs.get("row_numbers") or list(range(2, len(frame) + 2))
        notes = (
            frame["basis_note"]
            if "basis_note" in frame.columns
            else pd.Series([pd.NA] * len(frame))
        )
        for i, basis, note, target in zip(
            rownos,
            frame["basis"],
            notes,
            frame[link] if link else [pd.NA] * len(frame),
            strict=True,
        ):
            if link and _blank(target):
                if not _blank(basis):
                    problems.append(
                        Problem(
                            file,
                            f"a basis without a {link} link: leave basis empty",
                            row=i,
                            column="basis",
                            value=str(basis),
                        )
                    )
                continue
            if _blank(basis):
                problems.append(
                    Problem(
                        file,
                        "an interpretive row needs a basis: stated, implied or inferred",
                        row=i,
                        column="basis",
                        value="",
                    )
                )
            elif str(basis) in _NEEDS_NOTE and _blank(note):
                how = "how the quote presupposes it" if str(basis) == "implied" else "why"
                problems.append(
                    Problem(
                        file,
                        f"an {basis} row needs a note saying {how}",
                        row=i,
                        column="basis_note",
                        value="",
                    )
                )
    problems += _empirical_problems(frames.get("claims"), files.get("claims", "claims.csv"))
    return problems


def _empirical_problems(claims: pd.DataFrame | None, file: str) -> list[Problem]:
    if claims is None or "empirical" not in claims.columns:
        return []
    problems = []
    rownos = claims.attrs.get("row_numbers") or list(range(2, len(claims) + 2))
    for i, empirical, status in zip(
        rownos, claims["empirical"], claims["evidence_status"], strict=True
    ):
        if pd.isna(empirical) or pd.isna(status):
            continue  # reported by the schema checks
        if bool(empirical) and str(status) == "not_applicable":
            problems.append(
                Problem(
                    file,
                    "an empirical claim needs an evidence status other than not_applicable",
                    row=i,
                    column="evidence_status",
                    value=str(status),
                )
            )
        elif not bool(empirical) and str(status) != "not_applicable":
            problems.append(
                Problem(
                    file,
                    "a claim that is not empirical has the evidence status not_applicable",
                    row=i,
                    column="evidence_status",
                    value=str(status),
                )
            )
    return problems


def basis_counts(frame: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame | pd.Series:
    """Count the rows of an interpretive table (or any frame with ``basis``) by basis.

    Parameters
    ----------
    frame : DataFrame
        Any table with a ``basis`` column.
    by : str, optional
        A second column to count by (e.g. ``link_type``).

    Returns
    -------
    Series or DataFrame
        Without ``by``: a Series indexed by the three bases (zeros kept), in
        the order stated, implied, inferred. With ``by``: a DataFrame, one row
        per value of ``by``, one column per basis and a ``total``.

    Examples
    --------
    >>> import pandas as pd
    >>> basis_counts(pd.DataFrame({"basis": ["stated", "inferred", "stated"]})).to_dict()
    {'stated': 2, 'implied': 0, 'inferred': 1}
    """
    basis = frame["basis"].astype(str)
    if by is None:
        return basis.value_counts().reindex(list(BASES), fill_value=0).rename("rows")
    table = pd.crosstab(frame[by].astype(str), basis).reindex(columns=list(BASES), fill_value=0)
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    return table
