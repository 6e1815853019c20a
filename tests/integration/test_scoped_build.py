"""Scoped builds (issue 14: a run that takes in a few files rebuilds only what they touch).

After new submissions of some datasets, ``pressdx.jobs.build.build(..., if_changed=True)`` rebuilds only the
models whose rows they can change (``pressdx.warehouse.scope``: the ``changes_with`` declarations of
``dbt_project/macros/scope.sql`` and the graph) and reads the others where they are published. A wrong
declaration would leave a model stale, so, step after step on the same warehouse, a revision of a submission
of one or two datasets (a new version, half of its rows) is taken in, the scoped build runs, and every
relation of the four published schemas must then hold exactly the rows of a full build as of the same
instant (built into ``chk_`` schemas, no tests). The sample of the history tests (scale 0.05, through
2025-Q4); all nine datasets on DuckDB, two on PostgreSQL (both engines run the same selection code and the
same dbt project).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from pressdx.domain import calendar
from pressdx.jobs.build import build
from pressdx.warehouse import swap
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from pressdx.warehouse.dbt import run_dbt
from tests.integration.conftest import HISTORY_THROUGH, history_sample, sample_warehouse

pytestmark = [pytest.mark.slow]

VN = timezone(timedelta(hours=7))
A = datetime(2026, 3, 10, 9, 0, tzinfo=VN)  # after every file of the sample; no due instant that day
CHECK = "chk_"
# Every dataset on DuckDB, two per step where their models overlap little (CI time): a model left stale by a
# too narrow declaration of one is rebuilt by the other only where both select it.
EVERY_DATASET = [("agency_register", "task_progress"), ("agency_dx_status", "annual_implementation"),
                 ("agency_revenue", "platform_stage"), ("agency_revenue_baseline", "university_curriculum"),
                 ("agency_security",)]
ENGINES = [
    pytest.param("duckdb", EVERY_DATASET, marks=pytest.mark.xdist_group("scoped_duckdb"), id="duckdb"),
    pytest.param("postgres", [("agency_revenue",), ("task_progress",)],
                 marks=[pytest.mark.postgres, pytest.mark.xdist_group("scoped_postgres")], id="postgres"),
]


@pytest.fixture
def warehouse(request, tmp_path, monkeypatch) -> Iterator[WarehouseURL]:
    """The sample taken in (no build yet) into a warehouse of the engine ``request.param``."""
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))  # for the builds' lineage too
    with sample_warehouse(request, history_sample(tmp_path / "sample"), tmp_path / "data",
                          tmp_path / "warehouse.duckdb", build=False) as url:
        yield url


def revise(url: WarehouseURL, dataset: str, received_at: datetime) -> str:
    """A new version of the dataset's most recent submission, received at ``received_at``, with its even rows
    left out: what a unit's corrected file is to the warehouse. Returns its submission id."""
    new_id = f"revision-{dataset}"
    with Warehouse(url) as wh, wh.transaction():
        ((old,),) = wh.query("select submission_id from raw.submissions where dataset = ? "
                             "order by received_at desc, submission_id desc limit 1", (dataset,))
        for table, keep in (("submissions", "true"), (dataset, "mod(row_number, 2) = 1")):
            columns = [c for (c,) in wh.query("select column_name from information_schema.columns where "
                                              "table_schema = 'raw' and table_name = ? order by ordinal_position",
                                              (table,))]
            new = {"submission_id": "?", "received_at": "?", "sha256": "?", "loaded_at": "?"}
            values = ", ".join(new.get(c, c) for c in columns)
            params = [{"submission_id": new_id, "received_at": received_at, "sha256": "e" * 64,
                       "loaded_at": received_at}[c] for c in columns if c in new]
            wh.execute(f"insert into raw.{table} ({', '.join(columns)}) select {values} from raw.{table} "
                       f"where submission_id = ? and {keep}", (*params, old))
        ((rows,),) = wh.query(f"select count(*) from raw.{dataset} where submission_id = ?", (new_id,))
        wh.execute("update raw.submissions set row_count = ? where submission_id = ?", (rows, new_id))
    return new_id


def relations(wh: Warehouse, prefix: str) -> dict[str, list[tuple[str, str]]]:
    """``schema.name`` (without ``prefix``) -> its columns and types, for the four published schemas."""
    found: dict[str, list[tuple[str, str]]] = {}
    for s in swap.PUBLISHED:
        for name, column, kind in wh.query(
                "select table_name, column_name, data_type from information_schema.columns where table_schema = ? "
                "order by table_name, ordinal_position", (prefix + s,)):
            if name not in (swap.MARKER, "dim_build"):  # dim_build names the dbt invocation: compared apart
                found.setdefault(f"{s}.{name}", []).append((column, kind))
    return found


