"""What every drawing shares: the colour-blind-safe palette and a fresh Axes."""

from __future__ import annotations

__all__ = ["OKABE_ITO", "new_axes"]

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


def new_axes(ax=None, figsize=(8, 5)):
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
