"""The benchmarks write their results only where nothing else stands: never a device, a folder,
a link or somebody's file, which an atomic replace would otherwise destroy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import explainer
from benchmarks import __main__ as bench
from benchmarks import flake
from benchmarks._common import NotOursError, check_replaceable, write_json_atomic
from benchmarks._readme import ReadmeError, update_readme

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("runs", "results")


@pytest.fixture
def foreign(tmp_path: Path) -> dict[str, Path]:
    """Things at a results path that the benchmarks did not write."""
    things = {
        "folder": tmp_path / "a-folder",
        "text": tmp_path / "notes.txt",
        "other json": tmp_path / "other.json",
        "json list": tmp_path / "list.json",
        "link to ours": tmp_path / "link.json",
        "pipe": tmp_path / "pipe",
    }
    things["folder"].mkdir()
    things["text"].write_text("my notes\n", encoding="utf-8")
    things["other json"].write_text('{"runs": 3}', encoding="utf-8")  # one key, not both
    things["json list"].write_text('["runs", "results"]', encoding="utf-8")
    ours = tmp_path / "ours.json"
    ours.write_text('{"runs": 1, "results": []}', encoding="utf-8")
    things["link to ours"].symlink_to(ours)
    os.mkfifo(things["pipe"])
    return things


def _contents(path: Path) -> object:
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_dir():
        return ("folder", sorted(p.name for p in path.iterdir()))
    if path.is_fifo():
        return "pipe"
    return path.read_bytes()


def test_a_new_path_or_an_earlier_file_of_the_same_kind_is_written(tmp_path):
    path = tmp_path / "new" / "results.json"
    check_replaceable(path, KEYS)
    write_json_atomic(path, {"runs": 1, "results": []}, KEYS)
    write_json_atomic(path, {"runs": 2, "results": [], "more": True}, KEYS)
    assert json.loads(path.read_text(encoding="utf-8"))["runs"] == 2
    assert sorted(p.name for p in path.parent.iterdir()) == ["results.json"]


def test_what_the_benchmarks_did_not_write_is_refused_and_left_as_it_was(foreign):
    for what, path in foreign.items():
        before = _contents(path)
        with pytest.raises(NotOursError, match="left alone"):
            write_json_atomic(path, {"runs": 1, "results": []}, KEYS)
        assert _contents(path) == before, what
    # A device is only asked about: were the check broken, a write would replace it.
    with pytest.raises(NotOursError, match="not a regular file"):
        check_replaceable(Path("/dev/null"), KEYS)


def test_the_commands_refuse_a_foreign_results_path_before_they_run(foreign, capsys):
    text = foreign["text"]
    for main in (bench.main, flake.main):
        with pytest.raises(SystemExit) as exit:
            main(["--json", str(text)])  # stops before a benchmark or a run starts
        assert exit.value.code == 2
        assert "not a results file of these tools" in capsys.readouterr().err
    assert text.read_text(encoding="utf-8") == "my notes\n"


def test_cpu_by_test_refuses_a_foreign_file_before_the_tests_run(foreign, tmp_path):
    text = foreign["text"]
    command = [sys.executable, "-m", "pytest", "-p", "benchmarks.cpu_by_test"]
    command += [f"--cpu-json={text}", "-c", str(tmp_path / "none.ini"), str(tmp_path)]
    (tmp_path / "none.ini").write_text("[pytest]\n", encoding="utf-8")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 4, run.stdout + run.stderr  # pytest's usage error
    assert "not a results file of these tools" in run.stderr and "Traceback" not in run.stderr
    assert text.read_text(encoding="utf-8") == "my notes\n"


def test_the_readme_table_is_never_written_into_a_pipe_or_a_device(foreign):
    results = json.loads((ROOT / "benchmarks" / "results" / "latest.json").read_text("utf-8"))
    for path in (foreign["pipe"], Path("/dev/null")):
        with pytest.raises(ReadmeError, match="not a regular file"):
            update_readme(path, results)  # returns at once: a pipe is not opened


def test_the_scaled_data_validates_as_the_shipped_data_does(tmp_path):
    from benchmarks import scale

    folder = scale.scaled_data(3, tmp_path / "data-3x")
    explainer.validate(folder)
    assert len(explainer.load("concepts", data_dir=folder)) == 3 * len(explainer.load("concepts"))


def test_a_measured_command_that_writes_much_to_stderr_does_not_block(tmp_path):
    from benchmarks import scale

    loud = [sys.executable, "-c", "import sys; sys.stderr.write('x' * 300_000); sys.exit(3)"]
    with pytest.raises(SystemExit, match=r"failed \(3\)"):
        scale.run(loud)
