"""The CLI's whole run: pull every source → take in → build, through the same steps as the Airflow DAG.

``pressdx_intake`` runs the same steps as separate tasks (``pull`` per source, ``take_in``, ``dbt_build``,
``notify_rejections``) so that a failing source fails only its own task; here they run in one process,
one after the other, and a failing source is reported in the summary while the others go on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ingest.sources import Config, load_config
from ingest.submission import IntakeResult
from pressdx.jobs import clock
from pressdx.jobs.build import build_after_intake, check_through
from pressdx.jobs.pull import pull_all
from pressdx.jobs.take_in import take_in_pulled
from pressdx.warehouse import lock
from pressdx.warehouse.connection import WarehouseURL

Progress = Callable[[str], None]


@dataclass
class RunSummary:
    """What a run did. ``warehouse`` and ``config`` let a face go on with the run, e.g. to its notices:
    ``pressdx.jobs.notify.rejection_notices(s.warehouse, s.run_id, s.config)``."""

    run_id: str
    as_of: datetime
    through: str
    intake: IntakeResult
    source_errors: dict[str, str] = field(default_factory=dict)
    pulled: int = 0
    warehouse: WarehouseURL | None = None
    config: Config | None = None
    built: bool = False  # False: not asked to build, or nothing new since the last build (``built_as_of``)
    built_as_of: datetime | None = None
    scope: dict | None = None  # a scoped build: {"datasets", "models", "of_models"} (pressdx.warehouse.scope)

    def counts(self) -> dict[str, int]:
        return {"pulled": self.pulled, "accepted": len(self.intake.accepted), "rejected": len(self.intake.rejected),
                "duplicates": len(self.intake.duplicates), "failed_sources": len(self.source_errors)}


def run(sources: str | Path, warehouse: str | None = None, through: str | None = None,
        report_file: str | Path | None = None, progress: Progress | None = None, build: bool = True) -> RunSummary:
    """Pull every source of ``sources`` into the landing store, take in what is new, build through ``through``.

    ``report_file``: also write the intake report (accepted, rejected, duplicates) there as JSON.
    ``build=False``: intake only. Configuration mistakes raise ``ConfigError`` before anything is pulled.
    """
    url = WarehouseURL.parse(warehouse)
    through = check_through(through)
    cfg = load_config(sources)
    with lock.hold(url):  # one run at a time per warehouse, from pull to build (WarehouseBusy: exit 2)
        pulled, errors = pull_all(cfg, url, progress=progress)
        taken = take_in_pulled(url, cfg, pulled, failed=errors, progress=progress)
        as_of = clock.now()  # after intake: everything taken in by this run is known to its build
        summary = RunSummary(taken.run_id, as_of, through, taken.intake, errors, taken.pulled, url, cfg)
        if report_file:
            Path(report_file).write_text(json.dumps(taken.intake.report(), ensure_ascii=False, indent=2),
                                         encoding="utf-8")
        if build:
            built = build_after_intake(url, taken.run_id, through, as_of, progress=progress)
            summary.built = bool(built["built"])
            summary.built_as_of = datetime.fromisoformat(str(built["as_of"]))
            summary.scope = built.get("scope")
            if not summary.built and progress:
                kept = summary.built_as_of.isoformat(timespec="seconds")
                progress(f"nothing new since the build as of {kept}: the warehouse is up to date, not rebuilt")
    return summary
