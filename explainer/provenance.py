"""Provenance of interpretive rows: what the article says, and what we read into it.

Every row that interprets the article (a relation, a loop, a challenge's
threat, a practice's mechanism, an FAQ's concept) carries a ``basis``:

- ``stated``: the quote says it, in the article's words or a plain paraphrase;
- ``implied``: the quote presupposes it; ``basis_note`` says how;
- ``inferred``: our own reading; ``basis_note`` says why.

This module holds that rule once: the checks :func:`validate` runs, and the
counts the notebooks report.
"""

from __future__ import annotations

import re

import pandas as pd

from explainer.article import hedge_of
from explainer.errors import Problem

__all__ = [
    "BASES",
    "INTERPRETIVE",
    "MODALITIES",
    "POSSIBILITY",
    "SUBJECT_ROLES",
    "basis_counts",
    "modality_counts",
    "modality_of",
    "names_source",
    "phrase",
    "provenance_problems",
    "relation_problems",
    "subject_window",
    "unmapped_problems",
]

#: The three bases, from the article's own words to our reading.
BASES = ("stated", "implied", "inferred")

#: The interpretive tables, each with the column whose link the basis describes
#: (``None``: the whole row is the link, so every row needs a basis).
INTERPRETIVE = {
    "relations": None,
    "loops": None,
    "challenges": "threatens",
    "practices": "mechanism_id",
    "faq_links": None,
}

_NEEDS_NOTE = {"implied", "inferred"}


def _blank(value) -> bool:
    return pd.isna(value) or str(value).strip() == ""


