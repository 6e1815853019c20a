"""The read-only BI role on PostgreSQL (interfaces.md: BI tools read `marts` only, through a read-only role).

After a build, ``pressdx.warehouse.roles.grant_bi_reader`` (also ``pressdx grant-bi``) gives the warehouse
database's own role SELECT on marts, also on tables created later there (default privileges: dbt re-creates
its tables on every build), and nothing on raw, audit, reference, staging, intermediate or portal; the role
cannot create temporary tables, while the warehouse's own user still builds (dbt's unit tests use temp tables).

Roles are cluster-wide, so nothing here uses a role name another run could hold: the warehouse is built by
a non-superuser owner role of this module (``pressdx_wh_t<uuid>``), in a database of this module whose
default BI role (``pressdx_bi_<database>``) therefore exists nowhere else, and every other role is named with
a uuid suffix; all are dropped afterwards, with the databases.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from pressdx.cli import main
from pressdx.warehouse.connection import WarehouseURL
from pressdx.warehouse.dbt import build, run_dbt
from pressdx.warehouse.roles import MARKER, default_role, grant_bi_reader

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.xdist_group("bi_role")]


def _connect(url: str, **kw):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10, **kw)


def _as(url: str, user: str, password: str = "") -> str:
    u = WarehouseURL.parse(url)
    return f"postgresql://{user}{':' + password if password else ''}@{u.host}:{u.port}/{u.dbname}"


def _admin_in(admin_url: str, url: str) -> str:
    """The administrator's URL on the database of ``url`` (it may SET ROLE to any role)."""
    from tests.pg import with_dbname as _with_dbname

    return _with_dbname(admin_url, WarehouseURL.parse(url).dbname)


def _drop_roles(admin_url: str, *roles: str) -> None:
    """Drop roles whose databases are gone (a role's privileges go with its database); cluster-wide."""
    with _connect(admin_url) as con:
        for role in roles:
            con.execute(f'drop role if exists "{role}"')


@pytest.fixture(scope="module")
def owner(pg_admin_url) -> Iterator[tuple[str, str]]:
    """A LOGIN role that owns the warehouse database and runs dbt: no superuser, so privileges count."""
    name, password = f"pressdx_wh_t{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    with _connect(pg_admin_url) as con:
        con.execute(f"create role \"{name}\" login createrole password '{password}'")
    try:
        yield name, password
    finally:
        _drop_roles(pg_admin_url, name)


@pytest.fixture(scope="module")
def new_database(pg_admin_url, owner):
    """Makes empty databases owned by ``owner``; after the module they are dropped, then their BI roles."""
    from tests.pg import fresh_pg_database

    roles: list[str] = []
    with ExitStack() as stack:
        stack.callback(lambda: _drop_roles(pg_admin_url, *roles))  # first in, so last out: after the databases

        def make() -> str:
            url = stack.enter_context(fresh_pg_database(pg_admin_url, prefix="pressdx_bi_test"))
            dbname = WarehouseURL.parse(url).dbname
            roles.append(default_role(dbname))
            with _connect(pg_admin_url) as con:
                con.execute(f'alter database "{dbname}" owner to "{owner[0]}"')
            return _as(url, *owner)

        yield make


@pytest.fixture(scope="module")
def built_pg(new_database) -> str:
    url = new_database()
    build(url, as_of="2024-07-10T00:00:00+07:00", through="2024-Q2")  # calls grant_bi_reader at the end
    return url


def test_default_role_is_named_after_the_database():
    assert default_role("pressdx") == "pressdx_bi_pressdx"
    assert default_role("KPI-Warehouse 2026") == "pressdx_bi_kpi_warehouse_2026"
    long_a, long_b = default_role("w" * 80 + "a"), default_role("w" * 80 + "b")
    assert len(long_a) == 63 and long_a != long_b


