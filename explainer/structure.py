"""The article's outline: its parts, their lengths and what they hold."""

from __future__ import annotations

import os

import pandas as pd

from explainer._cache import derived
from explainer._docs import fill_doc
from explainer.article import article_text
from explainer.tables import load

__all__ = [
    "NON_CONTENT",
    "citation_positions",
    "claim_positions",
    "leaves",
    "non_content_spans",
    "outline",
    "part_sizes",
    "text_shares",
    "tree",
]


@fill_doc
def leaves(*, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return the leaf sections (those with no children), in reading order.

    %(data_dir_returns)s
    pandas.DataFrame
        The rows of ``sections`` that have no children, plus ``chars``, the
        length of each span in characters.

    Examples
    --------
    >>> leaves().section_id.head(3).tolist()
    ['title', 'intro', 'toc']
    """
    sections = load("sections", data_dir=data_dir)
    out = sections[~sections.section_id.isin(sections.parent_id.dropna())].copy()
    out["chars"] = out["end"] - out["start"]
    return out.sort_values("start", kind="stable").reset_index(drop=True)


@fill_doc
def outline(*, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return one row per top-level part: its title, length and children.

    %(data_dir_returns)s
    pandas.DataFrame
        Columns ``section_id``, ``number``, ``title``, ``kind``, ``chars``
        (the span's length in characters), ``share`` (of all top-level
        characters) and ``children`` (the number of child parts), in reading
        order.

    Examples
    --------
    >>> parts = outline()
    >>> parts.section_id.tolist()[:5]
    ['title', 'intro', 'toc', 's1', 's2']
    >>> round(float(parts.share.sum()), 6)
    1.0
    """
    sections = load("sections", data_dir=data_dir)
    parts = sections[sections.level == 1].copy()
    parts["chars"] = parts["end"] - parts["start"]
    parts["share"] = parts["chars"] / parts["chars"].sum()
    counts = sections.parent_id.value_counts()
    parts["children"] = parts.section_id.map(counts).fillna(0).astype("Int64")
    cols = ["section_id", "number", "title", "kind", "chars", "share", "children"]
    return parts.sort_values("start", kind="stable")[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------
# The tree, the parts, and where the claims and citation markers sit

PathLike = str | os.PathLike[str]

#: What is not content, and why. Whole parts of these kinds are page furniture
#: or text about the article itself; ``meta`` claims anywhere else are the
#: sentences of the body that talk about the article rather than its topic.
NON_CONTENT = {
    "toc": "table of contents",
    "closing_note": "closing note about the article itself",
    "comment_form": "the blog's comment form",
    "meta_claim": "sentences about the article, inside the body",
}


def _label(kind: str, number, title: str) -> str:
    """Return a section's name as a reader would look for it ('3.A Oxytocin')."""
    if kind == "section":
        return f"{number}. {title}"
    if kind == "bullet":
        return f"• {title}"
    if not pd.isna(number):
        return f"{number} {title}"
    return str(title)


@derived()
@fill_doc
def tree(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return every part of the article as a node of its tree, in reading order.

    The tree has three levels: the article (level 0); its parts, such as
    the introduction, the nine numbered sections and the comment form
    (level 1); and their children, such as lettered subsections, bullets,
    experts and FAQ entries (level 2). A parent comes just before its
    children.

    %(data_dir_returns)s
    pandas.DataFrame
        ``section_id``, ``parent_id``, ``level``, ``kind``, ``label`` (the
        number and title, e.g. ``'3.A Oxytocin'``), ``start`` and ``end``
        (the span's offsets), ``chars`` (its length in characters),
        ``claims`` (the claims in the span, children included) and
        ``children`` (the number of child parts), sorted by offset, then
        level.

    Examples
    --------
    >>> t = tree().set_index("section_id")
    >>> t.loc["s3a", "label"], int(t.loc["s3a", "claims"])
    ('3.A Oxytocin', 3)
    >>> int(t.loc["article", "claims"]) == len(load("claims"))
    True
    """
    sections = load("sections", data_dir=data_dir)
    claims = load("claims", data_dir=data_dir)
    parent = dict(zip(sections.section_id, sections.parent_id, strict=True))
    counts = dict.fromkeys(sections.section_id, 0)
    for section_id in claims.section_id:
        node = section_id
        while isinstance(node, str):  # up to the root, whose parent is missing
            counts[node] += 1
            node = parent[node]
    out = sections.sort_values(["start", "level"], kind="stable").copy()
    out["label"] = [
        _label(k, n, t) for k, n, t in zip(out.kind, out.number, out.title, strict=True)
    ]
    out["chars"] = out["end"] - out["start"]
    out["claims"] = out.section_id.map(counts).astype("Int64")
    n_children = sections.parent_id.value_counts()
    out["children"] = out.section_id.map(n_children).fillna(0).astype("Int64")
    cols = [
        "section_id",
        "parent_id",
        "level",
        "kind",
        "label",
        "start",
        "end",
        "chars",
        "claims",
        "children",
    ]
    return out[cols].reset_index(drop=True)


@fill_doc
def part_sizes(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return how long each top-level part is and how many claims it holds.

    %(data_dir_returns)s
    pandas.DataFrame
        One row per top-level part, in reading order: ``section_id``,
        ``label``, ``kind``, ``chars``, ``words`` (white-space separated),
        ``text_share`` (of the characters of all parts), ``claims``,
        ``claim_share`` (of all claims) and ``claims_per_100_words``. Both
        shares sum to 1.

    Examples
    --------
    >>> sizes = part_sizes().set_index("section_id")
    >>> int(sizes.loc["toc", "claims"]), int(sizes.loc["s9", "claims"])
    (0, 11)
    >>> round(float(sizes.text_share.sum()), 6), round(float(sizes.claim_share.sum()), 6)
    (1.0, 1.0)
    """
    text = article_text(data_dir=data_dir)
    sections = load("sections", data_dir=data_dir).set_index("section_id")
    nodes = tree(data_dir=data_dir)
    parts = nodes[nodes.level == 1].copy()
    parts["words"] = [
        len(text[sections.at[sid, "start"] : sections.at[sid, "end"]].split())
        for sid in parts.section_id
    ]
    parts["words"] = parts["words"].astype("Int64")
    parts["text_share"] = (parts["chars"] / parts["chars"].sum()).astype(float)
    parts["claim_share"] = (parts["claims"] / parts["claims"].sum()).astype(float)
    parts["claims_per_100_words"] = (100 * parts["claims"] / parts["words"]).astype(float)
    cols = [
        "section_id",
        "label",
        "kind",
        "chars",
        "words",
        "text_share",
        "claims",
        "claim_share",
        "claims_per_100_words",
    ]
    return parts[cols].reset_index(drop=True)


def _part_of(sections: pd.DataFrame) -> dict[str, str]:
    """Map every section id to the id of its top-level part (itself at level 1)."""
    parent = dict(zip(sections.section_id, sections.parent_id, strict=True))
    level = dict(zip(sections.section_id, sections.level, strict=True))
    out = {}
    for sid in sections.section_id:
        node = sid
        while level[node] > 1:
            node = parent[node]
        out[sid] = node
    return out


@derived()
@fill_doc
def claim_positions(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return where each claim's quote stands in the article text.

    %(data_dir_returns)s
    pandas.DataFrame
        ``claim_id``, ``section_id``, ``part`` (the top-level part's id),
        ``claim_type``, ``citation``, ``start`` and ``end`` (character
        offsets of the quote, searched inside the section's span), sorted by
        ``start``, then ``claim_id``.

    Examples
    --------
    >>> pos = claim_positions()
    >>> text = article_text()
    >>> row = pos.iloc[0]
    >>> text[row.start : row.end] == load("claims").set_index("claim_id").quote[row.claim_id]
    True
    """
    text = article_text(data_dir=data_dir)
    sections = load("sections", data_dir=data_dir)
    claims = load("claims", data_dir=data_dir)
    span = sections.set_index("section_id")[["start", "end"]]
    part = _part_of(sections)
    out = claims[["claim_id", "section_id", "claim_type", "citation"]].copy()
    out.insert(2, "part", [part[sid] for sid in out.section_id])
    starts = [
        text.find(q, span.at[sid, "start"], span.at[sid, "end"])
        for q, sid in zip(claims.quote, claims.section_id, strict=True)
    ]
    out["start"] = pd.array(starts, dtype="Int64")
    out["end"] = out["start"] + claims.quote.str.len().astype("Int64")
    return out.sort_values(["start", "claim_id"], kind="stable").reset_index(drop=True)


@derived()
@fill_doc
def citation_positions(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the citation markers, the claims they sit on, and where they stand.

    The ``citations`` table joined to ``claims`` and ``sections``; each
    marker is searched for in its claim's section, from the quote's start.

    %(data_dir_returns)s
    pandas.DataFrame
        ``marker``, ``status``, ``claim_id``, ``claim_type``,
        ``evidence_status``, ``section_id``, ``section`` and ``part`` (the
        labels of the section and of its top-level part), ``quote_start``,
        ``quote_end``, ``offset`` (the marker's first character),
        ``in_quote`` (whether the marker lies inside the claim's quote) and
        ``position`` (``offset`` as a share of the whole text, 0 to 1),
        sorted by ``offset``.

    Examples
    --------
    >>> cites = citation_positions()
    >>> cites[["marker", "section_id", "offset", "in_quote"]].values.tolist()
    [['(1)', 's3a', 3433, True], ['(2)', 's4a', 4381, True]]
    """
    text = article_text(data_dir=data_dir)
    sections = load("sections", data_dir=data_dir)
    nodes = tree(data_dir=data_dir).set_index("section_id")
    claims = load("claims", data_dir=data_dir)[["claim_id", "claim_type", "evidence_status"]]
    positions = claim_positions(data_dir=data_dir)[
        ["claim_id", "section_id", "part", "start", "end"]
    ]
    frame = (
        load("citations", data_dir=data_dir)
        .merge(claims, on="claim_id", how="left")
        .merge(positions, on="claim_id", how="left")
    )
    section_end = sections.set_index("section_id")["end"]
    offsets = []
    for marker, start, sid in zip(frame.marker, frame.start, frame.section_id, strict=True):
        at = text.find(marker, int(start), int(section_end[sid]))
        offsets.append(at if at >= 0 else pd.NA)
    frame["offset"] = pd.array(offsets, dtype="Int64")
    frame["in_quote"] = (frame["offset"] >= frame["start"]) & (
        frame["offset"] + frame.marker.str.len() <= frame["end"]
    )
    frame["position"] = (frame["offset"] / len(text)).astype(float)
    frame["section"] = [nodes.at[sid, "label"] for sid in frame.section_id]
    frame["part"] = [nodes.at[pid, "label"] for pid in frame.part]
    frame = frame.rename(columns={"start": "quote_start", "end": "quote_end"})
    cols = [
        "marker",
        "status",
        "claim_id",
        "claim_type",
        "evidence_status",
        "section_id",
        "section",
        "part",
        "quote_start",
        "quote_end",
        "offset",
        "in_quote",
        "position",
    ]
    return frame.sort_values(["offset", "marker"], kind="stable")[cols].reset_index(drop=True)


@derived()
@fill_doc
def non_content_spans(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the stretches of the article that are not about its topic.

    Non-content is defined by :data:`NON_CONTENT`: every leaf of kind
    ``toc``, ``closing_note`` or ``comment_form`` (the whole span), and the
    quote of every ``meta`` claim (text about the article itself) that lies
    in any other leaf. Spans never overlap, so their lengths add up.

    %(data_dir_returns)s
    pandas.DataFrame
        ``category`` (an ordered categorical over the keys of
        :data:`NON_CONTENT`), ``section_id``, ``claim_id`` (for a meta
        claim; missing otherwise), ``start``, ``end`` and ``chars``, sorted
        by ``start``.

    Examples
    --------
    >>> spans = non_content_spans()
    >>> spans.category.astype(str).tolist()
    ['meta_claim', 'toc', 'meta_claim', 'closing_note', 'comment_form']
    >>> spans.claim_id.dropna().tolist()
    ['c004', 'c062']
    """
    leaf = leaves(data_dir=data_dir)
    furniture = leaf.kind.isin(list(NON_CONTENT))
    whole = leaf[furniture].assign(category=leaf.kind.astype(str), claim_id=pd.NA)
    claims = claim_positions(data_dir=data_dir)
    in_content = claims.section_id.isin(leaf.section_id[~furniture])
    meta = claims[(claims.claim_type == "meta") & in_content].assign(category="meta_claim")
    cols = ["category", "section_id", "claim_id", "start", "end"]
    out = pd.concat([whole[cols], meta[cols]], ignore_index=True)
    out["category"] = pd.Categorical(out["category"], categories=list(NON_CONTENT), ordered=True)
    out["claim_id"] = out["claim_id"].astype("string")
    out["chars"] = out["end"] - out["start"]
    return out.sort_values(["start", "category"], kind="stable").reset_index(drop=True)


@fill_doc
def text_shares(*, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the share of the article's text that is content, and what the rest is.

    The text is the characters of the leaf sections (every non-blank line of
    the article lies in exactly one leaf; the blank lines between parts are
    not counted). Non-content is :func:`non_content_spans`; content is
    everything else, headings included.

    %(data_dir_returns)s
    pandas.DataFrame
        ``category`` (``content``, then the keys of :data:`NON_CONTENT`),
        ``description``, ``chars`` and ``share``; the shares sum to 1.

    Examples
    --------
    >>> shares = text_shares().set_index("category")
    >>> round(float(shares.share.sum()), 6)
    1.0
    >>> round(float(shares.loc["content", "share"]), 3)
    0.899
    """
    total = int(leaves(data_dir=data_dir)["chars"].sum())
    spans = non_content_spans(data_dir=data_dir)
    by_category = spans.groupby("category", observed=False)["chars"].sum()
    categories = ["content", *NON_CONTENT]
    chars = [total - int(by_category.sum()), *(int(by_category[c]) for c in NON_CONTENT)]
    out = pd.DataFrame(
        {
            "category": categories,
            "description": ["what the article says about its topic", *NON_CONTENT.values()],
            "chars": pd.array(chars, dtype="Int64"),
        }
    )
    out["share"] = (out["chars"] / total).astype(float)
    return out
