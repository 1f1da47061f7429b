"""Whether a figure is legible at the size it is shown: read from the artists' extents.

No text overlaps another text, or a box it does not belong to; no edge runs
through a box it does not join; no text is smaller than 8 pt at the size
the notebooks and the site show the figure (at most 1,100 px wide, saved
with ``bbox_inches="tight"``). Boxes and labels are recognised by their
``gid`` (``box:ID``, ``label:ID``, ``link``), edges by their URLs
(``edge:A->B``), as :mod:`explainer.plots` draws them.

``tests/test_figures.py`` checks every drawing function with it, and the
notebooks' test kernels (``tests/ipython-profile``) check every figure a
notebook shows, as the reader sees it.
"""

from __future__ import annotations

import itertools

from matplotlib.collections import LineCollection
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["IllegibleFigureError", "check_legible", "figure_problems"]

DPI = 100  # the inline backend's and the site's
SHOWN_WIDTH = 1100  # px: JupyterLab's output area and the site's page
MIN_POINTS = 8.0
SLACK = 1.0  # px: touching is not overlapping


class IllegibleFigureError(ValueError):
    """A figure has overlapping texts, edges through boxes or text below 8 pt as shown."""


def check_legible(fig) -> None:
    """Raise :class:`IllegibleFigureError` naming every problem :func:`figure_problems` finds.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Raises
    ------
    IllegibleFigureError
        If any text overlaps, any edge runs through a box or any text is too small.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> _ = ax.text(0.1, 0.5, "tiny", fontsize=5)
    >>> check_legible(fig)
    Traceback (most recent call last):
    ...
    explainer.plots._legibility.IllegibleFigureError: 'tiny' at 5.0 pt
    >>> plt.close(fig)
    """
    problems = [p for found in figure_problems(fig).values() for p in found]
    if problems:
        raise IllegibleFigureError("; ".join(problems))


def _shrunk(box: Bbox, by: float = SLACK) -> Bbox:
    return Bbox.from_extents(box.x0 + by, box.y0 + by, box.x1 - by, box.y1 - by)


def _inner(box: Bbox) -> tuple[float, float, float, float]:
    """Return the box less SLACK on every side, as plain numbers (compared many times)."""
    x0, y0, x1, y1 = box.extents
    return x0 + SLACK, y0 + SLACK, x1 - SLACK, y1 - SLACK


