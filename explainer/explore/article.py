"""The annotated article: the full text, every claim marked and one click from its evidence."""

from __future__ import annotations

import html

from explainer.explore._page import View, asset, page, script_json
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
        ``text`` (the article), ``spans`` (start, end, ``claim`` or
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
                "reference": f"{ref['authors']} ({ref['year']})",
                "title": ref["title"],
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
        "claims": by_claim,
        "non_claims": {
            str(n.span_id): str(n.reason).replace("_", " ")
            for n in non_claims.itertuples(index=False)
        },
    }


def article_body(data: dict) -> str:
    """Return the annotated text and its side panel as HTML (no scripts)."""
    text, parts, at = data["text"], [], 0
    for start, end, kind, sid in data["spans"]:
        parts.append(html.escape(text[at:start]))
        quote = html.escape(text[start:end])
        if kind == "claim":
            c = data["claims"][sid]
            colour = VERDICT_COLOURS.get(c["verdict_key"], "#0072B2")
            parts.append(
                f'<span class="claim" id="{sid}" data-claim="{sid}" tabindex="0" role="button" '
                f'aria-controls="claim-panel" style="border-color:{colour};'
                f'border-bottom-style:{CERTAINTY_LINES.get(c["certainty_key"], "solid")}">'
                f"{quote}</span>"
            )
        else:
            reason = html.escape(data["non_claims"][sid])
            parts.append(f'<span class="non-claim" title="not a claim: {reason}">{quote}</span>')
        at = end
    parts.append(html.escape(text[at:]))
    seen = {c["verdict_key"] for c in data["claims"].values()}
    legend = "".join(
        f'<span style="border-color:{colour}">{html.escape(v.replace("_", " "))}</span>'
        for v, colour in VERDICT_COLOURS.items()
        if v in seen
    )
    certainties = {c["certainty_key"] for c in data["claims"].values()}
    legend += "".join(
        f'<span style="border-color:#444;border-bottom-style:{line}">certainty '
        f"{html.escape(k.replace('_', ' '))}</span>"
        for k, line in CERTAINTY_LINES.items()
        if k in certainties
    )
    return f"""<main class="explore-article">
<h1 class="explore-title">The article, annotated</h1>
<p class="explore-help">Every claim is underlined in the colour of its verdict, the line solid,
dashed or dotted as the certainty of its evidence is high or moderate, low or very low; text
that is not a claim (headings, questions, links) is grey, its reason in its tooltip. Click a
claim, or move to it with Tab and press Enter or Space, to see its statement, type, hedge,
concept-map links, citation, evidence and verdict.</p>
<div class="legend" aria-label="verdict colours">{legend}</div>
<div class="article-layout">
<div class="article-text" style="white-space: pre-wrap">{"".join(parts)}</div>
<aside id="claim-panel" class="claim-panel" aria-live="polite" aria-label="the selected claim">
<p>Pick a claim to see it here.</p></aside>
</div>
</main>"""


def annotated_article(*, data_dir=None) -> View:
    """Return the annotated article: every claim marked and one click from its evidence.

    Examples
    --------
    >>> view = annotated_article()
    >>> 'data-claim="c001"' in view.html
    True
    """
    data = article_data(data_dir=data_dir)
    scripts = (f"window.EXPLAINER_ARTICLE = {script_json(data['claims'])};", asset("article.js"))
    return View(
        title="The article, annotated",
        html=page("The article, annotated", article_body(data), scripts=scripts),
        height=720,
    )
