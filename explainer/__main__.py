"""The command line: ``python -m explainer COMMAND`` (or ``explainer COMMAND``).

Exit codes: 0 done, 1 a problem with the data or the output folder (or a
missing optional extra), 2 a usage error, 130 interrupted, 141 the reader
went away (``explainer tables | head``: the output stops quietly). Errors go
to stderr, one readable line per problem; no traceback reaches the user (set
``EXPLAINER_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import sys
import textwrap
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explainer import __version__
from explainer._terminal import printable
from explainer.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["main"]

OK, DATA_PROBLEM, USAGE = 0, 1, 2
INTERRUPTED, BROKEN_PIPE = 130, 141

_FORCE_HELP = (
    "replace the folder even if files were added to it since explainer made it "
    "(a folder explainer did not make is never replaced)"
)

#: The distribution's name on the package index (the import name is ``explainer``).
DISTRIBUTION = "intimacy-explainer"

#: How ``explainer show`` can print a table.
FORMATS = ("table", "csv", "json", "markdown")

# A column is never squeezed narrower than this when a table is fitted to the
# terminal (unless its header and every value are shorter); when the columns
# cannot fit so, the rows print as records instead.
_MIN_COLUMN = 20
_GAP = "  "


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so main() returns 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


class _MissingExtraError(Exception):
    """An optional dependency is not installed; the message names the extra."""


@functools.cache
def _parser() -> argparse.ArgumentParser:
    """Return the command line's parser, made once: parsing leaves it as it was."""
    parser = _Parser(
        prog="explainer",
        description="Explore the article on sex and emotional intimacy as linked tables.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="print the version"
    )
    data_dir_help = "use the data in DIR instead of the shipped data"
    parser.add_argument("--data-dir", type=Path, default=None, metavar="DIR", help=data_dir_help)
    # The same option after the command (`explainer validate --data-dir DIR`);
    # SUPPRESS keeps a value given before the command when it is not repeated.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR", help=data_dir_help
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help, parents=[common])

    command("tables", "list the tables, their row counts and descriptions")

    show = command("show", "print the rows of a table")
    show.add_argument("table", metavar="TABLE", help="a table's name (see `explainer tables`)")
    show.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="keep rows where COLUMN equals VALUE (repeatable)",
    )
    show.add_argument(
        "--columns",
        default=None,
        metavar="COLUMNS",
        help="print only these columns, comma-separated (e.g. claim_id,quote)",
    )
    show.add_argument("--limit", type=int, default=None, metavar="N", help="print at most N rows")
    show.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (fitted to the terminal's width), csv, json (records) or markdown",
    )

    command("validate", "check the data package and print every problem")

    trace = command("trace", "show a claim's quote in its paragraph, with the section path")
    trace.add_argument("claim_id", metavar="CLAIM_ID", help="a claim id, e.g. c012")

    about = command("about", "print every row of every table that mentions a term")
    about.add_argument("term", metavar="TERM", help="a word, a phrase or a concept id")

    export = command(
        "export", "write the concept map (GraphML, JSON, Mermaid, PNG) and ClaimReview JSON-LD"
    )
    export.add_argument(
        "dir", type=Path, metavar="DIR", help="the folder to write into (created if missing)"
    )
    export.add_argument("--force", action="store_true", help=_FORCE_HELP)

    site = command("site", "build the static HTML edition of the explainer (the [site] extra)")
    site.add_argument(
        "dir", type=Path, metavar="DIR", help="the folder to build into (replaced whole on success)"
    )
    site.add_argument(
        "--execute",
        action="store_true",
        help="re-execute the notebooks instead of using their stored outputs",
    )
    site.add_argument(
        "--notebooks-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="build from the notebooks in DIR instead of the shipped ones",
    )
    site.add_argument("--force", action="store_true", help=_FORCE_HELP)

    notebooks = command("notebooks", "copy the notebooks into a new or empty folder, to open")
    notebooks.add_argument(
        "dir", type=Path, metavar="DIR", help="a folder that does not exist yet, or is empty"
    )

    command("regenerate", "rewrite the derived data (sections.csv, the claims' hedge column)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments, without the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 when done, 1 for a problem with the data or the output folder or a
        missing extra, 2 for a usage error, 130 interrupted, 141 a closed pipe.

    Examples
    --------
    >>> main(["validate"])
    the data package is valid: ... tables
    0
    >>> main(["show", "hormones", "--columns", "hormone_id,name", "--format", "csv"])
    hormone_id,name
    oxytocin,Oxytocin
    ...
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return USAGE
        with _terminal_output(args):
            _check_first(args)
            code = _COMMANDS[args.command](args)
            sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else OK
    except _UsageError as exc:
        print(printable(str(exc)), file=sys.stderr)
        return USAGE
    except _MissingExtraError as exc:
        print(exc, file=sys.stderr)
        return DATA_PROBLEM
    except DataError as exc:
        for problem in exc.problems:
            print(f"error: {printable(_one_line(str(problem)))}", file=sys.stderr)
        return DATA_PROBLEM
    except BrokenPipeError:
        _silence_stdout()  # the reader went away (`explainer tables | head`): stop quietly
        return BROKEN_PIPE
    except KeyboardInterrupt:
        print("explainer: interrupted", file=sys.stderr)
        return INTERRUPTED
    except Exception as exc:  # the promise: no traceback reaches a user
        if os.environ.get("EXPLAINER_DEBUG"):
            raise
        print(f"error: {printable(_plain_error(exc))}", file=sys.stderr)
        return DATA_PROBLEM


class _Escaping:
    """A text stream that writes through to ``stream`` with control characters escaped."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _show_note(message, category, filename, lineno, file=None, line=None) -> None:
    """Print explainer's own warnings as one ``note:`` line; others as Python does."""
    from explainer.errors import Note

    if issubclass(category, Note):
        print(f"note: {printable(_one_line(str(message)))}", file=sys.stderr)
    else:
        _PYTHON_SHOWWARNING(message, category, filename, lineno, file, line)


_PYTHON_SHOWWARNING = warnings.showwarning


@contextlib.contextmanager
def _terminal_output(args: argparse.Namespace):
    """Escape control characters from the data on stdout; show explainer's notes in one line.

    Everything a command prints to a person goes through :func:`printable`;
    only ``show --format csv`` into a file or a pipe (data for another
    program) is written as the data has it (JSON escapes them itself).
    """
    raw = getattr(args, "format", None) == "csv" and not _isatty(sys.stdout)
    stdout = sys.stdout
    from explainer.errors import Note

    with warnings.catch_warnings():
        warnings.simplefilter("always", Note)  # a note is said, never raised
        warnings.showwarning = _show_note
        if not raw:
            sys.stdout = _Escaping(stdout)
        try:
            yield
        finally:
            sys.stdout = stdout


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# The tables a command reads, checked (with the keys between them) before it
# reads them, so a broken row is a DataError, never a KeyError or a loop.
# None means every table.
_READS: dict[str, list[str] | None] = {
    "trace": ["claims", "sections"],
    "site": None,
    "about": None,
}


def _check_first(args: argparse.Namespace) -> None:
    if args.command == "site":
        # A refused folder is said at once, before every table is read.
        from explainer._io import check_output_target
        from explainer._paths import resolve_data_dir

        root = resolve_data_dir(args.data_dir)
        check_output_target(args.dir, force=args.force, kind="site", data_dir=root)
    if args.command == "site" and args.execute:
        # Executing notebooks on data that fails the checks would show each
        # failure as a notebook's traceback: say the data's problems instead.
        from explainer.validation import validate

        validate(args.data_dir)
    elif args.command in _READS:
        from explainer.article import article_text
        from explainer.validation import require

        require(_READS[args.command], data_dir=args.data_dir)
        article_text(data_dir=args.data_dir)  # each of them reads it: refused before any work


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))


