"""Time the explainer against floors measured in the same run: ``python -m benchmarks``.

Prints a plain table of medians (with min and max) and of ratios with their
goals, and writes the same figures as JSON. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks._common import (
    NOTEBOOKS_DIR,
    REPO_ROOT,
    RESULTS_DIR,
    CommandError,
    Figure,
    Measurement,
    NotOursError,
    PytestSummary,
    Timed,
    check_replaceable,
    format_seconds,
    run_timed,
    suite_notebooks,
    write_json_atomic,
)

__all__ = ["BENCHMARKS", "Result", "Settings", "main"]

PYTHON = sys.executable
#: What every results file written by this command holds (see check_replaceable).
RESULT_KEYS = ("machine", "benchmarks")

#: The site is built from the numbered notebooks only (see explainer/site.py).
_SITE_NOTEBOOK = re.compile(r"\d\d-[^/\\]+\.ipynb")

# The floor notebook of the notebook suite: the imports cell every notebook
# starts with, and the smallest figure, so that the floor pays for the kernel,
# the imports and the first inline figure, and for nothing else.
_FLOOR_IMPORTS = (
    "import matplotlib.pyplot as plt\n"
    "import pandas as pd\n"
    "import explainer\n"
    "from explainer import plots\n"
    '%config InlineBackend.print_figure_kwargs = {"bbox_inches": "tight", '
    '"metadata": {"Software": None}}'
)
_FLOOR_FIGURE = "fig, ax = plt.subplots(figsize=(2, 1))\nax.plot([0, 1], [0, 1])\nplt.show()"


@dataclass(frozen=True)
class Settings:
    """How many times to repeat things, and where to report progress."""

    repeats: int = 5
    suite_repeats: int = 3
    progress: Callable[[str], Any] = print


@dataclass
class Result:
    """What one benchmark measured: its timings, its figures and its sanity checks."""

    name: str
    measurements: list[Measurement] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    def measurement(self, key: str, label: str) -> Measurement:
        """Add an empty measurement and return it."""
        found = Measurement(key, label)
        self.measurements.append(found)
        return found

    def as_json(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict."""
        return {
            "measurements": {m.key: m.as_json() for m in self.measurements if m.samples},
            "figures": {f.key: f.as_json() for f in self.figures},
            "checks": self.checks,
            "error": self.error,
        }


def _ratio(
    key: str, label: str, thing: Measurement, floor: Measurement, goal=None, note=None
) -> Figure:
    return Figure(key, label, thing.median / floor.median, "x", goal, note)


def _rotated(items: Sequence, shift: int) -> list:
    """Return ``items`` rotated by ``shift``: no thing always runs first, on a warmer machine."""
    shift %= len(items)
    return [*items[shift:], *items[:shift]]


