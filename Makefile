# Expertisewijzer: the two commands for a fresh Debian machine with Python 3.11.
#   make run    set up, migrate, import the bundled data, index, serve on http://127.0.0.1:8000/
#   make test   set up (incl. PostgreSQL server and chromium) and run every check and test
PYTHON ?= python3
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

test: setup system-deps browser-deps check
	$(BIN)/pytest

bench: data
	$(BIN)/python bench/run_all.py

clean:
	rm -rf var test-artifacts .pytest_cache .mypy_cache .ruff_cache
