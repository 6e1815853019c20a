"""The build step: ``dbt seed`` + ``dbt build`` of the warehouse as of an instant, through a period.

Both faces build through here: the CLI's ``run`` after its intake, the Airflow DAGs after theirs or at a
due instant of the calendar (as of that instant, so a re-run gives the same marts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from pressdx.domain import calendar
from pressdx.jobs import clock
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import WarehouseURL

if TYPE_CHECKING:
    from pressdx.lineage.facets import Parent

log = logging.getLogger(__name__)


def default_through(now: datetime | None = None) -> str:
    """The period that contains ``now`` (default: this instant)."""
    return calendar.period_containing(now or clock.now()).code


def check_through(through: str | None) -> str:
    """``through`` as a period code of the calendar (default: the current period); a ConfigError if not one."""
    if through is None:
        return default_through()
    try:
        return calendar.period(through).code
    except KeyError:
        raise ConfigError(f"--through {through!r} is not a period of the calendar ({calendar.period_range()})") from None


def build(url: WarehouseURL, through: str, as_of: datetime | None = None,
          lineage_parent: Parent | None = None, if_changed: bool = False,
          progress: Callable[[str], None] | None = None) -> dict[str, object]:
    """Build the warehouse as of ``as_of`` (default: now) through ``through``; what was built, as plain data.

    ``if_changed``: build only when the marts would differ from the last build's
    (``pressdx.warehouse.build_inputs``: new rows in raw, another dbt project or period, a day or due
    instant passed); otherwise nothing runs and the result says ``"built": False`` with the last build's
    ``as_of``. When only new submissions of some datasets arrived since the last build, only the models
    they can change are rebuilt (``pressdx.warehouse.scope``; ``"scope"`` in the result names the datasets
    and the models rebuilt, of how many). Then every model, seed and test of the build goes to lineage
    (``pressdx.jobs.lineage``), under ``lineage_parent`` (the Airflow task run) when given; a lineage failure
    is one log line, never a failed build.
    """
    from pressdx.warehouse import build_inputs, lock, scope

    as_of = as_of or clock.now()
    with lock.hold(url):  # fingerprint, build and record as one: no other build or intake in between
        doc = build_inputs.inputs(url, through)
        inputs = build_inputs.sha256(doc)
        scoped = None
        if if_changed:
            if (last := build_inputs.up_to_date(url, through, as_of, inputs)) is not None:
                log.info("nothing new since the build as of %s through %s: not rebuilt", last.as_of.isoformat(), through)
                return {"as_of": last.as_of.astimezone(calendar.VN_TZ).isoformat(), "through": through,
                        "warehouse": url.display, "built": False}
            last = build_inputs.last_build(url)
            if last is not None:
                scoped = scope.plan(url, through, as_of, last.as_of, last.build_id, last.inputs, doc)

        from pressdx.jobs.lineage import build_done
        from pressdx.warehouse.dbt import build as dbt_build  # dbt is heavy: imported when a build runs
        from pressdx.warehouse.swap import STAGE

        what = scoped.describe() if scoped else "every model"
        log.info("dbt build of %s as of %s through %s: %s", url.display, as_of.isoformat(), through, what)
        if progress:  # said once it is known that the build runs
            progress(f"building the warehouse (dbt) through {through}: {what}")
        result = dbt_build(url, as_of=as_of, through=through, scope=scoped,
                           manifest_to=scope.state_dir(url, doc["project"]))
        build_inputs.record(url, as_of, through, inputs, doc)
    build_done(url, result, lineage_parent, strip_prefix=STAGE,  # built in next_*, published under the real names
               deferred=scoped.state_dir / scope.MANIFEST if scoped else None)
    built: dict[str, object] = {"as_of": as_of.isoformat(), "through": through, "warehouse": url.display, "built": True}
    if scoped:
        built["scope"] = {"datasets": list(scoped.datasets), "models": len(scoped.models),
                          "of_models": scoped.total_models}
    return built


def build_after_intake(url: WarehouseURL, run_id: str | None, through: str, as_of: datetime | None = None,
                       lineage_parent: Parent | None = None,
                       progress: Callable[[str], None] | None = None) -> dict[str, object]:
    """The build that ends intake run ``run_id`` (only when something changed: ``if_changed``), and that
    run's ``audit.runs`` row saying how it truly ended: ``built``, ``up_to_date``, or ``failed`` /
    ``interrupted``. The CLI's ``run`` and the intake DAG's ``dbt_build`` both end a run through here."""
    from pressdx.warehouse import runs

    try:
        built = build(url, through, as_of, lineage_parent=lineage_parent, if_changed=True, progress=progress)
    except BaseException as e:
        if run_id:
            runs.finish_run(url, run_id, runs.outcome_of(e))
        raise
    if run_id:
        runs.finish_run(url, run_id, runs.BUILT if built["built"] else runs.UP_TO_DATE, through)
    return built
