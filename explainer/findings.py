"""What we found: the audit's bottom line, each sentence with the claims it counts.

The first thing a reader sees, in notebook 00 and on the site's index. Nothing
here is written by hand: the sentences are the audit's own
(:func:`explainer.audit.summary_statements`), and each is paired with the
claims it counts, selected from :func:`explainer.audit.claim_audit` by the same
rule the sentence states, and with the place in the notebooks where a reader
looks next. A test checks that every number in a sentence is the size of
its selection.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pandas as pd

from explainer._docs import fill_doc
from explainer.audit import (
    claim_audit,
    family_summary,
    summary_statements,
    verdict_certainty_table,
)

__all__ = [
    "AUDIT_NOTEBOOK",
    "Finding",
    "findings",
    "findings_markdown",
    "strongest_claims",
    "verdict_certainty_claims",
]

PathLike = str | os.PathLike[str]

#: The notebook that holds the audit, where most findings point.
AUDIT_NOTEBOOK = "05-claims-and-evidence"


@dataclass(frozen=True)
class Finding:
    """One sentence of what we found, the claims it counts and where to look next.

    Attributes
    ----------
    sentence : str
        The sentence, as :func:`explainer.audit.summary_statements` words it.
    claim_ids : tuple of str
        The claims the sentence counts, in claim order; empty for a sentence
        that counts no claims (the references read).
    notebook : str
        The notebook to open next, without its suffix.
    section : str
        The heading in that notebook where the detail is; empty for the
        notebook's top.
    """

    sentence: str
    claim_ids: tuple[str, ...]
    notebook: str
    section: str

    @property
    def anchor(self) -> str:
        """The heading's anchor as JupyterLab and nbconvert write it: spaces become ``-``.

        Examples
        --------
        >>> Finding("", (), "05-claims-and-evidence", "The claims, graded").anchor
        'The-claims,-graded'
        """
        return self.section.replace(" ", "-")

    def link(self, suffix: str = ".ipynb") -> str:
        """Return the relative link to the section: a notebook (``.ipynb``) or its page (``.html``).

        Examples
        --------
        >>> Finding("", (), "05-claims-and-evidence", "The claims, graded").link(".html")
        '05-claims-and-evidence.html#The-claims,-graded'
        """
        return f"{self.notebook}{suffix}" + (f"#{self.anchor}" if self.section else "")


def _empirical(audit: pd.DataFrame) -> pd.Series:
    return audit.status.notna()


def _checked(audit: pd.DataFrame) -> pd.Series:
    return _empirical(audit) & (audit.verdict != "not_checked")


# Each sentence of summary_statements is recognised by words it always holds, and
# paired with the rule that selects the claims it counts and the section that shows them.
# (phrase, selection of claim_audit rows or None, section of the audit notebook)
_SENTENCES = (
    ("assert something about the world", _empirical, "What the article itself offers"),
    ("set beside published research", _checked, "The claims, graded"),
    (
        "low or very low certainty",
        lambda a: _checked(a) & a.certainty.isin(["low", "very_low"]),
        "The claims, graded",
    ),
    (
        "which came first is not known",
        lambda a: (
            _checked(a) & (a.kind == "effect") & a.direction.astype(str).str.startswith("not known")
        ),
        "How the research is graded",
    ),
    (
        "backed only indirectly",
        lambda a: _checked(a) & a.indirect_only.astype(bool),
        "How the research is graded",
    ),
    ("rate 4 or 5", lambda a: _checked(a) & (a.rating.fillna(0) >= 4), "Each family of claims"),
    (
        "points both ways",
        lambda a: _checked(a) & a.verdict.isin(["mixed", "doubtful", "contradicted"]),
        "Each family of claims",
    ),
    ("published works were read", None, "How the research is graded"),
)


@fill_doc
def findings(*, data_dir: PathLike | None = None) -> list[Finding]:
    """Return what we found: the audit's summary sentences, each with the claims it counts.

    %(data_dir_returns)s
    list of Finding
        One per sentence of :func:`explainer.audit.summary_statements`, in
        its order. A sentence this module does not recognise keeps no claims
        and points to the top of the audit notebook (a test insists that
        every sentence is recognised).

    Examples
    --------
    >>> first = findings()[0]
    >>> first.sentence.startswith("The article makes ")
    True
    >>> str(len(first.claim_ids)) in first.sentence, first.link()
    (True, '05-claims-and-evidence.ipynb#What-the-article-itself-offers')
    """
    audit = claim_audit(data_dir=data_dir)
    out = []
    for sentence in summary_statements(data_dir=data_dir):
        rule = next((r for r in _SENTENCES if r[0] in sentence), None)
        if rule is None:
            out.append(Finding(sentence, (), AUDIT_NOTEBOOK, ""))
            continue
        _, select, section = rule
        ids = () if select is None else tuple(audit.claim_id[select(audit)].astype(str))
        out.append(Finding(sentence, ids, AUDIT_NOTEBOOK, section))
    return out


@fill_doc
def strongest_claims(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the claims the article itself says research backs, with what research says.

    These are the article's strongest claims in its own terms: the ones it
    cites (``cited_unresolved``) or for which it says "studies have shown"
    or "science backs" (``appeals_to_research``).

    %(data_dir_returns)s
    pandas.DataFrame
        ``claim_id``, ``statement``, ``evidence_status`` (what the article
        offers), ``verdict``, ``certainty``, ``rating_name`` and ``family``
        (the title of the claim's family: its heading in the audit
        notebook), in claim order.

    Examples
    --------
    >>> strongest_claims().columns.tolist()
    ['claim_id', 'statement', 'evidence_status', 'verdict', 'certainty', 'rating_name', 'family']
    """
    audit = claim_audit(data_dir=data_dir)
    strong = audit[audit.evidence_status.isin(["cited_unresolved", "appeals_to_research"])]
    titles = family_summary(data_dir=data_dir).drop_duplicates("family_id")
    titles = dict(zip(titles.family_id, titles.title, strict=True))
    table = strong[
        ["claim_id", "statement", "evidence_status", "verdict", "certainty", "rating_name"]
    ].copy()
    table["family"] = strong.family_id.map(titles)
    return table.reset_index(drop=True)


