"""Adversarial tests: try to break the seven guarantees of the safety issue.

1. Output folders are ours alone.         (TestOutputFolders)
2. Atomic means the whole folder.         (TestAtomic)
3. No traceback ever reaches a user.      (TestNoTraceback)
4. Offline and local, always.             (TestOffline)
5. Every export stays valid.              (TestExportsStayValid)
6. Error messages point at the right place. (TestRightPlace)
7. Resources are bounded.                 (TestBounded)

Each attack asserts the exit code, the message (file, row, column, value where
they apply) and that no user file or data file changed (every file hashed
before and after). Most attacks call ``main()`` in this process; attacks that
kill a process use real subprocesses and signals. The long variants are
marked ``thorough`` (``pytest --thorough``): the default run keeps one attack
of each kind, the attacks that found bugs and the known breaks.

The attacks share one copy of the data per module (``data_copy`` below): what
a test changes is put back after it, with the shipped modification times, so
the loader reads the tables it did not damage from its cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import html.parser
import io
import json
import os
import re
import shutil
import socket
import stat
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import pytest

import explainer
from explainer import DataError, concept_graph, validate
from explainer.__main__ import main
from explainer._io import STAMP
from explainer.export import EXPORTS, claims_jsonld, graph_json, graphml, mermaid
from explainer.validation import require
from tests._shared_data import shared_data_fixture

from . import fault_loop
from .conftest import DATA, rows

ROOT = DATA.parent
PACKAGE = Path(explainer.__file__).resolve().parent
FIRST_CLAIM = rows("claims")[0]["claim_id"]


# ---------------------------------------------------------------------------
# Helpers

_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _no_drawing(request, monkeypatch):
    """Exports in this module skip drawing the map (0.6 s each), unless a test draws."""
    if "real_png" not in request.fixturenames:
        monkeypatch.setattr("explainer.export._png", lambda G: _PNG)


@pytest.fixture
def real_png():
    """Ask for the real drawing of the concept map in exports."""


# One data copy for the module, put back after each test: the loader serves the
# tables an attack did not damage from its cache (tests/_shared_data.py).
data_copy = shared_data_fixture()


def snapshot(*folders: Path) -> dict[str, str]:
    """Every file and folder under ``folders`` (hidden ones too), with its SHA-256."""
    out = {}
    for folder in folders:
        if not folder.exists():
            out[str(folder)] = "absent"
            continue
        if not folder.is_dir() or folder.is_symlink():
            out[str(folder)] = _digest(folder)
            continue
        for path in sorted(folder.rglob("*")):
            out[str(path)] = "dir" if path.is_dir() and not path.is_symlink() else _digest(path)
    return out


def _digest(path: Path) -> str:
    if path.is_symlink():
        return "link:" + os.readlink(path)
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):  # a pipe or a device: never opened (it would block)
        return f"special:{stat.S_IFMT(mode)}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``explainer ARGV`` in this process; return (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def regenerate_refused(capsys, data_copy: Path, *, watched: tuple[Path, ...]) -> str:
    """Run ``explainer --data-dir DATA_COPY regenerate``: it fails cleanly, changing nothing
    under ``watched``. Return its stderr."""
    before = snapshot(*watched)
    code, _, err = cli(capsys, "--data-dir", data_copy, "regenerate")
    assert_clean_failure(code, err)
    assert snapshot(*watched) == before
    return err


def assert_clean_failure(code: int, err: str, expected_code: int = 1) -> list[str]:
    """The failure is an exit code and plain lines, never a traceback."""
    assert code == expected_code, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert lines, "a failure must say why"
    if expected_code == 1:
        assert all(line.startswith("error: ") for line in lines), err
        assert "bug in explainer" not in err, err
    return lines


def leftovers(target: Path) -> list[str]:
    return fault_loop.leftovers(target) if target.parent.is_dir() else []


def _table(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write_table(path: Path, table: list[list[str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)


def _set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set the cell at spreadsheet row ``row`` (header = 1) of ``column``."""
    table = _table(path)
    table[row - 1][table[0].index(column)] = value
    _write_table(path, table)


def _descriptor(data: Path) -> dict:
    return json.loads((data / "datapackage.json").read_text(encoding="utf-8"))


