# Every target sets up its own virtual environment first, so a fresh clone needs only
# Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

BENCH_STAMP := $(VENV)/.bench-stamp

.PHONY: run test lint bench demo chromium screenshots clean

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

## chromium: Debian's chromium for the dashboard's browser tests (installed when root with apt)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is not installed (and cannot be installed here): browser tests will be skipped"; \
	  fi; }

## test: the whole test suite
test: $(STAMP) chromium
	$(BIN)/python -m pytest

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check bot fakegerrit tests bench tools
	$(BIN)/mypy

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,lint,postgres,bench]'
	@touch $(BENCH_STAMP)

## bench: the benchmarks in bench/ (results in bench/results.json and bench/RESULTS.md)
bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py

## screenshots: docs/screenshots/*.png of the dashboard, from the demo
screenshots: $(STAMP) chromium
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) state .pytest_cache .mypy_cache .ruff_cache
