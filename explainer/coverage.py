"""Coverage: every sentence of the article is a claim, or is marked as not one."""

from __future__ import annotations

import os
import re

import pandas as pd

from explainer._docs import fill_doc
from explainer.article import article_text
from explainer.tables import load

__all__ = ["coverage", "sentences", "unaccounted"]

# A sentence ends at . ! ? (maybe followed by a closing quote or bracket)
# before white space; "Dr." is an abbreviation, not an ending.
_END = re.compile(r"(?<!\bDr\.)(?<=[.!?])[\"”’)]*\s+")


@fill_doc
def sentences(*, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return every sentence of the article, with its leaf section and offsets.

    Each non-blank line is split at sentence ends; a heading or a line
    without a full stop is one unit.

    %(data_dir_returns)s
    pandas.DataFrame
        Columns ``section_id``, ``start``, ``end``, ``text``, in reading order.

    Examples
    --------
    >>> s = sentences()
    >>> s.iloc[0].text
    'Exploring the Connection: Why Sex Is Good for Emotional Intimacy'
    """
    text = article_text(data_dir=data_dir)
    sections = load("sections", data_dir=data_dir)
    leaves = sections[~sections.section_id.isin(sections.parent_id.dropna())]
    rows = []
    for leaf in leaves.itertuples(index=False):
        for line in re.finditer(r"[^\r\n]+", text[leaf.start : leaf.end]):
            offset = leaf.start + line.start()
            pos = 0
            raw = line.group()
            for cut in [*(m.end() for m in _END.finditer(raw)), len(raw)]:
                piece = raw[pos:cut]
                stripped = piece.strip()
                if stripped:
                    s = offset + pos + (len(piece) - len(piece.lstrip()))
                    rows.append((leaf.section_id, s, s + len(stripped), stripped))
                pos = cut
    frame = pd.DataFrame(rows, columns=["section_id", "start", "end", "text"])
    return frame.sort_values("start", kind="stable").reset_index(drop=True)


def _accounting(data_dir) -> pd.DataFrame:
    text = article_text(data_dir=data_dir)
    sections = load("sections", data_dir=data_dir).set_index("section_id")
    spans: list[tuple[int, int, str, str]] = []
    for table, id_col in (("claims", "claim_id"), ("non_claims", "span_id")):
        frame = load(table, data_dir=data_dir)
        for row in frame.itertuples(index=False):
            start = text.find(
                row.quote, sections.at[row.section_id, "start"], sections.at[row.section_id, "end"]
            )
            if start >= 0:
                spans.append((start, start + len(row.quote), table, getattr(row, id_col)))
    sents = sentences(data_dir=data_dir)
    claimed, marked = [], []
    for s in sents.itertuples(index=False):
        hits = [(t, i) for a, b, t, i in spans if a < s.end and b > s.start]
        claimed.append(";".join(i for t, i in hits if t == "claims"))
        marked.append(";".join(i for t, i in hits if t == "non_claims"))
    sents["claims"] = claimed
    sents["non_claims"] = marked
    sents["status"] = [
        "claim" if c else ("not_a_claim" if n else "unaccounted")
        for c, n in zip(claimed, marked, strict=True)
    ]
    return sents


@fill_doc
def unaccounted(*, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return the sentences that overlap no claim and no non-claim (ideally none).

    %(data_dir_returns)s
    pandas.DataFrame
        Columns as :func:`sentences`, plus ``claims``, ``non_claims`` and ``status``.

    Examples
    --------
    >>> len(unaccounted())
    0
    """
    acc = _accounting(data_dir)
    return acc[acc.status == "unaccounted"].reset_index(drop=True)


@fill_doc
def coverage(*, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return, per top-level part of the article, how its sentences are accounted for.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per part (``intro``, ``s1`` ... ``comment-form``) in reading
        order, with the counts of sentences that are ``claim``,
        ``not_a_claim`` and ``unaccounted``, their ``total`` and the share
        ``accounted`` (0 to 1).

    Examples
    --------
    >>> cov = coverage()
    >>> int(cov.unaccounted.sum())
    0
    """
    acc = _accounting(data_dir)
    sections = load("sections", data_dir=data_dir)
    parent = dict(zip(sections.section_id, sections.parent_id, strict=True))
    acc["part"] = [sid if parent[sid] == "article" else parent[sid] for sid in acc.section_id]
    order = list(dict.fromkeys(acc.part))
    table = pd.crosstab(acc.part, acc.status).reindex(order)
    for col in ("claim", "not_a_claim", "unaccounted"):
        if col not in table:
            table[col] = 0
    table = table[["claim", "not_a_claim", "unaccounted"]]
    table["total"] = table.sum(axis=1)
    table["accounted"] = (table.claim + table.not_a_claim) / table.total
    table.columns.name = None
    return table.reset_index()