def provenance_problems(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    """Return every interpretive row whose provenance is missing (empty if none).

    A row needs a ``basis`` when the link it describes is filled (for
    ``challenges``, when ``threatens`` names a mechanism; a challenge that
    threatens nothing must have no basis). An ``implied`` or ``inferred``
    row needs a ``basis_note``. Claims marked ``empirical`` may not have the
    evidence status ``not_applicable``, and claims not marked empirical must
    have it: the type of a claim never shields it from the evidence audit.

    Parameters
    ----------
    frames : dict of str to DataFrame
        The tables, loaded; tables that are absent are skipped.
    files : dict of str to str
        Each table's file name, for the messages.

    Returns
    -------
    list of Problem
        Each naming the file, the row (as in the CSV, header = 1), the column
        and the value.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"relation_id": ["r001"], "basis": ["inferred"], "basis_note": [""]})
    >>> [str(p) for p in provenance_problems({"relations": rows}, {"relations": "relations.csv"})]
    ["relations.csv, row 2, column 'basis_note', value '': an inferred row needs a note saying why"]
    """
    problems: list[Problem] = []
    for name, link in INTERPRETIVE.items():
        frame = frames.get(name)
        if frame is None or "basis" not in frame.columns:
            continue
        file = files.get(name, f"{name}.csv")
        rownos = frame.attrs.get("row_numbers") or list(range(2, len(frame) + 2))
        notes = (
            frame["basis_note"]
            if "basis_note" in frame.columns
            else pd.Series([pd.NA] * len(frame))
        )
        for i, basis, note, target in zip(
            rownos,
            frame["basis"],
            notes,
            frame[link] if link else [pd.NA] * len(frame),
            strict=True,
        ):
            if link and _blank(target):
                if not _blank(basis):
                    problems.append(
                        Problem(
                            file,
                            f"a basis without a {link} link: leave basis empty",
                            row=i,
                            column="basis",
                            value=str(basis),
                        )
                    )
                continue
            if _blank(basis):
                problems.append(
                    Problem(
                        file,
                        "an interpretive row needs a basis: stated, implied or inferred",
                        row=i,
                        column="basis",
                        value="",
                    )
                )
            elif str(basis) in _NEEDS_NOTE and _blank(note):
                how = "how the quote presupposes it" if str(basis) == "implied" else "why"
                problems.append(
                    Problem(
                        file,
                        f"an {basis} row needs a note saying {how}",
                        row=i,
                        column="basis_note",
                        value="",
                    )
                )
    problems += _empirical_problems(frames.get("claims"), files.get("claims", "claims.csv"))
    return problems


def _empirical_problems(claims: pd.DataFrame | None, file: str) -> list[Problem]:
    if claims is None or "empirical" not in claims.columns:
        return []
    problems = []
    rownos = claims.attrs.get("row_numbers") or list(range(2, len(claims) + 2))
    for i, empirical, status in zip(
        rownos, claims["empirical"], claims["evidence_status"], strict=True
    ):
        if pd.isna(empirical) or pd.isna(status):
            continue  # reported by the schema checks
        if bool(empirical) and str(status) == "not_applicable":
            problems.append(
                Problem(
                    file,
                    "an empirical claim needs an evidence status other than not_applicable",
                    row=i,
                    column="evidence_status",
                    value=str(status),
                )
            )
        elif not bool(empirical) and str(status) != "not_applicable":
            problems.append(
                Problem(
                    file,
                    "a claim that is not empirical has the evidence status not_applicable",
                    row=i,
                    column="evidence_status",
                    value=str(status),
                )
            )
    return problems


def basis_counts(frame: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame | pd.Series:
    """Count the rows of an interpretive table (or any frame with ``basis``) by basis.

    Parameters
    ----------
    frame : DataFrame
        Any table with a ``basis`` column.
    by : str, optional
        A second column to count by (e.g. ``link_type``).

    Returns
    -------
    Series or DataFrame
        Without ``by``: a Series indexed by the three bases (zeros kept), in
        the order stated, implied, inferred. With ``by``: a DataFrame, one row
        per value of ``by``, one column per basis and a ``total``.

    Examples
    --------
    >>> import pandas as pd
    >>> basis_counts(pd.DataFrame({"basis": ["stated", "inferred", "stated"]})).to_dict()
    {'stated': 2, 'implied': 0, 'inferred': 1}
    """
    basis = frame["basis"].astype(str)
    if by is None:
        return basis.value_counts().reindex(list(BASES), fill_value=0).rename("rows")
    table = pd.crosstab(frame[by].astype(str), basis).reindex(columns=list(BASES), fill_value=0)
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    return table


# --- The article's force: modality, subject and condition of a relation ---------------

#: The modalities a relation can carry, from the article's words: ``asserted``
#: (the clause states the link with no modal or hedge) and one value per
#: hedging word of :data:`explainer.article.HEDGES` ("likelier" is ``likely``).
MODALITIES = ("asserted", "can", "may", "might", "could", "often", "likely", "some")

#: Who the source of a relation is in its cited clause: ``source`` (the
#: clause's grammatical subject names it), ``agent`` (a "by", "through" or
#: "between" phrase of the clause names it) or ``other`` (neither: the link
#: from the source is our reading, so the row cannot be ``stated``).
SUBJECT_ROLES = ("source", "agent", "other")

#: The link types that say what can be *without* something (a possibility,
#: not an influence): each needs a quote and a modality of possibility.
POSSIBILITY = frozenset({"possible_without"})
_POSSIBLE = {"can", "may", "might", "could"}

# Where a clause ends: punctuation, or a relative pronoun that opens a new clause.
_BOUNDARY = re.compile(r"[,;:.!?()\u2014]|\s(?:which|that|who|while|when)\s")
# What may follow a clause written out in ``clause``: the end of the quote, a
# boundary, or a conjunction that starts the next verb phrase.
_CLAUSE_END = re.compile(r"\s*(?:$|[,;:.!?()\u2014]|(?:and|but|or)\b)")
#: A note that says we drew the link ("we draw the link from sex", "we read
#: intimacy as sex") describes our inference: the row is ``inferred``.
_OUR_READING = re.compile(
    r"\bwe (?:draw|drew|read|credit|close|point|file|count|choose|take)\b"
    r"|\bour (?:reading|inference|choice|construction)\b",
    re.IGNORECASE,
)


def _words(phrase: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")


def subject_window(quote: str, subject: str, *, clause: str = "", context: str = "") -> str | None:
    """Return the words that say what the subject does: the clause after its subject.

    The window runs from the end of the subject's first occurrence (as whole
    words) to the end of its clause: the first comma, semicolon, colon, dash,
    bracket, full stop, or "which", "that", "who", "while" or "when"
    opening a new clause. Leading punctuation is skipped, so an apposition inside the
    subject ("Changes in life circumstances, such as parenthood or career
    stresses,") does not end it. When ``clause`` is given (the words of the
    clause that states the link, where the clause from the subject to the
    next comma says more than the link: "it builds anticipation" of "it
    builds anticipation and can create deeper emotional connections"), the
    window is the rest of that clause after the subject.

    A subject written in square brackets ("[Emotional intimacy]") is one the
    quote leaves out: it is looked for in ``context`` (the article's
    paragraph, up to the quote) and the window runs from it there, on into
    the quote.

    Parameters
    ----------
    quote, subject : str
    clause : str, optional
    context : str, optional
        The text of the paragraph before the quote, for a bracketed subject.

    Returns
    -------
    str or None
        ``None`` when the subject is not found.

    Examples
    --------
    >>> subject_window("Sex can serve as a source of comfort during stressful times.", "Sex")
    'can serve as a source of comfort during stressful times'
    >>> subject_window("it builds anticipation and can create deeper emotional connections",
    ...                "it", clause="it builds anticipation")
    'builds anticipation'
    >>> subject_window("making them more inclined to find resolutions collaboratively",
    ...                "[Engaging sexually]",
    ...                context="Engaging sexually can soften tensions and help partners "
    ...                        "reconnect emotionally, ")
    'can soften tensions and help partners reconnect emotionally'
    """
    if subject.startswith("[") and subject.endswith("]"):
        text, words = context + quote, subject[1:-1]
    else:
        text, words = (clause or quote), subject
    m = _words(words).search(text) if words else None
    if m is None:
        return None
    rest = text[m.end() :]
    if clause and text is clause:
        return rest.strip(" ,;:\u2014")
    rest = rest.lstrip(" ,;:\u2014")
    end = _BOUNDARY.search(rest)
    return (rest if end is None else rest[: end.start()]).strip()


def modality_of(window: str) -> str:
    """Return the modality of a clause: its hedging word, or ``asserted``.

    The hedging words are those of :func:`explainer.article.hedge_of`, read
    in context (so "often referred to" and "can rely" do not count).

    Examples
    --------
    >>> modality_of("can soften tensions and help partners reconnect emotionally")
    'can'
    >>> modality_of("are likelier to engage in further emotional bonding behaviors")
    'likely'
    >>> modality_of("releases oxytocin")
    'asserted'
    """
    hedge = hedge_of(window)
    return "asserted" if hedge == "none" else hedge


_IRREGULAR = {"is": "be", "are": "be", "has": "have", "does": "do", "goes": "go"}


def _base(verb: str) -> str:
    """Return the bare form of a verb in the third person ("reduces" -> "reduce")."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes")):
        return verb[:-2]
    if verb.endswith("s") and not verb.endswith("ss"):
        return verb[:-1]
    return verb


def phrase(link: str, modality: str) -> str:
    """Return the linking phrase a reader sees: the link with the article's modality.

    The one place where a relation's ``modality`` and ``link`` are put
    together (figures, the graph's ``phrase`` edge attribute, the exports).
    A link that already carries its modal word is shown as it is.

    Parameters
    ----------
    link : str
        The linking phrase (``relations.link``), usually a verb in the third
        person: "reduces", "is a source of".
    modality : str
        One of :data:`MODALITIES`.

    Returns
    -------
    str

    Examples
    --------
    >>> phrase("reduces", "can")
    'can reduce'
    >>> phrase("is a source of", "can")
    'can be a source of'
    >>> phrase("can significantly enhance", "can")
    'can significantly enhance'
    >>> phrase("enhances", "often")
    'often enhances'
    >>> phrase("makes partners likelier to engage in", "likely")
    'makes partners likelier to engage in'
    >>> phrase("releases", "asserted")
    'releases'
    """
    link = str(link).strip()
    modality = str(modality)
    if modality in ("asserted", "") or modality_of(link) == modality:
        return link
    first, _, rest = link.partition(" ")
    if modality in ("often", "some"):
        return f"{modality} {link}"
    bare = " ".join(p for p in (_base(first), rest) if p)
    if modality == "likely":
        return f"is likely to {bare}"
    return f"{modality} {bare}"


def relation_problems(
    relations: pd.DataFrame | None,
    claims: pd.DataFrame | None,
    text: str,
    file: str = "relations.csv",
    labels: dict[str, str] | None = None,
    terms: dict[str, list[str]] | None = None,
    *,
    concepts: pd.DataFrame | None = None,
) -> list[Problem]:
    """Return every relation that does not keep the article's force (empty if none).

    The rules (the descriptor of ``relations`` says them too):

    - **modality**: one of :data:`MODALITIES`, equal to the modality of the
      cited clause (:func:`subject_window` then :func:`modality_of`); the
      ``link`` may carry no other hedging word.
    - **subject**: the words of the cited clause's subject, verbatim (as
      whole words) in the claim's quote, or in square brackets when the
      quote leaves the subject out and the paragraph names it before the
      quote. A ``clause``, when given, is verbatim in the quote, holds the
      subject and ends where a clause ends.
    - **subject_role**: a row whose source is not the subject (``other``)
      cannot be ``stated``; a row whose ``basis_note`` says we drew the link
      ("we draw", "we read", "our reading") is ``inferred``.
    - **condition**: two rows that cite the same claim with the same
      subject and the same source carry the same condition.
    - **the subject names the source**: a row of role ``source`` or
      ``agent`` has a subject that holds one of the source concept's terms,
      or is a pronoun standing for it ("it", "which", "a level of
      vulnerability that": the words before a relative pronoun must name it).
    - **one subject, one source**: rows that cite the same claim with the
      same subject as their ``source`` or ``agent`` draw it from one
      concept, unless the subject names each of them (a coordinated
      subject, "dopamine and endorphins", read one link per concept); a
      subject we split otherwise is ``other``.
    - **possibility**: a ``possible_without`` row cites a claim with a quote
      and has a modality of possibility (can, may, might, could).

    Parameters
    ----------
    relations, claims : DataFrame or None
        The tables (skipped when absent or without the columns).
    text : str
        The article.
    file : str
        The relations table's file name, for the messages.
    labels : dict of str to str, optional
        Each concept's label, by id, to tell whether a subject names a
        source; without it, the concept id with spaces for underscores.
    terms : dict of str to list of str, optional
        Each concept's words in the article (``concepts.terms`` and its
        label): a row of role source or agent must have a subject that
        names its source by one of them, or stands for it by a pronoun
        (:func:`names_source`).
    concepts : DataFrame, optional
        The ``concepts`` table: ``labels`` and ``terms`` are read from its
        ``label`` and ``terms`` columns when not given.

    Returns
    -------
    list of Problem
        Each naming the file, the row, the column and the value.
    """
    if concepts is not None and labels is None:
        labels = dict(zip(concepts["concept_id"], concepts["label"], strict=True))
    if concepts is not None and terms is None and "terms" in concepts.columns:
        terms = {
            str(c): [str(label), *("" if _blank(t) else str(t)).split(";")]
            for c, label, t in zip(
                concepts["concept_id"], concepts["label"], concepts["terms"], strict=True
            )
        }
    needed = {"modality", "subject", "subject_role", "claim_id", "basis", "link"}
    if relations is None or claims is None or not needed <= set(relations.columns):
        return []
    quotes = {
        str(c): ("" if pd.isna(q) else str(q))
        for c, q in zip(claims["claim_id"], claims["quote"], strict=True)
    }
    rownos = relations.attrs.get("row_numbers") or list(range(2, len(relations) + 2))
    problems: list[Problem] = []
    conditions: dict[tuple[str, str, str], tuple[str, int]] = {}
    subjects: dict[tuple[str, str], list[tuple[int, str]]] = {}

    def bad(row: int, column: str, value, message: str) -> None:
        problems.append(Problem(file, message, row=row, column=column, value=value))

    for i, r in zip(rownos, relations.to_dict("records"), strict=True):
        claim = "" if _blank(r["claim_id"]) else str(r["claim_id"])
        quote = quotes.get(claim, "")
        modality = "" if _blank(r["modality"]) else str(r["modality"])
        subject = "" if _blank(r["subject"]) else str(r["subject"])
        clause = "" if _blank(r.get("clause")) else str(r.get("clause"))
        role = "" if _blank(r["subject_role"]) else str(r["subject_role"])
        basis = "" if _blank(r["basis"]) else str(r["basis"])
        if str(r.get("link_type")) in POSSIBILITY and not quote:
            bad(i, "claim_id", claim, "a possibility row needs a claim with a verbatim quote")
            continue
        if modality not in MODALITIES:
            bad(i, "modality", modality, f"unknown modality: one of {', '.join(MODALITIES)}")
        if role not in SUBJECT_ROLES:
            bad(i, "subject_role", role, f"unknown subject role: one of {', '.join(SUBJECT_ROLES)}")
        if not quote:
            continue  # a claim that does not exist or has no quote: the key checks say so
        if clause and (
            clause not in quote or not _CLAUSE_END.match(quote[quote.find(clause) + len(clause) :])
        ):
            bad(i, "clause", clause, "not a whole clause of the claim's quote")
            clause = ""
        if not subject:
            bad(i, "subject", "", "the subject words of the cited clause are required")
            continue
        context = ""
        if subject.startswith("["):
            start = text.find(quote)
            context = text[text.rfind("\n", 0, max(start, 0)) + 1 : max(start, 0)]
        window = subject_window(quote, subject, clause=clause, context=context)
        if window is None:
            where = "the paragraph before the quote" if subject.startswith("[") else "its quote"
            bad(i, "subject", subject, f"not found in {where} (as whole words)")
            continue
        if clause and not subject.startswith("[") and not _words(subject).search(clause):
            bad(i, "clause", clause, "does not hold the subject")
        if role == "agent":
            # the agent's phrase may follow its verb: read the whole clause around it
            where = clause or quote
            m = _words(subject).search(where)
            before = where[: m.start()] if m else ""
            cut = max((b.end() for b in _BOUNDARY.finditer(before)), default=0)
            window = before[cut:] + " " + window
        want = modality_of(window)
        if modality in MODALITIES and modality != want:
            bad(
                i,
                "modality",
                modality,
                f"the cited clause says {want!r} ({window!r}): the relation must keep it",
            )
        in_link = modality_of(str(r["link"]))
        if in_link != "asserted" and in_link != modality:
            bad(i, "link", r["link"], f"the link says {in_link!r} but the modality is {modality!r}")
        if basis == "stated" and role == "other":
            bad(
                i,
                "basis",
                basis,
                "the source is not the subject (or agent) of the cited clause: not stated",
            )
        note = "" if _blank(r.get("basis_note")) else str(r.get("basis_note"))
        if basis in ("stated", "implied") and _OUR_READING.search(note):
            bad(i, "basis", basis, "the note says we drew the link: the row is inferred")
        if str(r.get("link_type")) in POSSIBILITY and modality not in _POSSIBLE:
            bad(i, "modality", modality, "a possibility needs can, may, might or could")
        condition = "" if _blank(r.get("condition")) else str(r.get("condition"))
        key = (claim, subject, str(r["source"]))
        if key in conditions and conditions[key][0] != condition:
            other, row = conditions[key]
            bad(
                i,
                "condition",
                condition,
                f"row {row} draws the same source from the same clause of {claim} "
                f"with the condition {other!r}",
            )
        conditions.setdefault(key, (condition, i))
        if role in ("source", "agent"):
            subjects.setdefault((claim, subject), []).append((i, str(r["source"])))
    if terms is not None:
        for i, r in zip(rownos, relations.to_dict("records"), strict=True):
            role = "" if _blank(r["subject_role"]) else str(r["subject_role"])
            subject = "" if _blank(r["subject"]) else str(r["subject"])
            source = str(r["source"])
            if role not in ("source", "agent") or not subject or source not in terms:
                continue
            if not names_source(subject, terms[source]):
                bad(
                    i,
                    "subject_role",
                    role,
                    f"the subject {subject!r} does not name {source} (its terms: "
                    f"{'; '.join(terms[source])}) nor stand for it by a pronoun: "
                    "the role is other",
                )
    for (claim, subject), drawn in subjects.items():
        if len({source for _, source in drawn}) < 2:
            continue
        for i, source in drawn:
            name = (labels or {}).get(source, source.replace("_", " "))
            if not _words(name.casefold()).search(subject.strip("[]").casefold()):
                others = sorted({s for _, s in drawn} - {source})
                bad(
                    i,
                    "source",
                    source,
                    f"one subject, one source: {subject!r} of {claim} is drawn from "
                    f"{', '.join(others)} too, and it does not name {name!r}",
                )
    return problems


#: Words that stand for something named before them: a subject made of one of these
#: (or ending in a relative one after its noun) names its source by reference.
PRONOUNS = frozenset({"it", "they", "this", "these", "that", "which", "who", "we"})


def names_source(subject: str, terms: list[str]) -> bool:
    """Return whether a clause's subject names a concept, by a term or a pronoun.

    Parameters
    ----------
    subject : str
        The ``subject`` of a relation (brackets are ignored).
    terms : list of str
        The concept's words in the article.

    Examples
    --------
    >>> names_source("Engaging sexually", ["sex", "engaging sexually"])
    True
    >>> names_source("which", ["oxytocin"])
    True
    >>> names_source("a level of vulnerability that", ["vulnerability"])
    True
    >>> names_source("Busy schedules", ["dedicated time"])
    False
    """
    words = subject.strip("[]").casefold().split()
    if not words:
        return False
    if len(words) == 1 and words[0] in PRONOUNS:
        return True
    head = " ".join(words[:-1] if words[-1] in PRONOUNS and len(words) > 1 else words)
    return any(_words(t.casefold()).search(head) for t in terms if t.strip())


def unmapped_problems(
    claims: pd.DataFrame | None, relations: pd.DataFrame | None, file: str = "claims.csv"
) -> list[Problem]:
    """Return every claim that needs a place in the map and has neither it nor a reason.

    A claim that is ``empirical`` (an effect, association, necessity,
    possibility) or a ``definition`` needs a relation that cites it, or a
    ``map_note`` saying why it has none; a claim that a relation cites has
    no ``map_note``.

    Examples
    --------
    >>> import pandas as pd
    >>> claims = pd.DataFrame({"claim_id": ["c1"], "claim_type": ["definition"],
    ...                        "empirical": [False], "map_note": [""]})
    >>> [str(p) for p in unmapped_problems(claims, pd.DataFrame({"claim_id": []}))]
    ["claims.csv, row 2, column 'map_note', value '': no relation cites this definition claim: \
add one, or say here why it has none"]
    """
    if claims is None or relations is None or "map_note" not in claims.columns:
        return []
    cited = set(relations["claim_id"].dropna().astype(str))
    rownos = claims.attrs.get("row_numbers") or list(range(2, len(claims) + 2))
    problems = []
    for i, c in zip(rownos, claims.to_dict("records"), strict=True):
        note = "" if _blank(c["map_note"]) else str(c["map_note"])
        needs = (not pd.isna(c.get("empirical")) and bool(c.get("empirical"))) or str(
            c.get("claim_type")
        ) == "definition"
        if str(c["claim_id"]) in cited and note:
            problems.append(
                Problem(
                    file,
                    "a relation cites this claim: no map_note",
                    row=i,
                    column="map_note",
                    value=note,
                )
            )
        elif needs and str(c["claim_id"]) not in cited and not note:
            kind = "definition" if str(c.get("claim_type")) == "definition" else "empirical"
            problems.append(
                Problem(
                    file,
                    f"no relation cites this {kind} claim: add one, or say here why it has none",
                    row=i,
                    column="map_note",
                    value="",
                )
            )
    return problems


def modality_counts(frame: pd.DataFrame, *, by: str = "basis") -> pd.DataFrame:
    """Count relations by modality and by a second column (``basis`` by default).

    Parameters
    ----------
    frame : DataFrame
        A table with a ``modality`` column (``relations``).
    by : str
        The second column.

    Returns
    -------
    DataFrame
        One row per modality that occurs, in the order of :data:`MODALITIES`,
        one column per value of ``by`` and a ``total``.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"modality": ["can", "asserted", "can"],
    ...                      "basis": ["stated", "stated", "inferred"]})
    >>> modality_counts(rows).to_dict("index")["can"]
    {'stated': 1, 'inferred': 1, 'total': 2}
    """
    table = pd.crosstab(frame["modality"].astype(str), frame[by].astype(str))
    order = [m for m in MODALITIES if m in table.index]
    columns = [b for b in BASES if b in table.columns] if by == "basis" else list(table.columns)
    table = table.reindex(index=order, columns=columns, fill_value=0)
    table.index.name = "modality"
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    return table
