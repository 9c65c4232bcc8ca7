# Flowlane: `make run` starts everything; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install frontend lint fmt typecheck check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# The editor, built into server/static/app (skipped when there is no frontend or no npm).
frontend:
	@if [ -f frontend/package.json ] && command -v npm >/dev/null; then \
		cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build; \
	elif [ -f frontend/package.json ]; then \
		echo "npm is not installed: the editor is not built (the API still works)"; \
	fi

run: install frontend
	$(BIN)/flowlane db upgrade
	$(BIN)/flowlane up

test: install frontend
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check server nodes sandbox tests bench

fmt: install
	$(BIN)/ruff check --fix server nodes sandbox tests bench

typecheck: install
	$(BIN)/pip install -q mypy
	$(BIN)/mypy

check: lint test

bench: install
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) var server/static/app frontend/node_modules
