"""Publishing a build all at once: readers see the previous build or the new one, never a mix.

dbt commits model by model, so a build killed half-way used to leave ``marts`` holding some tables of the
new build and some of the old while ``dim_build`` named the new one (issue 12). Now a regular build goes
into staging schemas (``next_staging``, ``next_intermediate``, ``next_marts``, ``next_reference``: dbt's
``schema_prefix``, a fixed one so dbt's partial-parse state still serves every build), its data tests run
there, and only a build that passed is swapped in by ``publish``, in one transaction:

- PostgreSQL (transactional DDL): ``alter schema marts rename to prev_marts; alter schema next_marts rename
  to marts`` for the four schemas, the BI readers' grants on the old ``marts`` given again on the new one
  in the same transaction (``pressdx.warehouse.roles.grant_bi_reader`` then refreshes them and the default
  privileges); the old schemas are dropped after the commit. Renaming moves tables with their comments,
  contracts' constraints and statistics, and views keep pointing at the same tables: it costs nothing
  whatever the size.
- DuckDB cannot rename a schema ("Altering schemas is not yet supported", DuckDB 2.0), so the transaction
  copies every table of the staging schemas over its published namesake (``create or replace table … as
  select * from next_…``, with its table and column comments), re-creates the staging views with their
  ``next_`` references rewritten, and drops what the new build no longer has; the staging schemas are
  dropped after the commit. DuckDB's write-ahead log makes the transaction all-or-nothing under kill -9.
  It costs a copy of the built tables (measured in docs/knowledge-time.md).

As-of builds (``asof_<key>_…``, ``pressdx.warehouse.asof``) are built once each and never swapped: a build
is complete only once ``mark_complete`` has written its marker table, last, so one that was killed half-way
is dropped and built again instead of being reused.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime

from pressdx.warehouse.connection import Warehouse, WarehouseURL

log = logging.getLogger(__name__)

STAGE = "next_"
PREVIOUS = "prev_"
PUBLISHED = ("staging", "intermediate", "marts", "reference")  # the schemas dbt builds
MARKER = "pressdx_build_complete"
_STAGED_REF = re.compile(r'(?<![\w"])"?' + STAGE + r'(' + "|".join(PUBLISHED) + r')"?\.')
_VIEW_HEAD = re.compile(r"^\s*create\s+(?:or\s+replace\s+)?view\s+.+?\s+as\s+", re.IGNORECASE | re.DOTALL)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _schemas(wh: Warehouse) -> set[str]:
    return {r[0] for r in wh.query("select schema_name from information_schema.schemata")}


def drop_schemas(url: WarehouseURL, prefix: str) -> list[str]:
    """Drop the schemas a build with ``prefix`` makes (a killed build's leftovers); returns those dropped."""
    with Warehouse(url) as wh:
        present = _schemas(wh)
        gone = [prefix + s for s in PUBLISHED if prefix + s in present]
        for s in gone:
            wh.execute(f"drop schema if exists {_ident(s)} cascade")
    return gone


def is_complete(wh: Warehouse, prefix: str) -> bool:
    """Whether the build into ``prefix``'s schemas ran to its end (its marker exists)."""
    return wh.table_exists(f"{prefix}marts", MARKER)


def mark_complete(url: WarehouseURL, prefix: str, as_of: str | None, through: str | None) -> None:
    """Write the marker of a finished build into ``<prefix>marts``, as its last act."""
    with Warehouse(url) as wh, wh.transaction():
        wh.execute(f"create table {_ident(prefix + 'marts')}.{MARKER} "
                   "(as_of varchar, through_period varchar, completed_at timestamptz)")
        wh.execute(f"insert into {_ident(prefix + 'marts')}.{MARKER} values (?, ?, ?)",
                   (as_of, through, datetime.now(UTC)))


def publish(url: WarehouseURL, partial: bool = False) -> dict[str, float]:
    """Swap the staging build (``next_*``) in as the published schemas, in one transaction.

    ``partial``: the staging schemas hold only the relations a scoped build rebuilt
    (``pressdx.warehouse.scope``): those replace their namesakes and every other published relation stays.
    Returns the seconds the swap transaction and the clean-up after it took.
    """
    started = time.monotonic()
    with Warehouse(url) as wh:
        with wh.transaction():
            if url.kind == "postgres":
                leftovers = _move_postgres(wh) if partial else _swap_postgres(wh)
            else:
                leftovers = _swap_duckdb(wh, keep_others=partial)
        swapped = time.monotonic()
        for s in leftovers:
            wh.execute(f"drop schema if exists {_ident(s)} cascade")
    done = time.monotonic()
    log.info("build published on %s: swap %.2fs, clean-up %.2fs", url.display, swapped - started, done - swapped)
    return {"swap_s": swapped - started, "cleanup_s": done - swapped}


def _swap_postgres(wh: Warehouse) -> list[str]:
    present = _schemas(wh)
    old = []
    for s in PUBLISHED:
        if STAGE + s not in present:
            continue
        if s in present:
            wh.execute(f"drop schema if exists {_ident(PREVIOUS + s)} cascade")
            wh.execute(f"alter schema {_ident(s)} rename to {_ident(PREVIOUS + s)}")
            old.append(PREVIOUS + s)
        wh.execute(f"alter schema {_ident(STAGE + s)} rename to {_ident(s)}")
    if PREVIOUS + "marts" in old:  # the BI readers keep reading, without a moment of "permission denied"
        readers = wh.query(
            "select distinct r.rolname from pg_namespace n cross join lateral aclexplode(n.nspacl) a join pg_roles r "
            "on r.oid = a.grantee where n.nspname = ? and a.privilege_type = 'USAGE' and a.grantee <> n.nspowner",
            (PREVIOUS + "marts",))
        for (role,) in readers:
            wh.execute(f"grant usage on schema marts to {_ident(role)}")
            wh.execute(f"grant select on all tables in schema marts to {_ident(role)}")
    return old


def _move_postgres(wh: Warehouse) -> list[str]:
    """A scoped build's relations replace their published namesakes, moved (``set schema``: no copy). A
    dropped table takes its views with it (``cascade``): those are rebuilt too (``scope.select``), so they
    are moved in as well. The readers of ``marts`` get ``select`` on the moved tables in the same transaction."""
    present = _schemas(wh)
    staged_schemas = [STAGE + s for s in PUBLISHED if STAGE + s in present]
    moves = []
    for staged in staged_schemas:
        s = staged[len(STAGE):]
        wh.execute(f"create schema if not exists {_ident(s)}")
        rows = wh.query("select c.relname, case c.relkind when 'v' then 'view' else 'table' end from pg_class c "
                        "join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relkind in "
                        "('r', 'v', 'p') order by c.relname", (staged,))
        moves += [(staged, s, name, kind) for name, kind in rows]
    for _, s, name, kind in moves:
        wh.execute(f"drop {kind} if exists {_ident(s)}.{_ident(name)} cascade")
    for staged, _, name, kind in moves:
        wh.execute(f"alter {kind} {_ident(staged)}.{_ident(name)} set schema {_ident(staged[len(STAGE):])}")
    if any(s == "marts" for _, s, _, _ in moves):
        readers = wh.query(
            "select distinct r.rolname from pg_namespace n cross join lateral aclexplode(n.nspacl) a join pg_roles r "
            "on r.oid = a.grantee where n.nspname = 'marts' and a.privilege_type = 'USAGE' and a.grantee <> n.nspowner")
        for (role,) in readers:
            wh.execute(f"grant select on all tables in schema marts to {_ident(role)}")
    return staged_schemas


def _relations(wh: Warehouse, schema: str) -> dict[str, str]:
    """Name -> ``table`` or ``view`` of the relations of ``schema`` in this DuckDB database."""
    rows = wh.query("select table_name, 'table' from duckdb_tables() where schema_name = ? "
                    "and database_name = current_database() union all "
                    "select view_name, 'view' from duckdb_views() where schema_name = ? and not internal "
                    "and database_name = current_database()", (schema, schema))
    return dict(rows)


def _swap_duckdb(wh: Warehouse, keep_others: bool = False) -> list[str]:
    """Tables first, then views (DuckDB binds a view when it is created: what it reads must exist), each view
    after the views it reads. ``keep_others``: a scoped build's, whose staging schemas hold only what it
    rebuilt: the published relations it does not have stay."""
    present = _schemas(wh)
    staged_schemas = []
    views: dict[str, str] = {}  # "schema.name" -> the body of its view, references rewritten
    for s in PUBLISHED:
        staged = STAGE + s
        if staged not in present:
            continue
        staged_schemas.append(staged)
        wh.execute(f"create schema if not exists {_ident(s)}")
        current = _relations(wh, s)
        new = _relations(wh, staged)
        for name, kind in current.items():  # gone from the build, or changed kind: dropped first
            if new.get(name) != kind and not (keep_others and name not in new):
                wh.execute(f"drop {kind} {_ident(s)}.{_ident(name)}")
        for name, kind in sorted(new.items()):
            target = f"{_ident(s)}.{_ident(name)}"
            if kind == "table":
                wh.execute(f"create or replace table {target} as select * from {_ident(staged)}.{_ident(name)}")
                _copy_comments(wh, staged, s, name)
            else:
                (sql,) = wh.query("select sql from duckdb_views() where schema_name = ? and view_name = ? "
                                  "and database_name = current_database()", (staged, name))[0]
                views[f"{s}.{name}"] = _STAGED_REF.sub(r"\1.", _VIEW_HEAD.sub("", sql, count=1)).rstrip().rstrip(";")
    done: set[str] = set()

    def create(view: str, path: tuple[str, ...] = ()) -> None:
        if view in done or view in path:
            return
        for other in views:  # the views this one reads come first
            if other != view and re.search(r"(?<![\w.])" + re.escape(other) + r"\b", views[view]):
                create(other, (*path, view))
        schema, name = view.split(".", 1)
        wh.execute(f"create or replace view {_ident(schema)}.{_ident(name)} as {views[view]}")
        done.add(view)

    for view in sorted(views):
        create(view)
    return staged_schemas


def _copy_comments(wh: Warehouse, source: str, target: str, table: str) -> None:
    (comment,) = wh.query("select comment from duckdb_tables() where schema_name = ? and table_name = ? "
                          "and database_name = current_database()", (source, table))[0]
    where = f"{_ident(target)}.{_ident(table)}"
    if comment:
        wh.execute(f"comment on table {where} is {_literal(comment)}")
    for column, text in wh.query("select column_name, comment from duckdb_columns() where schema_name = ? "
                                 "and table_name = ? and database_name = current_database() "
                                 "and comment is not null", (source, table)):
        wh.execute(f"comment on column {where}.{_ident(column)} is {_literal(text)}")