def _probe(what: str, *args: str) -> dict[str, Any]:
    timed = run_timed([PYTHON, "-m", "benchmarks._probe", what, *args]).check(f"probe {what}")
    return json.loads(timed.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------
# The benchmarks


def bench_import(settings: Settings) -> Result:
    """Time importing explainer against ``python -c "import pandas"``.

    ``import explainer`` itself imports almost nothing: its public functions
    are imported on first use. The goal is therefore set on the whole API,
    ``from explainer import *`` (every public name resolved, pandas
    included); the bare import is reported beside it.

    Parameters
    ----------
    settings : Settings
        Three times ``repeats`` runs of each, rotating which goes first,
        after one untimed run of each (which fills the bytecode and disk
        caches).

    Returns
    -------
    Result
        Goal: the whole API / pandas <= 1.05, since explainer needs pandas anyway.
    """
    result = Result("import")
    commands = {
        "pandas": [PYTHON, "-c", "import pandas"],
        "api": [PYTHON, "-c", "from explainer import *"],
        "explainer": [PYTHON, "-c", "import explainer"],
    }
    series = {
        key: result.measurement(key, f'python -c "{args[-1]}"') for key, args in commands.items()
    }
    for key, args in commands.items():
        run_timed(args).check(f"import {key}")
    # Three times the repeats: an import takes under a second, and its noise
    # on a shared machine is a fifth of it.
    repeats = 3 * settings.repeats
    for repeat in range(repeats):
        settings.progress(f"import: run {repeat + 1}/{repeats}")
        for key in _rotated(list(commands), repeat):
            series[key].samples.append(run_timed(commands[key]).check(f"import {key}").seconds)
    result.figures.append(
        _ratio(
            "explainer_vs_pandas",
            "from explainer import * / import pandas",
            series["api"],
            series["pandas"],
            ("<=", 1.05),
        )
    )
    result.figures.append(
        _ratio(
            "bare_vs_pandas",
            "import explainer (names imported on first use) / import pandas",
            series["explainer"],
            series["pandas"],
            None,
        )
    )
    return result


def bench_load(settings: Settings) -> Result:
    """Time loading every table, cold and warm, inside fresh interpreters.

    Parameters
    ----------
    settings : Settings
        ``repeats`` fresh processes, after one untimed one. In each, after
        ``import explainer``, every table of ``explainer.tables()`` is loaded
        twice: the first pass is cold, the second warm (served by the cache).

    Returns
    -------
    Result
        Goal: warm < 50 ms for all tables together; warm / cold is reported.
    """
    result = Result("load")
    _probe("loads")
    runs = []
    for repeat in range(settings.repeats):
        settings.progress(f"load: run {repeat + 1}/{settings.repeats}")
        runs.append(_probe("loads"))
    tables = runs[0]["tables"]
    cold = result.measurement("cold", f"cold: load all {tables} tables")
    warm = result.measurement("warm", f"warm: load all {tables} tables again")
    cold.samples = [run["cold"] for run in runs]
    warm.samples = [run["warm"] for run in runs]
    result.figures.append(Figure("warm", "warm load, all tables", warm.median, "s", ("<", 0.050)))
    result.figures.append(_ratio("warm_vs_cold", "warm load / cold load", warm, cold))
    return result


def bench_validate(settings: Settings) -> Result:
    """Time ``explainer.validate()``: in a fresh process against ``import explainer``, and inside.

    Parameters
    ----------
    settings : Settings
        ``repeats`` rounds after one untimed one; each runs, in an order that
        rotates, ``python -c "import explainer; explainer.validate()"``,
        ``python -c "from explainer import *"`` (the package imports its
        functions on first use: this imports them all, pandas included, as
        ``import explainer`` did before), and two probes timed inside the
        process after ``import explainer``: one validates, one loads every
        table once (cold).

    Returns
    -------
    Result
        Goal: validate in a fresh process / the imported API <= 1.8 (what
        a ``python -m explainer validate`` costs beyond starting); the time
        inside the process and its ratio to a cold load are reported.
    """
    result = Result("validate")
    commands = {
        "fresh": [PYTHON, "-c", "import explainer; explainer.validate()"],
        "import": [PYTHON, "-c", "from explainer import *"],
    }
    probes = {"validate": "validate", "cold": "loads"}
    series = {
        "fresh": result.measurement("fresh", 'python -c "import explainer; explainer.validate()"'),
        "import": result.measurement("import", 'floor: python -c "from explainer import *"'),
        "validate": result.measurement("validate", "explainer.validate(), inside the process"),
        "cold": result.measurement("cold", "floor: cold load of every table, inside"),
    }
    for key, args in commands.items():
        run_timed(args).check(key)
    for what in probes.values():
        _probe(what)
    for repeat in range(settings.repeats):
        settings.progress(f"validate: run {repeat + 1}/{settings.repeats}")
        for key in _rotated([*commands, *probes], repeat):
            if key in commands:
                series[key].samples.append(run_timed(commands[key]).check(key).seconds)
            else:
                series[key].samples.append(_probe(probes[key])[key])
    result.figures.append(
        _ratio(
            "fresh_vs_import",
            "validate() in a fresh process / from explainer import *",
            series["fresh"],
            series["import"],
            ("<=", 1.8),
        )
    )
    result.figures.append(
        Figure("validate", "explainer.validate(), inside", series["validate"].median, "s")
    )
    result.figures.append(
        _ratio("validate_vs_cold", "validate / cold load", series["validate"], series["cold"])
    )
    return result


def _floor_notebooks(folder: Path, count: int) -> None:
    """Write ``count`` executed import-only notebooks, and the notebooks' conftest, into folder."""
    import nbformat
    from nbformat import v4

    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell(
                "# Floor: imports only\n\n"
                "What every notebook pays before its story: a kernel, the imports, a first figure."
            ),
            v4.new_code_cell(_FLOOR_IMPORTS),
            v4.new_code_cell(_FLOOR_FIGURE),
        ],
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    first = folder / "00-import-only.ipynb"
    nbformat.write(nb, first)
    # One execution serves all the copies: they are the same notebook.
    run_timed(
        [
            PYTHON,
            "-m",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--inplace",
            "--ExecutePreprocessor.record_timing=False",
            first,
        ],
        cwd=folder,
    ).check("executing the floor notebook")
    for number in range(1, count):
        shutil.copyfile(first, folder / f"{number:02d}-import-only.ipynb")
    # The same hooks as the real notebooks (skip_compare, the test kernels'
    # profile), so the same work per cell.
    conftest = REPO_ROOT / "conftest.py"
    if conftest.is_file():
        shutil.copyfile(conftest, folder / "conftest.py")
    profile = REPO_ROOT / "tests" / "ipython-profile"
    if profile.is_dir():  # where the conftest looks for it, beside itself
        shutil.copytree(profile, folder / "tests" / "ipython-profile")


