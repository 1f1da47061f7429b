"""The suite benchmark: the default pytest run against the notebook-only nbval run."""

from __future__ import annotations

from benchmarks._common import Figure, PytestSummary, run_timed
from benchmarks._result import PYTHON, Result, Settings, note_failures, ratio, rotated

__all__ = ["run"]


def run(settings: Settings) -> Result:
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
        for key in rotated(list(commands), repeat):
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
    runs = 2 * settings.suite_repeats
    note = note_failures(result, failed, f"a run failed ({len(failed)} of {runs})")
    result.figures.append(
        ratio(
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
