"""Run the whole test suite, notebooks included, on each supported Python.

    .venv/bin/nox            # every version this machine has; says which it skipped
    .venv/bin/nox -s tests-3.12

Each session installs from constraints.txt, as `make test` does, so the
stored notebook outputs are compared against the same library versions.
"""

from __future__ import annotations

import nox

PYTHONS = ["3.11", "3.12", "3.13"]

nox.options.sessions = ["tests"]
# A machine without one of the interpreters skips that session, and says so.
nox.options.error_on_missing_interpreters = False
nox.options.reuse_existing_virtualenvs = True


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Install from the constraints file and run pytest as `make test` does."""
    session.install("-c", "constraints.txt", "-e", ".[test]")
    session.run("pytest", *session.posargs)
