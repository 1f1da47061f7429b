"""The notebooks benchmark: the nbval suite against import-only notebooks and bare kernels."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks._common import (
    NOTEBOOKS_DIR,
    REPO_ROOT,
    CommandError,
    PytestSummary,
    run_timed,
    suite_notebooks,
)
from benchmarks._result import PYTHON, Result, Settings, note_failures, ratio, rotated

__all__ = ["run"]

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


def run(settings: Settings) -> Result:
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
            for key in rotated(list(commands), repeat):
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
    rounds = len(summaries["suite"])
    note = note_failures(result, failed, f"suite failed in {len(failed)}/{rounds} rounds")
    result.figures.append(
        ratio(
            "suite_vs_import_only",
            "notebook suite / import-only notebooks",
            series["suite"],
            series["import_only"],
            ("<=", 1.25),
            note,
        )
    )
    result.figures.append(
        ratio(
            "suite_vs_kernels",
            "notebook suite / bare kernels",
            series["suite"],
            series["kernels"],
            ("<=", 1.0),
            note,
        )
    )
    return result
