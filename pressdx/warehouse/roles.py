"""The read-only role BI tools use on the PostgreSQL warehouse (interfaces.md: BI reads ``marts`` only).

Roles are cluster-wide in PostgreSQL, warehouses are databases: one server may hold several warehouses
(production, staging, every test database). So each warehouse database gets a role of its own, by default
``pressdx_bi_<database>`` (``default_role``), and the role carries a marker, its comment
``pressdx BI reader of database <name>``, set when this module creates it. ``grant_bi_reader`` refuses
(``ConfigError``) a role that has no marker (someone else's role), whose marker names another database, or
that holds privileges in another database (``pg_shdepend``), so a password or a grant given here never
changes what a BI tool of another warehouse can do.

``grant_bi_reader(url)`` creates the role if missing (NOLOGIN: grant it to the BI tools' own login roles;
or LOGIN with the password in the environment variable ``PRESSDX_BI_PASSWORD`` when that is set, so BI
tools log in as it; without the variable an existing role keeps its LOGIN attribute and password), gives
it CONNECT on the database, USAGE on ``marts`` and SELECT on every table and view in it, sets the default
privileges so that the tables dbt creates later in ``marts`` are readable too, and revokes everything on
the other schemas (raw, audit, reference, staging, intermediate, portal), on the as-of builds' prefixed
schemas and on a build's ``next_``/``prev_`` schemas while it is swapped in (pressdx.warehouse.swap). It
is idempotent: call it after every PostgreSQL build (dbt re-creates the tables) and from ``pressdx grant-bi``.

Temporary tables. Every role gets TEMPORARY on every database through PUBLIC, and a privilege granted to
PUBLIC cannot be denied to one role, so a read-only role could still fill the server's disk with temp
tables. The only lever is the database's ACL: ``REVOKE TEMPORARY ON DATABASE <this one> FROM PUBLIC``,
which changes this database alone (privileges on a database are per database; no other warehouse on the
server is touched), but takes TEMP from every role that had it only through PUBLIC. So TEMP is granted
back explicitly, before the revoke, to the roles that build and use this warehouse: the database owner
(who keeps it anyway), the role running this function (the warehouse URL's user, which runs dbt: its unit
tests create temp tables), and every other role that owns a schema here or already holds an explicit
privilege on the database, except pressdx BI roles and their members (the BI tools' logins). Another
role that needs temp tables here later gets ``GRANT TEMPORARY ON DATABASE … TO …`` (docs/bi.md).

Default privileges apply to tables created by the role that runs this function, so run it as the role
that runs dbt (the warehouse URL's user), the database's owner. DuckDB has no roles: a DuckDB warehouse is
a ConfigError.
"""

from __future__ import annotations

import hashlib
import os
import re

from pressdx.settings import ConfigError
from pressdx.warehouse.connection import WarehouseURL

ROLE_PREFIX = "pressdx_bi_"
MARKER = "pressdx BI reader of database "
PASSWORD_ENV = "PRESSDX_BI_PASSWORD"
READABLE_SCHEMAS = ("marts",)
PRIVATE_SCHEMAS = ("raw", "audit", "reference", "staging", "intermediate", "portal")
# as-of builds, and a regular build's staging and previous schemas (pressdx.warehouse.swap): never for BI
BUILD_SCHEMA_RE = re.compile(r"(asof|next|prev)_[a-z0-9_]+")
ROLE_RE = re.compile(r"[a-z_][a-z0-9_]{0,62}")
MAX_IDENTIFIER = 63  # PostgreSQL's NAMEDATALEN - 1


def default_role(dbname: str) -> str:
    """``pressdx_bi_<database>``: lower-case, every run of other characters an underscore, at most 63 bytes
    (a longer name keeps its start and gets 8 hex digits of its hash, so two long names stay apart)."""
    stem = re.sub(r"[^a-z0-9_]+", "_", dbname.lower()).strip("_") or "db"
    name = ROLE_PREFIX + stem
    if len(name) > MAX_IDENTIFIER:
        digest = hashlib.sha256(dbname.encode()).hexdigest()[:8]
        name = f"{name[:MAX_IDENTIFIER - 9]}_{digest}"
    return name


def marker(dbname: str) -> str:
    """The comment that makes a role this database's pressdx BI role."""
    return MARKER + dbname


