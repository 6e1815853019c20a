"""The read-only role BI tools use on the PostgreSQL warehouse (interfaces.md: BI reads ``marts`` only).

``grant_bi_reader(url)`` creates the role if missing (NOLOGIN: grant it to the BI tools' own login roles;
or LOGIN with the password in the environment variable ``PRESSDX_BI_PASSWORD`` when that is set, so BI
tools log in as it; without the variable an existing role keeps its LOGIN attribute and password), gives
it USAGE on ``marts`` and SELECT on every table and view in it, sets the default privileges so that the
tables dbt creates later in ``marts`` are readable too, and revokes everything on the other schemas (raw,
audit, reference, staging, intermediate) and on the as-of builds' prefixed schemas. It is idempotent:
call it after every PostgreSQL build (dbt re-creates the tables) and from ``pressdx grant-bi``.

Default privileges apply to tables created by the role that runs this function, so run it as the role
that runs dbt (the warehouse URL's user). DuckDB has no roles: a DuckDB warehouse is a ConfigError.
"""

from __future__ import annotations

import os
import re

from pressdx.settings import ConfigError
from pressdx.warehouse.connection import WarehouseURL

DEFAULT_ROLE = "pressdx_bi"
PASSWORD_ENV = "PRESSDX_BI_PASSWORD"
READABLE_SCHEMAS = ("marts",)
PRIVATE_SCHEMAS = ("raw", "audit", "reference", "staging", "intermediate", "portal")
ROLE_RE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grant_bi_reader(url: WarehouseURL | str, role: str = DEFAULT_ROLE, password_env: str = PASSWORD_ENV) -> dict:
    """Create/refresh the read-only BI role on the warehouse ``url``; returns what was done."""
    import psycopg
    from psycopg import sql

    url = url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)
    if url.kind != "postgres":
        raise ConfigError("a read-only BI role exists only on a PostgreSQL warehouse (DuckDB has no roles)")
    if not ROLE_RE.fullmatch(role):
        raise ConfigError(f"role name {role!r}: use lower-case letters, digits and underscores")
    password = os.environ.get(password_env) or None
    r = sql.Identifier(role)
    try:
        con = psycopg.connect(host=url.host, port=url.port, user=url.user, password=url.password or None,
                              dbname=url.dbname, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as e:
        raise ConfigError(f"cannot connect to {url.display}: {str(e).strip().splitlines()[0]}") from e
    with con:
        created = _ensure_role(con, role)
        if password is not None:  # without it, an existing role keeps its LOGIN attribute and password
            con.execute(sql.SQL("alter role {} login password {}").format(r, sql.Literal(password)))
        (login,) = con.execute("select rolcanlogin from pg_roles where rolname = %s", (role,)).fetchone()
        schemas = {s for (s,) in con.execute("select nspname from pg_namespace").fetchall()}
        with con.transaction():
            con.execute(sql.SQL("grant connect on database {} to {}").format(sql.Identifier(url.dbname), r))
            private = [s for s in schemas if s in PRIVATE_SCHEMAS or re.fullmatch(r"asof_[a-z0-9_]+", s)]
            for s in sorted(private):
                con.execute(sql.SQL("revoke all on all tables in schema {} from {}").format(sql.Identifier(s), r))
                con.execute(sql.SQL("revoke all on schema {} from {}").format(sql.Identifier(s), r))
                con.execute(sql.SQL("alter default privileges in schema {} revoke all on tables from {}")
                            .format(sql.Identifier(s), r))
            granted = []
            for s in READABLE_SCHEMAS:
                if s not in schemas:
                    continue
                ident = sql.Identifier(s)
                con.execute(sql.SQL("grant usage on schema {} to {}").format(ident, r))
                con.execute(sql.SQL("grant select on all tables in schema {} to {}").format(ident, r))
                con.execute(sql.SQL("alter default privileges in schema {} grant select on tables to {}")
                            .format(ident, r))
                granted.append(s)
    return {"role": role, "created": created, "login": login, "granted": granted, "revoked": sorted(private)}


def _ensure_role(con, role: str) -> bool:
    import psycopg
    from psycopg import sql

    if con.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone():
        return False
    try:
        con.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))
    except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):  # created meanwhile
        return False
    except psycopg.errors.InsufficientPrivilege:
        raise ConfigError(f"the warehouse user may not create role {role}: create it once as an administrator "
                          f"(CREATE ROLE {role} NOLOGIN) or give the user CREATEROLE") from None
    return True
