# Two commands do all set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

## run: install, migrate, create an admin (printed once), import seeds/, serve on $(HOST):$(PORT)
##      with the background worker (spaCy suggestions) as a child that Ctrl-C stops too
run: $(VENV)/.installed-run
	$(BIN)/annotator db upgrade
	$(BIN)/annotator user ensure-admin --host $(HOST) --port $(PORT)
	$(BIN)/annotator import seeds/
	$(BIN)/annotator serve --host $(HOST) --port $(PORT)

## test: install with test extras and run the whole suite (set TEST_DATABASE_URL for PostgreSQL)
test: $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)

## lint: ruff and mypy, as CI runs them
lint: $(VENV)/.installed-test
	$(BIN)/ruff check annotator tests $(wildcard bench docs/*.py)
	$(BIN)/ruff format --check annotator tests $(wildcard bench docs/*.py)
	$(BIN)/mypy

## bench: the export benchmark (figures in docs/benchmarks.md)
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
