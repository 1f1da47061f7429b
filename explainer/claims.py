"""Claims in context: where a claim sits, and the paragraph around its quote."""

from __future__ import annotations

import os

import pandas as pd

from explainer._docs import fill_doc
from explainer.article import article_text
from explainer.errors import DataError, Problem
from explainer.tables import load

__all__ = ["section_path", "trace"]


@fill_doc
def section_path(section_id: str, *, data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Return the titles from the top-level part down to ``section_id``.

    Parameters
    ----------
    section_id : str
    %(data_dir_last_returns)s
    list of str
        E.g. ``['3. Biological Underpinnings of Sex and Emotional Bonds', '3.A Oxytocin']``.

    Raises
    ------
    KeyError
        If there is no such section.

    Examples
    --------
    >>> section_path("s3a")
    ['3. Biological Underpinnings of Sex and Emotional Bonds', '3.A Oxytocin']
    """
    sections = load("sections", data_dir=data_dir).set_index("section_id")
    if section_id not in sections.index:
        raise KeyError(f"no section {section_id!r}")
    path = []
    current = section_id
    while current is not None and current != "article":
        row = sections.loc[current]
        number = row["number"]
        if row["kind"] == "section":
            path.append(f"{number}. {row['title']}")
        elif not pd.isna(number):
            path.append(f"{number} {row['title']}")
        else:
            path.append(str(row["title"]))
        parent = row["parent_id"]
        current = None if pd.isna(parent) else parent
    return path[::-1]


@fill_doc
def trace(claim_id: str, *, data_dir: str | os.PathLike[str] | None = None) -> str:
    """Return a claim shown in its paragraph, with the path of its section.

    The quote is marked with ``>>`` and ``<<`` inside its paragraph.

    Parameters
    ----------
    claim_id : str
    %(data_dir_last_returns)s
    str

    Raises
    ------
    KeyError
        If there is no such claim.
    DataError
        If the claim's quote is not in the article inside its section.

    Examples
    --------
    >>> print(trace("c029").splitlines()[0])
    c029 · 3. Biological Underpinnings of Sex and Emotional Bonds · 3.A Oxytocin
    """
    table = load("claims", data_dir=data_dir)
    claims = table.set_index("claim_id")
    if claim_id not in claims.index:
        example = f"; claim ids look like {claims.index[0]!r}" if len(claims) else ""
        raise KeyError(f"no claim {claim_id!r}{example}")
    claim = claims.loc[claim_id]
    if isinstance(claim, pd.DataFrame):  # a key repeated in a table loaded without its checks
        claim = claim.iloc[0]
    sections = load("sections", data_dir=data_dir).set_index("section_id")
    text = article_text(data_dir=data_dir)
    start, end = (
        int(sections.at[claim["section_id"], "start"]),
        int(sections.at[claim["section_id"], "end"]),
    )
    at = -1 if pd.isna(claim["quote"]) else text.find(claim["quote"], start, end)
    if at < 0:
        rows = table.attrs.get("row_numbers") or range(2, len(table) + 2)
        raise DataError(
            [
                Problem(
                    "claims.csv",
                    f"the quote is not in the article inside its section "
                    f"{claim['section_id']!r}; nothing to show",
                    row=rows[list(table["claim_id"]).index(claim_id)],
                    column="quote",
                    value=claim["quote"],
                )
            ]
        )
    para_start = text.rfind("\n\n", 0, at) + 2 if text.rfind("\n\n", 0, at) >= 0 else 0
    para_end = text.find("\n\n", at)
    para_end = len(text) if para_end < 0 else para_end
    stop = at + len(claim["quote"])
    paragraph = text[para_start:at] + ">>" + claim["quote"] + "<<" + text[stop:para_end]
    head = " · ".join([claim_id, *section_path(claim["section_id"], data_dir=data_dir)])
    facts = (
        f"{claim['claim_type']} · claimant: {claim['claimant']} "
        f"· support: {claim['evidence_status']}"
    )
    return f"{head}\n{facts}\n\n{paragraph.strip()}"
