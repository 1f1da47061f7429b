"""The one exception the package raises for bad data, and its parts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["DataError", "LeftAloneWarning", "Note", "OutputError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as it can be.

    Parameters
    ----------
    file : str
        The file's name, relative to the data directory where it lies inside it.
    message : str
        What is wrong, in plain words.
    row : int, optional
        The line number in the CSV file (the header is row 1, the first data
        row is row 2), as a spreadsheet shows it.
    column : str, optional
        The column's name.
    value : str, optional
        The offending value, as written in the file.

    Examples
    --------
    >>> str(Problem("claims.csv", "duplicate key", row=7, column="claim_id", value="c01"))
    "claims.csv, row 7, column 'claim_id', value 'c01': duplicate key"
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        # A value read from a typed table may be a number or a missing value
        # (pandas.NA, NaN): show it as the file has it, a blank for missing.
        if self.value is not None and not isinstance(self.value, str):
            try:
                missing = bool(self.value != self.value)  # NaN is not equal to itself
            except TypeError:  # pandas.NA refuses to be a bool
                missing = True
            object.__setattr__(self, "value", "" if missing else str(self.value))

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            parts.append(f"value {shown!r}")
        return ", ".join(parts) + f": {self.message}"


class DataError(ValueError):
    """The data is broken: every problem found, each with file, row, column, value.

    A subclass of :class:`ValueError`, so ``except ValueError`` catches it too.

    Parameters
    ----------
    problems : iterable of Problem
        What is wrong; at least one.

    Attributes
    ----------
    problems : list of Problem

    Examples
    --------
    >>> err = DataError([Problem("claims.csv", "missing column", column="quote")])
    >>> print(err)
    1 problem in the data:
      - claims.csv, column 'quote': missing column
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        if not self.problems:
            raise ValueError("DataError needs at least one problem")
        super().__init__(self._render())

    def _render(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the data:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])

    @property
    def files(self) -> list[str]:
        """Return the sorted names of the files that have problems.

        Examples
        --------
        >>> DataError([Problem("b.csv", "x"), Problem("a.csv", "y")]).files
        ['a.csv', 'b.csv']
        """
        return sorted({p.file for p in self.problems})


class OutputError(DataError):
    """An output folder that explainer refuses to write, or cannot write.

    Raised before any byte is written when the target could hold a user's
    files, and when the folder cannot be written (permissions, a full disk,
    another build holding its lock). A :class:`DataError`, so the command
    line exits with code 1 and one line per problem.

    Examples
    --------
    >>> err = OutputError([Problem("/home/me", "this is your home folder")])
    >>> isinstance(err, DataError), str(err.problems[0])
    (True, '/home/me: this is your home folder')
    """


class Note(UserWarning):
    """Something a user should know that is not an error; the command line prints ``note:``.

    Examples
    --------
    >>> issubclass(Note, UserWarning)
    True
    """


class LeftAloneWarning(Note):
    """Something shaped like explainer's leftovers that explainer cannot prove it made.

    It is left alone (never removed, moved or written); the warning says so
    in one line, and the command line prints it as a ``note:``.

    Examples
    --------
    >>> issubclass(LeftAloneWarning, Note)
    True
    """
