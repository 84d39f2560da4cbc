# The README's two commands. Each is self-sufficient on a fresh Debian machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/warehouse.duckdb
PORT ?= 8501

.PHONY: run test check lint bench demo clean

$(VENV)/.installed: requirements.txt requirements-dev.txt scripts/system-deps.sh
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.installed
	$(PY) -m etl demo --db $(DB)

run: $(VENV)/.installed $(DB)
	DASHBOARD_DB=$(DB) $(VENV)/bin/streamlit run dashboard.py --server.address 127.0.0.1 --server.port $(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Every test on both cores; the tests that start Chromium run on one worker (tests/support/scheduling.py).
test: lint
	$(PY) -m pytest -n 2

# The inner loop: lint and the tests that start no browser and no other process.
check: lint
	$(PY) -m pytest -n 2 -m "not browser and not process"

bench: $(VENV)/.installed
	$(PY) -m benchmarks

demo: $(VENV)/.installed
	$(PY) -m etl demo --db $(DB) --force

clean:
	rm -rf $(VENV) $(DB) $(DB).wal
