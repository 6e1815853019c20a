PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv

.PHONY: install lock demo test lint bench clean

install: $(BIN)/pressdx

$(BIN)/pressdx: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check "uv==0.13.9"
	$(UV) pip install -q --compile-bytecode -p $(BIN)/python -r requirements.lock
	$(UV) pip install -q -p $(BIN)/python --no-deps -e .
	touch $@

lock:
	$(UV) pip compile -p 3.11 --extra dev pyproject.toml -o requirements.lock

## The main job, end to end, on the embedded DuckDB warehouse with the sample inbox.
demo: install
	$(BIN)/pressdx sample --out var/sample --force
	$(BIN)/pressdx run --sources var/sample/sources.yml --warehouse duckdb:///var/warehouse.duckdb --through 2025-Q4
	$(BIN)/pressdx kpi --year 2025 --warehouse duckdb:///var/warehouse.duckdb --format table

test: install
	$(BIN)/pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf var/* dbt_project/target dbt_project/logs
