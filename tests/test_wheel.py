"""The wheel is the product: build it, install it, and use it from outside the checkout.

The default run builds the wheel once per session and installs it, without
its dependencies, into a new virtual environment that borrows this
environment's packages (a ``.pth`` file; this checkout is not among them).
Every command then runs from a folder outside the checkout, and each test
checks that ``explainer`` came from the new environment's site-packages.

The thorough run (``make test-thorough``) installs the wheel into a truly
fresh environment, with its dependencies from the package index, first
without extras (``site`` must name the missing extra) and then with
``[site,lab]``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from dataclasses import dataclass, field
from email.parser import Parser
from pathlib import Path

import pytest

import explainer
from explainer.__main__ import _COMMANDS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
BIN = "Scripts" if os.name == "nt" else "bin"


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once, with hatchling, straight from the checkout."""
    out = tmp_path_factory.mktemp("dist")
    build = "import sys, hatchling.build as b; b.build_wheel(sys.argv[1])"
    subprocess.run([sys.executable, "-c", build, str(out)], cwd=ROOT, check=True)
    (built,) = out.glob("*.whl")
    return built


@dataclass
class Env:
    """A virtual environment with the wheel installed, and a folder outside the checkout."""

    root: Path
    site_packages: Path
    home: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def python(self) -> Path:
        return self.root / BIN / "python"

    def run(self, *args: str, program: str = "explainer") -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "EXPLAINER_DATA_DIR"}}
        env["COLUMNS"] = "100"
        env.update(self.extra_env)
        command = [str(self.root / BIN / program), *args]
        return subprocess.run(
            command, cwd=self.home, env=env, capture_output=True, text=True, timeout=900
        )


