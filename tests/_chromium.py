"""The headless browser the browser tests drive: Chromium, or the whole module is skipped."""

from __future__ import annotations

import shutil

import pytest


def chromium_or_skip() -> str:
    """Return the path of Chromium; skip the calling test module when there is none.

    Call it at a test module's top level (``CHROMIUM = chromium_or_skip()``).
    """
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip(
            "no headless browser: install Chromium (Debian: apt-get install chromium)",
            allow_module_level=True,
        )
    return found
