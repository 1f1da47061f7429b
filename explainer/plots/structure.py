"""The article's structure, drawn: its tree, its parts, and where its claims sit."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from explainer._docs import fill_doc
from explainer.plots._common import (
    OKABE_ITO,
    finish_barh,
    label_bars,
    legend_at,
    legend_below,
    new_axes,
)
from explainer.plots.outline import SECTION_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = [
    "TEXT_SHARE_COLOURS",
    "draw_article_tree",
    "draw_text_map",
    "draw_text_shares",
    "draw_words_and_claims",
]

PathLike = str | os.PathLike[str]

#: Content in blue; the page's furniture (contents, comment form) in grey, as in
#: the outline; text about the article itself in vermillion and orange.
TEXT_SHARE_COLOURS = {
    "content": OKABE_ITO["blue"],
    "toc": OKABE_ITO["grey"],
    "closing_note": OKABE_ITO["vermillion"],
    "comment_form": OKABE_ITO["grey"],
    "meta_claim": OKABE_ITO["orange"],
}

# The tree colours its nodes as the outline does, with the root in black.
_NODE_COLOURS = {**SECTION_COLOURS, "article": OKABE_ITO["black"]}

# One legend entry per colour of node in the tree.
_TREE_LEGEND = {
    "article": "the article and its title",
    "section": "numbered section or lettered subsection",
    "lead": "a section's opening or closing text",
    "bullet": "bullet item",
    "expert": "expert entry",
    "faq": "FAQ entry",
    "closing_note": "note about the article itself",
    "toc": "contents and comment form",
}


def _short(label: str, width: int) -> str:
    """Cut a label to ``width`` characters, marking the cut."""
    return label if len(label) <= width else label[: width - 3] + "..."


@fill_doc
def draw_article_tree(*, ax=None, data_dir: PathLike | None = None) -> Axes:
    """Draw the article as a tree: one row per part, indented by depth.

    The article is the root; its parts hang from it and their children
    (lead text, lettered subsections, bullets, experts, FAQ entries) hang
    from them, in reading order from top to bottom. Two columns on the right
    give each part's length in characters and the number of claims in it.
    The layout is fixed by the table, so the picture is the same on every run.

    %(ax_where_data_dir_returns)s
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    from explainer.structure import tree

    nodes = tree(data_dir=data_dir)
    ax = new_axes(ax, (9.5, 0.21 * len(nodes) + 1.2))
    indent = 0.35
    row = {sid: y for y, sid in enumerate(nodes.section_id)}
    x_of = {
        sid: 0.15 + indent * lvl for sid, lvl in zip(nodes.section_id, nodes.level, strict=True)
    }
    grey = OKABE_ITO["grey"]
    # One vertical line per parent, down to its last child; one tick per child.
    # The lines are one collection and the dots one scatter: the same picture
    # as an artist each, drawn in a fraction of the time.
    last_child = nodes.groupby("parent_id")["section_id"].last()
    lines = [
        [(x_of[parent], row[parent]), (x_of[parent], row[child])]
        for parent, child in last_child.items()
    ]
    lines += [
        [(x_of[parent], row[sid]), (x_of[sid], row[sid])]
        for sid, parent in zip(nodes.section_id, nodes.parent_id, strict=True)
        if isinstance(parent, str)
    ]
    ax.add_collection(
        LineCollection(lines, colors=grey, linewidths=0.8, capstyle="projecting", zorder=1)
    )
    ax.scatter(
        [x_of[sid] for sid in nodes.section_id],
        [row[sid] for sid in nodes.section_id],
        s=30,
        color=[_NODE_COLOURS[kind] for kind in nodes.kind],
        edgecolor="white",
        zorder=2,
    )
    for node in nodes.itertuples(index=False):
        y, x = row[node.section_id], x_of[node.section_id]
        ax.text(
            x + 0.12,
            y,
            _short(node.label, 72),
            va="center",
            fontsize=8,
            fontweight="bold" if node.level < 2 else "normal",
        )
    # The two number columns sit at fixed fractions of the width.
    columns = ax.get_yaxis_transform()
    for x, header, values in (
        (0.86, "characters", nodes.chars),
        (0.98, "claims", nodes.claims),
    ):
        ax.text(
            x, -1.3, header, transform=columns, ha="right", va="center", fontsize=8, style="italic"
        )
        for y, value in enumerate(values):
            ax.text(x, y, f"{int(value):,}", transform=columns, ha="right", va="center", fontsize=8)
    ax.set_xlim(0, 10)
    ax.set_ylim(len(nodes) - 0.4, -2)
    ax.set_axis_off()
    ax.set_title("The article as a tree: its parts, their length and their claims")
    shown = set(nodes.kind)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=_NODE_COLOURS[k], label=text)
        for k, text in _TREE_LEGEND.items()
        if k in shown
    ]
    legend_at(ax, handles, loc="upper right", anchor=(0.76, 0.87))
    return ax


