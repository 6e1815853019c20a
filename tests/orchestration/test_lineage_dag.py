"""OpenLineage inside Airflow (docs/airflow.md, "OpenLineage"): ``dag.test()`` of ``pressdx_intake`` with the
provider configured as docs/airflow.md says (``[openlineage] transport`` = ``PressdxTransport``, so the
provider's events and pressdx's own land in the test's ``$PRESSDX_DATA_DIR/lineage/``).

The dbt model runs of the ``dbt_build`` task and the intake run of ``take_in`` must have those task runs as
their parent (job ``pressdx_intake.<task>`` in the namespace ``pressdx``, the DAG run as root), with the run
ids the provider gives the tasks' own events. Airflow runs in a subprocess, as in test_dags.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.orchestration.test_dags import (  # noqa: F401  (fixtures)
    DAG_ID,
    airflow_env,
    airflow_home,
    run_child,
    sample_inbox,
)

pytestmark = [pytest.mark.airflow, pytest.mark.xdist_group("airflow"), pytest.mark.postgres, pytest.mark.slow]


def events_in(data: Path) -> list[dict]:
    return [json.loads(line) for f in sorted((data / "lineage").glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines()]


def test_the_intake_dags_lineage_hangs_under_its_task_runs(airflow_home, pg_url, sample_inbox, tmp_path):  # noqa: F811
    sources, _ = sample_inbox
    data = tmp_path / "data"
    env = airflow_env(airflow_home, PRESSDX_WAREHOUSE=str(pg_url), PRESSDX_SOURCES=str(sources),
                      PRESSDX_DATA_DIR=str(data),
                      AIRFLOW__OPENLINEAGE__TRANSPORT='{"type": "pressdx.lineage.transport.PressdxTransport"}',
                      AIRFLOW__OPENLINEAGE__NAMESPACE="pressdx")
    res = run_child(env, "dag-test", {"dag_id": DAG_ID, "logical_date": "2025-11-20T02:00:00+07:00"},
                    log=tmp_path / "run.log")
    assert res["state"] == "success", res["tis"]
    events = events_in(data)

    models = [e for e in events if e["job"]["name"].endswith(".build.run")]
    assert len(models) > 100 and {e["eventType"] for e in models} == {"START", "COMPLETE"}
    parents = {(p["job"]["namespace"], p["job"]["name"], p["run"]["runId"],
                p["root"]["job"]["name"], p["root"]["run"]["runId"])
               for p in (e["run"]["facets"]["parent"] for e in models)}
    assert len(parents) == 1
    ((ns, job, task_run, root_job, dag_run),) = parents
    assert (ns, job, root_job) == ("pressdx", f"{DAG_ID}.dbt_build", DAG_ID)
    assert not [e for e in events if e["job"]["name"] == "build"]  # inside Airflow the task run is the build run
    assert any(o["namespace"] == "postgres://127.0.0.1:5432" and o["name"].endswith(".marts.fct_indicator_period")
               for e in models for o in e["outputs"])

    # the intake run hangs under the take_in task run, the judged files under the intake run
    (intake,) = {e["run"]["facets"]["parent"]["run"]["runId"] for e in events if e["job"]["name"] == "intake"}
    take_in_parent = next(e["run"]["facets"]["parent"] for e in events if e["job"]["name"] == "intake")
    assert take_in_parent["job"]["name"] == f"{DAG_ID}.take_in" and take_in_parent["root"]["run"]["runId"] == dag_run
    files = [e for e in events if e["job"]["name"].startswith("intake.")]
    assert files and all(e["run"]["facets"]["parent"]["root"]["run"]["runId"] == dag_run for e in files)

    # the provider's own events of those tasks, in the same file, carry the same run ids
    provider = {(e["job"]["name"], e["run"]["runId"]) for e in events if e["job"]["name"].startswith(f"{DAG_ID}.")}
    assert (f"{DAG_ID}.dbt_build", task_run) in provider, sorted(provider)
    assert (f"{DAG_ID}.take_in", intake) in provider
    dag_events = {e["run"]["runId"] for e in events if e["job"]["name"] == DAG_ID}
    assert dag_run in dag_events
