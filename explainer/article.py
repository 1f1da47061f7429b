"""The article's text, its structure parser, and quote lookup.

The parser turns the plain text of the article into a tree of sections: the
title, the introduction, the table of contents, the numbered sections with
their lettered subsections, bullet items, expert entries and FAQ entries, and
the closing parts that are not content. Every non-blank line falls in exactly
one leaf; ``start`` and ``end`` are character offsets (Python ``str``
indices, end exclusive) into the text, spanning a part's first to its last
non-blank character.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from explainer._paths import resolve_data_dir
from explainer.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ARTICLE_FILE",
    "SECTION_COLUMNS",
    "Section",
    "article_text",
    "find_quote",
    "parse_sections",
    "sections_frame",
]

ARTICLE_FILE = "article.txt"

#: The largest ``article.txt`` read, in bytes (the shipped one is about 10 kB).
MAX_ARTICLE_BYTES = 2_000_000

_SECTION_HEADING = re.compile(r"(?P<number>\d+)\.\s+(?P<title>\S.*)")
_TOC_HEADING = "Table of Contents"
_SUBSECTION = re.compile(r"(?P<letter>[A-Z])\.\s+(?P<title>\S[^.!?]*)")
_BULLET = re.compile(r"[•*\-]\s+(?P<title>[^:]+?):\s+\S")
_EXPERT = re.compile(r"(?P<name>(?:Dr|Prof)\.\s+[^,]+),\s+(?P<role>[^.!?\"“”]+)")
_FAQ_QUESTION = re.compile(r"Q(?P<number>\d+)\.\s+(?P<question>\S.*\?)")
_COMMENT_FORM = "Leave a Reply"


@dataclass(frozen=True)
class Section:
    """One part of the article: a row of the ``sections`` table.

    Attributes
    ----------
    section_id : str
        A short, stable id such as ``"s2b"`` or ``"faq3"``.
    parent_id : str or None
        The enclosing part; ``None`` for the whole article.
    number : str or None
        The number the article prints (``"2"``, ``"2.B"``, ``"Q3"``).
    title : str
        The heading, or a descriptive title for parts without one.
    level : int
        0 for the article, 1 for its parts, 2 for their children.
    kind : str
        One of the ``kind`` values documented in ``datapackage.json``.
    start, end : int
        Character offsets into the article text, end exclusive.
    """

    section_id: str
    parent_id: str | None
    number: str | None
    title: str
    level: int
    kind: str
    start: int
    end: int


SECTION_COLUMNS = tuple(f.name for f in fields(Section))


@dataclass(frozen=True)
class _Line:
    lineno: int  # 1-based, as an editor shows it
    text: str  # stripped of surrounding white space
    start: int  # offset of the first non-blank character
    end: int  # offset after the last non-blank character
    indented: bool


def _lines(text: str) -> list[_Line]:
    """Return the non-blank lines with their offsets; handles \\n and \\r\\n."""
    out = []
    for lineno, m in enumerate(re.finditer(r"[^\n]*(?:\n|$)", text), start=1):
        raw = m.group().rstrip("\n").rstrip("\r")
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start = m.start() + lead
        out.append(_Line(lineno, stripped, start, start + len(stripped), lead > 0))
    return out


def _error(message: str, line: _Line | None = None) -> DataError:
    return DataError(
        [
            Problem(
                file=ARTICLE_FILE,
                message=message,
                row=None if line is None else line.lineno,
                value=None if line is None else line.text,
            )
        ]
    )


def _span(lines: list[_Line]) -> tuple[int, int]:
    return lines[0].start, lines[-1].end


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Group lines into paragraphs: runs of consecutive line numbers."""
    groups: list[list[_Line]] = []
    for line in lines:
        if groups and line.lineno - 1 == groups[-1][-1].lineno:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def parse_sections(text: str) -> list[Section]:
    """Parse the article's text into its sections, parents before children.

    Parameters
    ----------
    text : str
        The article, as plain text (``\\n`` or ``\\r\\n`` line endings).

    Returns
    -------
    list of Section
        The whole article first (``section_id="article"``), then its parts in
        reading order, each followed by its children.

    Raises
    ------
    DataError
        If the text is empty, has no title, no table of contents, or a
        section listed in the table of contents has no heading in the body.

    Examples
    --------
    >>> text = "A title\\n\\nIntro.\\n\\nTable of Contents\\n\\n  1. One\\n\\n1. One\\n\\nBody.\\n"
    >>> [s.section_id for s in parse_sections(text)]
    ['article', 'title', 'intro', 'toc', 's1']
    """
    lines = _lines(text)
    if not lines:
        raise _error("the article is empty")
    title = lines[0]
    toc_at = next((i for i, ln in enumerate(lines) if ln.text == _TOC_HEADING), None)
    if toc_at is None:
        raise _error(f"no {_TOC_HEADING!r} line: cannot find where the body starts")
    if toc_at < 2:
        raise _error("no introduction between the title and the table of contents", title)

    # The table of contents: indented "N. Title" lines after its heading.
    toc_entries: list[_Line] = []
    i = toc_at + 1
    while i < len(lines) and lines[i].indented and _SECTION_HEADING.fullmatch(lines[i].text):
        toc_entries.append(lines[i])
        i += 1
    if not toc_entries:
        raise _error("the table of contents lists no sections", lines[toc_at])
    body = lines[i:]

    # Section headings in the body must match the table of contents, in order.
    headings: list[int] = []
    cursor = 0
    for entry in toc_entries:
        found = next(
            (
                j
                for j in range(cursor, len(body))
                if body[j].text == entry.text and not body[j].indented
            ),
            None,
        )
        if found is None:
            raise _error("listed in the table of contents but no such heading in the body", entry)
        headings.append(found)
        cursor = found + 1
    if headings[0] != 0:
        raise _error("text between the table of contents and the first section", body[0])

    sections = [Section("article", None, None, title.text, 0, "article", 0, lines[-1].end)]
    sections.append(
        Section("title", "article", None, title.text, 1, "title", title.start, title.end)
    )
    intro = lines[1:toc_at]
    sections.append(Section("intro", "article", None, "Introduction", 1, "intro", *_span(intro)))
    toc = lines[toc_at : toc_at + 1 + len(toc_entries)]
    sections.append(Section("toc", "article", None, _TOC_HEADING, 1, "toc", *_span(toc)))

    # The closing matter: what follows the last FAQ entry, and the comment form.
    bounds = [*headings, len(body)]
    last = body[headings[-1] : bounds[-1]]
    closing: list[Section] = []
    form_at = next((j for j, ln in enumerate(last) if ln.text == _COMMENT_FORM), None)
    if form_at is not None:
        form = last[form_at:]
        closing.append(
            Section(
                "comment-form", "article", None, "Comment form", 1, "comment_form", *_span(form)
            )
        )
        last = last[:form_at]
    faq_starts = [j for j, ln in enumerate(last) if _FAQ_QUESTION.fullmatch(ln.text)]
    if faq_starts:
        paras = _paragraphs(last[faq_starts[-1] :])
        if len(paras) > 1:
            note = [ln for p in paras[1:] for ln in p]
            closing.insert(
                0,
                Section(
                    "closing-note", "article", None, "Closing note", 1, "closing_note", *_span(note)
                ),
            )
            last = last[: len(last) - len(note)]

    for k, (a, b) in enumerate(itertools.pairwise(bounds)):
        part = body[a:b] if k < len(headings) - 1 else last
        sections.extend(_parse_numbered(part))
    sections.extend(closing)
    return sections


