"""Regenerate the derived data: ``sections.csv`` and the claims' ``hedge`` column.

This is the only code that writes into the data directory. The two files
change as one step: both are written to temporary files, then a journal
naming them is written (the commit point), then both are renamed into place
and the journal removed. A run killed before the journal leaves the old
files (its temporary files are removed at the next run); a run killed after
it is finished at the next run. Either way the data ends up both old or
both new, never half and half.

Recovery trusts nothing it did not make: each run writes a random token
into the lock file ``.regenerate.lock`` and into the names of its temporary
files and its journal; the next run acts on a journal or a temporary file
only when it carries the token the lock recorded and names plain files of
this folder (no separator, no ``..``, no link). Anything else is left alone.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
from pathlib import Path

from explainer._io import held_lock, mention
from explainer._paths import PACKAGE_DIR, resolve_data_dir
from explainer._read import inside, read_inside, read_text_inside
from explainer.article import article_text, hedge_of, sections_frame
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
    from explainer.tables import MAX_TABLE_BYTES

    text = read_text_inside(path.parent, path, MAX_TABLE_BYTES)
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
#: A run's temporary copy of a file it rewrites: the file's name and the run's token.
_TMP = ".{name}.{token}.regenerate.tmp"
_TMP_SHAPE = re.compile(r"\.(?P<name>.+)\.(?P<token>[^.]*)\.regenerate\.tmp")
#: The largest journal read: it names two files.
MAX_JOURNAL_BYTES = 100_000


def regenerate(data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Rewrite the derived files of the data directory; return those changed.

    Writes ``sections.csv`` from the parser and the ``hedge`` column of
    ``claims.csv`` from each quote, as one step (see the module's note).
    Files whose content would not change are left untouched, and a file
    rewritten keeps its permissions. A run interrupted earlier is first
    finished or undone, but only from what that run provably wrote (its
    token, in the lock file, names its journal and temporary files).

    Parameters
    ----------
    data_dir : str or path-like, optional
        The data directory; by default the one shipped with the package
        (refused when that is inside an installed package: copy it first).

    Returns
    -------
    list of pathlib.Path
        The files rewritten.

    Raises
    ------
    DataError
        If the article cannot be read, ``claims.csv`` breaks its schema (it
        is never rewritten then), a journal cannot be proved to be
        explainer's, or another ``regenerate`` is running on the same folder.
    """
    from explainer.tables import load

    root = resolve_data_dir(data_dir)
    if root.is_relative_to(PACKAGE_DIR):
        raise DataError(
            [
                Problem(
                    str(root),
                    "this is the data shipped inside the installed package, which regenerate "
                    "never rewrites; copy the folder and pass --data-dir",
                )
            ]
        )
    with held_lock(root / "regenerate") as run:
        try:
            _recover(root, run.previous)
        except BaseException:
            run.keep_previous = True
            raise
        text = article_text(data_dir=root)
        planned = {root / "sections.csv": sections_csv(text)}
        claims = root / "claims.csv"
        if claims.exists():
            load("claims", data_dir=root)  # never rewrite a table that breaks its schema
            planned[inside(root, claims)] = _hedged_claims(claims)
        changed = [path for path, content in planned.items() if _differs(root, path, content)]
        if changed:
            _commit(root, {path: planned[path] for path in changed}, run.token)
    return changed


def _differs(root: Path, path: Path, content: str) -> bool:
    from explainer.tables import MAX_TABLE_BYTES

    if not path.exists() and not path.is_symlink():
        return True
    return read_text_inside(root, path, MAX_TABLE_BYTES) != content