@fill_doc
def draw_words_and_claims(*, ax=None, data_dir: PathLike | None = None) -> Axes:
    """Draw, for each top-level part, its share of the text beside its share of the claims.

    %(ax_data_dir_returns)s
    """
    from explainer.structure import part_sizes

    parts = part_sizes(data_dir=data_dir)
    ax = new_axes(ax, (9.5, 6.5))
    height = 0.4
    ys = range(len(parts))
    for offset, column, colour, label in (
        (-height / 2, "text_share", OKABE_ITO["blue"], "share of the text (characters)"),
        (height / 2, "claim_share", OKABE_ITO["orange"], "share of the claims"),
    ):
        values = [100 * v for v in parts[column]]
        ax.barh([y + offset for y in ys], values, height=height, color=colour, label=label)
        label_bars(ax, [y + offset for y in ys], values, [f"{v:.1f}%" for v in values])
    labels = [
        "Title" if k == "title" else _short(t, 45)
        for k, t in zip(parts.kind, parts.label, strict=True)
    ]
    ax.set_yticks(list(ys), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100 * max(parts.text_share.max(), parts.claim_share.max()) + 2.5)
    ax.set_xlabel("share of the whole article (%)")
    ax.set_title("Where the article spends its words, and where it makes its claims")
    ax.legend(loc="lower right", frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


@fill_doc
def draw_text_map(*, ax=None, data_dir: PathLike | None = None) -> Axes:
    """Draw the article as a line of text, with its parts, claims and citation markers.

    The x axis is the position in the article, in characters from its
    start. From the bottom up: the top-level parts; the span of every
    claim's quote (meta claims, about the article itself, in orange); the
    two citation markers; and the stretches that are not about the topic
    (see :func:`explainer.structure.non_content_spans`).

    %(ax_data_dir_returns)s
    """
    from matplotlib.patches import Patch

    from explainer.structure import (
        NON_CONTENT,
        citation_positions,
        claim_positions,
        non_content_spans,
        tree,
    )

    nodes = tree(data_dir=data_dir)
    parts = nodes[nodes.level == 1]
    claims = claim_positions(data_dir=data_dir)
    cites = citation_positions(data_dir=data_dir)
    spans = non_content_spans(data_dir=data_dir)
    ax = new_axes(ax, (10, 3.4))
    band = 0.6
    # Parts: the numbered sections alternate two blues so that their borders show.
    names = {"intro": "intro", "toc": "toc", "closing_note": "note"}
    # Each row's bars in one call: the same rectangles as a call each, made at once.
    colours, labels = [], []
    for i, part in enumerate(parts.itertuples(index=False)):
        if part.kind == "section":
            colours.append(OKABE_ITO["blue"] if i % 2 else OKABE_ITO["sky_blue"])
            labels.append(part.label.split(".")[0])
        else:
            colours.append(TEXT_SHARE_COLOURS.get(part.kind, OKABE_ITO["blue"]))
            labels.append(names.get(part.kind, ""))
    ax.barh(3, parts.chars, left=parts.start, height=band, color=colours, edgecolor="white")
    for part, colour, name in zip(parts.itertuples(index=False), colours, labels, strict=True):
        if name:
            ax.text(
                part.start + part.chars / 2,
                3,
                name,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if colour != OKABE_ITO["sky_blue"] else "black",
            )
    # Claims: one thin bar per quote.
    ax.barh(
        2,
        claims.end - claims.start,
        left=claims.start,
        height=band,
        color=[
            TEXT_SHARE_COLOURS["meta_claim"] if kind == "meta" else OKABE_ITO["black"]
            for kind in claims.claim_type
        ],
    )
    # Citation markers.
    for cite in cites.itertuples(index=False):
        ax.plot([cite.offset], [1], marker="v", markersize=9, color=OKABE_ITO["vermillion"])
        ax.text(
            cite.offset + 80,
            1,
            f"{cite.marker} in {cite.section.split()[0]}",
            va="center",
            fontsize=8,
        )
    # Non-content.
    ax.barh(
        0,
        spans.chars,
        left=spans.start,
        height=band,
        color=[TEXT_SHARE_COLOURS[str(category)] for category in spans.category],
    )
    total = int(nodes.loc[nodes.level == 0, "end"].iloc[0])
    ax.set_xlim(0, total)
    ax.set_ylim(-0.6, 3.6)
    ax.set_yticks(
        [3, 2, 1, 0],
        ["parts", "claims (quotes)", "citation markers", "not about the topic"],
    )
    ax.invert_yaxis()
    ax.set_xlabel("position in the article (characters from the start)")
    ax.set_title("Where the claims and the two citation markers sit in the text")
    legend = {OKABE_ITO["black"]: "claim"}
    for key, text in NON_CONTENT.items():
        colour = TEXT_SHARE_COLOURS[key]
        legend[colour] = f"{legend[colour]}, {text}" if colour in legend else text
    handles = [Patch(color=c, label=text) for c, text in legend.items()]
    legend_below(ax, handles, ncol=2, fontsize="small", top=-0.3)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return ax


@fill_doc
def draw_text_shares(*, ax=None, data_dir: PathLike | None = None) -> Axes:
    """Draw how much of the article's text is content, and what the rest is.

    One bar per kind of text, from :func:`explainer.structure.text_shares`:
    its share of the article's characters, with the count beside it.

    %(ax_data_dir_returns)s
    """
    from explainer.structure import text_shares

    shares = text_shares(data_dir=data_dir)
    ax = new_axes(ax, (9.5, 2.8))
    values = [100 * v for v in shares.share]
    ys = range(len(shares))
    ax.barh(list(ys), values, color=[TEXT_SHARE_COLOURS[c] for c in shares.category], height=0.6)
    texts = [
        f"{v:.1f}%  ({int(c):,} characters)" for v, c in zip(values, shares.chars, strict=True)
    ]
    label_bars(ax, ys, values, texts, gap=0.8)
    return finish_barh(
        ax,
        ys,
        shares.description,
        xlabel="share of the article's text (%)",
        title="How much of the article is about its topic",
        xlim=(0, 115),
    )
