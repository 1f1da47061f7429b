"""The site's search index: claims, concepts, sections, hormones and references."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["search_documents"]


def search_documents(*, data_dir=None) -> list[dict]:
    """Return the documents the site's search box looks through, sorted by id.

    Each has ``id``, ``kind``, ``title``, ``text`` and ``href``: the anchor
    of the site (relative to its root) that shows what was found: a claim
    opened in the annotated article, a concept or hormone lit up on the map,
    a section's heading in the article, a reference's bibliography entry.

    Examples
    --------
    >>> docs = search_documents()
    >>> any(d["kind"] == "hormone" and "Oxytocin" in d["title"] for d in docs)
    True
    """
    from explainer.tables import load

    docs = []
    for c in load("claims", data_dir=data_dir).itertuples(index=False):
        docs.append(
            {
                "id": f"claim:{c.claim_id}",
                "kind": "claim",
                "title": f"{c.claim_id}: {c.statement}",
                "text": str(c.quote),
                "href": f"article.html#{_anchor(c.claim_id)}",
            }
        )
    for c in load("concepts", data_dir=data_dir).itertuples(index=False):
        docs.append(
            {
                "id": f"concept:{c.concept_id}",
                "kind": "concept",
                "title": str(c.label),
                "text": str(c.description),
                "href": f"map.html#{_anchor(c.concept_id)}",
            }
        )
    for s in load("sections", data_dir=data_dir).itertuples(index=False):
        docs.append(
            {
                "id": f"section:{s.section_id}",
                "kind": "section",
                "title": f"{_text(s.number)} {s.title}".strip(),
                "text": str(s.kind),
                "href": f"article.html#{_anchor('section-' + str(s.section_id))}",
            }
        )
    concepts = {str(c) for c in load("concepts", data_dir=data_dir).concept_id}
    for h in load("hormones", data_dir=data_dir).itertuples(index=False):
        docs.append(
            {
                "id": f"hormone:{h.hormone_id}",
                "kind": "hormone",
                "title": str(h.name),
                "text": f"{h.alias}. {h.triggered_by}. {h.effects}",
                "href": f"map.html#{_anchor(h.hormone_id)}"
                if str(h.hormone_id) in concepts
                else "map.html",
            }
        )
    for r in load("references", data_dir=data_dir).itertuples(index=False):
        docs.append(
            {
                "id": f"reference:{r.ref_id}",
                "kind": "reference",
                "title": f"{r.authors} ({r.year})",
                "text": f"{r.title}. {r.venue}",
                "href": f"bibliography.html#{_anchor('ref-' + str(r.ref_id))}",
            }
        )
    return sorted(docs, key=lambda d: d["id"])


def _anchor(value) -> str:
    """Return an id from the data as a URL fragment: percent-encoded, so it stays one anchor."""
    return quote(str(value), safe="")


def _text(value) -> str:
    import pandas as pd

    return "" if pd.isna(value) else str(value)