def test_set_role_reads_marts_and_nothing_else(built_pg, pg_admin_url):
    import psycopg

    role = default_role(WarehouseURL.parse(built_pg).dbname)
    done = grant_bi_reader(built_pg)
    assert done["role"] == role and done["created"] is False  # the build made it already
    assert done["granted"] == ["marts"]
    assert {"raw", "audit", "staging", "intermediate", "reference"} <= set(done["revoked"])
    with _connect(built_pg) as con:  # the owner, as a later dbt build would
        con.execute("create table marts.zz_created_after_the_grant as select 1 as x")
    with _connect(_admin_in(pg_admin_url, built_pg)) as con:  # may SET ROLE to any role
        con.execute(f"set role {role}")
        assert con.execute("select count(*) from marts.fct_indicator_period").fetchone()[0] > 0
        assert con.execute("select count(*) from marts.fct_submission_timeliness").fetchone()[0] >= 0
        assert con.execute("select count(*) from marts.dim_press_agency_current").fetchone()[0] >= 0
        assert con.execute("select x from marts.zz_created_after_the_grant").fetchone() == (1,)
        for table in ("raw.submissions", "audit.intake_events", "staging.stg_raw__submissions",
                      "intermediate.int_submissions__visible", "reference.reporting_calendar"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(f"select 1 from {table} limit 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("delete from marts.dim_build")  # read-only
        con.execute("reset role")
        con.execute("drop table marts.zz_created_after_the_grant")
        can_login, comment = con.execute("select rolcanlogin, shobj_description(oid, 'pg_authid') from pg_roles "
                                         "where rolname = %s", (role,)).fetchone()
    assert can_login is False
    assert comment == MARKER + WarehouseURL.parse(built_pg).dbname


def test_the_bi_role_cannot_create_temp_tables_and_the_build_still_can(built_pg, pg_admin_url):
    import psycopg

    role = default_role(WarehouseURL.parse(built_pg).dbname)
    with _connect(_admin_in(pg_admin_url, built_pg)) as con:
        (acl,) = con.execute("select datacl::text from pg_database where datname = current_database()").fetchone()
        public = [e for e in acl.strip("{}").split(",") if e.startswith("=")]  # PUBLIC: the empty grantee
        assert public and all("T" not in e.split("/")[0] for e in public), acl
        con.execute(f"set role {role}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("create temp table zz_bi_scratch (x int)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("create table marts.zz_bi_scratch (x int)")
    with _connect(built_pg) as con:
        con.execute("create temp table zz_owner_scratch (x int)")  # the warehouse's own user keeps TEMP
    # a BI tool's own login, member of the BI role, even with an explicit grant on the database, gets no TEMP
    login, password = f"pressdx_tool_t{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    with _connect(pg_admin_url) as con:
        con.execute(f"create role \"{login}\" login password '{password}' in role \"{role}\"")
    try:
        with _connect(_admin_in(pg_admin_url, built_pg)) as con:
            con.execute(f'grant connect on database "{WarehouseURL.parse(built_pg).dbname}" to "{login}"')
        assert login not in grant_bi_reader(built_pg)["temp_kept_for"]
        with _connect(_as(built_pg, login, password)) as con:
            assert con.execute("select count(*) from marts.dim_build").fetchone()[0] == 1
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute("create temp table zz_tool_scratch (x int)")
    finally:
        with _connect(_admin_in(pg_admin_url, built_pg)) as con:
            con.execute(f'drop owned by "{login}"')
        _drop_roles(pg_admin_url, login)
    # dbt as the owner after the revoke: a model rebuilt, and the unit tests (each creates a temp table)
    run_dbt(built_pg, ["build", "--select", "dim_press_agency_current"])
    run_dbt(built_pg, ["test", "--select", "fct_submission_timeliness,test_type:unit"])


def test_a_login_role_with_a_password_from_the_environment(built_pg, pg_admin_url, monkeypatch, capsys):
    import psycopg

    role = f"pressdx_bi_t{uuid.uuid4().hex[:8]}"
    password = "bi-secret-" + uuid.uuid4().hex[:6]
    monkeypatch.setenv("PRESSDX_BI_PASSWORD", password)
    try:
        assert main(["grant-bi", "--role", role, "--warehouse", built_pg]) == 0
        out = capsys.readouterr().out
        assert f"role {role} (created, login)" in out and password not in out
        with _connect(_as(built_pg, role), password=password) as con:
            assert con.execute("select count(*) from marts.dim_task").fetchone()[0] == 36
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute("select 1 from raw.submissions limit 1")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute("create temp table zz (x int)")
    finally:
        with _connect(_admin_in(pg_admin_url, built_pg)) as con:  # privileges here first, then the role
            con.execute(f'drop owned by "{role}"')
        _drop_roles(pg_admin_url, role)


def test_a_role_of_another_database_is_never_changed(built_pg, new_database, pg_admin_url, monkeypatch, capsys):
    other = new_database()  # a second warehouse on the same server, empty: its BI role is made by grant-bi
    other_role = default_role(WarehouseURL.parse(other).dbname)
    assert main(["grant-bi", "--warehouse", other]) == 0
    assert f"role {other_role} (created, nologin)" in capsys.readouterr().out

    monkeypatch.setenv("PRESSDX_BI_PASSWORD", "must-not-be-set")
    assert main(["grant-bi", "--role", other_role, "--warehouse", built_pg]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"role {other_role} is the BI role of database" in err
    assert "Traceback" not in err and "ConfigError" not in err
    with _connect(built_pg) as con:
        (login,) = con.execute("select rolcanlogin from pg_roles where rolname = %s", (other_role,)).fetchone()
        assert login is False  # no password was set on it
        has = con.execute("select has_database_privilege(%s, current_database(), 'connect')", (other_role,))
        # CONNECT through PUBLIC is every role's: what matters is that nothing was granted to it here
        assert has.fetchone()[0] is True
        (acl,) = con.execute("select datacl::text from pg_database where datname = current_database()").fetchone()
        assert other_role not in acl


def test_a_marked_role_with_privileges_elsewhere_is_refused(built_pg, pg_admin_url, capsys):
    dbname = WarehouseURL.parse(built_pg).dbname
    role = f"pressdx_bi_t{uuid.uuid4().hex[:8]}"
    with _connect(pg_admin_url) as con:  # marked for this database, but someone granted it on another one
        con.execute(f'create role "{role}" nologin')
        con.execute(f"comment on role \"{role}\" is '{MARKER}{dbname}'")
        con.execute(f'grant connect on database postgres to "{role}"')
    try:
        assert main(["grant-bi", "--role", role, "--warehouse", built_pg]) == 2
        assert f"role {role} also holds privileges in database postgres" in capsys.readouterr().err
    finally:
        with _connect(pg_admin_url) as con:
            con.execute(f'revoke connect on database postgres from "{role}"')
        _drop_roles(pg_admin_url, role)


def test_a_role_grant_bi_did_not_create_is_refused(built_pg, pg_admin_url, capsys):
    role = f"pressdx_someone_t{uuid.uuid4().hex[:8]}"
    with _connect(pg_admin_url) as con:
        con.execute(f'create role "{role}" nologin')
    try:
        assert main(["grant-bi", "--role", role, "--warehouse", built_pg]) == 2
        assert f"role {role} exists and is not a pressdx BI role" in capsys.readouterr().err
        with _connect(built_pg) as con:
            (acl,) = con.execute("select datacl::text from pg_database where datname = current_database()").fetchone()
        assert role not in acl
    finally:
        _drop_roles(pg_admin_url, role)


def test_the_example_queries_of_docs_bi_md_run_as_the_bi_role(built_pg, pg_admin_url):
    """Every SQL example of docs/bi.md runs on PostgreSQL with the BI role's privileges (marts only)."""
    import re

    doc = Path(__file__).resolve().parents[2] / "docs" / "bi.md"
    blocks = re.findall(r"```sql\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    statements = [s.strip() for b in blocks for s in b.split(";")
                  if s.strip() and "marts." in s and not re.match(r"(?is)\s*(create|alter|grant)\s", s)]
    assert len(statements) >= 10
    role = default_role(WarehouseURL.parse(built_pg).dbname)
    with _connect(_admin_in(pg_admin_url, built_pg)) as con:
        con.execute(f"set role {role}")
        for statement in statements:
            con.execute(statement).fetchall()


def test_duckdb_has_no_roles(duckdb_url, capsys):
    assert main(["grant-bi", "--warehouse", duckdb_url]) == 2
    assert "only on a PostgreSQL warehouse" in capsys.readouterr().err
