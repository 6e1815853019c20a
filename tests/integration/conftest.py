"""Fixtures shared by the integration modules.

``history_built``: the small sample of the history tests (seed 781, scale 0.05, through 2025-Q4) taken in
and built once per engine for the whole session, read by tests/integration/test_history.py and
tests/integration/test_report_history.py (each builds its as-of oracles into schemas of its own prefix).
Both modules put their tests in the xdist groups ``history_duckdb`` / ``history_postgres``, so one worker
builds each engine's warehouse once instead of once per module (CI time).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

HISTORY_SCALE = 0.05
HISTORY_THROUGH = "2025-Q4"
HISTORY_ENGINES = [
    pytest.param("duckdb", marks=pytest.mark.xdist_group("history_duckdb")),
    pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.xdist_group("history_postgres")])]


def history_sample(root: Path) -> Path:
    """The history sample generated into ``root``; returns its ``sources.yml``."""
    from pressdx.sample.generator import generate

    generate(root, seed=781, through=HISTORY_THROUGH, scale=HISTORY_SCALE)
    return root / "sources.yml"


@contextmanager
def sample_warehouse(request, sources: Path, data_dir: Path, duckdb_file: Path, build: bool) -> Iterator:
    """The sample of ``sources`` taken in (and built when ``build``) into a fresh warehouse of the engine
    ``request.param`` (a DuckDB file, or a PostgreSQL database dropped afterwards); yields its WarehouseURL."""
    from pressdx.jobs.run import run
    from pressdx.warehouse.connection import WarehouseURL
    from tests.pg import fresh_pg_database

    def taken_in(url: str) -> WarehouseURL:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PRESSDX_DATA_DIR", str(data_dir))
            summary = run(sources, url, HISTORY_THROUGH, build=build)
        assert summary.intake.accepted
        return WarehouseURL.parse(url)

    if request.param == "duckdb":
        yield taken_in(f"duckdb:///{duckdb_file}")
    else:
        with fresh_pg_database(request.getfixturevalue("pg_admin_url")) as url:
            yield taken_in(url)


@pytest.fixture(scope="session", params=HISTORY_ENGINES)
def history_built(request, tmp_path_factory) -> Iterator:
    """The history sample's warehouse on each engine (a WarehouseURL); the tests read it and put back what
    they change."""
    sources = history_sample(tmp_path_factory.mktemp("history_sample"))
    with sample_warehouse(request, sources, tmp_path_factory.mktemp(f"history_data_{request.param}"),
                          tmp_path_factory.mktemp("history_warehouse") / "warehouse.duckdb", build=True) as url:
        yield url
