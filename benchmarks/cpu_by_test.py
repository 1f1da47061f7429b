"""Where the suite's CPU time goes, file by file: ``python -m pytest -p benchmarks.cpu_by_test``.

A pytest plugin. Each test is charged the CPU time (user and system) that
its process spent while it ran, and that of every process the test's process
reaped meanwhile: a notebook's kernel is charged to the cell during which it
is shut down, Chromium to the browser test whose fixture closes it, a wheel's
build and install to the test that first asks for them. So a file's total is
right even where one test's is not. What a pytest process spends outside
its tests (starting, importing, collecting, closing) is reported per
process. Under xdist each worker sends its figures to the controller with
its last report (``workeroutput``), and the controller writes them all.

Writes ``benchmarks/results/suite-cpu.json`` (or ``--cpu-json=PATH``: with
a space, pytest takes the path for a test path when it looks for its
configuration, and the project's options are lost) and
prints the files that cost the most after pytest's summary. CPU times are
counted by the kernel, not timed by a clock, but still vary from run to run
on a shared machine by a few percent; the file is for finding where time
goes, and nothing asserts on it.

Examples
--------
The default run, and where its CPU went::

    python -m pytest -p benchmarks.cpu_by_test
"""

from __future__ import annotations

import resource
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks._common import RESULTS_DIR, NotOursError, check_replaceable, write_json_atomic

__all__ = ["cpu_seconds", "summarise"]

DEFAULT_JSON = RESULTS_DIR / "suite-cpu.json"
_KEY = "explainer_cpu_by_test"
_KEYS = ("total", "in_tests", "outside_tests")  # what every file written here holds
_SHOWN = 15  # files printed after pytest's summary


def cpu_seconds() -> float:
    """Return the CPU time of this process and of every process it has reaped.

    Returns
    -------
    float
        User plus system seconds (``getrusage`` of ``RUSAGE_SELF`` and
        ``RUSAGE_CHILDREN``).

    Examples
    --------
    >>> before = cpu_seconds()
    >>> sum(range(10**6)) > 0 and cpu_seconds() >= before
    True
    """
    me = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + reaped.ru_utime + reaped.ru_stime


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _kind(path: str) -> str:
    if path.endswith(".ipynb"):
        return "notebooks"
    return "test files" if path.split("/", 1)[0] == "tests" else "doctests"


def summarise(processes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return the per-file and per-process totals of what each process measured.

    Parameters
    ----------
    processes : dict
        For each pytest process (``main``, or xdist's ``gw0``, ``gw1``, ...),
        ``tests`` (node id to CPU seconds) and ``total`` (the process's CPU
        seconds, reaped processes included, at the end of its session).

    Returns
    -------
    dict
        ``total`` (every process's CPU seconds, added up), ``in_tests`` and
        ``outside_tests`` (per process: start-up, imports, collection and
        closing), ``kinds`` (the seconds of the notebooks, of the files under
        ``tests/`` and of the doctests), ``files`` (file to CPU seconds, the
        most first) and ``tests`` (the 40 tests that cost the most).

    Examples
    --------
    >>> s = summarise({"gw0": {"total": 5.0, "tests": {"a.py::t": 3.0, "b.ipynb::Cell 0": 1.0}}})
    >>> s["files"], s["outside_tests"], s["kinds"]
    ({'a.py': 3.0, 'b.ipynb': 1.0}, {'gw0': 1.0}, {'doctests': 3.0, 'notebooks': 1.0})
    """
    files: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    tests: Counter[str] = Counter()
    outside = {}
    for name, found in sorted(processes.items()):
        spent = sum(found["tests"].values())
        outside[name] = round(found["total"] - spent, 3)
        tests.update(found["tests"])
        for nodeid, seconds in found["tests"].items():
            files[_file_of(nodeid)] += seconds
            kinds[_kind(_file_of(nodeid))] += seconds
    return {
        "total": round(sum(p["total"] for p in processes.values()), 3),
        "in_tests": round(sum(tests.values()), 3),
        "outside_tests": outside,
        "kinds": {name: round(s, 3) for name, s in sorted(kinds.items())},
        "files": {name: round(s, 3) for name, s in files.most_common()},
        "tests": {name: round(s, 3) for name, s in tests.most_common(40)},
    }


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--cpu-json PATH``."""
    parser.addoption(
        "--cpu-json",
        type=Path,
        default=DEFAULT_JSON,
        metavar="PATH",
        help="where benchmarks.cpu_by_test writes its figures (default "
        "benchmarks/results/suite-cpu.json); give it as --cpu-json=PATH, since pytest "
        "looks for its configuration file beside any path among its arguments",
    )


class _Recorder:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.tests: Counter[str] = Counter()
        self.workers: dict[str, dict[str, Any]] = {}
        self.summary: dict[str, Any] | None = None
        self.not_written: str | None = None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None):
        before = cpu_seconds()
        try:
            return (yield)
        finally:
            self.tests[item.nodeid] += cpu_seconds() - before

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        mine = {"total": cpu_seconds(), "tests": dict(self.tests)}
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: the controller writes
            workeroutput[_KEY] = mine
            return
        processes = self.workers or {"main": mine}
        if self.workers:  # the controller ran no test; what it spent is its own
            me = resource.getrusage(resource.RUSAGE_SELF)
            processes["controller"] = {"total": me.ru_utime + me.ru_stime, "tests": {}}
        self.summary = summarise(processes)
        try:
            write_json_atomic(self.config.getoption("cpu_json"), self.summary, _KEYS)
        except NotOursError as exc:  # said after the summary; the tests' outcome stands
            self.not_written = str(exc)
        except OSError as exc:
            self.not_written = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        found = getattr(node, "workeroutput", {}).get(_KEY)
        if found is not None:
            self.workers[node.gateway.id] = found

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.summary is None:
            return
        s = self.summary
        write = terminalreporter.write_line
        terminalreporter.section("CPU seconds by file (benchmarks.cpu_by_test)")
        write(f"{s['total']:8.1f}  every pytest process, with what each reaped")
        write(f"{s['in_tests']:8.1f}  in tests")
        for name, seconds in s["kinds"].items():
            write(f"{seconds:8.1f}    in {name}")
        for name, seconds in s["outside_tests"].items():
            write(f"{seconds:8.1f}  outside tests in {name} (start, imports, collection, close)")
        for name, seconds in list(s["files"].items())[:_SHOWN]:
            write(f"{seconds:8.1f}  {name}")
        if self.not_written:
            write(f"not written: {self.not_written}", red=True)
        else:
            write(f"written to {self.config.getoption('cpu_json')}")


def pytest_configure(config: pytest.Config) -> None:
    """Register the recorder, once ``--cpu-json`` names a file that can be written.

    Raises
    ------
    pytest.UsageError
        When ``--cpu-json`` names something this plugin did not write: a
        folder, a device, a link, or a file that is not its JSON.
    """
    try:
        check_replaceable(config.getoption("cpu_json"), _KEYS)
    except NotOursError as exc:
        raise pytest.UsageError(f"--cpu-json={exc}") from None
    config.pluginmanager.register(_Recorder(config), "explainer-cpu-by-test")