def bench_notebooks(settings: Settings) -> Result:
    """Time the nbval suite against import-only notebooks and against bare kernels.

    Parameters
    ----------
    settings : Settings
        ``suite_repeats`` rounds; each runs the three commands below once, in
        an order that rotates from round to round.

    Returns
    -------
    Result
        ``pytest notebooks -p no:cacheprovider`` from the repository root
        (the project's addopts apply: nbval, current env, ``-n 2 --dist
        loadfile``, ``-W error``, the sanitize file), against (a) as many
        executed import-only notebooks run by pytest with the same
        configuration file and conftest (goal <= 1.25), and (b) as many bare
        kernels started, waited for and shut down one after another in one
        fresh process (goal <= 1.0).
    """
    result = Result("notebooks")
    count = len(suite_notebooks())
    if count == 0:
        raise CommandError(f"no notebooks in {NOTEBOOKS_DIR}")
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as scratch:
        floor = Path(scratch) / "floor"
        floor.mkdir()
        settings.progress(f"notebooks: writing and executing {count} import-only notebooks")
        _floor_notebooks(floor, count)
        commands = {
            "suite": [PYTHON, "-m", "pytest", "notebooks", "-p", "no:cacheprovider"],
            "import_only": [
                PYTHON,
                "-m",
                "pytest",
                floor,
                "-p",
                "no:cacheprovider",
                # The project's configuration, so the same addopts and plugins apply.
                "-c",
                REPO_ROOT / "pyproject.toml",
                "--rootdir",
                floor,
            ],
            "kernels": [PYTHON, "-m", "benchmarks._probe", "kernels", str(count), floor],
        }
        series = {
            "suite": result.measurement("suite", f"pytest notebooks ({count} notebooks)"),
            "import_only": result.measurement(
                "import_only", f"floor a: {count} import-only notebooks, same pytest flags"
            ),
            "kernels": result.measurement(
                "kernels", f"floor b: {count} bare kernels, one after another"
            ),
        }
        summaries: dict[str, list[PytestSummary]] = {"suite": [], "import_only": []}
        for repeat in range(settings.suite_repeats):
            for key in _rotated(list(commands), repeat):
                settings.progress(f"notebooks: round {repeat + 1}/{settings.suite_repeats}, {key}")
                timed = run_timed(commands[key])
                if key == "kernels":
                    timed.check("starting bare kernels")
                else:
                    summaries[key].append(PytestSummary.parse(timed.returncode, timed.stdout))
                series[key].samples.append(timed.seconds)
    # The floor must be a clean pass of every code cell, or it measures nothing.
    for summary in summaries["import_only"]:
        if not summary.all_passed or summary.counts.get("passed") != 2 * count:
            raise CommandError(f"the import-only floor did not pass cleanly: {summary.line}")
    result.checks["floor a"] = summaries["import_only"][-1].describe()
    failed = [s for s in summaries["suite"] if not s.all_passed]
    result.checks["pytest notebooks"] = "; ".join(
        dict.fromkeys(s.describe() for s in summaries["suite"])
    )
    note = None
    if failed:
        failures = sorted({f for s in failed for f in s.failures})
        result.checks["failed"] = ", ".join(failures) or "(no test ids reported)"
        note = f"suite failed in {len(failed)}/{len(summaries['suite'])} rounds"
    result.figures.append(
        _ratio(
            "suite_vs_import_only",
            "notebook suite / import-only notebooks",
            series["suite"],
            series["import_only"],
            ("<=", 1.25),
            note,
        )
    )
    result.figures.append(
        _ratio(
            "suite_vs_kernels",
            "notebook suite / bare kernels",
            series["suite"],
            series["kernels"],
            ("<=", 1.0),
            note,
        )
    )
    return result


