"""pressdx_intake: every day, pull every unit source, take in what is new, build the warehouse.

Kept thin on purpose: the task callables live in ``pressdx.airflow.tasks`` (which call the job steps of ``pressdx.jobs``), imported inside the tasks,
so parsing this file imports nothing but the Airflow task SDK and ``pressdx.airflow.dag_common`` (constants).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, CronTriggerTimetable, Param, TriggerRule, dag, get_current_context, task

from pressdx.airflow.dag_common import DEFAULT_ARGS, MARTS_ASSET_URI, TZ

MARTS = Asset(uri=MARTS_ASSET_URI)  # named by its URI: a warehouse moved is another asset, never a clash

DOC = """
### pressdx_intake: pull → validate → load → dbt build

Runs every day at 02:00 Vietnam time, so that every file a unit drops is taken in, validated and, if
rejected, reported back within a day of arriving (`docs/airflow.md`).

| task | does |
| --- | --- |
| `plan` | reads the sources file, lists its sources |
| `pull` | one mapped task per source: copies its files into the content-addressed landing store (`$PRESSDX_DATA_DIR/landing`); XCom holds only paths, hashes and received times |
| `take_in` | validates and loads everything pulled, in received order (rejections go to `audit.intake_events` and the quarantine); runs even when some sources failed |
| `dbt_build` | `dbt seed` + `dbt build` as of now, through the period that contains the run's date; updates the marts asset (`postgres://host:port/<db>/marts/fct_indicator_period`; DuckDB: the file's `file://` URI) |
| `notify_rejections` | one e-mail per unit with rejected files, to the `contact:` of its sources (sources.yml), in Vietnamese and English (file, row, column, value, error), through the SMTP connection `pressdx_smtp`; skipped when that connection is not defined |

**Configuration** (first found wins). Sources file: the `sources` param, the Variable `pressdx_sources`,
`$PRESSDX_SOURCES`. Warehouse: the connection `pressdx_warehouse`, `$PRESSDX_WAREHOUSE`.
`through`: the param, else the period of the run's date.

**Re-running** any task or the whole run is safe: files already taken in count as duplicates (and are
not notified again); a retried `notify_rejections` skips the units already notified in that run.
A failed source fails only its own `pull` task; its files are taken in by the next run.
"""


@dag(
    dag_id="pressdx_intake",
    schedule=CronTriggerTimetable("0 2 * * *", timezone=TZ),
    start_date=pendulum.datetime(2025, 1, 1, tz=TZ),
    catchup=False,
    max_active_runs=1,  # intake reads what was seen before it: two runs at once could both take a file in
    dagrun_timeout=timedelta(hours=6),
    tags=["pressdx", "intake", "dbt"],
    doc_md=DOC,
    default_args=DEFAULT_ARGS,
    params={
        "sources": Param(None, type=["null", "string"],
                         description="Path of sources.yml (default: Variable pressdx_sources, $PRESSDX_SOURCES)"),
        "through": Param(None, type=["null", "string"], pattern=r"^\d{4}-[Qq][1-4]$",
                         description="Build through this period, e.g. 2025-Q4 (default: the period of the run's date)"),
    },
)
def pressdx_intake():
    @task
    def plan() -> list[dict[str, str]]:
        from pressdx.airflow import tasks as airflow_tasks

        return airflow_tasks.plan(get_current_context()["params"].get("sources"))

    @task(task_id="pull", map_index_template="{{ source_name }}")
    def pull_source(source_name: str, sources_file: str) -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        get_current_context()["source_name"] = source_name  # the mapped task's label in the UI
        return airflow_tasks.pull_source(source_name, sources_file)

    @task(trigger_rule=TriggerRule.ALL_DONE)  # what the sources that did not fail brought
    def take_in(pulled, planned) -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        params = get_current_context()["params"]
        return airflow_tasks.take_in_pulled(list(pulled or []), list(planned or []), params.get("sources"))

    @task(outlets=[MARTS])
    def dbt_build(counts: dict) -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        ctx = get_current_context()
        run_date = ctx.get("logical_date") or ctx["dag_run"].run_after
        through = airflow_tasks.through_for(ctx["params"].get("through"), run_date)
        built = airflow_tasks.build_marts(through, run_id=counts.get("run_id"))
        ctx["outlet_events"][MARTS].extra = {**built, "accepted": counts.get("accepted", 0)}
        return built

    @task
    def notify_rejections(counts: dict, planned) -> dict:
        from pressdx.airflow import tasks as airflow_tasks

        params = get_current_context()["params"]
        return airflow_tasks.send_rejection_notices(counts, params.get("sources"), list(planned or []))

    planned = plan()
    pulled = pull_source.expand_kwargs(planned)
    counts = take_in(pulled, planned)
    dbt_build(counts)
    notify_rejections(counts, planned)


pressdx_intake()
