"""PostgreSQL for the tests: the server named by ``PRESSDX_TEST_PG_URL`` and fresh databases on it.

A module of its own (``tests.pg``), not the top conftest: a test module's ``from conftest import ...``
resolves to whichever conftest pytest imported first (tests/reliability/ has one too), so shared helpers
live in importable modules and conftests only hold fixtures.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlparse, urlunparse

PG_ADMIN_URL = os.environ.get("PRESSDX_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def admin_connect(admin_url: str):
    import psycopg

    return psycopg.connect(admin_url, autocommit=True, connect_timeout=5)


def with_dbname(url: str, dbname: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{dbname}"))


@contextlib.contextmanager
def fresh_pg_database(admin_url: str, prefix: str = "pressdx_test") -> Iterator[str]:
    """Create an empty database, yield its URL (a string), drop it afterwards (even if still in use), then
    the BI role a build made for it (``pressdx_bi_<name>``: roles are cluster-wide and would pile up)."""
    from pressdx.warehouse.roles import default_role

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin_connect(admin_url) as con:
        con.execute(f'create database "{name}"')
    try:
        yield with_dbname(admin_url, name)
    finally:
        with admin_connect(admin_url) as con:
            con.execute(f'drop database if exists "{name}" with (force)')
            con.execute(f'drop role if exists "{default_role(name)}"')
