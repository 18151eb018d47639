# The two set-up commands: `make demo` (main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FACTCHECK := $(BIN)/factcheck
DEMO_DB ?= demo.db

.PHONY: demo test lint typecheck pytest install docs clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# A short research session on two of the founding articles, in a fresh demo.db.
demo: $(VENV)/.installed
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@set -e; fc() { echo "\$$ factcheck $$*" >&2; FACTCHECK_DB=$(DEMO_DB) $(FACTCHECK) "$$@"; }; \
	fc init; \
	fc source add --key politico-2020 --title "Soleimani killed in U.S. strike" \
	  --published 2020-01-03 --file seeds/003_51eeafe18e35ddad.txt; \
	fc source add --key hard-revenge-2021 \
	  --title "Iran Fails to Execute the 'Hard Revenge' It Vowed a Year After Soleimani's Death" \
	  --author "Editorial Team" --published 2021-01 --file seeds/004_25500605606d0b57.txt; \
	fc claim add "Iran will retaliate for the killing of Soleimani" --source politico-2020 \
	  --quote "\"There's no chance in hell Iran won't respond,\" said Afshon Ostovar" \
	  --claimant "Afshon Ostovar" --kind prediction --tag retaliation; \
	fc claim add "Iran did not deliver the hard revenge it promised for Soleimani's killing" \
	  --source hard-revenge-2021 --quote "Iran did not deliver the \"hard revenge\" it had promised" \
	  --tag retaliation; \
	fc claim add "Iran forewarned Iraq before its missile strikes on US bases" \
	  --source hard-revenge-2021 --quote "Iran had sent an official verbal message to Iraq" \
	  --tag retaliation; \
	fc link 1 2 --relation contradicts \
	  --note "Ostovar expected a response; a year later there was no 'hard revenge'"; \
	fc link 3 2 --relation supports --note "a forewarned strike is not the promised revenge"; \
	fc verdict set 1 mostly-true --evidence hard-revenge-2021 \
	  --note "Iran did respond: missile strikes on two Iraqi bases housing US forces (004)"; \
	fc verdict set 3 true --evidence hard-revenge-2021 \
	  --note "004 reports the official verbal message to Iraq before the strikes"; \
	fc claim list; \
	fc claim show 2

test: $(VENV)/.installed-test lint typecheck pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2

# The command reference, from the commands' own help (tests/test_docs.py fails when it is stale).
docs: $(VENV)/.installed
	TERMINAL_WIDTH=100 COLUMNS=100 NO_COLOR=1 $(BIN)/python -m factcheck.cli.docs > docs/cli.md

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB)*
