"""One built site per test process, shared by test_site and test_browser (a build takes seconds)."""

from __future__ import annotations

import atexit
import functools
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from explainer._paths import default_data_dir
from explainer.site import build_site

DATA = default_data_dir()


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


@functools.cache
def shared_site() -> Built:
    """Build the site once in this process; tests must only read it."""
    scratch = Path(tempfile.mkdtemp(prefix="explainer-test-site-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    before = digests(DATA)
    lines: list[str] = []
    path = build_site(scratch / "site", progress=lines.append)
    return Built(path, lines, before, digests(DATA))
