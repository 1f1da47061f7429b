"""Safe writes: a file or a folder appears whole, or not at all.

:func:`output_folder` is the one way the package writes a folder of output
(``site`` and ``export``): it refuses any folder that could hold a user's
files, builds in a temporary sibling, stamps the result as explainer's and
swaps it in whole, under a lock.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from explainer.errors import DataError, LeftAloneWarning, OutputError, Problem

__all__ = [
    "STAMP",
    "atomic_dir",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_output_target",
    "held_lock",
    "output_folder",
]

#: The file that marks a folder as explainer's output (JSON: tool, version, kind, files).
#: Not a dotfile: a published site keeps it (some hosts drop dotfiles).
STAMP = "explainer-output.json"


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` through a temporary file.

    The text goes to a temporary file in the same folder, which is then
    renamed over ``path``: a reader sees the old file or the new one, never a
    half-written one, and a failure leaves the old file as it was.

    Parameters
    ----------
    path : str or path-like
    text : str

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write_text(folder / "a.txt", "hello\\n").read_text()
    'hello\\n'
    """
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Parameters
    ----------
    path : str or path-like
    data : bytes

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write_bytes(pathlib.Path(tempfile.mkdtemp()) / "b.bin", b"\\x00")
    >>> p.read_bytes()
    b'\\x00'
    """
    return _atomic(Path(path), lambda handle: handle.write(data))


def _atomic(path: Path, write: Callable) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private; a written file is as readable as any other.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Build a folder in a temporary place; move it to ``path`` only on success.

    On success an existing ``path`` is replaced whole; on failure it is left
    as it was and the temporary folder is removed.

    Parameters
    ----------
    path : str or path-like
        The folder to create or replace.

    Yields
    ------
    pathlib.Path
        The temporary folder to write into.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "site"
    >>> with atomic_dir(target) as tmp:
    ...     _ = (tmp / "index.html").write_text("<p>hi</p>")
    >>> sorted(p.name for p in target.iterdir())
    ['index.html']
    """
    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        # A name of this run's own (never a fixed one that a user's folder may hold).
        old = target.with_name(f".{target.name}.{secrets.token_hex(8)}.old")
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# ----------------------------------------------------------------------------
# Output folders: ours alone, swapped in whole, one build at a time

#: Entries that mark a folder as somebody's work: never replaced, never written into.
_PRECIOUS = (".git", ".hg", ".svn", "datapackage.json", "pyproject.toml", "setup.py", "setup.cfg")


def _refuse(target: Path, why: str) -> OutputError:
    return OutputError([Problem(str(target), f"refusing to write here: {why}")])


def _package_dirs() -> list[Path]:
    from explainer._paths import package_dirs

    return package_dirs()


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


#: The largest stamp read (a stamp lists the files of a site: a few kilobytes).
MAX_STAMP_BYTES = 1_000_000


def _stamp_of(folder: Path) -> dict | None:
    """Return the folder's stamp if it is explainer's (a regular file, a list of names)."""
    from explainer._read import read_text_inside

    try:
        stamp = json.loads(read_text_inside(folder, folder / STAMP, MAX_STAMP_BYTES))
    except (DataError, ValueError, RecursionError):
        return None
    if (
        isinstance(stamp, dict)
        and stamp.get("tool") == "explainer"
        and isinstance(stamp.get("files", []), list)
        and all(isinstance(name, str) for name in stamp.get("files", []))
    ):
        return stamp
    return None