def bench_site(settings: Settings) -> Result:
    """Time ``python -m explainer site DIR`` against ``nbconvert --to html`` of its notebooks.

    Parameters
    ----------
    settings : Settings
        ``suite_repeats`` rounds of both, alternating which goes first, each
        into a new folder. nbconvert runs as ``python -m nbconvert``, which is
        what ``jupyter nbconvert`` runs, but surely in this environment.

    Returns
    -------
    Result
        Goal: site / nbconvert <= 1.2.
    """
    result = Result("site")
    notebooks = sorted(p for p in NOTEBOOKS_DIR.glob("*.ipynb") if _SITE_NOTEBOOK.fullmatch(p.name))
    if not notebooks:
        raise CommandError(f"no numbered notebooks in {NOTEBOOKS_DIR}")
    series = {
        "site": result.measurement("site", "python -m explainer site DIR"),
        "nbconvert": result.measurement(
            "nbconvert", f"jupyter nbconvert --to html ({len(notebooks)} notebooks)"
        ),
    }
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as scratch:
        for repeat in range(settings.suite_repeats):
            settings.progress(f"site: round {repeat + 1}/{settings.suite_repeats}")
            commands: dict[str, list] = {
                "site": [PYTHON, "-m", "explainer", "site", Path(scratch) / f"site-{repeat}"],
                "nbconvert": [
                    PYTHON,
                    "-m",
                    "nbconvert",
                    "--to",
                    "html",
                    "--output-dir",
                    Path(scratch) / f"html-{repeat}",
                    *notebooks,
                ],
            }
            for key in _rotated(list(commands), repeat):
                timed: Timed = run_timed(commands[key]).check(key)
                series[key].samples.append(timed.seconds)
    result.figures.append(
        _ratio(
            "site_vs_nbconvert",
            "site build / nbconvert --to html",
            series["site"],
            series["nbconvert"],
            ("<=", 1.2),
        )
    )
    return result


