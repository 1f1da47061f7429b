"""What the benchmark scripts share: paths, timed commands, pytest summaries, JSON output."""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "NOTEBOOKS_DIR",
    "REPO_ROOT",
    "RESULTS_DIR",
    "CommandError",
    "Figure",
    "Measurement",
    "NotOursError",
    "PytestSummary",
    "Timed",
    "add_path_option",
    "check_replaceable",
    "format_seconds",
    "json_target",
    "run_timed",
    "suite_notebooks",
    "write_json_atomic",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"


class CommandError(RuntimeError):
    """A command the benchmarks rely on exited with an error."""


class NotOursError(CommandError):
    """A results path names something the benchmarks did not write: it is left alone."""


@dataclass(frozen=True)
class Timed:
    """One command's wall time, CPU time, exit code and captured output.

    ``cpu`` is the user and system time of the command and of every process
    it waited for (pytest's workers, the kernels), in seconds.
    """

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0

    def check(self, what: str) -> Timed:
        """Return self, or raise :class:`CommandError` if the command failed.

        Parameters
        ----------
        what : str
            A few words naming the command, for the error message.

        Returns
        -------
        Timed
            ``self``, so that calls can be chained.
        """
        if self.returncode != 0:
            tail = (self.stderr.strip() or self.stdout.strip()).splitlines()[-15:]
            raise CommandError(f"{what} exited with {self.returncode}:\n" + "\n".join(tail))
        return self