def _files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def check_output_target(
    target: str | os.PathLike[str],
    *,
    force: bool = False,
    kind: str = "output",
    data_dir: str | os.PathLike[str] | None = None,
    partial: bool = False,
) -> Path:
    """Return ``target`` as an absolute path if explainer may (re)build it; refuse otherwise.

    A target may be built when it does not exist, is an empty folder, or is
    a folder explainer made (it holds the :data:`STAMP` file) and holds
    nothing but what explainer wrote there. ``force=True`` also replaces a
    stamped folder that has gained other files. Refused always: a path that
    is not a folder, ``/``, the home folder or one of its parents, a folder
    holding ``.git``, ``datapackage.json``, ``pyproject.toml`` or notebooks,
    the data folder, anything inside it or any folder that contains it, and
    the package's own folders.

    Parameters
    ----------
    target : str or path-like
    force : bool, default False
    kind : str
        What is built (``"site"``, ``"export"``): named in the messages.
    data_dir : str or path-like, optional
        The data folder in use; by default the shipped one.
    partial : bool, default False
        The folder holds only the files of an interrupted copy, which the
        caller has proved are its own: every other rule still applies.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OutputError
        Naming the folder and why it is refused.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> check_output_target(pathlib.Path(tempfile.mkdtemp()) / "new").name
    'new'
    >>> check_output_target("/")
    Traceback (most recent call last):
      ...
    explainer.errors.OutputError: 1 problem in the data:
      - /: refusing to write here: this is the root of the file system
    """
    from explainer._paths import resolve_data_dir

    raw = Path(target).expanduser()
    if raw.is_symlink() and not raw.is_dir():
        raise _refuse(raw.absolute(), "this is a symbolic link, not a folder")
    try:
        path = raw.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise _refuse(raw.absolute(), "a symbolic link that cannot be followed") from None
    data = resolve_data_dir(data_dir)
    if path == Path(path.anchor):
        raise _refuse(path, "this is the root of the file system")
    home = Path.home().resolve()
    if path == home:
        raise _refuse(path, "this is your home folder; choose a new, empty folder")
    if home != Path(home.anchor) and home.is_relative_to(path):
        raise _refuse(path, f"this folder holds your home folder {home}")
    if _within(path, data):
        raise _refuse(
            path,
            f"outputs never go into the data folder: this is inside the data directory {data}",
        )
    if data.is_relative_to(path):
        raise _refuse(path, f"this folder holds the data folder {data}")
    for folder in _package_dirs():
        if _within(path, folder) or folder.is_relative_to(path):
            raise _refuse(path, f"this is the explainer package's own folder {folder}")
    if path.exists() and not path.is_dir():
        raise _refuse(path, "this is a file, not a folder; choose a folder name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise _refuse(path, f"{parent} is a file, so no folder can be made in it")
            break
    if not path.exists() or partial:
        return path
    try:
        entries = {p.name for p in path.iterdir()}
    except OSError as exc:
        raise OutputError(
            [Problem(str(path), f"cannot read this folder: {exc.strerror}")]
        ) from None
    for name in _PRECIOUS:
        if name in entries:
            raise _refuse(path, f"it holds {name}, so it is somebody's work")
    if any(name.endswith(".ipynb") for name in entries):
        raise _refuse(path, "it holds notebooks, so it is somebody's work")
    if not entries:
        return path
    stamp = _stamp_of(path)
    if stamp is None:
        raise _refuse(
            path,
            "the folder is not empty and explainer did not make it "
            f"(no {STAMP} file); choose a new or empty folder",
        )
    listed = set(stamp.get("files", [])) | {STAMP}
    extra = sorted(_files_in(path) - listed)
    if extra and not force:
        raise _refuse(
            path,
            f"explainer made this {stamp.get('kind', kind)} folder, but it now also holds "
            f"{len(extra)} file(s) explainer did not write (such as {extra[0]!r}); "
            "move them out, or pass --force to replace the folder anyway",
        )
    return path


# What a build into NAME leaves when it is killed: .NAME.<token>.tmp (the folder
# being built) and .NAME.<token>.old (the folder being replaced), where <token>
# is the run's own random token, recorded in the lock file .NAME.lock.
_NAME = re.compile(r"\.(?P<name>.+)\.(?P<token>[A-Za-z0-9_]+)\.(?P<kind>tmp|old)")
_TOKEN = re.compile(r"[0-9a-f]{16}")
_LOCK_TEXT = re.compile(rb"explainer lock (?P<token>[0-9a-f]{16})\n")


def mention(message: str) -> None:
    """Say in one line that something was left alone (a :class:`LeftAloneWarning`)."""
    warnings.warn(message, LeftAloneWarning, stacklevel=3)


def _clean_leftovers(path: Path, previous: str | None) -> None:
    """Remove what a killed build into ``path`` left beside it: only what it proves it made.

    A leftover is ours when its name carries ``previous``, the token that the
    killed run wrote into the lock file, and it is a real folder (not a link)
    directly beside ``path``. Anything else shaped like a leftover is left
    alone and mentioned in one line.
    """
    for entry in sorted(path.parent.iterdir()):
        match = _NAME.fullmatch(entry.name)
        if not match or match["name"] != path.name:
            continue
        if match["token"] != previous or entry.is_symlink() or not entry.is_dir():
            mention(
                f"left alone {entry}: it looks like a leftover of an interrupted build, "
                "but explainer cannot prove it made it"
            )
            continue
        if match["kind"] == "old" and not path.exists() and _stamp_of(entry):
            os.rename(entry, path)  # killed between two renames: put the old one back
            continue
        shutil.rmtree(entry, ignore_errors=True)


class _Run:
    """A build holding the lock: its own token, and the token a killed run left (or None)."""

    def __init__(self, token: str, previous: str | None):
        self.token, self.previous = token, previous
        #: Set when what the killed run left was not dealt with: the lock keeps its token.
        self.keep_previous = False


def _busy(path: Path, lock: Path) -> OutputError:
    return OutputError(
        [
            Problem(
                str(path),
                "another explainer process is writing here right now "
                f"(it holds {lock.name}); wait for it to finish, then try again",
            )
        ]
    )


def _not_ours(path: Path, lock: Path, what: str) -> OutputError:
    return OutputError(
        [
            Problem(
                str(path),
                f"refusing to write here: {lock.name} beside it is {what} that explainer did "
                "not make (explainer's lock files hold 'explainer lock' and a token); "
                "it is left alone: move it away if it is not needed",
            )
        ]
    )


def _open_lock(path: Path, lock: Path) -> tuple[int, bool]:
    """Open (or create) the lock file without following a link or blocking on a pipe."""
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    while True:
        try:
            return os.open(lock, flags | os.O_CREAT | os.O_EXCL, 0o644), True
        except FileExistsError:
            pass
        try:
            before = os.stat(lock, follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed as we looked: create it again
        if not stat.S_ISREG(before.st_mode):
            raise _not_ours(path, lock, "a link or something other than a file")
        try:
            return os.open(lock, flags), False
        except FileNotFoundError:
            continue
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _not_ours(path, lock, "a symbolic link") from None
            raise


@contextmanager
def held_lock(path: Path) -> Iterator[_Run]:
    """Hold the lock file ``.NAME.lock`` beside ``path``; yield the run's tokens.

    The lock file holds the token of the run holding it, so a run killed
    while it held it names the leftovers it made. A file of that name that
    explainer did not make (a link, a folder, a pipe, other content) is
    never written, locked or removed: the build is refused.
    """
    import fcntl

    lock = path.with_name(f".{path.name}.lock")
    token = secrets.token_hex(8)
    for _attempt in range(100):
        fd, created = _open_lock(path, lock)
        if created:
            os.write(fd, f"explainer lock {token}\n".encode("ascii"))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise _not_ours(path, lock, "something other than a file")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise _busy(path, lock) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock, follow_symlinks=False).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)  # the holder removed the lock file as we opened it: take the new one
            continue
        if created:
            previous = None
            break
        content = os.pread(fd, 64, 0)
        if not content:  # its maker is between creating it and writing its token
            os.close(fd)
            time.sleep(0.02)
            continue
        match = _LOCK_TEXT.fullmatch(content)
        if match is None:
            os.close(fd)
            raise _not_ours(path, lock, "a file")
        previous = match["token"].decode("ascii")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"explainer lock {token}\n".encode("ascii"), 0)
        break
    else:
        raise _not_ours(path, lock, "an empty file")
    run = _Run(token, previous)
    try:
        yield run
    finally:
        with suppress(OSError):
            if run.keep_previous and previous is not None:
                # What the killed run left is still there: its token stays to prove it.
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"explainer lock {previous}\n".encode("ascii"), 0)
            elif os.stat(lock, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                os.unlink(lock)
        os.close(fd)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); return False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(
        at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(tmp: Path, target: Path, token: str) -> None:
    """Put the finished folder ``tmp`` at ``target``; remove what was there."""
    if not target.exists():
        os.rename(tmp, target)
        return
    if _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old folder
        return
    old = target.with_name(f".{target.name}.{token}.old")
    os.rename(target, old)
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def _os_error(path: Path, exc: OSError) -> OutputError:
    where = exc.filename or path
    return OutputError([Problem(str(where), f"cannot write the output: {exc.strerror or exc}")])


@contextmanager
def output_folder(
    target: str | os.PathLike[str],
    *,
    force: bool = False,
    kind: str = "output",
    data_dir: str | os.PathLike[str] | None = None,
) -> Iterator[Path]:
    """Build an output folder in a temporary sibling and swap it in whole.

    The target is first checked by :func:`check_output_target` (nothing is
    written to a folder that could hold a user's files). Under a lock file
    ``.NAME.lock`` beside it (a second build into the same folder fails at
    once with a clear message), leftovers of a killed build (``.NAME.<token>.tmp``,
    ``.NAME.<token>.old``, where ``<token>`` is the one the killed run wrote into
    the lock) are removed, and anything else of that shape is left alone and
    mentioned; the caller writes into a new temporary folder
    ``.NAME.<token>.tmp``, the :data:`STAMP` file is written, and the folder
    replaces ``target`` in one rename. If the build fails, ``target``
    is left as it was and the temporary folder is removed.

    Parameters
    ----------
    target : str or path-like
    force : bool, default False
        Replace a folder explainer made even if it has gained other files.
    kind : str
        ``"site"`` or ``"export"``: recorded in the stamp.
    data_dir : str or path-like, optional
        The data folder in use (never written into).

    Yields
    ------
    pathlib.Path
        The temporary folder to write into.

    Raises
    ------
    OutputError
        If the target is refused, locked by another build, or cannot be written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with output_folder(target, kind="export") as tmp:
    ...     _ = (tmp / "a.txt").write_text("hi")
    >>> sorted(p.name for p in target.iterdir())
    ['a.txt', 'explainer-output.json']
    >>> sorted(p.name for p in target.parent.iterdir())
    ['out']
    """
    path = check_output_target(target, force=force, kind=kind, data_dir=data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = held_lock(path)
        run = lock.__enter__()
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        try:
            try:
                _clean_leftovers(path, run.previous)
            except BaseException:
                run.keep_previous = True  # what is left still carries the killed run's token
                raise
            check_output_target(path, force=force, kind=kind, data_dir=data_dir)  # under the lock
            tmp = path.with_name(f".{path.name}.{run.token}.tmp")
            tmp.mkdir(mode=0o700)
        except OSError as exc:
            raise _os_error(path, exc) from None
        try:
            yield tmp
            _stamp(tmp, kind)
            _swap_in(tmp, path, run.token)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise _os_error(path, exc) from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        lock.__exit__(None, None, None)


def _stamp(folder: Path, kind: str) -> None:
    from explainer._version import __version__

    files = sorted(_files_in(folder))
    stamp = {"tool": "explainer", "version": __version__, "kind": kind, "files": files}
    (folder / STAMP).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    mode = 0o777 & ~_umask()
    folder.chmod(mode)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