def bench_suite(settings: Settings) -> Result:
    """Time the default pytest run against the notebook-only nbval run, same flags.

    Parameters
    ----------
    settings : Settings
        ``suite_repeats`` rounds; each runs both commands once, alternating
        which goes first.

    Returns
    -------
    Result
        ``python -m pytest -p no:cacheprovider`` from the repository root
        (what ``make test`` runs: every test path and the project's addopts)
        against ``python -m pytest notebooks -p no:cacheprovider`` (the same
        addopts, the notebooks only). Goals: ratio <= 2.5; and, meant for a
        quiet machine, the default run's wall time <= 30 s and its CPU time
        (every process it waited for) <= 50 s. Reported beside them, without
        goals, the two floors under those times: the notebook-only run's
        wall and CPU time, and the CPU time of collecting the whole suite in
        one process (``--collect-only -n 0``), which each xdist worker does
        before its first test.
    """
    result = Result("suite")
    commands = {
        "suite": [PYTHON, "-m", "pytest", "-p", "no:cacheprovider"],
        "notebooks": [PYTHON, "-m", "pytest", "notebooks", "-p", "no:cacheprovider"],
        "collect": [PYTHON, "-m", "pytest", "--collect-only", "-q", "-n", "0"],
    }
    series = {
        "suite": result.measurement("suite", "python -m pytest (make test), wall"),
        "notebooks": result.measurement("notebooks", "floor: python -m pytest notebooks, wall"),
        "collect": result.measurement("collect", "python -m pytest --collect-only -n 0, wall"),
    }
    cpu = {
        "suite": result.measurement("suite_cpu", "python -m pytest (make test), CPU"),
        "notebooks": result.measurement("notebooks_cpu", "python -m pytest notebooks, CPU"),
        "collect": result.measurement("collect_cpu", "python -m pytest --collect-only -n 0, CPU"),
    }
    summaries: dict[str, list[PytestSummary]] = {"suite": [], "notebooks": []}
    for repeat in range(settings.suite_repeats):
        for key in _rotated(list(commands), repeat):
            settings.progress(f"suite: round {repeat + 1}/{settings.suite_repeats}, {key}")
            timed = run_timed(commands[key])
            series[key].samples.append(timed.seconds)
            cpu[key].samples.append(timed.cpu)
            if key == "collect":
                timed.check("collecting the suite")
                continue
            summaries[key].append(PytestSummary.parse(timed.returncode, timed.stdout))
            settings.progress(
                f"suite: {key}: {timed.seconds:.1f} s, CPU {timed.cpu:.1f} s, "
                f"{summaries[key][-1].describe()}"
            )
    for key, label in (("suite", "pytest"), ("notebooks", "pytest notebooks")):
        result.checks[label] = "; ".join(dict.fromkeys(s.describe() for s in summaries[key]))
    failed = [s for key in summaries for s in summaries[key] if not s.all_passed]
    note = None
    if failed:
        failures = sorted({f for s in failed for f in s.failures})
        result.checks["failed"] = ", ".join(failures) or "(no test ids reported)"
        note = f"a run failed ({len(failed)} of {2 * settings.suite_repeats})"
    result.figures.append(
        _ratio(
            "suite_vs_notebooks",
            "make test pytest / notebook-only nbval, same flags",
            series["suite"],
            series["notebooks"],
            ("<=", 2.5),
            note,
        )
    )
    result.figures.append(
        Figure(
            "suite_wall", "make test pytest, wall", series["suite"].median, "s", ("<=", 30.0), note
        )
    )
    result.figures.append(
        Figure("suite_cpu", "make test pytest, CPU", cpu["suite"].median, "s", ("<=", 50.0), note)
    )
    # The floors under those two goals: what the notebooks alone cost, and
    # what each of the two workers spends collecting before its first test.
    for key, label, measured in (
        ("notebooks_wall", "floor: notebook-only nbval, wall", series["notebooks"]),
        ("notebooks_cpu", "floor: notebook-only nbval, CPU", cpu["notebooks"]),
        ("collect_cpu", "floor: collecting the whole suite once (per worker), CPU", cpu["collect"]),
    ):
        result.figures.append(Figure(key, label, measured.median, "s"))
    return result


def bench_draw(settings: Settings) -> Result:
    """Time the full concept map against a blank figure with the same boxes.

    Parameters
    ----------
    settings : Settings
        ``repeats`` draws of each in one fresh process, alternating which
        goes first, after one untimed draw of each (see
        ``benchmarks._probe.draw``).

    Returns
    -------
    Result
        Goal: full map / same boxes without arrows <= 2. Both are drawn by
        the public :func:`explainer.plots.draw_concept_map` and saved to PNG
        in memory, as the exports save them.
    """
    result = Result("draw")
    settings.progress(f"draw: {settings.repeats} draws of each, one process")
    times = _probe("draw", str(settings.repeats))
    full = result.measurement("full", f"draw_concept_map, {times['edges']} arrows, to PNG")
    blank = result.measurement("blank", "floor: the same boxes without arrows, to PNG")
    full.samples, blank.samples = times["full"], times["blank"]
    result.figures.append(
        _ratio("full_vs_blank", "full concept map / the same boxes", full, blank, ("<=", 2.0))
    )
    result.figures.append(Figure("full", "full concept map draw", full.median, "s"))
    return result


#: Every benchmark, in the order they run; the keys are the names the command line takes.
BENCHMARKS: dict[str, Callable[[Settings], Result]] = {
    "import": bench_import,
    "load": bench_load,
    "validate": bench_validate,
    "draw": bench_draw,
    "notebooks": bench_notebooks,
    "site": bench_site,
    "suite": bench_suite,
}


