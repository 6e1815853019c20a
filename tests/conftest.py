"""Fixtures shared by the whole test suite. Keep them generic: every module may use them.

PostgreSQL: the server named by ``PRESSDX_TEST_PG_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``,
a role allowed to create databases). Each ``pg_url`` is a fresh database, dropped afterwards. When the
server is unreachable the PostgreSQL tests are skipped, except on CI (``CI=true``) where they fail:
CI must never silently test one engine only.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from tests.pg import PG_ADMIN_URL, admin_connect, fresh_pg_database, on_ci


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """URL of the PostgreSQL server's maintenance database; skips (fails on CI) when unreachable."""
    try:
        with admin_connect(PG_ADMIN_URL) as con:
            con.execute("select 1")
    except Exception as e:  # any connection problem means "no server"
        reason = f"PostgreSQL unreachable at {urlparse(PG_ADMIN_URL).hostname}: {str(e).strip().splitlines()[0]}"
        if on_ci():
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)
    return PG_ADMIN_URL


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, as a warehouse URL string; dropped after."""
    with fresh_pg_database(pg_admin_url) as url:
        yield url


@pytest.fixture(scope="module")
def pg_module_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database shared by the tests of one module; dropped after."""
    with fresh_pg_database(pg_admin_url) as url:
        yield url


@pytest.fixture
def duckdb_url(tmp_path) -> str:
    """A warehouse URL for a new DuckDB file in the test's temporary directory."""
    return f"duckdb:///{tmp_path / 'warehouse.duckdb'}"


@pytest.fixture(scope="module")
def duckdb_module_url(tmp_path_factory) -> str:
    """A warehouse URL for a new DuckDB file shared by the tests of one module."""
    return f"duckdb:///{tmp_path_factory.mktemp('warehouse') / 'warehouse.duckdb'}"


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def wh(request, tmp_path):
    """An open warehouse with the intake schema, on each engine in turn (a fresh one per test)."""
    from pressdx.warehouse.connection import connect

    url = f"duckdb:///{tmp_path}/w.duckdb" if request.param == "duckdb" else str(request.getfixturevalue("pg_url"))
    with connect(url) as w:
        w.ensure_schema()
        yield w
