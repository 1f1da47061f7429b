"""The project's own data checks: what a Table Schema cannot express."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explainer.article import article_text, hedge_of, sections_frame
from explainer.errors import DataError, Problem
from explainer.grading import evidence_problems
from explainer.provenance import provenance_problems, relation_problems, unmapped_problems
from explainer.review import review_problems

__all__ = ["CHECKS", "Context", "project_problems"]

# Tables whose rows carry a verbatim quote that must lie in their section.
QUOTED = ("claims", "non_claims")


def project_problems(root: Path, frames: dict[str, pd.DataFrame], schemas: dict) -> list[Problem]:
    """Return every problem the project's own checks find (empty if none).

    Runs each function of :data:`CHECKS` on the loaded tables.

    Parameters
    ----------
    root : pathlib.Path
        The data directory.
    frames : dict of str to DataFrame
        Every table, loaded.
    schemas : dict of str to Schema
        Every table's schema.

    Returns
    -------
    list of Problem
    """
    text = article_text(data_dir=root)
    # Sections whose span is broken (a blank or non-integer start or end) are
    # left out: their problem is reported by the loader, not here again.
    spans = {
        row.section_id: (int(row.start), int(row.end))
        for row in frames["sections"].itertuples(index=False)
        if not (pd.isna(row.section_id) or pd.isna(row.start) or pd.isna(row.end))
    }
    ctx = Context(root=root, text=text, frames=frames, schemas=schemas, spans=spans)
    problems: list[Problem] = []
    for check in CHECKS:
        problems += check(ctx)
    return problems


@dataclass(frozen=True)
class Context:
    """What every project check reads: the data folder, the article and every table.

    Attributes
    ----------
    root : pathlib.Path
    text : str
        The article's text.
    frames : dict of str to DataFrame
        Every table, loaded (row numbers in ``frame.attrs["row_numbers"]``).
    schemas : dict of str to Schema
    spans : dict of str to (int, int)
        Each section's start and end offsets in ``text``.
    """

    root: Path
    text: str
    frames: dict[str, pd.DataFrame]
    schemas: dict
    spans: dict[str, tuple[int, int]]

    def file(self, name: str) -> str:
        """Return table ``name``'s file name, for a Problem."""
        return self.schemas[name].path


def _check_sections(ctx: Context) -> list[Problem]:
    return _sections_match_parser(ctx.text, ctx.frames["sections"], ctx.file("sections"))


