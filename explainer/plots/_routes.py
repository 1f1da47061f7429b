"""Drawing routes: edge styles, linking phrases and rows of boxes joined by arrows.

One home for what the concept map, the pathways figure and the mechanism
routes share: how an edge's colour and line say what it does and how the
article makes it, and how a chain of concepts is drawn as a row.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from explainer.plots._common import OKABE_ITO, legend_below
from explainer.provenance import phrase

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.collections import LineCollection


__all__ = [
    "BASIS_LINES",
    "EDGE_STYLES",
    "EdgeStyle",
    "draw_chains",
    "edge_style",
    "link_text",
    "style_caption",
    "style_handles",
    "text_of",
]

_INFLUENCE = ("causal", "correlational")


@dataclass(frozen=True)
class EdgeStyle:
    """One way a line or a colour of the map's figures carries meaning.

    Attributes
    ----------
    aspect : str
        ``colour`` (what the link does), ``line`` (how the article makes
        it) or ``cell`` (a cell of the hormone matrix).
    key : str
        The value it stands for: a meaning (positive, negative, other,
        possible), a basis (stated, implied, inferred) or a cell's kind.
    name : str
        The word every caption uses for it: "dashed", "vermillion".
    value : str or tuple
        What matplotlib draws: a colour, a line style or a hatch.
    meaning : str
        The legend's label, and what a caption must say it means.
    says : tuple of str
        Words, one of which a caption must use right after ``name``
        (checked by tests/test_prose.py in every notebook's markdown).
    """

    aspect: str
    key: str
    name: str
    value: str | tuple
    meaning: str
    says: tuple[str, ...]


#: The style table: the one source of the figures' colours and lines, their
#: legends and the words every caption uses for them.
EDGE_STYLES: tuple[EdgeStyle, ...] = (
    EdgeStyle("colour", "positive", "dark grey", "#444444", "brings about / goes with",
              ("brings about", "goes with", "raise")),
    EdgeStyle("colour", "negative", "vermillion", OKABE_ITO["vermillion"], "reduces",
              ("reduce", "lower")),
    EdgeStyle("colour", "other", "blue", OKABE_ITO["blue"], "not causal (defines, needs, ...)",
              ("not causal", "define", "precondition", "no influence")),
    EdgeStyle("colour", "possible", "purple", OKABE_ITO["purple"], "can exist without",
              ("can exist without", "without")),
    EdgeStyle("line", "stated", "solid", "-", "stated by the article", ("stated",)),
    EdgeStyle("line", "implied", "dashed", (0, (5, 2)), "implied by the article", ("implied",)),
    EdgeStyle("line", "inferred", "dotted", (0, (1, 1.6)), "our inference",
              ("inference", "our reading", "inferred")),
    EdgeStyle("cell", "positive", "sky blue", OKABE_ITO["sky_blue"], "raises it (positive link)",
              ("raise",)),
    EdgeStyle("cell", "negative", "orange", OKABE_ITO["orange"], "lowers it (negative link)",
              ("lower", "reduce")),
    EdgeStyle("cell", "correlational", "hatched", "///",
              "goes with it (a correlation, not a cause)",
              ("goes with", "correlation", "association")),
)  # fmt: skip


def _table(aspect: str, field: str) -> dict:
    return {s.key: getattr(s, field) for s in EDGE_STYLES if s.aspect == aspect}


#: The line of an edge, by how the article makes the link.
BASIS_LINES = _table("line", "value")
_BASIS_WORDS = _table("line", "meaning")
_COLOURS = _table("colour", "value")
_COLOUR_WORDS = _table("colour", "meaning")


def style_caption(aspects: tuple[str, ...] = ("colour", "line")) -> str:
    """Return the sentence that tells a reader what the colours and lines mean.

    Built from :data:`EDGE_STYLES`, as the legends are, so a caption and a
    legend cannot disagree.

    Examples
    --------
    >>> print(style_caption(("line",)))
    The line says how the article makes the link (solid: stated by the article; \
dashed: implied by the article; dotted: our inference).
    """
    parts = {
        "colour": "The colour says what the link does",
        "line": "The line says how the article makes the link",
        "cell": "A cell's colour says what the hormone does",
    }
    sentences = []
    for aspect in aspects:
        items = "; ".join(f"{s.name}: {s.meaning}" for s in EDGE_STYLES if s.aspect == aspect)
        sentences.append(f"{parts[aspect]} ({items}).")
    return " ".join(sentences)


FONT_SIZE = 8.0
_LINE = FONT_SIZE * 1.3 / 72
#: inches: what fits 1,100 px at 100 dpi (the widest a figure is shown, in JupyterLab and the
#: site) with the 0.1 in that a tight bounding box adds on each side
_MAX_WIDTH = 10.8


def text_of(value) -> str:
    """Return ``value`` as text, and missing values (None, NaN, ``pd.NA``) as "".

    Examples
    --------
    >>> text_of(None), text_of(float("nan")), text_of("if touched")
    ('', '', 'if touched')
    """
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except TypeError:  # pd.NA refuses to be compared
        return ""
    return str(value)


def _meaning(data: Mapping) -> str:
    if str(data.get("link_type")) == "possible_without":
        return "possible"
    if str(data.get("link_type")) not in _INFLUENCE:
        return "other"
    return "negative" if str(data.get("polarity")) == "negative" else "positive"


def _basis(data: Mapping) -> str:
    basis = text_of(data.get("basis")) or "stated"
    return basis if basis in BASIS_LINES else "stated"


def edge_style(data: Mapping) -> dict:
    """Return the ``color`` and ``linestyle`` of an edge from its attributes.

    Parameters
    ----------
    data : mapping
        An edge's attributes: ``polarity``, ``link_type`` and, where known,
        ``basis`` (stated, implied or inferred).

    Returns
    -------
    dict

    Examples
    --------
    >>> edge_style({"polarity": "negative", "link_type": "causal", "basis": "inferred"})
    {'color': '#D55E00', 'linestyle': (0, (1, 1.6))}
    """
    return {"color": _COLOURS[_meaning(data)], "linestyle": BASIS_LINES[_basis(data)]}


def link_text(edges: Iterable[Mapping], width: int = 18) -> str:
    """Return the linking phrases of one or more propositions, with their conditions, wrapped.

    A proposition's phrase is its ``phrase`` (the link with the article's
    modality, :func:`explainer.provenance.phrase`), composed from ``link``
    and ``modality`` when it has none.

    Examples
    --------
    >>> link_text([{"link": "releases"}, {"link": "releases", "condition": "during touch"}])
    'releases (during\\ntouch)'
    >>> link_text([{"link": "is a source of", "modality": "can"}])
    'can be a source of'
    """
    parts: list[str] = []
    for data in edges:
        text = _phrase_of(data)
        condition = text_of(data.get("condition"))
        if condition:
            text = f"{text} ({condition})"
        if text and text not in parts:
            parts = [p for p in parts if p not in (str(data.get("link")), data.get("phrase"))]
            parts.append(text)
    return "\n".join(textwrap.wrap(" / ".join(parts), width))


def _phrase_of(data: Mapping) -> str:
    """Return one proposition's phrase: its ``phrase``, or its link with its modality."""
    given = text_of(data.get("phrase"))
    if given:
        return given
    modality = text_of(data.get("modality"))
    return phrase(text_of(data.get("link")), modality) if modality else text_of(data.get("link"))


