"""The article's outline, drawn as bars of text length."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from explainer._docs import fill_doc
from explainer.plots._common import OKABE_ITO, legend_at, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = ["SECTION_COLOURS", "draw_outline"]

# Kinds of section, coloured by what they are for the reader.
SECTION_COLOURS = {
    "title": OKABE_ITO["black"],
    "intro": OKABE_ITO["blue"],
    "toc": OKABE_ITO["grey"],
    "section": OKABE_ITO["blue"],
    "lead": OKABE_ITO["sky_blue"],
    "subsection": OKABE_ITO["blue"],
    "bullet": OKABE_ITO["green"],
    "coda": OKABE_ITO["sky_blue"],
    "expert": OKABE_ITO["purple"],
    "faq": OKABE_ITO["orange"],
    "closing_note": OKABE_ITO["vermillion"],
    "comment_form": OKABE_ITO["grey"],
}

# One legend entry per colour, saying what the colour stands for.
_OUTLINE_LEGEND = {
    OKABE_ITO["black"]: "title",
    OKABE_ITO["blue"]: "body text",
    OKABE_ITO["sky_blue"]: "a section's opening or closing text",
    OKABE_ITO["green"]: "bullet item",
    OKABE_ITO["purple"]: "expert entry",
    OKABE_ITO["orange"]: "FAQ entry",
    OKABE_ITO["vermillion"]: "note about the article itself",
    OKABE_ITO["grey"]: "contents and comment form",
}


@fill_doc
def draw_outline(*, ax=None, data_dir: str | os.PathLike[str] | None = None) -> Axes:
    """Draw the article's outline: one bar per part, split into its children.

    Each top-level part is a horizontal bar as long as its text (in
    characters); the bar is split into the part's children (lead,
    subsections, bullets, experts, FAQ entries), coloured by kind.

    %(ax_where_data_dir_returns)s
    """
    from matplotlib.patches import Patch

    from explainer.structure import leaves, outline

    parts = outline(data_dir=data_dir)
    leaf = leaves(data_dir=data_dir)
    ax = new_axes(ax, (9, 5.5))
    labels = []
    for y, part in enumerate(parts.itertuples(index=False)):
        mine = leaf[(leaf.section_id == part.section_id) | (leaf.parent_id == part.section_id)]
        left = 0
        for child in mine.itertuples(index=False):
            ax.barh(
                y,
                child.chars,
                left=left,
                color=SECTION_COLOURS[child.kind],
                edgecolor="white",
                linewidth=1,
            )
            left += child.chars
        label = f"{part.number}. {part.title}" if part.kind == "section" else part.title
        labels.append(label if len(label) <= 48 else label[:45] + "...")
    ax.set_yticks(range(len(parts)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("length of the part (characters)")
    ax.set_title("The article, part by part")
    shown = {SECTION_COLOURS[k] for k in set(leaf.kind)}
    handles = [Patch(color=c, label=label) for c, label in _OUTLINE_LEGEND.items() if c in shown]
    legend_at(ax, handles)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
