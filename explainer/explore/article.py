"""The annotated article: the full text, every claim marked and one click from its evidence."""

from __future__ import annotations

from markupsafe import Markup

from explainer.explore._page import View, asset, page, render
from explainer.plots._routes import text_of

__all__ = ["VERDICT_COLOURS", "annotated_article", "article_data"]

#: A claim's underline, by certainty of the evidence (GRADE): the surer, the more solid.
CERTAINTY_LINES = {"high": "solid", "moderate": "solid", "low": "dashed", "very_low": "dotted"}
#: A claim's underline colour, by verdict (Okabe-Ito: blue to vermillion, grey where none).
VERDICT_COLOURS = {
    "supported": "#0072B2",
    "partly_supported": "#56B4E9",
    "mixed": "#E69F00",
    "doubtful": "#CC79A7",
    "contradicted": "#D55E00",
    "not_checked": "#000000",
    "not_assessable": "#999999",
}


def _records(frame) -> list[dict[str, str]]:
    """Return a table's rows as dicts of text, missing values as ""."""
    columns = list(frame.columns)
    return [
        {k: text_of(v) for k, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def _spans(text: str, rows, kind: str, sections) -> list[tuple[int, int, str, str]]:
    from explainer.article import find_quote

    found = []
    for row in rows:
        sec = sections.get(str(row["section_id"]))
        start, end = (int(sec[0]), int(sec[1])) if sec else (0, len(text))
        at = find_quote(text, str(row["quote"]), start, end)
        if at < 0:
            at = find_quote(text, str(row["quote"]))
        if at >= 0:
            found.append((at, at + len(str(row["quote"])), kind, str(row["id"])))
    return found


def article_data(*, data_dir=None) -> dict:
    """Return what the annotated article shows, per claim and per non-claim.

    Returns
    -------
    dict
        ``text`` (the article), ``sections`` (start, section id; sorted),
        ``spans`` (start, end, ``claim`` or
        ``non_claim``, id; sorted, not overlapping), ``claims`` (by id:
        statement, type, hedge, section, citation status, verdict,
        certainty, map links with basis, evidence) and ``non_claims`` (by
        id: reason).

    Examples
    --------
    >>> data = article_data()
    >>> data["claims"]["c002"]["type"]
    'evaluative'
    >>> all(a[1] <= b[0] for a, b in zip(data["spans"], data["spans"][1:]))
    True
    """
    from explainer.article import article_text
    from explainer.audit import claim_audit
    from explainer.tables import load

    text = article_text(data_dir=data_dir)
    sections = {
        str(s.section_id): (s.start, s.end)
        for s in load("sections", data_dir=data_dir).itertuples(index=False)
    }
    # Plain records, grouped once: per-row pandas look-ups made this page slow to build.
    claims = load("claims", data_dir=data_dir)
    audit = {r["claim_id"]: r for r in _records(claim_audit(data_dir=data_dir))}
    labels = {r["concept_id"]: r["label"] for r in _records(load("concepts", data_dir=data_dir))}
    references = {r["ref_id"]: r for r in _records(load("references", data_dir=data_dir))}
    links: dict[str, list[dict]] = {}
    for r in _records(load("relations", data_dir=data_dir)):
        links.setdefault(r["claim_id"], []).append(
            {
                "source": labels[r["source"]],
                "link": r["link"],
                "target": labels[r["target"]],
                "basis": r.get("basis") or "stated",
                "condition": r.get("condition", ""),
            }
        )
    found: dict[str, list[dict]] = {}
    for e in _records(load("evidence", data_dir=data_dir)):
        ref = references[e["ref_id"]]
        found.setdefault(e["claim_id"], []).append(
            {
                "ref": e["ref_id"],
                "reference": f"{ref['authors']} ({ref['year']})",
                "title": ref["title"],
                "doi": ref.get("doi", ""),
                "bearing": e["bearing"].replace("_", " "),
                "finding": e.get("finding", ""),
            }
        )
    cited = {
        c["claim_id"]: f"{c['marker']}: {c['status']}"
        for c in _records(load("citations", data_dir=data_dir))
    }
    non_claims = load("non_claims", data_dir=data_dir)
    by_claim: dict[str, dict] = {}
    for c in _records(claims):
        cid = c["claim_id"]
        a = audit[cid]
        verdict, certainty = a.get("verdict", ""), a.get("certainty", "")
        by_claim[cid] = {
            "statement": c["statement"],
            "type": c["claim_type"],
            "hedge": c["hedge"],
            "section": c["section_id"],
            "claimant": c["claimant"],
            "citation": cited.get(cid, c["evidence_status"].replace("_", " ")),
            "verdict": verdict.replace("_", " "),
            "verdict_key": verdict,
            "certainty": certainty.replace("_", " "),
            "certainty_key": certainty,
            "links": links.get(cid, []),
            "evidence": found.get(cid, []),
        }
    rows = [
        {"id": c.claim_id, "section_id": c.section_id, "quote": c.quote}
        for c in claims.itertuples(index=False)
    ]
    spans = _spans(text, rows, "claim", sections)
    rows = [
        {"id": n.span_id, "section_id": n.section_id, "quote": n.quote}
        for n in non_claims.itertuples(index=False)
    ]
    spans += _spans(text, rows, "non_claim", sections)
    spans.sort()
    kept, end = [], -1
    for span in spans:  # a span inside another is shown through the outer one
        if span[0] >= end:
            kept.append(span)
            end = span[1]
    return {
        "text": text,
        "spans": kept,
        "sections": sorted((int(start), sid) for sid, (start, _) in sections.items()),
        "claims": by_claim,
        "non_claims": {
            str(n.span_id): str(n.reason).replace("_", " ")
            for n in non_claims.itertuples(index=False)
        },
    }


def _segments(data: dict) -> list[dict]:
    """Cut the article into plain text, claims and non-claims, each with what it shows."""
    text, segments, at = data["text"], [], 0
    # Each section's anchor goes where it starts, or before the span it starts in.
    marks = list(data.get("sections", []))

    def plain(until: int, upto: int | None = None) -> None:
        nonlocal at
        while marks and marks[0][0] <= (until if upto is None else upto):
            where, section = marks.pop(0)
            where = min(max(where, at), until)
            segments.append({"kind": "text", "text": text[at:where]})
            segments.append({"kind": "section", "id": f"section-{section}"})
            at = where
        segments.append({"kind": "text", "text": text[at:until]})
        at = until

    for start, end, kind, sid in data["spans"]:
        plain(start, end - 1)
        if kind == "claim":
            c = data["claims"][sid]
            segments.append(
                {
                    "kind": "claim",
                    "text": text[start:end],
                    "id": sid,
                    "colour": VERDICT_COLOURS.get(c["verdict_key"], "#0072B2"),
                    "line": CERTAINTY_LINES.get(c["certainty_key"], "solid"),
                }
            )
        else:
            segments.append(
                {
                    "kind": "non_claim",
                    "text": text[start:end],
                    "reason": data["non_claims"][sid],
                }
            )
        at = end
    plain(len(text))
    return segments


def _legend(data: dict) -> list[dict]:
    seen = {c["verdict_key"] for c in data["claims"].values()}
    legend = [
        {"label": v.replace("_", " "), "colour": colour, "line": "solid"}
        for v, colour in VERDICT_COLOURS.items()
        if v in seen
    ]
    certainties = {c["certainty_key"] for c in data["claims"].values()}
    legend += [
        {"label": f"certainty {k.replace('_', ' ')}", "colour": "#444", "line": line}
        for k, line in CERTAINTY_LINES.items()
        if k in certainties
    ]
    return legend


def article_body(data: dict, *, site: bool = False) -> Markup:
    """Return the annotated text and its side panel as HTML (no scripts).

    With ``site``, the help text points to the site's bibliography.
    """
    return render("article.html", segments=_segments(data), legend=_legend(data), site=site)


def annotated_article(*, data_dir=None) -> View:
    """Return the annotated article: every claim marked and one click from its evidence.

    Before the cell is run (in a notebook JupyterLab does not trust) the
    output lists the claims and their verdicts and says to run the cell.

    Examples
    --------
    >>> view = annotated_article()
    >>> 'data-claim="c001"' in view.html
    True
    """
    data = article_data(data_dir=data_dir)
    return View(
        title="The article, annotated",
        html=page(
            "The article, annotated",
            article_body(data),
            scripts=(asset("frame.js"), asset("article.js")),
            data={"EXPLAINER_ARTICLE": data["claims"]},
        ),
        height=900,
        fallback=str(render("article_static.html", claims=data["claims"])),
    )
