"""Text for a terminal: control characters from the data shown escaped, never obeyed.

A data folder may come from a stranger, and a cell may hold escape sequences
that set a terminal's title, write its clipboard or clear its screen, or
characters that reorder the text around them. As ``less`` and ``ripgrep``
do, what reaches the terminal shows them as visible escapes instead.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 controls but tab and newline, DEL, C1 controls, bidirectional controls,
# line and paragraph separators, and lone surrogates (which no terminal encodes).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ufeff\ud800-\udfff]"
)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Return ``text`` with every control character written as a visible escape.

    Tabs and newlines are kept; everything else a terminal would act on
    (ESC, BEL, carriage return, C1 controls, bidirectional overrides) is
    shown as ``\\xNN`` or ``\\uNNNN``.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> printable("title\\x1b]0;pwned\\x07 ok")
    'title\\\\x1b]0;pwned\\\\x07 ok'
    >>> printable("line one\\nline two")
    'line one\\nline two'
    """
    return _CONTROL.sub(_escape, text)
