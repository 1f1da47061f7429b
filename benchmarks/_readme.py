"""The benchmarks' results table, written from the results: ``python -m benchmarks readme``.

It goes into ``benchmarks/README.md`` ("Latest results"); the project's README
keeps a short summary that points there. The table sits between
``<!-- bench:start -->`` and ``<!-- bench:end -->``; everything outside the
markers is left byte for byte as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["END", "START", "ReadmeError", "render_table", "replace_between", "update_readme"]

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
_OPS = {"<=": "≤", "<": "<"}


class ReadmeError(ValueError):
    """The README has no place for the table, or the results have nothing to put there."""


def _goal(goal: str | None) -> str:
    if not goal:
        return "none"
    op, _, value = goal.partition(" ")
    return f"{_OPS.get(op, op)} {value}"


def _met(figure: dict[str, Any]) -> str:
    if figure.get("note"):
        return f"invalid: {figure['note']}"
    return {True: "yes", False: "no", None: ""}[figure.get("met")]


def _value(figure: dict[str, Any]) -> str:
    value = figure["value"]
    if figure.get("unit") == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.1f} s"
    return f"{value:.2f}"


def _host(entry: dict[str, Any]) -> str:
    m = entry.get("machine") or {}
    text = f"{m.get('platform', 'unknown platform')}, {m.get('cpus', '?')} cores, "
    return text + f"Python {m.get('python', '?')}"


def render_table(results: dict[str, Any]) -> str:
    """Return the Markdown that goes between the markers.

    Parameters
    ----------
    results : dict
        The results file (``benchmarks/results/latest.json``) as loaded.

    Returns
    -------
    str
        A sentence naming the machine (platform, cores, Python; the load
        average is in the results file) and the date of each run, then one
        table row per figure: benchmark, figure, value, goal, met.

    Raises
    ------
    ReadmeError
        When the results hold no figure at all.

    Examples
    --------
    >>> results = {"benchmarks": {"import": {
    ...     "when": "2026-11-26T01:00:00+00:00",
    ...     "machine": {"platform": "Linux 6.1 x86_64", "cpus": 2, "python": "3.11.9"},
    ...     "figures": {"r": {"label": "import explainer / import pandas", "value": 1.04,
    ...                       "unit": "x", "goal": "<= 1.05", "met": True, "note": None}}}}}
    >>> print(render_table(results))  # doctest: +NORMALIZE_WHITESPACE
    Measured by `python -m benchmarks` on Linux 6.1 x86_64, 2 cores, Python 3.11.9,
    on 2026-11-26 (UTC). Every ratio is of medians measured in the same run,
    interleaved (see "Why ratios" above).
    <BLANKLINE>
    | benchmark | figure | value | goal | met |
    |---|---|---|---|---|
    | `import` | import explainer / import pandas | 1.04 | ≤ 1.05 | yes |
    """
    entries = {name: e for name, e in results.get("benchmarks", {}).items() if e.get("figures")}
    failed = {name: e for name, e in results.get("benchmarks", {}).items() if e.get("error")}
    if not entries and not failed:
        raise ReadmeError("the results hold no figures: run python -m benchmarks first")
    runs: dict[tuple[str, str], list[str]] = {}
    for name, entry in {**entries, **failed}.items():
        key = (_host(entry), str(entry.get("when", "?"))[:10])
        runs.setdefault(key, []).append(name)
    if len(runs) == 1:
        ((host, day),) = runs
        where = f"on {host},\non {day} (UTC)"
    else:
        where = "; ".join(
            f"{', '.join(f'`{n}`' for n in names)} on {host}, on {day} (UTC)"
            for (host, day), names in runs.items()
        )
        where = f"(one run each):\n{where}"
    lines = [
        f"Measured by `python -m benchmarks` {where}. Every ratio is of medians measured in the "
        'same run,\ninterleaved (see "Why ratios" above).',
        "",
        "| benchmark | figure | value | goal | met |",
        "|---|---|---|---|---|",
    ]
    for name, entry in entries.items():
        for figure in entry["figures"].values():
            row = [
                f"`{name}`",
                figure["label"],
                _value(figure),
                _goal(figure["goal"]),
                _met(figure),
            ]
            lines.append("| " + " | ".join(row) + " |")
    for name, entry in failed.items():
        first = str(entry["error"]).splitlines()[0] if entry["error"] else ""
        lines.append(f"| `{name}` | could not run: {first.replace('|', '/')} | | | |")
    return "\n".join(lines)


def replace_between(text: str, body: str) -> str:
    """Return ``text`` with what lies between the markers replaced by ``body``.

    Parameters
    ----------
    text : str
        The README.
    body : str
        What goes between the markers (without them).

    Returns
    -------
    str

    Raises
    ------
    ReadmeError
        When a marker is missing, repeated or out of order.

    Examples
    --------
    >>> replace_between("a\\n<!-- bench:start -->\\nold\\n<!-- bench:end -->\\nb\\n", "new")
    'a\\n<!-- bench:start -->\\nnew\\n<!-- bench:end -->\\nb\\n'
    """
    if text.count(START) != 1 or text.count(END) != 1:
        raise ReadmeError(f"needs exactly one {START} and one {END} line")
    head, rest = text.split(START)
    old, tail = rest.split(END) if END in rest else (None, None)
    if old is None:
        raise ReadmeError(f"{END} comes before {START}")
    return f"{head}{START}\n{body.strip()}\n{END}{tail}"


def update_readme(path: str | os.PathLike[str], results: dict[str, Any]) -> bool:
    """Rewrite the table in the README at ``path`` from ``results``.

    The file is replaced whole (a temporary file and :func:`os.replace`),
    and only when the table changed.

    Parameters
    ----------
    path : str or path-like
        The README.
    results : dict
        The results file as loaded.

    Returns
    -------
    bool
        Whether the file changed.

    Raises
    ------
    ReadmeError
        When the README is not a regular file or has no markers, or the
        results have no figures.
    """
    path = Path(path)
    if path.is_symlink() or not path.is_file():  # a device or a pipe is never rewritten
        raise ReadmeError(f"{path} is not a regular file")
    text = path.read_text(encoding="utf-8")
    new = replace_between(text, render_table(results))
    if new == text:
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, path.stat().st_mode & 0o777)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(new)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