def _plain_error(exc: BaseException) -> str:
    """Say what went wrong in one line, naming the file when there is one."""
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    if isinstance(exc, MemoryError | RecursionError):
        return f"the data is too large or too deeply nested to handle ({type(exc).__name__})"
    detail = _one_line(str(exc))[:300]
    return f"{type(exc).__name__}: {detail} (this is a bug in explainer; please report it)"


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (a test's buffer)
        pass


def _need(module: str, extra: str, what: str) -> None:
    """Import ``module`` or raise _MissingExtra naming the extra that installs it."""
    import importlib

    try:
        importlib.import_module(module)
    except ModuleNotFoundError:
        raise _MissingExtraError(
            f"{what} needs the [{extra}] extra: pip install '{DISTRIBUTION}[{extra}]'"
        ) from None


def _tables(args: argparse.Namespace) -> int:
    from explainer.tables import describe

    frame = describe(data_dir=args.data_dir)
    width = max(map(len, frame.table))
    for row in frame.itertuples(index=False):
        print(f"{row.table:<{width}}  {row.rows:>4} rows  {row.title}")
    return OK


def _show(args: argparse.Namespace) -> int:
    from explainer.tables import load, tables

    if args.table not in tables(data_dir=args.data_dir):
        raise _UsageError(
            f"explainer show: no table {args.table!r}; "
            f"the tables are: {', '.join(tables(data_dir=args.data_dir))}"
        )
    frame = load(args.table, data_dir=args.data_dir)
    for cond in args.where:
        column, sep, value = cond.partition("=")
        if not sep or column not in frame.columns:
            raise _UsageError(
                f"explainer show: --where needs COLUMN=VALUE "
                f"with a column of {args.table}: {cond!r}"
            )
        frame = frame[frame[column].astype("string") == value]
    if args.columns is not None:
        wanted = [c.strip() for c in args.columns.split(",") if c.strip()]
        unknown = [c for c in wanted if c not in frame.columns]
        twice = sorted({c for c in wanted if wanted.count(c) > 1})
        if twice:
            raise _UsageError(
                f"explainer show: --columns names a column more than once: "
                f"{', '.join(map(repr, twice))}"
            )
        if unknown or not wanted:
            raise _UsageError(
                f"explainer show: --columns names no column of {args.table}: "
                f"{', '.join(map(repr, unknown)) or repr(args.columns)}; "
                f"the columns are: {', '.join(frame.columns)}"
            )
        frame = frame[wanted]
    if args.limit is not None:
        if args.limit < 0:
            raise _UsageError("explainer show: --limit must be 0 or more")
        frame = frame.head(args.limit)
    if args.format == "table" and not len(frame):
        print(f"(no rows of {args.table} match)")
    else:
        sys.stdout.write(_FORMATTERS[args.format](frame))
    return OK


def _cell(value: Any) -> str:
    """Return a value as text: missing values are blank, never ``NaN``."""
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    return printable(" ".join(str(value).split()) if isinstance(value, str) else str(value))


def _terminal_width() -> int:
    return shutil.get_terminal_size(fallback=(100, 24)).columns


def format_table(frame: pd.DataFrame, width: int | None = None) -> str:
    """Return ``frame`` as aligned text that fits in ``width`` columns.

    Long values wrap within their column instead of widening the line; the
    widest columns give way first, down to 20 characters (or their header's
    width). When the columns cannot fit even so, each row is printed as a
    record instead: one ``column  value`` line per field, rows apart by a
    blank line. Missing values print as blanks, never ``NaN``.

    Parameters
    ----------
    frame : pandas.DataFrame
    width : int, optional
        The line width to fit; by default the terminal's width.

    Returns
    -------
    str
        The table, one line per printed line, ending with a newline.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"id": ["a", "b"], "text": ["one two three four five six", None]})
    >>> print(format_table(frame, width=30), end="")
    id  text
    --  --------------------------
    a   one two three four five
        six
    <BLANKLINE>
    b
    >>> print(format_table(frame, width=16), end="")
    id    a
    text  one two three
          four five six
    <BLANKLINE>
    id    b
    text
    """
    import pandas as pd

    width = _terminal_width() if width is None else width
    headers = [str(c) for c in frame.columns]
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    natural = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    floors = [min(n, max(len(h), _MIN_COLUMN)) for n, h in zip(natural, headers, strict=True)]
    room = width - len(_GAP) * (len(headers) - 1)
    if sum(floors) > room:
        return _format_records(headers, rows, width)
    widths = list(natural)
    while sum(widths) > room:
        widest = max((i for i, w in enumerate(widths) if w > floors[i]), key=widths.__getitem__)
        widths[widest] -= 1
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]

    def lines_of(values: list[str]) -> list[str]:
        wrapped = [_wrap(v, w) for v, w in zip(values, widths, strict=True)]
        out = []
        for k in range(max(map(len, wrapped))):
            parts = []
            for column, (cell, w) in enumerate(zip(wrapped, widths, strict=True)):
                text = cell[k] if k < len(cell) else ""
                parts.append(text.rjust(w) if numeric[column] else text.ljust(w))
            out.append(_GAP.join(parts).rstrip())
        return out

    body = [lines_of(r) for r in rows]
    spaced = any(len(b) > 1 for b in body)
    out = [*lines_of(headers), _GAP.join("-" * w for w in widths)]
    for k, block in enumerate(body):
        if spaced and k:
            out.append("")
        out.extend(block)
    return "\n".join(out) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, max(width, 1), break_on_hyphens=False) or [""]


