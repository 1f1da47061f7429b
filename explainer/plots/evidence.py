"""The evidence audit, drawn: claims by type, and research beside each claim."""

from __future__ import annotations

import os
import textwrap
from typing import TYPE_CHECKING

from explainer._docs import fill_doc
from explainer.plots._common import OKABE_ITO, legend_at, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = [
    "BEARING_COLOURS",
    "CLAIM_TYPE_COLOURS",
    "VERDICT_COLOURS",
    "draw_certainty",
    "draw_claims_by_part",
    "draw_evidence",
    "draw_prisma_flow",
]

#: Bearings, from backing (blues) to against (orange, vermillion).
BEARING_COLOURS = {
    "supports": OKABE_ITO["blue"],
    "partly_supports": OKABE_ITO["sky_blue"],
    "complicates": OKABE_ITO["orange"],
    "contradicts": OKABE_ITO["vermillion"],
}

#: Verdicts, from backed (blues) through mixed (yellow) to against (orange, vermillion);
#: claims not checked in grey.
VERDICT_COLOURS = {
    "supported": OKABE_ITO["blue"],
    "partly_supported": OKABE_ITO["sky_blue"],
    "mixed": OKABE_ITO["yellow"],
    "doubtful": OKABE_ITO["orange"],
    "contradicted": OKABE_ITO["vermillion"],
    "not_checked": "#DDDDDD",
}

#: Claim types: empirical ones in strong colours, the rest in lighter ones.
CLAIM_TYPE_COLOURS = {
    "definition": OKABE_ITO["grey"],
    "biological": OKABE_ITO["blue"],
    "psychological": OKABE_ITO["sky_blue"],
    "evaluative": OKABE_ITO["yellow"],
    "advice": OKABE_ITO["green"],
    "rebuttal": OKABE_ITO["purple"],
    "expert_opinion": OKABE_ITO["vermillion"],
    "faq_answer": OKABE_ITO["orange"],
    "meta": OKABE_ITO["black"],
}


@fill_doc
def draw_claims_by_part(*, ax=None, data_dir: str | os.PathLike[str] | None = None) -> Axes:
    """Draw how many claims of each type every part of the article makes.

    %(ax_data_dir_returns)s
    """
    from explainer.audit import claims_by_part
    from explainer.tables import load

    table = claims_by_part(data_dir=data_dir)
    titles = load("sections", data_dir=data_dir).set_index("section_id")
    ax = new_axes(ax, (9, 5))
    left = [0] * len(table)
    for kind, colour in CLAIM_TYPE_COLOURS.items():
        values = table[kind].tolist()
        ax.barh(range(len(table)), values, left=left, color=colour, label=kind.replace("_", " "))
        left = [a + b for a, b in zip(left, values, strict=True)]
    labels = []
    for sid in table.index:
        row = titles.loc[sid]
        labels.append(
            f"{row['number']}. {row['title']}" if row["kind"] == "section" else str(row["title"])
        )
    ax.set_yticks(range(len(table)), [t if len(t) <= 42 else t[:39] + "..." for t in labels])
    ax.invert_yaxis()
    ax.set_xlabel("claims")
    ax.set_title("What kind of claims each part of the article makes")
    legend_at(ax, title="claim type")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