@fill_doc
def verdict_certainty_claims(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the empirical claims by verdict and certainty, with the claims in each cell.

    The long form of :func:`explainer.audit.verdict_certainty_table`: one
    row per verdict and certainty that occurs, in the verdicts' order and
    then from high certainty to ``not checked``.

    %(data_dir_returns)s
    pandas.DataFrame
        ``verdict`` (its code), ``certainty`` (in words, as the table's
        columns: ``high`` ... ``very low``, ``not checked``), ``claims``
        (how many) and ``claim_ids`` (a tuple, in claim order).

    Examples
    --------
    >>> cells = verdict_certainty_claims()
    >>> int(cells.claims.sum()) == int(verdict_certainty_table().loc["total", "total"])
    True
    >>> all(len(ids) == n for ids, n in zip(cells.claim_ids, cells.claims))
    True
    """
    audit = claim_audit(data_dir=data_dir)
    empirical = audit[_empirical(audit)]
    words = empirical.certainty.astype(object).map(
        lambda c: "not checked" if c is None or c != c else str(c).replace("_", " ")
    )
    wide = verdict_certainty_table(data_dir=data_dir)
    rows = []
    for v in wide.index.drop("total"):
        for c in wide.columns.drop("total"):
            ids = tuple(empirical.claim_id[(empirical.verdict == v) & (words == c)].astype(str))
            if ids:
                rows.append({"verdict": v, "certainty": c, "claims": len(ids), "claim_ids": ids})
    return pd.DataFrame(rows, columns=["verdict", "certainty", "claims", "claim_ids"])


# What Markdown reads as markup inside a list item's text; a sentence may quote the data.
_MARKUP = re.compile(r"([\\`*_\[\]<>&~])")


def _markdown_text(text: str) -> str:
    """Escape ``text`` for a Markdown list item: no markup, no line breaks."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def findings_markdown(*, suffix: str = ".ipynb", data_dir: PathLike | None = None) -> str:
    """Return what we found as a Markdown list: each sentence, then a link to where to look.

    Text from the data is escaped, so a claim's words can add no markup.

    Parameters
    ----------
    suffix : str, default ".ipynb"
        How the links name the notebooks: ``.ipynb`` in JupyterLab,
        ``.html`` on the site.
    data_dir : str or path-like, optional

    Returns
    -------
    str

    Examples
    --------
    >>> print(findings_markdown().splitlines()[0])  # doctest: +ELLIPSIS
    - The article makes ... (look next: [05: What the article itself offers](05-...-offers))
    """
    lines = []
    for f in findings(data_dir=data_dir):
        where = _markdown_text(f"{f.notebook[:2]}: {f.section or 'the audit'}")
        lines.append(f"- {_markdown_text(f.sentence)} (look next: [{where}]({f.link(suffix)}))")
    return "\n".join(lines)
