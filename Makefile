# Both targets create/refresh .venv from requirements.txt when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint index browser

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) embed.py --if-stale
	$(PY) -m streamlit run app.py --server.port 8501 --server.address localhost --server.headless true --browser.gatherUsageStats false

test: $(STAMP) browser
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -q

# Headless Chromium + chromedriver for tests/test_browser.py (Debian packages, idempotent).
browser:
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || \
		(apt-get update && apt-get install -y chromium chromium-driver)

index: $(STAMP)
	$(PY) embed.py
