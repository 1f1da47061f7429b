"""Look a term up across every table: ``explainer.about("oxytocin")``."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator, Mapping

import pandas as pd

from explainer._docs import fill_doc
from explainer.article import article_text
from explainer.tables import load, schema, tables

__all__ = ["About", "about"]

_SHOWN_WIDTH = 60


class About(Mapping[str, pd.DataFrame]):
    """Every row that mentions a term, one DataFrame per table.

    A read-only mapping from table name to the matching rows, in the
    descriptor's order of tables; tables with no match are left out. It shows
    itself as text in a terminal and as HTML in a notebook.

    Attributes
    ----------
    term : str
        What was looked up.
    patterns : list of str
        The words actually searched for (a concept id adds its label).
    """

    def __init__(self, term: str, patterns: list[str], frames: dict[str, pd.DataFrame]):
        self.term = term
        self.patterns = patterns
        self._frames = frames

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def rows(self) -> int:
        """Return the number of matching rows, over all tables."""
        return sum(len(f) for f in self._frames.values())

    def _head(self) -> str:
        words = " or ".join(repr(p) for p in self.patterns)
        return f"about({self.term!r}): {self.rows} rows in {len(self)} tables mention {words}"

    def __repr__(self) -> str:
        parts = [self._head()]
        with pd.option_context("display.max_colwidth", _SHOWN_WIDTH, "display.width", 200):
            for name, frame in self._frames.items():
                parts.append(f"\n{name} ({len(frame)} row{'s' if len(frame) != 1 else ''})")
                parts.append(frame.to_string(index=False, max_colwidth=_SHOWN_WIDTH))
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        parts = [f"<p><strong>{html.escape(self._head())}</strong></p>"]
        for name, frame in self._frames.items():
            parts.append(f"<h4>{html.escape(name)} ({len(frame)})</h4>")
            parts.append(frame.to_html(index=False, escape=True))
        return "\n".join(parts)


def _patterns(term: str, data_dir) -> list[str]:
    concepts = load("concepts", data_dir=data_dir)
    hit = concepts[concepts.concept_id == term.strip().lower()]
    patterns = [term.strip()]
    if len(hit):
        label = str(hit.label.iloc[0])
        patterns = [term.strip(), label] if label.lower() != term.strip().lower() else [label]
    return patterns


@fill_doc
def about(term: str, *, data_dir: str | os.PathLike[str] | None = None) -> About:
    """Return every row of every table that mentions ``term``.

    The search is case-insensitive and matches whole words, allowing a
    plural ("endorphin" finds "endorphins"). A concept id (such as
    ``"emotional_intimacy"``) also finds its label. For the ``sections``
    table a row matches when the section's own text mentions the term (leaf
    sections only), and a ``mentions`` column counts how often.

    Parameters
    ----------
    term : str
        A concept id or a word or phrase.
    %(data_dir_last_returns)s
    About
        A mapping from table name to a DataFrame of the matching rows.

    Raises
    ------
    ValueError
        If ``term`` is empty.

    Examples
    --------
    >>> found = about("oxytocin")
    >>> found["hormones"].hormone_id.tolist()
    ['oxytocin']
    >>> "claims" in found and "sections" in found
    True
    """
    if not term or not term.strip():
        raise ValueError("about() needs a term to look up, e.g. about('oxytocin')")
    patterns = _patterns(term, data_dir)
    regex = re.compile(
        "|".join(rf"(?<![\w]){re.escape(p)}(?:s|es)?(?![\w])" for p in patterns), re.IGNORECASE
    )
    frames: dict[str, pd.DataFrame] = {}
    text = article_text(data_dir=data_dir)
    for name in tables(data_dir=data_dir):
        frame = load(name, data_dir=data_dir)
        if name == "sections":
            frame = frame[~frame.section_id.isin(frame.parent_id.dropna())]
            counts = [
                len(regex.findall(text[s:e])) for s, e in zip(frame.start, frame.end, strict=True)
            ]
            frame = frame.assign(mentions=counts)
            frame = frame[frame.mentions > 0]
        else:
            text_cols = [
                f["name"]
                for f in schema(name, data_dir=data_dir).fields
                if f.get("type", "string") == "string"
            ]
            # One pass over plain strings: a column's missing values are not str.
            columns = [frame[col].tolist() for col in text_cols]
            hits = [
                any(isinstance(value, str) and regex.search(value) for value in row)
                for row in zip(*columns, strict=True)
            ]
            frame = frame[pd.Series(hits, index=frame.index, dtype=bool)] if columns else frame[:0]
        if len(frame):
            frames[name] = frame.reset_index(drop=True)
    return About(term, patterns, frames)
