# Quick start: `make run` (dashboard on SQLite with demo data, served by gunicorn), `make test` (the test suite).
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

AXE = tests/browser/axe/node_modules/axe-core/axe.min.js

# axe-core, the accessibility engine the browser tests load into each page (npm, pinned by its lock file)
$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	cd tests/browser/axe && npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: setup test-setup run test lint bench
setup: $(BIN)/.installed

test-setup: setup $(AXE)

run: setup
	$(BIN)/poc init
	$(BIN)/poc demo --if-empty
	$(BIN)/poc demo-admin
	$(BIN)/poc serve

# pytest exits 5 when it collects no test; that is not a failure of the code.
test: test-setup
	$(BIN)/python -m pytest -n 2 --dist loadfile -q; status=$$?; [ $$status -eq 5 ] && status=0; exit $$status

# ruff: lint (pyflakes, pycodestyle, import order, complexity ≤ 15) and format, as configured in pyproject.toml
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	mkdir -p var
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/import_fuzz.py
	$(BIN)/python bench/query_bench.py --keep-db var/query_bench.sqlite
	$(BIN)/python bench/page_bench.py --keep-db var/query_bench.sqlite
	$(BIN)/python bench/esr_bench.py
	$(BIN)/python bench/wall_bench.py
	$(BIN)/python bench/serve_bench.py