@fill_doc
def draw_evidence(*, ax=None, data_dir: str | os.PathLike[str] | None = None) -> Axes:
    """Draw each assessed claim beside its research: one bar per claim, split by bearing.

    Each row is a claim that published research was set beside; the bar
    counts its references, coloured by how they bear on the claim, and the
    claim's verdict is written at the end of the bar.

    %(ax_data_dir_returns)s
    """
    from explainer.audit import BEARINGS, claim_audit

    audit = claim_audit(data_dir=data_dir)
    assessed = audit[audit.references > 0].sort_values(["verdict", "claim_id"], kind="stable")
    ax = new_axes(ax, (10, 0.45 * len(assessed) + 1.5))
    left = [0] * len(assessed)
    for bearing in BEARINGS:
        values = assessed[bearing].tolist()
        ax.barh(
            range(len(assessed)),
            values,
            left=left,
            color=BEARING_COLOURS[bearing],
            edgecolor="white",
            label=bearing.replace("_", " "),
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, (total, v) in enumerate(zip(left, assessed.verdict, strict=True)):
        ax.text(total + 0.1, y, str(v).replace("_", " "), va="center", fontsize=8, style="italic")
    labels = [
        f"{c}: {textwrap.shorten(s, 66, placeholder='...')}"
        for c, s in zip(assessed.claim_id, assessed.statement, strict=True)
    ]
    ax.set_yticks(range(len(assessed)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max(left) + 2.2)
    ax.set_xlabel("published studies set beside the claim")
    ax.set_title("The article's scientific claims beside published research")
    ax.legend(loc="lower right", frameon=False, fontsize="small", title="the study")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


@fill_doc
def draw_certainty(
    *, ax=None, per_row: int = 6, data_dir: str | os.PathLike[str] | None = None
) -> Axes:
    """Draw every empirical claim as a square: by family (rows), certainty (columns) and verdict.

    Each square is one claim; its colour is the verdict of its body of evidence
    (:data:`VERDICT_COLOURS`), its column the GRADE certainty of that
    evidence, with claims not checked in a last column. A dark edge marks a
    claim backed only indirectly (rated at most 3 of 5).

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
    per_row : int, default 6
        Squares side by side in a cell before a new row starts.
    %(data_dir_last_returns)s
    matplotlib.axes.Axes
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    from explainer.audit import claim_audit
    from explainer.grading import CERTAINTIES
    from explainer.tables import load

    audit = claim_audit(data_dir=data_dir)
    audit = audit[audit.status.notna()]
    families = load("families", data_dir=data_dir)
    columns = [*CERTAINTIES, ""]
    headers = ["high", "moderate", "low", "very low", "not checked"]
    cells: dict[tuple[str, str], list] = {}
    for row in audit.sort_values(["verdict", "claim_id"]).itertuples(index=False):
        key = (row.family_id, "" if row.certainty != row.certainty else str(row.certainty))
        cells.setdefault(key, []).append(row)
    heights = []
    for fid in families.family_id:
        most = max((len(cells.get((fid, c), [])) for c in columns), default=0)
        heights.append(max(1, -(-most // per_row)))
    gap, size = 1.0, 0.8
    width = per_row + gap
    spacing = 0.9  # between families, so that two-line labels have room
    tall = sum(heights) + spacing * len(heights)
    # about 7.4 of the 12 inches are left for the squares beside labels and legend
    ax = new_axes(ax, (12, 1.6 + 7.4 * tall / (len(columns) * width)))
    y = 0.0
    ticks = []
    for fid, h in zip(families.family_id, heights, strict=True):
        ticks.append(y + h / 2)
        for ci, cert in enumerate(columns):
            for k, row in enumerate(cells.get((fid, cert), [])):
                x = ci * width + k % per_row
                yy = y + k // per_row
                ax.add_patch(
                    Rectangle(
                        (x + (1 - size) / 2, yy + (1 - size) / 2),
                        size,
                        size,
                        facecolor=VERDICT_COLOURS[str(row.verdict)],
                        edgecolor=OKABE_ITO["black"] if row.indirect_only else "white",
                        linewidth=1.2,
                    )
                )
        y += h + spacing
    for ci in range(1, len(columns)):
        ax.axvline(ci * width - gap / 2, color=OKABE_ITO["grey"], linewidth=0.6)
    titles = dict(zip(families.family_id, families.title, strict=True))
    ax.set_yticks(ticks, [textwrap.fill(titles[f], 32) for f in families.family_id])
    ax.set_xticks([ci * width + per_row / 2 for ci in range(len(columns))], headers)
    ax.xaxis.tick_top()
    ax.set_xlim(-0.2, len(columns) * width - gap + 0.2)
    ax.set_ylim(y - spacing + 0.2, -0.2)
    ax.set_xlabel("certainty of the body of evidence (GRADE)")
    ax.xaxis.set_label_position("top")
    ax.tick_params(length=0)
    ax.set_aspect("equal")
    ax.spines[:].set_visible(False)
    handles = [
        Patch(facecolor=colour, edgecolor="white", label=v.replace("_", " "))
        for v, colour in VERDICT_COLOURS.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            markersize=10,
            markerfacecolor="white",
            markeredgecolor=OKABE_ITO["black"],
            label="backed only indirectly",
        )
    )
    legend_at(ax, handles, fontsize=None, title="verdict (one square per claim)")
    ax.set_title("The article's empirical claims, graded", pad=28)
    return ax


#: The PRISMA flow's stages, from what was found to what was included.
FLOW_COLOURS = {
    "duplicates": OKABE_ITO["grey"],
    "excluded": OKABE_ITO["orange"],
    "included": OKABE_ITO["blue"],
}


@fill_doc
def draw_prisma_flow(*, ax=None, data_dir: str | os.PathLike[str] | None = None) -> Axes:
    """Draw the flow of records for each family: how many were found, screened and included.

    One bar per family (PRISMA 2020): its length is every record the
    protocol's searches and the earlier reading list returned, split into
    duplicates removed, records excluded after screening (with their reasons
    in :func:`explainer.review.prisma_flow`) and records included.

    %(ax_data_dir_returns)s
    """
    from explainer.review import prisma_flow
    from explainer.tables import load

    flow = prisma_flow(load("screening", data_dir=data_dir), load("searches", data_dir=data_dir))
    titles = dict(
        zip(*(load("families", data_dir=data_dir)[c] for c in ("family_id", "title")), strict=True)
    )
    ax = new_axes(ax, (10, 0.55 * len(flow) + 1.6))
    y = list(range(len(flow)))
    left = [0] * len(flow)
    for stage, colour in FLOW_COLOURS.items():
        values = flow[stage].tolist()
        ax.barh(y, values, left=left, color=colour, edgecolor="white", label=stage)
        for yy, x0, v in zip(y, left, values, strict=True):
            if v:
                ax.text(
                    x0 + v / 2,
                    yy,
                    str(v),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if stage == "included" else "black",
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(y, [textwrap.fill(titles[f], 36) for f in flow.family_id])
    ax.invert_yaxis()
    ax.set_xlabel("records found by the protocol's searches and the earlier reading list")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", frameon=False, title="record")
    ax.set_title("From search to body of evidence, per family (PRISMA flow)")
    return ax
