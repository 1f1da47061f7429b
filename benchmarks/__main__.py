"""Time the explainer against floors measured in the same run: ``python -m benchmarks``.

Prints a plain table of medians (with min and max) and of ratios with their
goals, and writes the same figures as JSON. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from benchmarks._common import (
    REPO_ROOT,
    RESULTS_DIR,
    CommandError,
    NotOursError,
    add_path_option,
    json_target,
    write_json_atomic,
)
from benchmarks._result import Result, Settings
from benchmarks.cases import draw, imports, load, notebooks, site, suite, validate
from benchmarks.report import as_json, machine, read_json, render

__all__ = ["BENCHMARKS", "Result", "Settings", "main"]

#: What every results file written by this command holds (see check_replaceable).
RESULT_KEYS = ("machine", "benchmarks")


#: Every benchmark by name, in the order they run and are reported.
BENCHMARKS: dict[str, Callable[[Settings], Result]] = {
    "import": imports.run,
    "load": load.run,
    "validate": validate.run,
    "draw": draw.run,
    "notebooks": notebooks.run,
    "site": site.run,
    "suite": suite.run,
}


# ----------------------------------------------------------------------------
# The command line


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time the explainer against floors measured in the same run. "
        "'python -m benchmarks readme' rewrites the results table in benchmarks/README.md.",
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run (default all): {', '.join(BENCHMARKS)}; "
        "or 'readme' alone, to regenerate the README's table from the results",
    )
    parser.add_argument(
        "--repeats",
        type=_positive,
        default=None,
        metavar="N",
        help="runs of the cheap benchmarks: import, load, validate, draw "
        "(default 5; 3 with --quick)",
    )
    parser.add_argument(
        "--suite-repeats",
        type=_positive,
        default=None,
        metavar="N",
        help="rounds of notebooks, site and suite (default 3; 1 with --quick)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats: a smoke test, not a measurement"
    )
    parser.add_argument(
        "--only",
        choices=list(BENCHMARKS),
        default=None,
        metavar="NAME",
        help="run one benchmark (the same as naming it)",
    )
    add_path_option(
        parser,
        "--json",
        RESULTS_DIR / "latest.json",
        "the results file: written by a run (merged with the benchmarks it did not run), "
        "read by 'readme'",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="write only this run's benchmarks, dropping the others from the results file",
    )
    add_path_option(
        parser,
        "--readme",
        REPO_ROOT / "benchmarks" / "README.md",
        "the file 'readme' rewrites between its bench markers",
    )
    return parser


@contextlib.contextmanager
def _bytecode_cached() -> Iterator[None]:
    """Let the measured Python processes cache bytecode, outside the checkout.

    An installed package has its bytecode compiled (pip does it), so a user's
    ``import explainer`` does not compile the package's source. A machine
    with ``PYTHONDONTWRITEBYTECODE`` set (this one, and many containers)
    would make every measured process compile the checkout's modules again,
    while pandas' bytecode, compiled at install, is read: that would time
    the compiler, not explainer. The processes write bytecode under a
    temporary ``PYTHONPYCACHEPREFIX`` instead, which the untimed first run of
    each benchmark fills; it is removed afterwards.
    """
    saved = {k: os.environ.get(k) for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    with tempfile.TemporaryDirectory(prefix="explainer-bench-pycache-") as cache:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = cache
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table and write the JSON; or rewrite the README's table.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 when every benchmark ran (met goals or not), 1 when one could not
        run; for ``readme``, 0 when the table was written, 1 when it could not be.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    names = list(dict.fromkeys([*args.names, *([args.only] if args.only else [])]))
    if names == ["readme"]:
        from benchmarks._readme import ReadmeError, update_readme

        results = read_json(args.json.resolve())
        if results is None:
            print(f"no results in {args.json}: run python -m benchmarks first", file=sys.stderr)
            return 1
        try:
            changed = update_readme(args.readme, results)
        except ReadmeError as exc:
            print(f"{args.readme}: {exc}", file=sys.stderr)
            return 1
        print(f"{'rewrote' if changed else 'unchanged:'} the table in {args.readme}")
        return 0
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(
            f"unknown benchmark {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}, "
            "or 'readme' alone"
        )
    path = json_target(parser, args.json, RESULT_KEYS)  # before the benchmarks run
    settings = Settings(
        repeats=args.repeats or (3 if args.quick else 5),
        suite_repeats=args.suite_repeats or (1 if args.quick else 3),
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    host = machine()
    results = []
    with _bytecode_cached():
        for name in names or list(BENCHMARKS):
            try:
                results.append(BENCHMARKS[name](settings))
            except CommandError as exc:
                results.append(Result(name, error=str(exc)))
                print(f"{name}: {exc}", file=sys.stderr)
    print(render(results, settings))
    previous = None if args.fresh else read_json(path)
    try:
        report = as_json(results, settings, previous, host=host, names=list(BENCHMARKS))
        path = write_json_atomic(path, report, RESULT_KEYS)
    except (OSError, NotOursError) as exc:  # e.g. a file put there while they ran
        print(f"python -m benchmarks: results not written: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {os.path.relpath(path, Path.cwd())}")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
