"""Regenerate the derived data: ``sections.csv`` and the claims' ``hedge`` column.

This is the only code that writes into the data directory. It writes each
file through a temporary file and a rename, so a failure leaves the old file.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from explainer._io import atomic_write_text
from explainer._paths import resolve_data_dir
from explainer.article import ARTICLE_FILE, _read_text, hedge_of, sections_frame
from explainer.errors import DataError, Problem

__all__ = ["regenerate", "sections_csv"]


def sections_csv(text: str) -> str:
    """Return the ``sections.csv`` that the parser makes of ``text``.

    Parameters
    ----------
    text : str
        The article's text.

    Returns
    -------
    str
        CSV text with a header row and ``\\n`` line ends.

    Examples
    --------
    >>> from explainer import article_text
    >>> sections_csv(article_text()).splitlines()[0]
    'section_id,parent_id,number,title,level,kind,start,end'
    """
    buf = io.StringIO()
    sections_frame(text).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _hedged_claims(path: Path) -> str:
    text = _read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if (
        reader.fieldnames is None
        or "quote" not in reader.fieldnames
        or "hedge" not in reader.fieldnames
    ):
        raise DataError([Problem(path.name, "needs the columns 'quote' and 'hedge'", row=1)])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    for row in reader:
        row["hedge"] = hedge_of(row["quote"] or "")
        writer.writerow(row)
    return out.getvalue()


def regenerate(data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Rewrite the derived files of the data directory; return those changed.

    Writes ``sections.csv`` from the parser and the ``hedge`` column of
    ``claims.csv`` from each quote. Files whose content would not change are
    left untouched.

    Parameters
    ----------
    data_dir : str or path-like, optional
        The data directory; by default the one shipped with the package.

    Returns
    -------
    list of pathlib.Path
        The files rewritten.
    """
    root = resolve_data_dir(data_dir)
    text = _read_text(root / ARTICLE_FILE)
    planned = {root / "sections.csv": sections_csv(text)}
    claims = root / "claims.csv"
    if claims.is_file():
        planned[claims] = _hedged_claims(claims)
    changed = []
    for path, content in planned.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            atomic_write_text(path, content)
            changed.append(path)
    return changed
