"""The shared docstring pieces are filled in wherever they are named."""

import importlib
import inspect
import pkgutil
import re

import pytest

import explainer
from explainer._docs import PIECES, fill_doc


def _documented():
    for info in pkgutil.walk_packages(explainer.__path__, "explainer."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) == info.name and inspect.isroutine(obj):
                yield f"{info.name}.{name}", obj.__doc__ or ""


def test_no_docstring_keeps_a_placeholder():
    placeholder = re.compile(r"^\s*%\(\w+\)s\s*$", re.M)
    left = [name for name, doc in _documented() if placeholder.search(doc)]
    assert left == []


def test_a_piece_is_indented_as_its_placeholder():
    def f():
        """Do nothing.

        %(ax_title)s
        """

    lines = fill_doc(f).__doc__.splitlines()
    assert lines[2:4] == [
        "        ax : matplotlib.axes.Axes, optional",
        "        title : str, optional",
    ]
    assert len(lines) == 2 + len(PIECES["ax_title"].splitlines()) + 1


def test_an_unknown_piece_is_an_error():
    def f():
        """Do nothing.

        %(no_such_piece)s
        """

    with pytest.raises(KeyError):
        fill_doc(f)
