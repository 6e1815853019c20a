"""The figures of a due instant: read from the marts when they are as of that instant, else from an as-of build.

A publication must show what was known at its due instant. The DAG's build just before publishing makes the
marts as of that instant, but a daily intake run may replace them meanwhile; then the same figures come
from an as-of build (``pressdx.warehouse.asof``). Either way the files are the same.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from pressdx.domain.calendar import Due
from pressdx.warehouse.connection import Warehouse, WarehouseURL

log = logging.getLogger(__name__)


def last_build(url: WarehouseURL) -> dict | None:
    """``marts.dim_build`` of the warehouse: the as-of instant and through period of its last build."""
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        if not wh.table_exists("marts", "dim_build"):
            return None
        rows = wh.query_dicts("select as_of, through_period from marts.dim_build")
    return rows[0] if rows else None


def fresh_marts(url: WarehouseURL, due: Due) -> bool:
    """True when the marts' last build is as of ``due``'s instant, through its period."""
    build = last_build(url)
    return build is not None and build["as_of"] == due.as_of and build["through_period"] == due.period


def _same_instant(text: str | None, instant: datetime) -> bool:
    return text is not None and datetime.fromisoformat(text) == instant


def figures(url: WarehouseURL, due: Due) -> dict[str, Any]:
    """The KPI, timeliness and task figures of ``due``'s period, as of its due instant.

    Read from the marts when their last build is as of that instant (the DAG's ``dbt_build`` just made
    it); if another build replaced them meanwhile (a daily intake run), from an as-of build instead
    (``pressdx.warehouse.asof``), which gives the same figures.
    """
    from pressdx.figures.kpi import kpi
    from pressdx.figures.tasks import tasks
    from pressdx.figures.timeliness import timeliness

    def read(as_of: datetime | None) -> dict[str, Any]:
        return {"kpi": kpi(url, due.year, due.quarter, as_of),
                "timeliness": timeliness(url, due.year, due.quarter, as_of),
                "tasks": tasks(url, due.year, as_of)}

    build = last_build(url)
    if build is not None and build["as_of"] == due.as_of and build["through_period"] == due.period:
        got = read(None)
        after = last_build(url)
        if after == build and all(_same_instant(v.get("as_of"), due.as_of) for v in got.values()):
            return got
        log.warning("the marts were rebuilt while being read: reading an as-of build of %s instead",
                    due.as_of.isoformat())
    else:
        log.info("the marts are not as of %s through %s (last build: %s): reading an as-of build",
                 due.as_of.isoformat(), due.period, build)
    return read(due.as_of)
