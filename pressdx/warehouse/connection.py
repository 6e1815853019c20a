"""The warehouse behind one URL: embedded DuckDB or PostgreSQL, with one small API for both.

Intake writes only to ``raw`` and ``audit``; dbt owns every other schema. Raw tables are append-only:
nothing here updates or deletes a row, so every figure can be recomputed as of any past instant.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from pressdx.domain.datasets import DATASETS, RAW_META_COLUMNS
from pressdx.settings import DEFAULT_URL, ConfigError

SMALL_INSERT = 50  # rows; below this DuckDB inserts row by row
SCHEMAS = ("raw", "audit", "reference", "staging", "intermediate", "marts")


SUBMISSIONS_DDL = """
create table if not exists raw.submissions (
    submission_id varchar primary key,
    unit_code varchar not null,
    dataset varchar not null,
    period varchar not null,
    status varchar not null,
    commentary varchar,
    received_at timestamptz not null,
    sha256 varchar not null,
    encoding varchar not null,
    source_name varchar not null,
    path varchar not null,
    row_count integer not null,
    warning_count integer not null,
    run_id varchar not null,
    loaded_at timestamptz not null
)"""

UNIT_REGISTRATIONS_DDL = """
create table if not exists raw.unit_registrations (
    unit_code varchar not null,
    unit_kind varchar not null,
    name_vi varchar,
    name_en varchar,
    active boolean not null,
    registered_at timestamptz not null,
    sources_file varchar,
    run_id varchar not null
)"""

AUDIT_DDL = (
    """
create table if not exists audit.runs (
    run_id varchar primary key,
    started_at timestamptz not null,
    finished_at timestamptz,
    sources_file varchar,
    through_period varchar,
    accepted integer,
    rejected integer,
    duplicates integer,
    outcome varchar,
    pid integer,
    host varchar
)""",
    """
create table if not exists audit.intake_events (
    event_id varchar primary key,
    run_id varchar not null,
    event_at timestamptz not null,
    outcome varchar not null,
    source_name varchar,
    source_unit varchar,
    path varchar,
    sha256 varchar,
    received_at timestamptz,
    unit_code varchar,
    dataset varchar,
    period varchar,
    status varchar,
    submission_id varchar,
    error_count integer not null,
    warning_count integer not null
)""",
    """
create table if not exists audit.intake_messages (
    event_id varchar not null,
    seq integer not null,
    severity varchar not null,
    rule varchar not null,
    row_number integer,
    column_name varchar,
    value varchar,
    message_vi varchar not null,
    message_en varchar not null
)""",
    """
create table if not exists audit.builds (
    build_id varchar primary key,
    as_of timestamptz not null,
    through_period varchar not null,
    inputs_sha256 varchar not null,
    finished_at timestamptz not null
)""",
    """
