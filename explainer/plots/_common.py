"""What every drawing shares: the colour-blind-safe palette and a fresh Axes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend


__all__ = ["OKABE_ITO", "finish_barh", "label_bars", "legend_at", "legend_below", "new_axes"]

#: The Okabe-Ito colour-blind-safe palette, by name.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}


def new_axes(ax=None, figsize=(8, 5)) -> Axes:
    """Return ``ax``, or the Axes of a new constrained-layout figure of ``figsize``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
    figsize : tuple of float
        Width and height in inches, for a new figure.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def label_bars(ax, ys, ends, texts, *, gap: float = 0.2, fontsize: float = 8) -> None:
    """Write ``texts`` just right of horizontal bars ending at ``ends``, one per ``ys``."""
    for y, end, text in zip(ys, ends, texts, strict=True):
        ax.text(end + gap, y, text, va="center", fontsize=fontsize)


def finish_barh(ax, ys, labels, *, xlabel: str, title: str, xlim=None) -> Axes:
    """Label a horizontal bar chart: categories top down, axis label, title, open frame.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax.set_yticks(list(ys), list(labels))
    ax.invert_yaxis()
    if xlim is not None:
        ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def legend_below(ax, handles, *, ncol: int, fontsize: float | str = 8, top: float = 0.0) -> Legend:
    """Put a frameless legend of ``handles`` centred under the Axes, in ``ncol`` columns.

    ``top`` is where the legend's top edge sits, in Axes coordinates (0 is
    the bottom of the Axes; below it, room for tick labels).

    Returns
    -------
    matplotlib.legend.Legend
    """
    return ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, top),
        ncol=ncol,
        frameon=False,
        fontsize=fontsize,
    )


def legend_at(
    ax,
    handles=None,
    *,
    anchor: tuple[float, float] = (1.0, 1.0),
    loc: str = "upper left",
    fontsize: float | str | None = "small",
    title: str | None = None,
) -> Legend:
    """Put a frameless legend with its ``loc`` corner at ``anchor``: by default outside, right.

    ``anchor`` is in Axes coordinates; ``handles=None`` takes the labelled
    artists of ``ax``; ``fontsize=None`` the default legend size.

    Returns
    -------
    matplotlib.legend.Legend
    """
    return ax.legend(
        handles=handles,
        loc=loc,
        bbox_to_anchor=anchor,
        frameon=False,
        fontsize=fontsize,
        title=title,
    )
