"""The one way a file of a data folder (or an output folder's stamp) is read.

A data folder may come from a stranger. :func:`read_inside` reads a file only
when it is a regular file that lies inside the folder once links are
followed, and no larger than a written cap; it looks before it opens (a
named pipe is never opened, so it cannot block), opens without following a
link and without blocking, checks that what it opened is the file it looked
at, and never reads more than the cap.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from explainer.errors import DataError, Problem

__all__ = ["file_state", "inside", "read_inside", "read_text_inside"]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _name(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _refuse(root: Path, path: Path, message: str, value: str | None = None) -> DataError:
    return DataError([Problem(_name(root, path), message, value=value)])


def _real(root: Path, path: Path) -> Path:
    """Return where ``path`` leads once links are followed; refuse a path that leaves ``root``."""
    try:
        real = path.resolve(strict=False)
        base = root.resolve(strict=False)
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise _refuse(root, path, "a symbolic link that cannot be followed") from None
    if real == base or base not in real.parents:
        raise _refuse(
            root,
            path,
            "a symbolic link that leaves the data folder; the data is only read from inside it",
            value=str(real),
        )
    return real


def inside(root: Path, path: Path) -> Path:
    """Return ``path`` if it lies in the folder ``root`` once links are followed; else refuse.

    Raises
    ------
    DataError
        Naming the file, when it is a link that leaves ``root`` or cannot be followed.
    """
    if path.parent == root and not path.is_symlink():
        return path  # a file (or nothing yet) right in the folder: no link to follow
    _real(root, path)
    return path


def file_state(path: Path) -> tuple[int, int]:
    """Return a file's modification time (ns) and size: what a cache of its contents is keyed by.

    Raises
    ------
    DataError
        Naming the file, when it does not exist.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DataError([Problem(path.name, "file not found")]) from None
    return st.st_mtime_ns, st.st_size


def read_inside(root: str | os.PathLike[str], path: str | os.PathLike[str], limit: int) -> bytes:
    """Return the bytes of ``path``, a regular file inside ``root`` of at most ``limit`` bytes.

    Parameters
    ----------
    root : str or path-like
        The folder the file must lie in (the data folder, an output folder).
    path : str or path-like
        The file, inside ``root`` (a link is followed only if it stays inside).
    limit : int
        The largest size read, in bytes.

    Returns
    -------
    bytes

    Raises
    ------
    DataError
        Naming the file when it is missing, a link leaving ``root``, not a
        regular file (a folder, a named pipe, a device, a socket), larger
        than ``limit``, or unreadable. A named pipe is refused before it is
        opened, so a read never blocks.

    Examples
    --------
    >>> import os, pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "a.txt").write_text("hi")
    >>> read_inside(root, root / "a.txt", 10)
    b'hi'
    >>> os.mkfifo(root / "pipe")
    >>> read_inside(root, root / "pipe", 10)
    Traceback (most recent call last):
      ...
    explainer.errors.DataError: 1 problem in the data:
      - pipe: not a regular file (a named pipe); not read
    """
    root, path = Path(root), Path(root) / path
    real = _real(root, path) if path.is_symlink() or path.parent != root else path
    try:
        before = os.stat(real, follow_symlinks=False)
    except FileNotFoundError:
        raise _refuse(root, path, "file not found") from None
    except OSError as exc:
        raise _refuse(root, path, f"cannot read the file ({exc.strerror})") from None
    if not stat.S_ISREG(before.st_mode):
        kind = next((what for test, what in _KINDS if test(before.st_mode)), "not a file")
        raise _refuse(root, path, f"not a regular file ({kind}); not read")
    if before.st_size > limit:
        raise _refuse(root, path, f"larger than {limit:,} bytes; not read")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise _refuse(root, path, f"cannot read the file ({exc.strerror})") from None
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) or not stat.S_ISREG(
            now.st_mode
        ):
            raise _refuse(root, path, "the file changed while it was opened; not read")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _refuse(root, path, f"cannot read the file ({exc.strerror})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise _refuse(root, path, f"larger than {limit:,} bytes; not read")
    return b"".join(chunks)


def read_text_inside(root: str | os.PathLike[str], path: str | os.PathLike[str], limit: int) -> str:
    """Return the text of ``path`` as :func:`read_inside` reads it, decoded as UTF-8.

    A leading byte-order mark is dropped.

    Parameters
    ----------
    root, path, limit
        As for :func:`read_inside`.

    Returns
    -------
    str

    Raises
    ------
    DataError
        As :func:`read_inside`, and when the bytes are not UTF-8 (naming
        the line and the bytes).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "a.txt").write_bytes(b"\\xef\\xbb\\xbfhi")
    >>> read_text_inside(root, root / "a.txt", 10)
    'hi'
    """
    raw = read_inside(root, path, limit)
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.end].hex(" ")
        row = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(
            [
                Problem(
                    _name(Path(root), Path(root) / path),
                    f"not UTF-8 (byte {exc.start})",
                    row=row,
                    value=f"0x{bad}",
                )
            ]
        ) from None