def _parse_numbered(part: list[_Line]) -> list[Section]:
    """Parse one numbered section and its children."""
    head = part[0]
    m = _SECTION_HEADING.fullmatch(head.text)
    assert m is not None  # guaranteed by the caller's match with the contents
    number, title = m["number"], m["title"]
    sid = f"s{number}"
    parent = Section(sid, "article", number, title, 1, "section", *_span(part))

    # Where each child starts, and what kind it is.
    starts: list[tuple[int, str, str, str]] = []  # (index, id, number, title)
    kinds: dict[int, str] = {}
    bullet_no = 0
    for j, line in enumerate(part[1:], start=1):
        if (sub := _SUBSECTION.fullmatch(line.text)) and not line.indented:
            letter = sub["letter"]
            starts.append((j, f"{sid}{letter.lower()}", f"{number}.{letter}", sub["title"]))
            kinds[j] = "subsection"
        elif bullet := _BULLET.match(line.text):
            bullet_no += 1
            starts.append((j, f"{sid}-b{bullet_no}", f"{number}.b{bullet_no}", bullet["title"]))
            kinds[j] = "bullet"
        elif expert := _EXPERT.fullmatch(line.text):
            slug = expert["name"].split()[-1].lower()
            starts.append((j, f"{sid}-{slug}", None, line.text))
            kinds[j] = "expert"
        elif q := _FAQ_QUESTION.fullmatch(line.text):
            starts.append((j, f"faq{q['number']}", f"Q{q['number']}", q["question"]))
            kinds[j] = "faq"
    if not starts:
        return [parent]

    children: list[Section] = []
    first = starts[0][0]
    lead = part[:first]
    children.append(
        Section(f"{sid}-lead", sid, None, f"Opening of section {number}", 2, "lead", *_span(lead))
    )
    ends = [s[0] for s in starts[1:]] + [len(part)]
    for (j, cid, cnum, ctitle), stop in zip(starts, ends, strict=True):
        kind = kinds[j]
        if kind == "bullet":
            # A bullet is one line; what follows a run of bullets is the coda.
            stop = j + 1
        children.append(Section(cid, sid, cnum, ctitle, 2, kind, *_span(part[j:stop])))
    tail_from = starts[-1][0] + 1 if kinds[starts[-1][0]] == "bullet" else len(part)
    if tail_from < len(part):
        coda = part[tail_from:]
        children.append(
            Section(
                f"{sid}-coda", sid, None, f"Closing of section {number}", 2, "coda", *_span(coda)
            )
        )
    return [parent, *children]


