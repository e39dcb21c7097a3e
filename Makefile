# Every target sets up its own virtual environment first, so a fresh clone needs only
# Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench demo clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint,postgres]'
	@touch $(STAMP)

## run: the bot; with no Gerrit configured, the demo against the embedded fake Gerrit
run: $(STAMP)
	$(BIN)/security-bot run

## demo: process the demo's sample changes once and print what happened
demo: $(STAMP)
	$(BIN)/security-bot demo --once

## test: the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check bot tests bench tools
	$(BIN)/mypy

## bench: the benchmarks in bench/ (results in bench/results.json and bench/RESULTS.md)
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) state .pytest_cache .mypy_cache .ruff_cache
