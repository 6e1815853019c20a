"""The benchmark harness (bench/, issue #7): a smoke run at a tiny scale, and its pieces.

No timing assertion here, ever: speed targets live in bench/results, not in tests.
"""

from __future__ import annotations

import contextlib
import json
import time
from datetime import datetime

import pytest

# bench/ is run from the repository root (`python -m bench`) and is not an installed package; pytest's
# `pythonpath = ["."]` puts the root on the path.
from bench import run as bench_run
from bench.case import STAGES, StageClock
from bench.lower_bound import compare
from bench.report import evaluate_targets, markdown


def test_stage_clock_counts_nested_time_once():
    clock = StageClock()
    with clock.stage("outer"):
        time.sleep(0.02)
        with clock.timer("inner", ""):
            time.sleep(0.02)
    assert clock.calls == {"outer": 1, "inner": 1}
    assert 0.015 < clock.seconds["inner"] < 0.2
    assert 0.015 < clock.seconds["outer"] < 0.2  # its own time only, not the inner call's


@pytest.mark.slow
def test_intake_reports_its_steps_to_the_stage_timer(tmp_path):
    """The hook the bench times intake through: every step reported, parse by file kind and inside
    normalise, through ``timed_by`` (what bench.case uses) as well as ``take_in(timer=...)``."""
    from ingest.intake import take_in
    from ingest.sources import load_config, pull
    from ingest.timing import timed_by
    from pressdx.sample.generator import generate
    from pressdx.warehouse.connection import Warehouse, WarehouseURL

    generate(tmp_path / "sample", scale=0.02, through="2023-Q2")
    cfg = load_config(tmp_path / "sample" / "sources.yml")
    items = [i for src in cfg.sources if src.path.is_dir() for i in pull(src)]  # a unit with no file yet: none
    clock = StageClock()
    open_steps: list[str] = []
    nested: set[tuple[str, str]] = set()

    @contextlib.contextmanager
    def timer(stage: str, detail: str = ""):
        nested.add((open_steps[-1] if open_steps else "", stage))
        open_steps.append(stage)
        try:
            with clock.timer(stage, detail):
                yield
        finally:
            open_steps.pop()

    with Warehouse(WarehouseURL.parse(f"duckdb:///{tmp_path}/w.duckdb")) as wh:
        wh.ensure_schema()
        with timed_by(timer):
            result = take_in(wh, items, run_id="r1", data_root=tmp_path / "data", extra_units=cfg.units)
        assert result.accepted and result.rejected
        assert set(clock.calls) == {"parse", "normalise", "validate", "checks", "load"}
        assert all(clock.seconds[s] > 0 for s in clock.calls), clock.seconds
        assert clock.calls["normalise"] == clock.calls["parse"] == len(result.accepted) + len(result.rejected)
        assert ("normalise", "parse") in nested and clock.detail["parse .csv"] > 0
        assert {stage for outer, stage in nested if outer} == {"parse"}  # the one nested step

        again = StageClock()
        take_in(wh, items, run_id="r2", data_root=tmp_path / "data", extra_units=cfg.units, timer=again.timer)
        assert again.calls["checks"] >= 1 and "parse" not in again.calls  # all duplicates: nothing parsed
    assert len(clock.calls) == 5  # the block is over: the second run did not report to the first timer


def test_limits_raised_only_for_files_beyond_the_defaults():
    small = {"largest_file_bytes": 900_000, "largest_file_rows": 5_000}
    assert bench_run.limits_for(small) == {}
    big = {"largest_file_bytes": 87 * 2**20, "largest_file_rows": 235_001}
    raised = bench_run.limits_for(big)
    assert raised["max_file_bytes"] >= 87 * 2**20 and raised["max_rows"] >= 235_001


def test_compare_reports_mismatches_and_ignores_indicators_the_marts_lack():
    lower = [{"indicator_code": "I1", "period_code": "2024-Q1", "numerator": 3, "denominator": 4,
              "value_pct": 75.0, "coverage_pct": 100.0},
             {"indicator_code": "I5", "period_code": "2024-Q1", "numerator": 1, "denominator": 1,
              "value_pct": 100.0, "coverage_pct": 100.0}]
    marts = [{**lower[0], "numerator": 2, "value_pct": 50.0}]
    got = compare(lower, marts)
    assert got["indicators_compared"] == ["I1"] and "I5" in got["not_in_marts"]
    assert not got["agree"] and {m["column"] for m in got["mismatches"]} == {"numerator", "value_pct"}
    assert compare(lower[:1], [dict(lower[0])])["agree"]


