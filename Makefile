# Two commands for a fresh clone (see README.md):
#   make lab    set up .venv-lab and open the notebooks in JupyterLab
#   make test   set up .venv (and .venv-lab) and run every test
# Everything installs from constraints.txt, so stored notebook outputs are
# compared against the same library versions on every machine. JupyterLab has
# an environment of its own: in the test environment its packages would slow
# every nbval run (see the NBVAL notes); the JupyterLab test drives this one.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
LAB_VENV := .venv-lab
LAB_BIN  := $(LAB_VENV)/bin
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
# JupyterLab refuses to start as root unless told to (containers often run as root).
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)
# More options for JupyterLab, for example: make lab LAB_ARGS="--no-browser --port=8890 --ip=127.0.0.1"
LAB_ARGS ?=

.PHONY: lab test test-thorough notebooks site docs lint wheel versions bench flake clean

# The shipped notebooks are trusted first (jupyter trust records their signatures in
# your Jupyter data folder; the files are not changed), so their stored interactive
# views show at once, before any cell is run.
lab: $(LAB_VENV)/.lab
	$(LAB_BIN)/jupyter trust $(NOTEBOOKS)
	$(LAB_BIN)/jupyter lab --notebook-dir=notebooks $(LAB_FLAGS) $(LAB_ARGS)

# The JupyterLab test (tests/test_jupyterlab.py) needs JupyterLab's environment.
test: $(VENV)/.test $(LAB_VENV)/.lab
	$(BIN)/pytest

# The long versions: every property at 1,000 examples, the kill-and-restart
# loops and the whole adversarial set (tests marked 'thorough').
test-thorough: $(VENV)/.test $(LAB_VENV)/.lab
	$(BIN)/pytest --thorough

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e ".[test]"
	@touch $@

$(LAB_BIN)/python:
	$(PYTHON) -m venv $(LAB_VENV)

$(LAB_VENV)/.lab: pyproject.toml constraints.txt | $(LAB_BIN)/python
	$(LAB_BIN)/python -m pip --disable-pip-version-check install --quiet -c constraints.txt -e ".[lab]"
	@touch $@

$(VENV)/.dev: pyproject.toml constraints.txt $(VENV)/.test
	$(PIP) install --quiet -c constraints.txt -e ".[test,dev]"
	@touch $@

# Re-execute every notebook in place, top to bottom, in a fresh kernel each;
# timing metadata is left out so that repeated runs give identical files.
notebooks: $(VENV)/.test
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False $(NOTEBOOKS)

# The HTML edition, from the notebooks' stored outputs: open build/site/index.html
# in a browser (it works from the file, offline).
site: $(VENV)/.test
	$(BIN)/python -m explainer site build/site --force

# The README's pictures and the committed exports in docs/.
docs: $(VENV)/.test
	$(BIN)/python -m explainer export build/exports --force
	cp build/exports/concept-map.graphml build/exports/concept-map.json \
	  build/exports/concept-map.mmd build/exports/concept-map.png build/exports/claims.jsonld docs/
	$(BIN)/python -m explainer site build/site --force
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync \
	  --user-data-dir=build/chromium --hide-scrollbars --window-size=1200,900 \
	  --run-all-compositor-stages-before-draw --virtual-time-budget=5000 \
	  --screenshot=docs/site-index.png "file://$(CURDIR)/build/site/index.html"

# ruff comes with the test extra: tests/test_lint.py runs these same two
# commands, so `make test` (and CI) fails on a lint failure too.
lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check explainer tests benchmarks

# The product: dist/intimacy_explainer-VERSION-py3-none-any.whl, holding the
# package, the data and the notebooks (see README, "Use it in your own code").
wheel: $(VENV)/.test
	$(PIP) wheel --quiet --no-deps --no-build-isolation . -w dist

# The whole suite on each Python from 3.11 to 3.13 that this machine has.
versions: $(VENV)/.dev
	$(BIN)/nox

bench: $(VENV)/.test
	$(BIN)/python -m benchmarks

flake: $(VENV)/.test
	$(BIN)/python benchmarks/flake.py

clean:
	rm -rf $(VENV) $(LAB_VENV) build dist *.egg-info
