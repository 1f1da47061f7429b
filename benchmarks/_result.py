"""What every benchmark shares: its settings, its result, and the ratio of two medians."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmarks._common import Figure, Measurement, run_timed

__all__ = ["PYTHON", "Result", "Settings", "note_failures", "probe", "ratio", "rotated"]

PYTHON = sys.executable


@dataclass(frozen=True)
class Settings:
    """How many times to repeat things, and where to report progress."""

    repeats: int = 5
    suite_repeats: int = 3
    progress: Callable[[str], Any] = print


@dataclass
class Result:
    """What one benchmark measured: its timings, its figures and its sanity checks."""

    name: str
    measurements: list[Measurement] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    def measurement(self, key: str, label: str) -> Measurement:
        """Add an empty measurement and return it."""
        found = Measurement(key, label)
        self.measurements.append(found)
        return found

    def as_json(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict."""
        return {
            "measurements": {m.key: m.as_json() for m in self.measurements if m.samples},
            "figures": {f.key: f.as_json() for f in self.figures},
            "checks": self.checks,
            "error": self.error,
        }


def ratio(
    key: str, label: str, thing: Measurement, floor: Measurement, goal=None, note=None
) -> Figure:
    """Return the figure ``thing / floor``, of their medians measured in the same run."""
    return Figure(key, label, thing.median / floor.median, "x", goal, note)


def rotated(items: Sequence, shift: int) -> list:
    """Return ``items`` rotated by ``shift``: no thing always runs first, on a warmer machine."""
    shift %= len(items)
    return [*items[shift:], *items[:shift]]


def probe(what: str, *args: str) -> dict[str, Any]:
    """Run ``benchmarks._probe WHAT ARGS`` in a fresh interpreter and return its JSON line."""
    timed = run_timed([PYTHON, "-m", "benchmarks._probe", what, *args]).check(f"probe {what}")
    return json.loads(timed.stdout.strip().splitlines()[-1])


def note_failures(result: Result, failed: Sequence, note: str) -> str | None:
    """Record the tests that failed in the pytest runs ``failed``; return ``note``, or None.

    A figure measured on a failing run is reported as invalid, with ``note`` as the reason.
    """
    if not failed:
        return None
    failures = sorted({f for summary in failed for f in summary.failures})
    result.checks["failed"] = ", ".join(failures) or "(no test ids reported)"
    return note