def _overlap(a: tuple, b: tuple) -> bool:
    """Whether two boxes from :func:`_inner` overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _segment_hits(p, q, box: Bbox) -> bool:
    """Whether the segment p-q enters the box (Liang-Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in (
        (-dx, p[0] - box.x0),
        (dx, box.x1 - p[0]),
        (-dy, p[1] - box.y0),
        (dy, box.y1 - p[1]),
    ):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _crosses(polygons, box: Bbox) -> bool:
    """Whether any segment of the polygons (``Path.to_polygons``) enters the box."""
    for polygon in polygons:
        for p, q in itertools.pairwise(polygon):
            if _segment_hits(p, q, box):
                return True
    return False


def _reach(polygons) -> tuple[float, float, float, float]:
    """Return the extents of the polygons' points: no box outside them can be crossed."""
    xs = [x for polygon in polygons for x, _ in polygon] or [0.0]
    ys = [y for polygon in polygons for _, y in polygon] or [0.0]
    return min(xs), min(ys), max(xs), max(ys)


def figure_problems(fig) -> dict[str, list[str]]:
    """Return the overlaps, through-box edges and small texts of a figure, drawn here.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    dict
        ``text_overlaps``, ``through_box`` and ``too_small``: a list of
        sentences each, empty when the figure is legible.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> _ = ax.text(0.1, 0.5, "first words"), ax.text(0.12, 0.5, "second words")
    >>> figure_problems(fig)["text_overlaps"]
    ["'first words' overlaps 'second words'"]
    >>> plt.close(fig)
    """
    # Every artist's draw runs (layout, text extents, arrows clipped to their
    # boxes) but no pixel is rasterized: the checks read extents, not pixels.
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    # Notebooks and the site save figures with bbox_inches="tight": the PNG is
    # the tight box, shown at DPI and shrunk to SHOWN_WIDTH when wider.
    tight = fig.get_tightbbox(renderer)  # inches
    scale = min(1.0, SHOWN_WIDTH / (tight.width * DPI))
    boxes: list[tuple[str, Bbox]] = []
    texts: list[tuple[str, str | None, Bbox, Text]] = []
    for ax in fig.axes:
        for patch in ax.patches:
            gid = patch.get_gid() or ""
            if gid.startswith("box:") and patch.get_visible():
                boxes.append((gid[4:], patch.get_window_extent(renderer)))
    every_text = fig.findobj(Text)
    for text in every_text:
        if not text.get_visible() or not text.get_text().strip():
            continue
        extent = text.get_window_extent(renderer)
        if extent.width == 0 or extent.height == 0:
            continue
        gid = text.get_gid() or ""
        owner = gid[6:] if gid.startswith("label:") else None
        patch = text.get_bbox_patch()
        if patch is not None and text.get_gid() != "link":
            # A text in its own box is a box.
            owner = f"text@{len(boxes)}"
            boxes.append((owner, patch.get_window_extent(renderer)))
        texts.append((text.get_text(), owner, extent, text))
    problems: dict[str, list[str]] = {
        "text_overlaps": [],
        "through_box": [],
        "too_small": [],
    }

    inner_texts = [(text, owner, _inner(extent)) for text, owner, extent, _ in texts]
    inner_boxes = [(name, _inner(box)) for name, box in boxes]
    for (ta, _, ea), (tb, _, eb) in itertools.combinations(inner_texts, 2):
        if _overlap(ea, eb):
            problems["text_overlaps"].append(f"{ta!r} overlaps {tb!r}")
    for text, owner, extent in inner_texts:
        for name, box in inner_boxes:
            if name != owner and _overlap(extent, box):
                problems["text_overlaps"].append(f"{text!r} overlaps box {name!r}")
    for text, _, _, artist in texts:
        if artist.get_fontsize() * scale < MIN_POINTS - 0.01:
            size = artist.get_fontsize() * scale
            problems["too_small"].append(f"{text!r} at {size:.1f} pt")
    box_of = {}
    for text in every_text:
        if text.get_bbox_patch() is not None:
            box_of[id(text.get_bbox_patch())] = text.get_text()
    named = dict(boxes)
    text_names = {owner: text for text, owner, _, _ in texts if owner and owner.startswith("text@")}
    shrunk = {name: _shrunk(box, 2.0) for name, box in named.items()}
    for ax in fig.axes:
        edges = []
        for coll in ax.collections:
            if isinstance(coll, LineCollection) and (coll.get_urls() or [None])[0]:
                for url, path in zip(coll.get_urls(), coll.get_paths(), strict=True):
                    ends = set(url.removeprefix("edge:").split("->"))
                    edges.append((url, ends, coll.get_transform().transform_path(path)))
        for patch in ax.patches:
            if isinstance(patch, FancyArrowPatch):
                ends = {
                    box_of.get(id(p), f"text@{i}")
                    for i, p in enumerate((patch.patchA, patch.patchB))
                }
                edges.append(("arrow", ends, patch.get_path()))
        for child in ax.get_children():
            if isinstance(child, Text) and hasattr(child, "arrow_patch") and child.arrow_patch:
                arrow = child.arrow_patch
                ends = {
                    box_of.get(id(arrow.patchA), "A"),
                    box_of.get(id(arrow.patchB), "B"),
                }
                edges.append(("arrow", ends, arrow.get_path()))
        for url, ends, path in edges:
            polygons = path.to_polygons(closed_only=False)
            x0, y0, x1, y1 = _reach(polygons)
            for name, box in shrunk.items():
                label = text_names.get(name, name)
                if name in ends or label in ends:
                    continue
                if box.x0 > x1 or box.x1 < x0 or box.y0 > y1 or box.y1 < y0:
                    continue  # the edge's points all lie to one side of the box
                if _crosses(polygons, box):
                    problems["through_box"].append(f"{url} passes through {label!r}")
    return problems