def _format_records(headers: list[str], rows: list[list[str]], width: int) -> str:
    """One ``column  value`` line per field, rows apart by a blank line."""
    label = max(map(len, headers))
    room = max(width - label - len(_GAP), _MIN_COLUMN)
    out: list[str] = []
    for k, row in enumerate(rows):
        if k:
            out.append("")
        for header, value in zip(headers, row, strict=True):
            for j, line in enumerate(_wrap(value, room)):
                name = header if j == 0 else ""
                out.append(f"{name:<{label}}{_GAP}{line}".rstrip())
    return "\n".join(out) + "\n"


def _format_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def _format_json(frame: pd.DataFrame) -> str:
    # Through json.loads: pandas escapes "/" and writes non-ASCII as \u escapes.
    records = json.loads(frame.to_json(orient="records", date_format="iso"))
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _format_markdown(frame: pd.DataFrame) -> str:
    def row(values: Sequence[str]) -> str:
        # The backslash first: a value's own "\|" must not turn into an escaped
        # backslash followed by a cell break.
        cells = (v.replace("\\", "\\\\").replace("|", "\\|") for v in values)
        return "| " + " | ".join(cells) + " |"

    lines = [row([str(c) for c in frame.columns]), row(["---"] * len(frame.columns))]
    lines += [row([_cell(v) for v in r]) for r in frame.itertuples(index=False, name=None)]
    return "\n".join(lines) + "\n"


