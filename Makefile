# The two entry points of the README. Both create .venv/ and install kgpub into it first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test lint build clean

$(BIN)/kgpub: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## run: install, then build the default dataset into data/ttl/
run: build

build: $(BIN)/kgpub
	$(BIN)/kgpub build

## test: install, then lint and run the test suite
test: $(BIN)/kgpub lint
	$(BIN)/python -m pytest -q

lint: $(BIN)/kgpub
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache src/*.egg-info
