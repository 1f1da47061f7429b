"""Where the data and the notebooks live: the one place that resolves them."""

from __future__ import annotations

import os
from pathlib import Path

from explainer.errors import DataError, Problem

__all__ = [
    "DATA_DIR_ENV",
    "PACKAGE_DIR",
    "default_data_dir",
    "default_notebooks_dir",
    "package_dirs",
    "resolve_data_dir",
]

#: Environment variable that points the package at another copy of the data.
DATA_DIR_ENV = "EXPLAINER_DATA_DIR"

_PACKAGE = Path(__file__).resolve().parent
#: The installed package's own folder: never written into.
PACKAGE_DIR = _PACKAGE
# An installed wheel carries the data inside the package (hatch force-include);
# a source checkout keeps it at the top level, beside the package.
_CANDIDATES = (_PACKAGE / "data", _PACKAGE.parent / "data")
# The notebooks travel the same way: explainer/notebooks in a wheel,
# notebooks/ beside the package in a checkout.
_NOTEBOOK_CANDIDATES = (_PACKAGE / "notebooks", _PACKAGE.parent / "notebooks")


def default_data_dir() -> Path:
    """Return the data directory shipped with the package.

    The wheel's copy (``explainer/data``) wins over a checkout's top-level
    ``data/`` folder; ``$EXPLAINER_DATA_DIR`` overrides both.

    Returns
    -------
    pathlib.Path
        An absolute path to a folder holding ``datapackage.json``.

    Examples
    --------
    >>> (default_data_dir() / "datapackage.json").is_file()
    True
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).resolve()
    for candidate in _CANDIDATES:
        if (candidate / "datapackage.json").is_file():
            return candidate
    return _CANDIDATES[-1]


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return ``data_dir`` as an absolute path, or the default one.

    Parameters
    ----------
    data_dir : str or path-like, optional
        A folder holding ``datapackage.json`` and the CSV files. ``None``
        means the data shipped with the package.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DataError
        If the folder does not exist.

    Examples
    --------
    >>> resolve_data_dir().name
    'data'
    """
    try:
        path = default_data_dir() if data_dir is None else Path(data_dir).resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise DataError(
            [Problem(file=str(data_dir), message="a symbolic link that cannot be followed")]
        ) from None
    if not path.is_dir():
        raise DataError([Problem(file=str(path), message="data directory not found")])
    return path


def default_notebooks_dir() -> Path:
    """Return the folder of notebooks shipped with the package.

    The wheel's copy (``explainer/notebooks``) wins over a checkout's
    top-level ``notebooks/`` folder.

    Returns
    -------
    pathlib.Path
        An absolute path to a folder holding the numbered notebooks
        (``00-start-here.ipynb`` and on).

    Examples
    --------
    >>> (default_notebooks_dir() / "00-start-here.ipynb").is_file()
    True
    """
    for candidate in _NOTEBOOK_CANDIDATES:
        if any(candidate.glob("[0-9][0-9]-*.ipynb")):
            return candidate
    return _NOTEBOOK_CANDIDATES[-1]


def package_dirs() -> list[Path]:
    """Return the package's own folder and the data and notebook folders that ship with it.

    What a writer must never write into (see :mod:`explainer._io`).

    Returns
    -------
    list of pathlib.Path
    """
    return [_PACKAGE, *(c for c in (*_CANDIDATES, *_NOTEBOOK_CANDIDATES) if c.is_dir())]
