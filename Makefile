# The two set-up commands: `make demo` (main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FACTCHECK := $(BIN)/factcheck

.PHONY: demo test test-fast lint typecheck pytest install docs reliability bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The main job: the founding corpus into the default database (./factcheck.db, or FACTCHECK_DB),
# then the contradiction report. Loading is idempotent, so this can run again at any time.
demo: $(VENV)/.installed
	$(FACTCHECK) seed
	$(FACTCHECK) report contradictions

test: $(VENV)/.installed-test lint typecheck pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 --durations=15

# The inner loop: the tests not marked slow (scale, fuzz and concurrency batteries, the benchmarks'
# smoke runs, the wheel build): under a minute and a half on 2 cores, against four for everything.
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 -m "not slow"

# Generated documentation (tests/test_docs.py fails when any of it is stale): the command reference
# from the commands' own help, the database reference and the interchange JSON Schemas.
docs: $(VENV)/.installed
	TERMINAL_WIDTH=100 COLUMNS=100 NO_COLOR=1 $(BIN)/python -m factcheck.docs.commands > docs/cli.md
	$(BIN)/python -m factcheck.docs.schema docs

# The SQLite reliability battery at full size (the test suite runs it small): 8 writer processes
# x 100 claim adds, dozens of SIGKILLs during imports and migrations, backups under write load;
# the hostile-text battery; the files the user did not mean to destroy (every command that writes
# a file against every path it must not write, on SQLite and, when its binaries are installed,
# PostgreSQL); and every test marked `hostile`, tallied. docs/reliability.md keeps the tallies.
reliability: $(VENV)/.installed-test
	$(BIN)/python bench/concurrency.py --processes 8 --claims 100
	$(BIN)/python bench/crashes.py --runs 30
	$(BIN)/python bench/backup_under_load.py --processes 8 --claims 100
	$(BIN)/python bench/hostile_text.py
	$(BIN)/python bench/hostile_files.py
	$(BIN)/python bench/reliability.py

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

# Performance against peers in the same run (sqlite-utils, raw sqlite3, `python -c pass`), at full
# size (100,000 and 1,000,000 claims); writes docs/benchmarks.md.
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/all.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