def _save_descriptor(data: Path, descriptor: dict) -> None:
    (data / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")


def _resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def _killed_run(folder: Path, name: str, token: str) -> Path:
    """Leave the lock file ``.NAME.lock`` a run with ``token`` leaves when it is killed."""
    lock = folder / f".{name}.lock"
    lock.write_text(f"explainer lock {token}\n")
    return lock


def _journal(data: Path, token: str, files: dict[str, bytes]) -> dict:
    """Leave what a regenerate run with ``token`` leaves when killed after its commit point."""
    import hashlib as _hashlib

    _killed_run(data, "regenerate", token)
    moves, digests = {}, {}
    for name, content in files.items():
        tmp = f".{name}.{token}.regenerate.tmp"
        (data / tmp).write_bytes(content)
        moves[tmp], digests[tmp] = name, _hashlib.sha256(content).hexdigest()
    record = {"token": token, "moves": moves, "sha256": digests}
    (data / ".regenerate.journal").write_text(json.dumps(record))
    return record


# ---------------------------------------------------------------------------
# 1. Output folders are ours alone


def _repo(tmp: Path) -> Path:
    repo = tmp / "checkout"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (repo / "pyproject.toml").write_text("[project]\nname = 'mine'\n")
    (repo / "data").mkdir()
    (repo / "data" / "article.txt").write_text("my article\n")
    return repo


def _folder(tmp: Path, name: str, files: dict[str, str]) -> Path:
    folder = tmp / name
    folder.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return folder


def _stamped(tmp: Path, stamp: str, extra: dict[str, str]) -> Path:
    folder = _folder(tmp, "made", extra)
    (folder / STAMP).write_text(stamp)
    return folder


# Each builder returns (target, folders that must not change). The refusal
# must happen whatever the command and whether or not --force is given.
TARGETS = {
    "repository root": lambda t, d: _kept(_repo(t)),
    "folder with .git only": lambda t, d: (_folder(t, "g", {".git/config": "x"}), []),
    "folder with .hg": lambda t, d: (_folder(t, "h", {".hg/store": "x"}), []),
    "folder with pyproject.toml": lambda t, d: (_folder(t, "p", {"pyproject.toml": "x"}), []),
    "folder with setup.py": lambda t, d: (_folder(t, "s", {"setup.py": "x"}), []),
    "notebooks folder": lambda t, d: (_folder(t, "notebooks", {"00-a.ipynb": "{}"}), []),
    "folder holding datapackage.json": lambda t, d: (
        _folder(t, "dp", {"datapackage.json": "{}"}),
        [],
    ),
    "the data folder": lambda t, d: (d, []),
    "inside the data folder": lambda t, d: (d / "site", []),
    "deep inside the data folder": lambda t, d: (d / "a" / "b", []),
    "the folder holding the data folder": lambda t, d: (d.parent, []),
    "the shipped data folder": lambda t, d: (DATA, [DATA]),
    "the package's own folder": lambda t, d: (PACKAGE, [PACKAGE]),
    "the checkout's notebooks": lambda t, d: (ROOT / "notebooks", [ROOT / "notebooks"]),
    "a thesis folder": lambda t, d: (_folder(t, "thesis", {"chapter1.docx": "my work"}), []),
    "a folder with one hidden file": lambda t, d: (_folder(t, "dot", {".bashrc": "x"}), []),
    "a folder with an empty subfolder": lambda t, d: (_folder(t, "e", {"drafts/.keep": ""}), []),
    "a file": lambda t, d: (_folder(t, "f", {"report.pdf": "pdf"}) / "report.pdf", []),
    "a symlink to a file": lambda t, d: _link(t, _folder(t, "f", {"r.txt": "x"}) / "r.txt"),
    "a symlink to a user folder": lambda t, d: _link(t, _folder(t, "u", {"notes.md": "x"})),
    "a symlink loop": lambda t, d: _loop(t),
    "a path under a file": lambda t, d: (_folder(t, "f", {"r.txt": "x"}) / "r.txt" / "site", []),
    "a foreign stamp": lambda t, d: (_stamped(t, '{"tool": "other"}', {"a.txt": "x"}), []),
    "a malformed stamp": lambda t, d: (_stamped(t, "not json", {"a.txt": "x"}), []),
    "a stamp that is a list": lambda t, d: (_stamped(t, "[1, 2]", {"a.txt": "x"}), []),
    "the home folder": lambda t, d: (Path.home(), [Path.home()]),
    "~ (home, unexpanded)": lambda t, d: (Path("~"), [Path.home()]),
    "the folder holding home": lambda t, d: (Path.home().parent, [Path.home()]),
    "the root of the file system": lambda t, d: (Path("/"), []),
}


def _kept(folder: Path) -> tuple[Path, list[Path]]:
    return folder, [folder]


def _link(tmp: Path, to: Path) -> tuple[Path, list[Path]]:
    link = tmp / "link"
    link.symlink_to(to)
    return link, [to]


def _loop(tmp: Path) -> tuple[Path, list[Path]]:
    link = tmp / "loop"
    link.symlink_to(tmp / "loop")
    return link, []


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder holding someone's files (``Path.home()`` reads $HOME)."""
    folder = _folder(tmp_path / "homes", "me", {"thesis.tex": "years of work", ".bashrc": "x"})
    monkeypatch.setenv("HOME", str(folder))
    return folder


# The default run tries one target of each kind (project folders, the data
# folder and its surroundings, the installed package, user folders, files and
# links, stamps, home, the root), and --force on the most dangerous targets;
# mostly with export, which checks the target first (site checks the tables
# first, 0.05-0.1 s), and site on three. --thorough tries every target with
# both commands, with and without --force.
_QUICK_TARGETS = {
    ("repository root", "export", False),
    ("repository root", "export", True),
    ("notebooks folder", "export", False),
    ("the data folder", "site", False),
    ("the data folder", "export", True),
    ("deep inside the data folder", "export", False),
    ("the folder holding the data folder", "export", False),
    ("the package's own folder", "export", False),
    ("a thesis folder", "site", False),
    ("a thesis folder", "export", True),
    ("a file", "site", True),
    ("a symlink loop", "export", False),
    ("a path under a file", "export", False),
    ("a foreign stamp", "export", True),
    ("a malformed stamp", "export", False),
    ("the home folder", "export", True),
    ("~ (home, unexpanded)", "export", False),
    ("the root of the file system", "export", False),
}


def _target_params():
    for name in TARGETS:
        for command in ("export", "site"):
            for force in (False, True):
                quick = (name, command, force) in _QUICK_TARGETS
                yield pytest.param(
                    name,
                    command,
                    force,
                    id=f"{name}-{command}-{'force' if force else 'plain'}",
                    marks=() if quick else pytest.mark.thorough,
                )


class TestOutputFolders:
    @pytest.mark.parametrize(("name", "command", "force"), list(_target_params()))
    def test_a_folder_we_did_not_make_is_refused(
        self, name, command, force, tmp_path, home, data_copy, capsys
    ):
        target, keep = TARGETS[name](tmp_path, data_copy)
        watched = [tmp_path, data_copy.parent, *keep]
        top = sorted(os.listdir("/"))
        before = snapshot(*watched)
        # Targets about the data folder use the copy; the others the shipped
        # data, already read and cached (the refusal is what is tested).
        data = ["--data-dir", data_copy] if "data folder" in name else []
        argv = [*data, command, target] + (["--force"] if force else [])
        code, out, err = cli(capsys, *argv)
        lines = assert_clean_failure(code, err)
        assert len(lines) == 1, err
        shown = str(target.expanduser().absolute()) if name != "a symlink loop" else "loop"
        assert shown in err or str(target.expanduser().resolve()) in err, err
        assert "refusing to write here" in err or "cannot write the output" in err, err
        assert out == ""
        assert snapshot(*watched) == before
        assert sorted(os.listdir("/")) == top

    def test_the_messages_say_why(self, tmp_path, home, data_copy, capsys):
        why = {
            "repository root": "somebody's work",
            "notebooks folder": "notebooks",
            "the data folder": "inside the data directory",
            "the folder holding the data folder": "this folder holds",
            "a thesis folder": "explainer did not make it",
            "a file": "is a file",
            "the home folder": "home folder",
            "the root of the file system": "root of the file system",
            "a path under a file": "is a file, so no folder can be made in it",
        }
        for name, words in why.items():
            target, _ = TARGETS[name](tmp_path / name.replace(" ", "_"), data_copy)
            if not target.parent.exists():
                target.parent.mkdir(parents=True)
            code, _, err = cli(capsys, "--data-dir", data_copy, "export", target)
            assert code == 1 and words in err, (name, err)

    @pytest.mark.parametrize("command", ["export", "site"])
    def test_extra_files_in_our_folder_need_force(self, command, tmp_path, capsys):
        target = tmp_path / "out"
        target.mkdir()
        (target / STAMP).write_text(json.dumps({"tool": "explainer", "files": ["a.txt"]}))
        (target / "a.txt").write_text("ours")
        (target / "mine.txt").write_text("the user's")
        before = snapshot(tmp_path)
        code, _, err = cli(capsys, command, target)
        assert_clean_failure(code, err)
        assert "mine.txt" in err and "--force" in err
        assert snapshot(tmp_path) == before

    def test_force_replaces_only_our_folder(self, tmp_path, capsys):
        target = tmp_path / "out"
        target.mkdir()
        (target / STAMP).write_text(json.dumps({"tool": "explainer", "files": []}))
        (target / "old.txt").write_text("x")
        code, _, err = cli(capsys, "export", "--force", target)
        assert code == 0, err
        assert sorted(p.name for p in target.iterdir()) == sorted([*EXPORTS, STAMP])
        assert leftovers(target) == []

    @pytest.mark.parametrize("state", ["missing", "empty"])
    def test_new_or_empty_folders_are_written(self, state, tmp_path, capsys):
        target = tmp_path / "out"
        if state == "empty":
            target.mkdir()
        code, out, err = cli(capsys, "export", target)
        assert code == 0, err
        assert out.count("wrote ") == len(EXPORTS)
        assert json.loads((target / STAMP).read_text())["kind"] == "export"

    def test_a_second_run_replaces_our_own_folder(self, tmp_path, capsys):
        target = tmp_path / "out"
        assert cli(capsys, "export", target)[0] == 0
        (target / "concept-map.mmd").write_text("edited")  # ours, listed in the stamp
        assert cli(capsys, "export", target)[0] == 0
        assert (target / "concept-map.mmd").read_text().startswith("flowchart")


# ---------------------------------------------------------------------------
# 2. Atomic means the whole folder


def _release(holder: subprocess.Popen) -> None:
    holder.kill()
    holder.wait()
    holder.stdout.close()


def _hold_lock(lock: Path) -> subprocess.Popen:
    """Start a process that holds ``lock`` (flock) until killed; wait until it does."""
    code = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


class TestAtomic:
    @pytest.mark.parametrize("command", ["export", "site"])
    def test_a_second_build_at_the_same_time_is_refused_clearly(self, command, tmp_path, capsys):
        target = tmp_path / "out"
        holder = _hold_lock(tmp_path / ".out.lock")
        try:
            before = snapshot(tmp_path)
            code, _, err = cli(capsys, command, target)
        finally:
            _release(holder)
        assert_clean_failure(code, err)
        assert "another explainer process is writing here" in err and str(target) in err
        assert snapshot(tmp_path) == before

    def test_regenerate_at_the_same_time_is_refused_clearly(self, data_copy, capsys):
        holder = _hold_lock(data_copy / ".regenerate.lock")
        try:
            before = snapshot(data_copy)
            code, _, err = cli(capsys, "--data-dir", data_copy, "regenerate")
        finally:
            _release(holder)
        assert_clean_failure(code, err)
        assert "another explainer process" in err
        assert snapshot(data_copy) == before

    def test_a_released_lock_does_not_block(self, tmp_path, capsys):
        lock = _killed_run(tmp_path, "out", "0123456789abcdef")
        fd = os.open(lock, os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.close(fd)  # released: a lock file left by a killed build
        code, _, err = cli(capsys, "export", tmp_path / "out")
        assert code == 0, err
        assert leftovers(tmp_path / "out") == []

    def test_leftovers_of_killed_builds_are_cleaned(self, tmp_path, capsys):
        target = tmp_path / "out"
        token = "0123456789abcdef"
        _killed_run(tmp_path, "out", token)
        for name in (f".out.{token}.tmp", f".out.{token}.old"):
            _folder(tmp_path, name, {"half.png": "x"})
        _folder(tmp_path, ".other.abcd1234.tmp", {"a": "x"})  # not ours: kept
        code, _, err = cli(capsys, "export", target)
        assert code == 0, err
        assert sorted(p.name for p in tmp_path.iterdir()) == [".other.abcd1234.tmp", "out"]

    def test_killed_between_the_two_renames_is_repaired(self, tmp_path, capsys):
        target = tmp_path / "out"
        assert cli(capsys, "export", target)[0] == 0
        old = tmp_path / ".out.1a2b3c4d5e6f7a8b.old"
        os.rename(target, old)  # the state after "old moved away", before "new moved in"
        _killed_run(tmp_path, "out", "1a2b3c4d5e6f7a8b")
        code, _, err = cli(capsys, "export", target)
        assert code == 0, err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
        assert sorted(p.name for p in target.iterdir()) == sorted([*EXPORTS, STAMP])

    def test_a_failure_midway_keeps_the_old_set(self, tmp_path, capsys, monkeypatch):
        target = tmp_path / "out"
        assert cli(capsys, "export", target)[0] == 0
        before = snapshot(tmp_path)

        def no_space(self, data):
            raise OSError(28, "No space left on device", str(self))

        monkeypatch.setattr(Path, "write_bytes", no_space)
        code, _, err = cli(capsys, "export", target)
        monkeypatch.undo()
        assert_clean_failure(code, err)
        assert "No space left on device" in err
        assert snapshot(tmp_path) == before

    @pytest.mark.parametrize("command", ["export", "site"])
    def test_an_unwritable_place_is_a_clear_error(self, command, capsys):
        # /proc refuses new files even to root: a folder nobody may write.
        target = Path("/proc/explainer-test-output")
        code, _, err = cli(capsys, command, target)
        assert_clean_failure(code, err)
        assert "cannot write the output" in err and "/proc" in err
        assert not target.exists()

    def test_a_read_only_parent_is_a_clear_error(self, tmp_path, capsys, monkeypatch):
        real = Path.mkdir

        def denied(self, *args, **kwargs):
            if self.name.endswith(".tmp"):
                raise PermissionError(13, "Permission denied", str(tmp_path))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, "mkdir", denied)
        code, _, err = cli(capsys, "export", tmp_path / "out")
        monkeypatch.undo()
        assert_clean_failure(code, err)
        assert "Permission denied" in err and str(tmp_path) in err
        assert sorted(p.name for p in tmp_path.iterdir()) == []

    # regenerate: sections.csv and claims.csv change as one step

    @staticmethod
    def _drift(data: Path) -> dict[str, bytes]:
        new = {n: (data / n).read_bytes() for n in ("sections.csv", "claims.csv")}
        (data / "sections.csv").write_bytes(
            new["sections.csv"].replace(b"Conflict Resolution", b"Conflict X")
        )
        (data / "claims.csv").write_bytes(new["claims.csv"].replace(b",none\n", b",may\n", 1))
        return new

    def test_regenerate_undoes_an_uncommitted_run(self, data_copy, capsys):
        new = self._drift(data_copy)
        _killed_run(data_copy, "regenerate", "0123456789abcdef")
        tmp = data_copy / ".sections.csv.0123456789abcdef.regenerate.tmp"
        tmp.write_bytes(b"half")  # no journal
        code, _, err = cli(capsys, "--data-dir", data_copy, "regenerate")
        assert code == 0, err
        assert {n: (data_copy / n).read_bytes() for n in new} == new
        assert not [p for p in data_copy.iterdir() if p.name.startswith(".")]

    def test_regenerate_finishes_a_committed_run(self, data_copy, capsys):
        new = self._drift(data_copy)
        # Killed after the journal and the first rename: sections new, claims pending.
        (data_copy / "sections.csv").write_bytes(new["sections.csv"])
        _journal(data_copy, "0123456789abcdef", {"claims.csv": new["claims.csv"]})
        moves = {".sections.csv.0123456789abcdef.regenerate.tmp": "sections.csv"}
        record = json.loads((data_copy / ".regenerate.journal").read_text())
        record["moves"].update(moves)  # already moved: the journal still names it
        (data_copy / ".regenerate.journal").write_text(json.dumps(record))
        code, _, err = cli(capsys, "--data-dir", data_copy, "regenerate")
        assert code == 0, err
        assert {n: (data_copy / n).read_bytes() for n in new} == new
        assert not [p for p in data_copy.iterdir() if p.name.startswith(".")]

    @pytest.mark.parametrize(
        "journal", ["not json", "[]", '{"../../etc/passwd": "claims.csv"}', '{"a": 1}']
    )
    def test_a_damaged_journal_is_refused(self, journal, data_copy, capsys):
        (data_copy / ".regenerate.journal").write_text(journal)
        err = regenerate_refused(capsys, data_copy, watched=(data_copy,))
        assert ".regenerate.journal" in err

    def test_regenerate_failing_before_the_commit_leaves_both_old(
        self, data_copy, capsys, monkeypatch
    ):
        self._drift(data_copy)
        before = snapshot(data_copy)
        real = os.replace

        def fail_on_journal(src, dst):
            if str(dst).endswith(".regenerate.journal"):
                raise OSError(28, "No space left on device", str(dst))
            return real(src, dst)

        monkeypatch.setattr(os, "replace", fail_on_journal)
        code, _, err = cli(capsys, "--data-dir", data_copy, "regenerate")
        monkeypatch.undo()
        assert_clean_failure(code, err)
        assert snapshot(data_copy) == before

    def test_regenerate_never_rewrites_a_broken_claims_table(self, data_copy, capsys):
        path = data_copy / "claims.csv"
        path.write_bytes(path.read_bytes()[:-40])  # cut inside the last row
        err = regenerate_refused(capsys, data_copy, watched=(data_copy,))
        assert "claims.csv" in err

    def test_regenerate_killed_while_it_writes_is_old_or_finished_by_the_next_run(
        self, data_copy, capsys
    ):
        """A real process, killed by SIGKILL as soon as its first temporary file appears."""
        new = self._drift(data_copy)
        old = {n: (data_copy / n).read_bytes() for n in new}
        journal = data_copy / ".regenerate.journal"
        written = [f"{data_copy}/.{n}.*.regenerate.tmp" for n in new]
        fault_loop.kill_when(
            fault_loop._argv("regenerate", data_copy, data_copy), [*written, journal]
        )
        now = {n: (data_copy / n).read_bytes() for n in new}
        if not journal.exists():  # no journal: not committed, so both old; or it finished
            assert now in (old, new)
        code, _, err = cli(capsys, "--data-dir", data_copy, "regenerate")
        assert code == 0, err
        assert {n: (data_copy / n).read_bytes() for n in new} == new
        assert not [p for p in data_copy.iterdir() if p.name.startswith(".")]

    @pytest.mark.thorough
    def test_regenerate_killed_at_random_is_both_old_or_both_new(self, tmp_path):
        import random

        seen = fault_loop.regenerate_loop(1, random.Random(11), tmp_path)
        assert seen["cleaned"] == 1

    @pytest.mark.thorough
    @pytest.mark.parametrize("command", ["export", "site", "regenerate"])
    def test_fault_loop(self, command, tmp_path):
        """The full loop: 30 kills at random moments (also ``python -m tests.fault_loop``)."""
        import random

        rng = random.Random(command)
        if command == "regenerate":
            seen = fault_loop.regenerate_loop(30, rng, tmp_path)
        else:
            seen = fault_loop.folder_loop(command, 30, rng, tmp_path)
        assert seen["cleaned"] >= 6

    @pytest.mark.thorough
    def test_two_real_exports_at_once(self, tmp_path):
        target = tmp_path / "out"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        argv = [sys.executable, "-m", "explainer", "export", str(target)]
        procs = [
            subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(3)
        ]
        results = [(p.wait(), p.communicate()[1].decode()) for p in procs]
        assert any(code == 0 for code, _ in results)
        for code, err in results:
            assert code in (0, 1) and "Traceback" not in err
            if code == 1:
                assert "another explainer process is writing here" in err
        assert sorted(p.name for p in target.iterdir()) == sorted([*EXPORTS, STAMP])
        assert leftovers(target) == []


# ---------------------------------------------------------------------------
# 3. No traceback ever reaches a user


def _cycle(d: Path) -> str:
    table = _table(d / "sections.csv")
    ids = [r[0] for r in table[1:]]
    a, b = ids[1], ids[2]
    col = table[0].index("parent_id")
    for r in table[1:]:
        if r[0] == a:
            r[col] = b
        if r[0] == b:
            r[col] = a
    _write_table(d / "sections.csv", table)
    return "sections.csv"


def _overflow(d: Path) -> str:
    _set_cell(d / "sections.csv", 3, "start", "99999999999999999999999")
    return "sections.csv"


def _missing_concept(d: Path) -> str:
    _set_cell(d / "relations.csv", 2, "target", "no_such_concept")
    return "relations.csv"


def _truncated_claims(d: Path) -> str:
    path = d / "claims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('"', len(text) // 2) + 5], encoding="utf-8")
    return "claims.csv"


def _empty_claims(d: Path) -> str:
    (d / "claims.csv").write_bytes(b"")
    return "claims.csv"


def _bom_only_claims(d: Path) -> str:
    (d / "claims.csv").write_bytes(b"\xef\xbb\xbf")
    return "claims.csv"


def _latin1_claims(d: Path) -> str:
    with (d / "claims.csv").open("ab") as fh:
        fh.write("c999,intro,caf\u00e9\n".encode("latin-1"))
    return "claims.csv"


def _claims_is_a_folder(d: Path) -> str:
    (d / "claims.csv").unlink()
    (d / "claims.csv").mkdir()
    return "claims.csv"


def _claims_missing(d: Path) -> str:
    (d / "claims.csv").unlink()
    return "claims.csv"


def _huge_cell_claims(d: Path) -> str:
    _set_cell(d / "claims.csv", 4, "statement", "x" * 200_000)
    return "claims.csv"


def _nul_claims(d: Path) -> str:
    _set_cell(d / "claims.csv", 3, "claim_type", "evaluative\x00")
    return "claims.csv"


def _descriptor_missing(d: Path) -> str:
    (d / "datapackage.json").unlink()
    return "datapackage.json"


def _descriptor_malformed(d: Path) -> str:
    path = d / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8")[:-25], encoding="utf-8")
    return "datapackage.json"


def _descriptor_list(d: Path) -> str:
    (d / "datapackage.json").write_text("[]")
    return "datapackage.json"


def _descriptor_deep(d: Path) -> str:
    (d / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000)
    return "datapackage.json"


def _descriptor_without_claims(d: Path) -> str:
    desc = _descriptor(d)
    desc["resources"] = [r for r in desc["resources"] if r["name"] != "claims"]
    _save_descriptor(d, desc)
    return "datapackage.json"


def _descriptor_wrong_types(d: Path) -> str:
    desc = _descriptor(d)
    _resource(desc, "claims")["schema"]["fields"][0] = {"name": 7, "type": []}
    _save_descriptor(d, desc)
    return "datapackage.json"


def _article_missing(d: Path) -> str:
    (d / "article.txt").unlink()
    return "article.txt"


# name -> (corrupt, the commands it must make fail; the others must succeed)
ALL = {"validate", "tables", "show", "trace", "about", "export", "site", "regenerate"}
LOADERS = {"validate", "tables", "trace", "about", "export", "site"}
CORRUPTIONS = {
    "parent_id cycle": (_cycle, {"validate", "trace", "about", "export", "site"}),
    "int64 overflow": (_overflow, LOADERS),
    "relation to a missing concept": (_missing_concept, {"validate", "about", "export", "site"}),
    "truncated claims.csv": (_truncated_claims, ALL),
    "empty claims.csv": (_empty_claims, ALL),
    "claims.csv only a BOM": (_bom_only_claims, ALL),
    "claims.csv not UTF-8": (_latin1_claims, ALL),
    "claims.csv is a folder": (_claims_is_a_folder, ALL),
    "claims.csv missing": (_claims_missing, ALL - {"regenerate"}),
    "a cell over the CSV field limit": (_huge_cell_claims, ALL),
    "a NUL byte in a cell": (_nul_claims, ALL),
    "datapackage.json missing": (_descriptor_missing, ALL),
    "datapackage.json cut short": (_descriptor_malformed, ALL),
    "datapackage.json a list": (_descriptor_list, ALL),
    "datapackage.json nested 200,000 deep": (_descriptor_deep, ALL),
    "datapackage.json without claims": (_descriptor_without_claims, ALL),
    "datapackage.json with wrong types": (_descriptor_wrong_types, ALL),
    "article.txt missing": (_article_missing, {"validate", "trace", "about", "site", "regenerate"}),
}


def _argv(command: str, out: Path) -> list:
    return {
        "validate": ["validate"],
        "tables": ["tables"],
        "show": ["show", "claims", "--limit", "2"],
        "trace": ["trace", FIRST_CLAIM],
        "about": ["about", "oxytocin"],
        "export": ["export", out],
        "site": ["site", out],
        "regenerate": ["regenerate"],
    }[command]


# The default run: validate on one corruption of each kind (a loop, a broken
# key, a broken file, bytes, a size limit, the descriptor's shape and depth, a
# missing file); the other commands on the known breaks below; the rest, and
# every corruption with every command, with --thorough.
_QUICK = {
    ("parent_id cycle", "validate"),
    ("relation to a missing concept", "validate"),
    ("truncated claims.csv", "validate"),
    ("claims.csv not UTF-8", "validate"),
    ("claims.csv is a folder", "validate"),
    ("a cell over the CSV field limit", "validate"),
    ("a NUL byte in a cell", "validate"),
    ("datapackage.json nested 200,000 deep", "validate"),
    ("datapackage.json with wrong types", "validate"),
    ("article.txt missing", "validate"),
    ("datapackage.json with wrong types", "about"),
    ("claims.csv not UTF-8", "about"),
    ("relation to a missing concept", "about"),
}


def _broken_params():
    for corruption in CORRUPTIONS:
        for command in sorted(ALL):
            quick = (corruption, command) in _QUICK
            yield pytest.param(
                corruption,
                command,
                id=f"{corruption}-{command}",
                marks=() if quick else pytest.mark.thorough,
            )


class TestNoTraceback:
    @pytest.mark.parametrize(("corruption", "command"), list(_broken_params()))
    def test_broken_data_gives_one_line_per_problem(
        self, corruption, command, tmp_path, data_copy, capsys
    ):
        corrupt, fails = CORRUPTIONS[corruption]
        if command in {"export", "site"} and command not in fails:
            pytest.skip("builds the whole output: covered by the site and export tests")
        file = corrupt(data_copy)
        out = tmp_path / "out"
        before = snapshot(data_copy)
        start = time.monotonic()
        code, _, err = cli(capsys, "--data-dir", data_copy, *_argv(command, out))
        assert time.monotonic() - start < 30
        if command in fails:
            assert_clean_failure(code, err)
            assert file in err, err
            assert not out.exists() and leftovers(out) == []
            assert snapshot(data_copy) == before
        else:
            assert code == 0, err
            assert "Traceback" not in err
            if command != "regenerate":
                assert snapshot(data_copy) == before

    def test_trace_of_a_cycle_stops_and_names_it(self, data_copy, capsys):
        _cycle(data_copy)
        start = time.monotonic()
        code, _, err = cli(capsys, "--data-dir", data_copy, "trace", FIRST_CLAIM)
        assert time.monotonic() - start < 10
        assert_clean_failure(code, err)
        assert "goes round in a loop" in err and "column 'parent_id'" in err

    def test_an_integer_too_large_names_its_cell(self, data_copy, capsys):
        _overflow(data_copy)
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert_clean_failure(code, err)
        assert "sections.csv, row 3, column 'start', value '99999999999999999999999'" in err
        assert "too large" in err

    def test_a_missing_concept_stops_export_before_it_writes(self, data_copy, tmp_path, capsys):
        _missing_concept(data_copy)
        code, _, err = cli(capsys, "--data-dir", data_copy, "export", tmp_path / "out")
        assert_clean_failure(code, err)
        assert "relations.csv, row 2, column 'target', value 'no_such_concept'" in err
        assert not (tmp_path / "out").exists()

    @pytest.mark.parametrize(
        "argv",
        [
            [],
            ["nonsense"],
            ["show"],
            ["show", "no_such_table"],
            ["show", "claims", "--where", "nocolumn=1"],
            ["show", "claims", "--where", "no-equals-sign"],
            ["show", "claims", "--limit", "-1"],
            ["show", "claims", "--limit", "many"],
            ["trace", "c_no_such_claim"],
            ["trace"],
            ["export"],
            ["site"],
            ["--data-dir"],
            ["site", "out", "--bogus"],
            ["validate", "extra"],
        ],
        ids=lambda a: " ".join(a) or "no command",
    )
    def test_usage_errors_exit_2(self, argv, capsys):
        code, _, err = cli(capsys, *argv)
        assert code == 2
        assert "Traceback" not in err

    def test_a_closed_pipe_is_quiet(self, capsys, monkeypatch):
        class Closed(io.TextIOWrapper):
            def write(self, text):
                raise BrokenPipeError(32, "Broken pipe")

        monkeypatch.setattr(sys, "stdout", Closed(io.BytesIO()))
        code = main(["show", "claims"])
        monkeypatch.undo()
        assert code == 141
        assert capsys.readouterr().err == ""

    def test_tables_into_head_is_quiet(self):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cmd = f"{sys.executable} -m explainer show claims | head -c 20"
        done = subprocess.run(
            ["bash", "-c", cmd], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0
        assert len(done.stdout) == 20
        assert done.stderr == ""

    def test_an_unexpected_error_is_one_line(self, capsys, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("something odd\nover two lines")

        monkeypatch.setattr(sys.modules["explainer.tables"], "describe", broken)
        code, _, err = cli(capsys, "tables")
        assert code == 1
        assert err.count("\n") == 1 and "Traceback" not in err
        assert "RuntimeError: something odd over two lines" in err

    def test_interrupted_is_quiet(self, capsys, monkeypatch):
        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr(sys.modules["explainer.validation"], "validate", interrupted)
        code, _, err = cli(capsys, "validate")
        assert code == 130 and err == "explainer: interrupted\n"


# ---------------------------------------------------------------------------
# 4. Offline and local, always


class Listener:
    """A TCP listener on 127.0.0.1 that counts every connection it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def _url(port: int, name: str) -> str:
    return f"http://127.0.0.1:{port}/{name}"


# name -> (where: the package or the claims resource, key, value given the port)
REMOTE = {
    "package profile": ("package", "profile", lambda p: _url(p, "profile.json")),
    "package $schema": ("package", "$schema", lambda p: _url(p, "schema.json")),
    "resource profile": ("claims", "profile", lambda p: _url(p, "profile.json")),
    "dialect URL": ("claims", "dialect", lambda p: _url(p, "dialect.json")),
    "schema URL": ("claims", "schema", lambda p: _url(p, "schema.json")),
    "path http": ("claims", "path", lambda p: _url(p, "claims.csv")),
    "path https": ("claims", "path", lambda p: f"https://127.0.0.1:{p}/claims.csv"),
    "path file URL": ("claims", "path", lambda p: "file:///etc/passwd"),
    "path ftp": ("claims", "path", lambda p: f"ftp://127.0.0.1:{p}/claims.csv"),
    "path upward": ("claims", "path", lambda p: "../claims.csv"),
    "path absolute": ("claims", "path", lambda p: "/etc/passwd"),
    "path in a subfolder": ("claims", "path", lambda p: "sub/claims.csv"),
    "path with backslashes": ("claims", "path", lambda p: "..\\claims.csv"),
    "path list": ("claims", "path", lambda p: ["claims.csv", _url(p, "more.csv")]),
    "foreign key to a URL": (
        "schema",
        "foreignKeys",
        lambda p: [
            {"fields": "section_id", "reference": {"resource": _url(p, "x"), "fields": "id"}}
        ],
    ),
}


def _remote(name: str):
    where, key, value = REMOTE[name]

    def change(d: Path, port: int) -> str:
        desc = _descriptor(d)
        claims = _resource(desc, "claims")
        part = {"package": desc, "claims": claims, "schema": claims["schema"]}[where]
        part[key] = value(port)
        _save_descriptor(d, desc)
        return "datapackage.json"

    return change


def _symlink(name: str):
    def change(d: Path, port: int) -> str:
        outside = d.parent / f"outside-{name}"
        shutil.copyfile(d / name, outside)
        (d / name).unlink()
        (d / name).symlink_to(outside)
        return name

    return change


LOCAL_ATTACKS = {k: _remote(k) for k in REMOTE} | {
    "claims.csv links outside": _symlink("claims.csv"),
    "datapackage.json links outside": _symlink("datapackage.json"),
    "article.txt links outside": _symlink("article.txt"),
}


# The default run: validate on one attack of each kind (a remote profile or
# schema, a remote path of each scheme family, paths that leave the folder, a
# list of paths, a remote foreign key, links out of the folder), and tables on
# the attack it must let through; every attack with both commands with --thorough.
_QUICK_LOCAL = {
    ("package profile", "validate"),
    ("schema URL", "validate"),
    ("path http", "validate"),
    ("path file URL", "validate"),
    ("path upward", "validate"),
    ("path with backslashes", "validate"),
    ("path list", "validate"),
    ("foreign key to a URL", "validate"),
    ("claims.csv links outside", "validate"),
    ("datapackage.json links outside", "tables"),
    ("article.txt links outside", "validate"),
    ("article.txt links outside", "tables"),
}


def _local_params():
    for attack in LOCAL_ATTACKS:
        for command in ("validate", "tables"):
            yield pytest.param(
                attack,
                command,
                id=f"{attack}-{command}",
                marks=() if (attack, command) in _QUICK_LOCAL else pytest.mark.thorough,
            )


class TestOffline:
    @pytest.mark.parametrize(("attack", "command"), list(_local_params()))
    def test_nothing_is_read_from_elsewhere(self, attack, command, data_copy, listener, capsys):
        file = LOCAL_ATTACKS[attack](data_copy, listener.port)
        before = snapshot(data_copy, data_copy.parent)
        code, _, err = cli(capsys, "--data-dir", data_copy, command)
        if command == "tables" and attack == "article.txt links outside":
            assert code == 0, err  # `tables` does not read the article
        else:
            assert_clean_failure(code, err)
            assert f"error: {file}" in err, err
        assert listener.connections == 0
        assert snapshot(data_copy, data_copy.parent) == before

    def test_the_listener_would_have_seen_a_request(self, listener):
        # The proof above is only as good as the listener: it does count.
        with socket.create_connection(("127.0.0.1", listener.port), timeout=2):
            pass
        deadline = time.monotonic() + 2
        while listener.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert listener.connections == 1

    def test_validation_opens_no_socket(self, data_copy, monkeypatch):
        def no_network(*args, **kwargs):
            raise AssertionError("validation tried to open a connection")

        monkeypatch.setattr(socket.socket, "connect", no_network)
        monkeypatch.setattr(socket, "create_connection", no_network)
        validate(data_copy)
        _missing_concept(data_copy)
        with pytest.raises(DataError):
            validate(data_copy)


# ---------------------------------------------------------------------------
# 5. Every export stays valid in its own format


HOSTILE = {
    "control characters": "a\x00b\x01c\x07d\x08e\x0bf\x0cg\x1bh\x1f",
    "noncharacters": "a\ufffeb\uffff",
    "xml markup": "</data></node></graphml><evil/>",
    "cdata end": "]]><![CDATA[",
    "xml entities": "&amp; &lt; &#0; &#x1; &bogus;",
    "script": "<script>alert(1)</script>",
    "event attribute": '" onmouseover="alert(1)" x="',
    "img onerror": "<img src=x onerror=alert(1)>",
    "double quotes": 'say "hi" and "bye"',
    "single quotes": "it's 'quoted'",
    "mermaid arrow": "A-->B; C---D",
    "mermaid brackets": '"]; click end call alert(1); x["',
    "mermaid entity": "#quot; #35; #9829;",
    "mermaid directive": "%%{init: {'securityLevel': 'loose'}}%%",
    "pipes": "a | b || c",
    "backticks": "`code` ```fence```",
    "braces": "{{ template }} ${x}",
    "newlines": "one\ntwo\r\nthree\rfour",
    "tabs": "a\tb",
    "right-to-left override": "abc\u202edcba",
    "emoji": "intimacy \U0001f49e",
    "backslashes": "C:\\path\\n\\u0000",
    "json breakers": '"}], "nodes": [{"id": "x',
    "very long": "long " * 20_000,
    "NaN word": "NaN",
}

MERMAID_NODE = re.compile(r'    ([A-Za-z][A-Za-z0-9_]*)\["([^"\n]*)"\](:::[a-z_]+)?')
_ID = r"([A-Za-z][A-Za-z0-9_]*)"
MERMAID_EDGE = re.compile(rf'    {_ID} (-->|-\.->)\|"([^"\n]*)"\| {_ID}')
MERMAID_RESERVED = {"end", "graph", "flowchart", "subgraph", "style", "class", "classdef", "click"}


def _check_formats(G, reviews) -> None:
    """Read every export back with its format's own parser."""
    H = nx.read_graphml(io.BytesIO(graphml(G).encode("utf-8")), force_multigraph=True)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    data = json.loads(graph_json(G))
    back = nx.node_link_graph(data, edges="edges")
    assert back.number_of_edges() == G.number_of_edges()
    assert isinstance(json.loads(claims_jsonld(reviews)), list)
    lines = mermaid(G).splitlines()
    assert lines[0] == "flowchart LR"
    ids = set()
    for line in lines[1:]:
        node, edge = MERMAID_NODE.fullmatch(line), MERMAID_EDGE.fullmatch(line)
        assert node or edge or line.startswith("    classDef "), line[:200]
        if node:
            ids.add(node[1])
            assert node[1].lower() not in MERMAID_RESERVED
            assert not set(node[2]) & set('<>"[]|`')
        if edge:
            assert edge[1] in ids and edge[4] in ids
            assert not set(edge[3]) & set('<>"[]|`')
    assert len(ids) == G.number_of_nodes()


def _hostile(text: str, concept_id: str = "hostile"):
    """The shipped concept map and reviews with ``text`` in every free-text place."""
    from explainer.audit import claim_reviews

    G = concept_graph()
    G.add_node(concept_id, label=text, kind="state", description=text)
    first = next(iter(G.edges(data=True)))[2]
    G.add_edge(concept_id, "sex", key="r999", **{**first, "relation_id": "r999", "link": text})
    reviews = claim_reviews()
    reviews[0]["claimReviewed"] = text
    reviews[0]["itemReviewed"] = {"text": text, text[:20]: [text, None, float("nan")]}
    return G, reviews


def _plant(d: Path, text: str, concept_id: str = "hostile") -> None:
    """Add a concept and a relation carrying ``text`` everywhere free text goes."""
    concepts = _table(d / "concepts.csv")
    header = concepts[0]
    row = [""] * len(header)
    values = {"concept_id": concept_id, "label": text, "kind": "state", "description": text}
    for column, value in values.items():
        row[header.index(column)] = value
    concepts.append(row)
    _write_table(d / "concepts.csv", concepts)
    relations = _table(d / "relations.csv")
    header = relations[0]
    first = dict(zip(header, relations[1], strict=True))
    first.update(relation_id="r999", source=concept_id, link=text)
    relations.append([first[c] for c in header])
    _write_table(d / "relations.csv", relations)
    _set_cell(d / "claims.csv", 2, "statement", text[:75])  # the schema's maxLength


RESERVED_IDS = ["end", "graph", "subgraph", "click", "style", "classdef", "n0", "o", "x"]


class TestExportsStayValid:
    def test_every_hostile_text_and_reserved_id_reads_back_at_once(self):
        """One map holding every hostile text and every reserved id (one concept each).

        The default run's version of the two tests below (one export per text,
        run with --thorough): each text sits in its own concept, relation and
        review, so every one goes through every format.
        """
        from explainer.audit import claim_reviews

        G = concept_graph()
        reviews = claim_reviews()
        first = next(iter(G.edges(data=True)))[2]
        texts = [(f"hostile{i}", text) for i, text in enumerate(HOSTILE.values())]
        texts += [(concept_id, "a label") for concept_id in RESERVED_IDS]
        assert len(reviews) >= len(texts)
        for i, (concept_id, text) in enumerate(texts):
            G.add_node(concept_id, label=text, kind="state", description=text)
            relation = {**first, "relation_id": f"r9{i:02d}", "link": text}
            G.add_edge(concept_id, "sex", key=f"r9{i:02d}", **relation)
            reviews[i]["claimReviewed"] = text
            reviews[i]["itemReviewed"] = {"text": text, text[:20]: [text, None, float("nan")]}
        _check_formats(G, reviews)

    @pytest.mark.thorough
    @pytest.mark.parametrize("name", list(HOSTILE))
    def test_hostile_text_reads_back(self, name):
        G, reviews = _hostile(HOSTILE[name])
        _check_formats(G, reviews)

    @pytest.mark.thorough
    @pytest.mark.parametrize("concept_id", RESERVED_IDS)
    def test_reserved_mermaid_ids(self, concept_id):
        G, reviews = _hostile("a label", concept_id)
        _check_formats(G, reviews)

    @pytest.mark.thorough
    @pytest.mark.parametrize("name", list(HOSTILE))
    def test_hostile_text_through_the_tables(self, name, data_copy):
        from explainer.audit import claim_reviews

        _plant(data_copy, HOSTILE[name])
        require(data_dir=data_copy)
        G = concept_graph(data_dir=data_copy)
        _check_formats(G, claim_reviews(data_dir=data_copy))

    def test_text_survives_where_the_format_allows_it(self, data_copy):
        text = HOSTILE["control characters"] + HOSTILE["script"] + HOSTILE["emoji"]
        _plant(data_copy, text)
        G = concept_graph(data_dir=data_copy)
        H = nx.read_graphml(io.BytesIO(graphml(G).encode("utf-8")), force_multigraph=True)
        label = H.nodes["hostile"]["label"]
        assert "<script>alert(1)</script>" in label and "\U0001f49e" in label
        assert "\x00" not in label and "\ufffd" in label
        back = json.loads(graph_json(G))
        node = next(n for n in back["nodes"] if n["id"] == "hostile")
        assert node["label"] == text  # JSON can say everything: nothing lost

    def test_the_cli_export_of_hostile_data_parses(self, data_copy, tmp_path, capsys, real_png):
        _plant(data_copy, "".join(v for k, v in HOSTILE.items() if k != "very long"))
        target = tmp_path / "out"
        code, _, err = cli(capsys, "--data-dir", data_copy, "export", target)
        assert code == 0, err
        nx.read_graphml(target / "concept-map.graphml")
        json.loads((target / "concept-map.json").read_text(encoding="utf-8"))
        json.loads((target / "claims.jsonld").read_text(encoding="utf-8"))

    def test_the_site_of_hostile_data_has_no_injected_markup(self, data_copy, tmp_path, capsys):
        text = HOSTILE["script"] + HOSTILE["event attribute"] + HOSTILE["img onerror"]
        desc = _descriptor(data_copy)
        for res in desc["resources"]:
            res["title"] = text
            res["description"] = text
        _save_descriptor(data_copy, desc)
        _plant(data_copy, text)
        notebooks = tmp_path / "notebooks"
        notebooks.mkdir()
        shutil.copy(ROOT / "notebooks" / "00-start-here.ipynb", notebooks)
        target = tmp_path / "site"
        code, _, err = cli(
            capsys, "--data-dir", data_copy, "site", target, "--notebooks-dir", notebooks
        )
        assert code == 0, err
        for page in target.glob("*.html"):
            finder = _Markup()
            finder.feed(page.read_text(encoding="utf-8"))
            # The views carry the data as JSON inside a script: there the text is
            # a string value, never code. Any other script holding it was injected.
            assert not [s for s in finder.scripts if "alert(1)" in s and not _json_data(s)], (
                page.name
            )
            assert not [h for h in finder.handlers if "alert(1)" in h[2]], page.name
            assert not [t for t, a in finder.tags if ("src", "x") in a], page.name
            if page.name == "index.html":
                assert "alert(1)" in finder.text, "the text itself is shown, as text"


def _json_data(script: str) -> bool:
    """Return whether a script only holds or assigns one JSON value (data, not code).

    A ``<script type="application/ld+json">`` (the ClaimReview data) is never
    run; the parser marks it with a leading ``\0ld+json\0``.
    """
    if script.startswith(_DATA_SCRIPT):
        try:
            json.loads(script.removeprefix(_DATA_SCRIPT))
        except ValueError:
            return False
        return True
    m = re.fullmatch(r"\s*window\.[A-Za-z_]+\s*=\s*(.*?);?\s*", script, flags=re.S)
    if m is None:
        return False
    try:
        json.loads(m.group(1))
    except ValueError:
        return False
    return True


_DATA_SCRIPT = "\0ld+json\0"  # marks a script whose type makes it data, never run


class _Markup(html.parser.HTMLParser):
    """Collect scripts, event-handler attributes, tags and text, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, list]] = []
        self.text = ""
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"
        if self._in_script:
            data = dict(attrs).get("type") in ("application/ld+json", "application/json")
            self.scripts.append(_DATA_SCRIPT if data else "")
        self.handlers += [(tag, k, v or "") for k, v in attrs if k.lower().startswith("on")]

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text += data


# ---------------------------------------------------------------------------
# 6. Error messages point at the right place


def _problems(data: Path) -> list:
    with pytest.raises(DataError) as info:
        validate(data)
    return info.value.problems


class TestRightPlace:
    def test_an_unterminated_quote_is_blamed_on_the_row_it_starts(self, data_copy):
        path = data_copy / "claims.csv"
        n = len(_table(path))  # records, header included
        with path.open("a", encoding="utf-8") as fh:
            fh.write('c999,intro,"never closed\nmore text\n')
        (problem,) = _problems(data_copy)
        assert (problem.file, problem.row) == ("claims.csv", n + 1)
        assert "not valid CSV" in problem.message

    def test_a_quote_in_an_unquoted_cell_is_blamed_on_its_row(self, data_copy):
        path = data_copy / "concepts.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[4] = '"closed"then more,' + lines[4]
        path.write_text("".join(lines), encoding="utf-8")
        problems = _problems(data_copy)
        assert [(p.file, p.row) for p in problems] == [("concepts.csv", 5)]

    @pytest.mark.parametrize(
        "row",
        [
            pytest.param(2, marks=pytest.mark.thorough),
            7,
            pytest.param(20, marks=pytest.mark.thorough),
        ],
    )
    def test_a_bad_value_names_file_row_column_value(self, row, data_copy, capsys):
        _set_cell(data_copy / "claims.csv", row, "claim_type", "gossip")
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert_clean_failure(code, err)
        assert f"claims.csv, row {row}, column 'claim_type', value 'gossip'" in err

    def test_rows_are_records_not_lines(self, data_copy):
        table = _table(data_copy / "concepts.csv")
        col = table[0].index("description")
        table[2][col] = "a description\nover three\nlines"
        table[5][table[0].index("kind")] = "mood"
        _write_table(data_copy / "concepts.csv", table)
        problems = _problems(data_copy)
        assert [(p.row, p.column) for p in problems if p.file == "concepts.csv"] == [(6, "kind")]

    def test_blank_lines_count_as_rows(self, data_copy):
        path = data_copy / "concepts.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines.insert(2, "\n")  # row 3 blank, as a spreadsheet shows it
        path.write_text("".join(lines), encoding="utf-8")
        _set_cell(path, 6, "kind", "mood")
        problems = _problems(data_copy)
        assert [(p.row, p.column) for p in problems] == [(6, "kind")]

    def test_a_short_row_is_blamed_on_its_row(self, data_copy):
        path = data_copy / "references.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[3] = "just,two\n"
        path.write_text("".join(lines), encoding="utf-8")
        problems = _problems(data_copy)
        assert [(p.file, p.row, p.value) for p in problems] == [("references.csv", 4, "just,two")]

    def test_a_duplicate_key_names_both_rows(self, data_copy):
        path = data_copy / "concepts.csv"
        table = _table(path)
        table[6][0] = table[3][0]
        _write_table(path, table)
        problems = [p for p in _problems(data_copy) if p.file == "concepts.csv"]
        assert [(p.row, p.column, p.value) for p in problems] == [(7, "concept_id", table[3][0])]
        assert "first in row 4" in problems[0].message

    def test_not_utf8_names_its_row(self, data_copy):
        path = data_copy / "concepts.csv"
        lines = path.read_bytes().split(b"\n")
        lines[5] = lines[5] + "\u00e9".encode("latin-1")
        path.write_bytes(b"\n".join(lines))
        (problem,) = _problems(data_copy)
        assert (problem.file, problem.row, problem.value) == ("concepts.csv", 6, "0xe9")

    def test_a_header_problem_is_row_1(self, data_copy):
        _set_cell(data_copy / "concepts.csv", 1, "kind", "knd")
        problems = _problems(data_copy)
        assert {(p.file, p.row) for p in problems} == {("concepts.csv", 1)}
        assert {p.column for p in problems} == {"kind", "knd"}

    def test_malformed_json_names_its_line(self, data_copy):
        path = data_copy / "datapackage.json"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[9] = lines[9].rstrip("\n") + " ,,\n"
        path.write_text("".join(lines), encoding="utf-8")
        (problem,) = _problems(data_copy)
        assert (problem.file, problem.row) == ("datapackage.json", 10)

    def test_a_broken_row_is_blamed_on_its_table_not_on_those_that_use_it(self, data_copy):
        path = data_copy / "concepts.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[1] = lines[1].rstrip("\n") + ",surplus\n"  # the first concept cannot be read
        path.write_text("".join(lines), encoding="utf-8")
        problems = _problems(data_copy)
        assert {p.file for p in problems} == {"concepts.csv"}
        assert [p.row for p in problems] == [2]

    def test_an_unreadable_table_is_not_blamed_on_those_that_use_it(self, data_copy):
        (data_copy / "sections.csv").write_text("section_id\n", encoding="utf-8")
        problems = _problems(data_copy)
        assert {p.file for p in problems} == {"sections.csv"}

    def test_a_bad_key_value_is_blamed_where_it_is_written(self, data_copy, capsys):
        _set_cell(data_copy / "relations.csv", 9, "source", "nobody")
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert_clean_failure(code, err)
        assert err.splitlines()[0] == (
            "error: relations.csv, row 9, column 'source', value 'nobody': "
            "no such concept_id in concepts"
        )


# ---------------------------------------------------------------------------
# 7. Resources are bounded


def _pattern(d: Path, pattern) -> str:
    desc = _descriptor(d)
    field = _resource(desc, "concepts")["schema"]["fields"][1]
    field.setdefault("constraints", {})["pattern"] = pattern
    _save_descriptor(d, desc)
    _set_cell(d / "concepts.csv", 2, field["name"], "a" * 5000 + "!")
    return "datapackage.json"


class TestBounded:
    # By default: a nested repeat, an ambiguous repeat (it found a bug), a
    # backreference, a huge pattern, a broken one, one that is not a string.
    @pytest.mark.parametrize(
        "pattern",
        [
            "(a+)+$",
            pytest.param("((a+))+", marks=pytest.mark.thorough),
            "(a|aa)*c",
            pytest.param("(\\w*)*$", marks=pytest.mark.thorough),
            pytest.param("(a*)*b", marks=pytest.mark.thorough),
            pytest.param("(?:a+){2,}x", marks=pytest.mark.thorough),
            "(a)\\1",
            pytest.param("(?P<x>a)(?P=x)", marks=pytest.mark.thorough),
            "a" * 10_000,
            "[",
            7,
        ],
        ids=lambda p: repr(p)[:20],
    )
    def test_a_hostile_pattern_is_refused_quickly(self, pattern, data_copy, capsys):
        _pattern(data_copy, pattern)
        start = time.monotonic()
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert time.monotonic() - start < 5
        assert_clean_failure(code, err)
        assert "error: datapackage.json" in err and "pattern" in err

    @pytest.mark.parametrize(
        "depth", [40, pytest.param(1_000, marks=pytest.mark.thorough), 1_000_000]
    )
    def test_deep_nesting_is_refused(self, depth, data_copy, capsys):
        desc = _descriptor(data_copy)
        nest: object = "x"
        for _ in range(min(depth, 40)):
            nest = {"n": nest}
        desc["x-extra"] = nest
        text = json.dumps(desc)
        if depth > 40:
            text = text[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
        (data_copy / "datapackage.json").write_text(text, encoding="utf-8")
        start = time.monotonic()
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert time.monotonic() - start < 5
        assert_clean_failure(code, err)
        assert "error: datapackage.json" in err
        assert "nested" in err or "larger than" in err

    def test_a_huge_descriptor_is_refused(self, data_copy, capsys):
        desc = _descriptor(data_copy)
        desc["x-padding"] = "x" * 2_000_000
        _save_descriptor(data_copy, desc)
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert_clean_failure(code, err)
        assert "larger than" in err

    def test_twenty_thousand_columns(self, data_copy, capsys):
        path = data_copy / "concepts.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[0] += "".join(f",x{i}" for i in range(20_000))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        start = time.monotonic()
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert time.monotonic() - start < 10
        assert_clean_failure(code, err)
        assert "column 'x19999'" in err

    def test_an_enum_of_a_hundred_thousand(self, data_copy, capsys):
        desc = _descriptor(data_copy)
        fields = _resource(desc, "concepts")["schema"]["fields"]
        field = next(f for f in fields if f["name"] == "kind")
        field["constraints"]["enum"] += [f"k{i}" for i in range(100_000)]
        _save_descriptor(data_copy, desc)
        start = time.monotonic()
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert time.monotonic() - start < 10
        assert code in (0, 1) and "Traceback" not in err

    @pytest.mark.parametrize(
        "factor",
        [
            4,
            pytest.param(10, marks=pytest.mark.thorough),
            pytest.param(50, marks=pytest.mark.thorough),
        ],
    )
    def test_a_table_many_times_the_shipped_size(self, factor, data_copy):
        path = data_copy / "concepts.csv"
        table = _table(path)
        header, body = table[0], table[1:]
        extra = []
        for k in range(1, factor):
            for r in body:
                copy = list(r)
                copy[0] = f"{r[0]}_copy{k}"
                copy[1] = f"{r[1]} (copy {k})"
                extra.append(copy)
        _write_table(path, [header, *body, *extra])
        total = sum(len(_table(p)) - 1 for p in data_copy.glob("*.csv"))
        # CPU time of this process: what validation costs, not what the
        # other processes on a shared machine cost it; every table read afresh.
        sys.modules["explainer.tables"]._load_cached.cache_clear()
        start = time.process_time()
        validate(data_copy)
        took = time.process_time() - start
        assert took < total / 1000, (took, total)
        sys.modules["explainer.tables"]._load_cached.cache_clear()
        tracemalloc.start()
        validate(data_copy)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 20 * 2**20 * factor / 10 + 30 * 2**20, peak

    @pytest.mark.thorough
    def test_a_table_over_the_size_limit_is_refused(self, data_copy, capsys):
        path = data_copy / "concepts.csv"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(("x" * 999 + "\n") * 51_000)
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert_clean_failure(code, err)
        assert "concepts.csv" in err and "larger than" in err


# ---------------------------------------------------------------------------
# 8. Recovery trusts nothing it did not make (issue 26, critical)

TOKEN = "0123456789abcdef"


class TestRecoveryTrustsOnlyItsOwn:
    """Journals, leftovers and locks are acted on only when a run's token proves them ours."""

    @staticmethod
    def _victim(tmp_path: Path) -> Path:
        victim = tmp_path / "elsewhere" / "precious.csv"
        victim.parent.mkdir()
        victim.write_text("a user's file outside the data folder\n")
        return victim

    @pytest.mark.parametrize(
        "target",
        ["../../elsewhere/precious.csv", "{victim}", "sub/claims.csv", "..", "claims.csv/x"],
    )
    def test_a_journal_naming_a_path_out_of_the_folder_is_refused(
        self, target, data_copy, tmp_path, capsys
    ):
        victim = self._victim(tmp_path)
        target = target.format(victim=victim)
        _killed_run(data_copy, "regenerate", TOKEN)
        tmp = f".{target}.{TOKEN}.regenerate.tmp" if "/" not in target else f".x.{TOKEN}.tmp"
        (data_copy / ".payload").write_text("overwritten\n")
        record = {"token": TOKEN, "moves": {tmp: target}, "sha256": {}}
        (data_copy / ".regenerate.journal").write_text(json.dumps(record))
        err = regenerate_refused(capsys, data_copy, watched=(data_copy, victim.parent))
        assert ".regenerate.journal" in err and "cannot prove" in err

    def test_a_journal_target_that_is_a_link_out_is_refused(self, data_copy, tmp_path, capsys):
        victim = self._victim(tmp_path)
        (data_copy / "sections.csv").unlink()
        (data_copy / "sections.csv").symlink_to(victim)
        _journal(data_copy, TOKEN, {"sections.csv": b"overwritten\n"})
        err = regenerate_refused(capsys, data_copy, watched=(data_copy, victim.parent))
        assert "not a regular file" in err

    def test_a_journal_temporary_file_that_is_a_link_is_refused(self, data_copy, tmp_path, capsys):
        victim = self._victim(tmp_path)
        _journal(data_copy, TOKEN, {"sections.csv": victim.read_bytes()})
        tmp = data_copy / f".sections.csv.{TOKEN}.regenerate.tmp"
        tmp.unlink()
        tmp.symlink_to(victim)
        before = snapshot(data_copy, victim.parent)
        code, _, err = cli(capsys, "--data-dir", data_copy, "regenerate")
        assert_clean_failure(code, err)
        assert snapshot(data_copy, victim.parent) == before

    @pytest.mark.parametrize("why", ["another token", "no lock", "other content"])
    def test_a_journal_the_killed_run_did_not_write_is_refused(self, why, data_copy, capsys):
        record = _journal(data_copy, TOKEN, {"claims.csv": b"claim_id\n"})
        if why == "another token":
            _killed_run(data_copy, "regenerate", "f" * 16)
        elif why == "no lock":
            (data_copy / ".regenerate.lock").unlink()
        else:
            (data_copy / next(iter(record["moves"]))).write_bytes(b"claim_id,other\n")
        err = regenerate_refused(capsys, data_copy, watched=(data_copy,))
        assert ".regenerate.journal" in err

    def test_temporary_files_it_cannot_prove_are_left_alone(self, data_copy, capsys):
        mine = data_copy / ".notes.csv.regenerate.tmp"  # the old shape, a user's own name
        mine.write_text("my notes\n")
        folder = data_copy / f".claims.csv.{TOKEN}.regenerate.tmp"
        folder.mkdir()  # a folder of that shape, no lock recording the token
        code, _, err = cli(capsys, "--data-dir", data_copy, "regenerate")
        assert code == 0, err
        assert mine.read_text() == "my notes\n" and folder.is_dir()
        assert err.count("note: left alone") == 2 and "Traceback" not in err

    def test_a_folder_shaped_like_a_leftover_is_left_alone(self, tmp_path, capsys):
        theirs = _folder(tmp_path, ".out.abcd1234.tmp", {"thesis.tex": "years"})
        old = _folder(tmp_path, ".out.zz_9.old", {"a.txt": "x"})
        linked = tmp_path / f".out.{TOKEN}.tmp"
        linked.symlink_to(_folder(tmp_path, "mine", {"b.txt": "y"}), target_is_directory=True)
        _killed_run(tmp_path, "out", TOKEN)
        before = snapshot(theirs, old, tmp_path / "mine")
        code, _, err = cli(capsys, "export", tmp_path / "out")
        assert code == 0, err
        assert snapshot(theirs, old, tmp_path / "mine") == before and linked.is_symlink()
        assert err.count("note: left alone") == 3

    @pytest.mark.parametrize("kind", ["a user's file", "a link", "a folder", "a pipe"])
    def test_a_lock_file_it_did_not_make_is_never_touched(self, kind, tmp_path, capsys):
        lock = tmp_path / ".out.lock"
        if kind == "a user's file":
            lock.write_text("my lock notes\n")
        elif kind == "a link":
            lock.symlink_to(_folder(tmp_path, "u", {"notes": "x"}) / "notes")
        elif kind == "a folder":
            _folder(tmp_path, ".out.lock", {"inside": "x"})
        else:
            os.mkfifo(lock)
        before = snapshot(tmp_path)
        with _deadline(20):
            code, _, err = cli(capsys, "export", tmp_path / "out")
        assert_clean_failure(code, err)
        assert ".out.lock" in err and "did not make" in err
        assert snapshot(tmp_path) == before

    def test_atomic_dir_never_removes_a_folder_it_did_not_make(self, tmp_path):
        from explainer._io import atomic_dir

        theirs = _folder(tmp_path, ".site.old", {"keep.txt": "mine"})
        (tmp_path / "site").mkdir()
        with atomic_dir(tmp_path / "site") as tmp:
            (tmp / "index.html").write_text("<p>hi</p>")
        assert (theirs / "keep.txt").read_text() == "mine"


# ---------------------------------------------------------------------------
# 9. Regular files only, inside, bounded (issue 26, high)


class _HangError(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: int):
    """Fail (never hang) if the block runs longer than ``seconds``."""
    import signal

    def alarm(*_):
        raise _HangError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _special(path: Path, kind: str) -> None:
    path.unlink(missing_ok=True)
    if kind == "pipe":
        os.mkfifo(path)
    else:  # a character device: /dev/zero's numbers (needs root)
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 5))


_CAN_MKNOD = os.geteuid() == 0


class TestRegularFilesInside:
    """Every read of the data folder goes through one reader: regular, inside, capped."""

    @pytest.mark.parametrize(
        ("name", "command"),
        [
            ("claims.csv", "validate"),
            ("datapackage.json", "tables"),
            ("article.txt", "trace"),
            pytest.param("article.txt", "about", marks=pytest.mark.thorough),
            pytest.param("concepts.csv", "export", marks=pytest.mark.thorough),
            pytest.param("article.txt", "regenerate", marks=pytest.mark.thorough),
            pytest.param("claims.csv", "show", marks=pytest.mark.thorough),
        ],
    )
    @pytest.mark.parametrize(
        "kind",
        [
            "pipe",
            pytest.param(
                "device", marks=pytest.mark.skipif(not _CAN_MKNOD, reason="mknod needs root")
            ),
        ],
    )
    def test_a_pipe_or_device_in_place_of_a_file_is_refused_at_once(
        self, name, command, kind, data_copy, tmp_path, capsys
    ):
        _special(data_copy / name, kind)
        argv = {"show": ["show", "claims"], **{c: _argv(c, tmp_path / "out") for c in ALL}}
        with _deadline(20):
            code, _, err = cli(capsys, "--data-dir", data_copy, *argv[command])
        assert_clean_failure(code, err)
        assert f"{name}: not a regular file" in err

    def test_a_pipe_as_the_stamp_of_an_output_folder_does_not_hang(self, tmp_path, capsys):
        target = _folder(tmp_path, "out", {"a.txt": "x"})
        os.mkfifo(target / STAMP)
        before = snapshot(tmp_path)
        with _deadline(20):
            code, _, err = cli(capsys, "export", target)
        assert_clean_failure(code, err)
        assert "explainer did not make it" in err
        assert snapshot(tmp_path) == before

    @pytest.mark.parametrize(
        "command",
        [
            "trace",
            "about",
            "validate",
            pytest.param("regenerate", marks=pytest.mark.thorough),
            pytest.param("site", marks=pytest.mark.thorough),
        ],
    )
    def test_an_article_linked_to_a_file_elsewhere_is_never_read(
        self, command, data_copy, tmp_path, capsys
    ):
        secret = tmp_path / "secret.txt"
        secret.write_text((data_copy / "article.txt").read_text() + "SECRET LINE\n")
        (data_copy / "article.txt").unlink()
        (data_copy / "article.txt").symlink_to(secret)
        out = tmp_path / "out"
        code, stdout, err = cli(capsys, "--data-dir", data_copy, *_argv(command, out))
        assert_clean_failure(code, err)
        assert "article.txt" in err and "leaves the data folder" in err
        assert "SECRET" not in stdout + err and not out.exists()

    def test_article_text_refuses_a_link_out_and_an_oversize_article(
        self, data_copy, tmp_path, monkeypatch
    ):
        monkeypatch.setattr("explainer.article.MAX_ARTICLE_BYTES", 1000)
        with pytest.raises(DataError, match=r"article\.txt: larger than 1,000 bytes"):
            explainer.article_text(data_dir=data_copy)
        monkeypatch.undo()
        (data_copy / "article.txt").unlink()
        (data_copy / "article.txt").symlink_to("/etc/hostname")
        with pytest.raises(DataError, match="leaves the data folder"):
            explainer.article_text(data_dir=data_copy)

    def test_the_cap_holds_even_when_the_file_grows_after_it_is_looked_at(self, tmp_path):
        from explainer._read import read_inside

        path = tmp_path / "grows.txt"
        path.write_bytes(b"x" * 10)
        real = os.stat

        def smaller(p, *args, **kwargs):  # the size looked at is stale: the file grew since
            st = real(p, *args, **kwargs)
            if str(p) == str(path):
                return os.stat_result((st.st_mode, st.st_ino, st.st_dev, 1, 0, 0, 1, 0, 0, 0))
            return st

        with pytest.MonkeyPatch.context() as m:
            m.setattr(os, "stat", smaller)
            with pytest.raises(DataError):
                read_inside(tmp_path, path, 5)


# ---------------------------------------------------------------------------
# 10. The code keeps its own guarantees (issue 26, high)

_ESCAPES = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x9b31m\u202e"


class TestOwnGuarantees:
    """Terminal output escaped, mathtext off, descriptors refused when the code cannot hold."""

    @pytest.mark.parametrize(
        "argv",
        [
            ["show", "concepts"],
            ["show", "concepts", "--format", "markdown"],
            ["about", "oxytocin"],
            ["tables"],
            ["trace", "c029"],
        ],
        ids=" ".join,
    )
    def test_control_sequences_in_the_data_never_reach_the_terminal(self, argv, data_copy, capsys):
        concepts = _table(data_copy / "concepts.csv")
        row = next(i for i, r in enumerate(concepts) if r[0] == "oxytocin")
        concepts[row][concepts[0].index("description")] += _ESCAPES
        _write_table(data_copy / "concepts.csv", concepts)
        desc = _descriptor(data_copy)
        _resource(desc, "concepts")["title"] = "Concepts" + _ESCAPES
        _save_descriptor(data_copy, desc)
        code, out, err = cli(capsys, "--data-dir", data_copy, *argv)
        assert code == 0, err
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", out + err), repr(out)
        if argv[0] != "trace":  # shown, escaped (a table may wrap it; markdown escapes "\\")
            assert "x1b]0;pwned" in re.sub(r"\s+", "", out)

    def test_escapes_in_the_article_are_escaped_in_trace(self, data_copy, capsys):
        article = data_copy / "article.txt"
        text = article.read_text(encoding="utf-8")
        # The same length, outside the quote: every offset stays where it was.
        article.write_text(
            text.replace("particularly during", "\x1b]0;pwned\x07\x07\x07 during", 1)
        )
        code, out, err = cli(capsys, "--data-dir", data_copy, "trace", "c029")
        assert code == 0, err
        assert "\x1b" not in out and "\\x1b]0;pwned\\x07\\x07\\x07 during orgasm" in out

    def test_errors_are_escaped_too(self, data_copy, capsys):
        _set_cell(data_copy / "concepts.csv", 2, "kind", "\x1b]0;pwned\x07")
        code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert_clean_failure(code, err)
        assert "\x1b" not in err and "\\x1b" in err

    def test_a_dollar_in_a_label_is_drawn_as_a_dollar(self, data_copy, tmp_path, capsys, real_png):
        _set_cell(data_copy / "concepts.csv", 2, "label", "costs $5 and $x^{2$ more")
        code, _, err = cli(capsys, "--data-dir", data_copy, "export", tmp_path / "out")
        assert code == 0, err
        assert (tmp_path / "out" / "concept-map.png").read_bytes().startswith(b"\x89PNG")

    @pytest.mark.parametrize("command", ["validate", "show", "export", "about"])
    def test_a_field_listed_twice_is_refused(self, command, data_copy, tmp_path, capsys):
        desc = _descriptor(data_copy)
        fields = _resource(desc, "concepts")["schema"]["fields"]
        fields.append(dict(fields[1]))
        _save_descriptor(data_copy, desc)
        argv = ["show", "concepts"] if command == "show" else _argv(command, tmp_path / "out")
        code, _, err = cli(capsys, "--data-dir", data_copy, *argv)
        assert_clean_failure(code, err)
        assert f"the field {fields[1]['name']!r} is listed more than once" in err

    @pytest.mark.parametrize(
        "pattern",
        [
            ".*.*.*",
            "(.*)(.*)",
            "[a-z]*[0-9]*[a-z]*",
            "a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?aaaaaaaaaaaaaaaaaaaa",
            pytest.param("\\w+\\s*\\w+!", marks=pytest.mark.thorough),
            pytest.param("(?i)[a-z]+A[a-z]+!", marks=pytest.mark.thorough),
        ],
    )
    def test_repeats_in_a_row_that_overlap_are_refused(self, pattern, data_copy, capsys):
        _pattern(data_copy, pattern)
        with _deadline(20):
            code, _, err = cli(capsys, "--data-dir", data_copy, "validate")
        assert_clean_failure(code, err)
        assert "parts of varying length in a row" in err

    @pytest.mark.parametrize("pattern", ["[0-9]+/[a-z]+", "[a-z]+-[a-z]+", "(ab|cd)+x"[:7]])
    def test_repeats_kept_apart_are_accepted(self, pattern):
        from explainer.descriptor import pattern_problem

        assert pattern_problem(pattern) is None


# ---------------------------------------------------------------------------
# 11. One error path (issue 26, high and low)


def _header_only(d: Path, name: str) -> None:
    path = d / f"{name}.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


class TestOneErrorPath:
    """Data problems exit 1 with the data's problems, from every command; bugs alone say so."""

    def test_about_on_broken_data_exits_1(self, data_copy, capsys):
        _truncated_claims(data_copy)
        code, _, err = cli(capsys, "--data-dir", data_copy, "about", "oxytocin")
        assert_clean_failure(code, err)
        assert "claims.csv" in err

    def test_trace_refuses_a_quote_not_in_the_article(self, data_copy, capsys):
        rownum = next(i for i, r in enumerate(rows("claims"), 2) if r["claim_id"] == "c029")
        _set_cell(data_copy / "claims.csv", rownum, "quote", "words the article never says")
        code, out, err = cli(capsys, "--data-dir", data_copy, "trace", "c029")
        assert_clean_failure(code, err)
        assert f"claims.csv, row {rownum}, column 'quote'" in err and "not in the article" in err
        assert out == ""

    def test_site_execute_validates_first(self, data_copy, tmp_path, capsys, monkeypatch):
        pytest.importorskip("nbconvert")
        pytest.importorskip("ipykernel")
        rownum = next(i for i, r in enumerate(rows("claims"), 2) if r["claim_id"] == "c029")
        _set_cell(data_copy / "claims.csv", rownum, "quote", "words the article never says")
        monkeypatch.setattr(
            "explainer.site.build_site", lambda *a, **k: pytest.fail("built before validating")
        )
        code, _, err = cli(capsys, "--data-dir", data_copy, "site", tmp_path / "o", "--execute")
        assert_clean_failure(code, err)
        assert f"claims.csv, row {rownum}, column 'quote'" in err

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            ("description", "'description' must be text"),
            ("missingValues", "missingValues must be a list of strings"),
            ("field missingValues", "missingValues must be a list of strings"),
            ("title", "'title' must be text"),
        ],
    )
    def test_odd_descriptor_values_are_data_problems(self, change, expected, data_copy, capsys):
        desc = _descriptor(data_copy)
        res = _resource(desc, "concepts")
        if change == "description":
            res["description"] = {"not": "text"}
        elif change == "title":
            res["title"] = 7
        elif change == "missingValues":
            res["schema"]["missingValues"] = ["", 0]
        else:
            res["schema"]["fields"][1]["missingValues"] = "NA"
        _save_descriptor(data_copy, desc)
        for command in ("validate", "tables"):
            code, _, err = cli(capsys, "--data-dir", data_copy, command)
            assert_clean_failure(code, err)
            assert expected in err

    @pytest.mark.parametrize(
        ("table", "command"),
        [
            ("claims", "trace"),
            ("concepts", "export"),
            pytest.param("relations", "export", marks=pytest.mark.thorough),
            pytest.param("claims", "export", marks=pytest.mark.thorough),
            pytest.param("concepts", "site", marks=pytest.mark.thorough),
        ],
    )
    def test_header_only_tables_are_never_a_bug(self, table, command, data_copy, tmp_path, capsys):
        _header_only(data_copy, table)
        code, _, err = cli(capsys, "--data-dir", data_copy, *_argv(command, tmp_path / "out"))
        assert "Traceback" not in err and "bug in explainer" not in err, err
        assert code in (0, 1, 2), err

    def test_a_symlink_loop_as_the_data_folder(self, tmp_path, capsys):
        loop = tmp_path / "loop"
        loop.symlink_to(loop)
        code, _, err = cli(capsys, "--data-dir", loop, "validate")
        assert_clean_failure(code, err)

    def test_a_column_named_twice_is_a_usage_error(self, capsys):
        code, _, err = cli(capsys, "show", "claims", "--columns", "claim_id,claim_id")
        assert code == 2 and "more than once" in err and "Traceback" not in err

    def test_a_stamp_whose_files_is_a_string_is_not_a_stamp(self, tmp_path, capsys):
        target = _stamped(tmp_path, json.dumps({"tool": "explainer", "files": "a.txt"}), {})
        (target / "a.txt").write_text("mine")
        code, _, err = cli(capsys, "export", target, "--force")
        assert_clean_failure(code, err)
        assert (target / "a.txt").read_text() == "mine"

    def test_regenerate_never_rewrites_the_installed_package(self, monkeypatch, capsys):
        data = PACKAGE / "data"
        if not data.is_dir():
            pytest.skip("a checkout: the data lies beside the package")
        code, _, err = cli(capsys, "regenerate")
        assert_clean_failure(code, err)

    def test_regenerate_inside_a_package_folder_is_refused(self, data_copy, monkeypatch, capsys):
        monkeypatch.setattr("explainer.build.PACKAGE_DIR", data_copy.parent)
        (data_copy / "sections.csv").write_text("section_id\n")
        err = regenerate_refused(capsys, data_copy, watched=(data_copy,))
        assert "installed package" in err

    def test_regenerate_keeps_modes_and_drops_a_byte_order_mark(self, data_copy, capsys):
        article = data_copy / "article.txt"
        article.write_bytes(b"\xef\xbb\xbf" + article.read_bytes())
        (data_copy / "sections.csv").chmod(0o600)
        (data_copy / "sections.csv").write_text("section_id\n")
        code, _, err = cli(capsys, "--data-dir", data_copy, "regenerate")
        assert code == 0, err
        assert stat.S_IMODE((data_copy / "sections.csv").stat().st_mode) == 0o600
        assert "\ufeff" not in (data_copy / "sections.csv").read_text(encoding="utf-8")
        assert (data_copy / "sections.csv").read_bytes() == (DATA / "sections.csv").read_bytes()

    def test_notebooks_killed_midway_is_finished_by_the_next_run(self, tmp_path, capsys):
        from explainer._paths import default_notebooks_dir

        target = tmp_path / "nb"
        target.mkdir()
        first = sorted(default_notebooks_dir().glob("[0-9][0-9]-*.ipynb"))[0]
        shutil.copyfile(first, target / first.name)  # what a killed copy left
        code, _, err = cli(capsys, "notebooks", target)
        assert code == 0, err
        shipped = sorted(p.name for p in default_notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
        assert sorted(p.name for p in target.iterdir()) == shipped
        (target / first.name).write_text("my edits")  # changed: somebody's work now
        code, _, err = cli(capsys, "notebooks", target)
        assert code == 2 and (target / first.name).read_text() == "my edits"

    def test_markdown_keeps_a_values_own_escape(self, data_copy, capsys):
        _set_cell(data_copy / "concepts.csv", 2, "description", "a \\| b")
        code, out, _ = cli(
            capsys, "--data-dir", data_copy, "show", "concepts", "--limit", "1",
            "--columns", "description", "--format", "markdown",
        )  # fmt: skip
        assert code == 0
        assert out.splitlines()[2] == "| a \\\\\\| b |"

    def test_a_notebook_shows_a_data_error_in_a_few_lines(self, data_copy, monkeypatch):
        from IPython.core.interactiveshell import InteractiveShell

        _truncated_claims(data_copy)
        # IPython warns when VIRTUAL_ENV names another environment than the one
        # running it (as under a virtualenv activated around `make test`).
        monkeypatch.delenv("VIRTUAL_ENV", raising=False)
        shell = InteractiveShell.instance()
        try:
            from explainer._notebook import install

            assert install()
            shown = io.StringIO()
            with contextlib.redirect_stdout(shown):
                shell.run_cell("import explainer")
                result = shell.run_cell(f"explainer.load('claims', data_dir={str(data_copy)!r})")
            assert isinstance(result.error_in_exec, DataError)
            lines = shown.getvalue().strip().splitlines()
            assert lines[0].startswith("DataError: ") and "claims.csv" in shown.getvalue()
            assert len(lines) <= 13 and "Traceback" not in shown.getvalue()
        finally:
            InteractiveShell.clear_instance()


# ---------------------------------------------------------------------------
# 12. Bounded on big data (issue 26, high)


class TestBoundedOnBigData:
    """The whole-map picture stops at a usable size; above it, an overview and a note."""

    def test_a_label_of_a_hundred_thousand_characters(self, data_copy, tmp_path, capsys, real_png):
        from explainer.export import MAX_PNG_SIDE

        _set_cell(data_copy / "concepts.csv", 2, "label", "word " * 20_000)
        code, _, err = cli(capsys, "--data-dir", data_copy, "export", tmp_path / "out")
        assert code == 0, err
        png = (tmp_path / "out" / "concept-map.png").read_bytes()
        width, height = struct.unpack(">II", png[16:24])
        assert max(width, height) <= MAX_PNG_SIDE
        assert "note: the concept map" in err and "overview" in err

    def test_the_shipped_map_is_drawn_whole(self):
        from explainer.export import MAX_PNG_SIDE, png_size

        assert max(png_size(concept_graph())) <= MAX_PNG_SIDE
