"""The callables of the Airflow tasks: configuration from Airflow (``pressdx.airflow.config``), the work
done by the job steps (``pressdx.jobs``), the results as plain data for XCom.

Kept out of the DAG files so that parsing a DAG stays cheap: the DAG files import this module inside
their tasks only. ``pressdx_intake`` runs the same steps as the CLI's ``pressdx run``, as separate tasks so
that a failing source fails only its own task:

``plan`` (which sources) → ``pull`` (one mapped task per source: the bytes go to the content-addressed
landing store, only small metadata goes to XCom) → ``take_in`` (intake of everything pulled, in received
order) → ``dbt_build``, and ``notify_rejections`` (one e-mail per unit, through ``pressdx_smtp``).

Every step is idempotent: the landing store is keyed by content hash and intake records a file it has
already seen as a duplicate, so re-running any task (or the whole run) takes nothing new in.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pressdx.airflow.config import (
    PermanentError,
    checked,
    in_airflow,
    sources,
    sources_file,
    warehouse_url,
)

log = logging.getLogger(__name__)

__all__ = ["PermanentError", "annual_plan", "build_due", "build_for_report", "build_marts", "due_for", "in_airflow",
           "lineage_parent", "plan", "publish_due", "pull_source", "render_annual_report", "send_rejection_notices", "sources_file",
           "sweep_timeliness", "take_in_pulled", "through_for", "trend_review_due", "warehouse_url"]


def lineage_parent():
    """The OpenLineage run of the running Airflow task, as a plain ``pressdx.lineage.facets.Parent``.

    Built from the OpenLineage provider's macros (``lineage_parent_id``: ``namespace/dag_id.task_id/run_id``,
    ``lineage_root_parent_id``: the DAG run), so the runs a job step emits (intake files, dbt models) have the
    task run as parent and the DAG run as root, with the ids the provider gives the task's own events. None
    outside a task; the job steps never import Airflow, they get this value as a parameter.
    """
    if not in_airflow():
        return None
    try:
        from airflow.providers.openlineage.plugins.macros import lineage_parent_id, lineage_root_parent_id
        from airflow.sdk import get_current_context

        from pressdx.lineage.facets import Parent

        ti = get_current_context()["ti"]
        return Parent.from_ids(lineage_parent_id(ti), lineage_root_parent_id(ti))
    except Exception as e:  # not in a task (a test calling a callable directly), or the provider could not say
        log.debug("no OpenLineage parent for this task: %s", e)
        return None


def _planned_file(planned: list[dict[str, str]] | None, sources_param: str | None) -> str:
    """The sources file the run's ``plan`` read (so every task of a run reads the same), else the configured one."""
    return planned[0]["sources_file"] if planned else str(sources_file(sources_param))


def through_for(param: str | None, logical: datetime | None) -> str:
    """The period to build through: the param if given, else the period that contains the run's date."""
    from pressdx.jobs.build import check_through, default_through

    if param and param.strip():
        return checked(check_through, param.strip())
    return default_through(logical or datetime.now(UTC))


# -- pressdx_intake ------------------------------------------------------------------------------------------
def plan(sources_param: str | None = None) -> list[dict[str, str]]:
    """One entry per source of the sources file: the keyword arguments of each mapped ``pull`` task."""
    file = sources_file(sources_param)
    cfg = sources(file)
    log.info("sources file %s: %d source(s)", file, len(cfg.sources))
    return [{"source_name": s.name, "sources_file": str(file)} for s in cfg.sources]


def pull_source(source_name: str, sources_file: str) -> dict[str, Any]:
    """Pull one source into the landing store; return where each file went (never the bytes).

    Re-running is harmless: a landed file is written once under its content hash. The warehouse is
    asked for the cursor of an HTTP source only.
    """
    from pressdx.jobs.pull import pull_source as pull_step

    return checked(pull_step, sources(sources_file), source_name, warehouse_url, progress=log.info).to_dict()


def take_in_pulled(pulled: list[dict[str, Any]], planned: list[dict[str, str]],
                   sources_param: str | None = None) -> dict[str, Any]:
    """Take in what the sources that did not fail brought, in received order; return the counts.

    Files already taken in (or already rejected) are recorded as duplicates, so re-running takes in nothing.
    """
    from pressdx.jobs.pull import Pulled
    from pressdx.jobs.take_in import take_in_pulled as take_in_step

    done = [Pulled.from_dict(p) for p in pulled if p]  # a failed mapped task has no result
    cfg = sources(_planned_file(planned, sources_param))
    failed = sorted({p["source_name"] for p in planned} - {p.source_name for p in done})
    for name in failed:
        log.warning("source %s failed to pull: its files wait for the next run", name)
    url = warehouse_url()
    log.info("intake of %d source(s) into %s", len(done), url.display)
    taken = checked(take_in_step, url, cfg, done, failed=failed, progress=log.info, lineage_parent=lineage_parent())
    for sub in taken.intake.rejected:
        log.info("rejected %s/%s: %s (%d error(s))", sub.item.source.unit_code, sub.item.path,
                 sub.errors[0].message_en, len(sub.errors))
    counts = taken.counts()
    log.info("intake run %s: %s", taken.run_id, counts)
    return counts


