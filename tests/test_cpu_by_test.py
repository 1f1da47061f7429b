"""benchmarks.cpu_by_test: where the suite's CPU time goes, charged to the right tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.cpu_by_test import summarise

ROOT = Path(__file__).resolve().parents[1]

# Two files, so that under --dist loadfile each worker runs one of them.
_BURN = """
import subprocess, sys, time

def _spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass

def test_burns():
    _spin(0.2)

def test_waits_for_a_child_that_burns():
    code = "import time\\nend = time.process_time() + 0.2\\nwhile time.process_time() < end: pass"
    subprocess.run([sys.executable, "-c", code], check=True)
"""
_IDLE = """
def test_idle():
    pass
"""


def test_summarise_adds_up_by_file_kind_and_process():
    found = summarise(
        {
            "gw0": {"total": 4.0, "tests": {"tests/test_a.py::x": 1.5, "tests/test_a.py::y": 0.5}},
            "gw1": {"total": 3.0, "tests": {"notebooks/n.ipynb::Cell 3": 2.0}},
            "controller": {"total": 0.5, "tests": {}},
        }
    )
    assert found["total"] == 7.5 and found["in_tests"] == 4.0
    assert found["outside_tests"] == {"controller": 0.5, "gw0": 2.0, "gw1": 1.0}
    assert found["kinds"] == {"notebooks": 2.0, "test files": 2.0}
    assert list(found["files"].items()) == [("tests/test_a.py", 2.0), ("notebooks/n.ipynb", 2.0)]
    assert list(found["tests"]) == [
        "notebooks/n.ipynb::Cell 3",
        "tests/test_a.py::x",
        "tests/test_a.py::y",
    ]


@pytest.mark.parametrize(
    "workers",
    [
        pytest.param(["-n", "0"], id="one-process"),
        # the figures travel from the workers to the controller (xdist's workeroutput)
        pytest.param(
            ["-n", "2", "--dist", "loadfile"], id="two-workers", marks=pytest.mark.thorough
        ),
    ],
)
def test_each_test_is_charged_its_own_cpu_and_its_childrens(tmp_path, workers):
    (tmp_path / "test_burn.py").write_text(_BURN, encoding="utf-8")
    (tmp_path / "test_idle.py").write_text(_IDLE, encoding="utf-8")
    out = tmp_path / "results" / "cpu.json"
    command = [sys.executable, "-m", "pytest", "-p", "benchmarks.cpu_by_test", "-p"]
    command += ["xdist.plugin", *workers, f"--cpu-json={out}"]
    command += ["-c", str(tmp_path / "none.ini"), "--rootdir", str(tmp_path), str(tmp_path)]
    (tmp_path / "none.ini").write_text("[pytest]\n", encoding="utf-8")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "CPU seconds by file (benchmarks.cpu_by_test)" in run.stdout
    found = json.loads(out.read_text(encoding="utf-8"))
    tests = found["tests"]
    # CPU seconds, not wall time: each spin ends after 0.2 s of its own process's CPU
    assert tests["test_burn.py::test_burns"] >= 0.2
    # the child's CPU is charged to the test that waited for it
    assert tests["test_burn.py::test_waits_for_a_child_that_burns"] >= 0.2
    assert tests["test_idle.py::test_idle"] < 0.1
    processes = {"controller", "gw0", "gw1"} if workers[1] == "2" else {"main"}
    assert set(found["outside_tests"]) == processes
    assert all(seconds > 0 for seconds in found["outside_tests"].values())
    parts = found["in_tests"] + sum(found["outside_tests"].values())
    assert found["total"] == pytest.approx(parts, abs=0.01)  # each rounded to 1 ms
    assert list(tmp_path.joinpath("results").iterdir()) == [out]  # no temporary file left
