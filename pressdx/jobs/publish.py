"""The publishing steps: the quarterly publication, the 6-month trend review and the annual report.

Thin calls into ``pressdx.publishing``: which publication is due when, building the marts as of its due
instant, the timeliness sweep, and writing the files with their manifests. Every step is computed as of
a fixed instant from the append-only raw submissions, so a re-run (or a backfill) writes the same bytes.
Configuration mistakes raise ``ConfigError``; a face decides what that means (exit 2, a failed task).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pressdx.domain import calendar
from pressdx.jobs.build import build
from pressdx.publishing.publication import Due, due_at_or_before, published_root, report_year_for
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import WarehouseURL

if TYPE_CHECKING:  # the lineage wing is imported only when a build emits events
    from pressdx.lineage.facets import Parent

log = logging.getLogger(__name__)


def due_for(run_date: datetime) -> Due:
    """What a quarterly run publishes: the last due instant of the calendar at or before the run's date.

    A scheduled run's date is a due instant; a manual run at another date republishes the last one that
    became due, as of its due instant, so any re-run gives the same warehouse and the same files.
    """
    due = due_at_or_before(run_date)
    if due.due_at != run_date:
        log.info("run date %s is not a due instant: publishing %s, due %s", run_date.isoformat(),
                 due.publication, due.due_at.isoformat())
    return due


def build_due(url: WarehouseURL, due: Due, lineage_parent: Parent | None = None) -> dict[str, str]:
    """``dbt build`` as of the due instant, through the period that just became due (its model runs under
    ``lineage_parent``, the Airflow task run, when given)."""
    return build(url, due.period, as_of=due.as_of, lineage_parent=lineage_parent)


def sweep_timeliness(url: WarehouseURL, due: Due) -> dict[str, Any]:
    """The state of every submission expected in the period at the due instant; logs the units missing some."""
    from pressdx.figures.timeliness import timeliness
    from pressdx.publishing.publication import fresh_marts

    res = timeliness(url, due.year, due.quarter, None if fresh_marts(url, due) else due.as_of)
    states: dict[str, int] = {}
    missing: dict[str, list[str]] = {}
    for e in res["expected"]:
        states[e["state"]] = states.get(e["state"], 0) + 1
        if e["state"] == "missing":
            missing.setdefault(e["unit_code"], []).append(e["dataset"])
    for unit, datasets in sorted(missing.items()):
        log.warning("%s at %s: unit %s has not submitted %s", due.period, due.as_of.isoformat(), unit,
                    ", ".join(sorted(datasets)))
    out = {"period": due.period, "as_of": res["as_of"], "expected": len(res["expected"]), "states": states,
           "units_missing": sorted(missing)}
    log.info("timeliness sweep: %s", out)
    return out


def publish_due(url: WarehouseURL, due: Due) -> dict[str, Any]:
    """Publish the figures of the due period under ``$PRESSDX_DATA_DIR/published/<publication>/``."""
    from pressdx.publishing.publication import publish

    manifest = publish(url, due)
    return {"folder": str(published_root() / due.publication), "as_of": manifest["as_of"],
            "files": {k: v["sha256"] for k, v in manifest["files"].items()}}


def trend_review_due(url: WarehouseURL, due: Due) -> dict[str, Any] | None:
    """The 6-month trend review (first half of the report), at the Q2 due instant only; else None."""
    from pressdx.publishing.publication import trend_review

    if due.kind != "quarterly" or not due.trend_review:
        log.info("%s: no trend review at this due instant", due.publication)
        return None
    manifest = trend_review(url, due)
    return {"folder": str(published_root() / due.publication / "trend-review"), "as_of": manifest["as_of"],
            "report_sha256": manifest["report_sha256"], "files": sorted(manifest["files"])}


def annual_plan(year: int | str | None, run_date: datetime) -> dict[str, Any]:
    """The year an annual run reports on (``year``, else the last year whose Q4 has ended) and its as-of."""
    if year not in (None, ""):
        try:
            year = int(year)
        except ValueError:
            raise ConfigError(f"year {year!r} is not a year") from None
        if year not in {p.year for p in calendar.periods()}:
            raise ConfigError(f"year {year} is not a year of the reporting calendar")
    else:
        year = report_year_for(run_date)
    return {"year": year, "through": f"{year}-Q4", "as_of": run_date.astimezone(calendar.VN_TZ).isoformat()}


def build_for_report(url: WarehouseURL, plan: dict[str, Any], lineage_parent: Parent | None = None) -> dict[str, str]:
    """``dbt build`` as of the annual run's instant, through Q4 of the reported year (under ``lineage_parent``)."""
    return build(url, plan["through"], as_of=datetime.fromisoformat(plan["as_of"]), lineage_parent=lineage_parent)


def check_renderer() -> None:
    """A ``ConfigError`` when the report renderer (``pressdx.publishing.report``) cannot be imported."""
    try:
        from pressdx.publishing.report import write_report  # noqa: F401
    except ImportError as e:
        raise ConfigError(f"the report renderer is not installed (pressdx.publishing.report): {e}") from None


def annual_report(url: WarehouseURL, plan: dict[str, Any]) -> dict[str, Any]:
    """The annual Strategy report, vi and en, into ``published/<year>-annual-report/``."""
    from pressdx.publishing.publication import annual_report as write_annual_report

    check_renderer()
    year = int(plan["year"])
    manifest = write_annual_report(url, year, datetime.fromisoformat(plan["as_of"]))
    return {"folder": str(published_root() / f"{year}-annual-report"), "year": year, "as_of": manifest["as_of"],
            "report_sha256": manifest["report_sha256"], "files": sorted(manifest["files"])}