def build_marts(through: str, as_of: datetime | None = None, run_id: str | None = None) -> dict[str, Any]:
    """``dbt seed`` + ``dbt build`` of the warehouse as of ``as_of`` (default: now, after intake), through
    ``through``; nothing when nothing it reads changed since the last build (``"built": False``).

    ``run_id``: the intake run this build follows (the ``take_in`` task's), whose ``audit.runs`` row then
    says how the run truly ended: ``built``, ``up_to_date``, or ``failed`` / ``interrupted`` (a retry that
    passes makes it ``built``).
    """
    from pressdx.jobs.build import build_after_intake

    return build_after_intake(warehouse_url(), run_id, through, as_of, lineage_parent=lineage_parent())


def send_rejection_notices(counts: dict[str, Any], sources_param: str | None = None,
                           planned: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """E-mail each unit with rejected files in this intake run, through the SMTP connection ``pressdx_smtp``.

    A sent notice is kept in ``$PRESSDX_DATA_DIR/notices/<run_id>/<UNIT>.html``; a retry of the task skips
    the units already notified, so a unit gets one notice per run. Without the connection the task is
    skipped; a unit whose sources have no ``contact:`` is logged and listed in ``no_contact``.
    """
    from pressdx.airflow.smtp import SmtpSender
    from pressdx.jobs.notify import deliver, rejection_notices, sent_folder

    run_id = counts.get("run_id")
    if not run_id or not counts.get("rejected"):
        log.info("no rejected file in this intake run: no notice to send")
        return {"run_id": run_id, "sent": [], "no_contact": [], "already_sent": []}
    notices = rejection_notices(warehouse_url(), run_id, sources(_planned_file(planned, sources_param)))
    return deliver(notices, SmtpSender(), run_id=run_id, sent_dir=sent_folder(run_id))


# -- pressdx_quarterly and pressdx_annual ----------------------------------------------------------------------
def due_for(run_date: datetime) -> dict[str, Any]:
    """What a quarterly run publishes (``pressdx.jobs.publish.due_for``), as plain data."""
    from pressdx.jobs import publish

    return checked(publish.due_for, run_date).to_dict()


def _due(due: dict[str, Any]):
    from pressdx.publishing.publication import Due

    return Due.from_dict(due)


def build_due(due: dict[str, Any]) -> dict[str, str]:
    """``dbt build`` as of the due instant, through the period that just became due."""
    from pressdx.jobs import publish

    return publish.build_due(warehouse_url(), _due(due), lineage_parent=lineage_parent())


def sweep_timeliness(due: dict[str, Any]) -> dict[str, Any]:
    """The state of every submission expected in the period at the due instant; logs the units missing some."""
    from pressdx.jobs import publish

    return publish.sweep_timeliness(warehouse_url(), _due(due))


def publish_due(due: dict[str, Any]) -> dict[str, Any]:
    """Publish the figures of the due period under ``$PRESSDX_DATA_DIR/published/<publication>/``."""
    from pressdx.jobs import publish

    return publish.publish_due(warehouse_url(), _due(due))


def trend_review_due(due: dict[str, Any]) -> dict[str, Any] | None:
    """The 6-month trend review, at the Q2 due instant only; else None."""
    from pressdx.jobs import publish

    return publish.trend_review_due(warehouse_url(), _due(due))


def annual_plan(year_param: int | str | None, run_date: datetime) -> dict[str, Any]:
    """The year an annual run reports on (the param, else the last year whose Q4 has ended) and its as-of."""
    from pressdx.jobs import publish

    return checked(publish.annual_plan, year_param, run_date)


def build_for_report(plan: dict[str, Any]) -> dict[str, str]:
    """``dbt build`` as of the run's instant, through Q4 of the reported year."""
    from pressdx.jobs import publish

    return publish.build_for_report(warehouse_url(), plan, lineage_parent=lineage_parent())


def render_annual_report(plan: dict[str, Any]) -> dict[str, Any]:
    """The annual Strategy report, vi and en, into ``published/<year>-annual-report/``."""
    from pressdx.jobs import publish

    checked(publish.check_renderer)  # not installed: retrying cannot help
    return publish.annual_report(warehouse_url(), plan)

