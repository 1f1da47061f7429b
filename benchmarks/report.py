"""The benchmarks' report: a plain table for the terminal and the JSON results file."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks._common import format_seconds
from benchmarks._result import Result, Settings

__all__ = ["as_json", "machine", "read_json", "render"]


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def render(results: Sequence[Result], settings: Settings) -> str:
    """Return the plain-text report: the measurements, then the figures and goals.

    Parameters
    ----------
    results : sequence of Result
        What the benchmarks measured.
    settings : Settings
        The repeats, for the heading.

    Returns
    -------
    str
        Lines of text, without colours or timestamps.
    """
    lines = [
        f"explainer benchmarks: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{settings.repeats} repeats ({settings.suite_repeats} for notebooks, site and suite)",
        "",
    ]
    rows = [["benchmark", "measurement", "median", "min", "max", "runs"]]
    for result in results:
        for m in result.measurements:
            if m.samples:
                rows.append(
                    [
                        result.name,
                        m.label,
                        format_seconds(m.median),
                        format_seconds(min(m.samples)),
                        format_seconds(max(m.samples)),
                        str(len(m.samples)),
                    ]
                )
    lines += _table(rows, right={2, 3, 4, 5})
    lines.append("")
    rows = [["benchmark", "figure", "value", "goal", "met"]]
    for result in results:
        for f in result.figures:
            met = {None: "-", True: "yes", False: "NO"}[f.met]
            rows.append([result.name, f.label, f.value_text(), f.goal_text(), met])
            if f.note:
                rows[-1][-1] = f"invalid: {f.note}"
    lines += _table(rows, right={2, 3})
    notes = [f"{r.name}: {key}: {text}" for r in results for key, text in r.checks.items()]
    notes += [f"{r.name}: ERROR: {r.error.splitlines()[0]}" for r in results if r.error]
    if notes:
        lines += ["", *notes]
    lines.append("ratios are of medians measured in the same run; figures in seconds or ms.")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """Return what the figures were measured on: cores, Python, platform, load.

    Returns
    -------
    dict
        ``cpus``, ``python``, ``implementation``, ``platform`` and
        ``load_average`` (the 1-minute load when the run started, ``None``
        where the system has none): a busy machine shows there.
    """
    try:
        load = round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        load = None
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "load_average": load,
    }


def as_json(
    results: Sequence[Result],
    settings: Settings,
    previous: dict[str, Any] | None = None,
    when: str | None = None,
    host: dict[str, Any] | None = None,
    names: Sequence[str] = (),
) -> dict[str, Any]:
    """Return the report as a JSON-ready dict, keeping benchmarks not run this time.

    Parameters
    ----------
    results : sequence of Result
        What the benchmarks measured.
    settings : Settings
        The repeats.
    previous : dict, optional
        The file as it was; its benchmarks that were not run now are kept,
        each with its own ``when`` and ``machine``, so that running one
        benchmark does not erase the others' figures.
    when : str, optional
        The timestamp (ISO 8601, UTC); now by default.
    host : dict, optional
        What :func:`machine` returns; measured now by default.
    names : sequence of str, optional
        Every benchmark's name, in the order the file lists them; others last.

    Returns
    -------
    dict
        ``when`` (of this run), ``machine``, the repeats, and ``benchmarks``:
        per benchmark its measurements, figures, checks, error, ``when``,
        ``machine`` and repeats.
    """
    when = when or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    host = host or machine()
    benchmarks = {}
    if previous:
        benchmarks.update({k: v for k, v in previous.get("benchmarks", {}).items() if "when" in v})
    for r in results:
        benchmarks[r.name] = {
            **r.as_json(),
            "when": when,
            "machine": host,
            "repeats": settings.repeats,
            "suite_repeats": settings.suite_repeats,
        }
    order = {name: i for i, name in enumerate(names)}
    return {
        "when": when,
        "machine": host,
        "repeats": settings.repeats,
        "suite_repeats": settings.suite_repeats,
        "benchmarks": dict(sorted(benchmarks.items(), key=lambda kv: order.get(kv[0], 99))),
    }


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
