"""How validate and export grow with the data: ``python -m benchmarks.scale``.

Makes copies of the shipped data with its concept map 1, 10 and 100 times
as large (every concept and every relation copied under new ids, each copy
linked as the original is; the article, claims and other tables as shipped:
the concept map is what export draws and writes), then runs ``explainer
validate`` and ``explainer export`` on each in a fresh process, and reports
the median wall time and the peak memory (the process's maximum resident
set) of each, with the ratio to the same command at 1x. The floor, measured
in the same run, is ``python -m explainer --version`` (starting Python and
the package). Linear growth shows as a ratio near the size factor or below;
the whole-map picture is drawn only up to ``MAX_PNG_SIDE`` pixels a side, so
export's memory stops growing with it.

    python -m benchmarks.scale                 # 1x, 10x, 100x; 3 repeats
    python -m benchmarks.scale --factors 1 10 --repeats 1
    python -m benchmarks.scale --site          # also `explainer site` (slow)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import REPO_ROOT

DATA = REPO_ROOT / "data"
PYTHON = sys.executable


_COPY_NOTE = "A copy made by the scale benchmark; we drew it, the article did not."


def scaled_data(factor: int, folder: Path) -> Path:
    """Write a copy of the shipped data whose concept map is ``factor`` times as large.

    Copy ``n`` of concept ``x`` is ``x__n``; copy ``n`` of each relation links
    the copies ``n`` of its ends and is marked as ours (inferred, its source
    not the subject of the clause it cites), so the copy validates as the
    shipped data does. The descriptor's id patterns for relations are
    widened to allow the new ids.
    """
    shutil.copytree(DATA, folder)
    if factor == 1:
        return folder
    concepts = _read(folder / "concepts.csv")
    relations = _read(folder / "relations.csv")
    head_c, rows_c = concepts[0], concepts[1:]
    head_r, rows_r = relations[0], relations[1:]
    cid, label = head_c.index("concept_id"), head_c.index("label")
    rid, src, dst = (head_r.index(c) for c in ("relation_id", "source", "target"))
    role, basis, note = (head_r.index(c) for c in ("subject_role", "basis", "basis_note"))
    new_c, new_r = list(rows_c), list(rows_r)
    for n in range(1, factor):
        for row in rows_c:
            copy = list(row)
            copy[cid], copy[label] = f"{row[cid]}__{n}", f"{row[label]} ({n})"
            new_c.append(copy)
        for row in rows_r:
            copy = list(row)
            copy[rid] = f"{row[rid]}__{n}"
            copy[src], copy[dst] = f"{row[src]}__{n}", f"{row[dst]}__{n}"
            # A copy is our construction, not the article's words: its clause's
            # subject stays the original's, so the copy is ours to answer for.
            copy[role], copy[basis], copy[note] = "other", "inferred", _COPY_NOTE
            new_r.append(copy)
    _write(folder / "concepts.csv", [head_c, *new_c])
    _write(folder / "relations.csv", [head_r, *new_r])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] in ("concepts", "relations"):
            for f in resource["schema"]["fields"]:
                if f["name"] in ("concept_id", "relation_id", "source", "target"):
                    f.get("constraints", {}).pop("pattern", None)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    return folder


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def run(argv: list[str]) -> tuple[float, int, int]:
    """Run ``argv`` in a fresh process; return (seconds, peak resident set in KiB, exit code)."""
    # stderr goes to a file, not a pipe: a command that writes more than a
    # pipe holds would block while this process waits for it (wait4 gives the
    # peak memory, so the output cannot be read while waiting).
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{err}")
    return elapsed, usage.ru_maxrss, proc.returncode


def measure(commands: list[str], factors: list[int], repeats: int, scratch: Path) -> dict:
    """Return {command: {factor: (median seconds, max peak KiB)}}, floor included."""
    base = [PYTHON, "-m", "explainer"]
    folders = {f: scaled_data(f, scratch / f"data-{f}x") for f in factors}
    results: dict[str, dict[int, tuple[float, int]]] = {c: {} for c in ["floor", *commands]}
    for factor, data in folders.items():
        samples: dict[str, list[tuple[float, int]]] = {c: [] for c in results}
        for k in range(repeats + 1):  # the first round is untimed: it warms the file cache
            for command in results:
                out = scratch / f"out-{command}-{factor}-{k}"
                argv = {
                    "floor": [*base, "--version"],
                    "validate": [*base, "--data-dir", str(data), "validate"],
                    "export": [*base, "--data-dir", str(data), "export", str(out)],
                    "site": [*base, "--data-dir", str(data), "site", str(out)],
                }[command]
                timing = run(argv)
                shutil.rmtree(out, ignore_errors=True)
                if k:
                    samples[command].append(timing[:2])
        for command, got in samples.items():
            results[command][factor] = (
                statistics.median(t for t, _ in got),
                max(m for _, m in got),
            )
    return results


def table(results: dict, factors: list[int]) -> str:
    """Return the results as a Markdown table: time and peak memory, and ratios to 1x."""
    lines = [
        "| command | data | time (s) | × 1x | peak memory (MB) | × 1x |",
        "|---|---|---|---|---|---|",
    ]
    for command, by_factor in results.items():
        t1, m1 = by_factor[factors[0]]
        for factor in factors:
            t, m = by_factor[factor]
            lines.append(
                f"| {command} | {factor}x | {t:.2f} | {t / t1:.2f} | {m / 1024:.0f} | "
                f"{m / m1:.2f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the scale benchmark and print its table; return 0."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--site", action="store_true", help="also time `explainer site`")
    args = parser.parse_args(argv)
    commands = ["validate", "export", *(["site"] if args.site else [])]
    with tempfile.TemporaryDirectory(prefix="explainer-scale-") as scratch:
        results = measure(commands, args.factors, args.repeats, Path(scratch))
    print(table(results, args.factors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