def differences(url: WarehouseURL) -> list[str]:
    """The relations whose rows differ between the published schemas and the ``chk_`` build (EXCEPT ALL both
    ways; doubles compared to 9 decimals: parallel sums may add in another order)."""
    out = []
    with Warehouse(url) as wh:
        published, checked = relations(wh, ""), relations(wh, CHECK)
        if set(published) != set(checked):
            return [f"relations: {sorted(set(published) ^ set(checked))}"]
        for rel, columns in published.items():
            cast = "" if url.kind == "duckdb" else "::numeric"
            cols = ", ".join(f"round({c}{cast}, 9)" if k.lower() in ("double", "double precision", "real", "float")
                             else c for c, k in columns)
            s, name = rel.split(".")
            a, b = f"{s}.{name}", f"{CHECK}{s}.{name}"
            (n,) = wh.query(f"select count(*) from (select {cols} from {a} except all select {cols} from {b}) x")[0]
            (m,) = wh.query(f"select count(*) from (select {cols} from {b} except all select {cols} from {a}) x")[0]
            if n or m:
                out.append(f"{rel}: {n} rows only in the scoped build, {m} only in the full one")
    return out


def full_build(url: WarehouseURL, as_of: datetime, first: bool) -> None:
    """Every model as of ``as_of`` into ``chk_`` schemas: the first time everything, then what reads the
    build's instant (``int_build__params+``: every model that reads raw rows, through
    ``int_submissions__visible``; the staging views read raw as it is)."""
    select = [] if first else ["--select", "int_build__params+"]
    run_dbt(url, ["build", *select, "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
            schema_prefix=CHECK, keep_state=True,
            env={"PRESSDX_AS_OF": as_of.isoformat(), "PRESSDX_THROUGH": HISTORY_THROUGH})


@pytest.mark.parametrize(("warehouse", "steps"), ENGINES, indirect=["warehouse"])
def test_a_scoped_build_leaves_the_warehouse_a_full_build_would(warehouse, steps):
    url = warehouse
    assert not [d for d in calendar.due_instants()
                if A <= d.due_at <= A + timedelta(minutes=10 * (len(steps) + 1))]
    first = build(url, HISTORY_THROUGH, as_of=A, if_changed=True)
    assert first["built"] and "scope" not in first  # the first build builds everything
    rebuilt = {}
    for n, datasets in enumerate(steps, start=1):
        at = A + timedelta(minutes=10 * n)
        for dataset in datasets:
            revise(url, dataset, at - timedelta(minutes=5))
        result = build(url, HISTORY_THROUGH, as_of=at, if_changed=True)
        assert result["built"] is True
        scope = result.get("scope")
        assert scope, f"{datasets}: the build was not scoped"
        assert scope["datasets"] == sorted(datasets) and scope["models"] < scope["of_models"], scope
        rebuilt[datasets] = scope["models"]
        full_build(url, at, first=n == 1)
        assert differences(url) == [], f"after new {datasets} submissions"
        with Warehouse(url) as wh:
            ((as_of,),) = wh.query("select as_of from marts.dim_build")
        assert as_of == at
    swap.drop_schemas(url, CHECK)
    # a task report touches no figure: far fewer models than a revenue file
    if ("task_progress",) in rebuilt and ("agency_revenue",) in rebuilt:
        assert rebuilt[("task_progress",)] < rebuilt[("agency_revenue",)]


@pytest.mark.parametrize("warehouse", ["duckdb"], indirect=True)
def test_anything_else_than_new_submissions_builds_everything(warehouse):
    url = warehouse
    assert "scope" not in build(url, HISTORY_THROUGH, as_of=A, if_changed=True)
    revise(url, "agency_revenue", A + timedelta(minutes=5))
    next_day = datetime(2026, 3, 11, 9, 0, tzinfo=VN)  # a new Vietnam date: task deadlines may pass
    assert "scope" not in build(url, HISTORY_THROUGH, as_of=next_day, if_changed=True)
    revise(url, "agency_register", next_day + timedelta(minutes=5))
    other = "2025-Q3"  # another period built through
    assert "scope" not in build(url, other, as_of=next_day + timedelta(minutes=10), if_changed=True)
