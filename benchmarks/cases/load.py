"""The load benchmark: time loading every table, cold and warm, inside fresh interpreters."""

from __future__ import annotations

from benchmarks._common import Figure
from benchmarks._result import Result, Settings, probe, ratio

__all__ = ["run"]


def run(settings: Settings) -> Result:
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
    probe("loads")
    runs = []
    for repeat in range(settings.repeats):
        settings.progress(f"load: run {repeat + 1}/{settings.repeats}")
        runs.append(probe("loads"))
    tables = runs[0]["tables"]
    cold = result.measurement("cold", f"cold: load all {tables} tables")
    warm = result.measurement("warm", f"warm: load all {tables} tables again")
    cold.samples = [run["cold"] for run in runs]
    warm.samples = [run["warm"] for run in runs]
    result.figures.append(Figure("warm", "warm load, all tables", warm.median, "s", ("<", 0.050)))
    result.figures.append(ratio("warm_vs_cold", "warm load / cold load", warm, cold))
    return result
