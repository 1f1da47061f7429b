"""The article's outline: its parts, their lengths and what they hold."""

from __future__ import annotations

import os

import pandas as pd

from explainer.tables import load

__all__ = ["leaves", "outline"]


def leaves(*, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return the leaf sections (those with no children), in reading order.

    Parameters
    ----------
    data_dir : str or path-like, optional

    Returns
    -------
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


def outline(*, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return one row per top-level part: its title, length and children.

    Parameters
    ----------
    data_dir : str or path-like, optional

    Returns
    -------
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
