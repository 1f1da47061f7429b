"""The hormones and mechanisms: a hormone-by-effect matrix, routes, practices and threats."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from explainer._docs import fill_doc
from explainer.plots._common import OKABE_ITO, legend_below, new_axes
from explainer.plots._routes import EDGE_STYLES, draw_chains
from explainer.plots.concept_map import CONCEPT_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = [
    "FAMILY_COLOURS",
    "POLARITY_COLOURS",
    "draw_hormone_matrix",
    "draw_mechanism_links",
    "draw_mechanism_routes",
]

#: Cell styles of the hormone matrix, from the style table (``aspect`` cell).
_CELLS = {s.key: s for s in EDGE_STYLES if s.aspect == "cell"}
#: Cell colours of the hormone matrix: what the link does to its target.
POLARITY_COLOURS = {k: str(_CELLS[k].value) for k in ("positive", "negative")}
#: Mechanism families, coloured.
FAMILY_COLOURS = {
    "physical": OKABE_ITO["orange"],
    "biological": OKABE_ITO["sky_blue"],
    "psychological": OKABE_ITO["purple"],
}
_EMPTY = "#F2F2F2"
_INFLUENCE = ("causal", "correlational")


_HATCH = str(_CELLS["correlational"].value)


def _phrases(rows) -> list[str]:
    """Return each row's linking phrase with the article's modality (by relation id)."""
    from explainer.graph import concept_graph

    edges = {d["relation_id"]: d for _, _, d in concept_graph().edges(data=True)}
    if "relation_id" not in getattr(rows, "columns", ()):
        return [str(link) for link in rows.link]
    return [
        edges[r]["phrase"] if r in edges and edges[r]["link"] == link else str(link)
        for r, link in zip(rows.relation_id, rows.link, strict=True)
    ]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width))


@fill_doc
def draw_hormone_matrix(effects, triggers=None, ax=None, *, title: str | None = None) -> Axes:
    """Draw the hormone-by-effect matrix: what triggers each hormone and what it does.

    One row per hormone, one column per effect concept; a filled cell holds
    the article's linking phrase, coloured by polarity (sky blue: the
    hormone raises the effect; orange: it lowers it) and hatched where the
    link is a correlation rather than a cause. An empty cell means the
    article says nothing about that pair. With ``triggers``, a block of
    columns on the left shows what releases each hormone.

    Parameters
    ----------
    effects : pandas.DataFrame
        From :func:`explainer.mechanisms.hormone_effects`.
    triggers : pandas.DataFrame, optional
        From :func:`explainer.mechanisms.hormone_triggers`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if ``None``.
    title : str, optional

    %(axes_example)s
    >>> from explainer.mechanisms import hormone_effects, hormone_triggers
    >>> ax = draw_hormone_matrix(hormone_effects(), hormone_triggers())
    >>> [t.get_text().split()[0] for t in ax.get_yticklabels()]
    ['Dopamine', 'Endorphins', 'Oxytocin']
    >>> plt.close(ax.figure)
    """
    import pandas as pd
    from matplotlib.patches import Patch, Rectangle

    blocks = [("What it does\n(hormone → column)", effects)]
    if triggers is not None:
        blocks.insert(0, ("What releases it\n(column → hormone)", triggers))
    tables = [table for _, table in blocks]
    hormones = (
        pd.concat([t[["hormone_id", "hormone", "alias"]] for t in tables])
        .drop_duplicates("hormone_id")
        .sort_values("hormone_id")
    )
    rows = {h: i for i, h in enumerate(hormones.hormone_id)}
    columns: list[tuple[float, str, str, str]] = []  # (x, block, concept id, label)
    x = 0.0
    headers = []
    for name, table in blocks:
        concepts = (
            table[["concept_id", "concept_label", "concept_kind"]]
            .drop_duplicates("concept_id")
            .sort_values(["concept_kind", "concept_id"])
        )
        start = x
        for c in concepts.itertuples(index=False):
            columns.append((x, name, c.concept_id, c.concept_label))
            x += 1.0
        headers.append((start, x - 1.0, name))
        x += 0.35  # a gap between the blocks
    ax = new_axes(ax, (9.5, 1.0 + 0.95 * len(rows)))
    for name, table in blocks:
        for col_x, col_block, concept, _ in columns:
            if col_block != name:
                continue
            for hormone, y in rows.items():
                cell = table[(table.hormone_id == hormone) & (table.concept_id == concept)]
                if len(cell):
                    first = cell.sort_values("relation_id").iloc[0]
                    colour = POLARITY_COLOURS[str(first.polarity)]
                    hatch = "" if str(first.link_type) == "causal" else _HATCH
                    text = _wrap(" / ".join(_phrases(cell.sort_values("relation_id"))), 14)
                else:
                    colour, hatch, text = _EMPTY, "", ""
                ax.add_patch(
                    Rectangle(
                        (col_x - 0.47, y - 0.45),
                        0.94,
                        0.9,
                        facecolor=colour,
                        edgecolor="white" if not hatch else "#555555",
                        hatch=hatch,
                        linewidth=0.0 if not hatch else 0.4,
                    )
                )
                if text:
                    ax.text(
                        col_x,
                        y,
                        text,
                        ha="center",
                        va="center",
                        fontsize=8.5,
                        bbox={
                            "boxstyle": "round,pad=0.15",
                            "facecolor": "white",
                            "edgecolor": "none",
                            "alpha": 0.85,
                        },
                    )
    ax.set_xticks([c[0] for c in columns], [_wrap(c[3], 13) for c in columns], fontsize=8.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.set_yticks(
        list(rows.values()),
        [f"{h.hormone}\n“{h.alias}”" for h in hormones.itertuples(index=False)],
        fontsize=9,
    )
    for start, end, name in headers:
        ax.annotate(
            "",
            xy=(end + 0.45, -1.25),
            xytext=(start - 0.45, -1.25),
            arrowprops={"arrowstyle": "-", "color": "#333333", "linewidth": 1.0},
            annotation_clip=False,
        )
        ax.text(
            (start + end) / 2,
            -1.35,
            name,
            ha="center",
            va="bottom",
            fontsize=8.5,
            fontweight="bold",
        )
    ax.set_xlim(-0.55, x - 0.35 - 0.45)
    ax.set_ylim(len(rows) - 0.5, -0.55)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    handles = [
        Patch(facecolor=POLARITY_COLOURS[k], label=_CELLS[k].meaning)
        for k in ("positive", "negative")
    ] + [
        Patch(
            facecolor=POLARITY_COLOURS["positive"],
            hatch=str(_CELLS["correlational"].value),
            edgecolor="#555555",
            label=_CELLS["correlational"].meaning,
        ),
        Patch(facecolor=_EMPTY, label="the article says nothing"),
    ]
    legend_below(ax, handles, ncol=2, fontsize=8.5, top=-0.02)
    ax.set_title(
        title if title is not None else "What the article says about each hormone",
        fontsize=11,
        pad=75,
    )
    return ax


@fill_doc
def draw_mechanism_routes(steps, ax=None, *, title: str | None = None) -> Axes:
    """Draw each mechanism's route from sex to emotional intimacy, grouped by family.

    One row per mechanism, under a heading for its family. Every route
    starts at sex and ends at emotional intimacy; the concepts are boxes
    coloured by kind, and the mechanism's own concept is outlined in black.
    Each arrow carries the article's linking phrase above it, coloured by
    what the link does (see :func:`explainer.plots._routes.edge_style`);
    a link that is not causal at all is marked "by definition". A route
    identical to an earlier one says so.

    Parameters
    ----------
    steps : pandas.DataFrame
        From :func:`explainer.mechanisms.mechanism_steps`.
    %(ax_title)s

    %(axes_example)s
    >>> from explainer.mechanisms import mechanism_steps
    >>> ax = draw_mechanism_routes(mechanism_steps())
    >>> ax.get_title()
    "Each mechanism's route from sex to emotional intimacy, as the article tells it"
    >>> plt.close(ax.figure)
    """
    from matplotlib.patches import Patch

    chains = []
    family = None
    for mechanism in dict.fromkeys(steps.mechanism_id):
        mine = steps[steps.mechanism_id == mechanism].sort_values("step")
        heading = None
        if str(mine.family.iloc[0]) != family:
            family = str(mine.family.iloc[0])
            heading = family.capitalize()
        chains.append(
            {
                "label": str(mine.name.iloc[0]),
                "heading": heading,
                "own": str(mine.concept_id.iloc[0]),
                "nodes": [
                    *zip(mine.source, mine.source_label, mine.source_kind, strict=True),
                    (
                        mine.target.iloc[-1],
                        mine.target_label.iloc[-1],
                        mine.target_kind.iloc[-1],
                    ),
                ],
                "links": [
                    {
                        "link": s.link,
                        "phrase": phrase,
                        "polarity": str(s.polarity),
                        "link_type": str(s.link_type),
                        **{k: getattr(s, k) for k in ("basis", "condition") if hasattr(s, k)},
                    }
                    for s, phrase in zip(mine.itertuples(index=False), _phrases(mine), strict=True)
                ],
            }
        )
    return draw_chains(
        chains,
        ax=ax,
        title=title
        if title is not None
        else "Each mechanism's route from sex to emotional intimacy, as the article tells it",
        colours=CONCEPT_COLOURS,
        legend_extra=[
            Patch(facecolor="white", edgecolor="black", label="the mechanism's own concept")
        ],
    )


def _side_box(ax, x, y, label, colour):
    """Write ``label`` in a rounded box of ``colour`` centred on ``(x, y)``; return the Text."""
    return ax.text(
        x,
        y,
        label,
        ha="center",
        va="center",
        fontsize=8.5,
        zorder=3,
        bbox={"boxstyle": "round,pad=0.3", "facecolor": colour},
    )


def _box_arrow(ax, source, target, start, end, **style) -> None:
    """Draw an arrow from the box of Text ``source`` to that of ``target``, edge to edge.

    ``start`` and ``end`` are the boxes' centres; ``style`` is the arrow's
    colour, line style and width.
    """
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        zorder=2,
        arrowprops={
            "arrowstyle": "-|>",
            **style,
            "patchA": source.get_bbox_patch(),
            "patchB": target.get_bbox_patch(),
            "shrinkA": 2,
            "shrinkB": 2,
        },
    )


@fill_doc
def draw_mechanism_links(
    summary, practices, challenges, ax=None, *, title: str | None = None
) -> Axes:
    """Draw which practices work through which mechanism, and which challenges threaten it.

    Three columns: the practices of section 5 on the left, the mechanisms
    in the middle (grouped and coloured by family), the challenges of
    section 6 on the right. A solid arrow runs from a practice to the
    mechanism it works through; a dashed vermillion arrow from a challenge
    to the mechanism it threatens. A challenge that threatens nothing (the
    myth) says so. Mechanisms that nothing touches are drawn faded.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`explainer.mechanisms.mechanism_summary` (the middle column).
    practices : pandas.DataFrame
        From :func:`explainer.mechanisms.practice_mechanisms`.
    challenges : pandas.DataFrame
        From :func:`explainer.mechanisms.challenge_threats`.
    %(ax_title)s

    %(axes_example)s
    >>> from explainer import mechanisms as m
    >>> summary = m.mechanism_summary()
    >>> ax = draw_mechanism_links(summary, m.practice_mechanisms(), m.challenge_threats())
    >>> ax.get_title()
    'What the article says helps each mechanism, and what threatens it'
    >>> plt.close(ax.figure)
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax = new_axes(ax, (10, 6.5))
    x_practice, x_mechanism, x_challenge = 0.0, 4.0, 8.0
    y_mechanism = {}
    y = 0.0
    family = None
    for m in summary.itertuples(index=False):
        if str(m.family) != family:
            if family is not None:
                y += 0.5
            family = str(m.family)
        y_mechanism[m.mechanism_id] = y
        y += 1.0
    bottom = y - 1.0
    boxes = {}
    for m in summary.itertuples(index=False):
        touched = bool(m.n_practices or m.n_challenges)
        boxes[m.mechanism_id] = ax.text(
            x_mechanism,
            y_mechanism[m.mechanism_id],
            _wrap(m.name, 26),
            ha="center",
            va="center",
            fontsize=8.5,
            alpha=1.0 if touched else 0.5,
            zorder=3,
            bbox={
                "boxstyle": "round,pad=0.3",
                "facecolor": FAMILY_COLOURS[str(m.family)],
                "edgecolor": "black" if touched else "none",
                "linewidth": 1.0,
                "alpha": 1.0 if touched else 0.35,
            },
        )

    def beside(targets):
        # Place side items level with their mechanisms, in order, never
        # closer than 1.1 rows apart: arrows then hardly cross.
        placed, previous = [], -1.1
        for target in targets:
            previous = max(target, previous + 1.1)
            placed.append(previous)
        return placed

    practices = practices.assign(_y=practices.mechanism_id.map(y_mechanism)).sort_values(
        ["_y", "section_id"], kind="stable"
    )
    for p, yp in zip(practices.itertuples(index=False), beside(practices._y), strict=True):
        box = _side_box(ax, x_practice, yp, _wrap(p.title, 20), CONCEPT_COLOURS["practice"])
        _box_arrow(
            ax,
            box,
            boxes[p.mechanism_id],
            (x_practice, yp),
            (x_mechanism, y_mechanism[p.mechanism_id]),
            color="#333333",
            linewidth=1.2,
        )
    # A challenge that threatens nothing goes last, below the others.
    challenges = challenges.assign(
        _y=challenges.threatens.map(y_mechanism).fillna(bottom - 0.3)
    ).sort_values(["_y", "section_id"], kind="stable")
    heights = beside(challenges._y)
    for c, yc in zip(challenges.itertuples(index=False), heights, strict=True):
        label = _wrap(c.title, 20)
        if not c.threatens:
            label += "\n(a myth: it threatens\nnothing; the article\nrebuts it)"
        box = _side_box(ax, x_challenge, yc, label, CONCEPT_COLOURS["challenge"])
        if c.threatens:
            _box_arrow(
                ax,
                box,
                boxes[c.threatens],
                (x_challenge, yc),
                (x_mechanism, y_mechanism[c.threatens]),
                color=OKABE_ITO["vermillion"],
                linestyle="--",
                linewidth=1.4,
            )
    for x, head in (
        (x_practice, "Practices (section 5)"),
        (x_mechanism, "Mechanisms (sections 2–4)"),
        (x_challenge, "Challenges (section 6)"),
    ):
        ax.text(x, -1.1, head, ha="center", va="center", fontsize=10, fontweight="bold")
    ax.set_xlim(-1.5, 9.5)
    ax.set_ylim(bottom + 1.0, -1.6)
    ax.axis("off")
    handles = [Patch(facecolor=FAMILY_COLOURS[f], label=f"{f} mechanism") for f in FAMILY_COLOURS]
    handles += [
        Patch(
            facecolor=FAMILY_COLOURS["psychological"],
            alpha=0.35,
            label="no practice or challenge (faded)",
        ),
        Line2D([], [], color="#333333", linestyle="-", label="works through"),
        Line2D([], [], color=OKABE_ITO["vermillion"], linestyle="--", label="threatens"),
    ]
    legend_below(ax, handles, ncol=3, fontsize=8.5)
    ax.set_title(
        title
        if title is not None
        else "What the article says helps each mechanism, and what threatens it",
        fontsize=11,
    )
    return ax
