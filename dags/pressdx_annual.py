"""pressdx_annual: in December, the annual Strategy implementation report of the year.

Kept thin on purpose: the task logic lives in ``pressdx.airflow.tasks`` (the renderer in ``pressdx.publishing.report``),
imported inside the tasks, so parsing this file imports nothing but the Airflow task SDK and ``pressdx.airflow.dag_common`` (constants).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, CronTriggerTimetable, Param, dag, get_current_context, task

from pressdx.airflow.dag_common import DEFAULT_ARGS, MARTS_ASSET_URI, REPORT_ASSET_URI, TZ

MARTS = Asset(uri=MARTS_ASSET_URI)  # named by its URI: a warehouse moved is another asset, never a clash
REPORT = Asset(uri=REPORT_ASSET_URI)

DOC = """
### pressdx_annual: the annual Strategy implementation report

Runs on 20 December at 00:00 Vietnam time, after the annual implementation reports of the ministries,
provinces and governing bodies became due (15 December) and the quarterly run of that day published them
(`pressdx_quarterly`). The reporting year Y covers December Y-1 to November Y (Y-Q1 … Y-Q4).

| task | does |
| --- | --- |
| `plan` | the year: the `year` param, else the last year whose Q4 has ended (the run's year in December) |
| `dbt_build` | `dbt seed` + `dbt build` as of the run's date (its logical date), through Y-Q4; updates the marts asset (`postgres://host:port/<db>/marts/fct_indicator_period`; DuckDB: the file's `file://` URI) |
| `render_report` | the report (`pressdx.publishing.report`) in Vietnamese and English: `figures.json`, `report.html`, `report.pdf` under `$PRESSDX_DATA_DIR/published/<Y>-annual-report/<lang>/`, with `manifest.json` (as-of instant, the report's hash = SHA-256 of its canonical `figures.json`, SHA-256 of each file); updates `file://<data folder>/published/annual-report` |

**Regenerating** a report: trigger the DAG with the same logical date (`airflow dags trigger pressdx_annual
--logical-date 2025-12-20T00:00:00+07:00`): the same as-of instant gives the same figures and report hash.
The PDF is printed by WeasyPrint, no browser: the worker needs Pango and the report's fonts (`pressdx/publishing/report/pdf.py`).
"""


@dag(
    dag_id="pressdx_annual",
    schedule=CronTriggerTimetable("0 0 20 12 *", timezone=TZ),
    start_date=pendulum.datetime(2023, 12, 1, tz=TZ),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    tags=["pressdx", "annual", "report", "dbt"],
    doc_md=DOC,
    default_args=DEFAULT_ARGS,
    params={
        "year": Param(None, type=["null", "integer"], minimum=2023, maximum=2030,
                      description="Report on this year (default: the last year whose Q4 has ended)"),
    },
)
def pressdx_annual():
    @task
    def plan() -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        ctx = get_current_context()
        return airflow_tasks.annual_plan(ctx["params"].get("year"),
                                         ctx.get("logical_date") or ctx["dag_run"].run_after)

    @task(outlets=[MARTS])
    def dbt_build(plan: dict) -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        built = airflow_tasks.build_for_report(plan)
        get_current_context()["outlet_events"][MARTS].extra = {**built, "report_year": plan["year"]}
        return built

    @task(outlets=[REPORT])
    def render_report(plan: dict, built: dict) -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        done = airflow_tasks.render_annual_report(plan)
        get_current_context()["outlet_events"][REPORT].extra = {
            k: done[k] for k in ("year", "as_of", "report_sha256", "folder")}
        return done

    p = plan()
    render_report(p, dbt_build(p))


pressdx_annual()
