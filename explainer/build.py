"""Regenerate the derived data: ``sections.csv`` and the claims' ``hedge`` column.

This is the only code that writes into the data directory. The two files
change as one step: both are written to temporary files, then a journal
naming them is written (the commit point), then both are renamed into place
and the journal removed. A run killed before the journal leaves the old
files (its temporary files are removed at the next run); a run killed after
it is finished at the next run. Either way the data ends up both old or
both new, never half and half.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from explainer._io import _lock
from explainer._paths import resolve_data_dir
from explainer.article import ARTICLE_FILE, _read_text, hedge_of, sections_frame
from explainer.errors import DataError, Problem

__all__ = ["regenerate", "sections_csv"]


def sections_csv(text: str) -> str:
    """Return the ``sections.csv`` that the parser makes of ``text``.

    Parameters
    ----------
    text : str
        The article's text.

    Returns
    -------
    str
        CSV text with a header row and ``\\n`` line ends.

    Examples
    --------
    >>> from explainer import article_text
    >>> sections_csv(article_text()).splitlines()[0]
    'section_id,parent_id,number,title,level,kind,start,end'
    """
    buf = io.StringIO()
    sections_frame(text).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _hedged_claims(path: Path) -> str:
    text = _read_text(path)
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    if (
        reader.fieldnames is None
        or "quote" not in reader.fieldnames
        or "hedge" not in reader.fieldnames
    ):
        raise DataError([Problem(path.name, "needs the columns 'quote' and 'hedge'", row=1)])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    for row in reader:
        row["hedge"] = hedge_of(row["quote"] or "")
        writer.writerow(row)
    return out.getvalue()


JOURNAL = ".regenerate.journal"
_TMP = ".{}.regenerate.tmp"


def regenerate(data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Rewrite the derived files of the data directory; return those changed.

    Writes ``sections.csv`` from the parser and the ``hedge`` column of
    ``claims.csv`` from each quote, as one step (see the module's note).
    Files whose content would not change are left untouched. A run
    interrupted earlier is first finished or undone.

    Parameters
    ----------
    data_dir : str or path-like, optional
        The data directory; by default the one shipped with the package.

    Returns
    -------
    list of pathlib.Path
        The files rewritten.

    Raises
    ------
    DataError
        If the article cannot be read, ``claims.csv`` breaks its schema (it
        is never rewritten then), or another ``regenerate`` is running on
        the same folder.
    """
    from explainer.tables import _local, load

    root = resolve_data_dir(data_dir)
    with _lock(root / "regenerate"):
        _recover(root)
        text = _read_text(_local(root, root / ARTICLE_FILE))
        planned = {root / "sections.csv": sections_csv(text)}
        claims = root / "claims.csv"
        if claims.exists():
            load("claims", data_dir=root)  # never rewrite a table that breaks its schema
            planned[_local(root, claims)] = _hedged_claims(claims)
        changed = [
            path
            for path, content in planned.items()
            if not path.is_file() or path.read_text(encoding="utf-8") != content
        ]
        if changed:
            _commit(root, {path: planned[path] for path in changed})
    return changed


def _commit(root: Path, contents: dict[Path, str]) -> None:
    """Put every file of ``contents`` in place as one step (journal, then renames)."""
    moves = {}
    try:
        for path, content in contents.items():
            tmp = root / _TMP.format(path.name)
            moves[tmp.name] = path.name
            _write_synced(tmp, content)
        _write_synced(root / _TMP.format(JOURNAL), json.dumps(moves, indent=1) + "\n")
        os.replace(root / _TMP.format(JOURNAL), root / JOURNAL)  # the commit point
    except BaseException:
        for name in [*moves, _TMP.format(JOURNAL)]:
            (root / name).unlink(missing_ok=True)
        raise
    _finish(root, moves)


def _finish(root: Path, moves: dict[str, str]) -> None:
    for tmp, name in moves.items():
        if (root / tmp).exists():
            os.replace(root / tmp, root / name)
    _fsync_dir(root)
    (root / JOURNAL).unlink()


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(0o644)


def _recover(root: Path) -> None:
    """Finish a committed run (a journal is there) or undo an uncommitted one."""
    journal = root / JOURNAL
    if journal.exists():
        try:
            moves = json.loads(journal.read_text(encoding="utf-8"))
            ok = isinstance(moves, dict) and all(
                isinstance(k, str) and isinstance(v, str) and k == _TMP.format(v)
                for k, v in moves.items()
            )
        except (OSError, ValueError):
            ok = False
        if not ok:
            raise DataError(
                [Problem(JOURNAL, "a damaged journal of an interrupted regenerate; remove it")]
            )
        _finish(root, moves)
    for leftover in root.glob(_TMP.format("*")):  # an uncommitted run: the old files stand
        leftover.unlink()


def _fsync_dir(root: Path) -> None:
    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