_FORMATTERS = {
    "table": format_table,
    "csv": _format_csv,
    "json": _format_json,
    "markdown": _format_markdown,
}


def _validate(args: argparse.Namespace) -> int:
    from explainer.tables import tables
    from explainer.validation import validate

    validate(args.data_dir)
    print(f"the data package is valid: {len(tables(data_dir=args.data_dir))} tables")
    return OK


def _trace(args: argparse.Namespace) -> int:
    from explainer.claims import trace

    try:
        print(trace(args.claim_id, data_dir=args.data_dir))
    except KeyError as exc:
        raise _UsageError(f"explainer trace: {exc.args[0]}") from None
    return OK


def _about(args: argparse.Namespace) -> int:
    from explainer.about import about

    try:
        found = about(args.term, data_dir=args.data_dir)
    except DataError:
        raise  # the data's problems: exit 1, one line each, like every other command
    except ValueError as exc:
        raise _UsageError(f"explainer about: {exc}") from None
    words = " or ".join(repr(p) for p in found.patterns)
    print(f"{found.rows} rows in {len(found)} tables mention {words}")
    for name, frame in found.items():
        print(f"\n{name} ({len(frame)} row{'s' if len(frame) != 1 else ''})")
        sys.stdout.write(format_table(frame))
    return OK


