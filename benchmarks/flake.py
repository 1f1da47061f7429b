"""Run the nbval suite N times in a row and count the passes: ``python benchmarks/flake.py``.

A notebook output that changes from one kernel to the next (a set's order, a
memory address, an unseeded layout) fails nbval now and then, not always;
only repeated runs find it. Exits 0 only when every run passed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

if not __package__:
    # Run as a script: make the `benchmarks` package importable from the checkout.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (
    RESULTS_DIR,
    PytestSummary,
    add_path_option,
    format_seconds,
    json_target,
    run_timed,
    write_json_atomic,
)

__all__ = ["main", "run_suite"]

#: The suite as ``make test`` runs it for the notebooks, from the repository root.
SUITE = [sys.executable, "-m", "pytest", "notebooks", "-p", "no:cacheprovider", "-q"]
#: What every results file written here holds (see check_replaceable).
_KEYS = ("command", "runs", "results")


def run_suite() -> tuple[float, PytestSummary]:
    """Run the nbval suite once from the repository root.

    Returns
    -------
    seconds : float
        The wall time of the run.
    summary : PytestSummary
        pytest's counts, the ids of the failed cells and its exit code.
    """
    timed = run_timed(SUITE)
    return timed.seconds, PytestSummary.parse(timed.returncode, timed.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite ``--runs`` times, report the passes and write ``results/flake.json``.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 when every run passed, 1 otherwise.
    """
    parser = argparse.ArgumentParser(
        prog="python benchmarks/flake.py",
        description="Run the nbval suite N times in a row and count the runs that pass.",
    )
    parser.add_argument("--runs", type=int, default=20, metavar="N", help="how many (default 20)")
    add_path_option(parser, "--json", RESULTS_DIR / "flake.json", "where to write the results")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    path = json_target(parser, args.json, _KEYS)  # before the runs, not after them

    runs = []
    for number in range(1, args.runs + 1):
        seconds, summary = run_suite()
        verdict = "passed" if summary.all_passed else "FAILED"
        detail = summary.describe()
        if summary.failures:
            detail += ": " + ", ".join(summary.failures)
        print(
            f"run {number}/{args.runs}: {verdict} in {format_seconds(seconds)} ({detail})",
            file=sys.stderr,
            flush=True,
        )
        runs.append(
            {
                "passed": summary.all_passed,
                "seconds": round(seconds, 3),
                "returncode": summary.returncode,
                "counts": summary.counts,
                "failures": list(summary.failures),
            }
        )

    passed = sum(run["passed"] for run in runs)
    # Which cells fail, and how often: a flaky cell fails in some runs only.
    failing = Counter(test for run in runs for test in run["failures"])
    write_json_atomic(
        path,
        {
            "command": "python -m pytest notebooks -p no:cacheprovider -q",
            "runs": len(runs),
            "passed": passed,
            "failures_by_test": dict(sorted(failing.items())),
            "results": runs,
        },
        _KEYS,
    )
    print(f"nbval suite: {passed}/{len(runs)} runs passed")
    for test, times in sorted(failing.items()):
        print(f"  {test}: failed in {times}/{len(runs)} runs")
    print(f"wrote {os.path.relpath(path, Path.cwd())}")
    return 0 if passed == len(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
