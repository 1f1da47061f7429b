"""The FAQ as data: what each question asks, what each answer relies on and echoes.

The ``faqs`` table holds the five questions and answers, with the kind of
question and the stance of the answer; ``faq_links`` links each answer to the
concepts of the concept map it relies on, and to the body section that says
the same, where one does. From these follow the FAQ-by-concept matrix, the
concepts of the body that no answer touches, and what the answers say that
the body never does.
"""

from __future__ import annotations

import os

import pandas as pd

from explainer._cache import derived
from explainer._docs import fill_doc
from explainer.tables import load

__all__ = [
    "faq_concept_matrix",
    "faq_echoes",
    "faq_only",
    "faq_overview",
    "faq_reach",
    "untouched_concepts",
]

PathLike = str | os.PathLike[str]


def _faq_order(data_dir) -> list[str]:
    """Return the FAQ ids in the order the article prints them."""
    faqs = load("faqs", data_dir=data_dir)
    return faqs.sort_values("number", kind="stable").faq_id.tolist()


def _concept_order(data_dir) -> list[str]:
    """Return the concept ids by kind (the map's left-to-right order), then table order."""
    concepts = load("concepts", data_dir=data_dir)
    return concepts.sort_values("kind", kind="stable").concept_id.tolist()


def _map_concepts(data_dir) -> list[str]:
    """Return the concepts that appear in at least one proposition, in concept order."""
    relations = load("relations", data_dir=data_dir)
    used = set(relations.source) | set(relations.target)
    return [c for c in _concept_order(data_dir) if c in used]


