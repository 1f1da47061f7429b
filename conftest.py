"""nbval settings for the notebooks: what outputs are noise by nature, the test kernels' profile.

It lives here, at the root, rather than beside the notebooks, so that the folder a
reader browses holds only notebooks: pytest loads the root's conftest.py for every
path below it. The sanitize rules are tests/nbval-sanitize.cfg, the profile
tests/ipython-profile.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Generator
from pathlib import Path
from typing import Any

import nbval.kernel
import pytest

#: IPython reads the profile's files (they call its get_config and get_ipython);
#: collected as modules for their doctests, they would fail to import.
collect_ignore = ["tests/ipython-profile"]

#: The test kernels' IPython profile: figures laid out but not encoded as PNG.
PROFILE = Path(__file__).parent / "tests" / "ipython-profile"
_ipython_dir: list[str] = []


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Skip comparing MIME types that only restate what is compared elsewhere.

    Figures (PNG) are not compared by nbval anyway; the data behind every
    figure is tested in ``tests/``. ``text/html`` is the HTML twin of a
    DataFrame's ``text/plain``, which is compared.
    """
    if collector.path.suffix == ".ipynb":
        collector.skip_compare += ("text/html", "image/png", "image/jpeg", "image/svg+xml")


def ipython_dir() -> str:
    """Return a private copy of the test profile, made once per process.

    A copy, because IPython writes folders (security, logs, ...) into its
    profile; the checkout stays clean and two workers never share one.
    """
    if not _ipython_dir:
        scratch = tempfile.mkdtemp(prefix="explainer-ipython-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        shutil.copytree(PROFILE, scratch, dirs_exist_ok=True)
        _ipython_dir.append(scratch)
    return _ipython_dir[0]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    """Start a notebook's kernel with the test profile (``IPYTHONDIR``), and only it.

    nbval starts the kernel while the notebook's first cell is set up; the
    variable is set for that moment only, so that nothing else this process
    starts (``explainer site --execute``, ``nbconvert``) sees the profile.
    With ``--thorough`` the kernels keep the reader's profile and render
    every figure to PNG, as a reader's kernel does.
    """
    if item.path.suffix != ".ipynb" or item.config.getoption("--thorough", default=False):
        return (yield)
    saved = os.environ.get("IPYTHONDIR")
    os.environ["IPYTHONDIR"] = ipython_dir()
    try:
        return (yield)
    finally:
        if saved is None:
            os.environ.pop("IPYTHONDIR", None)
        else:
            os.environ["IPYTHONDIR"] = saved


#: How many times a notebook's kernel is started before its notebook fails.
KERNEL_STARTS = 3
# nbval's own function, also when this file is imported a second time
_start_new_kernel = getattr(
    nbval.kernel.start_new_kernel, "__wrapped__", nbval.kernel.start_new_kernel
)


def start_new_kernel(*args: Any, **kwargs: Any) -> Any:
    """Start nbval's kernel for a notebook; start it again if it died before it answered.

    jupyter_client picks a kernel's ports by opening and closing them, and the
    kernel then binds them; a process that starts a kernel at the same moment
    (the other xdist worker) can take one of them in between, and the kernel
    dies with "Address already in use" (jupyter/jupyter_client#154, open). A
    new start picks new ports. A kernel that cannot start at all still fails
    its notebook, after KERNEL_STARTS tries.
    """
    for attempt in range(1, KERNEL_STARTS + 1):
        try:
            return _start_new_kernel(*args, **kwargs)
        except RuntimeError:
            if attempt == KERNEL_STARTS:
                raise


start_new_kernel.__wrapped__ = _start_new_kernel
nbval.kernel.start_new_kernel = start_new_kernel  # RunningKernel looks it up there
