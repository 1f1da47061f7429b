"""Lint as part of the suite: `ruff check` and `ruff format --check`, as `make lint` runs them.

A lint failure fails `make test`, and so CI, which runs the README's test command.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str]:
    """Return the command that runs ruff: this environment's, else the one on the PATH."""
    beside = Path(sys.executable).with_name("ruff")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed; it comes with the [test] extra")
    return [found]


@pytest.mark.parametrize(
    "args",
    [
        ["check", "."],
        ["format", "--check", "explainer", "tests", "benchmarks"],
    ],
    ids=["ruff check", "ruff format --check"],
)
def test_ruff(args):
    out = subprocess.run([*_ruff(), *args], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_make_lint_runs_the_same_commands():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/ruff check .\n" in makefile
    assert "$(BIN)/ruff format --check explainer tests benchmarks\n" in makefile


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert (
        "    make test    # set up .venv (and .venv-lab, for the JupyterLab test) "
        "and run every test" in readme
    )
    assert "make test" in ci  # exactly as the README gives it, on a line of its own
    thorough = next(i for i, line in enumerate(ci) if line.startswith("timeout "))
    assert ci.index("make test") < thorough and "make test-thorough" in ci[thorough]
