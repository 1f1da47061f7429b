"""The import benchmark: time importing explainer against ``python -c "import pandas"``."""

from __future__ import annotations

from benchmarks._common import run_timed
from benchmarks._result import PYTHON, Result, Settings, ratio, rotated

__all__ = ["run"]


def run(settings: Settings) -> Result:
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
        for key in rotated(list(commands), repeat):
            series[key].samples.append(run_timed(commands[key]).check(f"import {key}").seconds)
    result.figures.append(
        ratio(
            "explainer_vs_pandas",
            "from explainer import * / import pandas",
            series["api"],
            series["pandas"],
            ("<=", 1.05),
        )
    )
    result.figures.append(
        ratio(
            "bare_vs_pandas",
            "import explainer (names imported on first use) / import pandas",
            series["explainer"],
            series["pandas"],
            None,
        )
    )
    return result
