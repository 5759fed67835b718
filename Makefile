# Vidpub — two commands: `make serve` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Run a full instance on http://127.0.0.1:9000 (SQLite, in-process workers, data in ./data).
serve: $(STAMP)
	$(BIN)/vidpub serve

# test processes (pytest-xdist): most of a test's time is spent waiting on the servers it starts
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

# Byte-code is written even where the environment says not to (PYTHONDONTWRITEBYTECODE=1 on the CI
# machine): each of the hundreds of servers the suite starts would compile every module again.
## Run the whole test suite against SQLite and PostgreSQL.
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## Run the benchmarks (never part of the test suite).
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist src/*.egg-info
