"""Publishing the quarterly figures as files, each publication with a manifest of its as-of instant and hashes.

At each due instant of the reporting calendar (``dbt_project/seeds/reporting_calendar.csv``) the DAG
``pressdx_quarterly`` builds the warehouse as of that instant and publishes, under
``$PRESSDX_DATA_DIR/published/<publication>/``:

* ``kpi.json`` / ``kpi.csv``: the indicator figures of the period (``pressdx.figures.kpi.kpi``, as ``pressdx kpi``);
* ``timeliness.json`` / ``timeliness.csv``: expected submissions of the period, their state and each unit's
  reporting rates (``pressdx.figures.timeliness.timeliness``, as ``pressdx timeliness``);
* ``tasks.json`` / ``tasks.csv``: the action-plan task instances of the year (``pressdx.figures.tasks.tasks``);
* ``manifest.json``: the publication, its kind, period, as-of instant and the SHA-256 and size of every
  file above, so that a publication can be regenerated later and checked (``verify``).

After the Q2 due instant, ``trend_review`` adds the 6-month trend review (``pressdx.publishing.report``, first half,
Vietnamese and English) in ``<period>/trend-review/``; in December ``annual_report`` writes the annual
Strategy report into ``<year>-annual-report/``. Each report folder has its own manifest, whose
``report_sha256`` (the SHA-256 of the report's canonical ``figures.json``) is reproducible; the HTML and PDF
carry their generation time.

A data publication is a pure function of the raw submissions received at or before its as-of instant: no
wall-clock time is written into it, so re-publishing the same as-of instant writes byte-identical files
(the same hashes). The publication names are the period code (``2025-Q2``) at a quarterly due instant and
``<year>-annual-reports`` at 15 December (the due instant of the annual implementation reports, whose
timeliness then counts in period ``<year>-Q4``).

This module assembles the quarterly publication; the parts live by job: the due instants in
``pressdx.domain.calendar``, the writers in ``pressdx.publishing.formats``, the folder, manifest and ``verify``
in ``pressdx.publishing.store``, reading the figures of a due instant in ``pressdx.publishing.due_figures``
and the reports in ``pressdx.publishing.report_publication``. Their public names are importable from here.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pressdx.domain import calendar

# The names the Airflow glue and the tests import from here; each lives in the module of its job.
from pressdx.domain.calendar import Due, crons_from_calendar, due_at_or_before, due_instants, report_year_for
from pressdx.publishing import formats
from pressdx.publishing.due_figures import figures, fresh_marts, last_build
from pressdx.publishing.report_publication import REPORT_LANGS, annual_report, publish_report, trend_review
from pressdx.publishing.store import MANIFEST, published_root, verify, write_publication
from pressdx.warehouse.connection import WarehouseURL

__all__ = ["KINDS", "MANIFEST", "REPORT_LANGS", "Due", "annual_report", "crons_from_calendar", "due_at_or_before",
           "due_instants", "figures", "fresh_marts", "last_build", "publish", "publish_report", "published_root",
           "report_year_for", "trend_review", "verify"]

log = logging.getLogger(__name__)

KINDS = ("quarterly", "annual_reports")


def publication_files(got: dict[str, Any]) -> dict[str, bytes]:
    """The files of a quarterly publication from its figures: JSON as ``pressdx … --format json``, CSV as
    ``--format csv`` (``pressdx.publishing.formats``, the same columns)."""
    return {
        "kpi.json": formats.to_json_bytes(got["kpi"]),
        "kpi.csv": formats.kpi_csv(got["kpi"]).encode("utf-8"),
        "timeliness.json": formats.to_json_bytes(got["timeliness"]),
        "timeliness.csv": formats.timeliness_csv(got["timeliness"]).encode("utf-8"),
        "tasks.json": formats.to_json_bytes(got["tasks"]),
        "tasks.csv": formats.tasks_csv(got["tasks"]).encode("utf-8"),
    }


def publish(url: WarehouseURL | str, due: Due, root: Path | None = None) -> dict[str, Any]:
    """Write the publication of ``due`` under ``root`` (default ``$PRESSDX_DATA_DIR/published``).

    Returns the manifest. Idempotent: the same as-of instant on the same raw data writes the same bytes.
    """
    url = url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)
    files = publication_files(figures(url, due))
    folder = (root or published_root()) / due.publication
    manifest = write_publication(folder, files, _meta(due))
    log.info("published %s (%s as of %s): %d file(s) in %s", due.publication, due.period,
             due.as_of.isoformat(), len(files), folder)
    return manifest


def _meta(due: Due) -> dict[str, Any]:
    return {"publication": due.publication, "kind": due.kind, "period": due.period, "year": due.year,
            "as_of": due.as_of.astimezone(calendar.VN_TZ).isoformat()}
