"""The validate benchmark: ``explainer.validate()`` in a fresh process and inside one."""

from __future__ import annotations

from benchmarks._common import Figure, run_timed
from benchmarks._result import PYTHON, Result, Settings, probe, ratio, rotated

__all__ = ["run"]


def run(settings: Settings) -> Result:
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
        probe(what)
    for repeat in range(settings.repeats):
        settings.progress(f"validate: run {repeat + 1}/{settings.repeats}")
        for key in rotated([*commands, *probes], repeat):
            if key in commands:
                series[key].samples.append(run_timed(commands[key]).check(key).seconds)
            else:
                series[key].samples.append(probe(probes[key])[key])
    result.figures.append(
        ratio(
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
        ratio("validate_vs_cold", "validate / cold load", series["validate"], series["cold"])
    )
    return result
