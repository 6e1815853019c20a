"""OpenLineage (issue 13 item 4, docs/lineage.md "OpenLineage"): what a run writes to the lineage file.

One sample inbox is taken in and built on DuckDB through the CLI's whole run (``pressdx.jobs.run.run``);
the events it leaves in ``$PRESSDX_DATA_DIR/lineage/<day>.jsonl`` must describe it: one run per judged file
(landed file with its SHA-256 → ``raw.<dataset>`` with its row count and GX assertions, under the intake
run of ``audit.runs``), one START/COMPLETE pair per dbt model under one build run, the marts among the
outputs, and column lineage that reaches back to ``raw``. A backend that cannot be reached costs one log
line and no failure. ``pressdx docs --out`` writes the dbt docs site as one offline page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import uuid
from collections import defaultdict
from pathlib import Path

import pytest

from pressdx.jobs.run import run
from pressdx.lineage.naming import Store
from pressdx.lineage.transport import forget_unreachable
from pressdx.sample.generator import generate
from pressdx.warehouse.connection import Warehouse, WarehouseURL

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lineage")]  # one worker builds the module's flow once

THROUGH = "2025-Q4"
ROOT = Path(__file__).resolve().parents[2]


def events_in(data: Path) -> list[dict]:
    out = []
    for f in sorted((data / "lineage").glob("*.jsonl")):
        out += [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()]
    return out


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """A sample inbox taken in and built on DuckDB; the events, the warehouse and the data folder."""
    root = tmp_path_factory.mktemp("lineage")
    summary = generate(root / "sample", scale=0.05, through=THROUGH)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PRESSDX_DATA_DIR", str(root / "data"))
        mp.delenv("PRESSDX_OPENLINEAGE_URL", raising=False)
        url = WarehouseURL.parse(f"duckdb:///{root / 'wh.duckdb'}")
        s = run(root / "sample" / "sources.yml", url.url, THROUGH)
    return {"events": events_in(root / "data"), "url": url, "data": root / "data", "run_id": s.run_id,
            "summary": summary, "root": root}


def completes(events: list[dict]) -> dict[str, dict]:
    return {e["run"]["runId"]: e for e in events if e["eventType"] in ("COMPLETE", "FAIL")}


def test_the_lineage_file_is_json_lines_under_the_data_folder(flow):
    files = list((flow["data"] / "lineage").glob("*.jsonl"))
    assert len(files) == 1 and files[0].stem[:2] == "20"  # one file per day: YYYY-MM-DD.jsonl
    assert len(flow["events"]) > 300
    assert {e["eventType"] for e in flow["events"]} <= {"START", "COMPLETE", "FAIL"}


def test_every_model_has_a_start_and_a_complete_under_one_build_run(flow):
    models = [e for e in flow["events"] if e["job"]["name"].endswith(".build.run")]
    by_run = defaultdict(list)
    for e in models:
        by_run[e["run"]["runId"]].append(e["eventType"])
    project = {f.stem for f in (ROOT / "dbt_project" / "models").rglob("*.sql")}
    assert {e["job"]["name"].split(".")[-3] for e in models} == project  # every model of the project
    assert len(by_run) == len(project)
    assert all(sorted(types) == ["COMPLETE", "START"] for types in by_run.values())
    parents = {(e["run"]["facets"]["parent"]["job"]["name"], e["run"]["facets"]["parent"]["run"]["runId"])
               for e in models}
    assert len(parents) == 1
    (job, build_run), = parents
    assert job == "build"
    own = [e["eventType"] for e in flow["events"] if e["job"]["name"] == "build" and e["run"]["runId"] == build_run]
    assert own == ["START", "COMPLETE"]
    # the published names, not the staging schemas the build ran in
    names = {o["name"] for e in models for o in e["outputs"]}
    assert not any(".next_" in n for n in names)


def test_outputs_include_the_marts_in_the_warehouse_namespace(flow):
    store = Store.of(flow["url"])
    outputs = {(o["namespace"], o["name"]) for e in flow["events"] for o in e["outputs"]}
    assert (store.namespace, store.table("marts", "fct_indicator_period")) in outputs
    assert store.namespace == f"duckdb://{flow['url'].path.resolve()}"
    fct = next(o for e in flow["events"] for o in e["outputs"] if o["name"].endswith(".marts.fct_indicator_period"))
    assert fct["facets"]["documentation"]["description"]
    assert {"indicator_code", "numerator", "denominator"} <= {f["name"] for f in fct["facets"]["schema"]["fields"]}


def column_lineage(events: list[dict]) -> dict[str, dict[str, list[tuple[str, str]]]]:
    out = {}
    for e in events:
        for o in e["outputs"]:
            if e["eventType"] == "COMPLETE" and "columnLineage" in o.get("facets", {}):
                out[o["name"]] = {c: [(i["name"], i["field"]) for i in f["inputFields"]]
                                  for c, f in o["facets"]["columnLineage"]["fields"].items()}
    return out


def raw_origins(lineage: dict, dataset: str, column: str) -> set[tuple[str, str]]:
    """The ``raw`` columns a column is computed from, following the column lineage down every model."""
    seen, todo, found = set(), [(dataset, column)], set()
    while todo:
        ds, col = todo.pop()
        for src in lineage.get(ds, {}).get(col, []):
            if src in seen:
                continue
            seen.add(src)
            if ".raw." in src[0]:
                found.add(src)
            todo.append(src)
    return found


def test_a_member_models_columns_trace_back_to_raw_columns(flow):
    lineage = column_lineage(flow["events"])
    store = Store.of(flow["url"])
    members = store.table("intermediate", "int_indicator_members__digital_distribution")
    assert (store.table("raw", "agency_dx_status"), "distributes_on_digital_platforms") in \
        raw_origins(lineage, members, "numerator_value")
    assert (store.table("raw", "agency_register"), "agency_code") in raw_origins(lineage, members, "member_code")
    # I4 goes through the revenue baselines (a `select *` CTE stopped it there)
    growth = store.table("intermediate", "int_indicator_members__revenue_growth")
    assert (store.table("raw", "agency_revenue_baseline"), "agency_code") in raw_origins(lineage, growth, "member_code")
    assert (store.table("raw", "agency_revenue"), "revenue_vnd") in raw_origins(lineage, growth, "numerator_value")


def test_every_judged_file_is_a_run_from_its_landed_bytes_to_raw(flow):
    store = Store.of(flow["url"])
    with Warehouse(flow["url"]) as wh:
        subs = {r[0]: r for r in wh.query("select submission_id, sha256, dataset, row_count, unit_code, period, "
                                          "status from raw.submissions")}
        rejected = wh.query("select sha256 from audit.intake_events where outcome = 'rejected'")
    files = [e for e in flow["events"] if e["job"]["name"].startswith("intake.") and e["eventType"] != "START"]
    assert len(files) == len(subs) + len(rejected)
    intake_run = str(uuid.UUID(flow["run_id"]))
    for e in files:
        facet = e["run"]["facets"]["pressdx_submission"]
        assert e["run"]["facets"]["parent"]["run"]["runId"] == intake_run
        assert (e["run"]["facets"]["parent"]["job"]["namespace"], e["run"]["facets"]["parent"]["job"]["name"]) == \
            ("pressdx", "intake")
        (landed,) = e["inputs"]
        assert landed["namespace"] == "file"
        assert landed["facets"]["version"]["datasetVersion"] == facet["sha256"]
        assert hashlib.sha256(Path(landed["name"]).read_bytes()).hexdigest() == facet["sha256"]
        if facet["outcome"] == "accepted":
            assert e["eventType"] == "COMPLETE"
            sid, sha, dataset, rows, unit, period, status = subs[facet["submission_id"]]
            assert (facet["sha256"], facet["dataset"], facet["unit_code"], facet["period"], facet["status"]) == \
                (sha, dataset, unit, period, status)
            (out,) = e["outputs"]
            assert (out["namespace"], out["name"]) == (store.namespace, store.table("raw", dataset))
            assert out["outputFacets"]["outputStatistics"]["rowCount"] == rows
            checks = out["facets"]["dataQualityAssertions"]["assertions"]
            assert checks and all(a["success"] for a in checks)
            assert {"required", "duplicate_key"} <= {a["name"] for a in checks}
        else:
            assert e["eventType"] == "FAIL" and e["outputs"] == [] and facet.get("submission_id") is None
            assert "rejected" in e["run"]["facets"]["errorMessage"]["message"]
    # a planted reject that GX catches shows as a failed assertion on its landed file
    failed = [a for e in files for a in e["inputs"][0].get("inputFacets", {}).get("dataQualityAssertions", {})
              .get("assertions", []) if not a["success"]]
    assert failed and all(int(a["actual"]) > 0 for a in failed)
    # the intake run itself: START and COMPLETE
    assert [e["eventType"] for e in flow["events"] if e["job"]["name"] == "intake"] == ["START", "COMPLETE"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed once the socket is: nothing listens there


def test_an_unreachable_backend_costs_one_line_and_no_failure(flow, tmp_path, monkeypatch, caplog):
    port = _closed_port()
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PRESSDX_OPENLINEAGE_URL", f"http://127.0.0.1:{port}")
    forget_unreachable()
    caplog.set_level(logging.WARNING)
    url = WarehouseURL.parse(f"duckdb:///{tmp_path / 'wh.duckdb'}")
    s = run(flow["root"] / "sample" / "sources.yml", url.url, THROUGH, build=False)
    assert s.intake.accepted  # the run did its work
    said = [r.getMessage() for r in caplog.records if "lineage" in r.getMessage()]
    assert len(said) == 1, said
    assert f"127.0.0.1:{port}" in said[0] and "not reached" in said[0]
    assert len(events_in(tmp_path / "data")) > len(s.intake.accepted)  # the file still has every event
    forget_unreachable()


def test_pressdx_docs_writes_one_offline_page(flow, tmp_path, capsys):
    from pressdx.cli import main

    assert main(["docs", "--out", str(tmp_path / "site"), "--warehouse", flow["url"].url]) == 0
    page = (tmp_path / "site" / "static_index.html").read_text(encoding="utf-8")
    assert "fct_indicator_period" in page and "MANIFEST.JSON INLINE DATA" not in page
    assert '"parent_map"' in page and "int_indicator_members__digital_distribution" in page
    assert "static_index.html" in capsys.readouterr().out
