"""The bibliography: every reference, its DOI, where it was confirmed, the claims beside it."""

from __future__ import annotations

import re

from markupsafe import Markup

from explainer.explore._page import render

__all__ = ["bibliography_body", "bibliography_entries"]

# Only web addresses become links: a value from the data never turns into a javascript: link.
_WEB = re.compile(r"https?://\S+", re.IGNORECASE)


def _text(value) -> str:
    from explainer.plots._routes import text_of

    return text_of(value).strip()


def bibliography_entries(*, data_dir=None) -> list[dict]:
    """Return every reference as a bibliography entry, sorted by first author and year.

    Each entry has ``id`` (the ``ref_id``), ``authors``, ``year``, ``title``,
    ``venue``, ``doi`` (empty where none was seen), ``doi_url``,
    ``addresses`` (the web addresses of ``confirmed_at``, where the
    reference was confirmed), ``status`` and ``claims`` (the ids of the
    claims it is set beside, with its bearing).

    Examples
    --------
    >>> entries = bibliography_entries()
    >>> entry = next(e for e in entries if e["doi"])
    >>> entry["doi_url"] == "https://doi.org/" + entry["doi"]
    True
    """
    from explainer.tables import load

    beside: dict[str, list[dict]] = {}
    for e in load("evidence", data_dir=data_dir).itertuples(index=False):
        beside.setdefault(str(e.ref_id), []).append(
            {"claim": str(e.claim_id), "bearing": _text(e.bearing).replace("_", " ")}
        )
    entries = []
    for r in load("references", data_dir=data_dir).itertuples(index=False):
        doi = _text(getattr(r, "doi", ""))
        entries.append(
            {
                "id": str(r.ref_id),
                "authors": _text(r.authors),
                "year": _text(r.year),
                "title": _text(r.title),
                "venue": _text(r.venue),
                "doi": doi,
                "doi_url": f"https://doi.org/{doi}" if doi else "",
                "addresses": _WEB.findall(_text(getattr(r, "confirmed_at", ""))),
                "status": _text(getattr(r, "status", "")).replace("_", " "),
                "claims": sorted(beside.get(str(r.ref_id), []), key=lambda c: c["claim"]),
            }
        )
    return sorted(entries, key=lambda e: (e["authors"].lower(), e["year"], e["id"]))


def bibliography_body(entries: list[dict]) -> Markup:
    """Return the bibliography page's main part: one entry per reference, each with an anchor."""
    return render(
        "bibliography.html",
        entries=entries,
        dois=sum(bool(e["doi"]) for e in entries),
        confirmed=sum(bool(e["addresses"]) for e in entries),
    )
