"""One built site per test session, shared by every test that reads it (a build takes seconds).

The session's first process to ask builds the site into a folder that the
whole session shares (``$EXPLAINER_TEST_SHARED``, made and removed by
``tests/conftest.py``); the other xdist worker waits on a lock and reads the
same folder. Tests must only read it: a test that damages a site copies it.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from explainer._paths import default_data_dir

DATA = default_data_dir()

#: The environment variable naming the folder the session's processes share.
SHARED = "EXPLAINER_TEST_SHARED"


@dataclass
class Built:
    path: Path
    lines: list[str]
    data_before: dict[str, str]
    data_after: dict[str, str]

    def page(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def shared_folder() -> Path:
    """Return the folder this test session's processes share (made by conftest)."""
    folder = os.environ.get(SHARED)
    if not folder:  # imported outside a pytest session that set it up
        folder = tempfile.mkdtemp(prefix="explainer-test-shared-")
        os.environ[SHARED] = folder
    return Path(folder)


@functools.cache
def shared_site() -> Built:
    """Build the site once in this test session; tests must only read it."""
    from explainer.site import build_site

    root = shared_folder()
    record = root / "site.json"
    with (root / "site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for the build
        if record.is_file():
            found = json.loads(record.read_text(encoding="utf-8"))
            return Built(Path(found.pop("path")), **found)
        before = digests(DATA)
        lines: list[str] = []
        path = build_site(root / "site", progress=lines.append)
        built = Built(path, lines, before, digests(DATA))
        record.write_text(json.dumps({**asdict(built), "path": str(path)}), encoding="utf-8")
        return built


def remove_shared_folder() -> None:
    """Remove the session's shared folder (conftest calls this when the session ends)."""
    folder = os.environ.pop(SHARED, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