def _new_env(root: Path, home: Path, *, with_pip: bool) -> Env:
    venv.EnvBuilder(with_pip=with_pip, clear=True).create(root)
    python = root / BIN / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    home.mkdir(parents=True, exist_ok=True)
    return Env(root, Path(purelib), home)


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Env:
    """The wheel in a new environment that borrows this one's dependencies."""
    base = tmp_path_factory.mktemp("installed")
    env = _new_env(base / "venv", base / "home", with_pip=False)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python"]
    subprocess.run(
        [*pip, str(env.python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    # Borrow the dependencies: this environment's site-packages, added after
    # the new one's. Its .pth files are not read from there, so the editable
    # install of the checkout stays out of sight.
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (env.site_packages / "_borrowed_dependencies.pth").write_text(
        "\n".join(sorted(borrowed)) + "\n", encoding="utf-8"
    )
    # nbconvert's templates are data files under the borrowed environment's
    # share/jupyter, where a real install of the [site] extra would put them
    # under the new one's.
    env.extra_env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return env


# Every command, run through main() in ONE process of the installed
# environment (one start-up instead of a dozen); the console script itself is
# tested by --version, --help and the closed pipe.
COMMANDS = [
    ["tables"],
    ["show", "experts", "--columns", "expert_id,name"],
    ["show", "hormones", "--format", "json"],
    ["show", "claims"],
    ["trace", "c029"],
    ["validate"],
    ["about", "oxytocin"],
    ["export", "exports"],
    # One notebook, converted from the wheel's templates; the whole site from
    # the wheel's own notebooks is built by the thorough test below.
    ["site", "site", "--notebooks-dir", "one-notebook"],
    ["notebooks", "my-notebooks"],
    ["notebooks", "my-notebooks"],
    ["--help"],
    ["regenerate", "--data-dir", "data-copy"],
    ["validate", "--data-dir", "data-copy"],
]
_DRIVER = """
import contextlib, io, json, sys
import explainer
from explainer.__main__ import main

import explainer._paths as paths

results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:  # --help
            code = exit.code
    results.append([code, out.getvalue(), err.getvalue()])
where = {
    "package": explainer.__file__,
    "data": str(paths.default_data_dir()),
    "notebooks": str(paths.default_notebooks_dir()),
}
api = [
    len(explainer.tables()),
    len(explainer.load("claims")),
    explainer.concept_graph().number_of_edges(),
    explainer.about("oxytocin").rows,
]
explainer.validate()
print(json.dumps({"commands": results, "api": api, "where": where}))
"""


@pytest.fixture(scope="session")
def ran(installed: Env) -> dict:
    """Run COMMANDS and the API from the installed wheel; their codes and outputs."""
    copy = installed.home / "data-copy"
    shutil.copytree(DATA, copy)
    (copy / "sections.csv").write_text("section_id\n", encoding="utf-8")
    (installed.home / "one-notebook").mkdir()
    shutil.copyfile(
        ROOT / "notebooks" / NOTEBOOKS[0], installed.home / "one-notebook" / NOTEBOOKS[0]
    )
    out = installed.run("-c", _DRIVER, json.dumps(COMMANDS), program="python")
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    found["commands"] = [
        subprocess.CompletedProcess(argv, code, stdout, stderr)
        for argv, (code, stdout, stderr) in zip(COMMANDS, found["commands"], strict=True)
    ]
    return found


def _result(ran: dict, *argv: str, nth: int = 0) -> subprocess.CompletedProcess[str]:
    return [r for r in ran["commands"] if r.args == list(argv)][nth]


def _where(env: Env) -> dict[str, str]:
    code = (
        "import json, explainer, explainer._paths as p;"
        "print(json.dumps({'package': explainer.__file__,"
        " 'data': str(p.default_data_dir()), 'notebooks': str(p.default_notebooks_dir())}))"
    )
    out = env.run("-c", code, program="python")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_wheel_holds_the_package_the_data_and_the_notebooks(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "explainer/__init__.py" in names and "explainer/py.typed" in names
    for path in DATA.iterdir():
        assert f"explainer/data/{path.name}" in names
    for name in NOTEBOOKS:
        assert f"explainer/notebooks/{name}" in names
    # the notebooks' test configuration is not part of the product
    assert not any(n.endswith(("conftest.py", "sanitize.cfg")) for n in names)
    assert not any(n.startswith(("tests/", "notebooks/", "data/")) for n in names)


def test_the_wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as zf:
        (meta_path,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        meta = Parser().parsestr(zf.read(meta_path).decode())
        licences = {n.rsplit("/", 1)[-1] for n in zf.namelist() if "/licenses/" in n}
    assert meta["Name"] == "intimacy-explainer"
    assert meta["Version"] == explainer.__version__
    assert meta["License-Expression"] == "MIT AND CC-BY-4.0"
    assert sorted(meta.get_all("License-File")) == ["LICENSE", "LICENSE-DATA"]
    assert licences == {"LICENSE", "LICENSE-DATA"}
    assert {"site", "lab", "test"} <= set(meta.get_all("Provides-Extra"))
    core = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    assert not any(r.startswith(("nbconvert", "jupyterlab")) for r in core)


def test_explainer_comes_from_the_installed_wheel(ran, installed):
    where = ran["where"]
    assert set(where) == {"package", "data", "notebooks"}
    for path in where.values():
        assert Path(path).is_relative_to(installed.site_packages), path
        assert not Path(path).is_relative_to(ROOT), path
    assert not installed.home.is_relative_to(ROOT)


def test_version(installed):
    out = installed.run("--version")
    assert out.returncode == 0 and out.stdout == f"explainer {explainer.__version__}\n"


def test_help_lists_every_command(ran):
    out = _result(ran, "--help")
    assert out.returncode == 0
    for command in _COMMANDS:
        assert f"    {command} " in out.stdout, command


def test_api(ran):
    expected = [
        len(explainer.tables()),
        len(explainer.load("claims")),
        explainer.concept_graph().number_of_edges(),
        explainer.about("oxytocin").rows,
    ]
    assert ran["api"] == expected


def test_every_command_is_tried():
    assert {argv[0] for argv in COMMANDS} == {*_COMMANDS, "--help"}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["tables"], "claims "),
        (["show", "experts", "--columns", "expert_id,name"], "Gottman"),
        (["show", "hormones", "--format", "json"], '"hormone_id": "oxytocin"'),
        (["show", "claims"], "c086"),
        (["trace", "c029"], ">>Research shows that higher levels of oxytocin"),
        (["validate"], "the data package is valid"),
        (["about", "oxytocin"], "tables mention"),
    ],
    ids=" ".join,
)
def test_reading_commands(ran, argv, expected):
    out = _result(ran, *argv)
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert expected in out.stdout


def test_show_fits_the_terminal(ran):
    out = _result(ran, "show", "claims").stdout
    assert max(map(len, out.splitlines())) <= 100 and "NaN" not in out


def test_export(ran, installed):
    out = _result(ran, "export", "exports")
    assert out.returncode == 0, out.stderr
    written = {p.name for p in (installed.home / "exports").iterdir()}
    assert {"claims.jsonld", "concept-map.graphml", "concept-map.mmd"} <= written


def _site_pages(site: Path, notebooks: list[str]) -> None:
    pages = {p.name for p in site.glob("*.html")}
    views = {"map.html", "article.html", "bibliography.html", "dictionary.html"}
    assert pages == {"index.html", *views, *(n.replace(".ipynb", ".html") for n in notebooks)}
    for name in ("cytoscape.min.js", "minisearch.js", "search-index.js"):
        assert (site / "static" / name).stat().st_size > 0, name


def test_site(ran, installed):
    out = _result(ran, "site", "site", "--notebooks-dir", "one-notebook")
    assert out.returncode == 0, out.stderr
    _site_pages(installed.home / "site", NOTEBOOKS[:1])


def test_notebooks(ran, installed):
    out = _result(ran, "notebooks", "my-notebooks")
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (installed.home / "my-notebooks").glob("*")) == sorted(
        [*NOTEBOOKS, "explainer-output.json"]
    )
    again = _result(ran, "notebooks", "my-notebooks", nth=1)
    assert again.returncode == 2 and "not an empty folder" in again.stderr


def test_regenerate_on_a_copy(ran):
    out = _result(ran, "regenerate", "--data-dir", "data-copy")
    assert out.returncode == 0 and "wrote sections.csv" in out.stdout, out.stderr
    assert _result(ran, "validate", "--data-dir", "data-copy").returncode == 0


def test_a_closed_pipe_is_quiet(installed):
    command = [str(installed.root / BIN / "explainer"), "show", "claims"]
    proc = subprocess.Popen(
        command, cwd=installed.home, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    with proc.stdout, proc.stderr:
        proc.stdout.close()  # before any output: the first write finds no reader
        err = proc.stderr.read().decode()
    assert proc.wait() == 141 and err == ""  # 141: as if killed by SIGPIPE, quietly


# --- the long version: a truly fresh environment, with and without extras -------


def _pip_install(env: Env, *requirements: str) -> None:
    command = [str(env.python), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    command += ["-c", str(ROOT / "constraints.txt"), *requirements]
    subprocess.run(command, check=True, cwd=env.home, timeout=1800)


@pytest.mark.thorough
def test_fresh_environment_with_and_without_extras(wheel, tmp_path):
    env = _new_env(tmp_path / "venv", tmp_path / "home", with_pip=True)
    _pip_install(env, str(wheel))
    assert Path(_where(env)["package"]).is_relative_to(env.site_packages)
    for args in (["--version"], ["tables"], ["validate"], ["show", "claims"], ["trace", "c001"]):
        out = env.run(*args)
        assert out.returncode == 0 and out.stderr == "", (args, out.stderr)
    assert env.run("about", "oxytocin").returncode == 0
    assert env.run("export", "exports").returncode == 0
    # without the [site] extra: one line naming it, no traceback, nothing written
    out = env.run("site", "site")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr == "the site needs the [site] extra: pip install 'intimacy-explainer[site]'\n"
    assert not (env.home / "site").exists()
    out = env.run("notebooks", "nb")
    assert out.returncode == 0 and "[lab] extra" in out.stdout
    # with the extras
    _pip_install(env, f"{wheel}[site,lab]")
    out = env.run("site", "site")
    assert out.returncode == 0, out.stderr
    _site_pages(env.home / "site", NOTEBOOKS)  # every notebook the wheel ships
    out = env.run("notebooks", "nb2")
    assert out.returncode == 0 and "[lab] extra" not in out.stdout
    assert env.run("--version", program="jupyter-lab").returncode == 0