def style_handles(G=None, edges: Iterable[Mapping] | None = None) -> list:
    """Return legend handles for the edge colours and lines that occur."""
    from matplotlib.lines import Line2D

    found = list(edges) if edges is not None else [d for _, _, d in G.edges(data=True)]
    meanings = {_meaning(d) for d in found}
    bases = {_basis(d) for d in found} | {"stated"}
    handles = [
        Line2D([], [], color=_COLOURS[m], label=_COLOUR_WORDS[m]) for m in _COLOURS if m in meanings
    ]
    handles += [
        Line2D([], [], color="#444444", linestyle=BASIS_LINES[b], label=_BASIS_WORDS[b])
        for b in BASIS_LINES
        if b in bases
    ]
    return handles


def heads(paths, length: float = 0.1, width: float = 0.07) -> list[list[tuple[float, float]]]:
    """Return one arrowhead triangle per polyline, at its last point."""
    out = []
    for points in paths:
        (x0, y0), (x1, y1) = points[-2], points[-1]
        norm = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 or 1.0
        dx, dy = (x1 - x0) / norm, (y1 - y0) / norm
        bx, by = x1 - dx * length, y1 - dy * length
        w = width / 2
        out.append([(x1, y1), (bx - dy * w, by + dx * w), (bx + dy * w, by - dx * w)])
    return out


def add_edges(
    ax, paths, styles, names, *, linewidth=1.2, zorder=2, alpha=1.0, head=1.0
) -> LineCollection:
    """Draw polylines as ONE LineCollection and their heads as ONE PolyCollection.

    ``names`` become the lines' urls (``edge:SOURCE->TARGET``), which the
    figure tests read to know which boxes each edge may touch.
    """
    from matplotlib.collections import LineCollection, PolyCollection

    lines = LineCollection(
        paths,
        colors=[s["color"] for s in styles],
        linestyles=[s["linestyle"] for s in styles],
        linewidths=linewidth,
        alpha=alpha,
        zorder=zorder,
    )
    lines.set_urls([f"edge:{u}->{v}" for u, v in names])
    lines.set_gid("edges")
    ax.add_collection(lines)
    ax.add_collection(
        PolyCollection(
            heads(paths, 0.1 * head, 0.07 * head),
            facecolors=[s["color"] for s in styles],
            edgecolors="none",
            alpha=alpha,
            zorder=zorder,
        )
    )
    return lines