create table if not exists audit.source_state (
    source_name varchar primary key,
    cursor_value varchar,
    updated_at timestamptz not null
)""",
)


# Columns added after the first release: ``ensure_schema`` adds them to an older warehouse.
AUDIT_MIGRATIONS = (
    "alter table audit.runs add column if not exists pid integer",
    "alter table audit.runs add column if not exists host varchar",
    "alter table audit.builds add column if not exists inputs varchar",  # build_inputs.inputs(), as JSON
)

# One audit event per (unit, bytes, place, outcome) whatever the number of runs: intake records a file's
# verdict once (accepted: its submission; rejected: once, later copies are duplicates) and a duplicate once per
# new place (``ingest.intake.take_in``: a file still lying where it was is not news). So a second row with the
# same key can only come from two runs judging the same file at once: the index makes that impossible even
# if the run lock (``pressdx.warehouse.lock``) were bypassed, and so no unit is ever sent the same notice twice.
EVENT_KEY = ("source_unit", "sha256", "source_name", "path", "outcome")
EVENT_KEY_INDEX = "intake_events_once"


def raw_table_ddl(dataset: str) -> str:
    ds = DATASETS[dataset]
    cols = [f"{n} {t}" for n, t in RAW_META_COLUMNS] + [f"{c.name} {c.sql_type}" for c in ds.columns]
    return f"create table if not exists raw.{dataset} (\n    " + ",\n    ".join(cols) + "\n)"


def raw_columns(dataset: str) -> list[str]:
    return [n for n, _ in RAW_META_COLUMNS] + list(DATASETS[dataset].column_names)


@dataclass(frozen=True)
class WarehouseURL:
    """A parsed warehouse URL; ``kind`` is ``duckdb`` or ``postgres``."""

    url: str
    kind: str
    path: Path | None = None
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""

    @classmethod
    def parse(cls, url: str | None, base: Path | None = None) -> WarehouseURL:
        url = url or os.environ.get("PRESSDX_WAREHOUSE") or DEFAULT_URL
        if url.startswith("duckdb:///"):
            raw_path = url[len("duckdb:///"):]
            if not raw_path:
                raise ConfigError(f"warehouse URL {url!r} names no file")
            p = Path(raw_path)
            if not p.is_absolute():
                p = (base or Path.cwd()) / p
            return cls(url, "duckdb", path=p)
        if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
            u = urlparse(url)
            if not u.path.strip("/"):
                raise ConfigError(f"warehouse URL {redact(url)!r} names no database")
            return cls(url, "postgres", host=u.hostname or "127.0.0.1", port=u.port or 5432,
                       user=unquote(u.username or "postgres"), password=unquote(u.password or ""),
                       dbname=u.path.strip("/"))
        raise ConfigError(f"unknown warehouse URL {redact(url)!r}: use duckdb:///PATH or postgresql://…")

    @property
    def display(self) -> str:
        return redact(self.url)

    def with_path(self, path: Path) -> WarehouseURL:
        """A DuckDB warehouse at another file (``swap.building_copy``'s copy)."""
        return WarehouseURL.parse(f"duckdb:///{path.resolve()}")

    def dbt_env(self) -> dict[str, str]:
        """Environment for ``dbt_project/profiles.yml``: the password travels only in the environment."""
        if self.kind == "duckdb":
            return {"PRESSDX_DBT_TARGET": "duckdb", "PRESSDX_DUCKDB_PATH": str(self.path),
                    "PRESSDX_DUCKDB_MEMORY_LIMIT": duckdb_memory_limit()}
        # JIT compilation costs PostgreSQL ≈ 1.4 s per large model (measured at scale 10: 3.1 s → 2.1 s for
        # int_agency_revenue_growth__at_period) and never pays back on queries run once: off for dbt's sessions.
        options = f"{os.environ.get('PGOPTIONS', '')} -c jit=off".strip()
        return {"PRESSDX_DBT_TARGET": "postgres", "PRESSDX_PG_HOST": self.host,
                "PRESSDX_PG_PORT": str(self.port), "PRESSDX_PG_USER": self.user,
                "PRESSDX_PG_PASSWORD": self.password, "PRESSDX_PG_DBNAME": self.dbname, "PGOPTIONS": options}


def duckdb_memory_limit() -> str:
    """DuckDB's memory limit for the pipeline and dbt (``PRESSDX_DUCKDB_MEMORY_LIMIT``, default 2GB).

    DuckDB's own default is 80 % of the machine; it runs inside the pipeline's process, so without a
    limit a national-scale build keeps gigabytes of cached blocks. Past the limit it spills to disk.
    """
    return os.environ.get("PRESSDX_DUCKDB_MEMORY_LIMIT", "").strip() or "2GB"


def redact(url: str) -> str:
    u = urlparse(url)
    if u.password:
        return url.replace(f":{u.password}@", ":***@", 1)
    return url


class Warehouse:
    """A connection to the warehouse. Use as a context manager; ``transaction()`` is all-or-nothing."""

    def __init__(self, url: WarehouseURL, read_only: bool = False):
        self.url = url
        self.kind = url.kind
        if url.kind == "duckdb":
            import duckdb

            if read_only and not url.path.exists():
                raise ConfigError(f"no warehouse at {url.path}: run `pressdx run` first")
            url.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(str(url.path), read_only=read_only,
                                       config={"memory_limit": duckdb_memory_limit()})
            self._con.execute("set TimeZone='UTC'")
        else:
            import psycopg

            try:
                self._con = psycopg.connect(host=url.host, port=url.port, user=url.user,
                                            password=url.password or None, dbname=url.dbname,
                                            autocommit=True, connect_timeout=10)
            except psycopg.OperationalError as e:
                raise ConfigError(f"cannot connect to {url.display}: {str(e).strip().splitlines()[0]}") from e
            self._con.execute("set TimeZone='UTC'")
        self._in_tx = False

    # -- plumbing -----------------------------------------------------------------------------------
    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.kind == "postgres" else sql

    def execute(self, sql: str, params: Sequence | None = None) -> None:
        self._con.execute(self._sql(sql), params or ())

    def query(self, sql: str, params: Sequence | None = None) -> list[tuple]:
        if self.kind == "duckdb":
            return self._con.execute(sql, params or ()).fetchall()
        with self._con.cursor() as cur:
            cur.execute(self._sql(sql), params or ())
            return cur.fetchall() if cur.description else []

    def query_dicts(self, sql: str, params: Sequence | None = None) -> list[dict]:
        if self.kind == "duckdb":
            cur = self._con.execute(sql, params or ())
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        with self._con.cursor() as cur:
            cur.execute(self._sql(sql), params or ())
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def table_exists(self, schema: str, table: str) -> bool:
        rows = self.query("select 1 from information_schema.tables where table_schema = ? and table_name = ?",
                          (schema, table))
        return bool(rows)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        if self._in_tx:
            yield self
            return
        self._in_tx = True
        if self.kind == "duckdb":
            self._con.execute("begin transaction")
            try:
                yield self
            except BaseException:
                self._con.execute("rollback")
                raise
            else:
                self._con.execute("commit")
            finally:
                self._in_tx = False
        else:
            try:
                with self._con.transaction():
                    yield self
            finally:
                self._in_tx = False

    def insert_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        """Bulk-append rows: COPY on PostgreSQL, a columnar insert on DuckDB."""
        rows = list(rows)
        if not rows:
            return 0
        cols = ", ".join(columns)
        if self.kind == "postgres":
            with self._con.cursor() as cur, cur.copy(f"copy {table} ({cols}) from stdin") as cp:
                for r in rows:
                    cp.write_row(r)
        elif len(rows) <= SMALL_INSERT:
            # registering a DataFrame costs ~10 ms whatever its size: audit events are cheaper row by row
            marks = ", ".join("?" * len(columns))
            self._con.executemany(f"insert into {table} ({cols}) values ({marks})", rows)
        else:
            import pandas as pd

            # object columns keep None as NULL and Python dates/bools as they are, with no dtype guessing
            frame = pd.DataFrame({c: pd.Series([r[i] for r in rows], dtype=object) for i, c in enumerate(columns)})
            self._con.register("_pressdx_rows", frame)
            try:
                self._con.execute(f"insert into {table} ({cols}) select {cols} from _pressdx_rows")
            finally:
                self._con.unregister("_pressdx_rows")
        return len(rows)

    def export_csv(self, sql: str, path: Path) -> int:
        """Write the result of ``sql`` to ``path`` as CSV with a header, through the engine's own writer
        (NULL is an empty unquoted field); returns the number of rows. ``sql`` must hold no parameters."""
        if self.kind == "postgres":
            with path.open("wb") as f, self._con.cursor() as cur:
                with cur.copy(f"copy ({sql}) to stdout (format csv, header true)") as cp:
                    for chunk in cp:
                        f.write(chunk)
                return cur.rowcount  # known once the COPY has ended
        literal = str(path).replace("'", "''")
        return self._con.execute(f"copy ({sql}) to '{literal}' (format csv, header true)").fetchone()[0]

    # -- schema -------------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create schemas and the intake tables; safe to call on every run."""
        for s in SCHEMAS:
            self.execute(f"create schema if not exists {s}")
        self.execute(SUBMISSIONS_DDL)
        self.execute(UNIT_REGISTRATIONS_DDL)
        for ddl in AUDIT_DDL:
            self.execute(ddl)
        for ddl in AUDIT_MIGRATIONS:
            self.execute(ddl)
        self._ensure_event_key()
        for name in DATASETS:
            self.execute(raw_table_ddl(name))


    def _ensure_event_key(self) -> None:
        """The unique index on the audit events' run-independent key (``EVENT_KEY``), made once.

        A warehouse written before the index existed may hold the duplicates that concurrent runs made
        (issue 12: two runs at once recorded every rejection twice). They cannot be told apart but by their
        run, so the first event of each key (earliest ``event_at``, then ``event_id``) is kept and the later
        copies are removed with their messages, in one transaction with the index's creation.
        """
        exists = self.query("select 1 from pg_indexes where schemaname = 'audit' and indexname = ?"
                            if self.kind == "postgres" else
                            "select 1 from duckdb_indexes() where schema_name = 'audit' and index_name = ?",
                            (EVENT_KEY_INDEX,))
        if exists:
            return
        key = ", ".join(EVENT_KEY)
        copies = (f"select event_id from (select event_id, row_number() over (partition by {key} "
                  f"order by event_at, event_id) as n from audit.intake_events) e where n > 1")
        with self.transaction():
            later = [r[0] for r in self.query(copies)]
            for i in range(0, len(later), 500):
                chunk = later[i:i + 500]
                marks = ", ".join("?" * len(chunk))
                self.execute(f"delete from audit.intake_messages where event_id in ({marks})", chunk)
                self.execute(f"delete from audit.intake_events where event_id in ({marks})", chunk)
        # after the commit: DuckDB's index build still sees rows deleted in its own transaction
        self.execute(f"create unique index if not exists {EVENT_KEY_INDEX} on audit.intake_events ({key})")
        if later:
            import logging

            logging.getLogger(__name__).warning("audit.intake_events: %d duplicate event(s) of concurrent runs "
                                                "removed before its unique key was created", len(later))


def connect(url: str | None = None, read_only: bool = False) -> Warehouse:
    return Warehouse(WarehouseURL.parse(url), read_only=read_only)
