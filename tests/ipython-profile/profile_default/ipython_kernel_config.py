"""The IPython profile of the nbval test kernels only (see the root's conftest.py).

nbval never compares figures (PNG), so the test kernels do not encode them:
a figure shown in a cell is still displayed (its ``text/plain`` repr, which
is compared) and still laid out by the startup file next to this one, so an
error raised while drawing still fails the cell. Readers' kernels, ``make
notebooks`` and the site build never use this profile.
"""

c = get_config()  # noqa: F821 (IPython defines it when it reads this file)
c.InlineBackend.figure_formats = set()
# A scratch profile: no history database written next to it.
c.HistoryManager.enabled = False
