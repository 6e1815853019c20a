"""The lower bound measured next to the pipeline, in the same run, on the same data.

- **Bulk load**: the normalised rows the pipeline took in (dumped as CSV by ``bench.case`` after its timed
  stages) loaded with the database's native bulk path into copies of the raw tables, in a separate
  database: ``COPY … FROM STDIN (FORMAT csv)`` on PostgreSQL, ``read_csv`` on DuckDB.
- **One query**: ``lower_bound.sql``, hand-written, computing I1–I7 for every period in scope from those
  tables by ``shared/spec/kpi-rules.md`` (four-period look-back, active agencies, current versions, as of
  the pipeline build's instant).
- **Agreement**: its figures against ``marts.fct_indicator_period`` of the pipeline's warehouse, for every
  indicator the marts have. A mismatch is a bug in one of the two.
"""

from __future__ import annotations

import csv
import math
import string
import time
from datetime import datetime
from pathlib import Path

from pressdx.domain import calendar
from pressdx.domain.datasets import DATASETS
from pressdx.settings import seeds_dir
from pressdx.warehouse.connection import SUBMISSIONS_DDL, Warehouse, WarehouseURL, raw_columns, raw_table_ddl

SQL_FILE = Path(__file__).with_name("lower_bound.sql")
SEEDS = seeds_dir()
SCHEMA = "lb"
INDICATORS = ("I1", "I2", "I3", "I4", "I5", "I6", "I7")
TABLES = ("submissions", *DATASETS)
COMPARED = ("numerator", "denominator", "value_pct", "coverage_pct")
REL_TOL = 1e-9


# -- the query ---------------------------------------------------------------------------------------------------
def _date(d) -> str:
    return f"cast('{d.isoformat()}' as date)"


def query_sql(as_of: datetime, through: str, first_period: str = "2023-Q1", lookback: int = 4,
              schema: str = SCHEMA) -> str:
    """``lower_bound.sql`` filled in for one build: the calendar and I4 thresholds inlined from the seeds."""
    cal = ",\n        ".join(
        f"(cast('{p.code}' as varchar), {p.year}, {p.index}, {_date(p.coverage_start)}, {_date(p.coverage_end)})"
        for p in calendar.periods())
    with (SEEDS / "indicator_targets.csv").open(encoding="utf-8", newline="") as f:
        thresholds = [(int(r["year"]), float(r["min_revenue_growth_pct"])) for r in csv.DictReader(f)
                      if r["indicator_code"] == "I4" and r["min_revenue_growth_pct"].strip()]
    thr = ",\n        ".join(f"({y}, cast({v!r} as double precision))" for y, v in thresholds) \
        or "(0, cast(null as double precision))"
    if as_of.tzinfo is None:
        raise ValueError("as_of must be aware")
    as_of_sql = f"cast('{as_of.isoformat(sep=' ')}' as timestamptz)"
    scope = ", ".join(f"(cast('{p.code}' as varchar))" for p in calendar.periods_through(through, first_period))
    return string.Template(SQL_FILE.read_text(encoding="utf-8")).substitute(
        schema=schema, as_of=as_of_sql, scope=scope, lookback=int(lookback), calendar=cal, thresholds=thr)


# PostgreSQL plans the query with these session settings: its planner estimates the CTEs filtered on a
# window rank (``version_rank = 1``) at one or two rows and then nests loops over tens of thousands of rows
# (minutes at scale 1); and with nested loops disabled the inflated costs switch JIT compilation on, which
# costs more (~4 s) than the query itself (~1 s). Both are plain session settings, no extension needed.
PG_SESSION = ("set enable_nestloop = off", "set jit = off")


def run_query(wh: Warehouse, as_of: datetime, through: str) -> tuple[list[dict], float]:
    sql = query_sql(as_of, through)
    if wh.kind == "postgres":
        for setting in PG_SESSION:
            wh.execute(setting)
    t = time.perf_counter()
    # Straight to the driver, without parameters: the query's LIKE patterns hold '%', which psycopg would
    # otherwise read as placeholders.
    if wh.kind == "postgres":
        with wh._con.cursor() as cur:
            cur.execute(sql)
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
    else:
        cur = wh._con.execute(sql)
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    elapsed = time.perf_counter() - t
    return [dict(zip(names, r, strict=True)) for r in rows], elapsed


# -- the bulk load -----------------------------------------------------------------------------------------------
def create_tables(wh: Warehouse, schema: str = SCHEMA) -> None:
    wh.execute(f"create schema if not exists {schema}")
    wh.execute(SUBMISSIONS_DDL.replace("raw.submissions", f"{schema}.submissions", 1))
    for name in DATASETS:
        wh.execute(raw_table_ddl(name).replace(f"raw.{name}", f"{schema}.{name}", 1))