def run_timed(
    args: Sequence[str | os.PathLike[str]],
    *,
    cwd: str | os.PathLike[str] = REPO_ROOT,
    env: Mapping[str, str] | None = None,
) -> Timed:
    """Run a command to completion and time it from start to exit.

    Output is captured, so that printing to a terminal costs nothing.

    Parameters
    ----------
    args : sequence of str or path-like
        The command line; start it with ``sys.executable`` to stay in this environment.
    cwd : str or path-like, default the repository root
        The working directory.
    env : mapping, optional
        The environment; this process's by default.

    Returns
    -------
    Timed
        The wall time and CPU time in seconds, the exit code and the output.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [os.fspath(arg) for arg in args],
        cwd=cwd,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(seconds, proc.returncode, proc.stdout, proc.stderr, cpu)


def suite_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Return the notebooks pytest collects from ``folder``, sorted.

    Parameters
    ----------
    folder : pathlib.Path, default ``notebooks/``
        The folder pytest is pointed at.

    Returns
    -------
    list of pathlib.Path
        Every ``*.ipynb`` below it, except in hidden folders such as
        ``.ipynb_checkpoints`` (pytest does not recurse into those).
    """
    return sorted(
        path
        for path in folder.rglob("*.ipynb")
        if not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


_DURATION = re.compile(r"\bin \d+(?:\.\d+)?s\b")
_COUNT = re.compile(r"(\d+) ([a-z]+)")
_PLURAL = {"error": "errors", "warning": "warnings"}


@dataclass(frozen=True)
class PytestSummary:
    """What a pytest run reported: its counts, its failed test ids and its exit code."""

    returncode: int
    counts: dict[str, int] = field(default_factory=dict)
    failures: tuple[str, ...] = ()
    line: str = ""

    @classmethod
    def parse(cls, returncode: int, output: str) -> PytestSummary:
        """Read pytest's final summary line and its ``FAILED``/``ERROR`` lines.

        Parameters
        ----------
        returncode : int
            pytest's exit code.
        output : str
            pytest's standard output.

        Returns
        -------
        PytestSummary

        Examples
        --------
        >>> s = PytestSummary.parse(1, "FAILED a.ipynb::Cell 2\\n== 1 failed, 74 passed in 3.1s ==")
        >>> s.counts, s.failures, s.all_passed
        ({'failed': 1, 'passed': 74}, ('a.ipynb::Cell 2',), False)
        """
        line = ""
        counts: dict[str, int] = {}
        for candidate in reversed(output.splitlines()):
            text = candidate.strip(" =")
            if _DURATION.search(text) or text.startswith("no tests ran"):
                line = text
                head = _DURATION.split(text)[0]
                counts = {_PLURAL.get(word, word): int(n) for n, word in _COUNT.findall(head)}
                break
        failures = tuple(
            candidate.split(" ", 1)[1].split(" - ", 1)[0].strip()
            for candidate in output.splitlines()
            if candidate.startswith(("FAILED ", "ERROR "))
        )
        return cls(returncode=returncode, counts=counts, failures=failures, line=line)

    @property
    def all_passed(self) -> bool:
        """True when pytest exited 0, some tests passed and none failed or errored."""
        return (
            self.returncode == 0
            and self.counts.get("passed", 0) > 0
            and not self.counts.get("failed")
            and not self.counts.get("errors")
        )

    def describe(self) -> str:
        """Return the counts as pytest words them, e.g. ``"75 passed"``."""
        if not self.counts:
            return self.line or f"no summary (exit code {self.returncode})"
        return ", ".join(f"{n} {word}" for word, n in self.counts.items())


@dataclass
class Measurement:
    """Repeated timings of one thing, in seconds."""

    key: str
    label: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """The median of the samples."""
        return statistics.median(self.samples)

    def as_json(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict (seconds, rounded to the microsecond)."""
        return {
            "label": self.label,
            "unit": "s",
            "median": round(self.median, 6),
            "min": round(min(self.samples), 6),
            "max": round(max(self.samples), 6),
            "runs": len(self.samples),
            "samples": [round(s, 6) for s in self.samples],
        }


@dataclass(frozen=True)
class Figure:
    """A derived figure: a ratio of medians, or a median held to an absolute goal.

    ``goal`` is ``None`` (reported only) or a pair such as ``("<=", 1.1)``;
    ``note`` says why the figure cannot be trusted, when it cannot.
    """

    key: str
    label: str
    value: float
    unit: str = "x"
    goal: tuple[str, float] | None = None
    note: str | None = None

    @property
    def met(self) -> bool | None:
        """Whether the goal is met; ``None`` without a goal or when the figure is not valid."""
        if self.goal is None or self.note is not None:
            return None
        op, target = self.goal
        return self.value <= target if op == "<=" else self.value < target

    def goal_text(self) -> str:
        """Return the goal as printed, e.g. ``"<= 1.25"`` or ``"< 50.0 ms"``, or ``"-"``."""
        if self.goal is None:
            return "-"
        op, target = self.goal
        return f"{op} {format_seconds(target) if self.unit == 's' else f'{target:g}'}"

    def value_text(self) -> str:
        """Return the value as printed: seconds with a unit, ratios to two decimals."""
        return format_seconds(self.value) if self.unit == "s" else f"{self.value:.2f}"

    def as_json(self) -> dict[str, Any]:
        """Return the figure as a JSON-ready dict."""
        return {
            "label": self.label,
            "value": round(self.value, 6 if self.unit == "s" else 4),
            "unit": self.unit,
            "goal": None if self.goal is None else self.goal_text(),
            "met": self.met,
            "note": self.note,
        }


def format_seconds(seconds: float) -> str:
    """Return a duration for a table: milliseconds below one second, else seconds.

    Examples
    --------
    >>> format_seconds(0.0123), format_seconds(31.456)
    ('12.3 ms', '31.46 s')
    """
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def check_replaceable(path: Path, keys: Sequence[str]) -> None:
    """Refuse a results path unless it is new, or a JSON file these tools wrote.

    A results file is replaced whole; what stands at its path is replaced
    with it. So only a path with nothing at it, or a regular file holding a
    JSON object with every one of ``keys`` (what these tools write there),
    may be written: never a device, a folder, a link or someone's file.

    Parameters
    ----------
    path : pathlib.Path
    keys : sequence of str
        The top-level keys every file of this kind has.

    Raises
    ------
    NotOursError
        Naming the path and why it is left alone.

    Examples
    --------
    >>> check_replaceable(Path("/dev/null"), ["runs"])
    Traceback (most recent call last):
    ...
    benchmarks._common.NotOursError: /dev/null: not a regular file; left alone
    """
    if not os.path.lexists(path):
        return
    if path.is_symlink() or not path.is_file():
        raise NotOursError(f"{path}: not a regular file; left alone")
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        found = None
    if not isinstance(found, dict) or not all(key in found for key in keys):
        raise NotOursError(
            f"{path}: not a results file of these tools (no {', '.join(keys)}); left alone"
        )


def add_path_option(parser, flag: str, default: Path, help: str) -> None:
    """Add to ``parser`` an option ``flag`` naming a file, ``default`` unless given.

    Its help ends with the default, relative to the checkout, so that the
    two cannot drift apart.
    """
    parser.add_argument(
        flag,
        type=Path,
        default=default,
        metavar="PATH",
        help=f"{help} (default {default.relative_to(REPO_ROOT).as_posix()})",
    )


def json_target(parser, path: Path, keys: Sequence[str]) -> Path:
    """Return the ``--json`` path resolved, once :func:`check_replaceable` allows it.

    Otherwise stop with ``parser``'s usage error, naming ``--json``. Called
    before anything is measured: a wrong path then costs nothing.
    """
    path = path.resolve()
    try:
        check_replaceable(path, keys)
    except NotOursError as exc:
        parser.error(f"--json {exc}")
    return path


def write_json_atomic(path: Path, data: Any, keys: Sequence[str]) -> Path:
    """Write ``data`` as JSON to ``path`` through a temporary file and :func:`os.replace`.

    A reader never sees half a file, and a failed write leaves the old one.
    Only a new path or an earlier file of the same kind is replaced
    (:func:`check_replaceable`).

    Parameters
    ----------
    path : pathlib.Path
        The file to write; its folder is created if missing.
    data : object
        Anything :func:`json.dumps` accepts.
    keys : sequence of str
        The top-level keys of a file of this kind, checked in a file that is there.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    NotOursError
        When something else stands at ``path``.
    """
    check_replaceable(path, keys)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes the file private; results are for everyone
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
