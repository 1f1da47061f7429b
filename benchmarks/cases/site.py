"""The site benchmark: ``python -m explainer site DIR`` against ``nbconvert --to html``."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from benchmarks._common import NOTEBOOKS_DIR, CommandError, Timed, run_timed
from benchmarks._result import PYTHON, Result, Settings, ratio, rotated

__all__ = ["run"]

#: The site is built from the numbered notebooks only (see explainer/site.py).
_SITE_NOTEBOOK = re.compile(r"\d\d-[^/\\]+\.ipynb")


def run(settings: Settings) -> Result:
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
            for key in rotated(list(commands), repeat):
                timed: Timed = run_timed(commands[key]).check(key)
                series[key].samples.append(timed.seconds)
    result.figures.append(
        ratio(
            "site_vs_nbconvert",
            "site build / nbconvert --to html",
            series["site"],
            series["nbconvert"],
            ("<=", 1.2),
        )
    )
    return result
