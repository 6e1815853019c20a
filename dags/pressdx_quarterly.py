"""pressdx_quarterly: at each due instant of the reporting calendar, build, sweep timeliness, publish.

Kept thin on purpose: the task logic lives in ``pressdx.airflow.tasks`` (and ``pressdx.publishing.publication``), imported
inside the tasks, so parsing this file imports nothing but the Airflow task SDK and ``pressdx.airflow.dag_common`` (constants) and reads no file.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, MultipleCronTriggerTimetable, dag, get_current_context, task

from pressdx.airflow.dag_common import DEFAULT_ARGS, MARTS_ASSET_URI, PUBLISHED_ASSET_URI, TZ

MARTS = Asset(uri=MARTS_ASSET_URI)  # named by its URI: a warehouse moved is another asset, never a clash
PUBLISHED = Asset(uri=PUBLISHED_ASSET_URI)

# The due instants of dbt_project/seeds/reporting_calendar.csv, Vietnam time: Y-Q1 is due 3 April, Y-Q2,
# Y-Q3 and Y-Q4 on 5 July, 5 October and 5 December, the annual implementation reports on 15 December,
# always at 00:00. Hard-coded so that parsing reads no file; tests/orchestration/test_dags.py checks that they are exactly
# what the calendar says (pressdx.publishing.publication.crons_from_calendar). Change the CSV, change these.
DUE_CRONS = (
    "0 0 15 12 *",      # annual implementation reports (ministries, provinces, governing bodies)
    "0 0 3 4 *",        # Y-Q1 (December Y-1 to March Y)
    "0 0 5 7,10,12 *",  # Y-Q2 (with the 6-month trend review), Y-Q3, Y-Q4
)

DOC = """
### pressdx_quarterly: at each due instant, build → sweep timeliness → publish

Runs at every due instant of the reporting calendar, 00:00 Vietnam time: 3 April (Q1), 5 July (Q2),
5 October (Q3), 5 December (Q4) and 15 December (the annual implementation reports), so that the figures
of a period are fixed as they were known when it became due (`docs/airflow.md`).

| task | does |
| --- | --- |
| `due` | which publication is due at the run's date (a manual run at another date: the last one due before it) |
| `dbt_build` | `dbt seed` + `dbt build` **as of the due instant**, through the period that just became due; updates the marts asset (`postgres://host:port/<db>/marts/fct_indicator_period`; DuckDB: the file's `file://` URI) |
| `sweep_timeliness` | every submission expected in the period: on time, late, missing; logs the units missing some |
| `publish` | KPI, timeliness and tasks as JSON + CSV under `$PRESSDX_DATA_DIR/published/<period>/` (or `<year>-annual-reports/`), with `manifest.json` (as-of instant, SHA-256 of each file); updates the asset `file://<data folder>/published/quarterly` |
| `trend_review` | after Q2 only: the 6-month trend review (`pressdx.publishing.report`, first half) in `published/<year>-Q2/trend-review/`; skipped otherwise |

**Re-running** any run (or backfilling a past one: `airflow backfill create --dag-id pressdx_quarterly
--from-date 2024-01-01 --to-date 2024-12-31`) rebuilds the same marts and writes byte-identical files:
everything is computed as of the due instant from the append-only raw submissions. A backfill leaves the
marts as of the last instant it ran until the next `pressdx_intake` run rebuilds them as of now.
Warehouse: the connection `pressdx_warehouse`, else `$PRESSDX_WAREHOUSE`.
"""


@dag(
    dag_id="pressdx_quarterly",
    schedule=MultipleCronTriggerTimetable(*DUE_CRONS, timezone=TZ),
    start_date=pendulum.datetime(2023, 4, 1, tz=TZ),  # the first due instant is 3 April 2023 (2023-Q1)
    catchup=False,
    max_active_runs=1,  # every run rebuilds the same marts: one at a time
    dagrun_timeout=timedelta(hours=6),
    tags=["pressdx", "quarterly", "dbt", "publish"],
    doc_md=DOC,
    default_args=DEFAULT_ARGS,
)
def pressdx_quarterly():
    @task
    def due() -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        ctx = get_current_context()
        return airflow_tasks.due_for(ctx.get("logical_date") or ctx["dag_run"].run_after)

    @task(outlets=[MARTS])
    def dbt_build(due: dict) -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        built = airflow_tasks.build_due(due)
        get_current_context()["outlet_events"][MARTS].extra = {**built, "publication": due["publication"]}
        return built

    @task
    def sweep_timeliness(due: dict, built: dict) -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        return airflow_tasks.sweep_timeliness(due)

    @task(outlets=[PUBLISHED])
    def publish(due: dict, built: dict) -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        published = airflow_tasks.publish_due(due)
        get_current_context()["outlet_events"][PUBLISHED].extra = {
            "publication": due["publication"], "period": due["period"], "as_of": published["as_of"],
            "folder": published["folder"]}
        return published

    @task
    def trend_review(due: dict, published: dict) -> dict:
        from airflow.sdk.exceptions import AirflowSkipException

        from pressdx.airflow import tasks as airflow_tasks

        if due["kind"] != "quarterly" or not due["trend_review"]:
            raise AirflowSkipException(f"{due['publication']}: the trend review is made after Q2 only")
        return airflow_tasks.trend_review_due(due)

    d = due()
    built = dbt_build(d)
    sweep_timeliness(d, built)
    trend_review(d, publish(d, built))


pressdx_quarterly()