def _columns(table: str) -> list[str]:
    from ingest.records import SUBMISSION_COLS

    return list(SUBMISSION_COLS) if table == "submissions" else raw_columns(table)


def _duckdb_types(wh: Warehouse, schema: str, table: str) -> dict[str, str]:
    rows = wh.query("select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position", (schema, table))
    return dict(rows)


def bulk_load(wh: Warehouse, dump_dir: Path, schema: str = SCHEMA) -> dict:
    """Load every ``<table>.csv`` of ``dump_dir`` with the native bulk path; returns rows per table."""
    loaded: dict[str, int] = {}
    for table in TABLES:
        path = dump_dir / f"{table}.csv"
        if not path.exists():
            continue
        cols = _columns(table)
        if wh.kind == "postgres":
            con = wh._con  # the psycopg connection: COPY streams the file as it is
            with con.transaction(), con.cursor() as cur:
                with cur.copy(f"copy {schema}.{table} ({', '.join(cols)}) from stdin (format csv, header true)") as cp, \
                        path.open("rb") as f:
                    while chunk := f.read(1 << 20):
                        cp.write(chunk)
                loaded[table] = cur.rowcount
        else:
            types = _duckdb_types(wh, schema, table)
            spec = "{" + ", ".join(f"'{c}': '{types[c]}'" for c in cols) + "}"
            literal = str(path).replace("'", "''")
            wh.execute(f"insert into {schema}.{table} ({', '.join(cols)}) select {', '.join(cols)} from read_csv("
                       f"'{literal}', header = true, auto_detect = false, columns = {spec}, "
                       "allow_quoted_nulls = false, quote = '\"', escape = '\"')")
            loaded[table] = wh.query(f"select count(*) from {schema}.{table}")[0][0]
    return loaded


# -- agreement ---------------------------------------------------------------------------------------------------
def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


def compare(lower: list[dict], marts: list[dict]) -> dict:
    """Figures of the single query against the marts, for the indicators (I1–I7) the marts have."""
    mart_by = {(r["indicator_code"], r["period_code"]): r for r in marts if r["indicator_code"] in INDICATORS}
    have = sorted({k[0] for k in mart_by})
    mismatches, missing = [], []
    compared = 0
    for r in lower:
        if r["indicator_code"] not in have:
            continue
        m = mart_by.get((r["indicator_code"], r["period_code"]))
        if m is None:
            missing.append(f"{r['indicator_code']} {r['period_code']}")
            continue
        compared += 1
        for col in COMPARED:
            if not _same(r[col], m[col]):
                mismatches.append({"indicator_code": r["indicator_code"], "period_code": r["period_code"],
                                   "column": col, "lower_bound": r[col], "marts": m[col]})
    return {"indicators_compared": have, "not_in_marts": [i for i in INDICATORS if i not in have],
            "rows_compared": compared, "mismatch_count": len(mismatches), "mismatches": mismatches[:40],
            "missing_in_marts": missing[:40], "agree": not mismatches and not missing and compared > 0}


def marts_figures(url: WarehouseURL, through_index: int) -> list[dict]:
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        return wh.query_dicts(
            "select indicator_code, period_code, numerator, denominator, value_pct, coverage_pct "
            "from marts.fct_indicator_period where period_index <= ?", (through_index,))


# -- the phase ---------------------------------------------------------------------------------------------------
def run_lower_bound(spec: dict) -> dict:
    """``spec``: ``lb_url`` (its own database), ``url`` (the pipeline's warehouse), ``dump_dir``, ``as_of``,
    ``through``, ``create`` (true for the first load into an empty database)."""
    lb_url = WarehouseURL.parse(spec["lb_url"])
    as_of = datetime.fromisoformat(spec["as_of"])
    through = spec["through"]
    with Warehouse(lb_url) as wh:
        if spec.get("create", True):
            create_tables(wh)
        t = time.perf_counter()
        loaded = bulk_load(wh, Path(spec["dump_dir"]))
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        if wh.kind == "postgres":  # statistics, as autovacuum would gather them after a load (not timed as load)
            for table in TABLES:
                wh.execute(f"analyze {SCHEMA}.{table}")
        analyze_s = time.perf_counter() - t
        rows, query_s = run_query(wh, as_of, through)
    agreement = compare(rows, marts_figures(WarehouseURL.parse(spec["url"]), calendar.period(through).index))
    return {"phase": spec["phase"], "warehouse": lb_url.kind, "through": through, "as_of": as_of.isoformat(),
            "bulk_load_s": round(load_s, 4), "analyze_s": round(analyze_s, 4), "rows_loaded": loaded, "query_s": round(query_s, 4),
            "query_rows": len(rows), "agreement": agreement}
