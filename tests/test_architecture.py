"""The house's plan, held: ARCHITECTURE.md's layers are the rule every import follows.

The table in ARCHITECTURE.md names each module's layer; this test reads it,
finds every ``import`` in the package (at the top of a module or inside a
function: a late import is still a dependency), and fails when a module
imports one in a higher layer, when imports go round in a loop, when a module
reaches into another's private name, or when a module is in no layer.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "explainer"
PLAN = ROOT / "ARCHITECTURE.md"


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _layers(text: str) -> dict[str, int]:
    """Read the plan's table: each row a layer, bottom first, its modules in backticks."""
    rows = [line for line in text.splitlines() if re.match(r"\|\s*\d+\s*\|", line)]
    layer_of = {}
    for line in rows:
        number, modules = (cell.strip() for cell in line.strip("|").split("|")[:2])
        for name in re.findall(r"`([^`]+)`", modules):
            full = "explainer" if name == "explainer" else f"explainer.{name}"
            if full.endswith(".*"):
                prefix = full[:-2]
                for module in MODULES:
                    if module == prefix or module.startswith(prefix + "."):
                        layer_of[module] = int(number)
            else:
                layer_of[full] = int(number)
    return layer_of


LAYER_OF = _layers(PLAN.read_text(encoding="utf-8"))


def _imports(module: str, path: Path) -> list[tuple[str, str, int]]:
    """Return (imported module, imported name or '', line) for every import of the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                (a.name, "", node.lineno) for a in node.names if a.name.startswith("explainer")
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("explainer"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in MODULES:  # `from explainer import plots`: the submodule
                    found.append((sub, "", node.lineno))
                else:
                    found.append((target, alias.name, node.lineno))
    return found


EDGES = [
    (module, target, name, line)
    for module, path in MODULES.items()
    for target, name, line in _imports(module, path)
    if target != module
]


def test_every_module_has_a_layer():
    missing = sorted(set(MODULES) - set(LAYER_OF))
    assert not missing, f"modules in no layer of ARCHITECTURE.md: {missing}"
    unknown = sorted(set(LAYER_OF) - set(MODULES))
    assert not unknown, f"ARCHITECTURE.md names modules that do not exist: {unknown}"


def test_imports_only_go_down():
    upward = [
        f"{MODULES[m].relative_to(ROOT)}:{line} imports {t} "
        f"(layer {LAYER_OF[m]} -> {LAYER_OF.get(t)})"
        for m, t, _, line in EDGES
        if t in LAYER_OF and LAYER_OF[t] > LAYER_OF[m]
    ]
    assert not upward, "\n".join(upward)


def test_no_import_loop():
    G = nx.DiGraph((m, t) for m, t, _, _ in EDGES if t in MODULES)
    loops = sorted(sorted(c) for c in nx.simple_cycles(G))
    assert not loops, f"import loops: {loops}"


def test_no_module_reaches_into_another_private_name():
    reaching = [
        f"{MODULES[m].relative_to(ROOT)}:{line} imports {t}.{name}"
        for m, t, name, line in EDGES
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not reaching, "\n".join(reaching)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("from explainer.site import build_site\n", "upward"),
        ("from explainer.tables import _private\n", "private"),
    ],
)
def test_the_rules_catch_a_bad_import(tmp_path, source, problem):
    # The checks above are only worth having if they fail on a bad import.
    bad = tmp_path / "bad.py"
    bad.write_text(source)
    edges = [("explainer.errors", t, n, line) for t, n, line in _imports("explainer.errors", bad)]
    if problem == "upward":
        assert any(LAYER_OF[t] > LAYER_OF["explainer.errors"] for _, t, _, _ in edges)
    else:
        assert any(n.startswith("_") for _, _, n, _ in edges)