def _check_quotes(ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    for name in QUOTED:
        if name in ctx.frames:
            problems += _quotes(ctx.text, ctx.frames[name], ctx.spans, ctx.file(name))
    return problems


def _check_claims(ctx: Context) -> list[Problem]:
    return _claims(ctx.frames, ctx.file("claims"))


def _check_hormones(ctx: Context) -> list[Problem]:
    known = set(ctx.frames["sections"].section_id.dropna())
    return _hormone_sections(ctx.text, ctx.frames, ctx.spans, known, ctx.file("hormones"))


def _check_faqs(ctx: Context) -> list[Problem]:
    return _faqs(ctx.text, ctx.frames["faqs"], ctx.spans, ctx.file("faqs"))


def _check_loops(ctx: Context) -> list[Problem]:
    return _loops(ctx.frames, ctx.file("loops"))


def _check_provenance(ctx: Context) -> list[Problem]:
    return provenance_problems(ctx.frames, {name: sch.path for name, sch in ctx.schemas.items()})


def _check_force(ctx: Context) -> list[Problem]:
    # the article's force: modality, subject and condition of every relation; a place
    # in the map (or a written reason) for every empirical or definitional claim
    relations, claims = ctx.frames.get("relations"), ctx.frames.get("claims")
    concepts = ctx.frames.get("concepts")
    return relation_problems(
        relations, claims, ctx.text, ctx.file("relations"), concepts=concepts
    ) + unmapped_problems(claims, relations, ctx.file("claims"))


def _check_evidence(ctx: Context) -> list[Problem]:
    # bearings from their criteria, caveats, confirmed DOIs, every empirical claim assessed
    return evidence_problems(ctx.frames, ctx.schemas)


def _check_review(ctx: Context) -> list[Problem]:
    # protocols and searches agree, screening reasons, the body is what was included,
    # the second readings and their agreement
    return review_problems(ctx.frames, ctx.schemas)


#: The project's own checks, run in order by :func:`project_problems` once every
#: table has loaded (foreign keys are checked before, by ``tables.key_problems``).
#: Each takes a :class:`Context` and returns a list of Problem. To add a check,
#: write such a function and add ONE line here.
CHECKS: list[Callable[[Context], list[Problem]]] = [
    _check_sections,
    _check_quotes,
    _check_claims,
    _check_hormones,
    _check_faqs,
    _check_loops,
    _check_provenance,
    _check_force,
    _check_evidence,
    _check_review,
]


def _rownos(frame: pd.DataFrame) -> list[int]:
    return frame.attrs.get("row_numbers") or list(range(2, len(frame) + 2))


def _sections_match_parser(text: str, sections: pd.DataFrame, file: str) -> list[Problem]:
    try:
        expected = sections_frame(text)
    except DataError as exc:
        return exc.problems
    problems = []
    if len(expected) != len(sections):
        problems.append(
            Problem(
                file,
                f"has {len(sections)} rows but the parser finds {len(expected)}; "
                "run `python -m explainer regenerate`",
            )
        )
        return problems
    rownos = dict(zip(sections.section_id, _rownos(sections), strict=True))
    got_by_id = {row.section_id: row for row in sections.itertuples(index=False)}
    # Compared by section id: the order of the rows in the file does not matter.
    for want in expected.itertuples(index=False):
        got = got_by_id.get(want.section_id)
        if got is None:
            problems.append(
                Problem(
                    file,
                    "missing: the parser finds this section; run `python -m explainer regenerate`",
                    column="section_id",
                    value=want.section_id,
                )
            )
            continue
        for col in expected.columns:
            w, g = getattr(want, col), getattr(got, col)
            if (pd.isna(w) and pd.isna(g)) or (not pd.isna(g) and str(w) == str(g)):
                continue
            problems.append(
                Problem(
                    file,
                    f"differs from the parser's {w!r}; run `python -m explainer regenerate`",
                    row=rownos[want.section_id],
                    column=col,
                    value="" if pd.isna(g) else str(g),
                )
            )
    return problems


def _quotes(text: str, frame: pd.DataFrame, spans: dict, file: str) -> list[Problem]:
    problems = []
    rownos = _rownos(frame)
    for i, row in enumerate(frame.itertuples(index=False)):
        if pd.isna(row.quote) or pd.isna(row.section_id) or row.section_id not in spans:
            continue  # reported by the required/foreign-key checks
        start, end = spans[row.section_id]
        if text.find(row.quote, start, end) >= 0:
            continue
        where = (
            "in the article, but outside its section"
            if row.quote in text
            else "not found in the article"
        )
        problems.append(Problem(file, where, row=rownos[i], column="quote", value=row.quote))
    return problems


def _claims(frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    claims = frames["claims"]
    experts = set(frames["experts"]["expert_id"].dropna()) if "experts" in frames else set()
    claimants = {"article"} | experts
    problems = []
    for i, row in zip(_rownos(claims), claims.itertuples(index=False), strict=True):
        if not pd.isna(row.claimant) and row.claimant not in claimants:
            problems.append(
                Problem(
                    file,
                    "claimant must be 'article' or an expert_id",
                    row=i,
                    column="claimant",
                    value=row.claimant,
                )
            )
        if not pd.isna(row.quote) and not pd.isna(row.hedge) and row.hedge != hedge_of(row.quote):
            problems.append(
                Problem(
                    file,
                    f"hedge should be {hedge_of(row.quote)!r}, derived from the quote; "
                    "run `python -m explainer regenerate`",
                    row=i,
                    column="hedge",
                    value=str(row.hedge),
                )
            )
    return problems


def _hormone_sections(text: str, frames: dict, spans: dict, known: set, file: str) -> list[Problem]:
    hormones = frames["hormones"]
    problems = []
    for i, row in zip(_rownos(hormones), hormones.itertuples(index=False), strict=True):
        if pd.isna(row.section_ids):
            continue
        for sid in (s.strip() for s in row.section_ids.split(";")):
            if sid not in known:
                problems.append(
                    Problem(
                        file,
                        "no such section_id in sections",
                        row=i,
                        column="section_ids",
                        value=sid,
                    )
                )
            elif (
                sid in spans
                and not pd.isna(row.name)
                and str(row.name).lower() not in text[slice(*spans[sid])].lower()
            ):
                problems.append(
                    Problem(
                        file,
                        f"section does not mention {row.name}",
                        row=i,
                        column="section_ids",
                        value=sid,
                    )
                )
    return problems


def _faqs(text: str, faqs: pd.DataFrame, spans: dict, file: str) -> list[Problem]:
    problems = []
    for i, row in zip(_rownos(faqs), faqs.itertuples(index=False), strict=True):
        span = spans.get(row.faq_id)
        if span is None:
            continue
        for col in ("question", "answer"):
            value = getattr(row, col)
            if not pd.isna(value) and text.find(value, *span) < 0:
                problems.append(
                    Problem(
                        file, "not verbatim in the FAQ entry's text", row=i, column=col, value=value
                    )
                )
    return problems


def _loops(frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    relations = frames["relations"]
    causal = relations[relations.link_type.isin(["causal", "correlational"])]
    steps = set(zip(causal.source, causal.target, strict=True))
    problems = []
    for i, row in zip(
        _rownos(frames["loops"]), frames["loops"].itertuples(index=False), strict=True
    ):
        nodes = [n.strip() for n in str(row.path).split("→")]
        if len(nodes) < 3 or nodes[0] != nodes[-1]:
            problems.append(
                Problem(
                    file,
                    "a loop must start and end at the same concept",
                    row=i,
                    column="path",
                    value=row.path,
                )
            )
            continue
        for u, v in itertools.pairwise(nodes):
            if (u, v) not in steps:
                problems.append(
                    Problem(
                        file,
                        "no causal proposition in relations for this step",
                        row=i,
                        column="path",
                        value=f"{u} → {v}",
                    )
                )
    return problems
