"""Idempotence: backfilling every due instant gives the warehouse of one run, and re-publishing gives the same files.

(a) one ``pressdx run`` through 2025-Q4 (intake, then a build as of now), read as of the last due instant
through the knowledge-time machinery (``pressdx.warehouse.asof``: what ``pressdx kpi --as-of`` reads);
(b) the daily DAG's ``plan``/``pull``/``take_in`` task functions, then the quarterly DAG's ``due``,
``dbt_build``, ``sweep_timeliness`` and ``publish`` for every due instant from 2023-Q2 to 2025-Q4 in
order (one of them through ``dag.test()`` of ``pressdx_quarterly``), then a past instant again and the
last one again.

Every mart of (b) equals (a)'s as-of marts row for row, except the columns that record when pressdx did
something (``EXCLUDED``); a re-published past instant has the same SHA-256 for every file, and (a)
publishes the same files for the last instant as (b) did.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pressdx.publishing.publication import due_instants

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_dags import airflow_env, run_child  # noqa: E402  (the Airflow subprocess helpers)

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.airflow, pytest.mark.xdist_group("backfill")]

# Columns that say when pressdx did something (a build, an intake run), not what the figures are.
EXCLUDED = {"build_id", "built_at", "loaded_at", "run_id", "first_registered_at", "registration_updated_at",
            "registered_at"}
FIRST = os.environ.get("PRESSDX_TEST_BACKFILL_FROM", "2025-Q2")  # an earlier/later start: a longer/shorter test
INSTANTS = [d for d in due_instants() if d.kind == "quarterly" and FIRST <= d.period <= "2025-Q4"]
VIA_DAG_TEST = max("2024-Q4", INSTANTS[0].period)  # this instant runs through dag.test() of pressdx_quarterly
RERUN = INSTANTS[len(INSTANTS) // 2].period  # re-run after the whole backfill: must publish the same files


def dump(wh, schema: str) -> dict[str, list[tuple]]:
    """Every table of ``schema``: its rows (sorted), without the EXCLUDED columns."""
    out = {}
    tables = [r[0] for r in wh.query("select table_name from information_schema.tables where table_schema = ? "
                                     "and table_type = 'BASE TABLE' order by 1", (schema,))]
    for t in tables:
        cols = [r[0] for r in wh.query("select column_name from information_schema.columns where table_schema = ? "
                                       "and table_name = ? order by ordinal_position", (schema, t))]
        keep = [c for c in cols if c not in EXCLUDED]
        rows = wh.query(f"select {', '.join(keep)} from {schema}.{t}")
        out[t] = sorted(rows, key=lambda r: tuple((v is None, str(v)) for v in r))
    return out


def hashes(folder: Path) -> dict[str, str]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {"manifest.json": hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest(),
            **{k: v["sha256"] for k, v in manifest["files"].items()}}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    from pressdx.sample.generator import generate

    out = tmp_path_factory.mktemp("backfill_sample")
    generate(out, scale=0.05, through="2025-Q4")
    return out / "sources.yml"


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("airflow_home_backfill")
    proc = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=airflow_env(home), cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, "airflow db migrate failed:\n" + (proc.stdout + proc.stderr)[-4000:]
    return home


def test_backfilling_every_due_instant_gives_the_warehouse_of_one_run(sample, pg_admin_url, airflow_home,
                                                                     tmp_path, monkeypatch):
    from pressdx.airflow import tasks as at
    from pressdx.cli import main
    from pressdx.publishing.publication import Due, publish
    from pressdx.warehouse.asof import marts_for
    from pressdx.warehouse.connection import WarehouseURL, connect
    from tests.pg import fresh_pg_database

    monkeypatch.setattr("pressdx.airflow.config.in_airflow", lambda: False)
    last = INSTANTS[-1]
    timings: dict[str, float] = {}
    with fresh_pg_database(pg_admin_url) as a_url, fresh_pg_database(pg_admin_url) as b_url:
        # (b) intake with the daily DAG's task functions, then every due instant in order
        t0 = time.perf_counter()
        data = tmp_path / "b"
        monkeypatch.setenv("PRESSDX_DATA_DIR", str(data))
        monkeypatch.setenv("PRESSDX_WAREHOUSE", b_url)
        monkeypatch.setenv("PRESSDX_SOURCES", str(sample))
        planned = at.plan()
        counts = at.take_in_pulled([at.pull_source(**p) for p in planned], planned)
        assert counts["accepted"] > 0 and counts["failed_sources"] == []
        published: dict[str, dict[str, str]] = {}
        for d in INSTANTS:
            if d.period == VIA_DAG_TEST:
                env = airflow_env(airflow_home, PRESSDX_WAREHOUSE=b_url, PRESSDX_DATA_DIR=str(data))
                res = run_child(env, "dag-test", {"dag_id": "pressdx_quarterly", "logical_date": d.due_at.isoformat()},
                                log=tmp_path / "dag-test.log")
                assert res["state"] == "success", res["tis"]
                assert {t: s for t, _, s, _ in res["tis"]}["publish"] == "success"
            else:
                due = at.due_for(d.due_at)
                assert Due.from_dict(due) == d
                built = at.build_due(due)
                assert built["through"] == d.period
                at.sweep_timeliness(due)
                at.publish_due(due)
            published[d.publication] = hashes(data / "published" / d.publication)
        timings[f"backfill of {len(INSTANTS)} due instants"] = time.perf_counter() - t0

        # re-running a past instant (the warehouse has moved on since) publishes the same bytes ...
        t1 = time.perf_counter()
        again = at.due_for(next(d for d in INSTANTS if d.period == RERUN).due_at)
        at.build_due(again)
        at.publish_due(again)
        assert hashes(data / "published" / RERUN) == published[RERUN]
        # ... and running the last one again gives the same warehouse and files as the first time
        due = at.due_for(last.due_at)
        at.build_due(due)
        at.publish_due(due)
        assert hashes(data / "published" / last.publication) == published[last.publication]
        timings["2 re-runs"] = time.perf_counter() - t1
        with connect(b_url) as wh:
            as_of, through = wh.query("select as_of, through_period from marts.dim_build")[0]
            got = dump(wh, "marts")
        assert (as_of, through) == (last.as_of, last.period)

        # (a) one run through 2025-Q4, then its marts as known at the last due instant (an as-of build)
        t2 = time.perf_counter()
        monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "a"))
        monkeypatch.delenv("PRESSDX_WAREHOUSE")
        assert main(["run", "--sources", str(sample), "--warehouse", a_url, "--through", "2025-Q4"]) == 0
        with marts_for(WarehouseURL.parse(a_url), last.as_of) as (wh, schema):
            assert schema != "marts"
            expected = dump(wh, schema)
        # ... which publishes, for the last instant, exactly the files (b) published
        publish(WarehouseURL.parse(a_url), last, root=tmp_path / "a-published")
        assert hashes(tmp_path / "a-published" / last.publication) == published[last.publication]
        timings["one run + as-of build"] = time.perf_counter() - t2

    from pressdx.warehouse.swap import MARKER

    assert expected.pop(MARKER, None) is not None  # an as-of build's completeness marker: in its schema, not a mart
    assert sorted(got) == sorted(expected)
    assert {"fct_indicator_period", "fct_submission_timeliness", "fct_task_progress"} <= set(got)
    for table in sorted(expected):
        assert got[table] == expected[table], f"marts.{table} differs between the backfill and one run"
    assert sum(len(v) for v in got.values()) > 100
    print("; ".join(f"{k}: {v:.1f}s" for k, v in timings.items()))
