# Miniport: `make run` serves the console, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench bench-scale browser-deps front-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

var:
	mkdir -p var

# The web server (nginx in front of gunicorn, both run by `miniport serve`) and, beside it,
# `miniport worker` (event deliveries on a thread pool, B-6): the worker starts in the
# background and is stopped when serve exits. Demo mode and the demo host app work on
# loopback only: with HOST set to a reachable address, serve refuses and says what to set.
run: $(STAMP) var front-deps
	$(BIN)/miniport migrate
	$(BIN)/miniport demo --once
	@export MINIPORT_DEMO_MODE=1 MINIPORT_HOST_APPS=$${MINIPORT_HOST_APPS:-demo-host:miniport-demo-host}; \
	$(BIN)/miniport worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/miniport serve --host $(HOST) --port $(PORT)

browser-deps:
	@sh scripts/ensure-chromium.sh

# Debian's nginx, the front `miniport serve` runs (slow clients, body caps).
front-deps:
	@sh scripts/ensure-nginx.sh

test: $(STAMP) var browser-deps front-deps
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check miniport tests scripts
	$(BIN)/ruff format --check miniport tests scripts
	$(BIN)/mypy miniport
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format miniport tests scripts
	$(BIN)/ruff check --fix miniport tests scripts

# Every benchmark runs and prints its table even when an earlier one missed a target;
# the exit status says whether all of them met theirs.
bench: $(STAMP) var front-deps
	@sh scripts/ensure-wrk.sh
	@failed=0; \
	for script in bench.py bench_packages.py bench_audit.py; do \
		echo "$(BIN)/python scripts/$$script"; \
		$(BIN)/python scripts/$$script || failed=1; \
	done; \
	exit $$failed

# Flat cost as data grows: the same pages and API calls on a small and a
# large database (100k mini programs, a million audit rows, codes and tokens), built in
# bulk in a temporary folder; BENCH_SCALE_ARGS="--large-apps 10000" for a quicker run.
bench-scale: $(STAMP) var
	$(BIN)/python scripts/bench_scale.py $(BENCH_SCALE_ARGS)

clean:
	rm -rf $(VENV) var
