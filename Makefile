# Every target sets up its own virtual environment first, so a fresh clone needs only
# Python 3.11+, make and git. Each target installs only what it needs: `make run` the bot
# alone, `make test` the test tools too, `make lint` the linters, `make bench` the
# benchmark tools. A stamp per extra keeps a second call instant.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

# Debian packages the test suite needs from the machine (the browser tests drive
# Debian's chromium; the embedded Gerrit serves git through `git http-backend`).
DEBIAN_TEST_PACKAGES := $(shell cat .ci/debian-packages 2>/dev/null)

.PHONY: run test lint bench demo system-packages screenshots clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per set of extras: "run" is the bot alone.
$(VENV)/.stamp-%: pyproject.toml | $(BIN)/python
	@echo "installing the bot$(if $(filter-out run,$*), with its $* tools) into $(VENV)"
	$(BIN)/python -m pip install --quiet -e '.$(if $(filter-out run,$*),[$*])'
	@touch $@

## run: the bot; with no Gerrit configured, the demo against the embedded fake Gerrit
run: $(VENV)/.stamp-run
	$(BIN)/security-bot run

## demo: process the demo's sample changes once and print what happened
demo: $(VENV)/.stamp-run
	$(BIN)/security-bot demo --once

## system-packages: the Debian packages the tests need (.ci/debian-packages), installed when missing
system-packages:
	@missing=""; for p in $(DEBIAN_TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian packages the tests need:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "missing Debian packages:$$missing (install them as root; tests that need them skip, or fail when CI is set)"; \
	fi

## test: the whole test suite
test: $(VENV)/.stamp-test system-packages
	$(BIN)/python -m pytest

## lint: ruff, mypy and the import contracts (the layers in docs/architecture.md)
lint: $(VENV)/.stamp-lint
	$(BIN)/ruff check bot fakegerrit tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: the benchmarks in bench/ (results in bench/results.json and bench/RESULTS.md)
bench: $(VENV)/.stamp-bench
	$(BIN)/python bench/run.py

## screenshots: docs/screenshots/*.png of the dashboard, from the demo
screenshots: $(VENV)/.stamp-test system-packages
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) state .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
