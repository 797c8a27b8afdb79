# Both targets create/refresh .venv from requirements.txt when needed.
PYTHON ?= python3
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint index browser bench-page bench-peers

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) embed.py --if-stale
	$(PY) -m confsearch.page --server.port 8501 --server.address localhost

# Everything CI runs. Tests must never change tracked files: git status before and after
# the run must be the same (docs/ figures are written by bench/ scripts only).
# Two worker processes (pytest-xdist), each test file on one worker so its module
# fixtures are built once: 13 min instead of 16 on this 2-core machine under load.
# PYTEST_ARGS replaces these options, e.g. `make test PYTEST_ARGS=` for one process.
PYTEST_ARGS ?= -n 2 --dist loadfile
test: $(STAMP) browser
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	@before="$$(git status --porcelain 2>/dev/null)"; \
	$(PY) -m pytest -q --durations=15 $(PYTEST_ARGS); rc=$$?; \
	after="$$(git status --porcelain 2>/dev/null)"; \
	if [ "$$before" != "$$after" ]; then \
		echo "The tests changed files in the working tree:"; \
		diff <(echo "$$before") <(echo "$$after"); exit 1; fi; \
	exit $$rc

# The fast loop while coding: unit tests only (no real model, no processes, no browser;
# tests/tiers.py), on two worker processes, with bytecode and rewritten tests cached.
test-fast: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -m unit -n 2

# Headless Chromium + chromedriver for tests/web/test_browser.py (Debian packages, idempotent).
browser:
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || \
		(apt-get update && apt-get install -y chromium chromium-driver)

index: $(STAMP)
	$(PY) embed.py

# Page latency and the README screenshot, written into docs/ (run on a quiet machine).
bench-page: $(STAMP) browser
	$(PY) bench/page.py --write

# Side by side with txtai (bench/peers.py). txtai lives only in this bench environment,
# never in requirements.txt; torch keeps the exact pin (anything else pulls CUDA).
BENCH_VENV ?= .bench-venv
$(BENCH_VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet torch==2.13.0
	$(BENCH_VENV)/bin/pip install --quiet txtai==9.14.0 -r requirements.txt
	touch $@

bench-peers: $(BENCH_VENV)/.installed
	nice $(BENCH_VENV)/bin/python bench/peers.py --write
