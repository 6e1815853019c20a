"""DuckDB and PostgreSQL give identical marts from the same inbox (interfaces.md: "Both run the same dbt
project and must give identical figures").

The sample inbox (pressdx.sample.generator, seed 781) is generated once at a reduced scale, taken in and built with
``pressdx.jobs.run.run(..., build=True)`` into a DuckDB file and into a fresh PostgreSQL database, then every
table of the ``marts`` schema is compared row for row, all columns: floats with a 1e-9 relative tolerance,
timestamps as UTC instants. Both runs read the same frozen clock (``pressdx.jobs.clock.now``,
after every sample file was received), so their ``as_of`` and the registration times of the units in
``sources.yml`` are the same instant and are compared too; only ``dim_build.build_id`` and
``dim_build.built_at`` (the dbt invocation and its start time) and ``fct_submission_lineage.loaded_at`` (when
intake loaded the file) are left out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from pressdx.jobs.run import run
from pressdx.sample.generator import generate
from pressdx.warehouse.connection import Warehouse, WarehouseURL

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.xdist_group("parity")]

SCALE = 0.2
THROUGH = "2025-Q4"
# When pressdx did something (a build, a load), not what it knew: wall-clock instants of each engine's own run.
EXCLUDED = {("dim_build", "build_id"), ("dim_build", "built_at"), ("fct_submission_lineage", "loaded_at")}
REL_TOL = 1e-9
NOW = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)  # after the last sample file (due 2025-12-15 + 60 days at most)


class FrozenClock(datetime):
    """``datetime`` whose ``now()`` is NOW: the pipeline's as_of and unit registration times."""

    @classmethod
    def now(cls, tz=None):
        return NOW.astimezone(tz) if tz is not None else NOW.replace(tzinfo=None)


@pytest.fixture(scope="module")
def built(tmp_path_factory, pg_module_url) -> Iterator[dict[str, WarehouseURL]]:
    root = tmp_path_factory.mktemp("parity")
    t0 = time.monotonic()
    generate(root / "sample", seed=781, through=THROUGH, scale=SCALE)
    seconds = {"sample": time.monotonic() - t0}
    urls = {"duckdb": WarehouseURL.parse(f"duckdb:///{root / 'warehouse.duckdb'}"),
            "postgres": WarehouseURL.parse(pg_module_url)}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("pressdx.jobs.clock.datetime", FrozenClock)
        for kind, url in urls.items():
            mp.setenv("PRESSDX_DATA_DIR", str(root / f"data_{kind}"))  # landing store and quarantine
            t0 = time.monotonic()
            summary = run(root / "sample" / "sources.yml", url.url, THROUGH, build=True)
            seconds[kind] = time.monotonic() - t0
            assert summary.intake.accepted, f"nothing taken in on {kind}"
            assert summary.as_of == NOW
    print(f"\n[parity] sample {seconds['sample']:.1f}s, run+build duckdb {seconds['duckdb']:.1f}s, "
          f"postgres {seconds['postgres']:.1f}s")
    yield urls


def mart_tables(url: WarehouseURL) -> list[str]:
    with Warehouse(url) as wh:
        return sorted(r[0] for r in wh.query("select table_name from information_schema.tables "
                                             "where table_schema = 'marts'"))


def mart_columns(url: WarehouseURL, table: str) -> list[str]:
    with Warehouse(url) as wh:
        rows = wh.query("select column_name from information_schema.columns where table_schema = 'marts' "
                        "and table_name = ? order by ordinal_position", (table,))
    return [r[0] for r in rows]


def normalised(value):
    """A value comparable across the two drivers: UTC instants, floats kept for the tolerance check."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value
    if isinstance(value, Decimal):
        return float(value)
    return value


def sort_key(row: tuple) -> tuple:
    # floats are rounded for ordering only (compared with the tolerance afterwards); None sorts first
    out = []
    for v in row:
        if v is None:
            out.append((0, ""))
        elif isinstance(v, float):
            out.append((1, f"{v:.6e}"))
        elif isinstance(v, bool | int):
            out.append((2, f"{int(v):+020d}"))
        elif isinstance(v, datetime | date):
            out.append((3, v.isoformat()))
        else:
            out.append((4, str(v)))
    return tuple(out)


def rows_of(url: WarehouseURL, table: str, columns: list[str]) -> list[tuple]:
    with Warehouse(url) as wh:
        rows = wh.query(f"select {', '.join(columns)} from marts.{table}")
    return sorted((tuple(normalised(v) for v in r) for r in rows), key=sort_key)


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=0.0) or float(a) == float(b)
    return a == b


def test_both_engines_build_the_same_mart_tables(built):
    tables = mart_tables(built["duckdb"])
    assert tables == mart_tables(built["postgres"])
    for t in ("fct_indicator_period", "fct_indicator_annual", "fct_agency_revenue_growth", "dim_indicator"):
        assert t in tables


def test_every_mart_is_identical_row_for_row(built):
    differences = []
    for table in mart_tables(built["duckdb"]):
        columns = [c for c in mart_columns(built["duckdb"], table) if (table, c) not in EXCLUDED]
        assert columns == [c for c in mart_columns(built["postgres"], table) if (table, c) not in EXCLUDED], table
        duck, pg = rows_of(built["duckdb"], table, columns), rows_of(built["postgres"], table, columns)
        if len(duck) != len(pg):
            differences.append(f"{table}: {len(duck)} rows on DuckDB, {len(pg)} on PostgreSQL")
            continue
        for d, p in zip(duck, pg, strict=True):
            bad = [f"{c}: {dv!r} != {pv!r}" for c, dv, pv in zip(columns, d, p, strict=True) if not same(dv, pv)]
            if bad:
                differences.append(f"{table} row {dict(zip(columns, d, strict=True))}: {'; '.join(bad)}")
                break
    assert not differences, "\n".join(differences)


def test_the_sample_gives_figures_for_every_indicator(built):
    # not a parity check: guards against comparing two empty marts
    with Warehouse(built["duckdb"]) as wh:
        rows = wh.query_dicts("select indicator_code, count(*) as n, count(value_pct) as with_value, "
                              "count(stage) as with_stage from marts.fct_indicator_period group by indicator_code")
        annual = wh.query("select count(*) from marts.fct_indicator_annual where year = 2025")[0][0]
    got = {r["indicator_code"]: r for r in rows}
    assert sorted(got) == ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8E", "I8R", "I8T"]
    for code, r in got.items():
        assert r["n"] == 12  # 2023-Q1 .. 2025-Q4
        assert (r["with_stage"] if code.startswith("I8") else r["with_value"]) >= 11, code  # 2023-Q1 has no data
    assert annual == 7 + 4  # 2025 targets for I1-I7, 2030 targets for I1-I4