# ----------------------------------------------------------------------------
# Reporting


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def render(results: Sequence[Result], settings: Settings) -> str:
    """Return the plain-text report: the measurements, then the figures and goals.

    Parameters
    ----------
    results : sequence of Result
        What the benchmarks measured.
    settings : Settings
        The repeats, for the heading.

    Returns
    -------
    str
        Lines of text, without colours or timestamps.
    """
    lines = [
        f"explainer benchmarks: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{settings.repeats} repeats ({settings.suite_repeats} for notebooks, site and suite)",
        "",
    ]
    rows = [["benchmark", "measurement", "median", "min", "max", "runs"]]
    for result in results:
        for m in result.measurements:
            if m.samples:
                rows.append(
                    [
                        result.name,
                        m.label,
                        format_seconds(m.median),
                        format_seconds(min(m.samples)),
                        format_seconds(max(m.samples)),
                        str(len(m.samples)),
                    ]
                )
    lines += _table(rows, right={2, 3, 4, 5})
    lines.append("")
    rows = [["benchmark", "figure", "value", "goal", "met"]]
    for result in results:
        for f in result.figures:
            met = {None: "-", True: "yes", False: "NO"}[f.met]
            rows.append([result.name, f.label, f.value_text(), f.goal_text(), met])
            if f.note:
                rows[-1][-1] = f"invalid: {f.note}"
    lines += _table(rows, right={2, 3})
    notes = [f"{r.name}: {key}: {text}" for r in results for key, text in r.checks.items()]
    notes += [f"{r.name}: ERROR: {r.error.splitlines()[0]}" for r in results if r.error]
    if notes:
        lines += ["", *notes]
    lines.append("ratios are of medians measured in the same run; figures in seconds or ms.")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """Return what the figures were measured on: cores, Python, platform, load.

    Returns
    -------
    dict
        ``cpus``, ``python``, ``implementation``, ``platform`` and
        ``load_average`` (the 1-minute load when the run started, ``None``
        where the system has none): a busy machine shows there.
    """
    try:
        load = round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        load = None
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "load_average": load,
    }


def as_json(
    results: Sequence[Result],
    settings: Settings,
    previous: dict[str, Any] | None = None,
    when: str | None = None,
    host: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the report as a JSON-ready dict, keeping benchmarks not run this time.

    Parameters
    ----------
    results : sequence of Result
        What the benchmarks measured.
    settings : Settings
        The repeats.
    previous : dict, optional
        The file as it was; its benchmarks that were not run now are kept,
        each with its own ``when`` and ``machine``, so that running one
        benchmark does not erase the others' figures.
    when : str, optional
        The timestamp (ISO 8601, UTC); now by default.
    host : dict, optional
        What :func:`machine` returns; measured now by default.

    Returns
    -------
    dict
        ``when`` (of this run), ``machine``, the repeats, and ``benchmarks``:
        per benchmark its measurements, figures, checks, error, ``when``,
        ``machine`` and repeats.
    """
    when = when or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    host = host or machine()
    benchmarks = {}
    if previous:
        benchmarks.update({k: v for k, v in previous.get("benchmarks", {}).items() if "when" in v})
    for r in results:
        benchmarks[r.name] = {
            **r.as_json(),
            "when": when,
            "machine": host,
            "repeats": settings.repeats,
            "suite_repeats": settings.suite_repeats,
        }
    order = {name: i for i, name in enumerate(BENCHMARKS)}
    return {
        "when": when,
        "machine": host,
        "repeats": settings.repeats,
        "suite_repeats": settings.suite_repeats,
        "benchmarks": dict(sorted(benchmarks.items(), key=lambda kv: order.get(kv[0], 99))),
    }


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


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
    parser.add_argument(
        "--json",
        type=Path,
        default=RESULTS_DIR / "latest.json",
        metavar="PATH",
        help="the results file: written by a run (merged with the benchmarks it did not run), "
        "read by 'readme' (default benchmarks/results/latest.json)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="write only this run's benchmarks, dropping the others from the results file",
    )
    parser.add_argument(
        "--readme",
        type=Path,
        default=REPO_ROOT / "benchmarks" / "README.md",
        metavar="PATH",
        help="the file 'readme' rewrites between its bench markers (default benchmarks/README.md)",
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

        results = _read_json(args.json.resolve())
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
    path = args.json.resolve()
    try:  # before the benchmarks run, not after: a wrong path costs nothing
        check_replaceable(path, RESULT_KEYS)
    except NotOursError as exc:
        parser.error(f"--json {exc}")
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
    previous = None if args.fresh else _read_json(path)
    try:
        path = write_json_atomic(path, as_json(results, settings, previous, host=host), RESULT_KEYS)
    except (OSError, NotOursError) as exc:  # e.g. a file put there while they ran
        print(f"python -m benchmarks: results not written: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {os.path.relpath(path, Path.cwd())}")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