def test_options_are_checked():
    with pytest.raises(SystemExit):
        bench_run.parse_args(["--warehouses", "mysql"])
    with pytest.raises(SystemExit):
        bench_run.parse_args(["--periods", "2023-Q2..2023-Q2"])  # no quarter left for the incremental run
    args = bench_run.parse_args(["--scales", "1,10", "--periods", "2024-Q1..2024-Q4"])
    assert args.scales == [1.0, 10.0] and (args.first, args.last) == ("2024-Q1", "2024-Q4")


@pytest.mark.slow
def test_smoke_run_on_duckdb(tmp_path, monkeypatch):
    """Scale 0.02, two periods, DuckDB: every stage timed, the lower bound agrees with the marts."""
    monkeypatch.delenv("PRESSDX_WAREHOUSE", raising=False)
    out = tmp_path / "results"
    code = bench_run.main(["--scales", "0.02", "--warehouses", "duckdb", "--periods", "2023-Q2..2023-Q3",
                           "--out", str(out), "--work", str(tmp_path / "work"), "--quiet"])
    doc = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    errors = [c["error"] for c in doc["cases"] if c.get("error")]
    assert code == 0 and not errors, errors
    assert {"cores", "memory_gib"} <= set(doc["machine"]) and doc["versions"]["duckdb"]
    assert doc["git"]["commit"] and doc["versions"]["dbt-core"] and doc["versions"]["great-expectations"]
    (case,) = doc["cases"]
    for phase in ("full", "incremental"):
        run = case[phase]
        assert set(run["stages"]) == set(STAGES)
        assert all(run["stages"][s] > 0 for s in STAGES), run["stages"]
        assert run["end_to_end_s"] >= run["total_s"] > 0 and run["peak_rss_mib"] > 0
        assert run["files"]["accepted"] > 0 and run["rows_taken_in"] > 0
        planted = doc["sources"]["0.02"]["rejects_planted"]  # every other file is taken in (the clock is the files')
        assert run["files"]["rejected"] <= planted, (run["files"], planted)
        lb = case[f"lower_bound_{phase}"]
        assert lb["bulk_load_s"] > 0 and lb["query_s"] > 0
        agreement = lb["agreement"]
        assert {"I1", "I2", "I3"} <= set(agreement["indicators_compared"])
        assert agreement["agree"], agreement
    assert case["incremental"]["files"]["duplicates"] == case["full"]["files"]["pulled"]
    assert case["incremental"]["files"]["accepted"] > 0  # the new quarter is taken in, not refused as not started
    noop = case["noop"]  # issue 14: right after the incremental run, nothing new, nothing built
    assert noop["built"] is False and noop["counts"]["accepted"] == 0
    assert noop["counts"]["duplicates"] == case["incremental"]["files"]["pulled"]
    assert datetime.fromisoformat(noop["kept_as_of"]) == datetime.fromisoformat(case["incremental"]["as_of"])
    assert noop["process_wall_s"] > 0
    asof = case["asof"]  # issue 14: kpi --as-of at new instants reads the history, writes nothing
    assert asof["as_of_s"] > 0 and asof["current_s"] > 0 and len(asof["instants"]) == 3
    assert asof["tables_after"] == asof["tables_before"]
    revised = case["revisions"]  # issue 14, item 4: one corrected file rebuilds only what it touches
    assert revised and {r["dataset"] for r in revised} <= set(bench_run.REVISED)  # those with a CSV or JSON file
    for r in revised:
        assert r["built"] is True and r["counts"]["accepted"] == 1 and r["rows"] > 0, r
        assert r["scope"]["datasets"] == [r["dataset"]] and 0 < r["scope"]["models"] < r["scope"]["of_models"], r
    col = case["columnar"]  # issue 14, item 5: the largest CSV both ways, checked equal by the phase itself
    assert col["file"].endswith(".csv") and col["rows"] > 0 and col["rows_s"]["total"] > 0 and col["ratio"] > 0
    md = (out / "latest.md").read_text(encoding="utf-8")
    assert "## Lower bound" in md and "## Targets" in md and "## A run with nothing new" in md
    assert "## A run that takes in one corrected file" in md
    assert "## A question as of an earlier instant" in md and "## Intake of the largest CSV" in md
    assert evaluate_targets(doc) == doc["targets"] and markdown(doc) == md
    dated = [p.name for p in out.iterdir() if p.name != "latest.json" and p.suffix == ".json"]
    assert len(dated) == 1
    assert not (tmp_path / "work" / "runs" / dated[0][:-5]).exists()  # the case's working files are dropped
