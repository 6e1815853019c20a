PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv

.PHONY: install wheel lock demo docs test lint bench bench-100 clean airflow

install: $(BIN)/pressdx

$(BIN)/pressdx: pyproject.toml setup.py requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check "uv==0.13.9"
	$(UV) pip install -q --compile-bytecode -p $(BIN)/python -r requirements.lock
	$(UV) pip install -q -p $(BIN)/python --no-deps -e .
	touch $@

## The wheel a deployment installs (`pip install dist/pressdx-*.whl`, no checkout needed): the sdist, then the
## wheel from it; dbt_project/ and expectations/ travel inside as pressdx/_bundle/ (setup.py, MANIFEST.in).
wheel: install
	$(UV) build --out-dir dist

lock:
	$(UV) pip compile -p 3.11 --extra dev pyproject.toml -o requirements.lock
	$(UV) pip compile -p 3.11 pyproject.toml -c requirements.lock -o requirements-runtime.lock

## The main job, end to end, on the embedded DuckDB warehouse with the sample inbox.
demo: install
	$(BIN)/pressdx sample --out var/sample --force
	$(BIN)/pressdx run --sources var/sample/sources.yml --warehouse duckdb:///var/warehouse.duckdb --through 2025-Q4
	$(BIN)/pressdx kpi --year 2025 --warehouse duckdb:///var/warehouse.duckdb --format table
	$(BIN)/pressdx report --year 2025 --warehouse duckdb:///var/warehouse.duckdb --out var/report

## The lineage graph people can open: the dbt docs site as one offline page, var/docs/static_index.html
## (every model's description, columns and lineage), from the warehouse of PRESSDX_WAREHOUSE (default: the demo's).
docs: install
	$(BIN)/pressdx docs --out var/docs

## A local Airflow with the project's DAGs on the sample sources (generated when missing), everything on
## 127.0.0.1, AIRFLOW_HOME=var/airflow; prints the login; Ctrl-C stops it (docs/airflow.md, "First hour").
## AIRFLOW_PORT=8081 make airflow for another port.
airflow: install
	scripts/airflow-standalone.sh

test: install
	$(BIN)/pytest -n 2 --dist loadgroup --durations=30

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

## Benchmark (issue #7, bench/README.md): scale 1 and 10 on DuckDB and PostgreSQL, full history then one new
## quarter, with the lower bound; writes bench/results/latest.{json,md}. Run it on a quiet machine.
## Extra options: make bench BENCH_ARGS="--what-if --keep".
bench: install
	$(BIN)/python -m bench --scales 1,10 --warehouses duckdb,postgres $(BENCH_ARGS)

## Opt-in: scale 100 (≈ 80,000 agencies, 2.2 GB of sources; peak 2.7 GiB, ≈ 75 min on 2 cores: PostgreSQL's
## scale-100 history alone ≈ 35 min), with scale 1 as the reference.
bench-100: install
	$(BIN)/python -m bench --scales 1,100 --warehouses duckdb,postgres $(BENCH_ARGS)

clean:
	rm -rf var/* dbt_project/target dbt_project/logs build dist
