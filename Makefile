# Expertisewijzer: the two commands for a fresh Debian machine with Python 3.11.
#   make run    set up, migrate, import the bundled data, index, serve on http://127.0.0.1:8000/
#   make test   set up (incl. PostgreSQL server and chromium) and run every check and test
# The distribution's Python when it is 3.11 or newer and can make a venv: Debian builds
# CPython with PGO and LTO, and the search API used about 20% less CPU per search on it
# than on a plain source build (pyenv's) of 3.11 (bench/search_bench.py prints which
# interpreter ran). Otherwise the first python3 on PATH; `make PYTHON=...` chooses.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys, ensurepip; assert sys.version_info >= (3, 11)' 2>/dev/null && echo /usr/bin/python3 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha256sum | cut -c1-12)

.PHONY: run setup data serve test check lint typecheck system-deps browser-deps i18n clean bench

run: setup data serve

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP) i18n

i18n: $(STAMP)
	$(BIN)/expertisewijzer i18n compile

data: setup
	$(BIN)/expertisewijzer db upgrade
	$(BIN)/expertisewijzer import
	$(BIN)/expertisewijzer index

serve: setup
	$(BIN)/expertisewijzer serve

system-deps:
	bash scripts/system-deps.sh

browser-deps:
	bash scripts/browser-setup.sh

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck

# Two processes (pytest-xdist): most of the suite is CPU-bound Python, and the rest waits
# on servers, PostgreSQL and chromium; each process has its own session fixtures (its own
# PostgreSQL cluster, loaded catalogue and browser). Work stealing: a process that runs out
# of tests takes some of the other's, so the long ones (the fault bench, the browser
# journeys) do not leave one process idle at the end. pytest-cov measures both and
# combines them; `coverage report` prints the result and fails under the floor in
# pyproject.toml.
PYTEST_WORKERS ?= 2

test: setup system-deps browser-deps check
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal --cov --cov-report=
	$(BIN)/coverage report

bench: data
	$(BIN)/python bench/run_all.py

clean:
	rm -rf var test-artifacts .coverage .pytest_cache .mypy_cache .ruff_cache
