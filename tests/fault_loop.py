"""Kill ``site``, ``export`` and ``regenerate`` at random moments; check what they leave.

Run from the checkout::

    python -m tests.fault_loop            # 30 kills each of site, export, regenerate
    python -m tests.fault_loop --runs 5 --commands export,regenerate

Each run starts the real command in a subprocess and sends it SIGKILL at a
random moment between its start and its usual end. After every kill the
output must be the previous output or the new one, whole (``site`` and
``export``: the folder's files, byte for byte; ``regenerate``: both data
files old, or both new, or a committed journal that the next run finishes).
Then the command runs to the end, and nothing of the killed runs may be left
beside the output or in the data folder. Exits 1 and says why at the first
broken promise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
COMMANDS = ("site", "export", "regenerate")


def tree(folder: Path) -> dict[str, str]:
    """Return every file under ``folder`` (relative path to SHA-256)."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _diff(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("EXPLAINER_DATA_DIR", None)
    return env


def _argv(command: str, data: Path, target: Path) -> list[str]:
    base = [sys.executable, "-m", "explainer", "--data-dir", str(data)]
    if command == "site":
        return [*base, "site", str(target), "--notebooks-dir", str(NOTEBOOKS)]
    if command == "export":
        return [*base, "export", str(target)]
    return [*base, "regenerate"]


