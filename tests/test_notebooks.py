"""Notebook hygiene: what nbval does not check, but readers and reruns need."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))
ABSOLUTE = re.compile(r"(/root/|/home/|/tmp/|/Users/|[A-Z]:\\\\|site-packages)")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def code_cells(path):
    return [c for c in cells(path) if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_there_are_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(len(NOTEBOOKS))]
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executed_top_to_bottom_in_one_run(path):
    counts = [c["execution_count"] for c in code_cells(path)]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_errors_no_stderr_no_absolute_paths(path):
    for i, cell in enumerate(code_cells(path)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", (path.name, i)
            assert out.get("name") != "stderr", (path.name, i, out.get("text"))
            data = {k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")}
            text = json.dumps(data)
            text += json.dumps(out.get("text", ""))
            assert not ABSOLUTE.search(text), (path.name, i)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_timing_metadata(path):
    for cell in cells(path):
        assert "execution" not in cell.get("metadata", {}), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernelspec_exists_in_this_environment(path):
    from jupyter_client.kernelspec import KernelSpecManager

    name = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]
    assert name in KernelSpecManager().find_kernel_specs()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_title_first_imports_second(path):
    first, second = cells(path)[:2]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# ")
    assert len("".join(first["source"])) > 200, "the title cell says what the reader will learn"
    source = "".join(second["source"])
    assert second["cell_type"] == "code" and re.search(r"^(import|from) explainer", source, re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_is_introduced_and_followed_by_prose(path):
    all_cells = cells(path)
    for i, cell in enumerate(all_cells):
        has_figure = cell["cell_type"] == "code" and any(
            "image/png" in out.get("data", {}) for out in cell.get("outputs", [])
        )
        if has_figure:
            assert all_cells[i - 1]["cell_type"] == "markdown", (path.name, i)
            assert i + 1 < len(all_cells), (path.name, i)
            assert all_cells[i + 1]["cell_type"] == "markdown", (path.name, i)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_keep_logic_in_the_package(path):
    for cell in code_cells(path):
        source = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class) ", source, re.MULTILINE), (path.name, source[:80])
        assert not source.rstrip().endswith(";"), "nbval ignores a trailing ';' (nbval #194)"


# The test kernels' profile (tests/ipython-profile, set by the root's conftest.py)
# skips encoding PNGs nobody compares but still draws every figure. These
# prove it on a scratch notebook run by nbval exactly as the suite runs one:
# the profile is in force, a good figure passes, and an artist that fails
# only when drawn fails its cell.

_FIGURE_OUTPUT = {
    "output_type": "display_data",
    "metadata": {},
    "data": {"text/plain": ["<Figure size 200x100 with 1 Axes>"], "image/png": "iVBORw0KGgo="},
}
_SCRATCH_CELLS = [
    (
        "from matplotlib_inline.backend_inline import InlineBackend\n"
        "import matplotlib.pyplot as plt\n"
        '%config InlineBackend.print_figure_kwargs = {"bbox_inches": "tight"}\n'
        "sorted(InlineBackend.instance().figure_formats)",
        [
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "metadata": {},
                "data": {"text/plain": ["[]"]},
            }
        ],
    ),
    (
        "fig, ax = plt.subplots(figsize=(2, 1))\n_ = ax.plot([0, 1], [0, 1])\nplt.show()",
        [_FIGURE_OUTPUT],
    ),
    (
        "from matplotlib.artist import Artist\n\n\n"
        "class FailsWhenDrawn(Artist):\n"
        "    def draw(self, renderer):\n"
        "        raise RuntimeError('raised while drawing')\n\n\n"
        "fig, ax = plt.subplots(figsize=(2, 1))\n_ = ax.add_artist(FailsWhenDrawn())\nplt.show()",
        [_FIGURE_OUTPUT],
    ),
    (
        "fig, ax = plt.subplots(figsize=(3, 2))\n"
        '_ = ax.text(0.1, 0.5, "first words"), ax.text(0.12, 0.5, "second words")\n'
        "plt.show()",
        [{**_FIGURE_OUTPUT, "data": {"text/plain": ["<Figure size 300x200 with 1 Axes>"]}}],
    ),
]


def _scratch_notebook(folder: Path) -> Path:
    import shutil

    import nbformat
    from nbformat import v4

    repo = Path(__file__).parents[1]
    shutil.copyfile(repo / "conftest.py", folder / "conftest.py")
    shutil.copytree(repo / "tests" / "ipython-profile", folder / "tests" / "ipython-profile")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    nb = v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    for count, (source, outputs) in enumerate(_SCRATCH_CELLS, start=1):
        nb.cells.append(v4.new_code_cell(source, execution_count=count, outputs=outputs))
    path = folder / "scratch.ipynb"
    nbformat.write(nbformat.from_dict(nb), path)
    return path


def test_test_kernels_skip_the_png_but_a_drawing_error_still_errs_in_its_cell(tmp_path):
    """The scratch cells in one kernel started as nbval starts one (its kernel class, this
    environment's kernel), with the test profile: no PNG, and the drawing error comes back
    as the cell's error output, which nbval fails (the whole nbval run: --thorough)."""
    import os
    import shutil

    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel, start_new_kernel

    repo = Path(__file__).parents[1]
    profile = tmp_path / "ipython"
    shutil.copytree(repo / "tests" / "ipython-profile", profile)
    saved = os.environ.get("IPYTHONDIR")
    os.environ["IPYTHONDIR"] = str(profile)  # for the kernel's start only, as nbval's setup
    # RunningKernel.__init__ as nbval runs it, but closing the null file it opens for the
    # kernel's stderr (nbval leaves it to the garbage collector: a ResourceWarning here).
    kernel = RunningKernel.__new__(RunningKernel)
    try:
        with open(os.devnull, "w") as devnull:
            kernel.km, kernel.kc = start_new_kernel(
                startup_timeout=60,
                kernel_name=CURRENT_ENV_KERNEL_NAME,
                stderr=devnull,
                cwd=str(tmp_path),
            )
        kernel._ensure_iopub_up()
    finally:
        if saved is None:
            os.environ.pop("IPYTHONDIR", None)
        else:
            os.environ["IPYTHONDIR"] = saved

    def run(source: str) -> list:
        msg_id = kernel.execute_cell_input(source, allow_stdin=False)
        cell = []
        while True:
            msg = kernel.get_message(stream="iopub", timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                return cell
            if kind in {"display_data", "execute_result", "stream", "error"}:
                cell.append((kind, content))

    try:
        # The error output's name and value are what is checked, not its traceback's
        # text: a one-line traceback spares formatting matplotlib's frames (about 1 s).
        assert [k for k, _ in run("%xmode Minimal")] == ["stream"]
        outputs = [run(source) for source, _ in _SCRATCH_CELLS]
    finally:
        kernel.stop()
    first, good, bad, illegible = outputs
    # Cell 0: the profile is in force (no figure formats).
    assert [(k, c["data"]) for k, c in first] == [("execute_result", {"text/plain": "[]"})]
    # Cell 1: the figure is shown (its text/plain, which nbval compares), without a PNG.
    assert [(k, c["data"]) for k, c in good] == [
        ("display_data", {"text/plain": "<Figure size 200x100 with 1 Axes>"})
    ]
    # Cell 2: drawing raises, and only drawing could: an error output, which fails a cell.
    errors = [c for k, c in bad if k == "error"]
    assert [(c["ename"], c["evalue"]) for c in errors] == [("RuntimeError", "raised while drawing")]
    # Cell 3: a figure nobody could read (two texts over each other) fails its cell too.
    errors = [c for k, c in illegible if k == "error"]
    assert [(c["ename"], c["evalue"]) for c in errors] == [
        ("IllegibleFigureError", "'first words' overlaps 'second words'")
    ]


@pytest.mark.thorough
def test_test_kernels_skip_the_png_but_a_drawing_error_still_fails_its_cell(tmp_path):
    import subprocess
    import sys

    notebook = _scratch_notebook(tmp_path)
    repo = Path(__file__).parents[1]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            notebook.name,
            "-c",
            "pytest.ini",
            "--rootdir",
            ".",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--nbval",
            "--nbval-current-env",
            f"--nbval-sanitize-with={repo / 'tests' / 'nbval-sanitize.cfg'}",
            "-W",
            "error",
            "-v",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    verdicts = dict(re.findall(r"::Cell (\d+) (PASSED|FAILED)", proc.stdout))
    # Cell 0: the profile is in force (no figure formats); cell 1: a figure
    # drawn without a PNG matches its stored output; cell 2 fails only
    # because drawing it raises, which nothing but drawing can reveal; cell 3
    # because its two texts overlap.
    expected = {"0": "PASSED", "1": "PASSED", "2": "FAILED", "3": "FAILED"}
    assert verdicts == expected, proc.stdout[-3000:]
    # The kernel's tracebacks, in colour: the error raised while drawing, the overlap.
    plain = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)
    assert "RuntimeError: raised while drawing" in plain
    assert "IllegibleFigureError: 'first words' overlaps 'second words'" in plain
    assert proc.returncode == 1


def test_a_kernel_that_dies_as_it_starts_is_started_again(monkeypatch):
    """nbval's kernels get new ports when one dies at start (the root's conftest.py)."""
    import importlib.util

    import nbval.kernel

    monkeypatch.setattr(nbval.kernel, "start_new_kernel", nbval.kernel.start_new_kernel)
    path = Path(__file__).parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("notebooks_conftest_under_test", path)
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    assert nbval.kernel.start_new_kernel is conftest.start_new_kernel
    assert conftest._start_new_kernel.__module__ == "nbval.kernel"  # never a wrapper's wrapper

    starts = []

    def dies_twice(*args, **kwargs):
        starts.append(kwargs)
        if len(starts) < 3:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "manager", "client"

    monkeypatch.setattr(conftest, "_start_new_kernel", dies_twice)
    assert conftest.start_new_kernel(startup_timeout=60) == ("manager", "client")
    assert starts == [{"startup_timeout": 60}] * 3

    def always_dies(*args, **kwargs):
        starts.append(kwargs)
        raise RuntimeError("Kernel died before replying to kernel_info")

    starts.clear()
    monkeypatch.setattr(conftest, "_start_new_kernel", always_dies)
    with pytest.raises(RuntimeError, match="Kernel died"):
        conftest.start_new_kernel()
    assert len(starts) == conftest.KERNEL_STARTS