def grant_bi_reader(url: WarehouseURL | str, role: str | None = None, password_env: str = PASSWORD_ENV) -> dict:
    """Create/refresh the read-only BI role of the warehouse ``url`` (default ``default_role(database)``);
    returns what was done. A role that belongs to something else is refused with a ``ConfigError``."""
    import psycopg
    from psycopg import sql

    url = url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)
    if url.kind != "postgres":
        raise ConfigError("a read-only BI role exists only on a PostgreSQL warehouse (DuckDB has no roles)")
    role = role or default_role(url.dbname)
    if not ROLE_RE.fullmatch(role):
        raise ConfigError(f"role name {role!r}: use lower-case letters, digits and underscores (at most 63)")
    password = os.environ.get(password_env) or None
    r = sql.Identifier(role)
    try:
        con = psycopg.connect(host=url.host, port=url.port, user=url.user, password=url.password or None,
                              dbname=url.dbname, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as e:
        raise ConfigError(f"cannot connect to {url.display}: {str(e).strip().splitlines()[0]}") from e
    with con:
        _refuse_foreign(con, role, url.dbname)
        created = _ensure_role(con, role, url.dbname)
        if password is not None:  # without it, an existing role keeps its LOGIN attribute and password
            con.execute(sql.SQL("alter role {} login password {}").format(r, sql.Literal(password)))
        (login,) = con.execute("select rolcanlogin from pg_roles where rolname = %s", (role,)).fetchone()
        schemas = {s for (s,) in con.execute("select nspname from pg_namespace").fetchall()}
        db = sql.Identifier(url.dbname)
        with con.transaction():
            temp_kept = _keep_temp_for_builders(con, url.dbname)
            con.execute(sql.SQL("revoke temporary on database {} from public").format(db))
            con.execute(sql.SQL("revoke temporary, create on database {} from {}").format(db, r))
            con.execute(sql.SQL("grant connect on database {} to {}").format(db, r))
            private = [s for s in schemas if s in PRIVATE_SCHEMAS or BUILD_SCHEMA_RE.fullmatch(s)]
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
    return {"role": role, "created": created, "login": login, "granted": granted, "revoked": sorted(private),
            "temp_kept_for": temp_kept}


def _refuse_foreign(con, role: str, dbname: str) -> None:
    """Raise a ConfigError when ``role`` exists and is not this database's pressdx BI role."""
    row = con.execute("select oid, shobj_description(oid, 'pg_authid'), rolsuper from pg_roles where rolname = %s",
                      (role,)).fetchone()
    if row is None:
        return
    oid, comment, superuser = row
    if superuser or not (comment or "").startswith(MARKER):
        raise ConfigError(f"role {role} exists and is not a pressdx BI role (grant-bi creates its own: "
                          f"leave out --role, or name a new role)")
    if comment != marker(dbname):
        raise ConfigError(f"role {role} is the BI role of database {comment[len(MARKER):]}, not of {dbname}: "
                          f"name another role with --role")
    others = [d for (d,) in con.execute(
        """select distinct d.datname
           from pg_shdepend s
           join pg_database d
             on (s.dbid = d.oid and s.dbid <> 0)
             or (s.dbid = 0 and s.classid = 'pg_database'::regclass and s.objid = d.oid)
           where s.refclassid = 'pg_authid'::regclass and s.refobjid = %s and d.datname <> current_database()
           order by 1""", (oid,)).fetchall()]
    if others:
        raise ConfigError(f"role {role} also holds privileges in database {', '.join(others)}: "
                          f"name another role with --role")


def _keep_temp_for_builders(con, dbname: str) -> list[str]:
    """Grant TEMPORARY on this database to the roles that build and use it (see the module's docstring),
    so that revoking it from PUBLIC takes it from nobody but the BI roles; returns their names."""
    from psycopg import sql

    names = [n for (n,) in con.execute(
        """with db as (select oid, datdba, datacl from pg_database where datname = current_database()),
           builders as (
               select datdba as oid from db
               union select oid from pg_roles where rolname = current_user
               union select nspowner from pg_namespace where nspname not like 'pg\\_%%'
                                                         and nspname <> 'information_schema'
               union select a.grantee from db, aclexplode(db.datacl) as a where a.grantee <> 0
           )
           select r.rolname from builders b join pg_roles r on r.oid = b.oid
           where r.rolname not like 'pg\\_%%'
             and coalesce(shobj_description(r.oid, 'pg_authid'), '') not like %s
             and not exists (  -- a BI tool's login, member of a BI role, stays without TEMP too
                 select 1 from pg_auth_members m
                 where m.member = r.oid and coalesce(shobj_description(m.roleid, 'pg_authid'), '') like %s)
           order by 1""", (MARKER + "%", MARKER + "%")).fetchall()]
    for n in names:
        con.execute(sql.SQL("grant temporary on database {} to {}").format(sql.Identifier(dbname), sql.Identifier(n)))
    return names


def _ensure_role(con, role: str, dbname: str) -> bool:
    import psycopg
    from psycopg import sql

    if con.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone():
        return False
    try:
        with con.transaction():
            con.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))
            con.execute(sql.SQL("comment on role {} is {}").format(sql.Identifier(role), sql.Literal(marker(dbname))))
    except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):  # created meanwhile
        _refuse_foreign(con, role, dbname)
        return False
    except psycopg.errors.InsufficientPrivilege:
        raise ConfigError(f"the warehouse user may not create role {role}: give it CREATEROLE, or create the "
                          f"role once as an administrator (CREATE ROLE {role} NOLOGIN; "
                          f"COMMENT ON ROLE {role} IS '{marker(dbname)}')") from None
    return True