def _run(argv: list[str]) -> float:
    start = time.monotonic()
    done = subprocess.run(argv, env=_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the command failed on its own: {' '.join(argv)}\n{done.stderr}")
    return time.monotonic() - start


def _moment(rng: random.Random, longest: float) -> float:
    """A random moment in a run; half of them near its end, where the swap happens."""
    if rng.random() < 0.5:
        return rng.uniform(0.05, longest * 1.1)
    return rng.uniform(longest * 0.75, longest * 1.1)


def _kill_at(argv: list[str], delay: float, durations: list[float]) -> bool:
    """Start ``argv``, SIGKILL it after ``delay`` seconds; return True if it was still running.

    A run that ends first adds its duration to ``durations``: the moments
    follow how long the command takes now (a busy machine, warm caches).
    """
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        durations.append(time.monotonic() - start)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def kill_when(argv: list[str], signs: list[Path | str], timeout: float = 120) -> bool:
    """Start ``argv``, SIGKILL it as soon as one of ``signs`` exists; return True if killed.

    A sign is a path, or a glob pattern (a ``str``) for names that hold a
    run's random token. False: the command ended before any sign was seen
    (it is then waited for).
    """
    import glob

    proc = subprocess.Popen(argv, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            if any(
                glob.glob(sign, include_hidden=True)
                if isinstance(sign, str)
                else sign.is_symlink() or sign.exists()
                for sign in signs
            ):
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True
            if time.monotonic() > deadline:
                raise SystemExit(f"still running after {timeout} s: {' '.join(argv)}")
            time.sleep(0.0005)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _typical(durations: list[float]) -> float:
    recent = sorted(durations[-5:])
    return recent[len(recent) // 2]


def leftovers(target: Path) -> list[str]:
    """Return what a build into ``target`` leaves beside it: temporary folders, locks."""
    prefix = f".{target.name}."
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(prefix))


def _two_data_folders(scratch: Path) -> tuple[Path, Path]:
    a, b = scratch / "data-a", scratch / "data-b"
    shutil.copytree(DATA, a)
    shutil.copytree(DATA, b)
    concepts = b / "concepts.csv"
    text = concepts.read_text(encoding="utf-8")
    concepts.write_text(text.replace(",Oxytocin,", ",Oxytocin (the bonding hormone),", 1))
    return a, b


def folder_loop(command: str, runs: int, rng: random.Random, scratch: Path) -> dict:
    """Kill ``site`` or ``export`` ``runs`` times; return counts, raise SystemExit if broken."""
    a, b = _two_data_folders(scratch)
    target = scratch / "out"
    states = {}
    durations = []
    for data in (b, a):  # leave the output of a in place to start
        durations.append(_run(_argv(command, data, target)))
        states[data] = tree(target)
    if states[a] == states[b]:
        raise SystemExit(f"{command}: the two data folders give the same output; cannot tell")
    seen = {"old": 0, "new": 0, "killed": 0, "finished": 0, "cleaned": 0}
    current = a
    for i in range(runs):
        new = b if current is a else a
        moment = _moment(rng, _typical(durations))
        killed = _kill_at(_argv(command, new, target), moment, durations)
        seen["killed" if killed else "finished"] += 1
        now = tree(target)
        if now == states[current]:
            seen["old"] += 1
        elif now == states[new]:
            seen["new"] += 1
            current = new
        else:
            raise SystemExit(
                f"{command}: run {i}: the output is neither the old nor the new one: "
                f"differs from the old in {_diff(now, states[current])}, "
                f"from the new in {_diff(now, states[new])}"
            )
        if i % 5 == 4 or i == runs - 1:
            # The next run: it must clean what the killed ones left.
            new = b if current is a else a
            durations.append(_run(_argv(command, new, target)))
            current = new
            if tree(target) != states[new]:
                raise SystemExit(f"{command}: run {i}: the completed run's output is wrong")
            left = leftovers(target)
            if left:
                raise SystemExit(f"{command}: run {i}: left behind after the next run: {left}")
            seen["cleaned"] += 1
    return seen


def regenerate_loop(runs: int, rng: random.Random, scratch: Path) -> dict:
    """Kill ``regenerate`` ``runs`` times; return counts, raise SystemExit if broken."""
    data = scratch / "data"
    shutil.copytree(DATA, data)
    new = {name: (data / name).read_bytes() for name in ("sections.csv", "claims.csv")}
    old = {
        "sections.csv": new["sections.csv"].replace(b"Conflict Resolution", b"Conflict Managing"),
        "claims.csv": new["claims.csv"].replace(b",none\n", b",may\n", 1),
    }
    assert old != new
    argv = _argv("regenerate", data, data)
    seen = {"old": 0, "new": 0, "pending": 0, "killed": 0, "finished": 0, "cleaned": 0}

    def drift() -> None:
        for name, content in old.items():
            (data / name).write_bytes(content)

    drift()
    durations = [_run(argv)]
    for i in range(runs):
        drift()
        killed = _kill_at(argv, _moment(rng, _typical(durations)), durations)
        seen["killed" if killed else "finished"] += 1
        now = {name: (data / name).read_bytes() for name in old}
        if (data / ".regenerate.journal").exists():
            seen["pending"] += 1  # committed: the next run finishes it
        elif now == old:
            seen["old"] += 1
        elif now == new:
            seen["new"] += 1
        else:
            raise SystemExit(f"regenerate: run {i}: one file old and one new, with no journal")
        durations.append(_run(argv))
        now = {name: (data / name).read_bytes() for name in old}
        if now != new:
            raise SystemExit(f"regenerate: run {i}: the next run did not leave both files new")
        left = sorted(p.name for p in data.iterdir() if p.name.startswith("."))
        if left:
            raise SystemExit(f"regenerate: run {i}: left in the data folder: {left}")
        seen["cleaned"] += 1
    return seen


def main(argv: list[str] | None = None) -> int:
    """Run the loops; print one line per command; return 0 if every promise held."""
    parser = argparse.ArgumentParser(prog="python -m tests.fault_loop", description=__doc__)
    parser.add_argument("--runs", type=int, default=30, help="kills per command (default 30)")
    parser.add_argument("--commands", default=",".join(COMMANDS), help="comma-separated")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    print(f"fault loop: seed {seed}, {args.runs} kills per command")
    for command in args.commands.split(","):
        with tempfile.TemporaryDirectory() as scratch:
            start = time.monotonic()
            if command == "regenerate":
                seen = regenerate_loop(args.runs, rng, Path(scratch))
            else:
                seen = folder_loop(command, args.runs, rng, Path(scratch))
            took = time.monotonic() - start
        details = ", ".join(f"{k} {v}" for k, v in seen.items())
        print(f"{command:<10} OK  {details}  ({took:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
