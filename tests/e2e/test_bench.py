"""The benchmark harness (bench/, issue #7): a smoke run at a tiny scale, and its pieces.

No timing assertion here, ever: speed targets live in bench/results, not in tests.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

# bench/ is run from the repository root (`python -m bench`) and is not an installed package.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run as bench_run  # noqa: E402
from bench.case import STAGES, StageClock  # noqa: E402
from bench.lower_bound import compare  # noqa: E402
from bench.report import evaluate_targets, markdown  # noqa: E402


def test_stage_clock_counts_nested_time_once():
    clock = StageClock()
    inner = clock.wrap(lambda: time.sleep(0.02), "inner")
    with clock.stage("outer"):
        time.sleep(0.02)
        inner()
    assert clock.calls == {"outer": 1, "inner": 1}
    assert 0.015 < clock.seconds["inner"] < 0.2
    assert 0.015 < clock.seconds["outer"] < 0.2  # its own time only, not the inner call's


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
        lb = case[f"lower_bound_{phase}"]
        assert lb["bulk_load_s"] > 0 and lb["query_s"] > 0
        agreement = lb["agreement"]
        assert {"I1", "I2", "I3"} <= set(agreement["indicators_compared"])
        assert agreement["agree"], agreement
    assert case["incremental"]["files"]["duplicates"] == case["full"]["files"]["pulled"]
    md = (out / "latest.md").read_text(encoding="utf-8")
    assert "## Lower bound" in md and "## Targets" in md
    assert evaluate_targets(doc) == doc["targets"] and markdown(doc) == md
    dated = [p.name for p in out.iterdir() if p.name != "latest.json" and p.suffix == ".json"]
    assert len(dated) == 1
    assert not (tmp_path / "work" / "runs" / dated[0][:-5]).exists()  # the case's working files are dropped
