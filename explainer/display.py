"""Tables for readers: the one way a notebook shows a table.

:func:`show` turns a DataFrame (or a Series) into what a reader should see:
no index column (a meaningful index becomes an ordinary first column), text
left-aligned and wrapped instead of cut, plain words for codes
(``partly_supported`` is shown as "partly supported") and for missing values
(never ``NaN``, ``<NA>`` or an empty cell), yes and no for booleans, and the columns asked
for first.

Why not pandas' ``Styler`` or itables: Styler puts its CSS in a ``<style>``
element, which JupyterLab removes from the outputs of an untrusted notebook
(a fresh clone is untrusted), so its tables came out right-aligned again;
itables needs JavaScript, which an untrusted notebook does not run. So the
table is written from a small Jinja2 template (autoescaped) with its style
inline on each cell, the one form of style JupyterLab keeps in an untrusted
notebook (``text-align`` and ``vertical-align`` are on its sanitizer's
list). There is no id at all,
so the HTML is the same on every run. The plain-text twin that nbval
compares is the same readable table, as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

__all__ = ["MISSING", "Table", "show"]

#: The word shown for a missing value, unless :func:`show` is told otherwise.
MISSING = "none"

# A code of the data: lower-case words joined by underscores (partly_supported, very_low).
_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
_WORD = re.compile(r"[a-z][a-z0-9]*")
# Inline on every cell: JupyterLab's own style right-aligns table cells, and
# only a cell's own style beats it. Long text wraps to the width there is
# (JupyterLab and nbconvert set white-space: normal on cells); a table wider
# than its box scrolls inside it. Kept short: it is repeated in every cell.
_TD = "text-align:left;vertical-align:top"
_TEMPLATE = """\
<div style="overflow-x:auto;max-width:100%">
<table class="explainer-table" style="border-collapse:collapse">
<thead><tr>
{%- for name in headers %}<th style="{{ td }};border-bottom:1px solid">{{ name }}</th>{% endfor -%}
</tr></thead>
<tbody>
{%- for row in rows %}
<tr>{% for value in row %}<td style="{{ td }}">{{ value }}</td>{% endfor %}</tr>
{%- endfor %}
</tbody>
</table>
</div>
"""


def _is_id(column: str) -> bool:
    """Whether a column holds identifiers, which keep their exact spelling."""
    return column == "id" or column.endswith(("_id", "_ids"))


def _word(value: object, *, code: bool, missing: str) -> str:
    """Return one cell as a reader reads it."""
    if isinstance(value, (list, tuple)):
        return "; ".join(_word(v, code=code, missing=missing) for v in value) or missing
    if value is None or (isinstance(value, str) and not value.strip()):
        return missing
    if not isinstance(value, str) and pd.isna(value):
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.3f}".rstrip("0")
    text = str(value)
    if code:
        # a code, a list of codes ("a_b; c_d") or a route of ids ("sex → physical_connection")
        for joint in ("; ", " → "):
            parts = text.split(joint)
            if all(_CODE.fullmatch(p) or (len(parts) > 1 and _WORD.fullmatch(p)) for p in parts):
                return joint.join(p.replace("_", " ") for p in parts)
    return text


def _frame(data: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """Return the data as a DataFrame whose index, if it means anything, is its first columns."""
    if isinstance(data, pd.Series):
        data = data.to_frame(name="value" if data.name is None else data.name)
    frame = data
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.set_axis([" ".join(map(str, c)) for c in frame.columns], axis=1)
    # Unnamed row numbers (a default index, or what is left of one after filtering)
    # mean nothing to a reader; a named index, or labels, are a column of the table.
    numbers = pd.api.types.is_integer_dtype(frame.index.dtype)
    if frame.index.nlevels == 1 and frame.index.name is None and numbers:
        frame = frame.reset_index(drop=True)
    else:
        names = [n if n is not None else "" for n in frame.index.names]
        frame = frame.rename_axis(names).reset_index()
    return frame


class Table:
    """A table as a reader sees it: what :func:`show` returns, for Jupyter to display.

    Parameters
    ----------
    cells : pandas.DataFrame
        Every cell already a string, the headers the words to show.

    Attributes
    ----------
    cells : pandas.DataFrame
    """

    def __init__(self, cells: pd.DataFrame) -> None:
        self.cells = cells

    def __repr__(self) -> str:
        """Return the table as plain text, every column left-aligned: what nbval compares."""
        columns = [str(c) for c in self.cells.columns]
        rows = [list(r) for r in self.cells.itertuples(index=False)]
        widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
        lines = [columns, *rows]
        return "\n".join(
            "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
            for line in lines
        )

    def _repr_html_(self) -> str:
        """Return the table as HTML, every style inline (needs Jinja2, which every Jupyter has)."""
        import jinja2

        template = jinja2.Environment(autoescape=True).from_string(_TEMPLATE)
        rows = [list(r) for r in self.cells.itertuples(index=False)]
        return template.render(headers=list(self.cells.columns), rows=rows, td=_TD)


def show(
    data: pd.DataFrame | pd.Series,
    *,
    first: Sequence[str] = (),
    missing: str | Mapping[str, str] = MISSING,
) -> Table:
    """Return a table for readers: no index, wrapped left-aligned text, words instead of codes.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        What to show. A named index, or one of labels (a ``groupby``, a
        ``crosstab``, a ``value_counts``), becomes the first columns, under
        its name; unnamed row numbers are left out. An unnamed Series is
        shown as a column ``value``.
    first : sequence of str, optional
        Columns to show first, in this order; the others follow in theirs.
    missing : str or mapping, default :data:`MISSING`
        The words for a missing value: one for every column, or per column
        (``{"n": "not reported"}``; other columns get :data:`MISSING`).

    Returns
    -------
    Table
        Displayed by Jupyter as HTML, with the same table as plain text.
        Codes (lower-case words joined by ``_``), lists of codes joined by
        ``; `` and routes of ids joined by `` → `` are written with spaces,
        except in identifier columns (``*_id``), and so are the headers.

    Examples
    --------
    >>> frame = pd.DataFrame(
    ...     {"claim_id": ["c014", "c031"], "verdict": ["partly_supported", "not_checked"],
    ...      "rating": pd.array([3, None], dtype="Int64"), "indirect": [True, False]}
    ... )
    >>> show(frame, first=["verdict"])
    verdict           claim id  rating  indirect
    partly supported  c014      3       yes
    not checked       c031      none    no
    """
    frame = _frame(data)
    unknown = [c for c in first if c not in frame.columns]
    if unknown:
        raise KeyError(f"no column {unknown[0]!r} to show first; columns are {list(frame.columns)}")
    order = [*first, *(c for c in frame.columns if c not in first)]
    cells = {}
    for column in order:
        name = str(column)
        words = missing.get(name, MISSING) if isinstance(missing, Mapping) else missing
        code = not _is_id(name)
        cells[name.replace("_", " ")] = [
            _word(v, code=code, missing=words) for v in frame[column].astype(object)
        ]
    return Table(pd.DataFrame(cells, columns=list(cells), dtype=object))
