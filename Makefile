# The two entry points of the README. Both create .venv/ and install kgpub into it first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

YASGUI  = src/kgpub/static/vendor/yasgui/yasgui.min.js

.PHONY: run serve test lint build bench clean check-wheel

$(BIN)/kgpub: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The query page's editor: a pinned YASGUI release from the npm registry, hash checked.
$(YASGUI): tools/fetch_yasgui.py
	$(PYTHON) tools/fetch_yasgui.py
	touch $@

## run: install, then serve the default dataset on http://127.0.0.1:8000/ (built first if needed)
run: serve

serve: $(BIN)/kgpub $(YASGUI)
	$(BIN)/kgpub serve

build: $(BIN)/kgpub
	$(BIN)/kgpub build

## test: install, then lint and run the test suite on TEST_PROCESSES processes (pytest-xdist;
## a test file per process at a time, so that a module's server or corpus is made once)
TEST_PROCESSES ?= 2
test: $(BIN)/kgpub $(YASGUI) lint
	$(BIN)/python -m pytest -q -n $(TEST_PROCESSES) --dist loadfile

## check-wheel: build the sdist and wheel, install the wheel into a clean virtual environment
## outside the checkout, and run init, build, validate, query and serve there (its /sparql
## must count per graph and per datatype what the kgpub.nq dump holds)
check-wheel: $(BIN)/kgpub $(YASGUI)
	$(PYTHON) tools/check_wheel.py --python $(BIN)/python

lint: $(BIN)/kgpub
	$(BIN)/ruff check src tests bench tools

## bench: synthetic data of TRIPLES triples, then the HTTP load comparison (not part of test)
TRIPLES ?= 1000000
bench: $(BIN)/kgpub
	$(BIN)/python bench/generate.py --triples $(TRIPLES) --out bench/data/synth-$(TRIPLES).nq
	$(BIN)/python bench/load.py --data bench/data/synth-$(TRIPLES).nq

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache src/*.egg-info src/kgpub/static/vendor
