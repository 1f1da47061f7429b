"""In a notebook, a DataError shows as the data's problems in a few lines, not a traceback.

Importing :mod:`explainer` inside IPython (a Jupyter kernel, the IPython
shell) installs :func:`show_data_error` as the shell's handler for
:class:`~explainer.errors.DataError`: a cell that fails on broken data shows
what is wrong with the data, file, row, column and value, instead of 13 to
35 lines of library code. ``%tb`` still shows the full traceback. A shell
that already has a custom exception handler keeps it.
"""

from __future__ import annotations

import sys
from typing import Any

from explainer._terminal import printable
from explainer.errors import DataError

__all__ = ["data_error_lines", "install", "show_data_error"]

#: Problems listed before the rest are counted.
SHOWN = 10


def data_error_lines(value: BaseException) -> list[str]:
    """Return the lines shown for a DataError: its problems (the first 10), then a hint.

    Examples
    --------
    >>> from explainer.errors import Problem
    >>> err = DataError([Problem("claims.csv", "missing column", column="quote")])
    >>> print("\\n".join(data_error_lines(err)))
    DataError: 1 problem in the data:
      - claims.csv, column 'quote': missing column
    (the data's problems; %tb shows where they were found)
    """
    problems = getattr(value, "problems", [])
    n = len(problems)
    lines = [f"{type(value).__name__}: {n} problem{'s' if n != 1 else ''} in the data:"]
    lines += [f"  - {printable(' '.join(str(p).splitlines()))}" for p in problems[:SHOWN]]
    if n > SHOWN:
        lines.append(f"  ... and {n - SHOWN} more (run `explainer validate` to see them all)")
    lines.append("(the data's problems; %tb shows where they were found)")
    return lines


def show_data_error(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset=None):
    """Show a DataError in ``shell`` as :func:`data_error_lines`; IPython's handler signature.

    The lines go where the shell shows a traceback (in a kernel, the
    cell's error output), so the cell still fails, and says why in a few lines.
    """
    lines = data_error_lines(value)
    shell._showtraceback(etype, value, lines)
    return lines


def install() -> bool:
    """Install :func:`show_data_error` in the running IPython shell; return whether it is.

    Does nothing outside IPython, and leaves a shell's own custom handler in place.

    Examples
    --------
    >>> install()  # not inside IPython here
    False
    """
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if get is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    handled = tuple(getattr(shell, "custom_exceptions", ()))
    if handled and DataError not in handled:
        return False  # the reader's own handler stays
    shell.set_custom_exc((DataError,), show_data_error)
    return True
