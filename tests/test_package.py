"""The package's top level: its public names are imported on first use, and stay functions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import explainer

# Run in a fresh interpreter: only there is nothing imported yet.
_PROBE = """
import json, sys
import explainer
bare = sorted(m for m in ("pandas", "matplotlib", "networkx") if m in sys.modules)
from explainer.validation import require  # loads explainer.tables and .validation first
import explainer.about                    # and explainer.about
shadowed = {n: callable(getattr(explainer, n)) for n in ("tables", "about")}
namespace = {}
exec("from explainer import *", namespace)
print(json.dumps({
    "bare": bare,
    "shadowed": shadowed,
    "star": sorted(n for n in namespace if not n.startswith("__")),
    "callable": all(callable(namespace[n]) for n in explainer.__all__),
    "tables": "claims" in explainer.tables(),
}))
"""


def test_import_loads_the_api_on_first_use_and_submodules_never_hide_it():
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(out)
    assert found["bare"] == []  # import explainer alone imports no pandas, matplotlib, networkx
    assert found["shadowed"] == {"tables": True, "about": True}
    assert found["star"] == sorted(explainer.__all__)
    assert found["callable"] and found["tables"]


def test_every_public_name_is_listed_and_documented():
    assert set(explainer.__all__) <= set(dir(explainer))
    for name in explainer.__all__:
        assert getattr(explainer, name).__doc__, name
    with pytest.raises(AttributeError, match="no_such_name"):
        explainer.no_such_name  # noqa: B018
