"""The command line: ``python -m explainer COMMAND`` (or ``explainer COMMAND``).

Exit codes: 0 done, 1 a problem with the data or the output folder, 2 a usage
error, 130 interrupted. Errors go to stderr, one readable line per problem;
no traceback reaches the user (set ``EXPLAINER_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from explainer.errors import DataError

__all__ = ["main"]

OK, DATA_PROBLEM, USAGE = 0, 1, 2
INTERRUPTED, BROKEN_PIPE = 130, 141

_FORCE_HELP = (
    "replace the folder even if files were added to it since explainer made it "
    "(a folder explainer did not make is never replaced)"
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so main() returns 2."""

    def error(self, message: str):
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="explainer",
        description="Explore the article on sex and emotional intimacy as linked tables.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="use the data in DIR instead of the shipped data",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sub.add_parser("tables", help="list the tables, their row counts and descriptions")

    show = sub.add_parser("show", help="print the rows of a table")
    show.add_argument("table", help="a table's name (see `explainer tables`)")
    show.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="keep rows where COLUMN equals VALUE (repeatable)",
    )
    show.add_argument("--limit", type=int, default=None, metavar="N", help="print at most N rows")

    sub.add_parser("validate", help="check the data package and print every problem")

    trace = sub.add_parser(
        "trace", help="show a claim's quote in its paragraph, with the section path"
    )
    trace.add_argument("claim_id", help="a claim id, e.g. c012")

    export = sub.add_parser(
        "export", help="write the concept map (GraphML, JSON, Mermaid, PNG) and ClaimReview JSON-LD"
    )
    export.add_argument("dir", type=Path, help="the folder to write into (created if missing)")
    export.add_argument("--force", action="store_true", help=_FORCE_HELP)

    site = sub.add_parser("site", help="build the static HTML edition of the explainer")
    site.add_argument("dir", type=Path, help="the folder to build into (replaced whole on success)")
    site.add_argument(
        "--execute",
        action="store_true",
        help="re-execute the notebooks instead of using their stored outputs",
    )
    site.add_argument(
        "--notebooks-dir", type=Path, default=None, help="build from the notebooks in DIR"
    )
    site.add_argument("--force", action="store_true", help=_FORCE_HELP)

    sub.add_parser(
        "regenerate", help="rewrite the derived data (sections.csv, the claims' hedge column)"
    )
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
        0 when done, 1 for a data problem, 2 for a usage error.

    Examples
    --------
    >>> main(["validate"])
    the data package is valid: 15 tables
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return USAGE
        _check_first(args)
        code = _COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        return USAGE
    except DataError as exc:
        for problem in exc.problems:
            print(f"error: {_one_line(str(problem))}", file=sys.stderr)
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
        print(f"error: {_plain_error(exc)}", file=sys.stderr)
        return DATA_PROBLEM


# The tables a command reads, checked (with the keys between them) before it
# reads them, so a broken row is a DataError, never a KeyError or a loop.
# None means every table.
_READS: dict[str, list[str] | None] = {"trace": ["claims", "sections"], "site": None}


def _check_first(args) -> None:
    if args.command in _READS:
        from explainer.tables import require

        require(_READS[args.command], data_dir=args.data_dir)


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


def _tables(args) -> int:
    from explainer.tables import describe

    frame = describe(data_dir=args.data_dir)
    width = max(map(len, frame.table))
    for row in frame.itertuples(index=False):
        print(f"{row.table:<{width}}  {row.rows:>4} rows  {row.title}")
    return OK


def _show(args) -> int:
    import pandas as pd

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
    if args.limit is not None:
        if args.limit < 0:
            raise _UsageError("explainer show: --limit must be 0 or more")
        frame = frame.head(args.limit)
    with pd.option_context(
        "display.max_rows",
        None,
        "display.max_columns",
        None,
        "display.width",
        200,
        "display.max_colwidth",
        60,
    ):
        print(frame.to_string(index=False) if len(frame) else f"(no rows of {args.table} match)")
    return OK


def _validate(args) -> int:
    from explainer.tables import tables, validate

    validate(args.data_dir)
    print(f"the data package is valid: {len(tables(data_dir=args.data_dir))} tables")
    return OK


def _trace(args) -> int:
    from explainer.claims import trace

    try:
        print(trace(args.claim_id, data_dir=args.data_dir))
    except KeyError as exc:
        raise _UsageError(f"explainer trace: {exc.args[0]}") from None
    return OK


def _export(args) -> int:
    from explainer.export import export_all

    for path in export_all(args.dir, data_dir=args.data_dir, force=args.force):
        print(f"wrote {path}")
    return OK


def _site(args) -> int:
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


def _regenerate(args) -> int:
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
    "export": _export,
    "site": _site,
    "regenerate": _regenerate,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
