"""What every drawing shares: the colour-blind-safe palette and a fresh Axes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = ["OKABE_ITO", "finish_barh", "label_bars", "new_axes"]

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