def _export(args: argparse.Namespace) -> int:
    from explainer.export import export_all

    for path in export_all(args.dir, data_dir=args.data_dir, force=args.force):
        print(f"wrote {path}")
    return OK


def _site(args: argparse.Namespace) -> int:
    _need("nbconvert", "site", "the site")
    if args.execute:
        _need("ipykernel", "site", "the site's --execute")
    from explainer.site import build_site

    site = build_site(
        args.dir,
        notebooks_dir=args.notebooks_dir,
        execute=args.execute,
        data_dir=args.data_dir,
        force=args.force,
    )
    print(f"built {site / 'index.html'}")
    return OK


def _notebooks(args: argparse.Namespace) -> int:
    import importlib.util

    from explainer._io import check_output_target, output_folder
    from explainer._paths import default_notebooks_dir

    target = Path(args.dir)
    sources = sorted(default_notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
    copied = _copied_before(target, sources)
    if copied is None:
        raise _UsageError(
            f"explainer notebooks: {target} is not an empty folder; "
            "give a folder that does not exist yet, or is empty (nothing is overwritten)"
        )
    # The shared writer's rules too: never the data folder, the package, home...
    check_output_target(target, kind="notebooks", data_dir=args.data_dir, partial=bool(copied))
    if not sources:
        raise DataError([Problem(file=str(default_notebooks_dir()), message="no notebooks found")])
    if target.exists():
        sources = [s for s in sources if s.name not in copied]
        # An empty folder the reader made (perhaps the current one): fill it in
        # place, and take back what was copied if a copy fails.
        written: list[Path] = []
        try:
            for source in sources:
                written.append(Path(shutil.copyfile(source, target / source.name)))
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    else:
        with output_folder(target, kind="notebooks", data_dir=args.data_dir) as tmp:
            for source in sources:
                shutil.copyfile(source, tmp / source.name)
    for source in sources:
        print(f"wrote {target / source.name}")
    hint = f"open them with: jupyter lab {target}"
    if importlib.util.find_spec("jupyterlab") is None:
        hint += f"  (JupyterLab is in the [lab] extra: pip install '{DISTRIBUTION}[lab]')"
    print(hint)
    return OK


def _copied_before(target: Path, sources: list[Path]) -> set[str] | None:
    """Return the notebooks an interrupted copy already put in ``target``; None if not ours.

    An empty or missing folder has none. A folder holding only regular
    files that are byte for byte shipped notebooks (a copy killed midway)
    is finished: those files are ours by their content. Anything else is
    somebody's folder, and None.
    """
    if not target.exists():
        return set()
    if not target.is_dir() or target.is_symlink():
        return None
    shipped = {s.name: s for s in sources}
    found = set()
    for entry in target.iterdir():
        source = shipped.get(entry.name)
        if source is None or entry.is_symlink() or not entry.is_file():
            return None
        if entry.stat().st_size != source.stat().st_size:
            return None
        if entry.read_bytes() != source.read_bytes():
            return None
        found.add(entry.name)
    return found


def _regenerate(args: argparse.Namespace) -> int:
    from explainer.build import regenerate

    changed = regenerate(args.data_dir)
    for path in changed:
        print(f"wrote {path.name}")
    if not changed:
        print("nothing to do: the derived data is up to date")
    return OK


_COMMANDS = {
    "tables": _tables,
    "show": _show,
    "validate": _validate,
    "trace": _trace,
    "about": _about,
    "export": _export,
    "site": _site,
    "notebooks": _notebooks,
    "regenerate": _regenerate,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