def sections_frame(
    text: str | None = None, *, data_dir: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Return the parsed sections as a DataFrame with the table's columns.

    Parameters
    ----------
    text : str, optional
        The article's text; by default the shipped ``article.txt``.
    data_dir : str or path-like, optional
        Where to read ``article.txt`` from when ``text`` is not given.

    Returns
    -------
    pandas.DataFrame
        One row per section, columns as in :data:`SECTION_COLUMNS`.

    Examples
    --------
    >>> frame = sections_frame()
    >>> frame.loc[frame.section_id == "s3", "title"].item()
    'Biological Underpinnings of Sex and Emotional Bonds'
    """
    import pandas as pd

    if text is None:
        text = article_text(data_dir=data_dir)
    rows = [asdict(s) for s in parse_sections(text)]
    return pd.DataFrame(rows, columns=list(SECTION_COLUMNS))


def article_text(*, data_dir: str | os.PathLike[str] | None = None) -> str:
    """Return the article's full text, exactly as shipped in ``article.txt``.

    Parameters
    ----------
    data_dir : str or path-like, optional
        The data directory; by default the one shipped with the package.

    Returns
    -------
    str

    Raises
    ------
    DataError
        If the file is missing, not UTF-8, larger than
        :data:`MAX_ARTICLE_BYTES`, not a regular file, or a link leaving the
        data folder.

    Examples
    --------
    >>> article_text().splitlines()[0]
    'Exploring the Connection: Why Sex Is Good for Emotional Intimacy'
    """
    path = resolve_data_dir(data_dir) / ARTICLE_FILE
    return _read_text(path)


def _read_text(path: Path, limit: int | None = None) -> str:
    """Read a file of the data folder (``path.parent``) through the one safe reader.

    Regular files inside the folder only, never larger than ``limit`` bytes
    (by default :data:`MAX_ARTICLE_BYTES`); see :mod:`explainer._read`.
    """
    from explainer._read import read_text_inside

    return read_text_inside(path.parent, path, MAX_ARTICLE_BYTES if limit is None else limit)


def find_quote(text: str, quote: str, start: int = 0, end: int | None = None) -> int:
    """Return the offset of ``quote`` inside ``text[start:end]``, or -1.

    The quote must appear verbatim (curly quotes, dashes and all).

    Parameters
    ----------
    text : str
        The article's text.
    quote : str
        The span to look for.
    start, end : int, optional
        The window to look in, e.g. a section's span.

    Returns
    -------
    int
        The offset into ``text`` of the first match, or -1.

    Examples
    --------
    >>> text = article_text()
    >>> text[find_quote(text, "bonding hormone"):][:15]
    'bonding hormone'
    >>> find_quote(text, "not in the article")
    -1
    """
    if not quote:
        return -1
    return text.find(quote, start, len(text) if end is None else end)


#: Hedging words, in the order of the ``hedge`` enumeration; a quote's hedge is
#: the first of these (by position in the quote) that it contains.
HEDGES = {
    "can": "can",
    "may": "may",
    "might": "might",
    "could": "could",
    "often": "often",
    "likely": "likely",
    "likelier": "likely",
    "some": "some",
}
_HEDGE = re.compile(
    r"\b(" + "|".join(sorted(HEDGES, key=len, reverse=True)) + r")\b", re.IGNORECASE
)

#: Uses of a hedging word that do not hedge the article's claim, read in
#: context: each pattern, with why it is not a hedge. A match is masked out
#: before the hedge is looked for, so a real hedge elsewhere in the quote
#: still counts.
NOT_HEDGES = {
    # "often referred to as the 'bonding hormone'", "often overlooked": the
    # word tells how others name or treat a thing; the claim is not softened.
    r"\boften\s+(?:referred|called|known|described|overlooked|cited|considered)\b": (
        "'often' before a word of naming or neglect reports how others speak, not a hedge"
    ),
    # "both parties can rely on each other": ability inside a definition.
    r"\bcan\s+(?:rely|count)\b": "'can rely' states an ability, not a hedge",
    # "While some might think ...", "Some believe ...": other people's view,
    # which the article reports (and rejects); its own claim is not softened.
    r"\bsome\s+(?:people\s+)?(?:(?:might|may|could)\s+)?"
    r"(?:think|believe|say|argue|claim|feel|assume)\b": (
        "'some' reporting other people's view is not a hedge of the article's claim"
    ),
}
_NOT_HEDGE = re.compile("|".join(f"(?:{p})" for p in NOT_HEDGES), re.IGNORECASE)


def hedge_of(quote: str) -> str:
    """Return the first hedging word in ``quote`` that hedges, or ``"none"``.

    "likelier" counts as "likely". A hedging word is read with the words
    around it: the uses listed in :data:`NOT_HEDGES` ("often referred to",
    "often overlooked", "can rely", "some believe", "some might think") do
    not soften the article's own claim and are skipped. This is how the
    ``hedge`` column of the claims table is derived: it is never typed by
    hand.

    Parameters
    ----------
    quote : str

    Returns
    -------
    str
        One of ``none``, ``can``, ``may``, ``might``, ``could``, ``often``,
        ``likely``, ``some``.

    Examples
    --------
    >>> hedge_of("Sex can serve as a source of comfort during stressful times.")
    'can'
    >>> hedge_of("they are likelier to engage in further emotional bonding behaviors")
    'likely'
    >>> hedge_of("Absolutely.")
    'none'
    >>> hedge_of("like oxytocin, often referred to as the bonding hormone")
    'none'
    >>> hedge_of("Some believe that prioritizing sex detracts from emotional bonding.")
    'none'
    """
    masked = _NOT_HEDGE.sub(lambda m: " " * len(m.group(0)), quote)
    m = _HEDGE.search(masked)
    return "none" if m is None else HEDGES[m.group(1).lower()]
