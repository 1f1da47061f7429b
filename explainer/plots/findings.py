"""What we found, drawn: the empirical claims counted by verdict and certainty."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from explainer.plots._common import new_axes
from explainer.plots.evidence import VERDICT_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_verdict_certainty"]

# The longest bar, as a share of a cell: its count still fits beside it.
_BAR = 0.55


def draw_verdict_certainty(*, ax=None, data_dir: str | os.PathLike[str] | None = None) -> Axes:
    """Draw how many empirical claims reach each verdict at each certainty.

    One row per verdict (best supported at the top), one column per GRADE
    certainty (high on the left) and ``not checked``; in each cell a bar in
    the verdict's colour, as long as its count, and the count beside it.
    The counts are :func:`explainer.findings.verdict_certainty_claims`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
    data_dir : str or path-like, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = draw_verdict_certainty()
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['high', 'moderate', 'low', 'very low', 'not checked']
    """
    from explainer.audit import verdict_certainty_table
    from explainer.findings import verdict_certainty_claims

    wide = verdict_certainty_table(data_dir=data_dir)
    verdicts = list(wide.index.drop("total"))
    certainties = list(wide.columns.drop("total"))
    cells = verdict_certainty_claims(data_dir=data_dir)
    most = max(int(cells.claims.max()), 1) if len(cells) else 1
    ax = new_axes(ax, (8, 3.6))
    for cell in cells.itertuples(index=False):
        x, y = certainties.index(cell.certainty), verdicts.index(cell.verdict)
        length = _BAR * cell.claims / most
        ax.barh(
            y,
            length,
            left=x - 0.45,
            height=0.6,
            color=VERDICT_COLOURS.get(cell.verdict, "#DDDDDD"),
            edgecolor="#333333",
            linewidth=0.5,
        )
        ax.text(x - 0.45 + length + 0.04, y, str(cell.claims), va="center", fontsize=10)
    ax.set_xticks(range(len(certainties)), certainties)
    ax.set_yticks(range(len(verdicts)), [v.replace("_", " ") for v in verdicts])
    ax.set_xlim(-0.5, len(certainties) - 0.5)
    ax.set_ylim(len(verdicts) - 0.5, -0.5)
    ax.xaxis.tick_top()
    ax.set_xlabel("How sure: the certainty of the best research (GRADE)")
    ax.xaxis.set_label_position("top")
    ax.set_ylabel("What research says")
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    for edge in range(1, len(certainties)):
        ax.axvline(edge - 0.5, color="#DDDDDD", linewidth=0.8)
    for edge in range(1, len(verdicts)):
        ax.axhline(edge - 0.5, color="#DDDDDD", linewidth=0.8)
    ax.set_title(f"The article's {int(wide.loc['total', 'total'])} empirical claims", loc="left")
    return ax