@fill_doc
def faq_overview(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return one row per FAQ entry: its question, kind, stance and links.

    %(data_dir_returns)s
    pandas.DataFrame
        ``faq_id``, ``number``, ``question``, ``question_type``, ``stance``,
        ``claim_id`` (the answer's main claim), ``concepts`` (how many
        concepts the answer relies on), ``echoed`` (how many of those links
        the body also makes), ``faq_only`` (how many it never makes) and
        ``answer``, in the order the article prints them.

    Examples
    --------
    >>> faqs = faq_overview()
    >>> faqs[["number", "question_type", "stance"]].astype(str).values.tolist()[0]
    ['1', 'frequency', 'reframes']
    >>> faqs.concepts.tolist()
    [2, 2, 3, 5, 5]
    """
    faqs = load("faqs", data_dir=data_dir)
    links = load("faq_links", data_dir=data_dir)
    concepts = links.groupby("faq_id").size()
    echoed = links[links.echoes_section_id.notna()].groupby("faq_id").size()
    out = faqs.sort_values("number", kind="stable").copy()
    out["concepts"] = out.faq_id.map(concepts).fillna(0).astype("Int64")
    out["echoed"] = out.faq_id.map(echoed).fillna(0).astype("Int64")
    out["faq_only"] = out["concepts"] - out["echoed"]
    cols = [
        "faq_id",
        "number",
        "question",
        "question_type",
        "stance",
        "claim_id",
        "concepts",
        "echoed",
        "faq_only",
        "answer",
    ]
    return out[cols].reset_index(drop=True)


@fill_doc
def faq_concept_matrix(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return which concepts each FAQ answer relies on, as a 0/1 matrix.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per FAQ entry in the printed order (index ``faq_id``), one
        column per concept that some answer relies on, by concept kind in
        the map's left-to-right order (practices first, outcomes last); 1
        where a ``faq_links`` row links them, 0 elsewhere.

    Examples
    --------
    >>> m = faq_concept_matrix()
    >>> m.shape, int(m.values.sum())
    ((5, 9), 17)
    >>> int(m.loc["faq1", "sex"]), int(m.loc["faq1", "comfort"])
    (1, 0)
    """
    links = load("faq_links", data_dir=data_dir)
    used = set(links.concept_id)
    columns = [c for c in _concept_order(data_dir) if c in used]
    matrix = pd.crosstab(links.faq_id.astype(str), links.concept_id.astype(str))
    matrix = matrix.reindex(index=_faq_order(data_dir), columns=columns, fill_value=0)
    matrix.index.name = "faq_id"
    matrix.columns.name = "concept_id"
    return matrix.astype(int)


def _short_reference(kind: str, number, title: str, parent_number) -> str:
    """Return a compact name for a body section: '5.B', '8', or '7 Gottman'."""
    if kind == "expert":
        surname = str(title).split(",")[0].split()[-1]
        return f"{parent_number} {surname}"
    return str(number)


@derived()
@fill_doc
def faq_echoes(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return every link of an FAQ answer to a concept, with the body section it echoes.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per ``faq_links`` row: ``faq_id``, ``number``,
        ``concept_id``, ``label`` and ``kind`` (of the concept),
        ``echoes_section_id`` (missing where the body never says it),
        ``echoes`` (a short name for that section, e.g. ``'5.B'`` or
        ``'7 Gottman'``), ``echoes_title`` (its heading) and ``note``;
        sorted by FAQ number, then in the matrix's concept order.

    Examples
    --------
    >>> echoes = faq_echoes()
    >>> echoes.loc[echoes.faq_id == "faq4", "echoes"].tolist()
    ['8', '4.B', '4.A', '7 Gottman', '8']
    """
    from explainer.structure import tree

    links = load("faq_links", data_dir=data_dir)
    faqs = load("faqs", data_dir=data_dir)[["faq_id", "number"]]
    concepts = load("concepts", data_dir=data_dir)[["concept_id", "label", "kind"]]
    sections = load("sections", data_dir=data_dir).set_index("section_id")
    labels = tree(data_dir=data_dir).set_index("section_id")["label"]
    frame = links.merge(faqs, on="faq_id", how="left").merge(concepts, on="concept_id", how="left")
    refs, titles = [], []
    for sid in frame.echoes_section_id:
        if pd.isna(sid):
            refs.append(pd.NA)
            titles.append(pd.NA)
            continue
        row = sections.loc[sid]
        parent_number = sections.at[row["parent_id"], "number"]
        refs.append(_short_reference(row["kind"], row["number"], row["title"], parent_number))
        titles.append(labels[sid])
    frame["echoes"] = pd.array(refs, dtype="string")
    frame["echoes_title"] = pd.array(titles, dtype="string")
    rank = {c: i for i, c in enumerate(_concept_order(data_dir))}
    frame["_rank"] = frame.concept_id.map(rank)
    frame = frame.sort_values(["number", "_rank"], kind="stable")
    cols = [
        "faq_id",
        "number",
        "concept_id",
        "label",
        "kind",
        "echoes_section_id",
        "echoes",
        "echoes_title",
        "note",
    ]
    return frame[cols].reset_index(drop=True)


@fill_doc
def faq_only(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return what the FAQ answers say that the body of the article never does.

    These are the ``faq_links`` rows with an empty ``echoes_section_id``:
    the answer relies on the concept in a way no body section does.

    %(data_dir_returns)s
    pandas.DataFrame
        ``faq_id``, ``number``, ``question``, ``concept_id``, ``label`` and
        ``note``, sorted by FAQ number, then concept order.

    Examples
    --------
    >>> only = faq_only()
    >>> only[["faq_id", "concept_id"]].values.tolist()[0]
    ['faq1', 'sex']
    >>> "quality" in only.note.iloc[0].lower()
    True
    """
    echoes = faq_echoes(data_dir=data_dir)
    questions = load("faqs", data_dir=data_dir)[["faq_id", "question"]]
    only = echoes[echoes.echoes_section_id.isna()].merge(questions, on="faq_id", how="left")
    cols = ["faq_id", "number", "question", "concept_id", "label", "note"]
    return only[cols].reset_index(drop=True)


@fill_doc
def untouched_concepts(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the concepts of the body's argument that no FAQ answer touches.

    A concept belongs to the body's argument when it appears in a
    proposition of the ``relations`` table; it is *touched* when some
    ``faq_links`` row links an answer to it.

    %(data_dir_returns)s
    pandas.DataFrame
        ``concept_id``, ``label``, ``kind`` and ``relations`` (how many
        propositions it appears in), by kind in the map's order, then by
        the number of propositions (most first), then by id.

    Examples
    --------
    >>> untouched = untouched_concepts()
    >>> len(untouched)
    28
    >>> sorted(untouched[untouched.kind == "hormone"].concept_id)
    ['dopamine', 'endorphins', 'oxytocin']
    """
    relations = load("relations", data_dir=data_dir)
    links = load("faq_links", data_dir=data_dir)
    concepts = load("concepts", data_dir=data_dir)
    out = concepts[
        concepts.concept_id.isin(_map_concepts(data_dir))
        & ~concepts.concept_id.isin(set(links.concept_id))
    ].copy()
    out["relations"] = pd.array(
        [int(((relations.source == c) | (relations.target == c)).sum()) for c in out.concept_id],
        dtype="Int64",
    )
    out = out.sort_values(["kind", "relations", "concept_id"], ascending=[True, False, True])
    return out[["concept_id", "label", "kind", "relations"]].reset_index(drop=True)


@fill_doc
def faq_reach(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return, per kind of concept, how many of the body's concepts the FAQ touches.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per concept kind, in the map's order: ``kind``,
        ``concepts`` (in at least one proposition), ``touched`` (linked
        from some FAQ answer), ``untouched`` and ``touched_share``
        (missing for a kind with no concepts).

    Examples
    --------
    >>> reach = faq_reach().set_index("kind")
    >>> int(reach.concepts.sum()), int(reach.touched.sum())
    (37, 9)
    >>> int(reach.loc["hormone", "touched"])
    0
    """
    concepts = load("concepts", data_dir=data_dir)
    links = load("faq_links", data_dir=data_dir)
    in_map = concepts[concepts.concept_id.isin(_map_concepts(data_dir))].copy()
    in_map["touched"] = in_map.concept_id.isin(set(links.concept_id))
    grouped = in_map.groupby("kind", observed=False)["touched"]
    out = pd.DataFrame({"concepts": grouped.size(), "touched": grouped.sum()}).astype("Int64")
    out["untouched"] = out["concepts"] - out["touched"]
    out["touched_share"] = (out["touched"] / out["concepts"].replace(0, pd.NA)).astype("Float64")
    out.index = out.index.astype(str)
    out.index.name = "kind"
    return out.reset_index()
