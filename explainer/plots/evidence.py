"""The evidence audit, drawn: claims by type, and research beside each claim."""

from __future__ import annotations

import os
import textwrap

from explainer.plots._common import OKABE_ITO, new_axes

__all__ = ["BEARING_COLOURS", "CLAIM_TYPE_COLOURS", "draw_claims_by_part", "draw_evidence"]

#: Bearings, from backing (blues) to against (orange, vermillion).
BEARING_COLOURS = {
    "supports": OKABE_ITO["blue"],
    "partly_supports": OKABE_ITO["sky_blue"],
    "complicates": OKABE_ITO["orange"],
    "contradicts": OKABE_ITO["vermillion"],
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


def draw_claims_by_part(*, ax=None, data_dir: str | os.PathLike[str] | None = None):
    """Draw how many claims of each type every part of the article makes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
    data_dir : str or path-like, optional

    Returns
    -------
    matplotlib.axes.Axes
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
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        fontsize="small",
        title="claim type",
    )
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def draw_evidence(*, ax=None, data_dir: str | os.PathLike[str] | None = None):
    """Draw each assessed claim beside its research: one bar per claim, split by bearing.

    Each row is a claim that published research was set beside; the bar
    counts its references, coloured by how they bear on the claim, and the
    claim's verdict is written at the end of the bar.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
    data_dir : str or path-like, optional

    Returns
    -------
    matplotlib.axes.Axes
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