def add_box(ax, name, x, y, w, h, label, colour, *, outline=False, bold=False, alpha=0.9) -> None:
    """Draw one concept box (a patch ``box:NAME``) with its label (a text ``label:NAME``)."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.06",
            facecolor=colour,
            edgecolor="black" if outline else "none",
            linewidth=1.4,
            alpha=alpha,
            zorder=3,
            gid=f"box:{name}",
        )
    )
    ax.text(
        x,
        y,
        label,
        ha="center",
        va="center",
        fontsize=FONT_SIZE,
        linespacing=1.1,
        fontweight="bold" if bold else "normal",
        zorder=4,
        gid=f"label:{name}",
    )


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def draw_chains(
    chains: list[dict],
    ax=None,
    *,
    title: str | None,
    colours: Mapping[str, str],
    legend_extra: list | None = None,
) -> Axes:
    """Draw routes as rows: a label on the left, boxes joined by arrows, phrases above.

    Parameters
    ----------
    chains : list of dict
        Each with ``label`` (the row's name), ``nodes`` (``(id, label,
        kind)`` triples), ``links`` (one attribute dict per step, with
        ``link``, ``polarity``, ``link_type``, ``basis``, ``condition``),
        ``own`` (a node id to outline, or ``None``) and optionally
        ``heading`` (a group title drawn above the row).
    ax : matplotlib.axes.Axes, optional
        By default a new figure where one data unit is one inch.
    title : str or None
    colours : mapping
        Concept kind to colour.
    legend_extra : list, optional
        More legend handles.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.patches import Patch

    box_w, left = 1.08, 1.85
    longest = max(len(c["nodes"]) for c in chains)
    # Rows of many steps come closer together, so that the figure stays within
    # the width the notebooks and the site show without shrinking (_MAX_WIDTH).
    step = min(1.98, (_MAX_WIDTH - left - box_w - 0.1) / max(longest - 1, 1))
    seen: dict[tuple, str] = {}
    rows = []
    y = 0.0
    for chain in chains:
        if chain.get("heading"):
            rows.append(("heading", chain["heading"], y + 0.2))
            y += 0.45
        wrapped = [_wrap(label, 14) for _, label, _ in chain["nodes"]]
        box_h = max(w.count("\n") + 1 for w in wrapped) * _LINE + 0.14
        texts = [
            link_text(
                [d]
                if d.get("link_type") in _INFLUENCE
                else [{**d, "phrase": f"{_phrase_of(d)} (by definition)"}],
                width=24,
            )
            for d in chain["links"]
        ]
        label_h = max([t.count("\n") + 1 for t in texts] + [1]) * _LINE
        top = y
        centre = top + label_h + 0.06 + box_h / 2
        key = tuple(n for n, _, _ in chain["nodes"])
        name = chain["label"]
        if key in seen:
            name = f"{name} (the same route as {seen[key]})"
        else:
            seen[key] = chain["label"]
        rows.append(("chain", (chain, wrapped, texts, name), centre, box_h))
        y = centre + box_h / 2 + 0.22
    width = left + (longest - 1) * step + box_w + 0.1
    height = y
    if ax is None:
        import matplotlib.pyplot as plt

        top_m, bottom_m = 0.45 if title else 0.1, 0.75
        fig = plt.figure(figsize=(width, height + top_m + bottom_m))
        ax = fig.add_axes(
            (0, bottom_m / (height + top_m + bottom_m), 1, height / (height + top_m + bottom_m))
        )
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    paths, styles, names = [], [], []
    kinds = []
    for r, row in enumerate(rows):
        if row[0] == "heading":
            ax.text(0.05, row[2], row[1], ha="left", va="center", fontsize=10, fontweight="bold")
            ax.plot([0.05, width - 0.05], [row[2] + 0.17, row[2] + 0.17], color="#BBBBBB", lw=0.6)
            continue
        (chain, wrapped, texts, name), centre, box_h = row[1], row[2], row[3]
        ax.text(0.05, centre, _wrap(name, 24), ha="left", va="center", fontsize=8.5)
        xs = [left + box_w / 2 + i * step for i in range(len(chain["nodes"]))]
        for (node, _, kind), x, label in zip(chain["nodes"], xs, wrapped, strict=True):
            kinds.append(kind)
            own = node == chain.get("own")
            add_box(
                ax,
                f"{node}@{r}",
                x,
                centre,
                box_w,
                box_h,
                label,
                colours[kind],
                outline=own,
                bold=own,
            )
        for i, (data, text) in enumerate(zip(chain["links"], texts, strict=True)):
            a, b = xs[i] + box_w / 2, xs[i + 1] - box_w / 2
            paths.append([(a, centre), (b, centre)])
            styles.append(edge_style(data))
            names.append((f"{chain['nodes'][i][0]}@{r}", f"{chain['nodes'][i + 1][0]}@{r}"))
            ax.text(
                (a + b) / 2,
                centre - box_h / 2 - 0.04,
                text,
                ha="center",
                va="bottom",
                fontsize=FONT_SIZE,
                style="italic",
                gid="link",
            )
    add_edges(ax, paths, styles, names, linewidth=1.2)
    handles = [
        Patch(facecolor=colours[k], label=k.replace("_", " ")) for k in colours if k in kinds
    ]
    handles += legend_extra or []
    handles += style_handles(edges=[d for c in chains for d in c["links"]])
    legend_below(ax, handles, ncol=5)
    if title:
        ax.set_title(title, fontsize=11)
    return ax
