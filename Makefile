# `make run` opens the explorer, `make test` runs lint, types and tests; both create .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck pytest check fuzz bench bench-quick wheel-test screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/stargate-tui $(ARGS)

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check stargate_tui tests scripts benchmarks
	$(BIN)/ruff format --check stargate_tui tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/stargate-tui check --source ../shared/source/000_0d32b5b5a755ef52.txt

# random keys, clicks and resizes: a long run of the pilot test (`make test` runs a short one), then 20
# seeded runs of 30 s of the installed command under a real terminal
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} FUZZ_STEPS=$${FUZZ_STEPS:-80} $(BIN)/pytest -q tests/test_fuzz.py
	$(BIN)/python scripts/pty_fuzz.py --runs $${FUZZ_RUNS:-20} --seconds $${FUZZ_SECONDS:-30}

# compiled first: an installed package has its bytecode, and PYTHONDONTWRITEBYTECODE would otherwise
# make every measured start compile the package's sources again
bench: $(STAMP)
	$(BIN)/python -m compileall -q stargate_tui
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

bench-quick: $(STAMP)
	$(BIN)/python -m compileall -q stargate_tui
	$(BIN)/python benchmarks/run.py --quick $(BENCH_ARGS)

# the user guide's screenshots (docs/images/*.svg), from the real app
screenshots: $(STAMP)
	$(BIN)/python scripts/make_screenshots.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
