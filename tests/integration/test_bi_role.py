"""The read-only BI role on PostgreSQL (interfaces.md: BI tools read `marts` only, through a read-only role).

After a build, ``pressdx.warehouse.roles.grant_bi_reader`` (also ``pressdx grant-bi``) gives the role SELECT on marts,
also on tables created later there (default privileges: dbt re-creates its tables on every build), and
nothing on raw, audit, reference, staging or intermediate. The default role ``pressdx_bi`` is NOLOGIN and
cluster-wide, so it is left on the test server (its privileges go with the test database); a LOGIN role made
with a password from the environment gets a unique name and is dropped afterwards.
"""

from __future__ import annotations

import uuid

import pytest

from pressdx.cli import main
from pressdx.warehouse.connection import WarehouseURL
from pressdx.warehouse.dbt import build
from pressdx.warehouse.roles import grant_bi_reader

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.xdist_group("bi_role")]


def _connect(url: str, **kw):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10, **kw)


@pytest.fixture(scope="module")
def built_pg(pg_module_url: str) -> str:
    build(pg_module_url, as_of="2024-07-10T00:00:00+07:00", through="2024-Q2")
    return pg_module_url


def test_set_role_reads_marts_and_nothing_else(built_pg):
    import psycopg

    done = grant_bi_reader(built_pg)
    assert done["role"] == "pressdx_bi" and done["granted"] == ["marts"]
    assert {"raw", "audit", "staging", "intermediate", "reference"} <= set(done["revoked"])
    with _connect(built_pg) as con:
        con.execute("create table marts.zz_created_after_the_grant as select 1 as x")  # as a later dbt build would
        con.execute("set role pressdx_bi")
        assert con.execute("select count(*) from marts.fct_indicator_period").fetchone()[0] > 0
        assert con.execute("select count(*) from marts.fct_submission_timeliness").fetchone()[0] >= 0
        assert con.execute("select x from marts.zz_created_after_the_grant").fetchone() == (1,)
        for table in ("raw.submissions", "audit.intake_events", "staging.stg_raw__submissions",
                      "intermediate.int_submissions__visible", "reference.reporting_calendar"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(f"select 1 from {table} limit 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("delete from marts.dim_build")  # read-only
        con.execute("reset role")
        con.execute("drop table marts.zz_created_after_the_grant")
    (can_login,) = _connect(built_pg).execute("select rolcanlogin from pg_roles where rolname = 'pressdx_bi'").fetchone()
    assert can_login is False
    assert grant_bi_reader(built_pg)["created"] is False  # idempotent


def test_a_login_role_with_a_password_from_the_environment(built_pg, monkeypatch, capsys):
    import psycopg

    role = f"pressdx_bi_t{uuid.uuid4().hex[:8]}"
    password = "bi-secret-" + uuid.uuid4().hex[:6]
    monkeypatch.setenv("PRESSDX_BI_PASSWORD", password)
    try:
        assert main(["grant-bi", "--role", role, "--warehouse", built_pg]) == 0
        assert f"role {role} (created, login)" in capsys.readouterr().out
        u = WarehouseURL.parse(built_pg)
        with _connect(f"postgresql://{role}@{u.host}:{u.port}/{u.dbname}", password=password) as con:
            assert con.execute("select count(*) from marts.dim_task").fetchone()[0] == 36
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute("select 1 from raw.submissions limit 1")
    finally:
        with _connect(built_pg) as con:  # privileges in this database first, then the cluster-wide role
            con.execute(f'drop owned by "{role}"')
            con.execute(f'drop role if exists "{role}"')


def test_duckdb_has_no_roles(duckdb_url, capsys):
    assert main(["grant-bi", "--warehouse", duckdb_url]) == 2
    assert "only on a PostgreSQL warehouse" in capsys.readouterr().err