def _commit(root: Path, contents: dict[Path, str], token: str) -> None:
    """Put every file of ``contents`` in place as one step (journal, then renames)."""
    moves, digests = {}, {}
    journal_tmp = root / _TMP.format(name=JOURNAL.lstrip("."), token=token)
    try:
        for path, content in contents.items():
            tmp = root / _TMP.format(name=path.name, token=token)
            moves[tmp.name] = path.name
            digests[tmp.name] = _write_synced(tmp, content, _mode_of(path))
        record = {"token": token, "moves": moves, "sha256": digests}
        _write_synced(journal_tmp, json.dumps(record, indent=1) + "\n", 0o644)
        os.replace(journal_tmp, root / JOURNAL)  # the commit point
    except BaseException:
        for name in [*moves, journal_tmp.name]:
            (root / name).unlink(missing_ok=True)
        raise
    _finish(root, moves)


def _mode_of(path: Path) -> int:
    """Return the permissions a rewritten file keeps: its own, or 0644 less the umask when new."""
    try:
        return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o644 & ~mask


def _finish(root: Path, moves: dict[str, str]) -> None:
    for tmp, name in moves.items():
        if (root / tmp).exists():
            os.replace(root / tmp, root / name)
    _fsync_dir(root)
    (root / JOURNAL).unlink()


def _write_synced(path: Path, text: str, mode: int) -> str:
    data = text.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(mode)
    return hashlib.sha256(data).hexdigest()


def _plain(name: object) -> bool:
    """Whether ``name`` is a plain file name: no separator, not ``.`` or ``..``."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
        and os.sep not in name
    )


def _journal_problem(root: Path, record: object, previous: str | None) -> str | None:
    """Return why the journal is not provably the killed run's, or None if it is."""
    if not isinstance(record, dict) or not isinstance(record.get("moves"), dict):
        return "damaged"
    token, moves, digests = record.get("token"), record["moves"], record.get("sha256")
    if not isinstance(token, str) or token != previous or not isinstance(digests, dict):
        return "not written by the run that held the lock"
    for tmp, name in moves.items():
        if not (_plain(tmp) and _plain(name) and name.endswith(".csv")):
            return f"names a path that is not a plain file name in the folder ({tmp!r}, {name!r})"
        if tmp != _TMP.format(name=name, token=token):
            return f"names a file the run did not write ({tmp!r})"
        for entry in (tmp, name):
            try:
                mode = os.stat(root / entry, follow_symlinks=False).st_mode
            except FileNotFoundError:
                continue
            if not stat.S_ISREG(mode):
                return f"names {entry!r}, which is not a regular file (a link or a folder)"
        if (root / tmp).exists():
            from explainer.tables import MAX_TABLE_BYTES

            data = read_inside(root, root / tmp, MAX_TABLE_BYTES)
            if hashlib.sha256(data).hexdigest() != digests.get(tmp):
                return f"names {tmp!r}, whose content is not what the run wrote"
    return None


def _recover(root: Path, previous: str | None) -> None:
    """Finish a committed run (its journal is there) or undo an uncommitted one.

    Only what the killed run provably wrote is touched: its journal and its
    temporary files carry its token, which the lock file recorded (the
    lock's ``previous`` token), and name plain files of this folder.
    """
    journal = root / JOURNAL
    if journal.exists() or journal.is_symlink():
        try:
            record = json.loads(read_text_inside(root, journal, MAX_JOURNAL_BYTES))
            why = _journal_problem(root, record, previous)
        except (DataError, ValueError, RecursionError):
            why = "damaged or unreadable"
        if why:
            raise DataError(
                [
                    Problem(
                        JOURNAL,
                        f"a journal of an interrupted regenerate that explainer cannot prove "
                        f"it wrote ({why}); nothing was done: check the data and remove it",
                    )
                ]
            )
        _finish(root, record["moves"])
    for leftover in sorted(root.iterdir()):  # an uncommitted run: the old files stand
        match = _TMP_SHAPE.fullmatch(leftover.name)
        if not match:
            continue
        ours = (
            match["token"] == previous
            and not leftover.is_symlink()
            and leftover.is_file()
            and _plain(match["name"])
        )
        if ours:
            leftover.unlink()
        else:
            mention(
                f"left alone {leftover}: it looks like a leftover of an interrupted "
                "regenerate, but explainer cannot prove it made it"
            )


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
